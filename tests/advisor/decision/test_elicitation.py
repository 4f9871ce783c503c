"""Best-worst scaling: the design's balance, recovery of known weights, early stops and
contradictions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.catalog import DATA_DIR
from advisor.decision.elicitation import (
    Step,
    contradiction_text,
    contradictions,
    elicit,
    estimate_utilities,
    progress_note,
    slider_weights,
)
from advisor.decision.scoring import score
from bench.elicitation_recovery import recovery, simulated_answers
from scripts.make_questionnaire import MAX_SCREENS, balanced_design, design_balance, design_frame

RELAXING = ("relaxation", "soothing_experience", "calming_ambience", "long_indulgent", "wellbeing")
DESIGN = balanced_design(13)  # the seeded search of scripts/make_questionnaire.py


def test_the_stored_design_is_the_seeded_search(catalog):
    assert catalog.screen_items == DESIGN
    stored = pd.read_csv(DATA_DIR / "questionnaire.csv")
    pd.testing.assert_frame_equal(stored, design_frame(catalog.criterion_ids))


def test_the_design_is_balanced():
    assert len(DESIGN) == MAX_SCREENS == 8
    assert all(len(set(screen)) == len(screen) == 4 for screen in DESIGN)
    balance = design_balance(DESIGN, 13)
    assert sorted(balance.appearances.tolist()) == [2] * 7 + [3] * 6
    assert balance.pairs_together.max() == 2
    assert (balance.pairs_together == 2).sum() == 2  # of 78 pairs, 2 meet twice
    assert (balance.pairs_together == 1).sum() == 44
    covered = [len({i for screen in DESIGN[:k] for i in screen}) for k in range(1, 5)]
    assert covered == [4, 8, 12, 13]


def test_the_questionnaire_shows_criteria_ids(catalog):
    screens = catalog.screens
    assert {c for screen in screens for c in screen} == set(catalog.criterion_ids)
    assert screens[0] == tuple(catalog.criterion_ids[i] for i in DESIGN[0])


@pytest.mark.parametrize(("per_screen", "screens"), [(1, 8), (13, 8), (4, 0)])
def test_an_impossible_design_is_refused(per_screen, screens):
    with pytest.raises(ValueError, match="a design needs"):
        balanced_design(13, screens, per_screen)


def test_noiseless_respondents_recover_rank_order_and_type(catalog):
    result = recovery(catalog, per_type=60, noise=0.0, seed=1)
    assert result.respondents == 120
    assert result.mean_spearman >= 0.85
    assert result.agreement >= 0.95


def test_noisy_respondents_still_recover_most_of_the_order(catalog):
    result = recovery(catalog, per_type=30, noise=1.0, seed=2)
    assert result.mean_spearman >= 0.8
    assert result.agreement >= 0.85


def test_random_answers_recover_nothing(catalog):
    result = recovery(catalog, per_type=30, noise=1e6, seed=3)
    assert abs(result.mean_spearman) < 0.15
    assert result.agreement < 0.75


def _relaxer(catalog):
    """A respondent who always picks a relaxation-like criterion as most where there is one,
    in one fixed order of everything: the relaxation-like ones first, then the rest in catalog
    order."""
    order = [*RELAXING, *(c for c in catalog.criterion_ids if c not in RELAXING)]

    def answer(screen: tuple[str, ...]) -> tuple[str, str]:
        ranked = sorted(screen, key=order.index)
        return ranked[0], ranked[-1]

    return answer


def test_a_relaxation_seeker_ends_with_spa_first(catalog):
    screens = catalog.screens
    result = elicit(catalog, [_relaxer(catalog)(screen) for screen in screens])
    assert result.complete and result.contradictions == ()
    assert score(result.weights, catalog.fits).leader == "spa"
    assert max(result.weights, key=result.weights.get) in RELAXING


def test_stopping_after_two_screens_gives_valid_weights_and_says_so(catalog):
    screens = catalog.screens
    result = elicit(catalog, [_relaxer(catalog)(screen) for screen in screens[:2]])
    assert (result.screens_answered, result.screens_total) == (2, 8)
    assert set(result.weights) == set(catalog.criterion_ids)
    assert all(isinstance(w, int) and 0 <= w <= 10 for w in result.weights.values())
    assert len(result.not_asked) == 5
    assert score(result.weights, catalog.fits).leader == "spa"
    note = progress_note(result, catalog)
    assert note.startswith("Your priorities were set from your answers to 2 of 8 screens. 5 were")
    assert all(catalog.criterion_label(c) in note for c in result.not_asked)


def test_a_skipped_screen_counts_as_not_answered(catalog):
    screens = catalog.screens
    result = elicit(catalog, [None, _relaxer(catalog)(screens[1])])
    assert result.screens_answered == 1
    assert set(result.not_asked) == set(catalog.criterion_ids) - set(screens[1])


def test_no_answers_give_no_weights(catalog):
    result = elicit(catalog, [])
    assert set(result.weights.values()) == {0}
    assert result.screens_answered == 0


def test_a_bad_answer_names_its_screen(catalog):
    first, second = catalog.screens[:2]
    with pytest.raises(ValueError, match=f"screen 2: {second[0]} cannot matter both most"):
        elicit(catalog, [(first[0], first[1]), (second[0], second[0])])
    outsider = next(c for c in catalog.criterion_ids if c not in first)
    with pytest.raises(ValueError, match="screen 1: the answers must be among"):
        elicit(catalog, [(outsider, first[0])])


def test_more_answers_than_screens_are_refused(catalog):
    with pytest.raises(ValueError, match="9 answers for 8 screens"):
        elicit(catalog, [None] * 9)


def test_a_cycle_across_screens_is_found_and_told_in_plain_words(catalog):
    screens = [("a", "b", "x", "y"), ("b", "c", "x", "z"), ("c", "a", "y", "z")]
    answers = [("a", "x"), ("b", "x"), ("c", "y")]  # a > b, b > c, c > a
    cycles = contradictions(screens, answers)
    assert len(cycles) == 1
    assert {(s.higher, s.lower) for s in cycles[0]} == {("a", "b"), ("b", "c"), ("c", "a")}
    assert [s.screen for s in sorted(cycles[0], key=lambda s: s.screen)] == [1, 2, 3]


def test_consistent_answers_have_no_contradiction(catalog):
    weights = np.arange(13, dtype=float)
    screens = DESIGN
    answers = simulated_answers(weights, screens, np.random.default_rng(0))
    named = [tuple(str(i) for i in screen) for screen in screens]
    assert contradictions(named, [(str(b), str(w)) for b, w in answers]) == ()


def test_contradiction_text(catalog):
    cycle = (
        Step("pain_relief", "relaxation", 1),
        Step("relaxation", "range_of_motion", 4),
        Step("range_of_motion", "pain_relief", 6),
    )
    assert contradiction_text(cycle, catalog) == (
        "Some answers disagree: you put Pain relief above Relaxation (screen 1), Relaxation "
        "above Range of motion (screen 4), but Range of motion above Pain relief (screen 6). "
        "Check these on the sliders under Your priorities and set them as you see fit."
    )


@pytest.mark.parametrize(
    ("utilities", "weights"),
    [
        ([2.0, 0.0, -2.0], [10, 2, 0]),  # halfway is 10 * 0.5**2 = 2.5, rounded to even
        ([1.0, 1.0, 1.0], [5, 5, 5]),
        ([0.0, 3.0, 1.5, 2.4], [0, 10, 2, 6]),
    ],
)
def test_slider_weights(utilities, weights):
    assert slider_weights(np.array(utilities)).tolist() == weights


@settings(max_examples=40, deadline=None)
@given(st.permutations(range(8)))
def test_only_the_best_minus_worst_counts_matter(order):
    """The maxdiff likelihood depends on the answers only through best-minus-worst counts:
    answering the same screens in any order gives the same utilities."""
    screens = DESIGN
    answers = simulated_answers(np.arange(13.0), screens, np.random.default_rng(4), noise=2.0)
    base = estimate_utilities(screens, answers, 13)
    shuffled = estimate_utilities([screens[i] for i in order], [answers[i] for i in order], 13)
    np.testing.assert_allclose(shuffled, base, atol=1e-4)


def test_more_screens_give_a_better_order():
    rng = np.random.default_rng(5)
    screens = DESIGN
    truth = np.arange(13.0)
    answers = simulated_answers(truth, screens, rng)
    rhos = []
    for k in (2, 4, 8):
        utilities = estimate_utilities(screens[:k], answers[:k], 13)
        rhos.append(np.corrcoef(np.argsort(np.argsort(utilities)), truth)[0, 1])
    assert rhos == sorted(rhos)
