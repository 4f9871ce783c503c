"""Exports shaped like other tools' files, generated from a seeded grid of answers, so that the
reader's rules are tried on files they were not fitted to (issue 23).

Each builder returns the file's bytes, its name and what the reader must give back: the clients'
ids in order and their weights 0..10 (NaN for a blank answer). None of these tools' column names
appear in advisor/: the rules are general.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from openpyxl import Workbook

from advisor.catalog import load_catalog
from advisor.files.template import questions

CATALOG = load_catalog()
CRITERIA = list(CATALOG.criterion_ids)
LABELS = {c: CATALOG.criterion_label(c) for c in CRITERIA}
QUESTIONS = questions(CATALOG)
MATRIX = "How important is each of these to you?"
SEED = 20261205


@dataclass(frozen=True)
class Export:
    name: str
    data: bytes
    ids: list[str]
    weights: np.ndarray  # clients x criteria, 0..10, NaN for a blank answer
    sheet: str | None = None


def grid(seed: int, clients: int) -> np.ndarray:
    """Whole-number answers 0..10, one row per client."""
    return np.random.default_rng(seed).integers(0, 11, size=(clients, len(CRITERIA))).astype(float)


def _csv(rows: list[list[object]], sep: str = ",", quoting: int = csv.QUOTE_MINIMAL) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n", quoting=quoting).writerows(rows)
    return buffer.getvalue()


def qualtrics() -> Export:
    """Three header rows: question ids, question text (matrix "question - label"), and import
    metadata in JSON; dates and a response id first; answers 0-10."""
    answers = grid(SEED, 6)
    ids = [f"R_{i:04x}Zq" for i in range(6)]
    head = ["StartDate", "EndDate", "ResponseId", *[f"Q1_{i + 1}" for i in range(13)]]
    text = ["Start Date", "End Date", "Response ID", *[f"{MATRIX} - {LABELS[c]}" for c in CRITERIA]]
    meta = [
        '{"ImportId":"startDate"}',
        '{"ImportId":"endDate"}',
        '{"ImportId":"_recordId"}',
        *[f'{{"ImportId":"QID1_{i + 1}"}}' for i in range(13)],
    ]
    rows = [
        [f"2025-07-0{i + 1} 09:00:00", f"2025-07-0{i + 1} 09:05:00", ids[i], *map(int, row)]
        for i, row in enumerate(answers)
    ]
    data = _csv([head, text, meta, *rows]).encode("utf-8-sig")
    return Export("qualtrics-export.csv", data, [f"row-{i + 4}" for i in range(6)], answers)


def jotform() -> Export:
    """HTML in the question titles (tags and entities), a submission date, a client id, one
    client submitting twice (the later one kept), and one blank answer."""
    answers = grid(SEED + 1, 5)
    titles = [f"<p><strong>{QUESTIONS[c]}</strong></p>".replace("&", "&amp;") for c in CRITERIA]
    titles[1] = "How important is <em>relaxation</em>&nbsp;?"
    head = ["Submission Date", "Client&nbsp;ID", *titles]
    rows = [
        [f"Jul {i + 1}, 2025", f"J-{i}", *[int(v) for v in row]] for i, row in enumerate(answers)
    ]
    rows[3][4] = ""  # a blank answer (wellbeing) from J-3
    earlier = ["Jun 30, 2025", "J-2", *[0] * 13]  # J-2's first go, on an earlier day
    data = _csv([head, earlier, *rows]).encode("utf-8")
    expected = answers.copy()
    expected[3, 2] = np.nan
    return Export("jotform-export.csv", data, [f"J-{i}" for i in range(5)], expected)


def zoho() -> Export:
    """A workbook: a merged title, then a matrix question merged over the answer columns with
    the criterion labels in the row under it; a summary row of formulas with no label."""
    answers = grid(SEED + 2, 4)
    book = Workbook()
    sheet = book.active
    sheet.title = "Responses"
    sheet.append(["Clinic survey, summer 2025"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=15)
    sheet.append(["Name", "Client", MATRIX])
    sheet.merge_cells(start_row=2, start_column=3, end_row=2, end_column=15)
    sheet.append([None, None, *[LABELS[c] for c in CRITERIA]])
    for i, row in enumerate(answers):
        sheet.append([f"Person {i}", f"Z-{i}", *map(int, row)])
    last = 3 + len(answers)
    sheet.append(
        [None, None, *[f"=AVERAGE({_letter(3 + j)}4:{_letter(3 + j)}{last})" for j in range(13)]]
    )
    return Export("zoho-export.xlsx", _save(book), [f"Z-{i}" for i in range(4)], answers)


def numbers_percent() -> Export:
    """A spreadsheet app's export: a cover sheet first, then the answers as fractions in a
    percentage format, and an Average row with its values saved."""
    answers = grid(SEED + 3, 5)
    book = Workbook()
    cover = book.active
    cover.title = "Cover"
    cover.append(["Client survey"])
    cover.append(["Exported from Numbers"])
    sheet = book.create_sheet("Table 1")
    sheet.append(["Client", *CRITERIA])
    for i, row in enumerate(answers):
        sheet.append([f"N-{i}", *(row / 10).tolist()])
    sheet.append(["AVERAGE", *(answers.mean(axis=0) / 10).tolist()])
    for cells in sheet.iter_rows(min_row=2, min_col=2):
        for cell in cells:
            cell.number_format = "0.0%"
    return Export("numbers-export.xlsx", _save(book), [f"N-{i}" for i in range(5)], answers)


def slider_survey() -> Export:
    """Sliders 0-100 under criterion labels, semicolons and decimal commas, a title line and a
    blank line above the header, a Total row, and a client who skipped every question."""
    answers = grid(SEED + 4, 6)
    answers[answers < 2] = 2  # sliders: most answers over 10 once on 0-100
    rows = [
        ["Priorities survey (sliders 0-100)"],
        [],
        ["Client", *[LABELS[c] for c in CRITERIA]],
        *[[f"S-{i}", *[f"{v * 10:g}" for v in row]] for i, row in enumerate(answers)],
        ["S-9", *[""] * 13],
        ["Total", *[f"{v:g}" for v in answers.sum(axis=0) * 10]],
    ]
    data = _csv(rows, sep=";").encode("cp1252")
    return Export("sliders.csv", data, [f"S-{i}" for i in range(6)], answers)


def booking_menu() -> tuple[bytes, list[str], np.ndarray]:
    """A booking system's menu: `Treatment Name`, price, duration and a description with a
    semicolon, doubled quotes and a line break, semicolon-separated in Windows-1252."""
    fits = grid(SEED + 5, 3)
    names = ["Rücken \u201eintensiv\u201c 45", "Hot Stone 90", "Sport & Reha 30"]
    rows = [
        ["Treatment Name", "Price (\u20ac)", "Duration (min)", "Description", *CRITERIA],
        [names[0], "55,00", "45", 'Firm; "deep" work\nfor the back', *map(int, fits[0])],
        [names[1], "95,00", "90", "Warm stones", *map(int, fits[1])],
        [names[2], "40,00", "30", "Short, targeted", *map(int, fits[2])],
    ]
    return _csv(rows, sep=";", quoting=csv.QUOTE_ALL).encode("cp1252"), names, fits


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SURVEYS: dict[str, Callable[[], Export]] = {
    "qualtrics": qualtrics,
    "jotform": jotform,
    "zoho": zoho,
    "numbers": numbers_percent,
    "sliders": slider_survey,
}


def frame_weights(frame: pd.DataFrame) -> np.ndarray:
    return frame[CRITERIA].to_numpy(dtype=float)
