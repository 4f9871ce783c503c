"""ui.state: which session-state keys are kept across pages, and that keeping them works."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ui.state import KEPT_PREFIXES, NOT_KEPT


@pytest.mark.parametrize(
    ("key", "kept"),
    [
        ("w_relaxation", True),
        ("flag_pregnancy", True),
        ("fm_preset", True),
        ("pc_menu", True),
        ("pc_threshold", True),
        ("pc_menu_upload", False),  # a file uploader: a script may not set it
        ("pc_survey_upload", False),
        ("pc_use_sample", False),  # a button
        ("pc_editor_3", False),  # a data editor
        ("pc_new_name", False),  # the add-service form clears itself
        ("pc_editor_x", True),  # only numbered editors are widgets
        ("other", False),
        ("W_relaxation", False),  # prefixes are case-sensitive
    ],
)
def test_which_keys_are_kept(key: str, kept: bool) -> None:
    assert (key.startswith(KEPT_PREFIXES) and not NOT_KEPT.fullmatch(key)) is kept


def _page_with_a_slider() -> None:
    """A slider drawn only while `show` is set; keep_widget_state runs first, as in app.py."""
    import streamlit as st

    from ui.state import keep_widget_state

    if st.session_state.get("keep", True):
        keep_widget_state()
    if st.session_state.get("show", True):
        st.slider("Weight", 0, 10, 5, key="w_x")


@pytest.mark.parametrize(("keep", "after"), [(True, 7), (False, 5)])
def test_a_slider_keeps_its_value_while_not_drawn(keep: bool, after: int) -> None:
    # Without keep_widget_state, Streamlit forgets the value of a widget a run did not draw:
    # the slider comes back at its default of 5.
    at = AppTest.from_function(_page_with_a_slider)
    at.session_state["keep"] = keep
    at.run()
    at.slider(key="w_x").set_value(7).run()
    at.session_state["show"] = False
    at.run()
    at.session_state["show"] = True
    at.run()
    assert not at.exception
    assert at.slider(key="w_x").value == after
