"""Method and sources, the answer's rules: verdict thresholds, the health note, red flags."""

from __future__ import annotations

import streamlit as st

from advisor.catalog import Catalog
from advisor.decision.explanation import (
    CLEAR_LEAD_POINTS,
    CLEAR_ROBUSTNESS,
    HEALTH_SHARE,
    LEAN_LEAD_POINTS,
    LEAN_ROBUSTNESS,
)
from advisor.decision.sensitivity import IN_HUNDRED
from ui.state import declare

CLEAR_N, LEAN_N = round(CLEAR_ROBUSTNESS * 100), round(LEAN_ROBUSTNESS * 100)
VERDICTS = f"""
| Verdict | Lead (points) | Robustness (N of 100) | Style |
|---|---|---|---|
| *clearly fits you best* | {CLEAR_LEAD_POINTS} or more | {CLEAR_N} or more | green |
| *leans towards* | {LEAN_LEAD_POINTS} or more | {LEAN_N} or more | blue |
| *too close to call* | anything less | anything less | blue |

The three rows are tried from the top: an answer is *too close to call* when its lead is under
{LEAN_LEAD_POINTS} points, **or** when it stays ahead in fewer than {LEAN_N} of 100 similar sets of
priorities, whatever its lead. When such a wide lead rests on a single priority, the answer says
*not settled yet* instead, and asks for the other priorities that matter.
"""
FLAG_COLUMNS = {
    "label": "Red flag",
    "guidance": "What we tell the person",
    "source_name": "Source",
    "source_url": "Address",
}

STATE = declare(
    __name__,
    owned=("method_flags",),
)


def _nearest_goal(catalog: Catalog) -> str:
    """The goal preset with the most health weight that still stays under the note's
    threshold, in its own figures (presets.csv), or "" when no preset is under it."""
    weights = catalog.preset_weights
    health = weights[list(catalog.health_criteria)].sum(axis=1)
    total = weights.sum(axis=1)
    shares = (health / total)[total > 0]
    under = shares[shares < HEALTH_SHARE]
    if under.empty:
        return ""
    goal = under.idxmax()
    return (
        f" The *{catalog.presets.at[goal, 'label']}* goal puts {health[goal]:g} of its "
        f"{total[goal]:g} points there ({under[goal]:.0%}), so it never shows the note."
    )


def answer_rules_section(catalog: Catalog) -> None:
    """How the verdict is worded (thresholds), the health-note rule, and each red flag's
    guidance with its public health source."""
    st.header("How the answer is worded", anchor=False)
    st.markdown(
        "Percentages are shown as whole numbers and the **lead** is the difference of those "
        "shown figures, so 88% against 24% is a lead of 64 points. **Robustness** is the N of "
        f"*{IN_HUNDRED.format(n='N')}* (above), the whole number the page shows. "
        "The verdict says:\n" + VERDICTS + "\nBoth conditions of a row must hold; at the same "
        "lead, a less robust answer never gets a stronger word. Green is used only for a clear "
        "answer with no red flag ticked."
    )
    health = ", ".join(catalog.criterion_label(c).lower() for c in catalog.health_criteria)
    st.markdown(
        "**Reasons on both sides.** *What points to* the leader lists up to three priorities "
        "that add most to its lead (weight times the difference in fit); *what points the "
        "other way* lists up to three that favour the runner-up. Each names the article "
        "section its fit rests on.\n\n"
        f"**The health note.** With no red flag ticked, a softer *Health first* note shows "
        f"when the health, pain and injury priorities ({health}) make up at least "
        f"{HEALTH_SHARE:.0%} of all the weight a person gave.{_nearest_goal(catalog)}"
    )
    st.header("Red flags: what each one means", anchor=False)
    st.markdown(
        "A ticked red flag replaces the recommendation with **talk to a healthcare provider "
        "first**; the ranking stays below it, for after they have cleared you. Each flag's "
        "guidance is our own wording of the public health source named beside it:"
    )
    st.dataframe(
        catalog.red_flags[list(FLAG_COLUMNS)].rename(columns=FLAG_COLUMNS),
        hide_index=True,
        key="method_flags",
        column_config={
            "What we tell the person": st.column_config.TextColumn(width="large"),
            "Address": st.column_config.LinkColumn(),
        },
    )
