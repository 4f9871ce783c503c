"""Excel and OpenDocument workbooks (.xlsx, .xlsm, .xls, .ods), read by python-calamine.

python-calamine (https://github.com/dimastbk/python-calamine) reads every sheet of the four
formats; pandas' `read_excel(engine="calamine")` turns a sheet into a frame. A minimal .xlsx that
some generators write without the package's relationship parts (`_rels/.rels`,
`xl/_rels/workbook.xml.rels`) is completed with the standard parts (ECMA-376 Part 2, Open
Packaging Conventions) and read again.

python-calamine reads a formula cell as its saved result, and a formula saved without one (as
openpyxl and some other generators write them) as an empty cell. `FormulaCells` looks for a
formula in the sheet's XML (ECMA-376 Part 1, SpreadsheetML's c and f elements), only when an
answer cell was read as empty, so that the note can say why, or in the last rows of a sheet of at
most MAX_FORMULA_XML bytes, to tell a row of formulas (an Average row) from a client.

python-calamine gives no cell's number format, so `percent_columns` reads them from the package:
the styles part (numFmt and cellXfs: built-in formats 9 and 10, `0%` and `0.00%`, or any format
code with a % outside quotes) and the first rows of the sheet's XML (each cell's `s` style),
unzipped only as far as those rows. An .ods says a cell's value is a percentage itself (its
office:value-type, OpenDocument 1.2 Part 1, 19.385), read from the first rows of content.xml. An
.xls keeps its formats elsewhere: there, fractions are read as numbers and the reader's note
suggests the 0-1 scale.
"""

from __future__ import annotations

import functools
import html
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import NamedTuple
from xml.etree import ElementTree

import pandas as pd
from openpyxl.utils import column_index_from_string, get_column_letter
from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook

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
HEAD_LIMIT = 30  # the rows a header is looked for in (headers.HEAD_ROWS)
# What a zipped workbook may expand to before it is read: a file under the upload bound can
# otherwise unpack to gigabytes (a "zip bomb") and take the server's memory with it. 300 MB of
# sheet XML is several hundred thousand rows of 13 answers; larger surveys belong in a CSV.
MAX_EXPANDED_BYTES = 300 * 1024 * 1024
_TEXT_RESULT = re.compile(rb"\st=[\"']str[\"']")
_ERROR_RESULT = re.compile(rb"\st=[\"']e[\"']")
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.DOTALL)
_CELL_CLOSE = re.compile(rb"</(?:\w+:)?c>")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.DOTALL)
# A sheet part up to this size is searched for formula rows at its end (a hand-kept sheet);
# larger ones are exports, read by their values alone, so reading them stays fast.
MAX_FORMULA_XML = 16 * 1024 * 1024
_PERCENT_IDS = {9, 10}  # ECMA-376 Part 1, 18.8.30: the built-in formats 0% and 0.00%
_STYLED_CELL = re.compile(
    rb"<(?:\w+:)?c\b[^>]*?\sr=[\"']([A-Z]+)(\d+)[\"'][^>]*?\ss=[\"'](\d+)[\"']"
)
_ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=[\"'](\d+)[\"']")
_HEAD_XML = 4 * 1024 * 1024  # the most of a sheet's XML unzipped to find its first rows' styles


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
    """A sheet as read: its name, its header row, the rows under it, the sheet's column
    (1-based, as a spreadsheet counts them) of the first column read, and the sheet's row
    (0-based) of the first row read."""

    name: str
    header: list[object]
    body: pd.DataFrame
    first_column: int
    first_row: int = 0


def sheet_names(workbook: CalamineWorkbook, name: str) -> list[str]:
    """The workbook's sheets in order; InputFileError when it has none."""
    names = list(workbook.sheet_names)
    if not names:
        raise InputFileError(f"{name}: the workbook has no sheet; save it again as .xlsx or CSV.")
    return names


def head_rows(sheet: CalamineSheet, rows: int) -> list[list[object]]:
    """The first `rows` rows of a sheet with something in them (empty rows and columns at the
    sheet's start are skipped, as python-calamine does)."""
    return sheet.to_python(skip_empty_area=True, nrows=rows)


def read_sheet(
    workbook: CalamineWorkbook,
    name: str,
    sheet: str | CalamineSheet | None,
    max_rows: int,
    find: Callable[[list[list[object]]], tuple[list[object], int]] | None = None,
) -> SheetRows:
    """The chosen sheet (the first if None; a name, or a sheet already opened): its name, its
    header row, and the rows under it.

    `find` is given the sheet's first rows and returns the header's cells and the index of the
    first row of answers (default: the first row is the header, the answers follow it). The
    rows are a frame with columns 0..n-1 (numbers typed, empty cells missing), indexed by their
    row number in the sheet; rows with nothing in them are left out. At most `max_rows` + 1
    rows are read under the header. Raises InputFileError for an unknown sheet name or a sheet
    with nothing in it.
    """
    if not isinstance(sheet, CalamineSheet):
        names = sheet_names(workbook, name)
        chosen = names[0] if sheet is None else sheet
        if chosen not in names:
            raise InputFileError(
                f"{name}: the workbook has no sheet named {chosen!r}; its sheets are "
                f"{', '.join(repr(n) for n in names)}. Choose one of them."
            )
        sheet = workbook.get_sheet_by_name(chosen)
    rows = sheet.to_python(skip_empty_area=True, nrows=max_rows + 2 + HEAD_LIMIT)
    # the first row and column read are the sheet's (0-based) `start`: empty ones are skipped
    first_row, first_column = sheet.start or (0, 0)
    # a sheet is empty when no row holds a cell; a first row of blanks (a title of spaces,
    # which calamine reads as "") is not the whole sheet
    if not any(cell != "" for row in rows for cell in row):
        raise InputFileError(
            f"{name}, sheet {sheet.name!r}: the sheet is empty; choose the sheet that holds the "
            "answers."
        )
    header, start = find(rows[:HEAD_LIMIT]) if find else (list(rows[0]), 1)
    width = max(len(header), len(rows[0]))
    body = pd.DataFrame(rows[start : start + max_rows + 1], columns=range(width))
    body.index = body.index + first_row + start + 1
    # an empty cell is missing in any column that is not numbers (object or pandas' own str)
    for column in body.columns[~body.dtypes.map(pd.api.types.is_numeric_dtype)]:
        body[column] = body[column].replace("", None)
    return SheetRows(sheet.name, list(header), body.dropna(how="all"), first_column + 1, first_row)


@dataclass(frozen=True)
class FormulaCells:
    """A zipped workbook's sheet, kept to tell which cells read as empty hold a formula that
    was saved without its result. `first_column` is the sheet's column (1-based) of the first
    column read."""

    data: bytes = field(repr=False)
    sheet: str
    first_column: int

    @functools.cached_property
    def _xml(self) -> bytes | None:
        """The sheet's XML, read once however many cells are looked up."""
        return _sheet_xml(self.data, self.sheet)

    def formulas(self, cells: Collection[tuple[int, int]]) -> dict[tuple[int, int], str]:
        """Of `cells`, each (sheet row, position of the column read), those that hold a formula,
        with its text, looked up only in a sheet part of at most MAX_FORMULA_XML bytes (a
        hand-kept sheet; an export of many rows is not searched, to stay fast)."""
        size = _part_size(self.data, self.sheet)
        if not cells or size is None or size > MAX_FORMULA_XML:
            return {}
        return {k: v for k, v in self.unsaved(cells).items() if not v.startswith("#")}

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
        xml = self._xml if refs else None
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
            part = _sheet_part(package, sheet)
            return None if part is None else package.read(part)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError):
        return None


def _sheet_part(package: zipfile.ZipFile, sheet: str) -> str | None:
    """The part name of the worksheet named `sheet` in an opened .xlsx or .xlsm package."""
    book = ElementTree.fromstring(package.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    sheets = (e for e in book.iter() if e.tag.rsplit("}", 1)[-1] == "sheet")
    ids = {e.get("name"): _rel_id(e) for e in sheets}
    target = {e.get("Id"): e.get("Target") for e in rels}.get(ids.get(sheet))
    if not target:
        return None
    return target[1:] if target.startswith("/") else posixpath.normpath(f"xl/{target}")


def _part_size(data: bytes, sheet: str) -> int | None:
    """The unzipped size of a sheet's XML, from the zip directory (nothing unzipped)."""
    try:
        with zipfile.ZipFile(io.BytesIO(_with_relationships(data) or data)) as package:
            part = _sheet_part(package, sheet)
            return None if part is None else package.getinfo(part).file_size
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError):
        return None


def _percent_styles(package: zipfile.ZipFile) -> set[int]:
    """The cell styles (indexes into cellXfs) whose number format is a percentage."""
    try:
        styles = ElementTree.fromstring(package.read("xl/styles.xml"))
    except KeyError:
        return set()
    percent = set(_PERCENT_IDS)
    for element in styles.iter():
        if element.tag.rsplit("}", 1)[-1] == "numFmt":
            code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", element.get("formatCode", ""))
            if "%" in code:
                percent.add(int(element.get("numFmtId", "-1")))
    xfs = next((e for e in styles.iter() if e.tag.rsplit("}", 1)[-1] == "cellXfs"), None)
    if xfs is None:
        return set()
    return {i for i, xf in enumerate(xfs) if int(xf.get("numFmtId", "0")) in percent}


def percent_columns(
    data: bytes, sheet: str, first_column: int, rows: range, width: int
) -> set[int]:
    """The columns (positions from `first_column`, below `width`) most of whose cells in the
    sheet rows `rows` are in a percentage number format; empty for anything but a readable
    .xlsx or .xlsm. Only the sheet's first rows are unzipped (at most _HEAD_XML bytes)."""
    if not data.startswith(_ZIP) or not rows:
        return set()
    try:
        with zipfile.ZipFile(io.BytesIO(_with_relationships(data) or data)) as package:
            if "content.xml" in package.namelist():  # an OpenDocument spreadsheet (.ods)
                styled, counted = _ods_percent_cells(package, sheet, first_column, rows, width)
                return {p for p, n in styled.items() if n * 2 > counted[p]}
            styles = _percent_styles(package)
            part = _sheet_part(package, sheet) if styles else None
            if part is None:
                return set()
            xml = _head_xml(package, part, rows.stop)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError):
        return set()
    styled: dict[int, int] = {}
    counted: dict[int, int] = {}
    for match in _STYLED_CELL.finditer(xml):
        row = int(match.group(2))
        position = column_index_from_string(match.group(1).decode()) - first_column
        if row in rows and 0 <= position < width:
            counted[position] = counted.get(position, 0) + 1
            styled[position] = styled.get(position, 0) + (int(match.group(3)) in styles)
    return {p for p, n in styled.items() if n * 2 > counted[p]}


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_TYPE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"
_ODS_CELLS = (_ODS_TABLE + "table-cell", _ODS_TABLE + "covered-table-cell")


def _ods_percent_cells(
    package: zipfile.ZipFile, sheet: str, first_column: int, rows: range, width: int
) -> tuple[dict[int, int], dict[int, int]]:
    """In an .ods, by column position (from `first_column`, below `width`): how many cells of
    the sheet rows `rows` hold a value of the percentage type, and how many hold a value. The
    content is parsed only as far as those rows; rows and cells repeated
    (`number-rows-repeated`, `number-columns-repeated`) count once per row and column."""
    styled: dict[int, int] = {}
    counted: dict[int, int] = {}
    inside, row = False, 0
    with package.open("content.xml") as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            if element.tag == _ODS_TABLE + "table":
                if event == "end" and inside:
                    break
                inside = event == "start" and element.get(_ODS_TABLE + "name") == sheet
            if not inside or event != "end" or element.tag != _ODS_TABLE + "table-row":
                continue
            repeat = int(element.get(_ODS_TABLE + "number-rows-repeated", "1"))
            times = max(0, min(row + 1 + repeat, rows.stop) - max(row + 1, rows.start))
            column = 0
            for cell in (c for c in element if c.tag in _ODS_CELLS) if times else ():
                span = int(cell.get(_ODS_TABLE + "number-columns-repeated", "1"))
                kind = cell.get(_ODS_TYPE)
                for position in range(column + 1 - first_column, column + 1 + span - first_column):
                    if kind is not None and 0 <= position < width:
                        counted[position] = counted.get(position, 0) + times
                        styled[position] = styled.get(position, 0) + times * (kind == "percentage")
                column += span
            row += repeat
            element.clear()
            if row + 1 >= rows.stop:
                break
    return styled, counted


def _head_xml(package: zipfile.ZipFile, part: str, stop: int) -> bytes:
    """The start of a sheet's XML, unzipped until a row numbered `stop` or more begins."""
    chunks: list[bytes] = []
    size = 0
    with package.open(part) as stream:
        while size < _HEAD_XML:
            chunk = stream.read(64 * 1024)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            rows = _ROW_NUMBER.findall(chunk)
            if rows and int(rows[-1]) >= stop:
                break
    return b"".join(chunks)


def _rel_id(element: ElementTree.Element) -> str | None:
    """The relationship id (`r:id`) of a <sheet> element, whatever its namespace."""
    return next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
