"""Small display helpers shared by the pages."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# what GFM links without any markup (after escaping): a scheme's colon, "www." and an "@"
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(?=\\:)|(?<=www)(?=\\\.)|(?=@)")
_JOINER = "\u2060"
PLOTLY_CONFIG = {"displayModeBar": False, "responsive": True}


def escape_md(text: str) -> str:
    """User text made inert for st.markdown: every markdown and HTML character is escaped, and
    what GFM would still turn into a link is broken by an invisible word joiner (U+2060).

    Streamlit's markdown links bare addresses (http://..., www...., name@host) after escapes
    are read, so a backslash cannot stop them: "http\\://e.x" is still a live link. The joiner
    goes before a colon that follows a letter, after "www" and before "@": it shows as nothing."""
    return _AUTOLINK.sub(_JOINER, _MARKDOWN_SPECIAL.sub(r"\\\1", text))


def chart(fig: go.Figure, key: str) -> None:
    """A plotly chart with the house settings, its title as the alternative text.

    theme=None draws the figure exactly as its spec says: Streamlit's own chart theme would
    repaint the tick labels and axis titles a grey that reads at 3.7:1 on white, where the
    spec's colours (advisor/figures/style.py) read at 4.5:1 or better.
    """
    st.plotly_chart(
        fig,
        key=f"{key}_chart",
        config=PLOTLY_CONFIG,
        alt=html.unescape((fig.layout.title.text or "Chart").replace("<br>", " ")),
        theme=None,
    )


def on_demand(label: str, key: str) -> DeltaGenerator | None:
    """An expander whose content is made and sent only while it is open (Streamlit's lazy
    expander): the open expander to write into, or None while it is closed."""
    box = st.expander(label, key=key, on_change="rerun")
    return box if box.open else None


MOST_DECIMALS = 2


def number_formats(table: pd.DataFrame) -> dict[str, object]:
    """A column config giving every float column of `table` one format: the fewest decimals
    (up to MOST_DECIMALS) that show each of their values as it is. Left alone, Streamlit drops
    trailing zeros, so "17" stands next to "23.8"; here both read 17.0 and 23.8."""
    floats = table.select_dtypes("float")
    values = floats.to_numpy(dtype=float).ravel()
    values = values[~np.isnan(values)]
    decimals = next(
        (d for d in range(MOST_DECIMALS) if np.allclose(values, values.round(d), rtol=0)),
        MOST_DECIMALS,
    )
    number = st.column_config.NumberColumn(format=f"%.{decimals}f")
    return dict.fromkeys(floats.columns, number)


def number_table(table: pd.DataFrame, key: str) -> None:
    """A table of numbers, without its index, every float column in one format
    (number_formats)."""
    st.dataframe(table, hide_index=True, key=key, column_config=number_formats(table))


def chart_with_table(fig: go.Figure, table: Callable[[], pd.DataFrame], key: str) -> None:
    """A chart, and the same numbers as a table for people who cannot see it.

    The table is made and sent only while its expander is open (Streamlit's lazy expander):
    a closed one costs a slider move nothing, on the server or in the browser.
    """
    chart(fig, key)
    numbers = on_demand("Show the numbers as a table", f"{key}_numbers")
    if numbers is not None:
        with numbers:
            number_table(table(), f"{key}_table")


# Streamlit gives the app's root the class `streamlit-embedded` when the URL has ?embed=true.
EMBEDDED_NAV_STYLE = "<style>.streamlit-embedded .st-key-page_nav { display: none; }</style>"


def page_nav(row: DeltaGenerator, pages: Sequence[st.Page]) -> None:
    """The app's navigation in `row` (a horizontal container at the top of the page): a link
    per page with its icon and name, wrapping on a narrow screen. Streamlit's own navigation
    collapses on a phone to an unlabelled icon; this one names every page at every width, and
    is the first thing the Tab key reaches. In a clinic's page (`?embed=true`, docs/embed.md),
    where Streamlit marks the app `streamlit-embedded`, the links are hidden: the frame shows
    the page alone."""
    with row:
        st.html(EMBEDDED_NAV_STYLE)
        for page in pages:
            st.page_link(page, label=page.title, icon=page.icon)


def skip_link(anchor: str, label: str) -> None:
    """A link that jumps past what comes before to the heading drawn with `anchor=anchor`
    (say st.subheader("Your answer", anchor="results")), for keyboard and screen-reader users.

    Raises ValueError for an anchor that is not a plain id (letters, digits, "-" and "_").
    """
    if not re.fullmatch(r"[A-Za-z][\w-]*", anchor):
        raise ValueError(f"Not a plain heading id: {anchor!r} (letters, digits, - and _ only).")
    st.markdown(f"[{escape_md(label)}](#{anchor})")
