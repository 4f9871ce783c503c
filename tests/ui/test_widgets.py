"""ui.widgets: the skip link (AppTest) and its guard against anchors that are not plain ids."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def _page() -> None:
    import streamlit as st

    from ui.widgets import skip_link

    skip_link("results", "Skip to the [results]")
    st.subheader("Your answer", anchor="results")


def test_skip_link_points_at_its_heading():
    at = AppTest.from_function(_page).run()
    assert not at.exception
    assert at.markdown[0].value == r"[Skip to the \[results\]](#results)"
    assert at.subheader[0].proto.anchor == "results"


@pytest.mark.parametrize("anchor", ["", "two words", "#results", "x)(javascript:alert(1)", "1st"])
def test_skip_link_refuses_an_anchor_that_is_not_a_plain_id(anchor):
    from ui.widgets import skip_link

    with pytest.raises(ValueError, match="Not a plain heading id"):
        skip_link(anchor, "Skip")
