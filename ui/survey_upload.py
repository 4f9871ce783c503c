"""The client survey on Position my clinic: the owner's upload, or the synthetic sample.

The survey read last stays in this visitor's session (`pc_survey`); a file that cannot be used
leaves it in place and says why.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from advisor.catalog import Catalog
from advisor.errors import InputFileError
from advisor.files.reading import MEGABYTE, UPLOAD_LIMIT_MB, read_survey
from ui.data import sample_survey
from ui.widgets import escape_md

SAMPLE_NAME = "Sample survey (synthetic)"


def _init_state() -> None:
    if "pc_survey_name" not in st.session_state:
        st.session_state["pc_survey"] = None
        st.session_state["pc_survey_name"] = SAMPLE_NAME
        st.session_state["pc_survey_problems"] = []
        st.session_state["pc_upload_seen"] = None


def survey_input(catalog: Catalog) -> pd.DataFrame:
    """Draw the uploader and what it read; return the survey in use (client_id + criteria)."""
    _init_state()
    survey_upload = st.file_uploader(
        f"Upload your client survey (.csv, up to {UPLOAD_LIMIT_MB} MB)",
        type=["csv", "txt"],
        key="pc_survey_upload",
        help="One row per client, one column per criterion id (0..10), an optional client_id. "
        "See data/README.md for the columns.",
    )
    if survey_upload is not None and st.session_state["pc_upload_seen"] != survey_upload.file_id:
        st.session_state["pc_upload_seen"] = survey_upload.file_id
        with st.status(f"Reading {escape_md(survey_upload.name)}...", expanded=False) as status:
            try:
                imported = read_survey(
                    survey_upload.getvalue(),
                    catalog.criterion_ids,
                    name=survey_upload.name,
                    max_bytes=UPLOAD_LIMIT_MB * MEGABYTE,
                )
            except InputFileError as error:
                status.update(label="The file could not be used", state="error")
                st.session_state["pc_upload_error"] = str(error)
            else:
                status.update(label=f"Read {imported.rows_kept:,} clients", state="complete")
                st.session_state["pc_upload_error"] = None
                if imported.rows_kept:
                    st.session_state["pc_survey"] = imported.frame
                    st.session_state["pc_survey_name"] = survey_upload.name
                else:
                    st.session_state["pc_upload_error"] = (
                        f"{survey_upload.name}: no row could be used; the previous data is kept."
                    )
                st.session_state["pc_survey_problems"] = imported.problems
    if st.session_state.get("pc_upload_error"):
        st.error(
            escape_md(st.session_state["pc_upload_error"])
            + " The data shown below is still the last file that could be read.",
            icon=":material/error:",
        )

    survey = st.session_state["pc_survey"]
    if survey is None:
        survey = sample_survey(catalog)
        source = st.session_state["pc_survey_name"] = SAMPLE_NAME
    else:
        source = st.session_state["pc_survey_name"]
    if source == SAMPLE_NAME:
        st.info(
            f"Showing the **synthetic sample survey** ({len(survey):,} made-up clients drawn "
            "from the segments above). Upload your own survey to replace it.",
            icon=":material/science:",
        )
    else:
        left, right = st.columns([3, 1])
        left.success(f"Showing {escape_md(source)}: {len(survey):,} clients.")
        if right.button("Back to the sample", key="pc_use_sample"):
            st.session_state["pc_survey"] = None
            st.session_state["pc_survey_name"] = SAMPLE_NAME
            st.session_state["pc_survey_problems"] = []
            st.rerun()
    problems = st.session_state["pc_survey_problems"]
    if problems:
        with st.expander(f"{len(problems)} notes on the uploaded file"):
            st.dataframe(pd.DataFrame({"Note": problems}), hide_index=True, key="pc_problem_table")
    return survey
