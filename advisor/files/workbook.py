"""Excel and OpenDocument workbooks (.xlsx, .xlsm, .xls, .ods), read by python-calamine.

python-calamine (https://github.com/dimastbk/python-calamine) reads every sheet of the four
formats; pandas' `read_excel(engine="calamine")` turns a sheet into a frame. A minimal .xlsx that
some generators write without the package's relationship parts (`_rels/.rels`,
`xl/_rels/workbook.xml.rels`) is completed with the standard parts (ECMA-376 Part 2, Open
Packaging Conventions) and read again.

python-calamine reads a formula cell as its saved result, and a formula saved without one (as
openpyxl and some other generators write them) as an empty cell. `FormulaCells` looks for a
formula in the sheet's XML (ECMA-376 Part 1, SpreadsheetML's c and f elements), only when an
answer cell was read as empty, so that the note can say why.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import NamedTuple
from xml.etree import ElementTree

import pandas as pd
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from advisor.errors import InputFileError

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_SHEET = re.compile(r"<sheet\b([^>]*?)/>")
# What a zipped workbook may expand to before it is read: a file under the upload bound can
# otherwise unpack to gigabytes (a "zip bomb") and take the server's memory with it. 300 MB of
# sheet XML is several hundred thousand rows of 13 answers; larger surveys belong in a CSV.
MAX_EXPANDED_BYTES = 300 * 1024 * 1024
_TEXT_RESULT = re.compile(rb"\st=[\"']str[\"']")
_ERROR_RESULT = re.compile(rb"\st=[\"']e[\"']")
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.DOTALL)
_CELL_CLOSE = re.compile(rb"</(?:\w+:)?c>")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.DOTALL)


def is_workbook(data: bytes, name: str) -> bool:
    """A workbook by its name or its first bytes (a renamed .xlsx is still one)."""
    return name.lower().endswith(WORKBOOK_SUFFIXES) or data.startswith((_ZIP, _OLE2))


def open_workbook(data: bytes, name: str) -> CalamineWorkbook:
    """The workbook in `data`; InputFileError naming the file when it cannot be read, or when
    its zipped parts would expand past MAX_EXPANDED_BYTES."""
    _check_expanded_size(data, name)
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as first:
        repaired = _with_relationships(data)
        if repaired is not None:
            try:
                return CalamineWorkbook.from_filelike(io.BytesIO(repaired))
            except (CalamineError, ValueError, OSError):
                pass
        raise InputFileError(
            f"{name}: the file cannot be read as a workbook ({str(first).strip()[:120]}); "
            "open it in your spreadsheet and save it as .xlsx or as CSV UTF-8."
        ) from None


def _check_expanded_size(data: bytes, name: str) -> None:
    """Refuse a zipped workbook whose parts add up to more than MAX_EXPANDED_BYTES, from the
    sizes its zip directory states, before anything is unpacked."""
    if not data.startswith(_ZIP):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            expanded = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a readable zip: the workbook reader says so with its own message
    if expanded > MAX_EXPANDED_BYTES:
        raise InputFileError(
            f"{name}: the workbook would unpack to {expanded / 1024 / 1024:,.0f} MB, over the "
            f"limit of {MAX_EXPANDED_BYTES // 1024 // 1024} MB; save the responses as CSV "
            "UTF-8 and upload that instead."
        )


def _with_relationships(data: bytes) -> bytes | None:
    """The .xlsx package with the relationship parts it lacks added, or None if not that case."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = package.namelist()
            if "xl/workbook.xml" not in names or "_rels/.rels" in names:
                return None
            parts = {info.filename: package.read(info) for info in package.infolist()}
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    workbook = parts["xl/workbook.xml"].decode("utf-8", errors="replace")
    sheets = sorted(p for p in parts if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", p))
    numbered = iter(range(1, len(sheets) + 1))

    def with_id(match: re.Match[str]) -> str:
        return f'<sheet{match.group(1)} r:id="rId{next(numbered, 0)}"/>'

    if "xmlns:r=" not in workbook:
        workbook = workbook.replace("<workbook ", f'<workbook xmlns:r="{_REL}" ', 1)
    parts["xl/workbook.xml"] = _SHEET.sub(with_id, workbook).encode("utf-8")
    parts["_rels/.rels"] = _PACKAGE_RELS.encode("utf-8")
    links = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="{p.removeprefix("xl/")}"/>'
        for i, p in enumerate(sheets, start=1)
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships '
        f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{links}'
        "</Relationships>"
    ).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for part, content in parts.items():
            package.writestr(part, content)
    return buffer.getvalue()


class SheetRows(NamedTuple):
    """A sheet as read: its name, its header row, the rows under it, and the sheet's column
    (1-based, as a spreadsheet counts them) of the first column read."""

    name: str
    header: list[object]
    body: pd.DataFrame
    first_column: int


def read_sheet(
    workbook: CalamineWorkbook, name: str, sheet: str | None, max_rows: int
) -> SheetRows:
    """The chosen sheet (the first if None): its name, its header row, and the rows under it.

    The rows are a frame with columns 0..n-1 (numbers typed, empty cells missing), indexed by
    their row number in the sheet; rows with nothing in them are left out. At most
    `max_rows` + 1 rows are read under the header. Raises InputFileError for an unknown sheet
    name or a sheet with nothing in it.
    """
    names = workbook.sheet_names
    if not names:
        raise InputFileError(f"{name}: the workbook has no sheet; save it again as .xlsx or CSV.")
    chosen = names[0] if sheet is None else sheet
    if chosen not in names:
        raise InputFileError(
            f"{name}: the workbook has no sheet named {chosen!r}; its sheets are "
            f"{', '.join(repr(n) for n in names)}. Choose one of them."
        )
    sheet = workbook.get_sheet_by_name(chosen)
    rows = sheet.to_python(skip_empty_area=True, nrows=max_rows + 2)
    # the first row and column read are the sheet's (0-based) `start`: empty ones are skipped
    first_row, first_column = sheet.start or (0, 0)
    if not rows or not any(cell != "" for cell in rows[0]):
        raise InputFileError(
            f"{name}, sheet {chosen!r}: the sheet has no header in its first row; choose the "
            "sheet that holds the answers, with the questions in its first row."
        )
    body = pd.DataFrame(rows[1:], columns=range(len(rows[0])))
    body.index = body.index + first_row + 2
    # an empty cell is missing in any column that is not numbers (object or pandas' own str)
    for column in body.columns[~body.dtypes.map(pd.api.types.is_numeric_dtype)]:
        body[column] = body[column].replace("", None)
    return SheetRows(chosen, list(rows[0]), body.dropna(how="all"), first_column + 1)


@dataclass(frozen=True)
class FormulaCells:
    """A zipped workbook's sheet, kept to tell which cells read as empty hold a formula that
    was saved without its result. `first_column` is the sheet's column (1-based) of the first
    column read."""

    data: bytes = field(repr=False)
    sheet: str
    first_column: int

    def unsaved(self, cells: Collection[tuple[int, int]]) -> dict[tuple[int, int], str]:
        """Of `cells`, each (sheet row, position of the column read), those that hold a
        formula saved without a result, with its text ("=B2*2"; "" for one shared with an
        earlier cell, which keeps the text), and those that hold a spreadsheet error, with its
        code ("#N/A", "#DIV/0!": text starting with "#"). Meant for cells read as empty; a
        formula whose saved result is empty text (`t="str"`) is no such cell.

        One pass over the sheet's XML for the cells' references (`r="C2"`, which every common
        generator writes). Nothing is found in a package that is no .xlsx or .xlsm: its cells
        stay reported as empty.
        """
        refs = {f"{get_column_letter(self.first_column + p)}{row}": (row, p) for row, p in cells}
        xml = _sheet_xml(self.data, self.sheet) if refs else None
        if xml is None:
            return {}
        named = re.compile(
            rb"<(?:\w+:)?c\b[^>]*?\sr=[\"'](" + "|".join(refs).encode() + rb")[\"'][^>]*>"
        )
        found: dict[tuple[int, int], str] = {}
        for cell in named.finditer(xml):
            if cell.group(0).endswith(b"/>") or _TEXT_RESULT.search(cell.group(0)):
                continue  # a cell with nothing in it, or a formula that gave empty text
            close = _CELL_CLOSE.search(xml, cell.end())
            if _ERROR_RESULT.search(cell.group(0)):  # a spreadsheet error such as #N/A
                value = _VALUE.search(xml, cell.end(), close.start() if close else len(xml))
                code = value.group(1).decode("utf-8", "replace") if value else "#VALUE!"
                found[refs[cell.group(1).decode()]] = html.unescape(code)
                continue
            formula = _FORMULA.search(xml, cell.end(), close.start() if close else len(xml))
            if formula is not None:
                text = html.unescape((formula.group(1) or b"").decode("utf-8", "replace"))
                found[refs[cell.group(1).decode()]] = f"={text}" if text else ""
        return found


def formula_cells(data: bytes, sheet: SheetRows) -> FormulaCells | None:
    """What looks up the formulas of `sheet` later: for a zipped workbook only (an .xls saves
    every formula's result)."""
    return FormulaCells(data, sheet.name, sheet.first_column) if data.startswith(_ZIP) else None


def _sheet_xml(data: bytes, sheet: str) -> bytes | None:
    """The XML of the worksheet named `sheet` in an .xlsx or .xlsm package (completed as
    `open_workbook` does when it lacks its relationship parts), or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(_with_relationships(data) or data)) as package:
            book = ElementTree.fromstring(package.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
            sheets = (e for e in book.iter() if e.tag.rsplit("}", 1)[-1] == "sheet")
            ids = {e.get("name"): _rel_id(e) for e in sheets}
            target = {e.get("Id"): e.get("Target") for e in rels}.get(ids.get(sheet))
            if not target:
                return None
            part = target[1:] if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            return package.read(part)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError):
        return None


def _rel_id(element: ElementTree.Element) -> str | None:
    """The relationship id (`r:id`) of a <sheet> element, whatever its namespace."""
    return next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
