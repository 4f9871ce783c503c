"""The survey section of Position my clinic through app.py: template, mapping step, scales."""

from __future__ import annotations

import io
import json
import zlib
from pathlib import Path

import pandas as pd
import pytest

from advisor.catalog import load_catalog
from advisor.clinic.menu import NAME, menu_csv
from advisor.files.mapping import MAPPING_KIND, mapping_json
from advisor.files.notes import CONTROLS, Choice, Note
from advisor.files.scales import SCALES
from tests.advisor.files.survey_workbooks import cover_workbook
from tests.apptest_support import survey_in_use, survey_state, survey_uploader
from ui.survey_mapping import PAGE as PAGE_WORDING

PAGE = "app_pages/position_my_clinic.py"
CASES = Path(__file__).resolve().parents[1] / "fixtures" / "cases"  # copies of shared/cases
FORMS = CASES / "google-forms-raw-question-headers-likert-words.csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def values(elements) -> list[str]:
    return [e.value for e in elements]


def upload(at, name: str, data: bytes, mime: str = "text/csv"):
    return survey_uploader(at).set_value((name, data, mime)).run()


def editor(at):
    (table,) = [d for d in at.get("arrow_data_frame") if "Read as" in getattr(d, "value", {})]
    return table


def confirm(at):
    at.button(key="sm_confirm_mapping").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_the_template_offers_questions_xlsx_and_text(open_page) -> None:
    at = open_page(PAGE)
    assert not at.code  # made only when the owner opens the template
    at.session_state["pc_template_box"] = True  # the owner opens the template
    at.run()
    (code,) = at.code
    assert code.value.startswith("Answer each question from 0 to 10")
    assert "2. How important is relaxation?" in code.value
    assert len(code.value.strip().splitlines()) == 2 + 13


def test_a_form_export_is_mapped_then_scored(open_page) -> None:
    at = open_page(PAGE)
    upload(at, "form.csv", FORMS.read_bytes())
    assert not at.exception
    pending = survey_state(at).pending
    assert pending is not None  # waiting for the owner
    assert survey_in_use(at) is None  # the sample is still shown
    assert any("Check how the columns of your file" in w for w in values(at.warning))
    assert "form.csv" in values(at.text)
    assert pending.mapping == {
        "Timestamp": "ignore",
        "How important is it that the massage treats a health condition?": "health_condition",
        "How important is relaxation?": "relaxation",
        "How important is general well-being?": "wellbeing",
    }
    confirm(at)
    survey = survey_in_use(at).frame
    assert survey["client_id"].tolist() == ["row-2", "row-3"]
    assert survey["health_condition"].tolist() == [10.0, 0.0]
    assert survey["relaxation"].tolist() == [2.5, 10.0]
    assert survey["wellbeing"].tolist() == [5.0, 7.5]
    assert survey["care_team"].tolist() == [0.0, 0.0]
    notes = survey_in_use(at).notes
    assert any(
        "no column gives these criteria, so each counts 0: Part of my care plan (care_team)" in n
        for n in notes
    )
    assert (
        "answers are importance words (Not at all important ... Extremely important); read as "
        "Not important = 0, Slightly important = 2.5, Moderately important = 5, Very important "
        "= 7.5, Extremely important = 10."
    ) in notes  # the word the file holds, not another word of the same level
    # the notes are on the page itself, not in a closed box
    assert any(w.startswith("3 notes on your survey") for w in values(at.warning))


def test_only_the_asked_criteria_are_compared_with_the_typical_base(open_page) -> None:
    # The form asks 3 of the 13 priorities; the other 10 read as 0 in every match, but "your
    # clients care less about X" would be a claim about a question nobody was asked.
    at = open_page(PAGE)
    upload(at, "form.csv", FORMS.read_bytes())
    confirm(at)
    assert survey_in_use(at).asked == ("health_condition", "relaxation", "wellbeing")
    at.session_state["pc_priorities_box"] = True  # the owner opens the comparison
    at.run()
    assert any(
        i.startswith("Your survey asked about 3 of the 13 priorities") for i in values(at.info)
    )
    (table,) = [d for d in at.dataframe if "Typical base" in d.value]
    assert table.value["Criterion"].tolist() == [
        "Treat a health condition",
        "Relaxation",
        "General well-being",
    ]


def test_changing_a_row_and_the_scale_changes_the_weights(open_page) -> None:
    at = open_page(PAGE)
    upload(at, "form.csv", FORMS.read_bytes())
    key = f"sm_mapping_editor_{survey_state(at).pending.version}"
    at.session_state[key] = {
        "edited_rows": {2: {"Read as": "Pain relief"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    confirm(at)
    survey = survey_in_use(at).frame
    assert survey["pain_relief"].tolist() == [2.5, 10.0]
    assert survey["relaxation"].tolist() == [0.0, 0.0]


def test_the_mapping_downloads_and_uploads_again(open_page) -> None:
    at = open_page(PAGE)
    upload(at, "form.csv", FORMS.read_bytes())
    at.selectbox(key=f"sm_scale_{survey_state(at).pending.version}").set_value("agreement").run()
    saved = {
        "kind": MAPPING_KIND,
        "version": 1,
        "scale": "importance",
        "columns": {
            "Timestamp": "personal",
            "How important is it that the massage treats a health condition?": "care_team",
            "How important is relaxation?": "relaxation",
            "How important is general well-being?": "ignore",
        },
    }
    data = json.dumps(saved).encode()
    pending = survey_state(at).pending
    at.file_uploader(key=f"sm_mapping_upload_{pending.version}").set_value(
        ("map.json", data, "application/json")
    )
    at.run()
    assert survey_state(at).pending.scale == "importance"
    confirm(at)
    survey = survey_in_use(at)
    assert survey.frame["care_team"].tolist() == [10.0, 0.0]
    assert survey.frame["wellbeing"].tolist() == [0.0, 0.0]
    assert (survey.mapping, survey.scale) == (saved["columns"], "importance")
    assert "Timestamp" not in survey.frame.columns


def test_a_chosen_0_to_10_scale_is_kept_in_the_downloaded_mapping(open_page) -> None:
    # a 1-5-looking export the owner says is on 0-10: the mapping file must say 0-10, or the
    # next export read with it would be guessed as 1-5 again
    data = b"Client,How important is relaxation?\na,1\nb,5\n"
    at = open_page(PAGE)
    upload(at, "form.csv", data)
    at.selectbox(key=f"sm_scale_{survey_state(at).pending.version}").set_value("0-10").run()
    confirm(at)
    survey = survey_in_use(at)
    assert survey.frame["relaxation"].tolist() == [1.0, 5.0]
    labels = [b.proto.label for b in at.get("download_button")]
    assert any(label.startswith("Download this mapping") for label in labels)
    assert json.loads(mapping_json(survey.mapping, survey.scale))["scale"] == "0-10"


def test_a_file_matching_no_criterion_waits_in_the_mapping_step(open_page) -> None:
    at = open_page(PAGE)
    upload(at, "other.csv", b"foo,bar\n1,2\n")
    assert not at.exception
    assert not at.error  # an invitation until the owner confirms with nothing mapped
    at.button(key="sm_confirm_mapping").click().run()
    (error,) = values(at.error)
    assert error == "This mapping cannot be used yet:"
    assert any(
        t.startswith("other.csv: no column could be matched to a criterion;")
        for t in values(at.text)
    )
    assert survey_state(at).pending is not None
    assert survey_in_use(at) is None


@pytest.mark.parametrize(
    ("case", "clients"),
    [
        ("excel-sep-hint-first-line.csv", 3),
        ("excel-mac-cr-only-line-endings.csv", 3),
        ("windows-1252-smart-quotes-ids.csv", 2),
        ("google-forms-linear-scale-1-to-5.csv", 3),
    ],
)
def test_case_files_in_the_app_own_columns_read_at_once(open_page, case, clients) -> None:
    at = open_page(PAGE)
    upload(at, case, (CASES / case).read_bytes())
    assert values(at.error) == []
    assert survey_state(at).pending is None
    assert len(survey_in_use(at).frame) == clients
    # kept while its scale can be changed, compressed (issue 25: memory while a survey is open)
    assert zlib.decompress(survey_state(at).data) == (CASES / case).read_bytes()


def test_an_xlsx_upload_is_read_as_a_workbook(open_page) -> None:
    at = open_page(PAGE)
    upload(
        at, "ms-forms-responses.xlsx", (CASES / "ms-forms-responses.xlsx").read_bytes(), XLSX_MIME
    )
    assert values(at.error) == []
    survey = survey_in_use(at).frame
    assert survey["relaxation"].tolist() == [7.0]


def test_the_scale_of_a_file_read_at_once_can_be_changed(open_page) -> None:
    at = open_page(PAGE)
    upload(at, "scale.csv", (CASES / "google-forms-linear-scale-1-to-5.csv").read_bytes())
    key = f"pc_scale_read_{survey_state(at).version}"
    assert at.selectbox(key=key).value == "1-5"
    assert survey_in_use(at).frame["relaxation"].tolist() == [0.0, 10.0, 5.0]
    at.selectbox(key=key).set_value("0-10").run()
    assert not at.exception
    assert survey_in_use(at).frame["relaxation"].tolist() == [1.0, 5.0, 3.0]
    assert survey_in_use(at).notes == ()


# --- the reader's choices on the page (issue 23): header row, sheet, repeats, scale ----------


def test_the_header_row_guess_can_be_changed_and_confirm_is_never_a_dead_end(open_page) -> None:
    at = open_page(PAGE)
    data = b"Our clinic survey\nclient_id,Relaxation,Pain relief\na,9,1\nb,2,8\n"
    upload(at, "titled.csv", data)
    pending = survey_state(at).pending
    assert pending.table.header_rows == (2,)  # found under the title
    assert not at.button(key="sm_confirm_mapping").disabled
    # a wrong pick (the title row) leaves no criterion: Confirm says so, and the pick undoes it
    at.number_input(key=f"pc_header_row_{pending.version}").set_value(1).run()
    pending = survey_state(at).pending
    assert pending.table.header_rows == (1,)
    at.button(key="sm_confirm_mapping").click().run()
    assert values(at.error) == ["This mapping cannot be used yet:"]
    assert survey_in_use(at) is None
    at.number_input(key=f"pc_header_row_{pending.version}").set_value(2).run()
    assert not at.error
    confirm(at)
    assert survey_in_use(at).frame["relaxation"].tolist() == [9.0, 2.0]


def test_a_repeated_client_is_kept_once_unless_the_owner_keeps_every_answer(open_page) -> None:
    data = (CASES / "tally-resubmitted-respondent.csv").read_bytes()
    at = open_page(PAGE)
    upload(at, "tally.csv", data)
    if survey_state(at).pending is not None:
        confirm(at)
    assert len(survey_in_use(at).frame) == 3
    at2 = open_page(PAGE)
    upload(at2, "tally.csv", data)
    pending = survey_state(at2).pending
    if pending is None:  # read at once: nothing to choose before it is in use
        return
    at2.checkbox(key=f"pc_keep_repeats_{pending.version}").check().run()
    confirm(at2)
    assert len(survey_in_use(at2).frame) == 4


def test_percentages_are_read_and_the_scale_said(open_page) -> None:
    at = open_page(PAGE)
    upload(at, "pct.csv", (CASES / "google-sheets-percent-strings.csv").read_bytes())
    if survey_state(at).pending is not None:
        confirm(at)
    survey = survey_in_use(at)
    assert survey is not None and len(survey.frame) == 3
    assert any("%" in note or "percent" in note.casefold() for note in survey.notes)


def test_the_mapping_step_shows_the_file_name_as_plain_text(open_page) -> None:
    at = open_page(PAGE)
    name = "**b** [x](javascript:alert(1)) $x$.csv"
    upload(at, name, FORMS.read_bytes())
    assert name in values(at.text)
    markup = [w for w in values(at.warning) + values(at.error) + values(at.markdown)]
    assert not [m for m in markup if "javascript" in m or "$x$" in m]


def test_another_sheet_can_be_picked_and_picked_back(open_page) -> None:
    from openpyxl import Workbook

    book = Workbook()
    cover = book.active
    cover.title = "Cover"
    cover.append(["Client survey, autumn"])
    answers = book.create_sheet("Answers")
    answers.append(["Client", "Relaxation", "Pain relief", "Notes"])
    answers.append(["a", 9, 1, "x"])
    answers.append(["b", 2, 8, "y"])
    buffer = io.BytesIO()
    book.save(buffer)
    at = open_page(PAGE)
    upload(at, "two-sheets.xlsx", buffer.getvalue(), XLSX_MIME)
    pending = survey_state(at).pending
    assert pending.table.sheet == "Answers"  # the sheet whose columns match best
    at.selectbox(key=f"pc_sheet_{pending.version}").set_value("Cover").run()
    assert not at.exception
    pending = survey_state(at).pending
    assert pending.table.sheet == "Cover"
    assert any(i.startswith("Choose 'Read as'") for i in values(at.info))  # no criterion...
    at.selectbox(key=f"pc_sheet_{pending.version}").set_value("Answers").run()
    assert not any(i.startswith("Choose 'Read as'") for i in values(at.info))  # ...undone
    confirm(at)
    assert survey_in_use(at).frame["pain_relief"].tolist() == [1.0, 8.0]


def test_the_uploader_says_what_to_do_with_a_file_it_refuses(open_page) -> None:
    at = open_page(PAGE)
    (line,) = [c.value for c in at.caption if c.value.startswith("Refused as too big")]
    assert line.endswith("keep only the answer columns and save as CSV (.csv).")


def test_notes_on_the_page_name_its_controls_not_command_line_flags(open_page) -> None:
    at = open_page(PAGE)
    upload(at, "tally.csv", (CASES / "tally-resubmitted-respondent.csv").read_bytes())
    confirm(at)
    notes = survey_in_use(at).notes
    (repeats,) = [n for n in notes if "answered more than once" in n]
    assert repeats.endswith(
        "choose keep all (on this page: 'Keep every answer of a client who answered more than "
        "once')."
    )
    shown = [*values(at.text), *notes]
    assert not [line for line in shown if "--" in line or "command line" in line]


def test_a_file_matching_no_criterion_names_the_page_controls(open_page) -> None:
    at = open_page(PAGE)
    upload(at, "odd.csv", b"who,Q1\na,4\nb,5\n")
    at.button(key="sm_confirm_mapping").click().run()
    fault = [t for t in values(at.text) if "no column could be matched" in t]
    assert len(fault) == 1
    assert "(on this page: the 'Read as' column or 'Header row (the questions)')." in fault[0]
    assert "--" not in fault[0]


@pytest.mark.parametrize("control", CONTROLS)
def test_every_choice_a_note_names_is_a_control_of_the_page(control: str) -> None:
    for setting in ["", *SCALES] if control == "scale" else [""]:
        note = Note("x", "Decide otherwise.", choices=(Choice(control, setting),))
        page = note.worded(PAGE_WORDING)
        assert page.startswith("Decide otherwise (on this page: '") or "'Read as' column" in page
        assert "--" not in page and "command line" not in page
        if setting:
            assert page.endswith(f"'Answer scale', {SCALES[setting].label}).")


def test_a_weak_mapping_is_said_before_the_owner_confirms(open_page) -> None:
    at = open_page(PAGE)
    data = b"client_id,Relaxation,Q7,Q8\na,9,4,5\nb,2,3,1\n"
    upload(at, "weak.csv", data)
    assert survey_state(at).pending is not None
    assert "Some answers may not be read:" in values(at.warning)
    (line,) = [t for t in values(at.text) if t.startswith("only 1 of 13 criteria")]
    assert "'Q7' and 'Q8'" in line
    assert line.endswith("(on this page: the 'Read as' column).")
    assert not at.button(key="sm_confirm_mapping").disabled  # said, and the owner decides
    confirm(at)
    assert any(n.startswith("only 1 of 13 criteria") for n in survey_in_use(at).notes)


def test_a_form_that_asked_few_questions_has_no_such_warning(open_page) -> None:
    at = open_page(PAGE)
    upload(at, "form.csv", FORMS.read_bytes())
    assert "Some answers may not be read:" not in values(at.warning)


REWORDED = CASES / "google-forms-reworded.csv"


def lay_over(at, name: str):
    pending = survey_state(at).pending
    at.file_uploader(key=f"sm_mapping_upload_{pending.version}").set_value(
        (name, (CASES / name).read_bytes(), "application/json")
    )
    return at.run()


STALE_NOTE = (
    "mapping-hand-edited-stale-column.json: the mapping file names 1 column this file does not "
    "have, left out; the rest of the mapping is used: 'How much do you want to relax? (0-10)'."
)


def test_the_saved_mapping_notes_stay_with_the_survey_once_confirmed(open_page) -> None:
    at = open_page(PAGE)
    upload(at, REWORDED.name, REWORDED.read_bytes())
    lay_over(at, "mapping-hand-edited-stale-column.json")
    assert STALE_NOTE in values(at.text)
    confirm(at)
    survey = survey_in_use(at)
    assert survey.frame["client_id"].tolist() == ["F-1", "F-2", "F-3"]
    assert survey.notes[:2] == (STALE_NOTE, "columns you chose to leave out: Timestamp.")
    assert survey.notes[2].startswith("no column gives these criteria, so each counts 0: ")
    assert len(survey.notes) == 3
    assert STALE_NOTE in values(at.text)  # under "How your survey was read"
    assert not [t for t in values(at.text) if t.startswith("header:") or "unknown" in t]


def test_a_broken_mapping_file_is_an_alert_and_no_second_fault_is_shown(open_page) -> None:
    at = open_page(PAGE)
    upload(at, REWORDED.name, REWORDED.read_bytes())
    lay_over(at, "mapping-hand-edited-trailing-comma.json")
    assert values(at.error) == [
        "This mapping file could not be used; fix it, or choose each row below."
    ]
    assert any(
        t.startswith("mapping-hand-edited-trailing-comma.json:") and "line 10, column 2" in t
        for t in values(at.text)
    )
    assert "Until the mapping file is fixed, choose 'Read as' for each column here." in values(
        at.info
    )
    assert not [t for t in values(at.text) if "no column could be matched" in t]


def test_a_survey_with_its_own_questions_opens_on_an_invitation_not_an_error(open_page) -> None:
    at = open_page(PAGE)
    upload(at, REWORDED.name, REWORDED.read_bytes())
    assert not at.error
    invitation = (
        "Choose 'Read as' for each column of your file: the criterion its answers are about, "
        "or Not a criterion. Then press Confirm."
    )
    assert invitation in values(at.info)
    at.button(key="sm_confirm_mapping").click().run()  # pressed with nothing mapped
    assert values(at.error) == ["This mapping cannot be used yet:"]
    assert invitation not in values(at.info)
    assert survey_in_use(at) is None


def test_a_survey_with_criteria_missing_is_in_use_under_a_warning_not_a_success(open_page) -> None:
    at = open_page(PAGE)
    upload(at, REWORDED.name, REWORDED.read_bytes())
    lay_over(at, "mapping-hand-edited-stale-column.json")
    confirm(at)
    assert len(survey_in_use(at).asked) == 5  # 8 of 13 criteria count 0
    assert not [s for s in values(at.success) if s.startswith("In use now")]
    assert (
        "In use now: your survey, 3 clients (3 notes on how it was read, under the answer). "
        "8 of 13 criteria have no column, so each counts 0."
    ) in values(at.warning)


def test_a_survey_giving_every_criterion_is_in_use_under_a_success(open_page) -> None:
    at = open_page(PAGE)
    upload(at, "typeform.csv", (CASES / "typeform-markdown-titles.csv").read_bytes())
    if survey_state(at).pending is not None:
        confirm(at)
    assert len(survey_in_use(at).asked) == 13
    assert [s for s in values(at.success) if s.startswith("In use now: your survey, 3 clients")]


def test_a_menu_uploaded_as_a_survey_says_it_looks_like_a_menu(open_page) -> None:
    at = open_page(PAGE)
    upload(at, "salontrac.csv", (CASES / "salontrac-service-menu.csv").read_bytes())
    assert "This file could not be used; the survey in use stays as it was." in values(at.error)
    assert (
        "salontrac.csv: this looks like a service menu, not client answers: it has a service "
        "column ('servicename') and no client id or timestamp column; upload it under Your "
        "services, Upload a menu (command line: match --menu)."
    ) in values(at.text)
    assert survey_state(at).pending is None and survey_in_use(at) is None


def test_a_workbook_of_only_a_cover_sheet_is_refused_not_offered_for_mapping(open_page) -> None:
    at = open_page(PAGE)
    upload(at, "cover.xlsx", cover_workbook(), XLSX_MIME)
    assert "This file could not be used; the survey in use stays as it was." in values(at.error)
    assert (
        "cover.xlsx, sheet 'Cover': nothing in it looks like client answers: no column is named "
        "after a criterion, and no cell under the header is a number or an answer word; upload "
        "the file or the sheet that holds your clients' answers."
    ) in values(at.text)
    assert survey_state(at).pending is None and survey_in_use(at) is None


def test_the_menu_the_page_downloads_uploaded_as_a_survey_is_refused_as_a_menu(
    open_page,
) -> None:
    at = open_page(PAGE)
    criteria = load_catalog().criterion_ids
    menu = menu_csv(pd.DataFrame({NAME: ["Deep tissue"], **{c: [7.0] for c in criteria}}))
    upload(at, "clinic-menu.csv", menu)
    assert "This file could not be used; the survey in use stays as it was." in values(at.error)
    assert (
        "clinic-menu.csv: this looks like a service menu, not client answers: it has a service "
        "column ('name') and no client id or timestamp column; upload it under Your "
        "services, Upload a menu (command line: match --menu)."
    ) in values(at.text)
    assert survey_state(at).pending is None and survey_in_use(at) is None
