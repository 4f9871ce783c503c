"""Find my massage, the answer: safety first, then the verdict and its chart; the reasons, what
would change it and how firm it is; and the live verdict that stays in view beside the sliders.

Everything shown comes from one Explanation (advisor.decision.explanation.explain); this module
only lays it out. Green success styling is used only for a firm answer (Explanation.is_firm: a
clear lead, and the safety screen answered with nothing ticked).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

import streamlit as st

from advisor.catalog import Catalog
from advisor.decision.explanation import (
    AFTER_CLEARED,
    CARE_BODY,
    CARE_HEADLINE,
    NEITHER_ADVICE,
    NOT_MEDICAL_ADVICE,
    SAFETY_BODY,
    SAFETY_HEADLINE,
    Explanation,
    FlagGuidance,
    Reason,
)
from advisor.figures.client import match_chart, match_table
from ui.state import declare
from ui.widgets import chart_with_table, on_demand

SHOWN_CHANGES = 3
UNANSWERED = "**Safety check not answered yet:** answer the question above first."
NO_ANSWER_YET = (
    "**No recommendation yet.** Choose a goal above, or move any of your priorities above 0. "
    "The ranking, the reasons behind it and how firm it is will then appear here."
)
LIVE = "live_verdict"
# The live verdict stays at the top of the screen (below Streamlit's 3.75rem header) while the
# sliders under it scroll, on a phone and beside the answer on a wide screen: the wrapper
# Streamlit puts around the keyed container is what sticks. scroll-margin keeps a slider the
# keyboard or a script scrolls to from hiding under it. On a phone the page starts nearer the
# top (4rem rather than 6rem), so that the verdict is on the first screen, and the safety
# items, once "Yes, one or more" opens them, scroll in a box of their own.
LIVE_STYLE = f"""<style>
[data-testid="stLayoutWrapper"]:has(> .st-key-{LIVE}) {{position: sticky; top: 3.75rem;
  z-index: 5;}}
.st-key-{LIVE} {{background: #ffffff;}}
.stSlider {{scroll-margin-top: 9rem;}}
@media (max-width: 640px) {{
  .stMainBlockContainer {{padding-top: 4rem;}}
  .st-key-safety_items {{max-height: 22rem; overflow-y: auto;}}
}}
</style>"""

STATE = declare(
    __name__,
    owned=("safety_note", "health_note", LIVE, "match_*", "fm_more_changes"),
    kept=("fm_more_changes",),
)


def bullets(lines: Iterable[str]) -> str:
    """One markdown list: a single element rather than one per line, so a slider move has
    fewer elements to send and draw."""
    return "\n".join(f"- {line}" for line in lines)


def _sourced(reason: Reason) -> str:
    return f"{reason.text} *(source: {reason.section_title})*"


def _item(flag: FlagGuidance) -> str:
    return (
        f"**{flag.label}.** {flag.guidance}\n  - Tell your therapist: {flag.tell_therapist}\n"
        f"  - Look for: {flag.look_for}\n  - Source: {flag.source_name}"
    )


def _safety(exp: Explanation) -> None:
    """Ticked items first, in a box, before the verdict; with none ticked, nothing here (the
    screen's answer is said beside the verdict, in _beside)."""
    safety = exp.safety
    if not safety.ticked:
        return
    with st.container(border=True, key="safety_note"):
        if exp.needs_provider:
            st.error(f"**{SAFETY_HEADLINE}** {SAFETY_BODY}", icon=":material/health_and_safety:")
        else:
            st.warning(f"**{CARE_HEADLINE}** {CARE_BODY}", icon=":material/health_and_safety:")
        st.markdown(bullets(map(_item, safety.ticked)))


def _verdict(exp: Explanation) -> None:
    if exp.needs_provider:
        st.markdown(f"**{AFTER_CLEARED}:**")
    if exp.is_firm:
        st.success(exp.verdict, icon=":material/check_circle:")
    elif exp.strength == "neither":
        st.info(f"{exp.verdict}\n\n{NEITHER_ADVICE}", icon=":material/help:")
    elif exp.needs_provider:
        st.info(exp.verdict, icon=":material/schedule:")
    elif exp.strength == "close":
        st.info(exp.verdict, icon=":material/balance:")
    else:
        st.info(exp.verdict, icon=":material/trending_up:")


def _beside(exp: Explanation) -> None:
    """One line beside every answer: the safety screen's answer when nothing is ticked (the
    box above says it otherwise), and that this is not medical advice."""
    safety = exp.safety
    said = "" if safety.ticked else f"{safety.summary if safety.answered else UNANSWERED} "
    st.caption(f"{said}{NOT_MEDICAL_ADVICE}")


def answer_section(exp: Explanation, catalog: Catalog) -> None:
    """Safety first, the verdict, "not medical advice" beside it, the health note and the match
    chart; an invitation while every priority is 0."""
    st.header("Your answer", anchor=False)
    _safety(exp)
    if exp.strength is None:
        st.info(NO_ANSWER_YET, icon=":material/tune:")
        _beside(exp)
        return
    _verdict(exp)
    _beside(exp)
    if exp.health_note:
        with st.container(key="health_note"):
            st.warning(f"**Health first.** {exp.health_note}", icon=":material/health_and_safety:")
    result = exp.result
    chart = match_chart(result, catalog, exp.chart_title)
    chart_with_table(chart, partial(match_table, result, catalog), "match")


def reasons_section(exp: Explanation) -> None:
    """The reasons on both sides, what would change the answer and how firm it is."""
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


def live_verdict(exp: Explanation) -> None:
    """The current answer in one line, kept in view above the sliders as they move."""
    if exp.strength is None:
        line = "none yet. Move a priority above 0."
    elif exp.needs_provider:
        line = f"talk to a healthcare provider first. For later: {exp.headline}."
    else:
        line = f"{exp.headline}."
    with st.container(border=True, key=LIVE):
        st.markdown(f"**Your answer now:** {line}")


def live_verdict_style() -> None:
    """The style that keeps the live verdict in view (drawn once per page, outside the
    fragment, so a slider move does not resend it)."""
    st.html(LIVE_STYLE)
