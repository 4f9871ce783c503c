"""Real .ods and .xls workbooks, written by odfpy and xlwt, through read_survey."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.errors import InputFileError
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
    source = f"survey.{kind}, sheet {sheet!r}: "
    assert imported.problems == [
        source + PERSONAL_NOTE,
        source + MISSING_NOTE + ".",
        source + SCALE_NOTE,
    ]
    assert imported.mapping == {
        "Client ID": "client_id",
        "Email": "personal",
        QUESTION.format("Relaxation"): "relaxation",
        QUESTION.format("Pain relief"): "pain_relief",
        QUESTION.format("Injury recovery"): "injury_recovery",
    }


@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_without_a_sheet_the_first_one_is_read_and_refused_by_name(
    tmp_path: Path, kind: str
) -> None:
    path = WRITERS[kind](tmp_path, SHEETS[kind])
    with pytest.raises(InputFileError) as raised:
        read_path(path, None)
    assert str(raised.value).startswith(
        f"survey.{kind}, sheet 'Notes': no column could be matched to a criterion;"
    )


@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_an_empty_answer_is_reported_by_sheet_row_and_column(tmp_path: Path, kind: str) -> None:
    # the .ods is zipped like an .xlsx: its empty cell must not be taken for a formula
    rows = [ROWS[0], [*ROWS[1][:3], None, *ROWS[1][4:]], ROWS[2]]
    sheet = SHEETS[kind]
    imported = read_path(WRITERS[kind](tmp_path, sheet, rows), sheet)
    assert imported.frame["client_id"].tolist() == ["C-001", "1001"]
    assert imported.problems[-2:] == [
        f"survey.{kind}, sheet {sheet!r}: row 3, column {HEADER[3]}: the cell is empty.",
        f"survey.{kind}: 1 of 3 rows have a faulty cell and were left out; the other 2 are used.",
    ]
