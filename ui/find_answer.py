"""Find my massage, the answer column: safety first, then the verdict, chart and reasons.

Everything shown comes from one Explanation (advisor.decision.explanation.explain); this module
only lays it out. Green success styling is used only for a firm answer with no red flag.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

import streamlit as st

from advisor.catalog import Catalog
from advisor.decision.explanation import (
    AFTER_CLEARED,
    SAFETY_BODY,
    SAFETY_HEADLINE,
    Explanation,
    Reason,
)
from advisor.figures.client import match_chart, match_table
from ui.state import declare
from ui.widgets import chart_with_table, on_demand

SHOWN_CHANGES = 3

STATE = declare(
    __name__,
    owned=("safety_note", "match_*", "fm_more_changes"),
    kept=("fm_more_changes",),
)


def bullets(lines: Iterable[str]) -> str:
    """One markdown list: a single element rather than one per line, so a slider move has
    fewer elements to send and draw."""
    return "\n".join(f"- {line}" for line in lines)


def _sourced(reason: Reason) -> str:
    return f"{reason.text} *(source: {reason.section_title})*"


def _safety(exp: Explanation) -> None:
    if exp.red_flags:
        with st.container(border=True, key="safety_note"):
            st.error(f"**{SAFETY_HEADLINE}** {SAFETY_BODY}", icon=":material/health_and_safety:")
            st.markdown(bullets(f"**{f.label}**: {f.guidance}" for f in exp.red_flags))
    elif exp.health_note:
        with st.container(key="safety_note"):
            st.warning(f"**Health first.** {exp.health_note}", icon=":material/health_and_safety:")


def _verdict(exp: Explanation) -> None:
    if exp.red_flags:
        st.markdown(f"**{AFTER_CLEARED}:**")
    if exp.is_firm:
        st.success(exp.verdict, icon=":material/check_circle:")
    elif exp.red_flags:
        st.info(exp.verdict, icon=":material/schedule:")
    elif exp.strength == "leans":
        st.info(exp.verdict, icon=":material/trending_up:")
    else:
        st.info(exp.verdict, icon=":material/balance:")


def answer_section(exp: Explanation, catalog: Catalog) -> None:
    """Safety note, verdict, match chart, reasons on both sides, what would change it and how
    firm it is; an invitation while every priority is 0. Its heading is the skip link's target."""
    st.header("Your answer", anchor="results")
    _safety(exp)
    if exp.strength is None:
        st.info(
            "**No recommendation yet.** Choose a goal above, or move any of your priorities "
            "above 0: the ranking, the reasons behind it and how firm it is will appear here.",
            icon=":material/tune:",
        )
        return
    _verdict(exp)
    result = exp.result
    chart = match_chart(result, catalog, title=exp.chart_title)
    chart_with_table(chart, partial(match_table, result, catalog), "match")

    st.subheader("Why", anchor=False)
    # each side is one markdown element, its heading included: fewer elements per slider move
    if exp.reasons_for:
        lines = bullets(_sourced(r) for r in exp.reasons_for)
        st.markdown(f"**What points to {exp.leader_name}**\n\n{lines}")
    else:
        st.markdown("Your priorities give neither type an edge.")
    if exp.reasons_against:
        lines = bullets(_sourced(r) for r in exp.reasons_against)
        st.markdown(f"**What points the other way**\n\n{lines}")

    st.subheader("What would change the answer", anchor=False)
    if exp.changes:
        st.markdown(bullets(exp.changes[:SHOWN_CHANGES]))
        if len(exp.changes) > SHOWN_CHANGES:
            more = on_demand(f"{len(exp.changes) - SHOWN_CHANGES} more", "fm_more_changes")
            if more is not None:
                with more:
                    st.markdown(bullets(exp.changes[SHOWN_CHANGES:]))
    else:
        st.markdown("No single priority, moved anywhere from 0 to 10, would change the order.")

    st.subheader("How firm it is", anchor=False)
    if exp.robustness is not None:
        st.progress(exp.robustness.per_hundred / 100, text=exp.firmness)
