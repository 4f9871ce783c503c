"""Issue 23, faults a hostile tester found in the merged reader, as rules for any tool: scores
written out of a top, titles whose scale the answers contradict, fact columns taken for a weak
mapping, scale notes that counted dropped rows, notes said twice on the command line, ids written
with an apostrophe, a timestamp called ignored while it picked the latest answer, ties between
equal times, and times written as numbers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.cli import main
from advisor.files.notes import COMMAND_LINE
from advisor.files.reading import read_survey
from advisor.files.rows import numeric_times
from advisor.files.template import vocabulary
from tests.advisor.files.test_long_tail import PROPERTY
from tests.advisor.files.tool_exports import CATALOG, CRITERIA

WORDS = vocabulary(CATALOG)


def read(data: bytes, name: str = "s.csv", **kwargs):
    return read_survey(data, CRITERIA, name=name, vocabulary=WORDS, **kwargs)


def csv_bytes(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


def kind(imported, name: str) -> list:
    return [n for n in imported.notes if n.kind == name]


# --- 1. a score written out of a top: "9/10", "8 out of 10", "4/5", "3 out of 5" ---------------


def test_scores_out_of_a_top_are_read_on_the_scale_they_state_with_one_note() -> None:
    rows = [
        ["client_id", "relaxation", "pain_relief", "wellbeing"],
        ["a", "9/10", "8 out of 10", "4/5"],
        ["b", "3 out of 5", "7 / 10", "2/10"],
        ["c", "5/10", "1/10", "10/10"],
    ]
    imported = read(csv_bytes(rows))
    assert imported.frame["relaxation"].tolist() == [9.0, 6.0, 5.0]
    assert imported.frame["pain_relief"].tolist() == [8.0, 7.0, 1.0]
    assert imported.frame["wellbeing"].tolist() == [8.0, 2.0, 10.0]
    assert kind(imported, "faults") == [] and kind(imported, "no_answers") == []
    (note,) = kind(imported, "scale")
    assert note.text == (
        "9 answers are written as a score out of a top, such as '9/10' and '3 out of 5'. They "
        "are in 3 columns: 'relaxation', 'pain_relief' and 'wellbeing'. Each is read on the "
        "scale it gives, as a share of 10: 9/10 = 9 and 3 out of 5 = 6."
    )


@PROPERTY
@given(
    scores=st.lists(st.tuples(st.integers(0, 10), st.sampled_from([5, 10])), min_size=2),
    form=st.sampled_from(["{}/{}", "{} / {}", "{} out of {}", "{} OUT OF {}"]),
)
def test_any_score_out_of_a_top_is_that_share_of_ten(scores, form) -> None:
    scores = [(min(n, top), top) for n, top in scores]
    rows = [["client_id", "relaxation"]]
    rows += [[f"c{i}", form.format(n, top)] for i, (n, top) in enumerate(scores)]
    imported = read(csv_bytes(rows))
    expected = [n * 10 / top for n, top in scores]
    assert np.allclose(imported.frame["relaxation"].to_numpy(float), expected)
    assert len(kind(imported, "scale")) == 1


def test_a_score_over_its_top_is_a_faulty_cell_not_read() -> None:
    rows = [["client_id", "relaxation", "pain_relief"], ["a", "11/10", "4/5"], ["b", "9/10", 5]]
    imported = read(csv_bytes(rows))
    assert np.isnan(imported.frame["relaxation"][0]) and imported.frame["relaxation"][1] == 9
    assert imported.frame["pain_relief"].tolist() == [8.0, 5.0]
    assert "'11/10' (row 2, column 'relaxation')" in kind(imported, "faults")[0].text


# --- 2. a title's scale that the answers contradict ---------------------------------------------


def test_titles_whose_scale_the_answers_go_past_are_named_with_the_scale_used() -> None:
    rows = [
        ["client_id", "Relaxation (1-5)", "Pain relief (1-5)", "wellbeing"],
        ["a", 9, 8, 10],
        ["b", 3, 7, 2],
        ["c", 5, 1, 1],
    ]
    imported = read(csv_bytes(rows))
    assert imported.scale.key == "1-10"
    notes = kind(imported, "scale")
    assert notes[1].worded(COMMAND_LINE) == (
        "the answers in 2 columns do not match the scale their title gives: 'Relaxation (1-5)' "
        "(the title says 1-5; its answers run 3-9) and 'Pain relief (1-5)' (the title says "
        "1-5; its answers run 1-8). All answers were read as numbers 1-10. If that is wrong, "
        "choose the scale (command line: --scale)."
    )
    assert notes[1].columns == ("Relaxation (1-5)", "Pain relief (1-5)")


def test_a_title_of_another_scale_than_the_one_used_is_named_the_other_way_round() -> None:
    # a (0-10) title among 1-5 ones: the 1-5 titles decide nothing (they differ), so the answers
    # decide 1-10, which neither title says
    rows = [["client_id", "Relaxation (0-10)", "Pain relief (1-5)"], ["a", 1, 5], ["b", 10, 2]]
    imported = read(csv_bytes(rows))
    (_, note) = kind(imported, "scale")
    assert note.columns == ("Relaxation (0-10)", "Pain relief (1-5)")
    assert note.text.startswith("the answers in 2 columns do not match the scale their title")


def test_titles_that_agree_with_the_scale_used_say_nothing_more() -> None:
    rows = [["client_id", "Relaxation (1-5)", "Pain relief (1-5)"], ["a", 5, 2], ["b", 3, 4]]
    assert len(kind(read(csv_bytes(rows)), "scale")) == 1  # the scale note alone


# --- 3. a fact about the client is an ignored column, never a weak mapping -----------------------


@pytest.mark.parametrize("title", ["Age", "age (years)", "Visits this year", "Price paid"])
def test_a_fact_column_is_ignored_and_no_weak_mapping(title: str) -> None:
    rows = [["client_id", title, "relaxation", "pain_relief"]]
    rows += [["a", 34, 9, 8], ["b", 51, 3, 7], ["c", 45, 5, 1], ["d", 29, 2, 2]]
    imported = read(csv_bytes(rows))
    assert kind(imported, "mapping") == []
    assert f"columns that match no criterion, left out: {title}." in imported.problems


def test_a_question_like_column_beside_a_fact_is_still_a_weak_mapping() -> None:
    rows = [["client_id", "Age", "Q7", "relaxation"], ["a", 34, 4, 9], ["b", 51, 5, 3]]
    (note,) = kind(read(csv_bytes(rows)), "mapping")
    assert note.columns == ("Q7",)


def test_an_unread_column_of_scores_out_of_a_top_is_a_weak_mapping() -> None:
    rows = [["client_id", "Q7", "relaxation"], ["a", "4/5", 9], ["b", "9 out of 10", 3]]
    (note,) = kind(read(csv_bytes(rows)), "mapping")
    assert note.columns == ("Q7",)


# --- 4. scale notes count the rows kept ---------------------------------------------------------


def test_the_scale_notes_count_only_the_rows_kept() -> None:
    numbered = ["1 - Not at all important", "5 - Slightly important", "3 - Moderately important"]
    rows = [["client_id", "relaxation", "pain_relief"]]
    rows += [["a", "4 - Very important", "2 - Slightly important"]]
    rows += [["b", numbered[2], "5 - Extremely important"]]
    rows += [["c", "1 - Not at all important", "3 - Moderately important"]]
    rows += [["a", numbered[1], "4 - Very important"]]  # a's earlier answer is row 2: dropped
    rows += [["d", "2 - Slightly important", "5 - Extremely important"]]
    rows[1] = ["a", numbered[1], "1 - Not at all important"]  # out of step, in the dropped row
    imported = read(csv_bytes(rows))
    assert imported.rows_kept == 4
    steps = [n for n in kind(imported, "scale") if "does not follow" in n.text]
    assert [n.rows for n in steps] == [(5,)]  # the kept row 5 only, not the dropped row 2
    assert steps[0].text.startswith("1 answer has a number that does not follow")


def test_the_out_of_a_top_note_counts_only_the_rows_kept() -> None:
    rows = [["client_id", "relaxation", "pain_relief"]]
    rows += [["a", "9/10", "8/10"], ["b", "3/10", "4/10"], ["a", "2/10", "1/10"]]
    rows += [["Average", "5/10", "4/10"]]
    imported = read(csv_bytes(rows))
    assert imported.rows_kept == 2
    (note,) = [n for n in kind(imported, "scale") if "out of a top" in n.text]
    assert note.text.startswith("4 answers are written as a score out of a top")
    assert note.rows == (3, 4)


def test_the_scale_doubt_looks_at_the_rows_kept() -> None:
    # kept answers run 1-5; the dropped earlier answer of a and the Average row hold 9
    rows = [["client_id", "relaxation", "pain_relief"]]
    rows += [["a", 9, 9], ["b", 1, 5], ["c", 3, 4], ["a", 2, 2], ["Average", 9, 9]]
    (note,) = kind(read(csv_bytes(rows)), "scale")
    assert note.text.startswith("answers run 1-5, read on the app's own 0-10 scale (5 = 5)")


def test_the_decimal_comma_note_counts_only_the_rows_kept() -> None:
    rows = [["client_id", "relaxation", "pain_relief"]]
    rows += [["a", "7,5", "2,5"], ["b", "3", "4"], ["a", "8,5", "6"], ["Average", "6,3", "4,2"]]
    imported = read(csv_bytes(rows))
    assert imported.rows_kept == 2
    (note,) = [n for n in imported.notes if "decimal comma" in n.text]
    assert note.text == (
        "1 answer is written with a decimal comma, such as 7,5, and read as a decimal "
        "(7,5 = 7.5), in 1 column: 'relaxation'."
    )


# --- 5. the command line says each thing once ---------------------------------------------------


def test_the_command_line_names_ignored_and_personal_columns_once(capsys, tmp_path) -> None:
    survey = tmp_path / "form.csv"
    survey.write_text(
        "Timestamp,Email,Age,client_id,relaxation,pain_relief\n"
        "2025-06-10 09:00,a@b.c,34,A,9,8\n2025-06-11 09:00,d@e.f,51,B,3,7\n"
        "2025-06-12 09:00,a@b.c,34,A,5,1\n"
    )
    assert main(["score", str(survey), "-o", str(tmp_path / "out.csv")]) == 0
    out, err = capsys.readouterr()
    assert "ignored" not in err and "personal" not in err and "Age" not in err
    assert "Email" not in err and err.count("Timestamp") == 1  # the repeats note: by 'Timestamp'
    assert "  'Age' -> ignore  [matches no criterion]" in out
    assert "  'Email' -> personal  [looks personal (a name, email or phone number); never " in out
    assert (
        "  'Timestamp' -> ignore  [not scored, but its times picked each client's latest "
        "answer]" in out
    )


def test_a_repeated_header_of_an_ignored_column_is_still_said(capsys, tmp_path) -> None:
    survey = tmp_path / "form.csv"
    survey.write_text("client_id,Comment,Comment,relaxation\nA,ok,fine,9\n")
    assert main(["score", str(survey), "-o", str(tmp_path / "out.csv")]) == 0
    err = capsys.readouterr().err
    assert "warning: the header row has column Comment more than once; the first one" in err
    assert "ignored" not in err


def test_a_refused_file_names_its_ignored_columns_on_stderr(capsys, tmp_path) -> None:
    survey = tmp_path / "form.csv"
    survey.write_text("Age,client_id,relaxation\n34,A,x\n")
    assert main(["score", str(survey), "-o", str(tmp_path / "out.csv")]) == 2
    assert "warning: columns that match no criterion, left out: Age." in capsys.readouterr().err


# --- 6. ids a spreadsheet would run as a formula --------------------------------------------------


def test_ids_written_with_an_apostrophe_are_said_in_one_note(tmp_path) -> None:
    rows = [["client_id", "relaxation"], ["=A", 9], ["+B", 3], ["-C", 5], ["@D", 2], ["E", 3]]
    imported = read(csv_bytes(rows))
    (note,) = [n for n in imported.notes if "apostrophe" in n.text]
    assert note.text == (
        "4 client ids in column 'client_id' start with =, +, - or @: '=A', '+B', '-C' and 1 "
        "more. A spreadsheet would run such an id as a formula. So in every file the app "
        "writes, each gets an apostrophe in front, which a spreadsheet shows as text: '=A' is "
        'written "\'=A".'
    )
    assert note.values == ("=A", "+B", "-C", "@D")
    out = tmp_path / "out.csv"
    assert main(["score", str(_write(tmp_path, rows)), "-o", str(out)]) == 0
    assert pd.read_csv(out)["client_id"].tolist() == ["'=A", "'+B", "'-C", "'@D", "E"]


def test_an_id_the_file_already_wrote_with_its_apostrophe_needs_no_note() -> None:
    rows = [["client_id", "relaxation"], ["'=A", 9], ["B", 3]]
    imported = read(csv_bytes(rows))
    assert imported.frame["client_id"].tolist() == ["=A", "B"]
    assert not [n for n in imported.notes if "apostrophe" in n.text]


def _write(folder: Path, rows: list[list[object]]) -> Path:
    path = folder / "ids.csv"
    path.write_bytes(csv_bytes(rows))
    return path


# --- 7. the timestamp that picked the latest answer is not called ignored ----------------------


def test_a_timestamp_used_for_repeats_is_not_listed_as_ignored() -> None:
    rows = [["client_id", "Timestamp", "Comment", "relaxation"]]
    rows += [["A", "2025-06-10 09:00", "ok", 9], ["A", "2025-06-11 09:00", "ok", 5]]
    imported = read(csv_bytes(rows))
    assert imported.timestamp == "Timestamp"
    assert "columns that match no criterion, left out: Comment." in imported.problems
    (note,) = kind(imported, "repeats")
    assert "the latest answer is kept (by 'Timestamp')" in note.text


def test_a_timestamp_not_used_is_listed_as_ignored() -> None:
    rows = [["client_id", "Timestamp", "relaxation"], ["A", "2025-06-10", 9]]
    rows.append(["B", "2025-06-11", 5])
    imported = read(csv_bytes(rows))
    assert imported.timestamp is None
    assert "columns that match no criterion, left out: Timestamp." in imported.problems
    rows.append(["A", "2025-06-12", 3])  # a repeat, but every answer kept: no time was used
    imported = read(csv_bytes(rows), keep_repeats=True)
    assert "columns that match no criterion, left out: Timestamp." in imported.problems


# --- 8. equal times: the tie is broken by file order, and said -----------------------------------


def test_a_tie_between_equal_times_is_broken_by_file_order_and_said() -> None:
    rows = [["client_id", "Timestamp", "relaxation"]]
    rows += [["A", "2025-06-10 09:00", 9], ["B", "2025-06-10 09:00", 3]]
    rows += [["A", "2025-06-11 09:00", 5], ["B", "2025-06-10 09:00", 2]]
    imported = read(csv_bytes(rows))
    assert imported.frame.set_index("client_id")["relaxation"].to_dict() == {"A": 5.0, "B": 2.0}
    (note,) = kind(imported, "repeats")
    assert (
        "rows 3 and 5 of 'B' have the same latest time, so the tie was broken by file order: "
        "the last, row 5, is kept" in note.text
    )
    assert "of 'A'" not in note.text


# --- 9. times written as numbers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "later", "how"),
    [
        ("45678.52", "45679.1", "spreadsheet date numbers, so 45679.1 is 22 January 2025 02:24"),
        ("1717000000", "1718000000", "Unix times in seconds (UTC), so 1718000000 is 10 June"),
        ("1717000000000", "1718000000000", "Unix times in milliseconds (UTC), so 1718000000000"),
    ],
)
def test_times_written_as_numbers_are_read_and_said(earlier: str, later: str, how: str) -> None:
    rows = [["client_id", "Timestamp", "relaxation"]]
    rows += [["A", later, 9], ["B", earlier, 3], ["A", earlier, 5]]
    imported = read(csv_bytes(rows))
    assert imported.frame.set_index("client_id")["relaxation"].to_dict() == {"A": 9.0, "B": 3.0}
    (note,) = kind(imported, "repeats")
    assert f"(by 'Timestamp'; times read as {how}" in note.text
    assert "no row of" not in note.text


def test_a_workbook_number_column_is_read_as_spreadsheet_dates() -> None:
    stamps = numeric_times(pd.Series([45678.5, 45679.0, None]))
    assert stamps is not None
    assert stamps.stamps.tolist()[:2] == [
        pd.Timestamp("2025-01-21 12:00"),
        pd.Timestamp("2025-01-22 00:00"),
    ]


@pytest.mark.parametrize(
    "cells",
    [
        ["45678.52", "1718000000"],  # two kinds in one column
        ["45678.52", "yesterday"],  # a cell that is no number
        ["3", "7"],  # numbers of no kind of time
    ],
)
def test_a_column_not_wholly_of_one_kind_of_number_is_not_read_as_times(cells) -> None:
    assert numeric_times(pd.Series(cells)) is None


# --- the trial of stop 33: digits of other scripts, and one row's grammar ---------------------


@pytest.mark.parametrize(
    ("cells", "weights"),
    [
        (["\u0668", "\u0667", "\u0663"], [8.0, 7.0, 3.0]),  # Arabic-Indic digits
        (["\u06f9", "\u06f5", "\u06f0"], [9.0, 5.0, 0.0]),  # Persian (extended Arabic-Indic)
        (["\uff18", "\uff17\uff0e\uff15", "\uff11\uff10"], [8.0, 7.5, 10.0]),  # full-width
        (["\u0967", "\u096b", "\u096f"], [1.0, 5.0, 9.0]),  # Devanagari
        (["\u0667\u066b\u0665", "\u0669", "\u0662"], [7.5, 9.0, 2.0]),  # Arabic decimal mark
    ],
)
def test_digits_of_any_script_are_read_as_the_numbers_they_are(cells, weights) -> None:
    rows = [["client_id", "relaxation"], *[[f"c{i}", v] for i, v in enumerate(cells)]]
    imported = read(csv_bytes(rows))
    assert imported.frame["relaxation"].tolist() == weights
    assert kind(imported, "faults") == [] and kind(imported, "blanks") == []


def test_full_width_percentages_are_read_on_0_to_100() -> None:
    rows = [["client_id", "relaxation"], ["a", "\uff18\uff10\uff05"], ["b", "\u0663\u0660\u066a"]]
    imported = read(csv_bytes(rows))
    assert imported.frame["relaxation"].tolist() == [8.0, 3.0]
    assert imported.scale.key == "0-100"


def test_a_word_answer_in_full_width_letters_is_still_no_number() -> None:
    rows = [["client_id", "relaxation", "pain_relief"], ["a", "\uff58", "\uff15"], ["b", "7", "2"]]
    imported = read(csv_bytes(rows))
    assert np.isnan(imported.frame["relaxation"].iloc[0])
    assert imported.frame["pain_relief"].tolist() == [5.0, 2.0]
