"""Every client text reads at Flesch-Kincaid grade 8 or lower (IPDAS), measured with textstat.

The unit, what is left out and why are in devtools/readability.py. On failure the message names
the worst blocks and sentences with their grade and where they come from. The figures for a note:
`python -m devtools.readability`.
"""

from __future__ import annotations

import pytest

from advisor.catalog import DATA_DIR
from devtools.readability import (
    CLIENT_TEXT,
    MAX_GRADE,
    MIN_WORDS,
    NOT_CLIENT_TEXT,
    Block,
    clean,
    explanation_blocks,
    gather,
    judge,
    list_items,
    pdf_blocks,
    report,
    text_columns,
)

HARD = (
    "Practitioners usually have advanced training in assessing and treating medical conditions "
    "and injuries, and often work alongside healthcare professionals."
)
EASY = "It should not hurt much. If it does, say so and ask for lighter pressure at any time."


def test_every_text_column_of_the_data_is_judged_or_left_out_with_a_reason():
    found = text_columns(DATA_DIR)
    unclassified = [
        f"{name}: {column}"
        for name, columns in found.items()
        for column in columns
        if column not in CLIENT_TEXT.get(name, ()) and column not in NOT_CLIENT_TEXT.get(name, {})
    ]
    assert unclassified == []
    for name, columns in CLIENT_TEXT.items():
        assert set(columns) <= set(found.get(name, ())), name


def test_the_measure_fails_hard_prose_and_passes_plain_prose():
    (hard,) = judge([Block("here", HARD)])
    assert hard.grade > MAX_GRADE and hard.words >= MIN_WORDS
    (easy,) = judge([Block("here", EASY)])
    assert easy.grade <= MAX_GRADE
    # the report names the failing sentence and where it comes from
    text = report([Block("data/x.csv, column y", HARD)])
    assert f"{hard.grade:5.1f}  data/x.csv, column y: Practitioners usually" in text


def test_short_texts_are_judged_together_not_one_by_one():
    findings = judge([Block("labels", "Range of motion"), Block("labels", "Calming ambience")])
    (pool,) = findings
    assert pool.origin == "labels (its 2 short texts pooled)"
    assert pool.text == "Range of motion. Calming ambience."


@pytest.mark.parametrize(
    ("raw", "prose"),
    [
        ("**Why** it fits *(source: Treatment Focus)*", "Why it fits"),
        ("See [the NHS page](https://www.nhs.uk/x) now.", "See the NHS page now."),
        ("A fact. *Source: [AMTA](http://a.example), undated; read on 5 May 2026.*", "A fact."),
        (":material/home: Start here", "Start here"),
        ("Risk (Source: NHS: High temperature (fever) in adults)", "Risk"),
    ],
)
def test_clean_keeps_the_prose_only(raw, prose):
    assert clean(raw) == prose


def test_a_list_written_as_a_sentence_is_read_item_by_item():
    items = list_items("Relaxation 7; Pain relief 2; Range of motion 5; Calming ambience 9.")
    assert items == ["Relaxation 7", "Pain relief 2", "Range of motion 5", "Calming ambience 9."]
    assert list_items(EASY) is None


def test_the_explanation_and_the_pdf_are_gathered(catalog):
    explained = explanation_blocks(catalog, count=20)
    fields = {block.origin for block in explained}
    assert {"explanation: verdict", "explanation: firmness", "explanation: changes"} <= fields
    printed = {block.text for block in pdf_blocks(catalog, count=3)}
    assert "Notes from your therapist" in printed


def test_every_client_text_reads_at_grade_8_or_lower(catalog):
    found = gather(catalog, DATA_DIR)
    origins = {block.origin.split(",")[0] for block in found}
    for page in ("start", "compare", "find_my_massage", "method"):
        assert f"page {page}" in origins
    assert "PDF take-away" in origins and "data/experience.csv" in origins
    failing = [f for f in judge(found) if f.grade > MAX_GRADE]
    assert failing == [], report(found)
