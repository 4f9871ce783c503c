"""The mapping step of an uploaded survey: which column answers which criterion, on which scale.

The owner sees the proposal as a table, changes any row, may lay a saved mapping file over it,
is warned before confirming a weak mapping that leaves answers unread, and confirms; the
confirmed mapping can be downloaded for next time. The step works on the upload it is handed
(ui.survey_upload.Pending, which the survey step owns) and keeps nothing of its own: its widgets
are keyed by the upload's version, so a new upload or a laid-over mapping starts them afresh.

Notes are shown with their choices named by the page's own controls (`PAGE`, `page_text`),
never by the command line's flags.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from advisor.catalog import Catalog
from advisor.errors import InputFileError
from advisor.files import mapping as mp
from advisor.files.notes import Choice, Note, Wording
from advisor.files.reading import (
    RawTable,
    SurveyImport,
    apply_mapping,
    mapping_fault,
    unread_answers,
)
from advisor.files.scales import AUTO, SCALES
from ui.state import declare

if TYPE_CHECKING:
    from ui.survey_upload import Pending

ROLE_NAMES = {
    mp.IGNORE: "Not a criterion",
    mp.PERSONAL: "Personal (never copied)",
    mp.CLIENT: "Client id",
}
MAPPING_NOT_USED = "This mapping file could not be used; fix it, or choose each row below."
KEPT = "The survey in use is still the last one that could be read."
COLUMN, EXAMPLE, READ_AS, WHY = "Column in your file", "Example answer", "Read as", "Why"
SCALE = "Answer scale"
# The labels of the survey step's controls (ui.survey_upload) where a note's choice is made.
HEADER_ROW = "Header row (the questions)"
SHEET = "Sheet"
KEEP_REPEATS = "Keep every answer of a client who answered more than once"
_CONTROLS = {
    "header_row": repr(HEADER_ROW),
    "sheet": repr(SHEET),
    "keep_repeats": repr(KEEP_REPEATS),
    "scale": repr(SCALE),
    "mapping": f"the {READ_AS!r} column",
}


def _control(choice: Choice) -> str:
    """A note's choice as the page's control that makes it (never a command-line flag)."""
    name = _CONTROLS[choice.control]
    if choice.control == "scale" and choice.setting in SCALES:
        return f"{name}, {SCALES[choice.setting].label}"
    return name


# How the page words a note's choices: by its own controls (advisor.files.notes.Note.worded).
PAGE = Wording("on this page", _control)


def page_text(note: object) -> str:
    """A note (or a refusal's reason) as the page shows it: its choices named by the page's
    controls."""
    return note.worded(PAGE) if isinstance(note, Note) else str(note)


STATE = declare(
    __name__,
    owned=("sm_mapping_upload_*", "sm_mapping_editor_*", "sm_scale_*", "sm_confirm_mapping"),
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


def _saved_mapping_upload(pending: Pending, vocabulary: mp.Vocabulary) -> None:
    upload = st.file_uploader(
        "Use a saved mapping (.json)",
        type=["json"],
        max_upload_size=1,
        key=f"sm_mapping_upload_{pending.version}",
        help="The mapping file you downloaded after confirming a survey of the same form.",
    )
    if upload is None:  # none, or the owner took the file away: its fault goes with it
        pending.mapping_seen, pending.mapping_error = None, None
        return
    if pending.mapping_seen == upload.file_id:
        return
    pending.mapping_seen = upload.file_id
    try:
        saved, scale = mp.read_mapping(upload.getvalue(), upload.name, vocabulary)
    except InputFileError as error:
        pending.mapping_error = str(error)
        return
    mapping, notes = mp.apply_saved(pending.table.proposal, saved)
    pending.lay_over(mapping, [replace(n, text=f"{upload.name}: {n.text}") for n in notes], scale)
    st.rerun()


def _invite(pending: Pending) -> None:
    """No column is read as a criterion yet: what to do, as an invitation (the fault is shown
    only if the owner confirms so); after a broken mapping file, as what follows from it."""
    text = (
        f"Choose {READ_AS!r} for each column of your file: the criterion its answers are "
        "about, or Not a criterion. Then press Confirm."
    )
    if pending.mapping_error:
        text = f"Until the mapping file is fixed, choose {READ_AS!r} for each column here."
    st.info(text, icon=":material/touch_app:")


def mapping_step(
    pending: Pending, catalog: Catalog, vocabulary: mp.Vocabulary
) -> SurveyImport | None:
    """Draw the mapping step of `pending`; return the import once the owner confirms it (else
    None). File, column and sheet names are the owner's text: they are shown as plain text or
    in table cells, never as markup."""
    table = pending.table
    _saved_mapping_upload(pending, vocabulary)
    if pending.mapping_error:
        st.error(MAPPING_NOT_USED, icon=":material/error:")
        st.text(pending.mapping_error)
    for note in pending.mapping_notes:
        st.text(page_text(note))
    edited = st.data_editor(
        proposal_frame(table, pending.mapping, catalog),
        key=f"sm_mapping_editor_{pending.version}",
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
    scales = [AUTO, *SCALES]
    pending.scale = st.selectbox(
        SCALE,
        scales,
        index=scales.index(pending.scale) if pending.scale in scales else 0,
        key=f"sm_scale_{pending.version}",
        format_func=lambda k: "Recognise it from the answers" if k == AUTO else SCALES[k].label,
        help="Every scale is read linearly onto 0-10: its lowest answer is 0, its highest 10.",
    )
    problems = mp.check(mapping, vocabulary)
    unread = None if problems else unread_answers(table, mapping, vocabulary)
    if unread is not None:  # a weak mapping: said before the owner confirms it
        st.warning("Some answers may not be read:", icon=":material/warning:")
        st.text(page_text(unread))
    waiting = problems == [mp.NO_CRITERION]  # nothing chosen yet: an invitation, not a fault
    if waiting and not st.session_state.get("sm_confirm_mapping"):
        _invite(pending)
    confirmed = st.button(
        "Confirm the mapping",
        key="sm_confirm_mapping",
        type="primary",
        disabled=bool(problems) and not waiting,
    )
    for problem in problems if confirmed or not waiting else ():
        st.error("This mapping cannot be used yet:", icon=":material/error:")
        st.text(f"{mapping_fault(table, problem, vocabulary, PAGE)} {KEPT}")
    if not confirmed or problems:
        return None
    try:
        imported = apply_mapping(
            table,
            mapping,
            vocabulary,
            pending.scale,
            keep_repeats=pending.keep_repeats,
            by_owner=True,  # the owner confirmed each row
        )
    except InputFileError as error:
        st.text(str(error))
        return None
    imported.notes[:0] = pending.mapping_notes  # the saved mapping's notes stay with the survey
    return imported
