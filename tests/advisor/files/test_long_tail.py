"""Issue 23's long tail, as rules for any tool: a row of tool metadata under the header when few
criteria map, a weak mapping that leaves answers unread, scale hints in question titles, numbered
answer words, and decimal commas in a comma-separated file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from advisor.files.mapping import propose, scale_hint
from advisor.files.notes import COMMAND_LINE
from advisor.files.reading import read_survey
from advisor.files.template import vocabulary
from tests.advisor.files.tool_exports import CATALOG, CRITERIA, LABELS, QUESTIONS

CASES = Path(__file__).resolve().parents[2] / "fixtures" / "cases"  # copies of shared/cases

WORDS = vocabulary(CATALOG)
PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read(data: bytes, name: str = "s.csv", **kwargs):
    return read_survey(data, CRITERIA, name=name, vocabulary=WORDS, **kwargs)


def csv_bytes(rows: list[list[object]], sep: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


# --- 1. a row of tool metadata under the header, however few criteria map ----------------------

metadata = st.fixed_dictionaries(
    {"ImportId": st.from_regex(r"[A-Za-z]{2,8}[0-9]{0,3}", fullmatch=True)},
    optional={"timeZone": st.sampled_from(["America/Denver", "UTC"])},
).map(lambda d: json.dumps(d, separators=(",", ":")))


@PROPERTY
@given(
    asked=st.lists(st.sampled_from(CRITERIA), min_size=1, max_size=2, unique=True),
    answers=st.lists(st.lists(st.integers(0, 10), min_size=2, max_size=2), min_size=1, max_size=4),
    meta=st.lists(metadata, min_size=4, max_size=4),
    blank=st.integers(0, 3),
)
def test_a_metadata_row_is_skipped_however_few_criteria_map(asked, answers, meta, blank) -> None:
    header = ["ResponseId", *asked, "Comment", "Finished"]
    row = [meta[0], *meta[1 : 1 + len(asked)], meta[2], meta[3]]
    row[blank if blank < len(row) else 0] = ""  # a cell of it may be empty
    clients = [[f"R_{i}", *a[: len(asked)], "fine", "True"] for i, a in enumerate(answers)]
    imported = read(csv_bytes([header, row, *clients]), scale="0-10")
    assert imported.rows_kept == len(answers)
    assert imported.rows_read == len(answers)  # the metadata row is under the header, not read
    for j, cid in enumerate(asked):
        assert imported.frame[cid].tolist() == [float(a[j]) for a in answers]
    assert imported.notes[0].kind == "header"
    assert imported.notes[0].text.startswith(
        "the header is row 1; skipped row 2 under it, which holds labels or tool data, not "
        "answers ("
    )
    assert 2 in imported.notes[0].rows
    assert not [n for n in imported.notes if n.kind == "faults"]


def test_a_json_looking_answer_row_that_is_not_all_json_is_kept() -> None:
    data = csv_bytes([["relaxation", "note"], ['{"a":1}', "x"], ["7", "y"]])
    imported = read(data)
    assert imported.header_rows == (1,)
    assert imported.rows_read == 2  # a row with a cell that is no JSON object is a client's row


# --- 3. a scale hint in a question title ---------------------------------------------------------

HINTS = [
    "(0-10)",
    "[1-5]",
    "(1 to 7)",
    "(1 = not, 5 = very)",
    "(1 = not at all; 7 = very)",
    "[0–100]",
]


@PROPERTY
@given(
    hint=st.sampled_from(HINTS),
    form=st.sampled_from(["label", "question", "after", "bracket"]),
    which=st.sampled_from(CRITERIA),
)
def test_a_title_with_a_scale_hint_maps_to_its_criterion(hint: str, form: str, which: str) -> None:
    title = {
        "label": LABELS[which],
        "question": QUESTIONS[which],
        "after": f"How important: {LABELS[which].lower()}",
        "bracket": f"How important is each? [{LABELS[which]}]",
    }[form]
    (proposal,) = propose([f"{title} {hint}"], WORDS)
    assert proposal.target == which
    assert proposal.reason.endswith(f", the scale hint {hint!r} aside")
    assert propose([f"{title} (soon)"], WORDS)[0].target == "ignore"  # no hint, nothing taken off


def test_the_briefs_titles_map_to_their_criteria() -> None:
    titles = [
        "Pain relief (0-10)",
        "Calm ambience [1-5]",
        "How important: relaxation (1 = not, 5 = very)",
    ]
    assert [p.target for p in propose(titles, WORDS)] == [
        "pain_relief",
        "calming_ambience",
        "relaxation",
    ]
    assert [scale_hint(t) for t in titles] == ["0-10", "1-5", "1-5"]
    assert scale_hint("Relaxation (2-9)") is None  # no scale the app knows


def test_the_titles_scale_decides_when_the_answers_fit_it() -> None:
    # 1-5 questions nobody answered 1 on: on their own, the answers read as 0-10
    rows = [["client_id", "Relaxation (1-5)", "Pain relief (1-5)"], ["a", 5, 2], ["b", 3, 4]]
    imported = read(csv_bytes(rows))
    assert imported.scale.key == "1-5"
    assert imported.frame["relaxation"].tolist() == [10.0, 5.0]
    (note,) = [n for n in imported.notes if n.kind == "scale"]
    assert note.worded(COMMAND_LINE) == (
        "answers run 1-5; read as 1 = 0 and 5 = 10, the scale the question titles give "
        "('Relaxation (1-5)') (command line: --scale)."
    )
    # answers 1-10 under "(0-10)" titles are on 0-10: 1 is 1, not 0
    rows = [["client_id", "Relaxation (0-10)"], ["a", 1], ["b", 10], ["c", 4]]
    assert read(csv_bytes(rows)).frame["relaxation"].tolist() == [1.0, 10.0, 4.0]
    # an answer off the titles' scale: the titles do not decide
    rows = [["client_id", "Relaxation (1-5)"], ["a", 9], ["b", 3]]
    assert read(csv_bytes(rows)).scale.key == "0-10"


# --- 4. numbered answer words -------------------------------------------------------------------

IMPORTANCE = [
    "Not at all important",
    "Slightly important",
    "Moderately important",
    "Very important",
    "Extremely important",
]
SEPARATORS = [" - ", ". ", ": ", ") ", " = ", "\u2013", " \u2014 "]


@PROPERTY
@given(
    levels=st.lists(st.lists(st.integers(1, 5), min_size=2, max_size=2), min_size=2, max_size=6),
    separator=st.sampled_from(SEPARATORS),
    base=st.sampled_from([0, 1]),
)
def test_numbered_words_read_like_the_words_alone(levels, separator, base) -> None:
    header = ["client_id", "Relaxation", "Pain relief"]
    plain = [[f"c{i}", *(IMPORTANCE[v - 1] for v in row)] for i, row in enumerate(levels)]
    numbered = [
        [f"c{i}", *(f"{v - 1 + base}{separator}{IMPORTANCE[v - 1]}" for v in row)]
        for i, row in enumerate(levels)
    ]
    words = read(csv_bytes([header, *plain]))
    imported = read(csv_bytes([header, *numbered]))
    assert imported.scale.key == "importance"
    assert imported.frame.equals(words.frame)
    assert imported.problems == words.problems  # numbers in step with the words: no note


def test_a_number_out_of_step_with_its_word_is_named() -> None:
    rows = [
        ["client_id", "Relaxation"],
        ["a", "1 - Not at all important"],
        ["b", "5 - Very important"],  # a 5-point scale whose top is "Very important"
        ["c", "3 - Moderately important"],
        ["d", "5 - Extremely important"],
    ]
    imported = read(csv_bytes(rows))
    assert imported.frame["relaxation"].tolist() == [0.0, 7.5, 5.0, 10.0]
    (note,) = [n for n in imported.notes if n.rows == (3,)]
    assert note.text == (
        "1 answer has a number that does not follow the order of the words on the scale: "
        "'5 - Very important' (row 3, column 'Relaxation'); each is read by its word (such as "
        "Very important = 7.5), so check the answers in the survey."
    )


# --- 5. decimal commas in a comma-separated file ------------------------------------------------


@PROPERTY
@given(
    tenths=st.lists(st.lists(st.integers(0, 100), min_size=2, max_size=2), min_size=1, max_size=5)
)
def test_quoted_decimal_commas_in_a_comma_file_are_decimals(tenths) -> None:
    header = ["client_id", "relaxation", "pain_relief"]
    written = [[f"c{i}", *(f"{t // 10},{t % 10}" for t in row)] for i, row in enumerate(tenths)]
    imported = read(csv_bytes([header, *written]), scale="0-10")
    assert csv_bytes([header, *written]).count(b'"') == 4 * len(tenths)  # quoted: "7,5"
    assert imported.rows_kept == len(tenths)
    # a survey's weights are float32: the written figures, to float32's nearest
    assert imported.frame["relaxation"].tolist() == [float(np.float32(r[0] / 10)) for r in tenths]
    assert imported.frame["pain_relief"].tolist() == [float(np.float32(r[1] / 10)) for r in tenths]
    (note,) = [n for n in imported.notes if "decimal comma" in n.text]
    count = 2 * len(tenths)
    assert note.text == (
        f"{count} answers are written with a decimal comma, such as 7,5, and read as a decimal "
        "(7,5 = 7.5), in 2 columns: 'relaxation' and 'pain_relief'."
    )
    semicolon = read(csv_bytes([header, *written], sep=";"), scale="0-10")
    assert semicolon.frame.equals(imported.frame)  # as before: a semicolon file's decimal comma
    assert not [n for n in semicolon.notes if "decimal comma" in n.text]


def test_decimal_commas_with_percent_signs_and_thousands() -> None:
    rows = [["client_id", "relaxation"], ["a", "72,5%"], ["b", "10%"], ["c", "90,25%"]]
    imported = read(csv_bytes(rows))
    assert imported.scale.key == "0-100"
    assert imported.frame["relaxation"].tolist() == [7.25, 1.0, float(np.float32(9.025))]
    thousands = read(csv_bytes([["client_id", "relaxation"], ["a", "1,000"], ["b", "5"]]))
    assert thousands.rows_kept == 1  # "1,000" is no decimal: a faulty cell, named
    assert any("'1,000' (row 2, column 'relaxation')" in p for p in thousands.problems)


# --- 2. a weak mapping that leaves answers unread -----------------------------------------------

UNREAD = ["Q7", "Question 8", "Rate this (please)"]


@PROPERTY
@given(
    asked=st.integers(1, 13),
    unread=st.integers(0, 3),
    words=st.booleans(),
    answers=st.lists(st.integers(1, 5), min_size=2, max_size=5),
)
@example(asked=2, unread=0, words=False, answers=[1, 1, 1, 2, 5])  # the last adds up the rest
def test_a_weak_mapping_with_answers_left_unread_is_said(asked, unread, words, answers) -> None:
    assume(answers != [1, 2, 3, 4, 5])  # a counter (1, 2, 3, ...), not answers

    def cell(v: int) -> object:
        return IMPORTANCE[v - 1] if words else v

    header = ["client_id", *(LABELS[c] for c in CRITERIA[:asked]), *UNREAD[:unread], "Timestamp"]
    rows = [
        [f"c{i}", *[cell(v)] * asked, *[cell(v)] * unread, f"2026-06-{10 + i} 09:00"]
        for i, v in enumerate(answers)
    ]
    imported = read(csv_bytes([header, *rows]))
    notes = [n for n in imported.notes if n.kind == "mapping"]
    assert imported.rows_kept == len(answers)  # scored either way
    if asked * 2 >= 13 or not unread:
        assert notes == []
        return
    (note,) = notes
    assert note.columns == tuple(UNREAD[:unread])
    assert note.text.startswith(f"only {asked} of 13 criteria have a column, and {unread} column")
    assert note.text.endswith(
        f"If they answer questions, map each to its criterion; otherwise the clients are scored "
        f"on {asked} {'criterion' if asked == 1 else 'criteria'} only."
    )
    assert note.worded(COMMAND_LINE).endswith(" only (command line: --mapping).")


def test_a_counter_or_a_comment_column_is_not_taken_for_answers() -> None:
    rows = [["#", "relaxation", "Comment", "Score"]]
    rows += [[i + 1, 7, "lovely", 1000 + i] for i in range(5)]
    imported = read(csv_bytes(rows))
    assert not [n for n in imported.notes if n.kind == "mapping"]


def test_the_field_cases_that_ask_few_questions_are_left_alone() -> None:
    # a form that asked 3 questions (and a Timestamp), a workbook that asked 1: nothing unread
    for name, asked in [
        ("google-forms-raw-question-headers-likert-words.csv", 3),
        ("ms-forms-responses.xlsx", 1),
    ]:
        imported = read((CASES / name).read_bytes(), name)
        assert len([t for t in imported.mapping.values() if t in CRITERIA]) == asked
        assert not [n for n in imported.notes if n.kind == "mapping"], name


def test_the_command_line_says_a_weak_mapping_and_names_its_flags(capsys, tmp_path) -> None:
    from advisor.cli import main

    survey = tmp_path / "weak.csv"
    survey.write_bytes(b"client_id,Relaxation,Q7,Q8\na,9,4,5\nb,2,3,1\n")
    assert main(["score", str(survey), "-o", str(tmp_path / "s.csv")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert (
        "warning: only 1 of 13 criteria have a column, and 2 columns not read hold what look "
        "like answers: 'Q7' and 'Q8'. If they answer questions, map each to its criterion; "
        "otherwise the clients are scored on 1 criterion only (command line: --mapping)."
    ) in err
