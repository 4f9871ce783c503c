"""ui.survey_upload: the survey in use on Position my clinic, the sample until a file is read."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from advisor.catalog import DATA_DIR, SAMPLE_SURVEY_FILE

SAMPLE_ROWS = len((DATA_DIR / SAMPLE_SURVEY_FILE).read_text().splitlines()) - 1


def _page() -> None:
    """The survey input alone; the survey in use goes to session state for the test to read."""
    import streamlit as st

    from ui.data import get_catalog
    from ui.survey_upload import survey_input

    st.session_state["in_use"] = len(survey_input(get_catalog()))


def test_the_synthetic_sample_until_a_file_is_read() -> None:
    at = AppTest.from_function(_page, default_timeout=30).run()
    assert not at.exception
    assert at.session_state["in_use"] == SAMPLE_ROWS
    assert at.info[0].value.startswith(
        f"Showing the **synthetic sample survey** ({SAMPLE_ROWS:,} made-up clients"
    )
    assert at.session_state["pc_survey_name"] == "Sample survey (synthetic)"


def test_a_read_survey_is_shown_by_its_name_and_can_be_put_back() -> None:
    at = AppTest.from_function(_page, default_timeout=30).run()
    survey = pd.DataFrame({"client_id": ["a", "b"], "relaxation": [5.0, 7.0]})
    at.session_state["pc_survey"] = survey
    at.session_state["pc_survey_name"] = "my_*clients*.csv"
    at.session_state["pc_survey_problems"] = ["my_*clients*.csv: row 3 was left out."]
    at.run()
    assert at.session_state["in_use"] == 2
    # the file name is user text: markdown characters are escaped
    assert at.success[0].value == r"Showing my\_\*clients\*\.csv: 2 clients."
    assert at.expander[0].label == "1 notes on the uploaded file"
    at.button(key="pc_use_sample").click().run()
    assert at.session_state["in_use"] == SAMPLE_ROWS
    assert not at.success
    assert not at.expander
