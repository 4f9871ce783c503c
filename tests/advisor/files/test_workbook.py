"""advisor.files.workbook: telling a workbook, opening (and completing) it, reading a sheet."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from advisor.errors import InputFileError
from advisor.files.workbook import (
    FormulaCells,
    formula_cells,
    is_workbook,
    open_workbook,
    read_sheet,
)
from tests.advisor.files.survey_workbooks import edit_parts

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    """A workbook made with openpyxl: each sheet by name with its rows, in order."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def without_relationships(data: bytes) -> bytes:
    """The package as a minimal generator writes it: no relationship parts, no r:id on sheets."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for part in source.namelist():
            if part in ("_rels/.rels", "xl/_rels/workbook.xml.rels"):
                continue
            content = source.read(part)
            if part == "xl/workbook.xml":
                content = re.sub(rb' xmlns:r="[^"]*"| r:id="[^"]*"', b"", content)
            package.writestr(part, content)
    return buffer.getvalue()


SURVEY = {
    "Answers": [["client_id", "relaxation"], ["A", 5], ["B", 2.5]],
    "Notes": [["note"], ["made by hand"]],
}


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"", "answers.xlsx", True),
        (b"", "ANSWERS.XLSM", True),
        (b"", "answers.xls", True),
        (b"", "answers.ods", True),
        (b"PK\x03\x04rest", "answers.csv", True),  # a renamed .xlsx or .ods
        (OLE2 + b"rest", "answers", True),  # a renamed old .xls
        (b"client_id,relaxation\n", "answers.csv", False),
        (b"", "answers.xlsb", False),
        (b"", "answers.xlsx.csv", False),
    ],
)
def test_is_workbook(data: bytes, name: str, expected: bool) -> None:
    assert is_workbook(data, name) is expected


def test_open_workbook_lists_the_sheets_in_order() -> None:
    assert open_workbook(xlsx(SURVEY), "a.xlsx").sheet_names == ["Answers", "Notes"]


def test_open_workbook_completes_a_package_without_its_relationship_parts() -> None:
    data = without_relationships(xlsx(SURVEY))
    assert "_rels/.rels" not in zipfile.ZipFile(io.BytesIO(data)).namelist()
    book = open_workbook(data, "minimal.xlsx")
    assert book.sheet_names == ["Answers", "Notes"]
    sheet, header, body, *_ = read_sheet(book, "minimal.xlsx", "Notes", 10)
    assert (sheet, header, body[0].tolist()) == ("Notes", ["note"], ["made by hand"])


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"client_id,relaxation\n", id="text"),
        pytest.param(b"PK\x03\x04 not really a zip", id="broken-zip"),
        pytest.param(OLE2 + b"\0" * 64, id="broken-xls"),
        pytest.param(
            without_relationships(xlsx(SURVEY)).replace(b"xl/workbook.xml", b"xl/book000.xml"),
            id="zip-without-a-workbook",
        ),
    ],
)
def test_open_workbook_refuses_naming_the_file_and_the_fix(data: bytes) -> None:
    with pytest.raises(InputFileError) as raised:
        open_workbook(data, "answers.xlsx")
    message = str(raised.value)
    assert message.startswith("answers.xlsx: the file cannot be read as a workbook (")
    assert message.endswith("); open it in your spreadsheet and save it as .xlsx or as CSV UTF-8.")


def test_read_sheet_takes_the_first_sheet_by_default() -> None:
    sheet, header, body, *_ = read_sheet(open_workbook(xlsx(SURVEY), "a.xlsx"), "a.xlsx", None, 10)
    assert (sheet, header) == ("Answers", ["client_id", "relaxation"])
    # rows are numbered as in the sheet: the header is row 1; numbers come back as floats
    assert body.index.tolist() == [2, 3]
    assert body[0].tolist() == ["A", "B"]
    assert body[1].tolist() == [5.0, 2.5]


def test_read_sheet_by_name() -> None:
    book = open_workbook(xlsx(SURVEY), "a.xlsx")
    sheet, header, body, *_ = read_sheet(book, "a.xlsx", "Notes", 10)
    assert (sheet, header, body.index.tolist()) == ("Notes", ["note"], [2])


def test_read_sheet_marks_empty_cells_missing_in_mixed_columns() -> None:
    rows = [["a", "b"], [None, "y"], [2, None], ["x", 4]]
    body = read_sheet(open_workbook(xlsx({"S": rows}), "a.xlsx"), "a.xlsx", None, 10)[2]
    # both columns mix text and numbers: an empty cell is None, not ''
    assert body.to_dict() == {0: {2: None, 3: 2.0, 4: "x"}, 1: {2: "y", 3: None, 4: 4.0}}


def test_read_sheet_leaves_out_an_empty_row_among_numbers() -> None:
    book = open_workbook(xlsx({"S": [["a", "b"], [1, 2], [None, None], [3, 4]]}), "a.xlsx")
    body = read_sheet(book, "a.xlsx", None, 10)[2]
    assert body.index.tolist() == [2, 4]
    assert body.to_dict() == {0: {2: 1.0, 4: 3.0}, 1: {2: 2.0, 4: 4.0}}


def test_read_sheet_leaves_out_an_empty_row_in_a_text_column() -> None:
    rows = [["client_id", "relaxation"], ["A", 5], [None, None], ["B", 2]]
    body = read_sheet(open_workbook(xlsx({"S": rows}), "a.xlsx"), "a.xlsx", None, 10)[2]
    assert body.index.tolist() == [2, 4]
    assert body[0].tolist() == ["A", "B"]


def test_read_sheet_numbers_rows_as_the_sheet_does_below_an_empty_first_row() -> None:
    rows = [[None, None], ["client_id", "relaxation"], ["A", 5]]
    body = read_sheet(open_workbook(xlsx({"S": rows}), "a.xlsx"), "a.xlsx", None, 10)[2]
    # the header is in sheet row 2, so client A is in sheet row 3
    assert body.index.tolist() == [3]


@pytest.mark.parametrize(("max_rows", "kept"), [(1, [2, 3]), (2, [2, 3, 4]), (10, [2, 3, 4, 5])])
def test_read_sheet_reads_at_most_one_row_more_than_max_rows(
    max_rows: int, kept: list[int]
) -> None:
    # one row over the bound is read so that the caller can tell the sheet is too long
    rows = [["n"], [1], [2], [3], [4]]
    body = read_sheet(open_workbook(xlsx({"S": rows}), "a.xlsx"), "a.xlsx", None, max_rows)[2]
    assert body.index.tolist() == kept


@pytest.mark.parametrize(
    ("sheets", "sheet", "message"),
    [
        pytest.param(
            SURVEY,
            "answers",
            "a.xlsx: the workbook has no sheet named 'answers'; its sheets are 'Answers', "
            "'Notes'. Choose one of them.",
            id="unknown-sheet",
        ),
        pytest.param(
            {"Empty": [], "Answers": SURVEY["Answers"]},
            None,
            "a.xlsx, sheet 'Empty': the sheet is empty; choose the sheet that holds the answers.",
            id="empty-first-sheet",
        ),
    ],
)
def test_read_sheet_refuses_naming_file_and_sheet(
    sheets: dict[str, list[list[object]]], sheet: str | None, message: str
) -> None:
    book = open_workbook(xlsx(sheets), "a.xlsx")
    with pytest.raises(InputFileError) as raised:
        read_sheet(book, "a.xlsx", sheet, 10)
    assert str(raised.value) == message


def test_read_sheet_gives_the_sheet_column_of_the_first_column_read() -> None:
    book = Workbook()
    book.active["C3"], book.active["D3"], book.active["C4"] = "client_id", "relaxation", "A"
    buffer = io.BytesIO()
    book.save(buffer)
    read = read_sheet(open_workbook(buffer.getvalue(), "a.xlsx"), "a.xlsx", None, 10)
    assert (read.header, read.body.index.tolist(), read.first_column) == (
        ["client_id", "relaxation"],
        [4],
        3,
    )


FORMULAS = {"S": [["a", "b"], [1, "=A2*2"], [None, None], ["=A2+1", 3], [4, '=IF(A2>1,"a&b","")']]}


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(xlsx(FORMULAS), id="xlsx"),
        pytest.param(without_relationships(xlsx(FORMULAS)), id="minimal-xlsx"),
    ],
)
def test_formula_cells_finds_the_formulas_among_the_cells_asked(data: bytes) -> None:
    cells = FormulaCells(data, "S", 1)
    # (sheet row, position): B2, A3 (an empty row), A4, B5 asked; A2 and B4 are not
    assert cells.unsaved({(2, 1), (3, 0), (4, 0), (5, 1)}) == {
        (2, 1): "=A2*2",
        (4, 0): "=A2+1",
        (5, 1): '=IF(A2>1,"a&b","")',  # written IF(A2&gt;1,"a&amp;b","")
    }
    assert cells.unsaved(set()) == {}


def test_formula_cells_leaves_out_an_empty_text_result_and_gives_no_text_for_a_shared_one() -> None:
    data = xlsx({"S": [["a", "b"], [1, "=A2*2"], [2, "=A3*2"], [3, "=A4*2"]]})
    data = edit_parts(
        data,
        {
            b'<c r="B2">': b'<c r="B2" t="str">',  # saved, as empty text: not "no result"
            b"<f>A4*2</f>": b'<f t="shared" si="0"/>',  # its text is in another cell
        },
    )
    assert FormulaCells(data, "S", 1).unsaved({(2, 1), (3, 1), (4, 1)}) == {
        (3, 1): "=A3*2",
        (4, 1): "",
    }


@pytest.mark.parametrize(
    ("data", "sheet"),
    [
        pytest.param(b"PK\x03\x04 not really a zip", "S", id="broken-zip"),
        pytest.param(xlsx(FORMULAS), "Other", id="no-such-sheet"),
        pytest.param(
            edit_parts(
                xlsx(FORMULAS),
                {b'Target="/xl/worksheets/sheet1.xml"': b'Target="/xl/worksheets/sheet9.xml"'},
            ),
            "S",
            id="sheet-part-missing",
        ),
    ],
)
def test_formula_cells_finds_nothing_where_it_cannot_look(data: bytes, sheet: str) -> None:
    assert FormulaCells(data, sheet, 1).unsaved({(2, 1)}) == {}


def test_formula_cells_only_for_a_zipped_workbook() -> None:
    data = xlsx(SURVEY)  # once: a workbook's bytes hold the second it was made in
    read = read_sheet(open_workbook(data, "a.xlsx"), "a.xlsx", None, 10)
    assert formula_cells(data, read) == FormulaCells(data, "Answers", 1)
    assert formula_cells(OLE2 + b"rest", read) is None
