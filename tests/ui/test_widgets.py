"""ui.widgets: user text made inert for markdown, and a chart beside its numbers as a table."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ui.widgets import escape_md


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Spa massage", "Spa massage"),
        ("**bold**", r"\*\*bold\*\*"),
        ("[x](http://e.com)", "\\[x\\]\\(http\u2060\\://e\\.com\\)"),
        ("see www.e.com", "see www\u2060\\.e\\.com"),
        ("ana@e.com", "ana\u2060@e\\.com"),
        ("Note: 10", "Note\u2060\\: 10"),
        ("<img src=x>", r"\<img src=x\>"),
        ("# heading", r"\# heading"),
        ("a_b-c", r"a\_b\-c"),
        ("$x$", r"\$x\$"),
        ("back\\slash", r"back\\slash"),
        ("", ""),
    ],
)
def test_escape_md(text: str, expected: str) -> None:
    assert escape_md(text) == expected


def test_escaped_text_renders_as_typed() -> None:
    def page() -> None:
        import streamlit as st

        from ui.widgets import escape_md

        st.markdown(escape_md("**not bold** [no link](http://e.com) <b>x</b>"))

    at = AppTest.from_function(page).run()
    assert not at.exception
    shown = at.markdown[0].value
    assert "**" not in shown.replace(r"\*", "")
    assert "<b>" not in shown.replace(r"\<", "")


def _page_with_a_chart() -> None:
    """One chart with its table; counts how often the table is made."""
    import pandas as pd
    import plotly.graph_objects as go
    import streamlit as st

    from ui.widgets import chart_with_table

    def table() -> pd.DataFrame:
        st.session_state["made"] = st.session_state.get("made", 0) + 1
        return pd.DataFrame({"Type": ["medical", "spa"], "Match (%)": [40.9, 87.3]})

    fig = go.Figure(go.Bar(x=[40.9, 87.3], y=["medical", "spa"]), layout={"title": "Spa leads"})
    chart_with_table(fig, table, key="demo")


def test_chart_with_table_makes_the_table_only_while_open() -> None:
    at = AppTest.from_function(_page_with_a_chart).run()
    assert not at.exception
    assert [chart.key for chart in at.get("plotly_chart")] == ["demo_chart"]
    assert at.get("plotly_chart")[0].proto.alt == "Spa leads"
    numbers = at.expander[0]
    assert numbers.label == "Show the numbers as a table"
    assert len(numbers.children) == 0
    assert "made" not in at.session_state

    at.session_state["demo_numbers"] = True
    at.run()
    assert not at.exception
    assert at.session_state["made"] == 1
    shown = at.expander[0].dataframe[0].value
    assert shown.to_dict("list") == {"Type": ["medical", "spa"], "Match (%)": [40.9, 87.3]}


def _skip_page() -> None:
    import streamlit as st

    from ui.widgets import skip_link

    skip_link("results", "Skip to the [results]")
    st.subheader("Your answer", anchor="results")


def test_skip_link_points_at_its_heading():
    at = AppTest.from_function(_skip_page).run()
    assert not at.exception
    assert at.markdown[0].value == r"[Skip to the \[results\]](#results)"
    assert at.subheader[0].proto.anchor == "results"


@pytest.mark.parametrize("anchor", ["", "two words", "#results", "x)(javascript:alert(1)", "1st"])
def test_skip_link_refuses_an_anchor_that_is_not_a_plain_id(anchor):
    from ui.widgets import skip_link

    with pytest.raises(ValueError, match="Not a plain heading id"):
        skip_link(anchor, "Skip")


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ({"Yours (%)": [17.0, 23.8], "Typical (%)": [16.0, 20.0]}, "%.1f"),
        ({"Yours (%)": [17.0, 24.0], "Typical (%)": [16.0, float("nan")]}, "%.0f"),
        ({"Yours (%)": [17.25, 1 / 3]}, "%.2f"),
    ],
)
def test_every_float_column_of_a_table_has_one_format(columns, expected) -> None:
    import pandas as pd

    from ui.widgets import number_formats

    table = pd.DataFrame({"Segment": ["one", "two"], **columns})
    formats = number_formats(table)
    assert list(formats) == list(columns)  # text columns are left alone
    assert {f["type_config"]["format"] for f in formats.values()} == {expected}
