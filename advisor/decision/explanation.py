"""Plain-words explanations of a result, shared by the pages, the summary and the command line."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from advisor.catalog import Catalog
from advisor.decision.scoring import NEAR_TIE_POINTS, MatchResult
from advisor.decision.sensitivity import Robustness, TippingPoint

HEALTH_CRITERIA: tuple[str, ...] = (
    "health_condition",
    "care_team",
    "pain_relief",
    "injury_recovery",
)


@dataclass(frozen=True)
class Reason:
    """One criterion that pushes the leader ahead, with the profile rationale behind it."""

    criterion_id: str
    weight: float
    leader_fit: float
    other_fit: float
    points: float
    rationale: str
    section_title: str


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def verdict(result: MatchResult, catalog: Catalog) -> str:
    """One sentence: the recommendation, a tie, or the invitation to set priorities."""
    if not result.has_weights:
        return (
            "No recommendation yet: set at least one priority above 0 to see how the types match."
        )
    ranking = result.ranking()
    top_id, top = ranking[0]
    if len(ranking) == 1:
        return f"{catalog.type_name(top_id)} matches {top:.0f}% of what you want."
    second_id, second = ranking[1]
    margin = top - second
    if margin < NEAR_TIE_POINTS:
        return (
            f"It's a tie: {catalog.type_name(top_id)} ({top:.0f}%) and "
            f"{catalog.type_name(second_id)} ({second:.0f}%) are within "
            f"{NEAR_TIE_POINTS:.0f} points of each other, so either fits your priorities."
        )
    return (
        f"{catalog.type_name(top_id)} fits you best: {top:.0f}% against "
        f"{second:.0f}% for {catalog.type_name(second_id)}, a lead of {margin:.0f} points."
    )


def top_reasons(result: MatchResult, catalog: Catalog, limit: int = 3) -> list[Reason]:
    """The criteria that add most to the leader's margin over the runner-up."""
    leader, other = result.leader, result.runner_up
    if leader is None or other is None:
        return []
    a, b = result.type_ids.index(leader), result.type_ids.index(other)
    points = result.contributions[a] - result.contributions[b]
    reasons = []
    for c in np.argsort(-points, kind="stable")[:limit]:
        if points[c] <= 0:
            break
        cid = result.criterion_ids[c]
        rationale, section = _rationale(catalog, leader, cid)
        reasons.append(
            Reason(
                criterion_id=cid,
                weight=float(result.weights[c]),
                leader_fit=float(result.fits[a, c]),
                other_fit=float(result.fits[b, c]),
                points=float(points[c]),
                rationale=rationale,
                section_title=section,
            )
        )
    return reasons


def _rationale(catalog: Catalog, type_id: str, criterion_id: str) -> tuple[str, str]:
    profiles = catalog.profiles
    row = profiles[(profiles["type_id"] == type_id) & (profiles["criterion_id"] == criterion_id)]
    if row.empty:
        return "This service was profiled by the clinic.", "the clinic's own profile"
    return str(row.iloc[0]["rationale"]), catalog.section_title(str(row.iloc[0]["section"]))


def reason_text(reason: Reason, result: MatchResult, catalog: Catalog) -> str:
    leader = catalog.display_name(result.leader or "")
    other = catalog.display_name(result.runner_up or "")
    return (
        f"{catalog.criterion_label(reason.criterion_id)} (you gave it {_fmt(reason.weight)}/10): "
        f"{leader} fits {_fmt(reason.leader_fit)}/10, {other} {_fmt(reason.other_fit)}/10. "
        f"{reason.rationale} (source: {reason.section_title})"
    )


def tipping_text(point: TippingPoint, catalog: Catalog) -> str:
    """E.g. 'Spa massage would come out ahead if Relaxation mattered 8 or more to you (now 4).'"""
    challenger = catalog.display_name(point.challenger)
    leader = catalog.display_name(point.leader)
    label = f"“{catalog.criterion_label(point.criterion_id)}”"
    now = _fmt(point.current)
    flip = point.flip_at
    if flip is None:
        edge = "10" if point.direction == "up" else "0"
        return (
            f"{challenger} would only draw level with {leader} if {label} were at {edge} "
            f"(now {now})."
        )
    if point.direction == "up":
        return (
            f"{challenger} would come out ahead if {label} mattered {flip} or more to you "
            f"(now {now})."
        )
    if flip == 0:
        return (
            f"{challenger} would come out ahead if {label} did not matter to you at all "
            f"(now {now})."
        )
    return (
        f"{challenger} would come out ahead if {label} mattered {flip} or less to you (now {now})."
    )


def robustness_text(rob: Robustness, catalog: Catalog) -> str:
    name = catalog.display_name(rob.leader)
    return (
        f"{name} stays ahead in {rob.per_hundred} of 100 weightings close to yours "
        f"(each priority moved by up to {_fmt(rob.band)} points, {rob.samples:,} samples)."
    )


def needs_safety_note(result: MatchResult, red_flags: list[str]) -> bool:
    """True when any red flag is ticked or any health, pain or injury criterion weighs in."""
    if red_flags:
        return True
    weights = dict(zip(result.criterion_ids, result.weights, strict=True))
    return any(weights.get(cid, 0.0) > 0 for cid in HEALTH_CRITERIA)


SAFETY_NOTE = (
    "Talk to a healthcare provider first. Medical massage is often part of a treatment plan "
    "set by a doctor or other provider, who can tell you whether massage is safe for you now. "
    "This tool compares massage types; it is not medical advice."
)


def session_lines(catalog: Catalog, type_id: str) -> list[tuple[str, str]]:
    """What a session of a type usually looks like: (aspect, text), from the source."""
    row = catalog.types.loc[type_id]
    section = catalog.section_title("setting_environment")
    training = catalog.section_title("therapist_training")
    return [
        ("Length", f"{row['session_length']} (source: {section})"),
        ("Setting", f"{row['session_setting']} (source: {section})"),
        ("Who delivers it", f"{row['session_provider']} (source: {training})"),
    ]
