"""The client survey on Position my clinic: the template, the owner's upload, or the sample.

A file whose columns are exactly the criterion ids is read at once; any other goes through the
mapping step (ui/survey_mapping.py) first. The survey read last stays in this visitor's session
(`pc_survey`), and so does an upload waiting for its mapping; a file that cannot be used leaves
the last survey in place and says why. Nothing of an upload is stored anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pandas as pd
import streamlit as st

from advisor.catalog import Catalog
from advisor.errors import InputFileError
from advisor.files import mapping as mp
from advisor.files.reading import (
    MEGABYTE,
    UPLOAD_LIMIT_MB,
    RawTable,
    SurveyImport,
    apply_mapping,
    read_table,
)
from advisor.files.scales import AUTO, SCALES
from advisor.files.template import questions_csv, questions_text, template_xlsx, vocabulary
from advisor.files.workbook import WORKBOOK_SUFFIXES
from advisor.files.writing import to_csv_bytes
from ui.data import sample_survey
from ui.state import declare
from ui.survey_mapping import mapping_step
from ui.widgets import escape_md, on_demand

SAMPLE_NAME = "Sample survey (synthetic)"
UPLOAD_TYPES = ["csv", "txt", "tsv", *(s.lstrip(".") for s in WORKBOOK_SUFFIXES)]
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

STATE = declare(
    __name__,
    owned=(
        "pc_survey",
        "pc_survey_name",
        "pc_survey_problems",
        "pc_upload_seen",
        "pc_table",
        "pc_survey_mapping",
        "pc_mapping_version",
        "pc_survey_scale",
        "pc_survey_asked",
        "pc_upload_error",
        "pc_upload_reasons",
        "pc_upload_reason_table",
        "pc_read_table",
        "pc_upload_bytes",
        "pc_mapping",
        "pc_mapping_notes",
        "pc_mapping_error",
        "pc_sheet_*",
        "pc_survey_upload",
        "pc_scale_read",
        "pc_use_sample",
        "pc_problem_table",
        "pc_template_box",
    ),
    kept=("pc_scale_read", "pc_template_box"),
)


def _init_state() -> None:
    if "pc_survey_name" not in st.session_state:
        st.session_state["pc_survey"] = None
        st.session_state["pc_survey_name"] = SAMPLE_NAME
        st.session_state["pc_survey_problems"] = []
        st.session_state["pc_upload_seen"] = None
        st.session_state["pc_table"] = None
        st.session_state["pc_survey_mapping"] = None
        st.session_state["pc_mapping_version"] = 0


def _template(catalog: Catalog) -> None:
    box = on_demand("Survey template: the 13 questions to ask your clients", "pc_template_box")
    if box is None:
        return
    with box:
        st.markdown(
            "Ask each client these questions, answered from 0 (not important at all) to 10 "
            "(most important). A spreadsheet with one row per client and the columns "
            "`client_id` and the criterion ids (as in the template) reads at once; a form "
            "tool's own export (whole questions as headers, 1-5 or 1-7 ratings, words such as "
            "*Very important*) is read after you check how its columns are mapped."
        )
        left, middle = st.columns(2)
        left.download_button(
            "Template workbook (.xlsx)",
            partial(template_xlsx, catalog),
            file_name="survey-template.xlsx",
            mime=XLSX_MIME,
            icon=":material/download:",
            on_click="ignore",
        )
        middle.download_button(
            "Questions (.csv)",
            partial(questions_csv, catalog),
            file_name="survey-questions.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
        )
        st.caption("The questions as text, to paste into a form builder:")
        st.code(questions_text(catalog), language=None)


def _store(imported: SurveyImport, name: str, mapping: dict[str, str] | None) -> bool:
    """Keep what was read as the survey in use; False (and the last good survey kept, with the
    reasons in pc_upload_reasons) when no row could be used."""
    if not imported.rows_kept:
        refusal = imported.refusal()
        st.session_state["pc_upload_error"] = (
            f"{name}: no row could be used; the previous data is kept."
        )
        st.session_state["pc_upload_reasons"] = [str(r) for r in refusal.reasons]
        return False
    st.session_state["pc_survey"] = imported.frame
    st.session_state["pc_survey_name"] = name
    st.session_state["pc_survey_mapping"] = (mapping, imported.scale.key)
    st.session_state["pc_survey_scale"] = imported.scale.key
    # the criteria the file asked about (a mapped column each); the others were set to 0
    asked = set(imported.mapping.values())
    st.session_state["pc_survey_asked"] = [c for c in imported.frame.columns if c in asked]
    st.session_state["pc_upload_error"] = None
    st.session_state["pc_upload_reasons"] = []
    st.session_state["pc_survey_problems"] = imported.problems
    return True


def _read(data: bytes, name: str, words: mp.Vocabulary, sheet: str | None = None) -> bool:
    """Read an upload: straight in when its columns are the criterion ids, else to mapping.
    False when nothing could be used (the reason is in pc_upload_error; the last good survey,
    table and scale stay as they were)."""
    st.session_state["pc_upload_error"] = None
    st.session_state["pc_upload_reasons"] = []
    try:
        table = read_table(data, words, name, sheet, max_bytes=UPLOAD_LIMIT_MB * MEGABYTE)
        if mp.is_exact(table.columns, words) and len(table.sheets) <= 1:
            imported = apply_mapping(table, table.proposed(), words, AUTO)
            if not _store(imported, name, None):
                return False
            st.session_state["pc_table"] = None
            st.session_state["pc_read_table"] = table
            st.session_state["pc_scale_read"] = imported.scale.key
            return True
    except InputFileError as error:
        st.session_state["pc_upload_error"] = str(error)
        st.session_state["pc_upload_reasons"] = [str(r) for r in error.reasons]
        return False
    st.session_state["pc_table"] = table
    st.session_state["pc_read_table"] = None
    st.session_state["pc_upload_bytes"] = data
    st.session_state["pc_mapping"] = table.proposed()
    st.session_state["pc_mapping_notes"] = []
    st.session_state["pc_mapping_error"] = None
    st.session_state["pc_scale"] = AUTO
    st.session_state["pc_mapping_version"] += 1
    return True


def _sheet_choice(table: RawTable, words: mp.Vocabulary) -> None:
    if len(table.sheets) <= 1:
        return
    sheet = st.selectbox(
        f"Sheet of {table.name}",
        table.sheets,
        index=table.sheets.index(table.sheet),
        key=f"pc_sheet_{st.session_state['pc_mapping_version']}",
    )
    if sheet != table.sheet:
        if not _read(st.session_state["pc_upload_bytes"], table.name, words, sheet):
            # the sheet cannot be used: a new picker key shows the sheet in use again, so the
            # next run does not try the same sheet once more (the error says why)
            st.session_state["pc_mapping_version"] += 1
        st.rerun()


def survey_input(catalog: Catalog) -> pd.DataFrame:
    """Draw the template, the uploader, the mapping step and what was read; return the survey
    in use (client_id + one weight column 0..10 per criterion)."""
    _init_state()
    words = vocabulary(catalog)
    _template(catalog)
    upload = st.file_uploader(
        f"Upload your client survey (CSV, text or Excel workbook, up to {UPLOAD_LIMIT_MB} MB)",
        type=UPLOAD_TYPES,
        key="pc_survey_upload",
        help="A form tool's export as it comes, or the template filled in. One row per client.",
    )
    if upload is not None and st.session_state["pc_upload_seen"] != upload.file_id:
        st.session_state["pc_upload_seen"] = upload.file_id
        _read(upload.getvalue(), upload.name, words)
    if st.session_state.get("pc_upload_error"):
        st.error(
            escape_md(st.session_state["pc_upload_error"])
            + " The data shown below is still the last file that could be read.",
            icon=":material/error:",
        )
        if st.session_state.get("pc_upload_reasons"):
            st.dataframe(
                pd.DataFrame({"Reason": st.session_state["pc_upload_reasons"]}),
                hide_index=True,
                key="pc_upload_reason_table",
            )
    table: RawTable | None = st.session_state["pc_table"]
    if table is not None:
        _sheet_choice(table, words)
        imported = mapping_step(table, catalog, words)
        if imported is not None:
            _store(imported, table.name, imported.mapping)
            st.session_state["pc_table"] = None
            st.rerun()
    if st.session_state.get("pc_read_table") is not None and table is None:
        _rescale(words)
    return _shown_survey(catalog)


def _rescale(words: mp.Vocabulary) -> None:
    """The answer scale of a file read at once (its columns were the ids), which the owner can
    change: the file is read again on the chosen scale."""
    table: RawTable = st.session_state["pc_read_table"]
    scale = st.selectbox(
        f"Answer scale of {table.name}",
        list(SCALES),
        key="pc_scale_read",
        format_func=lambda k: SCALES[k].label,
        help="Recognised from the answers; every scale is read linearly onto 0-10.",
    )
    if scale != st.session_state.get("pc_survey_scale"):
        try:
            imported = apply_mapping(table, table.proposed(), words, scale)
        except InputFileError as error:
            st.error(escape_md(str(error)))
            return
        if _store(imported, table.name, None):
            st.rerun()


def _shown_survey(catalog: Catalog) -> pd.DataFrame:
    survey = st.session_state["pc_survey"]
    if survey is None:
        survey = sample_survey(catalog)
        st.session_state["pc_survey_name"] = SAMPLE_NAME
        st.info(
            f"Showing the **synthetic sample survey** ({len(survey):,} made-up clients drawn "
            "from the segments above). Upload your own survey to replace it.",
            icon=":material/science:",
        )
        return survey
    left, right = st.columns([3, 1])
    left.success(
        f"Showing {escape_md(st.session_state['pc_survey_name'])}: {len(survey):,} "
        + ("client." if len(survey) == 1 else "clients.")
    )
    if right.button("Back to the sample", key="pc_use_sample"):
        st.session_state["pc_survey"] = None
        st.session_state["pc_survey_name"] = SAMPLE_NAME
        st.session_state["pc_survey_problems"] = []
        st.session_state["pc_survey_mapping"] = None
        st.session_state["pc_read_table"] = None
        st.rerun()
    problems = st.session_state["pc_survey_problems"]
    if problems:
        lines = "\n".join(f"- {escape_md(p)}" for p in problems)
        count = f"{len(problems)} note" + ("s" if len(problems) != 1 else "")
        st.warning(
            f"{count} on {escape_md(st.session_state['pc_survey_name'])}: "
            f"what was left out, counted as 0 or rescaled.\n\n{lines}",
            icon=":material/info:",
        )
        with st.expander("The notes as a table"):
            st.dataframe(pd.DataFrame({"Note": problems}), hide_index=True, key="pc_problem_table")
    saved = st.session_state.get("pc_survey_mapping")
    if saved and saved[0] is not None:
        st.download_button(
            "Download this mapping (.json), to read the next export the same way",
            mp.mapping_json(*saved),  # the scale the answers were read on, 0-10 included
            file_name="survey-mapping.json",
            mime="application/json",
            icon=":material/download:",
            on_click="ignore",
        )
    return survey


def scored_download(make: Callable[[], pd.DataFrame]) -> None:
    """The scored-survey download: the file is made only when the owner presses the button."""
    st.download_button(
        "Download the scored survey (.csv)",
        lambda: to_csv_bytes(make()),
        file_name="scored-survey.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
