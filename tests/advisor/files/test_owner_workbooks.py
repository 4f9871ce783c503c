"""Real .ods and .xls workbooks, and .xlsx formulas saved without a result, through read_survey."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from advisor.errors import InputFileError
from advisor.files import workbook
from advisor.files.notes import COMMAND_LINE
from advisor.files.reading import SurveyImport, read_survey
from tests.advisor.files.survey_workbooks import (
    HEADER,
    IDS,
    MISSING_NOTE,
    PERSONAL_NOTE,
    QUESTION,
    ROWS,
    SCALE_NOTE,
    WEIGHTS,
    WRITERS,
    edit_parts,
    write_xlsx,
)
from tests.corpus.files import CRITERIA

SHEETS = {"ods": "Responses", "xls": "Réponses"}  # a non-ASCII name in the old binary format


def read_path(path: Path, sheet: str | None) -> SurveyImport:
    return read_survey(path.read_bytes(), CRITERIA, name=path.name, sheet=sheet)


@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_a_survey_on_the_second_sheet_reads_with_ids_weights_and_notes(
    tmp_path: Path, kind: str
) -> None:
    sheet = SHEETS[kind]
    imported = read_path(WRITERS[kind](tmp_path, sheet), sheet)
    frame = imported.frame
    assert frame["client_id"].tolist() == IDS  # 1001 stored as a number reads as "1001"
    assert {cid: frame[cid].tolist() for cid in WEIGHTS} == WEIGHTS
    assert (frame.drop(columns=["client_id", *WEIGHTS]) == 0).all().all()
    assert imported.scale.key == "1-5"
    assert (imported.rows_read, imported.rows_dropped) == (3, 0)
    assert imported.source == f"survey.{kind}, sheet {sheet!r}"
    assert imported.problems == [PERSONAL_NOTE, MISSING_NOTE + ".", SCALE_NOTE]
    assert imported.mapping == {
        "Client ID": "client_id",
        "Email": "personal",
        QUESTION.format("Relaxation"): "relaxation",
        QUESTION.format("Pain relief"): "pain_relief",
        QUESTION.format("Injury recovery"): "injury_recovery",
    }


@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_without_a_sheet_the_best_matching_one_is_read_and_named(tmp_path: Path, kind: str) -> None:
    sheet = SHEETS[kind]
    imported = read_path(WRITERS[kind](tmp_path, sheet), None)
    assert imported.sheet == sheet
    assert imported.frame["client_id"].tolist() == IDS
    assert imported.notes[0].kind == "sheet"
    assert imported.worded(COMMAND_LINE)[0] == (
        f"sheet {sheet!r} was read: its columns match the criteria best (3 criteria); the "
        "other sheet is 'Notes'. To read another, choose the sheet (command line: --sheet)."
    )


@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_a_sheet_that_matches_nothing_is_refused_naming_the_sheets(
    tmp_path: Path, kind: str
) -> None:
    path = WRITERS[kind](tmp_path, SHEETS[kind])
    with pytest.raises(InputFileError) as raised:
        read_path(path, "Notes")
    message = str(raised.value)
    assert message.startswith(
        f"survey.{kind}, sheet 'Notes': no column could be matched to a criterion;"
    )
    assert message.endswith(
        f"the workbook's sheets are 'Notes', {SHEETS[kind]!r}, so choose the one that holds the "
        "answers (command line: --mapping, --header-row or --sheet)."
    )


@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_an_empty_answer_is_reported_by_sheet_row_and_column(tmp_path: Path, kind: str) -> None:
    # the .ods is zipped like an .xlsx: its empty cell must not be taken for a formula
    rows = [ROWS[0], [*ROWS[1][:3], None, *ROWS[1][4:]], ROWS[2]]
    sheet = SHEETS[kind]
    imported = read_path(WRITERS[kind](tmp_path, sheet, rows), sheet)
    # a blank answer: the client is kept and scored on the other two
    assert imported.frame["client_id"].tolist() == IDS
    assert np.isnan(imported.frame.at[1, "pain_relief"])
    assert imported.problems[-1] == (
        "1 answer was left blank by 1 client (row 3 (1)); each is scored on the questions they "
        "answered, and a blank counts in no average."
    )


# --- formulas saved without their result (.xlsx) ---------------------------------------------

FORMULA_ROWS: list[list[object]] = [
    ["C-001", "ana@example.org", 5, "=D2-4", 2],  # sheet row 2 (the table starts in column B)
    ["0042", "ben@example.org", 1, 5, 4],
    ["C-003", "cy@example.org", None, 4, 5],  # truly empty
    [None, None, None, None, None],  # a blank row 5
    ["C-006", "di@example.org", "=D3+2", 3, "=SUM(D3:E3)"],
]


FIX = (
    "open the file in a spreadsheet program and save it again (which computes the formula), "
    "or export the sheet as CSV."
)


def test_a_formula_without_a_saved_result_is_named_as_such(tmp_path: Path) -> None:
    imported = read_path(write_xlsx(tmp_path, "Answers", FORMULA_ROWS, column=2), "Answers")
    assert imported.problems[-2:] == [
        "3 answers could not be read, so they count as blank and each client is scored on the "
        "other answers (3 formulas with no saved result): '=D2-4' (row 2, "
        f"column {HEADER[3]!r}), '=D3+2' (row 6, column {HEADER[2]!r}) and '=SUM(D3:E3)' (row 6, "
        f"column {HEADER[4]!r}); expected numbers 1-5; " + FIX,
        # C-003's truly empty cell is a blank answer: kept, scored on the other two
        "1 answer was left blank by 1 client (row 4 (1)); each is scored on the questions they "
        "answered, and a blank counts in no average.",
    ]
    # a formula with no saved result counts as blank: C-001 and C-006 are scored on the rest
    assert imported.frame["client_id"].tolist() == ["C-001", "0042", "C-003", "C-006"]
    frame = imported.frame.set_index("client_id")
    assert frame.loc["0042", "pain_relief"] == 10.0
    assert np.isnan(frame.loc["C-001", "pain_relief"]) and frame.loc["C-001", "relaxation"] == 10.0
    assert frame.loc["C-006", ["relaxation", "pain_relief", "injury_recovery"]].tolist() == [
        pytest.approx(np.nan, nan_ok=True),
        5.0,
        pytest.approx(np.nan, nan_ok=True),
    ]


def test_a_shared_formula_is_named_without_its_text(tmp_path: Path) -> None:
    # a formula shared with an earlier cell keeps its text there, in another cell
    data = write_xlsx(tmp_path, "Answers", FORMULA_ROWS, column=2).read_bytes()
    data = edit_parts(data, {b"<f>D2-4</f>": b'<f t="shared" si="0"/>'})
    imported = read_survey(data, CRITERIA, name="survey.xlsx", sheet="Answers")
    assert imported.problems[-2].startswith(
        "3 answers could not be read, so they count as blank and each client is scored on the "
        f"other answers (3 formulas with no saved result): (row 2, column {HEADER[3]!r}), '=D3+2'"
    )


def test_formulas_are_looked_up_once_and_only_for_an_empty_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[str] = []
    sheet_xml = workbook._sheet_xml

    def counting(data: bytes, sheet: str) -> bytes | None:
        looked_up.append(sheet)
        return sheet_xml(data, sheet)

    monkeypatch.setattr(workbook, "_sheet_xml", counting)
    # a formula without a result in the email column, every answer given: nothing looked up
    rows = [[*ROWS[0][:1], "=LOWER(B2)", *ROWS[0][2:]], *ROWS[1:]]
    imported = read_path(write_xlsx(tmp_path, "Answers", rows), "Answers")
    assert (imported.rows_dropped, looked_up) == (0, [])
    read_path(write_xlsx(tmp_path, "Answers", FORMULA_ROWS), "Answers")
    assert looked_up == ["Answers"]


def test_spreadsheet_error_cells_are_named_as_such(catalog) -> None:
    import io

    from openpyxl import Workbook

    from advisor.files.reading import read_survey

    book = Workbook()
    sheet = book.active
    sheet.title = "Answers"
    sheet.append(["client_id", "relaxation"])
    sheet.append(["a", "#N/A"])  # openpyxl writes a known error code as an error cell
    sheet.append(["b", 5])
    sheet.append(["c", "#DIV/0!"])
    buffer = io.BytesIO()
    book.save(buffer)
    imported = read_survey(buffer.getvalue(), catalog.criterion_ids, name="errors.xlsx")
    assert imported.frame["client_id"].tolist() == ["b"]
    assert imported.problems[-2:] == [
        "2 answers could not be read, so they count as blank and each client is scored on the "
        "other answers (2 spreadsheet errors): '#N/A' (row 2, column 'relaxation') and "
        "'#DIV/0!' (row 4, column 'relaxation'); expected numbers 0-10 (the app's own); correct "
        "the formula or the value in the spreadsheet and save the file again.",
        # their only answer cannot be read: a and c are left out, named once
        "2 rows have no answer that could be read and were left out: rows 2 and 4.",
    ]
