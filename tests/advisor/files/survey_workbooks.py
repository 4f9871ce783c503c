"""Owners' survey workbooks as other programs write them, saved in a folder: an .ods (pandas
with odfpy, as LibreOffice Calc reads it), an old binary .xls (xlwt), and an .xlsx whose formulas
were saved without their results (openpyxl, which never computes a formula).

Each has a first sheet of notes and the answers on a second one, so the sheet has to be chosen.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import xlwt

from tests.corpus.files import CRITERIA

QUESTION = "How important is each of these to you? [{}]"
HEADER = [
    "Client ID",
    "Email",
    QUESTION.format("Relaxation"),
    QUESTION.format("Pain relief"),
    QUESTION.format("Injury recovery"),
]
# answers on a 1-5 scale; one id is a number in the sheet, one text with a leading zero
ROWS: list[list[object]] = [
    ["C-001", "ana@example.org", 5, 1, 2],
    ["0042", "ben@example.org", 1, 5, 4],
    [1001, "cy@example.org", 3, 4, 5],
]
IDS = ["C-001", "0042", "1001"]
WEIGHTS = {  # 1-5 read onto 0-10: 1 = 0, 2 = 2.5, 3 = 5, 4 = 7.5, 5 = 10
    "relaxation": [10.0, 0.0, 5.0],
    "pain_relief": [0.0, 10.0, 7.5],
    "injury_recovery": [2.5, 7.5, 10.0],
}
NOTES = [["About this file"], ["Exported from the clinic's booking form"]]
SCALE_NOTE = "answers run 1-5; read as 1 = 0 and 5 = 10."
PERSONAL_NOTE = "personal columns left out (never copied into any download): Email."
MISSING_NOTE = "no column gives these criteria, so each counts 0: " + ", ".join(
    c for c in CRITERIA if c not in WEIGHTS
)


def write_ods(folder: Path, sheet: str, rows: list[list[object]] = ROWS) -> Path:
    """survey.ods: the notes, then the answers on `sheet` (pandas' odf writer, via odfpy)."""
    path = folder / "survey.ods"
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame(NOTES[1:], columns=NOTES[0]).to_excel(writer, sheet_name="Notes", index=False)
        pd.DataFrame(rows, columns=HEADER).to_excel(writer, sheet_name=sheet, index=False)
    return path


def write_xls(folder: Path, sheet: str, rows: list[list[object]] = ROWS) -> Path:
    """survey.xls (Excel 97-2003): the notes, then the answers on `sheet`; None is no cell."""
    path = folder / "survey.xls"
    book = xlwt.Workbook(encoding="utf-8")
    for title, table in (("Notes", NOTES), (sheet, [HEADER, *rows])):
        page = book.add_sheet(title)
        for i, line in enumerate(table):
            for j, value in enumerate(line):
                if value is not None:
                    page.write(i, j, value)
    book.save(str(path))
    return path


WRITERS = {"ods": write_ods, "xls": write_xls}


def write_xlsx(folder: Path, sheet: str, rows: list[list[object]], column: int = 1) -> Path:
    """survey.xlsx made by openpyxl: the notes, then HEADER and `rows` on `sheet` from sheet
    column `column` (1 = A). A text starting "=" is a formula, saved without its result."""
    path = folder / "survey.xlsx"
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    for line in NOTES:
        notes.append(line)
    page = book.create_sheet(sheet)
    for i, line in enumerate([HEADER, *rows], start=1):
        for j, value in enumerate(line, start=column):
            page.cell(i, j, value)
    book.save(path)
    return path


def edit_parts(data: bytes, replacements: dict[bytes, bytes]) -> bytes:
    """The zipped workbook with each text replaced in every part (each must be found once), to
    write what openpyxl does not: an empty text result, a formula shared with another cell."""
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: source.read(name) for name in source.namelist()}
    for old, new in replacements.items():
        assert sum(content.count(old) for content in parts.values()) == 1, old
        parts = {name: content.replace(old, new) for name, content in parts.items()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return buffer.getvalue()


def cover_workbook(*sheets: str) -> bytes:
    """A workbook whose first sheet is a cover (a title and a line of text), then `sheets`
    holding the header and one client's answers."""
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Cover"
    cover.append(["Client survey 2026"])
    cover.append(["Prepared by the front desk"])
    for title in sheets:
        book.create_sheet(title).append(["client_id", "relaxation"])
        book[title].append(["c1", 7])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()
