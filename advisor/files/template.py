"""The survey template an owner gives clients: 13 questions, as CSV, .xlsx and text to paste.

The questions are `data/survey_questions.csv` (one per criterion, our own plain words); answers
run 0 to 10, the app's own scale, so a filled-in template reads with no mapping and no rescaling.
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook

from advisor.catalog import Catalog
from advisor.files.mapping import CLIENT, Vocabulary
from advisor.files.writing import to_csv_bytes

ANSWER_SCALE = "0 to 10 (0 = not important at all, 10 = most important)"


def questions(catalog: Catalog) -> dict[str, str]:
    """Criterion id -> question, in the catalog's criterion order (the loader checks that
    data/survey_questions.csv has exactly one question per criterion)."""
    asked = catalog.survey_questions["question"]
    return {c: str(asked[c]) for c in catalog.criterion_ids}


def vocabulary(catalog: Catalog) -> Vocabulary:
    """What the mapping proposal matches headers against: ids, labels, template questions."""
    labels = {c: catalog.criterion_label(c) for c in catalog.criterion_ids}
    return Vocabulary(tuple(catalog.criterion_ids), labels, questions(catalog))


def questions_frame(catalog: Catalog) -> pd.DataFrame:
    """One row per question: the column header to use, the question, the answer scale."""
    return pd.DataFrame(
        {
            "column": list(catalog.criterion_ids),
            "question": list(questions(catalog).values()),
            "answer": ANSWER_SCALE,
        }
    )


def questions_csv(catalog: Catalog) -> bytes:
    return to_csv_bytes(questions_frame(catalog))


def template_xlsx(catalog: Catalog) -> bytes:
    """A workbook: sheet Answers (client_id and one column per criterion, to fill in) first,
    then sheet Questions (what each column asks and its scale)."""
    book = Workbook(write_only=True)
    answers = book.create_sheet("Answers")
    answers.append([CLIENT, *catalog.criterion_ids])
    sheet = book.create_sheet("Questions")
    frame = questions_frame(catalog)
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def questions_text(catalog: Catalog) -> str:
    """The questions numbered, with the scale, to paste into a form builder."""
    lines = [f"Answer each question from {ANSWER_SCALE}.", ""]
    lines += [f"{i}. {q}" for i, q in enumerate(questions(catalog).values(), start=1)]
    return "\n".join(lines) + "\n"
