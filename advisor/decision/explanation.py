"""Everything a client is told about their answer, worked out once by `explain`.

The Find my massage page, the PDF take-away and the command line all draw from one Explanation;
none of them recomputes a part of it. Percentages are shown rounded to whole points and the lead
is the difference of those rounded figures, so "88% against 24%" always comes with "64 points".

Verdict strength follows both the lead and the robustness (how often the leader stays on top when
every priority is nudged within the certainty band), each as the reader sees it: the lead in whole
points and the robustness as "in N of 100 similar sets of priorities" (sensitivity.in_hundred). The
thresholds are the named constants below and the Method page states them. When even the best
match is under NEITHER_BELOW percent, the outcome is "neither fits well" rather than a winner.

The outcome is decided here once (`Explanation.outcome`: the leading type, a tie or neither): the
verdict, both chart titles, the stored anonymous answer, the PDF and the command line all take it
from here. Facts about the types come from the source article, each with its section; each item of
the safety screen cites a public health source (data/red_flags.csv) and belongs to one of two tiers:
"see a provider first" replaces the recommendation, "massage with care" keeps it and says what to
tell the therapist and whom to look for.

On a clinic's deployment with a saved menu, the same explanation ranks the clinic's own services
(`Explanation.clinic`, a MenuAnswer) by the same scoring, verdict rule, reasons, tipping points
and robustness as the two types; the medical-or-spa answer stays first. A "see a provider first"
item replaces the clinic's recommendation too (MenuAnswer.needs_provider). The owner's fits have
no rationale of their own, so a reason about a service cites MENU_SOURCE.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from advisor.bidi import isolate
from advisor.catalog import Catalog
from advisor.clinic.menu import deliverable, services
from advisor.clinic.positioning import listing
from advisor.decision.scoring import NEAR_TIE_POINTS, MatchResult, score
from advisor.decision.sensitivity import (
    CERTAINTY_BANDS,
    TIE_TOLERANCE,
    Robustness,
    TippingPoint,
    in_hundred,
    robustness,
    tipping_points,
)

Strength = Literal["clear", "leans", "close", "neither"]
CLEAR_LEAD_POINTS = 10
CLEAR_ROBUSTNESS = 0.90
LEAN_LEAD_POINTS = int(NEAR_TIE_POINTS)
LEAN_ROBUSTNESS = 0.70
# Below this best match (shown, whole %), neither type is said to fit: on average each fits under
# 6 of 10 on what the person cares about. With the shipped fits no weighting brings the best match
# under 52%, so a rule at 50% could never fire; the Method page says so.
NEITHER_BELOW = 60
STRENGTH_WORDS: dict[Strength, str] = {
    "clear": "clearly",
    "leans": "leans towards",
    "close": "too close to call",
    "neither": "neither fits well",
}
TIE = "tie"  # the stored outcome when too close to call
NEITHER = "neither"  # the stored outcome when neither fits well
HEALTH_SHARE = 0.20
REASON_LIMIT = 3

SAFETY_HEADLINE = "Talk to a healthcare provider first."
SAFETY_BODY = (
    "What you ticked needs a healthcare provider's advice before any massage. So this page "
    "does not recommend one for now."
)
AFTER_CLEARED = "For after a healthcare provider has cleared you"
CARE_HEADLINE = "Massage with care."
CARE_BODY = (
    "What you ticked does not rule out massage. Tell your therapist about it before you start."
)
NOT_MEDICAL_ADVICE = "This tool compares kinds of massage. It is not medical advice."
HEALTH_NOTE = (
    "Pain, injury or a health condition matter to you. So check with a healthcare provider that "
    "massage is right for you now."
)
NEITHER_ADVICE = (
    "Tell a therapist what you need, in your own words, and ask what they offer. Or ask your "
    "doctor or a physio about other kinds of care."
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
    """One ticked item of the safety screen: its tier ("provider_first" or "with_care"), what to
    do, what to tell the therapist, whom to look for, and the public source it rests on."""

    flag_id: str
    tier: str
    label: str
    guidance: str
    tell_therapist: str
    look_for: str
    source_name: str
    source_url: str  # the page's own address, or the copy read when it was never seen


@dataclass(frozen=True)
class Safety:
    """The answer to the safety screen. `answered` is False until the person has said either
    that none of the items apply or which ones do; `ticked` are those, in catalog order."""

    answered: bool
    ticked: tuple[FlagGuidance, ...] = ()

    @property
    def provider_first(self) -> tuple[FlagGuidance, ...]:
        """The ticked items that need a provider first: any one replaces the recommendation."""
        return tuple(f for f in self.ticked if f.tier == "provider_first")

    @property
    def with_care(self) -> tuple[FlagGuidance, ...]:
        """The ticked items that keep the recommendation, with care."""
        return tuple(f for f in self.ticked if f.tier == "with_care")

    @property
    def clear(self) -> bool:
        """True only when answered with nothing ticked: the one case a green answer may show."""
        return self.answered and not self.ticked

    @property
    def summary(self) -> str:
        """One line on what the screen's answer was: not yet, none, or the ticked items."""
        if not self.answered:
            return "Safety check: not answered yet."
        if not self.ticked:
            return "Safety check: you said none of the listed conditions apply to you."
        items = "; ".join(f"“{f.label}”" for f in self.ticked)
        return f"Safety check: you ticked {items}."


@dataclass(frozen=True)
class NextStep:
    """One thing to do next for the leading type, with the article section it rests on."""

    heading: str
    text: str
    section_title: str


MENU_SOURCE = "the clinic's own profile of its services"
ONLY = "only"  # the strength of a one-service menu whose service fits (it has no rival)


@dataclass(frozen=True)
class MenuAnswer:
    """The clinic's own services ranked for the same priorities, explained like the types.

    `shown` is (service id, name, whole %) from best to worst; `strength` follows
    verdict_strength for two services or more; a one-service menu has ONLY ("only") when the
    service fits (at least NEITHER_BELOW %) and "neither" otherwise, with no lead, reasons,
    tipping points or firmness (nothing to compare). `left_out` names the services that break a
    service limit and are not ranked. `needs_provider` is True when a ticked item needs a
    provider first: the ranking is then for after the provider has cleared the person.
    Names are the owner's text: `shown`, `best`, `leader_name` and `left_out` hold them as
    typed; every sentence here holds them through advisor.bidi.isolate, and so must any
    sentence a caller builds around them.
    """

    result: MatchResult
    strength: Strength | Literal["only"]
    verdict: str
    shown: tuple[tuple[str, str, int], ...]
    lead: int | None
    reasons_for: tuple[Reason, ...]
    reasons_against: tuple[Reason, ...]
    changes: tuple[str, ...]
    firmness: str | None
    robustness: Robustness | None
    left_out: tuple[str, ...]
    needs_provider: bool

    @property
    def has_leader(self) -> bool:
        """True when one service is named as the fit (clear, leans, or the only one)."""
        return self.strength in ("clear", "leans", ONLY)

    @property
    def best(self) -> str:
        """The name of the service on top of the ranking (the best match, as a scored survey's
        best_match), whatever the verdict's strength: the name an anonymous answer keeps."""
        return self.shown[0][1]

    @property
    def leader_name(self) -> str:
        return self.shown[0][1]


@dataclass(frozen=True)
class Explanation:
    """Everything the reader is told. `strength` is None without weights; a ticked item that
    needs a provider first (`needs_provider`) replaces the recommendation by SAFETY_HEADLINE and
    the ranking is for later."""

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
    safety: Safety
    health_note: str | None
    next_steps: tuple[NextStep, ...]
    leader_name: str | None
    contributions_title: str
    clinic: MenuAnswer | None = None  # the clinic's services; None without a menu or weights

    @property
    def is_firm(self) -> bool:
        """True only for a clear answer when the safety screen was answered with nothing
        ticked: the one case styled as a success (green)."""
        return self.strength == "clear" and self.safety.clear

    @property
    def needs_provider(self) -> bool:
        """True when a ticked item replaces the recommendation with "see a provider first"."""
        return bool(self.safety.provider_first)

    @property
    def safety_note(self) -> tuple[str, str] | None:
        """The headline and body said above the ticked items: SAFETY_HEADLINE when one needs a
        provider first, else CARE_HEADLINE; None when nothing is ticked."""
        if not self.safety.ticked:
            return None
        if self.needs_provider:
            return SAFETY_HEADLINE, SAFETY_BODY
        return CARE_HEADLINE, CARE_BODY

    @property
    def outcome(self) -> str | None:
        """The answer as one word, decided once: the leading type's id when one leads (clear
        or leans), TIE when too close to call, NEITHER when neither fits well; None without
        weights. The stored anonymous answer is this."""
        if self.strength is None:
            return None
        if self.strength == "close":
            return TIE
        if self.strength == "neither":
            return NEITHER
        return self.result.leader

    @property
    def has_leader(self) -> bool:
        """True when the outcome names a type (clear or leans)."""
        return self.strength in ("clear", "leans")

    @property
    def headline(self) -> str:
        """The outcome in one short line with both percentages (the live verdict beside the
        sliders): the chart title, with the two figures added where it names a leader."""
        if not self.has_leader:
            return self.chart_title
        (_, top, top_pct), (_, second, second_pct) = self.shown[:2]
        ahead = "clearly ahead" if self.strength == "clear" else "ahead"
        return f"{top} {ahead}: {top_pct}% against {second_pct}% for {second}"


def verdict_strength(lead: int, share: float, best: int = 100) -> Strength:
    """Strength from the shown lead (whole points), the shown robustness share (0..1: the N
    of "in N of 100", divided by 100, so the words agree with the figure beside them) and the
    shown best match (whole %).

    neither: best < NEITHER_BELOW, whatever the lead; clear: lead >= CLEAR_LEAD_POINTS and share
    >= CLEAR_ROBUSTNESS; leans: lead >= LEAN_LEAD_POINTS and share >= LEAN_ROBUSTNESS; otherwise
    too close to call. For a fixed lead, a lower share never gives a stronger verdict.
    """
    if best < NEITHER_BELOW:
        return "neither"
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


def _neither_words(count: int, noun: str) -> tuple[str, str]:
    """("Neither type" / "None of these services", "Both" / "All") for `count` options."""
    if count == 2:
        return f"Neither {noun}", "Both"
    return f"None of these {noun}s", "All"


def tied_at_top(result: MatchResult) -> tuple[str, ...]:
    """The ids of every option whose match equals the best one (within TIE_TOLERANCE), best
    first as `result.ranking()` lists them: one id when one option is on top alone, none
    without weights."""
    ranking = result.ranking()
    if not ranking:
        return ()
    return tuple(oid for oid, match in ranking if match >= ranking[0][1] - TIE_TOLERANCE)


def _none_leads(count: int) -> tuple[str, str]:
    """("Neither one leads", "Either could suit you") for two tied options, the words for
    "none of them" for three or more."""
    if count == 2:
        return "Neither one leads", "Either could suit you"
    return "None of them leads", "Any of them could suit you"


def _tie_verdict(strength: Strength, shown, tied: int, noun: str) -> str:
    """The verdict when `tied` options (two or more, the first of `shown`) have exactly the
    same match: every one of them is named, never only the first two."""
    listed, pct = listing([name for _, name, _ in shown[:tied]]), shown[0][2]
    if strength == "neither":
        none_of, every = _neither_words(len(shown), noun)
        return (
            f"{none_of} fits you well. The best matches are {listed}, at {pct}% each. "
            f"{every} are under {NEITHER_BELOW}%."
        )
    leads, could = _none_leads(tied)
    return f"Too close to call: {listed} fit you just as well, at {pct}% each. {leads}. {could}."


def _verdict(
    strength: Strength,
    shown,
    lead: int,
    rob: Robustness,
    weights: np.ndarray,
    noun: str = "type",
    tied: int = 1,
) -> str:
    (_, top, top_pct), (_, second, second_pct) = shown[:2]
    if tied > 1 and strength in ("close", "neither"):
        return _tie_verdict(strength, shown, tied, noun)
    figures = f"{top_pct}% against {second_pct}% for {second}. That is a lead of {lead} points"
    if strength == "clear":
        return f"{top} clearly fits you best: {figures}."
    if strength == "leans":
        return f"Your priorities lean towards {top}: {figures}."
    if strength == "neither":
        none_of, every = _neither_words(len(shown), noun)
        return (
            f"{none_of} fits you well. The best match is {top} at {top_pct}%, and {second} "
            f"is at {second_pct}%. {every} are under {NEITHER_BELOW}%."
        )
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


def _rationale(catalog: Catalog, service_id: str, criterion_id: str) -> tuple[str, str]:
    """(rationale, source) of a fit: the catalog's for a type, MENU_SOURCE for a service of the
    clinic's own menu (the owner's fits have no rationale of their own)."""
    if service_id in catalog.type_ids:
        return catalog.fit_reason(service_id, criterion_id)
    return "", MENU_SOURCE


def _reasons(
    result: MatchResult, catalog: Catalog, favour: bool, names: Mapping[str, str] | None = None
) -> tuple[Reason, ...]:
    leader, other = result.leader, result.runner_up
    if leader is None or other is None:
        return ()
    a, b = result.type_ids.index(leader), result.type_ids.index(other)
    points = result.contributions[a] - result.contributions[b]
    signed = points if favour else -points
    winner, loser = (leader, other) if favour else (other, leader)
    # every other option tied for first is named too, after the two compared
    rest = [oid for oid in tied_at_top(result) if oid not in (leader, other)]
    reasons = []
    for c in np.argsort(-signed, kind="stable")[:REASON_LIMIT]:
        if signed[c] <= 0:
            break
        cid = result.criterion_ids[c]
        rationale, section = _rationale(catalog, winner, cid)
        verb = "" if favour else " points the other way"
        fit = dict(zip(result.type_ids, map(_fmt, result.fits[:, c]), strict=True))
        others = [f"{catalog.display_name(oid, names)} {fit[oid]}" for oid in (loser, *rest)]
        text = (
            f"{catalog.criterion_label(cid)} (you gave it {_fmt(result.weights[c])} of 10){verb}. "
            f"{catalog.display_name(winner, names)} fits it {fit[winner]} of 10, "
            f"{'and ' if len(others) == 1 else ''}{listing(others)}. {rationale}"
        )
        reasons.append(Reason(cid, text.rstrip(), section))
    return tuple(reasons)


def tipping_text(
    point: TippingPoint, catalog: Catalog, names: Mapping[str, str] | None = None
) -> str:
    """E.g. 'Spa massage would come out ahead if “Relaxation” mattered 8 or more to you. It is
    now 4.' `names`: display names of a clinic's own services (Catalog.display_name)."""
    challenger = catalog.display_name(point.challenger, names)
    label = f"“{catalog.criterion_label(point.criterion_id)}”"
    now = f"It is now {_fmt(point.current)}."
    flip = point.flip_at
    if flip is None:
        edge = "10" if point.direction == "up" else "0"
        leader = catalog.display_name(point.leader, names)
        return f"{challenger} would only tie with {leader} if {label} were at {edge}. {now}"
    if point.direction == "up":
        condition = f"mattered {flip} or more to you"
    elif flip == 0:
        condition = "did not matter to you at all"
    else:
        condition = f"mattered {flip} or less to you"
    return f"{challenger} would come out ahead if {label} {condition}. {now}"


def _firmness(
    rob: Robustness, result: MatchResult, catalog: Catalog, names: Mapping[str, str] | None = None
) -> str:
    """How firm the order is: how often the leader stays ahead nearby; for an exact tie at the
    top (two services with the same fits, say) that no one leads, naming every tied option."""
    tied = tied_at_top(result)
    if len(tied) > 1:
        listed = listing([catalog.display_name(oid, names) for oid in tied])
        return f"{listed} fit you just as well. {_none_leads(len(tied))[0]}."
    return (
        f"{catalog.display_name(rob.leader, names)} stays ahead {in_hundred(rob)}. In each set, "
        f"every priority moves up or down by up to {_fmt(rob.band)} "
        f"point{'' if rob.band == 1 else 's'}."
    )


FLAG_FIELDS = ("tier", "label", "guidance", "tell_therapist", "look_for", "source_name")


def safety_of(catalog: Catalog, flags: Sequence[str] | None) -> Safety:
    """The safety screen's answer: `flags` None when it is not answered, () when none of the
    items apply, else the ticked ids (unknown ids are ignored: callers check them first)."""
    if flags is None:
        return Safety(answered=False)
    table = catalog.red_flags
    ticked = set(flags)
    return Safety(
        answered=True,
        ticked=tuple(
            FlagGuidance(
                str(fid),
                *(str(table.at[fid, f]) for f in FLAG_FIELDS),
                str(table.at[fid, "source_url"] or table.at[fid, "read_at"]),
            )
            for fid in table.index
            if fid in ticked
        ),
    )


def _next_steps(catalog: Catalog, type_id: str | None) -> tuple[NextStep, ...]:
    return tuple(NextStep(*step) for step in catalog.steps_for(type_id or ""))


def _resting_on_one(lead: int, weights: np.ndarray) -> bool:
    """A wide lead that rests on a single priority: unsettled because so little is set."""
    return lead >= CLEAR_LEAD_POINTS and int(np.count_nonzero(weights > 0)) == 1


def _chart_title(strength: Strength, shown, lead: int, weights: np.ndarray) -> str:
    top, second = shown[0][1], shown[1][1]
    if strength == "neither":
        return f"Neither fits well: {top} {shown[0][2]}%, {second} {shown[1][2]}%"
    if strength == "close":
        head = "Not settled yet" if _resting_on_one(lead, weights) else "Too close to call"
        return f"{head}: {top} {shown[0][2]}%, {second} {shown[1][2]}%"
    word = "clearly ahead" if strength == "clear" else "ahead"
    return f"{top} {word}, by {lead} points"


CONTRIBUTIONS_TITLE = "Points each priority adds to each match"


def _contributions_title(result: MatchResult, catalog: Catalog, has_leader: bool) -> str:
    """The contributions chart's title: the priority that adds most to the lead, only when the
    outcome names a leader."""
    if not has_leader or result.leader is None or result.runner_up is None:
        return CONTRIBUTIONS_TITLE
    a, b = result.type_ids.index(result.leader), result.type_ids.index(result.runner_up)
    gap = result.contributions[a] - result.contributions[b]
    best = int(np.argmax(gap))
    if gap[best] <= 0:
        return CONTRIBUTIONS_TITLE
    label = catalog.criterion_label(result.criterion_ids[best])
    return f"{label} adds most to {catalog.display_name(result.leader)}'s lead"


def _only_service(
    result: MatchResult, shown, said: Mapping[str, str], needs_provider: bool, left_out
) -> MenuAnswer:
    """A menu of one service: how well it fits, with nothing to compare it with."""
    name, pct = said[shown[0][0]], shown[0][2]
    if pct < NEITHER_BELOW:
        strength: Strength | Literal["only"] = "neither"
        verdict = (
            f"This clinic lists one service here: {name}. It fits you {pct}%. That is under "
            f"{NEITHER_BELOW}%, so it may not suit you well."
        )
    else:
        strength = ONLY
        verdict = f"This clinic lists one service here: {name}. It fits you {pct}%."
    return MenuAnswer(
        result, strength, verdict, shown, None, (), (), (), None, None, left_out, needs_provider
    )


def menu_answer(
    catalog: Catalog,
    weights: np.ndarray,
    menu: pd.DataFrame,
    band: float,
    needs_provider: bool = False,
) -> MenuAnswer | None:
    """Rank the clinic's services of `menu` (a `name` column and one fit column, 0..10, per
    criterion id, as advisor.clinic.menu reads and checks it) for `weights` (criterion order,
    with some weight), by the same scoring and verdict rule as the types. Services that break a
    service limit are left out (MenuAnswer.left_out); None when no service is left to rank."""
    fits, names = services(catalog.fits, menu)
    own = fits.loc[list(names)]
    kept, left_out = deliverable(own, catalog.service_limits, names)
    if kept.empty:
        return None
    result = score(weights, kept)
    shown = tuple((sid, names[sid], int(round(match))) for sid, match in result.ranking())
    said = {sid: isolate(name) for sid, name in names.items()}  # as set into sentences
    if len(shown) == 1:
        return _only_service(result, shown, said, needs_provider, tuple(left_out))
    lead = shown[0][2] - shown[1][2]
    rob = robustness(result, band)
    assert rob is not None  # there are weights, so there is a leader
    strength = verdict_strength(lead, rob.per_hundred / 100, shown[0][2])
    return MenuAnswer(
        result=result,
        strength=strength,
        verdict=_verdict(
            strength,
            tuple((sid, said[sid], pct) for sid, _, pct in shown),
            lead,
            rob,
            result.weights,
            "service",
            len(tied_at_top(result)),
        ),
        shown=shown,
        lead=lead,
        reasons_for=_reasons(result, catalog, favour=True, names=said),
        reasons_against=_reasons(result, catalog, favour=False, names=said),
        changes=tuple(tipping_text(p, catalog, said) for p in tipping_points(result)),
        firmness=_firmness(rob, result, catalog, said),
        robustness=rob,
        left_out=tuple(left_out),
        needs_provider=needs_provider,
    )


def explain(
    catalog: Catalog,
    weights: Mapping[str, float],
    certainty: str,
    flags: Sequence[str] | None = None,
    menu: pd.DataFrame | None = None,
) -> Explanation:
    """Score `weights` (criterion id -> 0..10) and explain the answer in plain words.

    `certainty` is a key of CERTAINTY_BANDS (sets the robustness band); `flags` is the answer
    to the safety screen: None while it is not answered, () when none of the items apply, else
    the ids of catalog.red_flags that the person ticked (unknown ids are ignored: the page and
    the command line check them first). `menu`: the clinic's own services (a `name` column and
    one fit column per criterion id, checked as advisor.clinic.menu checks it), ranked in
    Explanation.clinic; None or empty for no menu. Needs at least two types in the catalog.
    Raises KeyError for an unknown criterion or certainty, ValueError for a weight outside
    0..10.
    """
    result = score(weights, catalog.fits)
    band = CERTAINTY_BANDS[certainty]
    safety = safety_of(catalog, flags)
    note = (
        None
        if safety.ticked or health_share(result, catalog.health_criteria) < HEALTH_SHARE
        else HEALTH_NOTE
    )
    if not result.has_weights:
        return Explanation(
            result, certainty, None, NO_WEIGHTS, (), None, "No priorities set yet",
            (), (), (), None, None, safety, note, (), None, CONTRIBUTIONS_TITLE,
        )  # fmt: skip
    shown = tuple(
        (tid, catalog.display_name(tid), int(round(match))) for tid, match in result.ranking()
    )
    lead = shown[0][2] - shown[1][2]
    rob = robustness(result, band)
    assert rob is not None  # there are weights, so there is a leader
    strength = verdict_strength(lead, rob.per_hundred / 100, shown[0][2])
    has_leader = strength in ("clear", "leans")
    points: list[TippingPoint] = tipping_points(result)
    return Explanation(
        result=result,
        certainty=certainty,
        strength=strength,
        verdict=_verdict(strength, shown, lead, rob, result.weights, tied=len(tied_at_top(result))),
        shown=shown,
        lead=lead,
        chart_title=_chart_title(strength, shown, lead, result.weights),
        reasons_for=_reasons(result, catalog, favour=True),
        reasons_against=_reasons(result, catalog, favour=False),
        changes=tuple(tipping_text(p, catalog) for p in points),
        firmness=_firmness(rob, result, catalog),
        robustness=rob,
        safety=safety,
        health_note=note,
        next_steps=_next_steps(catalog, result.leader) if strength != "neither" else (),
        leader_name=shown[0][1],
        contributions_title=_contributions_title(result, catalog, has_leader),
        clinic=None
        if menu is None or menu.empty
        else menu_answer(catalog, result.weights, menu, band, bool(safety.provider_first)),
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
