"""Everything a client is told about their answer, worked out once by `explain`.

The Find my massage page, the PDF take-away and the command line all draw from one Explanation;
none of them recomputes a part of it. Percentages are shown rounded to whole points and the lead
is the difference of those rounded figures, so "88% against 24%" always comes with "64 points".

Verdict strength follows both the lead and the robustness (how often the leader stays on top when
every priority is nudged within the certainty band), each as the reader sees it: the lead in whole
points and the robustness as "in N of 100 similar sets of priorities" (sensitivity.in_hundred). The
thresholds are the named constants below and the Method page states them. Facts about the types
come from the source article, each with its section; each red flag's guidance cites a public
health source (data/red_flags.csv).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from advisor.catalog import Catalog
from advisor.decision.scoring import NEAR_TIE_POINTS, MatchResult, score
from advisor.decision.sensitivity import (
    CERTAINTY_BANDS,
    Robustness,
    TippingPoint,
    in_hundred,
    robustness,
    tipping_points,
)

Strength = Literal["clear", "leans", "close"]
CLEAR_LEAD_POINTS = 10
CLEAR_ROBUSTNESS = 0.90
LEAN_LEAD_POINTS = int(NEAR_TIE_POINTS)
LEAN_ROBUSTNESS = 0.70
STRENGTH_WORDS: dict[Strength, str] = {
    "clear": "clearly",
    "leans": "leans towards",
    "close": "too close to call",
}
HEALTH_SHARE = 0.20
REASON_LIMIT = 3

SAFETY_HEADLINE = "Talk to a healthcare provider first."
SAFETY_BODY = (
    "What you ticked needs a healthcare provider's advice before any massage. So this page "
    "does not recommend one for now."
)
AFTER_CLEARED = "For after a healthcare provider has cleared you"
HEALTH_NOTE = (
    "Pain, injury or a health condition matter to you, so check with a healthcare provider that "
    "massage is right for you now. This tool compares kinds of massage; it is not medical advice."
)
NO_WEIGHTS = (
    "No recommendation yet. Set at least one priority above 0 to see how the two types match."
)


@dataclass(frozen=True)
class Reason:
    """One priority that separates the top two types, with the source of its fit."""

    criterion_id: str
    text: str
    section_title: str


@dataclass(frozen=True)
class FlagGuidance:
    """What to do about one ticked red flag, and the public source it rests on."""

    flag_id: str
    label: str
    guidance: str
    source_name: str
    source_url: str


@dataclass(frozen=True)
class NextStep:
    """One thing to do next for the leading type, with the article section it rests on."""

    heading: str
    text: str
    section_title: str


@dataclass(frozen=True)
class Explanation:
    """Everything the reader is told. `strength` is None without weights; `red_flags` non-empty
    means the recommendation is replaced by SAFETY_HEADLINE and the ranking is for later."""

    result: MatchResult
    certainty: str
    strength: Strength | None
    verdict: str
    shown: tuple[tuple[str, str, int], ...]
    lead: int | None
    chart_title: str
    reasons_for: tuple[Reason, ...]
    reasons_against: tuple[Reason, ...]
    changes: tuple[str, ...]
    firmness: str | None
    robustness: Robustness | None
    red_flags: tuple[FlagGuidance, ...]
    health_note: str | None
    next_steps: tuple[NextStep, ...]
    leader_name: str | None

    @property
    def is_firm(self) -> bool:
        """True only for a clear answer with no red flag: the one case styled as a success."""
        return self.strength == "clear" and not self.red_flags


def verdict_strength(lead: int, share: float) -> Strength:
    """Strength from the shown lead (whole points) and the shown robustness share (0..1: the N
    of "in N of 100", divided by 100, so the words agree with the figure beside them).

    clear: lead >= CLEAR_LEAD_POINTS and share >= CLEAR_ROBUSTNESS; leans: lead >=
    LEAN_LEAD_POINTS and share >= LEAN_ROBUSTNESS; otherwise too close to call. For a fixed
    lead, a lower share never gives a stronger verdict.
    """
    if lead >= CLEAR_LEAD_POINTS and share >= CLEAR_ROBUSTNESS:
        return "clear"
    if lead >= LEAN_LEAD_POINTS and share >= LEAN_ROBUSTNESS:
        return "leans"
    return "close"


def health_share(result: MatchResult, health_criteria: Sequence[str]) -> float:
    """The share (0..1) of the person's total weight on the health, pain and injury priorities
    (Catalog.health_criteria)."""
    total = float(result.weights.sum())
    if total <= 0:
        return 0.0
    weights = dict(zip(result.criterion_ids, result.weights, strict=True))
    return sum(float(weights.get(cid, 0.0)) for cid in health_criteria) / total


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _verdict(strength: Strength, shown, lead: int, rob: Robustness, weights: np.ndarray) -> str:
    (_, top, top_pct), (_, second, second_pct) = shown[:2]
    figures = f"{top_pct}% against {second_pct}% for {second}. That is a lead of {lead} points"
    if strength == "clear":
        return f"{top} clearly fits you best: {figures}."
    if strength == "leans":
        return f"Your priorities lean towards {top}: {figures}."
    if _resting_on_one(lead, weights):
        # "too close to call" beside 100% against 30% would read as a contradiction; what
        # makes it unsettled is how little is set
        return (
            f"Not settled yet. {top} leads with {top_pct}% against {second_pct}% for {second}. "
            f"But that rests on one priority, set at {_fmt(float(weights.max()))} of 10. Move "
            f"your priorities a little, and {top} stays ahead only {in_hundred(rob)}. Set the "
            "other priorities that matter to you."
        )
    why = (
        f"They are within {LEAN_LEAD_POINTS} points of each other"
        if lead < LEAN_LEAD_POINTS
        else f"Move your priorities a little, and {top} stays ahead only {in_hundred(rob)}"
    )
    return (
        f"Too close to call between {top} ({top_pct}%) and {second} ({second_pct}%). {why}. "
        "Either could suit you."
    )


def _reasons(result: MatchResult, catalog: Catalog, favour: bool) -> tuple[Reason, ...]:
    leader, other = result.leader, result.runner_up
    if leader is None or other is None:
        return ()
    a, b = result.type_ids.index(leader), result.type_ids.index(other)
    points = result.contributions[a] - result.contributions[b]
    signed = points if favour else -points
    winner, loser = (leader, other) if favour else (other, leader)
    w, lo = (a, b) if favour else (b, a)
    reasons = []
    for c in np.argsort(-signed, kind="stable")[:REASON_LIMIT]:
        if signed[c] <= 0:
            break
        cid = result.criterion_ids[c]
        rationale, section = catalog.fit_reason(winner, cid)
        verb = "" if favour else " points the other way"
        text = (
            f"{catalog.criterion_label(cid)} (you gave it {_fmt(result.weights[c])} of 10){verb}. "
            f"{catalog.display_name(winner)} fits it {_fmt(result.fits[w, c])} of 10, and "
            f"{catalog.display_name(loser)} {_fmt(result.fits[lo, c])}. {rationale}"
        )
        reasons.append(Reason(cid, text, section))
    return tuple(reasons)


def tipping_text(point: TippingPoint, catalog: Catalog) -> str:
    """E.g. 'Spa massage would come out ahead if “Relaxation” mattered 8 or more to you. It is
    now 4.'"""
    challenger = catalog.display_name(point.challenger)
    label = f"“{catalog.criterion_label(point.criterion_id)}”"
    now = f"It is now {_fmt(point.current)}."
    flip = point.flip_at
    if flip is None:
        edge = "10" if point.direction == "up" else "0"
        leader = catalog.display_name(point.leader)
        return f"{challenger} would only tie with {leader} if {label} were at {edge}. {now}"
    if point.direction == "up":
        condition = f"mattered {flip} or more to you"
    elif flip == 0:
        condition = "did not matter to you at all"
    else:
        condition = f"mattered {flip} or less to you"
    return f"{challenger} would come out ahead if {label} {condition}. {now}"


def _firmness(rob: Robustness, catalog: Catalog) -> str:
    return (
        f"{catalog.display_name(rob.leader)} stays ahead {in_hundred(rob)}. In each set, every "
        f"priority moves up or down by up to {_fmt(rob.band)} points."
    )


def _flags(catalog: Catalog, flags: Sequence[str]) -> tuple[FlagGuidance, ...]:
    table = catalog.red_flags
    return tuple(
        FlagGuidance(
            fid,
            str(table.at[fid, "label"]),
            str(table.at[fid, "guidance"]),
            str(table.at[fid, "source_name"]),
            str(table.at[fid, "source_url"]),
        )
        for fid in table.index
        if fid in set(flags)
    )


def _next_steps(catalog: Catalog, type_id: str | None) -> tuple[NextStep, ...]:
    return tuple(NextStep(*step) for step in catalog.steps_for(type_id or ""))


def _resting_on_one(lead: int, weights: np.ndarray) -> bool:
    """A wide lead that rests on a single priority: unsettled because so little is set."""
    return lead >= CLEAR_LEAD_POINTS and int(np.count_nonzero(weights > 0)) == 1


def _chart_title(strength: Strength, shown, lead: int, weights: np.ndarray) -> str:
    top, second = shown[0][1], shown[1][1]
    if strength == "close":
        head = "Not settled yet" if _resting_on_one(lead, weights) else "Too close to call"
        return f"{head}: {top} {shown[0][2]}%, {second} {shown[1][2]}%"
    word = "clearly ahead" if strength == "clear" else "ahead"
    return f"{top} {word}, by {lead} points"


def explain(
    catalog: Catalog,
    weights: Mapping[str, float],
    certainty: str,
    flags: Sequence[str] = (),
) -> Explanation:
    """Score `weights` (criterion id -> 0..10) and explain the answer in plain words.

    `certainty` is a key of CERTAINTY_BANDS (sets the robustness band); `flags` are red-flag
    ids of catalog.red_flags that the person ticked (unknown ids are ignored: they come from
    the page's own checkboxes). Needs at least two types in the catalog. Raises KeyError for an
    unknown criterion or certainty, ValueError for a weight outside 0..10.
    """
    result = score(weights, catalog.fits)
    band = CERTAINTY_BANDS[certainty]
    red_flags = _flags(catalog, flags)
    note = (
        None
        if red_flags or health_share(result, catalog.health_criteria) < HEALTH_SHARE
        else HEALTH_NOTE
    )
    if not result.has_weights:
        return Explanation(
            result, certainty, None, NO_WEIGHTS, (), None, "No priorities set yet",
            (), (), (), None, None, red_flags, note, (), None,
        )  # fmt: skip
    shown = tuple(
        (tid, catalog.display_name(tid), int(round(match))) for tid, match in result.ranking()
    )
    lead = shown[0][2] - shown[1][2]
    rob = robustness(result, band)
    assert rob is not None  # there are weights, so there is a leader
    strength = verdict_strength(lead, rob.per_hundred / 100)
    points: list[TippingPoint] = tipping_points(result)
    return Explanation(
        result=result,
        certainty=certainty,
        strength=strength,
        verdict=_verdict(strength, shown, lead, rob, result.weights),
        shown=shown,
        lead=lead,
        chart_title=_chart_title(strength, shown, lead, result.weights),
        reasons_for=_reasons(result, catalog, favour=True),
        reasons_against=_reasons(result, catalog, favour=False),
        changes=tuple(tipping_text(p, catalog) for p in points),
        firmness=_firmness(rob, catalog),
        robustness=rob,
        red_flags=red_flags,
        health_note=note,
        next_steps=_next_steps(catalog, result.leader),
        leader_name=shown[0][1],
    )


def session_lines(catalog: Catalog, type_id: str) -> list[tuple[str, str]]:
    """What a session of a type usually looks like: (aspect, text with its source section)."""
    row = catalog.types.loc[type_id]
    section = catalog.section_title(catalog.dimensions.at["setting_environment", "section"])
    training = catalog.section_title(catalog.dimensions.at["therapist_training", "section"])
    return [
        ("Length", f"{row['session_length']} (source: {section})"),
        ("Setting", f"{row['session_setting']} (source: {section})"),
        ("Who delivers it", f"{row['session_provider']} (source: {training})"),
    ]
