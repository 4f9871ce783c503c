"""advisor.files.template: the 13 questions, the vocabulary, the template (CSV, .xlsx, text)."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook

from advisor.catalog import Catalog
from advisor.files.mapping import CLIENT, propose
from advisor.files.template import (
    ANSWER_SCALE,
    questions,
    questions_csv,
    questions_frame,
    questions_text,
    template_xlsx,
    vocabulary,
)
from advisor.files.workbook import open_workbook, read_sheet

FIRST = "How important is it that the massage treats a health condition?"
LAST = "How important are long and unhurried sessions?"
# The one question with commas in it: the CSV must quote it.
AMBIENCE = "How important is a calming ambience (dim light, soft music, a calm room)?"


def test_questions_one_per_criterion_in_catalog_order(catalog: Catalog) -> None:
    found = questions(catalog)
    assert tuple(found) == catalog.criterion_ids
    assert len(found) == 13
    assert found["health_condition"] == FIRST
    assert found["relaxation"] == "How important is relaxation?"
    assert found["calming_ambience"] == AMBIENCE
    assert found["long_indulgent"] == LAST


def test_vocabulary_holds_ids_labels_and_questions(catalog: Catalog) -> None:
    found = vocabulary(catalog)
    assert found.criterion_ids == catalog.criterion_ids
    assert found.id_column == CLIENT
    assert found.labels["pain_relief"] == "Pain relief"
    assert found.labels["care_team"] == "Part of my care plan"
    assert found.questions == questions(catalog)


def test_the_template_questions_are_proposed_as_their_criteria(catalog: Catalog) -> None:
    proposals = propose(list(questions(catalog).values()), vocabulary(catalog))
    assert [p.target for p in proposals] == list(catalog.criterion_ids)
    assert {p.reason for p in proposals} == {"the survey template's question"}


def test_questions_frame(catalog: Catalog) -> None:
    frame = questions_frame(catalog)
    assert list(frame.columns) == ["column", "question", "answer"]
    assert frame["column"].tolist() == list(catalog.criterion_ids)
    assert frame["question"].tolist() == list(questions(catalog).values())
    assert set(frame["answer"]) == {ANSWER_SCALE}


def test_questions_csv_reads_back_as_the_frame(catalog: Catalog) -> None:
    data = questions_csv(catalog)
    assert data.startswith(b"column,question,answer\nhealth_condition,")
    assert f'calming_ambience,"{AMBIENCE}",'.encode() in data
    back = pd.read_csv(io.BytesIO(data), dtype=str)
    pd.testing.assert_frame_equal(back, questions_frame(catalog))


def test_template_xlsx_has_answers_first_then_questions(catalog: Catalog) -> None:
    book = load_workbook(io.BytesIO(template_xlsx(catalog)))
    assert book.sheetnames == ["Answers", "Questions"]
    answers = list(book["Answers"].iter_rows(values_only=True))
    assert answers == [(CLIENT, *catalog.criterion_ids)]
    rows = list(book["Questions"].iter_rows(values_only=True))
    assert rows[0] == ("column", "question", "answer")
    assert rows[1] == ("health_condition", FIRST, ANSWER_SCALE)
    assert rows[-1] == ("long_indulgent", LAST, ANSWER_SCALE)
    assert len(rows) == 14


def test_template_xlsx_reads_back_through_the_workbook_reader(catalog: Catalog) -> None:
    book = open_workbook(template_xlsx(catalog), "template.xlsx")
    sheet, header, body, *_ = read_sheet(book, "template.xlsx", None, 10)
    assert (sheet, header) == ("Answers", [CLIENT, *catalog.criterion_ids])
    assert body.empty


def test_questions_text(catalog: Catalog) -> None:
    text = questions_text(catalog)
    lines = text.split("\n")
    assert lines[:3] == [
        "Answer each question from 0 to 10 (0 = not important at all, 10 = most important).",
        "",
        f"1. {FIRST}",
    ]
    assert lines[-2:] == [f"13. {LAST}", ""]
    assert len(lines) == 2 + 13 + 1
