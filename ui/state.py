"""Session-state keys shared between the entry file and the pages."""

from __future__ import annotations

import re

import streamlit as st

WEIGHT_PREFIX = "w_"
FLAG_PREFIX = "flag_"
FIND_PREFIX = "fm_"
CLINIC_PREFIX = "pc_"
KEPT_PREFIXES = (WEIGHT_PREFIX, FLAG_PREFIX, FIND_PREFIX, CLINIC_PREFIX)
# Widgets whose value a script may not set (file uploaders, buttons, data editors): writing
# their key back raises StreamlitValueAssignmentNotAllowedError on the next run, and their
# results already live in plain session state (pc_menu, pc_survey), so they are not kept.
# The add-service form (pc_new_*) clears itself on submit, so it is not kept either.
NOT_KEPT = re.compile(r"pc_(menu_upload|survey_upload|use_sample|editor_\d+|new_\w+)")


def keep_widget_state() -> None:
    """Keep page widgets' values when the visitor goes to another page and back.

    Streamlit drops the state of widgets that a run does not draw; writing each value back as
    plain session state at the start of every run (in the entry file) keeps it.
    """
    for key in list(st.session_state):
        if isinstance(key, str) and key.startswith(KEPT_PREFIXES) and not NOT_KEPT.fullmatch(key):
            st.session_state[key] = st.session_state[key]
