"""Every field case (tests/fixtures/cases, copies of shared/cases) with its right value, and
the whole kind of each fault: dialects, encodings, scales, sub-label rows, workbooks."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from advisor.catalog import Catalog
from advisor.clinic.menu import NAME, read_menu
from advisor.clinic.survey import score_survey
from advisor.errors import InputFileError
from advisor.files.mapping import Vocabulary, mapping_json, propose, read_mapping
from advisor.files.notes import COMMAND_LINE, CONTROLS, FLAGS, Choice, Note, Wording
from advisor.files.reading import CLIENT_ID, read_survey, read_table
from advisor.files.scales import SCALES
from advisor.files.template import questions, template_xlsx, vocabulary

CASES = Path(__file__).resolve().parents[2] / "fixtures" / "cases"


def case(name: str) -> bytes:
    return (CASES / name).read_bytes()


def survey(catalog: Catalog, name: str, data: bytes | None = None, **kwargs):
    data = case(name) if data is None else data
    return read_survey(
        data, catalog.criterion_ids, name=name, vocabulary=vocabulary(catalog), **kwargs
    )


def scored(catalog: Catalog, imported) -> pd.DataFrame:
    names = {t: catalog.type_name(t) for t in catalog.type_ids}
    scored = score_survey(imported.frame, catalog.fits, catalog.segment_weights, names)
    return scored.set_index(CLIENT_ID)


@pytest.mark.parametrize(
    "name", ["excel-sep-hint-first-line.csv", "excel-mac-cr-only-line-endings.csv"]
)
def test_spreadsheet_dialects_read_three_clients(catalog: Catalog, name: str) -> None:
    imported = survey(catalog, name)
    assert imported.problems == []
    assert imported.frame[CLIENT_ID].tolist() == ["K-101", "K-102", "K-103"]
    assert imported.frame["relaxation"].tolist() == [2.0, 9.0, 5.0]


def test_linear_scale_1_to_5_is_rescaled_and_said(catalog: Catalog) -> None:
    imported = survey(catalog, "google-forms-linear-scale-1-to-5.csv")
    assert imported.scale.key == "1-5"
    assert imported.problems == ["answers run 1-5; read as 1 = 0 and 5 = 10."]
    assert scored(catalog, imported).at["L-2", "match_Spa massage"] == pytest.approx(96.00)
    overridden = survey(catalog, "google-forms-linear-scale-1-to-5.csv", scale="0-10")
    assert scored(catalog, overridden).at["L-2", "match_Spa massage"] == pytest.approx(76.67)


def test_raw_form_questions_and_importance_words(catalog: Catalog) -> None:
    imported = survey(catalog, "google-forms-raw-question-headers-likert-words.csv")
    assert imported.scale.key == "importance"
    frame = imported.frame
    assert frame["health_condition"].tolist() == [10.0, 0.0]
    assert frame["relaxation"].tolist() == [2.5, 10.0]
    assert frame["wellbeing"].tolist() == [5.0, 7.5]
    assert imported.rows_kept == 2


def test_windows_1252_ids_survive(catalog: Catalog) -> None:
    imported = survey(catalog, "windows-1252-smart-quotes-ids.csv")
    assert imported.encoding == "windows-1252"
    assert imported.frame[CLIENT_ID].tolist() == [
        "O\u2019Neill Zo\u00eb",
        "Se\u00f1ora \u201cVIP\u201d",
    ]


def test_the_german_menu_keeps_all_three_services(catalog: Catalog) -> None:
    data = case("menu-resaved-by-excel-de-semicolon-cp1252.csv")
    menu = read_menu(data, catalog.criterion_ids, ["Medical massage", "Spa massage"])
    assert menu.menu[NAME].tolist() == [
        "R\u00fcckenmassage, 30 Min",
        "Hot Stone \u201eWohlf\u00fchl\u201c 90 Min",
        "+Aroma Zusatz",
    ]
    assert menu.problems == []


def test_ms_forms_workbook(catalog: Catalog) -> None:
    imported = survey(catalog, "ms-forms-responses.xlsx")
    assert imported.frame["relaxation"].tolist() == [7.0]
    assert imported.frame["health_condition"].tolist() == [0.0]
    assert any("no column gives these criteria, so each counts 0" in p for p in imported.problems)


def test_surveymonkey_sub_label_row_is_skipped_with_one_note(catalog: Catalog) -> None:
    imported = survey(catalog, "surveymonkey-two-header-rows.csv")
    assert imported.rows_kept == 3
    assert imported.worded(COMMAND_LINE)[0] == (
        "the header is row 1; skipped row 2 under it, which holds labels or tool data, not "
        "answers ('Open-Ended Response'); if that is wrong, choose the header row (command "
        "line: --header-row)."
    )
    assert imported.header_rows == (1,)
    assert not any("not a number" in p for p in imported.problems)


# --- the kinds, not just the files ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("relaxation", "relaxation"),
        ("RELAXATION", "relaxation"),
        ("Pain relief", "pain_relief"),
        ("How important is each of these to you? [Clinical setting]", "clinical_setting"),
        ("Rate these [long_indulgent]", "long_indulgent"),
        ("how important is relaxation", "relaxation"),
        ("Email address", "personal"),
        ("Full name", "personal"),
        ("Phone", "personal"),
        ("Timestamp", "ignore"),
        ("Client ID", "client_id"),
        ("Comments", "ignore"),
    ],
)
def test_proposal_per_header(catalog: Catalog, header: str, target: str) -> None:
    (proposal,) = propose([header], vocabulary(catalog))
    assert proposal.target == target


def test_every_template_question_maps_to_its_criterion(catalog: Catalog) -> None:
    asked = questions(catalog)
    proposals = propose(list(asked.values()), vocabulary(catalog))
    assert [p.target for p in proposals] == list(asked)


def test_the_template_workbook_reads_back_with_no_note(catalog: Catalog) -> None:
    table = read_table(template_xlsx(catalog), vocabulary(catalog), "survey-template.xlsx")
    assert table.sheets == ["Answers", "Questions"]
    assert table.columns == [CLIENT_ID, *catalog.criterion_ids]


def test_unknown_words_are_reported_by_row_and_column(catalog: Catalog) -> None:
    text = (
        "client_id,relaxation,wellbeing\nA,Very important,Sort of\nB,Not important,Very important\n"
    )
    imported = survey(catalog, "w.csv", text.encode())
    # A is scored on the word that can be read; "Sort of" counts as blank
    assert imported.frame[CLIENT_ID].tolist() == ["A", "B"]
    assert imported.frame["relaxation"].tolist() == [7.5, 0.0]
    assert (
        np.isnan(imported.frame["wellbeing"].iloc[0]) and imported.frame["wellbeing"].iloc[1] == 7.5
    )
    assert (
        "1 answer could not be read, so it counts as blank and each client is scored on the "
        "other answers (1 not one of the importance words (Not at all important ... Extremely "
        "important)): 'Sort of' (row 2, column 'wellbeing'); expected importance words (Not at "
        "all important ... Extremely important); correct those cells, or choose the scale the "
        "survey used."
    ) in imported.problems


def test_a_workbook_sheet_is_chosen_by_name(catalog: Catalog) -> None:
    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["nothing here"])
    answers = book.create_sheet("Answers")
    answers.append([CLIENT_ID, "relaxation"])
    answers.append(["A", 4])
    buffer = io.BytesIO()
    book.save(buffer)
    imported = survey(catalog, "b.xlsx", buffer.getvalue(), sheet="Answers")
    assert imported.frame["relaxation"].tolist() == [4.0]
    with pytest.raises(InputFileError, match=r"b.xlsx: the workbook has no sheet named 'Nope'"):
        survey(catalog, "b.xlsx", buffer.getvalue(), sheet="Nope")


def test_a_mapping_file_round_trips(catalog: Catalog) -> None:
    mapping = {"Q1": "relaxation", "Email": "personal", "Who": "client_id"}
    saved, scale = read_mapping(mapping_json(mapping, "1-7"), "m.json", vocabulary(catalog))
    assert (saved, scale) == (mapping, "1-7")
    with pytest.raises(InputFileError, match=r"m\.json: not a mapping file"):
        read_mapping(b"[1, 2]", "m.json", vocabulary(catalog))


# --- property: any grid, any dialect, encoding and scale, reads back the same weights -------------

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "windows-1252"]
DIALECTS = [(",", "\n", "."), (";", "\r\n", ","), ("\t", "\r", "."), (";", "\n", ",")]
SMALL = Vocabulary(("relaxation", "wellbeing", "pain_relief"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    scale=st.sampled_from(["0-10", "1-10", "1-5", "1-7"]),
    dialect=st.sampled_from(DIALECTS),
    encoding=st.sampled_from(ENCODINGS),
    sep_line=st.booleans(),
    grid=st.lists(st.lists(st.floats(0, 1), min_size=3, max_size=3), min_size=1, max_size=8),
)
def test_any_grid_reads_back_as_the_same_weights(scale, dialect, encoding, sep_line, grid) -> None:
    sep, newline, decimal = dialect
    chosen = SCALES[scale]
    answers = np.rint(chosen.low + np.array(grid) * (chosen.high - chosen.low))
    lines = ([f"sep={sep}"] if sep_line else []) + [sep.join(["client_id", *SMALL.criterion_ids])]
    for i, row in enumerate(answers):
        cells = [f"{v:g}".replace(".", decimal) for v in row]
        lines.append(sep.join([f"C{i}", *cells]))
    data = (newline.join(lines) + newline).encode(encoding)
    imported = read_survey(data, SMALL.criterion_ids, name="g.csv", vocabulary=SMALL, scale=scale)
    expected = (answers - chosen.low) * 10 / (chosen.high - chosen.low)
    np.testing.assert_allclose(imported.frame[list(SMALL.criterion_ids)].to_numpy(), expected)
    assert imported.frame[CLIENT_ID].tolist() == [f"C{i}" for i in range(len(answers))]


# --- a note's choices, worded for the page and for the command line -----------------------------


@given(
    control=st.sampled_from(CONTROLS),
    setting=st.sampled_from(["", *SCALES]),
    text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=40).map(lambda t: t + "."),
)
def test_a_choice_is_named_where_the_owner_is(control: str, setting: str, text: str) -> None:
    setting = setting if control == "scale" else ""
    note = Note("x", text, choices=(Choice(control, setting),))
    assert note.text == text  # the sentence names no place
    cli = note.worded(COMMAND_LINE)
    assert cli == text[:-1] + f" (command line: {FLAGS[control]}{' ' if setting else ''}{setting})."
    elsewhere = Wording("here", lambda c: f"<{c.control}>")
    assert note.worded(elsewhere) == text[:-1] + f" (here: <{control}>)."
    two = Note("x", text, choices=(Choice(control), Choice("sheet")))
    assert two.worded(elsewhere).endswith(f" (here: <{control}> or <sheet>).")


def test_every_flag_a_note_names_is_one_the_command_line_takes(catalog: Catalog) -> None:
    from advisor.cli import build_parser

    parser = build_parser(catalog)
    score = parser._subparsers._group_actions[0].choices["score"]
    taken = {option for action in score._actions for option in action.option_strings}
    assert set(FLAGS.values()) <= taken
