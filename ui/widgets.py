"""Small display helpers shared by the pages."""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
PLOTLY_CONFIG = {"displayModeBar": False, "responsive": True}


def escape_md(text: str) -> str:
    """User text made inert for st.markdown: every markdown and HTML character is escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def chart(fig: go.Figure, key: str) -> None:
    """A plotly chart with the house settings, its title as the alternative text."""
    st.plotly_chart(
        fig, key=f"{key}_chart", config=PLOTLY_CONFIG, alt=fig.layout.title.text or "Chart"
    )


def chart_with_table(fig: go.Figure, table: Callable[[], pd.DataFrame], key: str) -> None:
    """A chart, and the same numbers as a table for people who cannot see it.

    The table is made and sent only while its expander is open (Streamlit's lazy expander):
    a closed one costs a slider move nothing, on the server or in the browser.
    """
    chart(fig, key)
    numbers = st.expander("Show the numbers as a table", key=f"{key}_numbers", on_change="rerun")
    if numbers.open:
        with numbers:
            st.dataframe(table(), hide_index=True, key=f"{key}_table")
