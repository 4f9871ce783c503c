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
    NEITHER_ADVICE,
    NEITHER_BELOW,
)
from advisor.decision.sensitivity import IN_HUNDRED
from ui.state import declare

CLEAR_N, LEAN_N = round(CLEAR_ROBUSTNESS * 100), round(LEAN_ROBUSTNESS * 100)
FIT = f"{NEITHER_BELOW}% or more"
VERDICTS = f"""
| Verdict | Best match | Lead (points) | Robustness (N of 100) | Style |
|---|---|---|---|---|
| *neither fits well* | under {NEITHER_BELOW}% | any | any | blue |
| *clearly fits you best* | {FIT} | {CLEAR_LEAD_POINTS} or more | {CLEAR_N} or more | green |
| *leans towards* | {FIT} | {LEAN_LEAD_POINTS} or more | {LEAN_N} or more | blue |
| *too close to call* | {FIT} | anything less | anything less | blue |

The rows are tried from the top. **Neither fits well** means that even the best match is under
{NEITHER_BELOW}%: on average, the best type fits under 6 of 10 on what you care about. Then the
page names no winner and says what to ask instead: "{NEITHER_ADVICE}" With the two types in this
catalog no set of priorities brings the best match under 52%, so a rule at 50% would never
apply. An answer is *too close to call* when its lead is under
{LEAN_LEAD_POINTS} points, **or** when it stays ahead in fewer than {LEAN_N} of 100 similar sets of
priorities, whatever its lead. When such a wide lead rests on a single priority, the answer says
*not settled yet* instead, and asks for the other priorities that matter.
"""
FLAG_COLUMNS = {
    "label": "Item",
    "tier": "Answer",
    "guidance": "What we tell the person",
    "tell_therapist": "Tell your therapist",
    "look_for": "Look for",
    "source_name": "Source",
    "source_url": "Address",
    "source_date": "Page date",
    "read_on": "Read on",
    "read_at": "Read in a copy at",
}
TIER_WORDS = {"provider_first": "See a provider first", "with_care": "Massage with care"}

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
        "answer when the safety question was answered with nothing ticked.\n\n"
        "**One outcome.** The answer is decided once. It is a leading type, too close to call, "
        "or neither fits well. The verdict, the chart titles, the PDF, the command line and the "
        "answer you may send to the clinic all use it."
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
    st.header("The safety question: what each answer means", anchor=False)
    copies = int((catalog.red_flags["read_at"] != "").sum())
    st.markdown(
        "Before the answer, Find my massage asks if any of these apply to you now. Each item "
        "has one of two answers, chosen from its source. **See a provider first**: the "
        "recommendation is replaced by *talk to a healthcare provider first*, and the ranking "
        "stays below it for after they have cleared you. **Massage with care**: the "
        "recommendation stays, with what to tell the therapist and whom to look for. Until the "
        "question is answered, no answer is shown in green. The answer goes into the share "
        "link, the PDF and the CSV.\n\n"
        "Each item's words are our own, from the public source named beside it, read on the "
        f"date given. For {copies} of the {len(catalog.red_flags)} items, the organisation's "
        "own page could not be opened here. Its words were read in a copy on another site, "
        "whose address is given. Those items should be checked against the live page."
    )
    flags = catalog.red_flags
    table = flags[list(FLAG_COLUMNS)].assign(tier=flags["tier"].map(TIER_WORDS))
    st.dataframe(
        table.rename(columns=FLAG_COLUMNS),
        hide_index=True,
        key="method_flags",
        column_config={
            "What we tell the person": st.column_config.TextColumn(width="large"),
            "Address": st.column_config.LinkColumn(),
            "Read in a copy at": st.column_config.LinkColumn(),
        },
    )
