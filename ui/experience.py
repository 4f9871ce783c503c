"""What a session is like and its downsides, from sourced facts (data/experience.csv): the Compare
page's grid of the questions people ask, answered for both types side by side as an Option Grid
does, and the lines the answer on Find my massage shows for the leading type.

Every fact names its public source with its date and the day it was read; where none was found,
the fact says so (the catalog checks that a fact gives its source whole or not at all). All text
here is our own data, so it is written as markdown.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from advisor.about import source_date_words
from advisor.catalog import BOTH_TYPES, Catalog
from advisor.dates import date_words

GOOD_FIT = 8  # a fit of 8 or more is listed under "good for"
POOR_FIT = 3  # a fit of 3 or less under "less good for"


def citation(row: pd.Series, short: bool = False) -> str:
    """A fact's source as markdown: the source's name (a link to its address), its own date and
    the day it was read, and whether it was read through a copy. `short` gives the publisher
    and date only. "No public source found" for a fact without one."""
    if not row["source_name"]:
        return "*No public source found.*"
    name = str(row["source_name"])
    own = source_date_words(str(row["source_date"]))
    if short:
        return f"*(source: {name.split(':')[0]}, {own})*"
    address = row["source_url"] or row["read_at"]
    read = date_words(date.fromisoformat(str(row["read_on"])))
    copy = " through a copy" if row["read_at"] and row["read_at"] != row["source_url"] else ""
    return f"*Source: [{name}]({address}), {own}; read on {read}{copy}.*"


def fact_lines(rows: pd.DataFrame, short: bool = False) -> list[str]:
    """Each fact of `rows` (experience.csv rows) with its citation."""
    return [f"{row['text']} {citation(row, short)}" for _, row in rows.iterrows()]


def _both(catalog: Catalog, question: str) -> pd.DataFrame:
    rows = catalog.experience
    return rows[(rows["question"] == question) & (rows["type_id"] == BOTH_TYPES)]


def _own(catalog: Catalog, question: str, type_id: str) -> pd.DataFrame:
    rows = catalog.experience
    return rows[(rows["question"] == question) & (rows["type_id"] == type_id)]


def grid_section(catalog: Catalog, type_ids: tuple[str, ...]) -> None:
    """Compare: each question of questions.csv answered for every type. A fact that holds for
    both types is shown once, across both; facts for one type sit in its column."""
    st.header("What people ask", anchor="ask")
    st.markdown(
        "The questions people most often ask before they book, answered for both types. These "
        "facts come from public health and massage sources, not from the article. Each one "
        "names its source and its date."
    )
    names = " and ".join(catalog.type_name(t).lower() for t in type_ids)
    for qid, question in catalog.questions["question"].items():
        with st.container(border=True):
            st.subheader(question, anchor=False)
            both = _both(catalog, qid)
            if not both.empty:
                st.markdown(
                    f"**For {names}:**\n\n" + "\n".join(f"- {line}" for line in fact_lines(both))
                )
            own = {t: _own(catalog, qid, t) for t in type_ids}
            if all(not rows.empty for rows in own.values()):
                for column, type_id in zip(st.columns(len(type_ids)), type_ids, strict=True):
                    column.markdown(_type_facts(catalog, type_id, own[type_id]))
            else:
                for type_id, rows in own.items():
                    if not rows.empty:
                        st.markdown(_type_facts(catalog, type_id, rows))


def _type_facts(catalog: Catalog, type_id: str, rows: pd.DataFrame) -> str:
    lines = "\n".join(f"- {line}" for line in fact_lines(rows))
    return f"**{catalog.type_name(type_id)}:**\n\n{lines}"


def fit_lists(catalog: Catalog, type_id: str) -> tuple[list[str], list[str]]:
    """The criteria a type fits well (GOOD_FIT or more) and poorly (POOR_FIT or less), as labels
    with their fit, best first and worst first."""
    fits = catalog.fits.loc[type_id].sort_values(ascending=False, kind="stable")
    good = [f"{catalog.criterion_label(c)} ({f:.0f})" for c, f in fits.items() if f >= GOOD_FIT]
    poor = [
        f"{catalog.criterion_label(c)} ({f:.0f})"
        for c, f in fits.sort_values(kind="stable").items()
        if f <= POOR_FIT
    ]
    return good, poor


def good_and_poor_section(catalog: Catalog, type_ids: tuple[str, ...]) -> None:
    """Compare: what each type is good for and less good for, in the same form for both."""
    st.header("What each is good for, and less good for", anchor=False)
    st.markdown(
        f"From the fits on the chart below: **good for** means a fit of {GOOD_FIT} or more out "
        f"of 10, **less good for** a fit of {POOR_FIT} or less. The Method page gives the "
        "reason for each fit and the article section it comes from."
    )
    for column, type_id in zip(st.columns(len(type_ids)), type_ids, strict=True):
        good, poor = fit_lists(catalog, type_id)
        with column, st.container(border=True):
            st.subheader(catalog.type_name(type_id), anchor=False)
            st.markdown(
                f"**Good for:** {', '.join(good) or 'nothing at 8 or more'}.\n\n"
                f"**Less good for:** {', '.join(poor) or 'nothing at 3 or less'}."
            )
