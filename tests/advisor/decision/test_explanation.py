"""advisor.decision.explanation: one explanation of an answer, honest about how firm it is."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.decision.explanation import (
    CARE_BODY,
    CARE_HEADLINE,
    CLEAR_LEAD_POINTS,
    CLEAR_ROBUSTNESS,
    HEALTH_NOTE,
    HEALTH_SHARE,
    LEAN_LEAD_POINTS,
    LEAN_ROBUSTNESS,
    NEITHER,
    NEITHER_BELOW,
    NO_WEIGHTS,
    SAFETY_BODY,
    SAFETY_HEADLINE,
    TIE,
    explain,
    health_share,
    verdict_strength,
)
from advisor.decision.scoring import score
from advisor.decision.takeaway import result_frame
from tests.advisor.test_catalog import DESIGN_CRITERIA

RANK = {"neither": -1, "close": 0, "leans": 1, "clear": 2}
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
    exp = explain(catalog, weights, certainty, [])
    if exp.strength is None:
        assert exp.verdict == NO_WEIGHTS and exp.lead is None
        return
    (_, top, top_pct), (_, _, second_pct) = exp.shown
    assert exp.lead == top_pct - second_pct
    result = score(weights, catalog.fits)
    assert [pct for _, _, pct in exp.shown] == [round(m) for _, m in result.ranking()]
    assert (
        f"{top} ({top_pct}%)" in exp.verdict
        or f"{top_pct}% against {second_pct}%" in exp.verdict
        or f"{top} at {top_pct}%" in exp.verdict
        or (
            top_pct == second_pct
            and f"{top} and " in exp.verdict
            and f"{top_pct}% each" in exp.verdict
        )
    )
    if exp.has_leader:
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


UNWIND = "unwind"


@pytest.mark.parametrize(
    ("flags", "order"),
    [
        (["fever_or_infection"], ["fever_or_infection"]),
        (["recent_surgery", "blood_clot"], ["blood_clot", "recent_surgery"]),  # catalog order
        (["pregnancy_later", "recent_surgery"], ["pregnancy_later", "recent_surgery"]),
    ],
)
def test_an_item_that_needs_a_provider_replaces_the_recommendation(catalog, flags, order):
    exp = explain(catalog, dict(catalog.preset_weights.loc[UNWIND]), "medium", flags)
    assert exp.strength == "clear" and not exp.is_firm and exp.needs_provider
    assert [f.flag_id for f in exp.safety.ticked] == order
    assert all(f.source_url.startswith("http") and f.source_name for f in exp.safety.ticked)
    assert exp.health_note is None  # the stronger message replaces the softer one


def test_an_item_with_care_keeps_the_answer_but_not_green(catalog):
    weights = dict(catalog.preset_weights.loc["treat_myself"])
    exp = explain(catalog, weights, "medium", ["pregnancy_later"])
    assert not exp.needs_provider and not exp.is_firm
    assert exp.strength == "clear" and exp.outcome == "spa"
    (item,) = exp.safety.with_care
    assert (item.tier, item.look_for) == (
        "with_care",
        "Someone trained in massage for pregnant women.",
    )
    assert exp.safety.summary == (
        "Safety check: you ticked “I am pregnant and past the first 3 months (13 weeks or more)”."
    )


@pytest.mark.parametrize(
    ("flags", "note"),
    [
        (None, None),
        ([], None),
        (["pregnancy_later"], (CARE_HEADLINE, CARE_BODY)),
        (["pregnancy_later", "fever_or_infection"], (SAFETY_HEADLINE, SAFETY_BODY)),
    ],
)
def test_the_safety_note_is_see_a_provider_first_when_one_item_needs_it(catalog, flags, note):
    exp = explain(catalog, dict(catalog.preset_weights.loc[UNWIND]), "medium", flags)
    assert exp.safety_note == note


@pytest.mark.parametrize(
    ("flags", "answered", "firm", "summary"),
    [
        (None, False, False, "Safety check: not answered yet."),
        ([], True, True, "Safety check: you said none of the listed conditions apply to you."),
        (["varicose_veins"], True, False, "Safety check: you ticked “I have varicose veins "
         "where I want massage”."),
    ],
)  # fmt: skip
def test_green_only_once_the_screen_is_answered_with_nothing_ticked(
    catalog, flags, answered, firm, summary
):
    exp = explain(catalog, dict(catalog.preset_weights.loc["injury"]), "medium", flags)
    assert exp.strength == "clear"
    assert (exp.safety.answered, exp.is_firm, exp.safety.summary) == (answered, firm, summary)


def test_the_safety_items_and_their_tiers(catalog):
    """The issue's tiers: later pregnancy with care, early or high-risk pregnancy and surgery
    in the last 6 weeks to a provider first; every item cites its source and dates."""
    flags = catalog.red_flags
    assert len(flags) == 18
    tiers = dict(flags["tier"])
    assert tiers["pregnancy_later"] == "with_care"
    assert tiers["pregnancy_early"] == tiers["pregnancy_high_risk"] == "provider_first"
    assert tiers["recent_surgery"] == "provider_first"
    assert "6 weeks" in flags.at["recent_surgery", "label"]
    assert "6 weeks" in flags.at["recent_surgery", "guidance"]
    assert (flags["read_on"] == "2026-12-05").all()
    assert set(flags["tier"]) == {"provider_first", "with_care"}
    copied = flags[flags["read_at"] != ""]
    assert "megatopx" in copied.at["blood_thinners", "read_at"]  # NCCIH, read in a copy
    # the older fact sheet's own address was never seen: only the copy is given
    assert flags.at["fever_or_infection", "source_url"] == ""
    assert flags.at["fever_or_infection", "read_at"] == "https://excitingspas.com/side-effects.html"


@pytest.mark.parametrize(
    ("flag", "words"),
    [
        ("blood_clot", "A possible blood clot needs a doctor today, not a massage."),
        ("fever_or_infection", "Wait until you are well again"),
        ("skin_problem_in_area", "Massage can go ahead away from that spot."),
        ("recent_surgery", "Ask your surgeon when massage is safe, and where."),
        ("blood_thinners", "gentle pressure only, with no deep tissue or forceful work"),
    ],
)
def test_each_item_has_its_own_guidance(catalog, flag, words):
    (guidance,) = explain(catalog, {"relaxation": 5}, "medium", [flag]).safety.ticked
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
    exp = explain(catalog, {}, "medium", ["fever_or_infection"])
    assert (exp.strength, exp.verdict, exp.shown, exp.next_steps) == (None, NO_WEIGHTS, (), ())
    assert [f.flag_id for f in exp.safety.ticked] == ["fever_or_infection"]
    assert exp.outcome is None


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


# --- neither fits well, and one outcome ---------------------------------------------------------


def test_neither_fits_well_names_no_winner(catalog):
    # medical 100*(8*7 + 2*6)/130 = 52.3, spa 100*(2*7 + 9*6)/130 = 52.3: both under 60
    exp = explain(catalog, {"short_targeted": 7, "long_indulgent": 6}, "medium", [])
    assert exp.strength == "neither" and exp.outcome == NEITHER and not exp.is_firm
    assert exp.verdict == (
        "Neither type fits you well. The best matches are Medical massage and Spa massage, at "
        f"52% each. Both are under {NEITHER_BELOW}%."
    )
    assert exp.chart_title == "Neither fits well: Medical massage 52%, Spa massage 52%"
    assert exp.next_steps == ()  # no next steps for a type it does not recommend


@pytest.mark.parametrize(
    ("best", "lead", "share", "strength"),
    [
        (NEITHER_BELOW - 1, 40, 1.0, "neither"),
        (NEITHER_BELOW, 40, 1.0, "clear"),
        (NEITHER_BELOW - 1, 0, 0.5, "neither"),
    ],
)
def test_the_neither_rule_comes_first(best, lead, share, strength):
    assert verdict_strength(lead, share, best) == strength


VERDICT_START = {
    "clear": "{top} clearly fits you best",
    "leans": "Your priorities lean towards {top}",
    "neither": "Neither type fits you well",
}
TITLE_START = {
    "clear": "{top} clearly ahead",
    "leans": "{top} ahead",
    "neither": "Neither fits well",
}


@settings(max_examples=150, deadline=None)
@given(weightings, st.sampled_from(["high", "medium", "low"]))
def test_stored_answer_chart_titles_and_verdict_agree(catalog, weights, certainty):
    """For any weighting, one outcome: the stored answer (Explanation.outcome, which the opt-in
    stores and the CSV writes), both chart titles, the live verdict and the verdict."""
    exp = explain(catalog, weights, certainty, [])
    if exp.strength is None:
        assert exp.outcome is None
        return
    top = exp.leader_name
    frame = result_frame(catalog, exp)
    assert frame.loc[frame["criterion_id"] == "outcome", "criterion"].item() == exp.outcome
    if exp.strength == "close":
        assert exp.outcome == TIE
        assert exp.verdict.startswith(("Too close to call", "Not settled yet"))
        assert exp.chart_title.startswith(("Too close to call", "Not settled yet"))
    else:
        assert exp.outcome == (NEITHER if exp.strength == "neither" else exp.result.leader)
        assert exp.verdict.startswith(VERDICT_START[exp.strength].format(top=top))
        assert exp.chart_title.startswith(TITLE_START[exp.strength].format(top=top))
    assert exp.headline.startswith(exp.chart_title.split(",")[0].split(":")[0])
    if exp.has_leader:
        assert exp.contributions_title in (
            f"{catalog.criterion_label(r.criterion_id)} adds most to {top}'s lead"
            for r in exp.reasons_for[:1]
        )
    else:
        assert exp.contributions_title == "Points each priority adds to each match"


# --- plain words: the safety screen's texts read at grade 8 or lower ----------------------------

SAFETY_TEXT = ("label", "guidance", "tell_therapist", "look_for")


@pytest.mark.parametrize("column", SAFETY_TEXT)
def test_the_safety_items_read_at_grade_8_or_lower(catalog, column):
    """Each column of data/red_flags.csv a client reads, taken as one text (its items are
    short: one long word moves a short item's grade by points), measured by textstat."""
    import textstat

    items = [str(text).rstrip(".") + "." for text in catalog.red_flags[column]]
    assert textstat.flesch_kincaid_grade(" ".join(items)) <= 8.0
    worst = max(items, key=textstat.flesch_kincaid_grade)
    assert textstat.flesch_kincaid_grade(worst) <= 9.0, worst


def test_the_answers_own_sentences_read_at_grade_8_or_lower(catalog):
    import textstat

    from advisor.decision import explanation

    texts = [
        explanation.CARE_BODY,
        explanation.SAFETY_BODY,
        explanation.NEITHER_ADVICE,
        explanation.NOT_MEDICAL_ADVICE,
        explain(catalog, {"short_targeted": 7, "long_indulgent": 6}, "medium", []).verdict,
        explanation.Safety(answered=True).summary,
    ]
    assert [t for t in texts if textstat.flesch_kincaid_grade(t) > 8.0] == []


@pytest.mark.parametrize(("certainty", "unit"), [("high", "1 point."), ("medium", "2 points.")])
def test_the_firmness_says_point_or_points_by_the_band(catalog, certainty, unit):
    exp = explain(catalog, dict(catalog.preset_weights.loc["injury"]), certainty)
    assert exp.firmness.endswith(f"every priority moves up or down by up to {unit}")
