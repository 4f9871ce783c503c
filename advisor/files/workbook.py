"""Excel and OpenDocument workbooks (.xlsx, .xlsm, .xls, .ods), read by python-calamine.

python-calamine (https://github.com/dimastbk/python-calamine) reads every sheet of the four
formats; pandas' `read_excel(engine="calamine")` turns a sheet into a frame. A minimal .xlsx that
some generators write without the package's relationship parts (`_rels/.rels`,
`xl/_rels/workbook.xml.rels`) is completed with the standard parts (ECMA-376 Part 2, Open
Packaging Conventions) and read again.
"""

from __future__ import annotations

import io
import re
import zipfile

import pandas as pd
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
            parts = {info.filename: package.read(info) for info in package.infolist()}
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "xl/workbook.xml" not in parts or "_rels/.rels" in parts:
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


def read_sheet(
    workbook: CalamineWorkbook, name: str, sheet: str | None, max_rows: int
) -> tuple[str, list[object], pd.DataFrame]:
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
    # the first row read is the sheet's row `first` (1-based): empty rows above it are skipped
    first = (sheet.start[0] + 1) if sheet.start else 1
    if not rows or not any(cell != "" for cell in rows[0]):
        raise InputFileError(
            f"{name}, sheet {chosen!r}: the sheet has no header in its first row; choose the "
            "sheet that holds the answers, with the questions in its first row."
        )
    body = pd.DataFrame(rows[1:], columns=range(len(rows[0])))
    body.index = body.index + first + 1
    # an empty cell is missing in any column that is not numbers (object or pandas' own str)
    for column in body.columns[~body.dtypes.map(pd.api.types.is_numeric_dtype)]:
        body[column] = body[column].replace("", None)
    return chosen, list(rows[0]), body.dropna(how="all")
