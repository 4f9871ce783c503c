"""The field cases of issue 23 (tests/fixtures/cases, copies of shared/cases) with their right
values, through the reader's API and through the command line (`python -m advisor score`).

Right values are those of the cases' README; where the README's match percentages cannot come
from the app's scoring formula (typeform: 59.5 vs 64.4), the best match is asserted and the
percentages are the formula's, checked against advisor.decision.scoring.score.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from advisor.catalog import Catalog, load_catalog
from advisor.cli import EXIT_USAGE, main, told_by_mapping
from advisor.clinic.menu import NAME, menu_csv, read_menu
from advisor.clinic.survey import score_survey
from advisor.decision.scoring import score
from advisor.errors import InputFileError
from advisor.files.mapping import apply_saved, read_mapping
from advisor.files.notes import COMMAND_LINE
from advisor.files.reading import CLIENT_ID, apply_mapping, read_survey, read_table
from advisor.files.template import vocabulary
from tests.advisor.files.survey_workbooks import cover_workbook

ROOT = Path(__file__).resolve().parents[3]
CASES = ROOT / "tests" / "fixtures" / "cases"
MED, SPA = "Medical massage", "Spa massage"

# Every survey case file: its clients' best matches, in file order.
BEST = {
    "excel-sep-hint-first-line.csv": {"K-101": MED, "K-102": SPA, "K-103": MED},
    "excel-mac-cr-only-line-endings.csv": {"K-101": MED, "K-102": SPA, "K-103": MED},
    "google-forms-linear-scale-1-to-5.csv": {"L-1": MED, "L-2": SPA, "L-3": MED},
    "google-forms-raw-question-headers-likert-words.csv": {"row-2": MED, "row-3": SPA},
    "windows-1252-smart-quotes-ids.csv": {
        "O\u2019Neill Zo\u00eb": MED,
        "Se\u00f1ora \u201cVIP\u201d": SPA,
    },
    "ms-forms-responses.xlsx": {"row-2": SPA},
    "surveymonkey-two-header-rows.csv": {"K-101": MED, "K-102": SPA, "K-103": MED},
    "typeform-markdown-titles.csv": {"row-2": SPA, "row-3": MED, "row-4": SPA},
    "excel-merged-title-rows.xlsx": {"M-1": MED, "M-2": SPA, "M-3": MED},
    "google-sheets-percent-strings.csv": {"P-1": MED, "P-2": SPA, "P-3": SPA},
    "excel-percent-formatted-cells.xlsx": {"E-1": MED, "E-2": SPA},
    "excel-average-row.xlsx": {"A-1": MED, "A-2": SPA, "A-3": SPA, "A-4": MED},
    "tally-resubmitted-respondent.csv": {"C-8": MED, "C-7": MED, "C-9": SPA},
    "limesurvey-code-and-text-semicolon.csv": {"row-2": MED, "row-3": SPA, "row-5": SPA},
    "google-sheets-form-responses.xlsx": {"G-31": MED, "G-32": SPA, "G-33": SPA},
}


def survey(catalog: Catalog, name: str, **kwargs):
    data = (CASES / name).read_bytes()
    return read_survey(
        data, catalog.criterion_ids, name=name, vocabulary=vocabulary(catalog), **kwargs
    )


def best(catalog: Catalog, imported) -> dict[str, str]:
    names = {t: catalog.type_name(t) for t in catalog.type_ids}
    scored = score_survey(imported.frame, catalog.fits, catalog.segment_weights, names)
    return dict(zip(scored[CLIENT_ID], scored["best_match"], strict=True))


def kinds(imported) -> list[str]:
    return [note.kind for note in imported.notes]


@pytest.mark.parametrize("name", list(BEST))
def test_every_survey_case_scores_its_right_best_matches(catalog: Catalog, name: str) -> None:
    imported = survey(catalog, name)
    assert best(catalog, imported) == BEST[name]
    assert not any("the cell is empty" in p for p in imported.problems)
    assert all(not p.startswith(name) for p in imported.problems)  # the file is named once
    for cid in catalog.criterion_ids:  # every answer read onto 0..10 (NaN: a blank)
        values = imported.frame[cid].dropna()
        assert values.between(0, 10).all(), (cid, values.tolist())


def test_typeform_formatting_is_taken_off_and_all_13_are_mapped(catalog: Catalog) -> None:
    table = read_table(
        (CASES / "typeform-markdown-titles.csv").read_bytes(), vocabulary(catalog), "t.csv"
    )
    mapped = {p.target: p.column for p in table.proposal if p.target in catalog.criterion_ids}
    assert set(mapped) == set(catalog.criterion_ids)
    assert mapped["calming_ambience"] == (
        "How important is a calming ambience (dim light, soft music, a calm room)?"
    )  # the clean title is what the owner sees
    assert mapped["pain_relief"] == "How important is relief from a pain you have now?"
    imported = survey(catalog, "typeform-markdown-titles.csv")
    assert "missing criteria" not in " ".join(imported.problems)
    third = imported.frame.iloc[2][list(catalog.criterion_ids)].to_numpy(dtype=float)
    assert third.tolist() == [4, 6, 6, 2, 5, 4, 3, 6, 4, 3, 10, 3, 5]
    result = score(third, catalog.fits)
    assert result.leader == "spa"
    assert result.match_of("spa") == pytest.approx(60.66, abs=0.01)
    assert result.match_of("medical") == pytest.approx(58.20, abs=0.01)


def test_merged_title_rows_are_skipped_and_named(catalog: Catalog) -> None:
    imported = survey(catalog, "excel-merged-title-rows.xlsx")
    assert imported.header_rows == (3,)
    assert kinds(imported) == ["header"]
    note = imported.notes[0]
    assert note.rows == (3, 1, 2)
    assert note.text.startswith(
        "the header is row 3; skipped rows 1-2 above it ('Lakeside Massage Clinic"
    )
    assert note.values[0] == "Lakeside Massage Clinic \u2013 what matters to our clients"
    forced = survey(catalog, "excel-merged-title-rows.xlsx", header_rows=[3])
    assert best(catalog, forced) == BEST["excel-merged-title-rows.xlsx"]
    assert forced.notes[0].text.startswith("the header is row 3, as chosen; skipped rows 1-2")


def test_percent_strings_are_read_on_0_100(catalog: Catalog) -> None:
    imported = survey(catalog, "google-sheets-percent-strings.csv")
    assert imported.scale.key == "0-100"
    assert imported.problems == [
        "answers run 0-100 (sliders or percentages); read as 0 = 0 and 100 = 10, so 80 or 80% is 8."
    ]
    assert imported.frame["relaxation"].tolist() == [2.0, 10.0, 7.25]
    overridden = survey(catalog, "google-sheets-percent-strings.csv", scale="0-10")
    # 90% on 0-10 is out of range: such a cell counts as blank and the owner sees why; a
    # client is scored on the answers that can be read (10% is 10, 0% is 0)
    assert overridden.rows_kept == 3
    assert overridden.problems[0].startswith(
        "29 answers could not be read, so they count as blank and each client is scored on the "
        "other answers (29 outside 0..10): '90%' (row 2, column 'health_condition'),"
    )
    assert overridden.problems[0].endswith(
        "and 26 more; expected numbers 0-10 (the app's own); correct those cells, or choose the "
        "scale the survey used."
    )
    p3 = overridden.frame.set_index("client_id").loc["P-3"]
    assert p3.count() == 1 and p3["care_team"] == 10.0


def test_percent_formatted_fractions_are_read_on_0_1(catalog: Catalog) -> None:
    imported = survey(catalog, "excel-percent-formatted-cells.xlsx")
    assert imported.scale.key == "0-1"
    assert kinds(imported) == ["scale"]
    assert imported.frame["health_condition"].tolist() == [9.0, 0.0]
    assert imported.frame["relaxation"].tolist() == [2.0, 10.0]
    assert imported.frame["wellbeing"].tolist() == [4.0, 9.0]
    own = survey(catalog, "excel-percent-formatted-cells.xlsx", scale="0-10")
    # the owner's override holds (a survey's weights are float32)
    assert own.frame["health_condition"].tolist() == [np.float32(0.9), 0.0]


def test_the_average_row_is_left_out_and_named(catalog: Catalog) -> None:
    imported = survey(catalog, "excel-average-row.xlsx")
    assert imported.rows_kept == 4
    (note,) = [n for n in imported.notes if n.kind == "summary_rows"]
    assert note.text == (
        "1 row sums up the clients above rather than answers, so it was left out: row 7 "
        "('Average')."
    )
    assert (note.rows, note.values) == ((7,), ("Average",))


def test_a_resubmitted_client_keeps_the_latest_answer(catalog: Catalog) -> None:
    imported = survey(catalog, "tally-resubmitted-respondent.csv")
    assert imported.rows_kept == 3
    assert imported.repeats == {"C-7": (2, 4)}
    (note,) = [n for n in imported.notes if n.kind == "repeats"]
    assert note.worded(COMMAND_LINE) == (
        "1 client answered more than once: 'C-7' (row 2 and row 4); the latest answer is kept "
        "(by 'Submitted at'); to score every answer, choose keep all (command line: "
        "--keep-repeats)."
    )
    c7 = imported.frame.set_index(CLIENT_ID).loc["C-7"]
    assert c7["health_condition"] == 9.0  # the answer of 12 June, row 4
    every = survey(catalog, "tally-resubmitted-respondent.csv", keep_repeats=True)
    assert every.frame[CLIENT_ID].tolist() == ["C-7", "C-8", "C-7", "C-9"]
    assert best(catalog, every)["C-8"] == MED


def test_the_latest_answer_wins_even_when_it_comes_first(catalog: Catalog) -> None:
    data = (CASES / "tally-resubmitted-respondent.csv").read_bytes()
    lines = data.decode().splitlines()
    swapped = "\n".join([lines[0], lines[3], lines[2], lines[1], lines[4]]) + "\n"
    imported = read_survey(
        swapped.encode(), catalog.criterion_ids, name="t.csv", vocabulary=vocabulary(catalog)
    )
    c7 = imported.frame.set_index(CLIENT_ID).loc["C-7"]
    assert c7["health_condition"] == 9.0  # row 2 now, but dated 12 June: still the one kept


def test_a_stale_column_in_a_hand_edited_mapping_is_a_note(catalog: Catalog) -> None:
    words = vocabulary(catalog)
    table = read_table((CASES / "google-forms-reworded.csv").read_bytes(), words, "f.csv")
    saved, scale = read_mapping(
        (CASES / "mapping-hand-edited-stale-column.json").read_bytes(), "m.json", words
    )
    mapping, notes = apply_saved(table.proposal, saved)
    assert [n.text for n in notes] == [
        "the mapping file names 1 column this file does not have, left out; the rest of the "
        "mapping is used: 'How much do you want to relax? (0-10)'."
    ]
    table.notes.extend(notes)
    imported = apply_mapping(table, mapping, words, scale)
    assert best(catalog, imported) == {"F-1": SPA, "F-2": MED, "F-3": SPA}


def test_a_trailing_comma_is_named_by_line_and_column(catalog: Catalog) -> None:
    data = (CASES / "mapping-hand-edited-trailing-comma.json").read_bytes()
    with pytest.raises(InputFileError) as raised:
        read_mapping(data, "mapping-hand-edited-trailing-comma.json", vocabulary(catalog))
    assert str(raised.value) == (
        "mapping-hand-edited-trailing-comma.json: line 10, column 2: a comma after the last "
        "entry (at the end of line 9) comes before the closing bracket; delete that comma; "
        "correct it in a text editor, save, and use the file again: your other edits are kept."
    )
    assert "download" not in str(raised.value)


@pytest.mark.parametrize("title", ["servicename", "Service Name", "Service", "Treatment", "NAME"])
def test_a_booking_systems_menu_reads_its_service_names(catalog: Catalog, title: str) -> None:
    data = (
        (CASES / "salontrac-service-menu.csv").read_bytes().replace(b"servicename", title.encode())
    )
    imported = read_menu(data, catalog.criterion_ids, ["Medical massage", "Spa massage"], "s.csv")
    assert imported.menu[NAME].tolist() == [
        "Deep tissue 60",
        "Hot stone ritual 90",
        "Sports recovery 45",
    ]
    assert imported.problems == [
        "columns that match no criterion, left out: servicecode, servicedescription, groupcode, "
        "price, durationcode."
    ]
    assert imported.menu["relaxation"].tolist() == [4.0, 10.0, 3.0]


def test_an_unfinished_response_is_named_once(catalog: Catalog) -> None:
    imported = survey(catalog, "limesurvey-code-and-text-semicolon.csv")
    assert [n.text for n in imported.notes if n.kind in ("no_answers", "faults", "blanks")] == [
        "row 4 has no answers; it was left out."
    ]


def test_the_form_responses_workbook_keeps_the_email_out(catalog: Catalog) -> None:
    imported = survey(catalog, "google-sheets-form-responses.xlsx")
    assert "Email address" not in imported.frame.columns
    assert any(p.startswith("personal columns left out") for p in imported.problems)
    assert imported.scale.key == "importance"


# --- the command line ----------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, list[str]]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err.splitlines()


@pytest.mark.parametrize("name", list(BEST))
def test_every_survey_case_through_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    out = tmp_path / "scored.csv"
    code, stdout, err = run(capsys, "score", str(CASES / name), "-o", str(out))
    assert code == 0, err
    scored = pd.read_csv(out, dtype={CLIENT_ID: str})
    assert dict(zip(scored[CLIENT_ID], scored["best_match"], strict=True)) == BEST[name]
    assert stdout.startswith(f"Scored {len(BEST[name])} client")
    # stderr: the file named once, then one line per note, each a warning
    assert all(line.startswith("warning: ") for line in err)
    imported = survey(load_catalog(), name)
    # the columns ignored and the personal ones are named once: in the columns read, with why
    told = [n for n in imported.notes if told_by_mapping(n, imported.mapping)]
    for column in (c for n in told for c in n.columns):
        assert f"  {column!r} -> {imported.mapping[column]}  [" in stdout
    notes = [n.worded(COMMAND_LINE) for n in imported.notes if n not in told]
    if notes:
        assert err[0].startswith(f"warning: {CASES / name}")
        assert err[1:] == [f"warning: {n}" for n in notes]
        assert not any("(command line: " in line for line in survey(load_catalog(), name).problems)
    else:
        assert err == []


def test_command_line_header_row_sheet_and_keep_repeats(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "s.csv"
    merged = str(CASES / "excel-merged-title-rows.xlsx")
    code, _, err = run(capsys, "score", merged, "-o", str(out), "--header-row", "3")
    assert code == 0 and "the header is row 3, as chosen" in err[1]
    code, _, err = run(capsys, "score", merged, "-o", str(out), "--header-row", "2")
    assert code == EXIT_USAGE
    assert err[-1].startswith("error: ") and "no column could be matched" in err[-1]
    code, _, err = run(capsys, "score", merged, "-o", str(out), "--header-row", "40")
    assert code == EXIT_USAGE
    assert err == [
        f"error: {merged}, sheet 'Survey': header row 40 is not among the first rows read for "
        "the header (rows 1-6); choose one of those."
    ]
    tally = str(CASES / "tally-resubmitted-respondent.csv")
    code, stdout, err = run(capsys, "score", tally, "-o", str(out), "--keep-repeats")
    assert code == 0 and stdout.startswith("Scored 4 clients")
    assert any("every answer is kept, as chosen" in line for line in err)
    percent = str(CASES / "google-sheets-percent-strings.csv")
    code, stdout, err = run(capsys, "score", percent, "-o", str(out), "--scale", "0-10")
    assert code == 0 and stdout.startswith("Scored 3 clients")
    assert any("29 answers could not be read" in line and "'90%'" in line for line in err)


def test_command_line_stale_mapping_and_trailing_comma(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "s.csv"
    reworded = str(CASES / "google-forms-reworded.csv")
    stale = str(CASES / "mapping-hand-edited-stale-column.json")
    code, _, err = run(capsys, "score", reworded, "-o", str(out), "--mapping", stale)
    assert code == 0, err
    assert any("names 1 column this file does not have" in line for line in err)
    scored = pd.read_csv(out)
    assert scored["best_match"].tolist() == [SPA, MED, SPA]
    comma = str(CASES / "mapping-hand-edited-trailing-comma.json")
    code, _, err = run(capsys, "score", reworded, "-o", str(out), "--mapping", comma)
    assert code == EXIT_USAGE
    assert err == [
        f"error: {comma}: line 10, column 2: a comma after the last entry (at the end of line "
        "9) comes before the closing bracket; delete that comma; correct it in a text editor, "
        "save, and use the file again: your other edits are kept."
    ]


def test_python_m_advisor_score_on_a_field_case(tmp_path: Path) -> None:
    source = tmp_path / "excel-average-row.xlsx"
    shutil.copy(CASES / "excel-average-row.xlsx", source)
    out = tmp_path / "scored.csv"
    done = subprocess.run(
        [sys.executable, "-m", "advisor", "score", str(source), "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        f"warning: {source}, sheet 'Clients': 1 note:",
        "warning: 1 row sums up the clients above rather than answers, so it was left out: "
        "row 7 ('Average').",
    ]
    scored = pd.read_csv(out)
    assert scored["client_id"].tolist() == ["A-1", "A-2", "A-3", "A-4"]
    assert np.isfinite(scored["match_Spa massage"]).all()


def test_a_long_skipped_row_is_shortened_between_words_never_inside_one(catalog: Catalog) -> None:
    note = survey(catalog, "excel-merged-title-rows.xlsx").notes[0]
    assert note.text == (
        "the header is row 3; skipped rows 1-2 above it ('Lakeside Massage Clinic \u2013 what "
        "matters to our clients' and 'Scores 0-10 (0 = not \u2026 Entered by reception.'); if "
        "that is wrong, choose the header row."
    )


def test_the_word_scale_note_names_every_word_met_with_its_number(catalog: Catalog) -> None:
    data = (
        b"client_id,relaxation,pain_relief\n"
        b"a,Not important,Very important\n"
        b"b,Not at all important,Extremely important\n"
        b"c,3 - moderately important,Not important\n"
    )
    imported = read_survey(data, catalog.criterion_ids, name="words.csv")
    (note,) = [n for n in imported.notes if n.kind == "scale"]
    assert note.text == (
        "answers are importance words (Not at all important ... Extremely important); read as "
        "Not at all important = 0, Not important = 0, Slightly important = 2.5, Moderately "
        "important = 5, Very important = 7.5, Extremely important = 10."
    )
    assert imported.frame["relaxation"].tolist() == [0.0, 0.0, 5.0]


def test_a_service_menu_given_as_a_survey_is_refused_saying_where_menus_go(
    capsys, tmp_path
) -> None:
    menu = CASES / "salontrac-service-menu.csv"
    assert main(["score", str(menu), "-o", str(tmp_path / "out.csv")]) != 0
    assert capsys.readouterr().err == (
        f"error: {menu}: this looks like a service menu, not client answers: it has a service "
        "column ('servicename') and no client id or timestamp column; upload it under Your "
        "services, Upload a menu (command line: match --menu).\n"
    )
    assert not (tmp_path / "out.csv").exists()


def test_the_menu_the_app_downloads_given_as_a_survey_is_refused_saying_where_menus_go(
    catalog: Catalog,
) -> None:
    fits = {c: [8.0, 1.0] for c in catalog.criterion_ids}
    data = menu_csv(pd.DataFrame({NAME: ["Deep tissue", "Hot stone"], **fits}))
    with pytest.raises(InputFileError) as refused:
        read_survey(data, catalog.criterion_ids, name="clinic-menu.csv")
    assert str(refused.value) == (
        "clinic-menu.csv: this looks like a service menu, not client answers: it has a service "
        "column ('name') and no client id or timestamp column; upload it under Your services, "
        "Upload a menu (command line: match --menu)."
    )


@pytest.mark.parametrize(
    "data",
    [
        b"name,client_id,relaxation,pain_relief\nAnn,c1,7,3\nBo,c2,2,9\n",  # a client id
        b"Timestamp,Name,relaxation,pain_relief\n2026-06-10,Ann,7,3\n2026-06-11,Bo,2,9\n",
        b"Name,Relaxation (0-10),pain_relief\nAnn,7,3\nBo,2,9\n",  # a question's title
    ],
)
def test_a_survey_with_a_name_column_is_still_read_as_client_answers(
    catalog: Catalog, data: bytes
) -> None:
    imported = read_survey(data, catalog.criterion_ids, name="answers.csv")
    assert imported.frame["relaxation"].tolist() == [7.0, 2.0]
    assert [c for c, t in imported.mapping.items() if t == "personal"] == [
        next(c for c in imported.mapping if c.casefold() == "name")
    ]


NO_ANSWERS = (
    "nothing in it looks like client answers: no column is named after a criterion, and no "
    "cell under the header is a number or an answer word; upload the file or the sheet that "
    "holds your clients' answers."
)


@pytest.mark.parametrize(
    ("name", "data", "source"),
    [
        ("cover.xlsx", cover_workbook(), "cover.xlsx, sheet 'Cover'"),
        ("letter.csv", b"Dear owner,\nPlease find the survey attached.\nBest wishes\n", None),
        ("odd.csv", b"who,colour\na,red\nb,blue\n", None),
    ],
)
def test_a_file_with_nothing_like_answers_is_refused_at_once(
    catalog: Catalog, name: str, data: bytes, source: str | None
) -> None:
    """Not offered to the mapping step, where the owner could only map a title to a criterion."""
    with pytest.raises(InputFileError) as refused:
        read_table(data, vocabulary(catalog), name=name)
    assert str(refused.value) == f"{source or name}: {NO_ANSWERS}"


def test_a_cover_sheet_beside_the_answers_still_reads_the_answers(catalog: Catalog) -> None:
    imported = read_survey(cover_workbook("Responses"), catalog.criterion_ids, name="b.xlsx")
    assert imported.sheet == "Responses"
    assert imported.frame["relaxation"].tolist() == [7.0]


@pytest.mark.parametrize(
    "data",
    [b"who,Q1\na,4\nb,5\n", b"who,Q1\na,Very important\nb,Not important\n"],
)
def test_a_file_with_numbers_or_answer_words_goes_to_the_mapping_step(
    catalog: Catalog, data: bytes
) -> None:
    table = read_table(data, vocabulary(catalog), name="odd.csv")
    assert table.columns == ["who", "Q1"]


def test_a_survey_given_as_a_menu_is_refused_saying_it_holds_client_answers(
    catalog: Catalog,
) -> None:
    data = (CASES / "google-forms-reworded.csv").read_bytes()
    with pytest.raises(InputFileError) as refused:
        read_menu(data, catalog.criterion_ids, [], name="answers.csv")
    assert str(refused.value) == (
        "answers.csv: this looks like client answers, not a service menu: it has the column "
        "'Client ID' and no service name column; upload it under Your clients, Upload your "
        "client survey (command line: score). If it is a menu, name one column name, service "
        "name, service or treatment."
    )


def test_a_survey_with_a_service_column_and_client_ids_is_still_a_survey(catalog) -> None:
    data = b"client_id,Treatment,relaxation\na,Hot stone,9\nb,Sports,2\n"
    imported = read_survey(data, catalog.criterion_ids, name="visits.csv")
    assert imported.frame["client_id"].tolist() == ["a", "b"]
