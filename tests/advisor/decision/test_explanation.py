"""advisor.decision.explanation: one explanation of an answer, honest about how firm it is."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.decision.explanation import (
    CLEAR_LEAD_POINTS,
    CLEAR_ROBUSTNESS,
    HEALTH_NOTE,
    HEALTH_SHARE,
    LEAN_LEAD_POINTS,
    LEAN_ROBUSTNESS,
    NO_WEIGHTS,
    explain,
    health_share,
    verdict_strength,
)
from advisor.decision.scoring import score
from tests.advisor.test_catalog import DESIGN_CRITERIA

RANK = {"close": 0, "leans": 1, "clear": 2}
CRITERIA = list(DESIGN_CRITERIA)  # the 13 criterion ids, in catalog order
weightings = st.fixed_dictionaries({cid: st.integers(0, 10) for cid in CRITERIA})


@pytest.mark.parametrize(
    ("lead", "share", "strength"),
    [
        (64, 1.00, "clear"),
        (CLEAR_LEAD_POINTS, CLEAR_ROBUSTNESS, "clear"),
        (CLEAR_LEAD_POINTS - 1, 1.00, "leans"),
        (CLEAR_LEAD_POINTS, CLEAR_ROBUSTNESS - 0.01, "leans"),
        (LEAN_LEAD_POINTS, LEAN_ROBUSTNESS, "leans"),
        (LEAN_LEAD_POINTS - 1, 1.00, "close"),
        (LEAN_LEAD_POINTS, LEAN_ROBUSTNESS - 0.01, "close"),
        (13, 0.51, "close"),  # the coin flip of the issue: ahead in 51 of 100
        (0, 0.50, "close"),
    ],
)
def test_verdict_strength_table(lead, share, strength):
    assert verdict_strength(lead, share) == strength


@given(st.integers(0, 100), st.floats(0, 1), st.floats(0, 1))
def test_strength_never_rises_when_robustness_falls_at_the_same_lead(lead, a, b):
    high, low = max(a, b), min(a, b)
    assert RANK[verdict_strength(lead, low)] <= RANK[verdict_strength(lead, high)]


@given(st.integers(0, 100), st.integers(0, 100), st.floats(0, 1))
def test_strength_never_rises_when_the_lead_falls_at_the_same_robustness(a, b, share):
    assert RANK[verdict_strength(min(a, b), share)] <= RANK[verdict_strength(max(a, b), share)]


@settings(max_examples=60, deadline=None)
@given(weightings, st.sampled_from(["high", "medium", "low"]))
def test_stated_lead_is_the_difference_of_the_stated_percentages(catalog, weights, certainty):
    exp = explain(catalog, weights, certainty)
    if exp.strength is None:
        assert exp.verdict == NO_WEIGHTS and exp.lead is None
        return
    (_, top, top_pct), (_, _, second_pct) = exp.shown
    assert exp.lead == top_pct - second_pct
    result = score(weights, catalog.fits)
    assert [pct for _, _, pct in exp.shown] == [round(m) for _, m in result.ranking()]
    assert (
        f"{top} ({top_pct}%)" in exp.verdict or f"{top_pct}% against {second_pct}%" in exp.verdict
    )
    if exp.strength != "close":
        assert f"a lead of {exp.lead} points" in exp.verdict
    assert exp.is_firm is (exp.strength == "clear")


@settings(max_examples=40, deadline=None)
@given(weightings)
def test_reasons_on_each_side_point_the_way_they_say(catalog, weights):
    exp = explain(catalog, weights, "medium")
    if exp.strength is None:
        return
    result = exp.result
    a = result.type_ids.index(result.leader)
    b = result.type_ids.index(result.runner_up)
    diff = result.contributions[a] - result.contributions[b]
    gap = dict(zip(result.criterion_ids, diff, strict=True))
    assert all(gap[r.criterion_id] > 0 for r in exp.reasons_for)
    assert all(gap[r.criterion_id] < 0 for r in exp.reasons_against)
    assert all(" points the other way. " in r.text for r in exp.reasons_against)
    sections = set(catalog.sections["title"])
    assert all(r.section_title in sections for r in exp.reasons_for + exp.reasons_against)


def test_the_issue_example_88_and_24_is_a_lead_of_64(catalog):
    exp = explain(catalog, dict(catalog.preset_weights.loc["injury"]), "medium")
    assert exp.verdict == (
        "Medical massage clearly fits you best: 88% against 24% for Spa massage. "
        "That is a lead of 64 points."
    )
    assert exp.chart_title == "Medical massage clearly ahead, by 64 points"


def test_the_coin_flip_is_too_close_and_names_the_other_side(catalog):
    exp = explain(catalog, {"relaxation": 5, "pain_relief": 5, "wellbeing": 3}, "medium")
    assert exp.strength == "close" and not exp.is_firm
    assert exp.robustness.per_hundred == 51
    assert exp.verdict.startswith("Too close to call between Spa massage (71%) and Medical")
    (against,) = exp.reasons_against
    assert against.criterion_id == "pain_relief"
    assert against.text.startswith("Pain relief (you gave it 5 of 10) points the other way")
    assert against.section_title == "Treatment Focus"


@pytest.mark.parametrize(
    ("flags", "order"),
    [
        (["fever"], ["fever"]),
        (["open_wound", "blood_clot"], ["blood_clot", "open_wound"]),  # catalog order
        (["recent_surgery", "recent_injury"], ["recent_surgery", "recent_injury"]),
    ],
)
def test_a_red_flag_replaces_the_recommendation(catalog, flags, order):
    exp = explain(catalog, dict(catalog.preset_weights.loc["unwind"]), "medium", flags)
    assert exp.strength == "clear" and not exp.is_firm
    assert [f.flag_id for f in exp.red_flags] == order
    assert all(f.source_url.startswith("https://") and f.source_name for f in exp.red_flags)
    assert exp.health_note is None  # the stronger message replaces the softer one


@pytest.mark.parametrize(
    ("flag", "words"),
    [
        ("blood_clot", "needs medical care now, not a massage"),
        ("fever", "Wait until you are well again"),
        ("open_wound", "That area is not massaged until it has healed"),
        ("recent_surgery", "Ask the doctor or surgeon who treated you when massage is safe"),
        ("recent_injury", "ask whoever treats it when massage is safe"),
    ],
)
def test_each_flag_has_its_own_guidance(catalog, flag, words):
    (guidance,) = explain(catalog, {"relaxation": 5}, "medium", [flag]).red_flags
    assert words in guidance.guidance


@pytest.mark.parametrize(
    ("weights", "note"),
    [
        ({"relaxation": 10, "pain_relief": 1}, False),  # 1 of 11
        ({"relaxation": 8, "pain_relief": 2}, True),  # 2 of 10: exactly a fifth
        ({"relaxation": 9, "pain_relief": 2}, False),  # 2 of 11
        ({"injury_recovery": 1}, True),
        ({"care_team": 3, "relaxation": 3, "calming_ambience": 3}, True),
        ({"range_of_motion": 10}, False),  # not a health, pain or injury priority
    ],
)
def test_health_note_rule(catalog, weights, note):
    exp = explain(catalog, weights, "medium")
    share = health_share(score(weights, catalog.fits), catalog.health_criteria)
    assert (share >= HEALTH_SHARE) is note
    assert (exp.health_note == HEALTH_NOTE) is note


@pytest.mark.parametrize("preset", ["unwind", "treat_myself"])
def test_no_health_note_for_the_relaxing_goals(catalog, preset):
    assert explain(catalog, dict(catalog.preset_weights.loc[preset]), "medium").health_note is None


@pytest.mark.parametrize(
    ("preset", "first_heading", "words"),
    [
        (
            "doctor_referral",
            "First step",
            "a good first step is to ask your doctor or physio for a referral",
        ),
        ("treat_myself", "Where to look", "spa or wellness centre"),
    ],
)
def test_next_steps_are_for_the_leading_type(catalog, preset, first_heading, words):
    steps = explain(catalog, dict(catalog.preset_weights.loc[preset]), "medium").next_steps
    assert steps[0].heading == first_heading and words in steps[0].text
    headings = {s.heading for s in steps}
    assert {"Ask about their training", "Ask if they work with your provider"} <= headings
    assert "Ask about session length" in headings


def test_without_weights_there_is_only_an_invitation(catalog):
    exp = explain(catalog, {}, "medium", ["fever"])
    assert (exp.strength, exp.verdict, exp.shown, exp.next_steps) == (None, NO_WEIGHTS, (), ())
    assert [f.flag_id for f in exp.red_flags] == ["fever"]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"weights": {"nap": 3}, "certainty": "medium"}, KeyError),
        ({"weights": {"relaxation": 3}, "certainty": "sure"}, KeyError),
        ({"weights": {"relaxation": 11}, "certainty": "medium"}, ValueError),
    ],
)
def test_bad_input_raises(catalog, kwargs, error):
    with pytest.raises(error):
        explain(catalog, **kwargs)


@pytest.mark.parametrize(("kept", "n", "strength"), [(3599, 90, "clear"), (3579, 89, "leans")])
def test_the_verdict_follows_the_figure_the_reader_sees(catalog, monkeypatch, kept, n, strength):
    """3,599 of 4,000 is 89.975%: shown as "in 90 of 100", so the answer is worded "clearly"
    (90 or more), not "leans towards" as the unrounded share alone would have it."""
    from advisor.decision import explanation
    from advisor.decision.sensitivity import Robustness

    monkeypatch.setattr(
        explanation,
        "robustness",
        lambda result, band: Robustness("medical", kept / 4000, 4000, band, kept),
    )
    exp = explain(catalog, dict(catalog.preset_weights.loc["injury"]), "medium")
    assert exp.lead == 64 and exp.robustness.per_hundred == n
    assert exp.strength == strength
    assert f"Medical massage stays ahead in {n} of 100 similar sets of priorities" in exp.firmness


def test_a_wide_lead_on_one_light_priority_is_not_settled_not_a_coin_flip(catalog):
    exp = explain(catalog, {"relaxation": 1}, "medium")
    assert exp.strength == "close" and not exp.is_firm
    assert exp.lead == 70
    assert exp.verdict == (
        "Not settled yet. Spa massage leads with 100% against 30% for Medical massage. But that "
        "rests on one priority, set at 1 of 10. Move your priorities a little, and Spa massage "
        f"stays ahead only in {exp.robustness.per_hundred} of 100 similar sets of priorities. "
        "Set the other priorities that matter to you."
    )
    assert "Too close to call" not in exp.verdict
    assert exp.chart_title == "Not settled yet: Spa massage 100%, Medical massage 30%"
