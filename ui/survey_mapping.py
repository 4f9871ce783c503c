"""The mapping step of an uploaded survey: which column answers which criterion, on which scale.

The owner sees the proposal as a table, changes any row, may lay a saved mapping file over it,
and confirms; the confirmed mapping can be downloaded for next time. Everything stays in this
visitor's session. The step's widgets are keyed `sm_*`, outside the kept `pc_*` state (an
uploader, a button and a data editor cannot be written back; ui/state.py).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from advisor.catalog import Catalog
from advisor.errors import InputFileError
from advisor.files import mapping as mp
from advisor.files.reading import RawTable, SurveyImport, apply_mapping, mapping_fault
from advisor.files.scales import AUTO, SCALES
from ui.state import declare
from ui.widgets import escape_md

ROLE_NAMES = {
    mp.IGNORE: "Not a criterion",
    mp.PERSONAL: "Personal (never copied)",
    mp.CLIENT: "Client id",
}
KEPT = "The data shown below is still the last file that could be read."
COLUMN, EXAMPLE, READ_AS, WHY = "Column in your file", "Example answer", "Read as", "Why"

STATE = declare(
    __name__,
    owned=("sm_mapping_upload", "sm_mapping_editor_*", "pc_scale", "sm_confirm_mapping"),
    kept=("pc_scale",),
)


def _choices(catalog: Catalog) -> dict[str, str]:
    """Target -> what the owner reads in the Read as column."""
    return {**ROLE_NAMES, **{c: catalog.criterion_label(c) for c in catalog.criterion_ids}}


def _example(table: RawTable, position: int) -> str:
    cells = table.body[position].dropna()
    return str(cells.iloc[0])[:40] if len(cells) else ""


def proposal_frame(table: RawTable, mapping: dict[str, str], catalog: Catalog) -> pd.DataFrame:
    """The table the owner edits: one row per column of the file."""
    choices = _choices(catalog)
    reasons = {p.column: p.reason for p in table.proposal}
    return pd.DataFrame(
        {
            COLUMN: table.columns,
            READ_AS: [choices[mapping[c]] for c in table.columns],
            EXAMPLE: [_example(table, i) for i in range(len(table.columns))],
            WHY: [reasons[c] for c in table.columns],
        }
    )


def _edited_mapping(edited: pd.DataFrame, catalog: Catalog) -> dict[str, str]:
    back = {label: target for target, label in _choices(catalog).items()}
    return {
        column: back.get(choice, mp.IGNORE)
        for column, choice in zip(edited[COLUMN], edited[READ_AS], strict=True)
    }


def _saved_mapping_upload(table: RawTable, vocabulary: mp.Vocabulary) -> None:
    upload = st.file_uploader(
        "Use a saved mapping (.json)",
        type=["json"],
        max_upload_size=1,
        key="sm_mapping_upload",
        help="The mapping file you downloaded after confirming a survey of the same form.",
    )
    if upload is None or st.session_state.get("pc_mapping_seen") == upload.file_id:
        return
    st.session_state["pc_mapping_seen"] = upload.file_id
    try:
        saved, scale = mp.read_mapping(upload.getvalue(), upload.name, vocabulary)
    except InputFileError as error:
        st.session_state["pc_mapping_error"] = str(error)
        return
    mapping, notes = mp.apply_saved(table.proposal, saved)
    st.session_state["pc_mapping"] = mapping
    st.session_state["pc_mapping_error"] = None
    st.session_state["pc_mapping_notes"] = [f"{upload.name}: {n}" for n in notes]
    st.session_state["pc_scale"] = scale if scale in SCALES else AUTO
    st.session_state["pc_mapping_version"] += 1


def mapping_step(
    table: RawTable, catalog: Catalog, vocabulary: mp.Vocabulary
) -> SurveyImport | None:
    """Draw the mapping step; return the import once the owner confirms it (else None)."""
    st.warning(
        f"**Check how the columns of {escape_md(table.source)} are read**, change any row, "
        "then press Confirm. Until then the data below is still the last confirmed survey.",
        icon=":material/table_edit:",
    )
    _saved_mapping_upload(table, vocabulary)
    if st.session_state.get("pc_mapping_error"):
        st.error(escape_md(st.session_state["pc_mapping_error"]))
    for note in st.session_state.get("pc_mapping_notes", []):
        st.warning(escape_md(note))
    mapping = st.session_state["pc_mapping"]
    edited = st.data_editor(
        proposal_frame(table, mapping, catalog),
        key=f"sm_mapping_editor_{st.session_state['pc_mapping_version']}",
        hide_index=True,
        disabled=[COLUMN, EXAMPLE, WHY],
        column_config={
            COLUMN: st.column_config.TextColumn(COLUMN, width="medium"),
            READ_AS: st.column_config.SelectboxColumn(
                READ_AS, options=list(_choices(catalog).values()), required=True
            ),
        },
    )
    mapping = _edited_mapping(edited, catalog)
    scale = st.selectbox(
        "Answer scale",
        [AUTO, *SCALES],
        key="pc_scale",
        format_func=lambda k: "Recognise it from the answers" if k == AUTO else SCALES[k].label,
        help="Every scale is read linearly onto 0-10: its lowest answer is 0, its highest 10.",
    )
    problems = mp.check(mapping, vocabulary)
    for problem in problems:
        st.error(escape_md(f"{mapping_fault(table, problem, vocabulary)} {KEPT}"))
    confirmed = st.button(
        "Confirm the mapping", key="sm_confirm_mapping", type="primary", disabled=bool(problems)
    )
    if not confirmed:
        return None
    try:
        return apply_mapping(table, mapping, vocabulary, scale)
    except InputFileError as error:
        st.error(escape_md(str(error)))
        return None
