"""Small display helpers shared by the pages."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
PLOTLY_CONFIG = {"displayModeBar": False, "responsive": True}


def escape_md(text: str) -> str:
    """User text made inert for st.markdown: every markdown and HTML character is escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def chart_with_table(fig: go.Figure, table: pd.DataFrame, key: str) -> None:
    """A chart, and the same numbers as a table for people who cannot see it."""
    title = fig.layout.title.text or "Chart"
    st.plotly_chart(fig, key=f"{key}_chart", config=PLOTLY_CONFIG, alt=title)
    with st.expander("Show the numbers as a table"):
        st.dataframe(table, hide_index=True, key=f"{key}_table")


def source_caption(section_title: str) -> None:
    st.caption(f"Source: the article's section *{section_title}*")
