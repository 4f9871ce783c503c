"""advisor.decision.sensitivity: closed-form tipping points, and sampled robustness."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from advisor.catalog import Catalog
from advisor.decision.scoring import score
from advisor.decision.sensitivity import (
    CERTAINTY_BANDS,
    CERTAINTY_LABELS,
    DEFAULT_CERTAINTY,
    DEFAULT_SAMPLES,
    SEED,
    Robustness,
    TippingPoint,
    in_hundred,
    per_hundred,
    robustness,
    robustness_method,
    sample_nearby,
    tipping_points,
)

C = 13
PROPERTY = settings(max_examples=100, deadline=None)

# Subnormal weights (below 2.2e-308) are left out: at 5e-324 a product carries no precision to
# speak of, and a tie solved there is dust, not a tipping point.
float_weights = arrays(
    np.float64,
    C,
    elements=st.floats(min_value=0, max_value=10, allow_nan=False, allow_subnormal=False),
).filter(lambda w: w.sum() > 0)
# decimal weights as a person types them (no subnormal dust, whose ties round away)
typed_weights = arrays(np.float64, C, elements=st.just(0.0) | st.floats(1e-3, 10)).filter(
    lambda w: w.sum() > 0
)
slider_weights = arrays(np.int64, C, elements=st.integers(min_value=0, max_value=10)).filter(
    lambda w: w.sum() > 0
)
weights_either = float_weights | slider_weights


def small_fits() -> pd.DataFrame:
    return pd.DataFrame(
        [[10.0, 2.0, 5.0], [0.0, 8.0, 5.0]], index=["a", "b"], columns=["x", "y", "z"]
    )


def margin(weights: np.ndarray, fits: pd.DataFrame, leader: str, challenger: str) -> float:
    result = score(weights, fits)
    return result.match_of(leader) - result.match_of(challenger)


def with_weight(weights: np.ndarray, index: int, value: float) -> np.ndarray:
    changed = np.asarray(weights, dtype=float).copy()
    changed[index] = value
    return changed


# --- tipping points by hand ---------------------------------------------------------------------


def test_tipping_points_by_hand() -> None:
    # x = 5, y = 5: a leads 60 to 40. With y alone moving, a and b tie where 10*5 - 6*y = 0.
    result = score({"x": 5, "y": 5}, small_fits())
    points = tipping_points(result)
    assert [p.criterion_id for p in points] == ["x", "y"]  # 2 and 3.33 away
    x, y = points
    assert y == TippingPoint("y", 5.0, pytest.approx(50 / 6), "a", "b", "up")
    assert y.flip_at == 9
    # with x alone moving, they tie where 10*x - 30 = 0
    assert x == TippingPoint("x", 5.0, pytest.approx(3.0), "a", "b", "down")
    assert x.flip_at == 2


def test_a_criterion_with_equal_fits_never_tips() -> None:
    result = score({"x": 5, "y": 5, "z": 10}, small_fits())
    assert "z" not in [p.criterion_id for p in tipping_points(result)]


def test_points_outside_0_to_10_are_not_shown() -> None:
    # x = 10, y = 1: y would need 100 / 6 > 10 to tie, x would need 0.6
    result = score({"x": 10, "y": 1}, small_fits())
    points = tipping_points(result)
    assert [p.criterion_id for p in points] == ["x"]
    assert points[0].at == pytest.approx(0.6)


@pytest.mark.parametrize(
    "weights",
    [{}, {"z": 4}],
    ids=["no-weights", "exact-tie"],
)
def test_no_tipping_points_without_a_leader_or_with_a_tie(weights: dict[str, float]) -> None:
    assert tipping_points(score(weights, small_fits())) == []


def test_no_tipping_points_with_a_single_type() -> None:
    fits = pd.DataFrame([[7.0, 3.0]], index=["only"], columns=["x", "y"])
    assert tipping_points(score({"x": 1}, fits)) == []


def test_a_lone_weight_does_not_tip_at_zero() -> None:
    # only x is weighted: at x = 0 nothing is weighted, so that is no tie
    result = score({"x": 4}, small_fits())
    assert all(p.criterion_id != "x" for p in tipping_points(result))


def test_points_are_sorted_nearest_first(catalog: Catalog) -> None:
    result = score({"relaxation": 10}, catalog.fits)
    points = tipping_points(result)
    assert points, "spa's lead on relaxation alone can be overturned"
    distances = [abs(p.at - p.current) for p in points]
    assert distances == sorted(distances)
    assert {p.leader for p in points} == {"spa"}
    assert {p.challenger for p in points} == {"medical"}


@pytest.mark.parametrize(
    ("direction", "at", "flip_at"),
    [
        ("up", 3.0, 4),
        ("up", 3.2, 4),
        ("up", 9.99, 10),
        ("up", 10.0, None),
        ("up", 0.0, 1),
        ("down", 3.0, 2),
        ("down", 3.2, 3),
        ("down", 0.5, 0),
        ("down", 0.0, None),
        ("down", 10.0, 9),
    ],
)
def test_flip_at_is_the_nearest_whole_value_strictly_past_the_tie(
    direction: str, at: float, flip_at: int | None
) -> None:
    point = TippingPoint("x", 5.0, at, "a", "b", direction)  # type: ignore[arg-type]
    assert point.flip_at == flip_at


# --- tipping point properties -------------------------------------------------------------------


@PROPERTY
@given(weights=weights_either)
def test_at_a_tipping_point_the_two_types_really_tie(catalog: Catalog, weights: np.ndarray) -> None:
    result = score(weights, catalog.fits)
    for point in tipping_points(result):
        assert 0 <= point.at <= 10
        assert point.leader == result.leader
        assert point.challenger == result.runner_up
        c = catalog.criterion_ids.index(point.criterion_id)
        assert point.current == result.weights[c]
        tied = with_weight(result.weights, c, point.at)
        assert margin(tied, catalog.fits, point.leader, point.challenger) == pytest.approx(
            0, abs=1e-6
        )


def test_tipping_point_of_a_heavy_criterion_beside_a_feather_weight(catalog: Catalog) -> None:
    """Found by hypothesis: with health_condition = 1 and relaxation = 1e-9, the tie on
    health_condition came out 1.5e-7 off (the sum of the other terms was taken as the total
    minus the own term, which cancels away the feather's digits)."""
    weights = {"health_condition": 1.0, "relaxation": 1e-9}
    result = score(weights, catalog.fits)
    point = next(p for p in tipping_points(result) if p.criterion_id == "health_condition")
    expected = 7e-9 / 9  # relaxation favours spa by 7 fit points, health_condition medical by 9
    assert point.at == pytest.approx(expected, rel=1e-12)
    c = catalog.criterion_ids.index("health_condition")
    tied = with_weight(result.weights, c, point.at)
    assert margin(tied, catalog.fits, "medical", "spa") == pytest.approx(0, abs=1e-6)


@PROPERTY
@given(weights=slider_weights)
def test_flip_at_really_puts_the_challenger_ahead(catalog: Catalog, weights: np.ndarray) -> None:
    result = score(weights, catalog.fits)
    for point in tipping_points(result):
        if point.flip_at is None:
            continue
        assert 0 <= point.flip_at <= 10
        assert point.flip_at != point.current
        c = catalog.criterion_ids.index(point.criterion_id)
        flipped = score(with_weight(result.weights, c, point.flip_at), catalog.fits)
        assert flipped.has_weights
        assert flipped.match_of(point.challenger) > flipped.match_of(point.leader)
        assert flipped.leader == point.challenger


@PROPERTY
@given(weights=typed_weights)
def test_flip_at_puts_the_challenger_ahead_for_decimal_weights(
    catalog: Catalog, weights: np.ndarray
) -> None:
    result = score(weights, catalog.fits)
    for point in tipping_points(result):
        if point.flip_at is None:
            continue
        if point.direction == "up":
            assert point.flip_at > point.at
        else:
            assert point.flip_at < point.at
        c = catalog.criterion_ids.index(point.criterion_id)
        flipped = score(with_weight(result.weights, c, point.flip_at), catalog.fits)
        assert flipped.match_of(point.challenger) > flipped.match_of(point.leader)


def test_flip_at_ignores_rounding_dust_on_a_whole_value(catalog: Catalog) -> None:
    """Found by hypothesis: the tie at wellbeing = 0 came out as 1.4e-17, and flip_at gave 0,
    where the two types tie instead of the challenger leading."""
    point = TippingPoint("wellbeing", 0.125, 1.3877787807814457e-17, "spa", "medical", "down")
    assert point.flip_at is None
    up = TippingPoint("wellbeing", 0.0, 2.9999999999999996, "spa", "medical", "up")
    assert up.flip_at == 4


@PROPERTY
@given(weights=slider_weights)
def test_the_leader_keeps_the_lead_between_current_and_every_tipping_point(
    catalog: Catalog, weights: np.ndarray
) -> None:
    result = score(weights, catalog.fits)
    for point in tipping_points(result):
        c = catalog.criterion_ids.index(point.criterion_id)
        halfway = (point.current + point.at) / 2
        kept = score(with_weight(result.weights, c, halfway), catalog.fits)
        assert kept.match_of(point.leader) > kept.match_of(point.challenger)


# --- robustness ---------------------------------------------------------------------------------


def test_certainty_bands() -> None:
    assert set(CERTAINTY_BANDS) == set(CERTAINTY_LABELS) == {"high", "medium", "low"}
    assert CERTAINTY_BANDS["high"] < CERTAINTY_BANDS["medium"] < CERTAINTY_BANDS["low"]
    assert DEFAULT_CERTAINTY in CERTAINTY_BANDS


def test_robustness_of_a_clear_lead_is_total(catalog: Catalog) -> None:
    result = score({"relaxation": 10, "calming_ambience": 10}, catalog.fits)
    rob = robustness(result, band=2.0)
    assert rob == Robustness("spa", 1.0, 4000, 2.0, 4000)
    assert rob.per_hundred == 100


def test_robustness_of_a_near_tie_is_partial() -> None:
    # x = 3.1, y = 5: a leads by 10 * (31 - 30) / 8.1, about 1.2 points
    result = score({"x": 3.1, "y": 5}, small_fits())
    assert result.leader == "a"
    rob = robustness(result, band=2.0, samples=2000)
    assert 0.2 < rob.share < 0.8
    assert rob.samples == 2000


def test_robustness_without_weights_is_none(catalog: Catalog) -> None:
    assert robustness(score({}, catalog.fits), band=2.0) is None


def test_robustness_counts_only_samples_with_weights() -> None:
    # one tiny weight: about half the samples fall to all-zero weights and do not count
    fits = pd.DataFrame([[9.0], [1.0]], index=["a", "b"], columns=["x"])
    rob = robustness(score({"x": 0.01}, fits), band=1.0, samples=1000)
    assert rob is not None
    assert 0 < rob.samples < 1000
    assert rob.share == 1.0


@pytest.mark.parametrize("band", [-0.5, float("nan"), float("inf")])
def test_sample_nearby_rejects_a_bad_band(band: float) -> None:
    with pytest.raises(ValueError, match="band"):
        sample_nearby(np.ones(3), band, 10)


def test_sample_nearby_stays_in_band_and_range() -> None:
    weights = np.array([0.0, 5.0, 10.0])
    samples = sample_nearby(weights, 2.0, 5000, seed=1)
    assert samples.shape == (5000, 3)
    assert samples.min() >= 0
    assert samples.max() <= 10
    assert (np.abs(samples - weights) <= 2.0).all()
    assert samples[:, 1].min() < 3.5 and samples[:, 1].max() > 6.5  # spread over the band


@pytest.mark.parametrize(("seed", "other"), [(0, 1), (7, 8)])
def test_sample_nearby_depends_on_the_seed(seed: int, other: int) -> None:
    weights = np.full(4, 5.0)
    np.testing.assert_array_equal(
        sample_nearby(weights, 1.0, 50, seed), sample_nearby(weights, 1.0, 50, seed)
    )
    assert not np.array_equal(
        sample_nearby(weights, 1.0, 50, seed), sample_nearby(weights, 1.0, 50, other)
    )


@PROPERTY
@given(
    weights=weights_either,
    band=st.floats(min_value=0, max_value=5),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_robustness_is_reproducible_and_a_share(
    catalog: Catalog, weights: np.ndarray, band: float, seed: int
) -> None:
    result = score(weights, catalog.fits)
    first = robustness(result, band, samples=500, seed=seed)
    again = robustness(result, band, samples=500, seed=seed)
    assert first == again
    assert first is not None
    assert first.leader == result.leader
    assert 0.0 <= first.share <= 1.0
    assert 0 <= first.per_hundred <= 100
    assert first.band == band
    assert 0 <= first.samples <= 500


def test_a_band_of_zero_keeps_the_leader_of_an_exact_tie(catalog: Catalog) -> None:
    """Found by hypothesis: medical and spa tie exactly here; the single product put them level
    (so medical leads), the batch product rounded spa 1e-14 ahead in every sample."""
    weights = {"range_of_motion": 4.243346850554591, "long_indulgent": 4.243346850554591}
    result = score(weights, catalog.fits)
    assert result.margin == pytest.approx(0, abs=1e-9)
    rob = robustness(result, 0.0, samples=300)
    assert rob is not None
    assert rob.share == 1.0


@PROPERTY
@given(weights=weights_either | typed_weights, seed=st.integers(min_value=0, max_value=1000))
def test_a_band_of_zero_keeps_the_leader_every_time(
    catalog: Catalog, weights: np.ndarray, seed: int
) -> None:
    result = score(weights, catalog.fits)
    rob = robustness(result, 0.0, samples=200, seed=seed)
    assert rob is not None
    assert rob.share == 1.0
    assert rob.samples == 200


# --- in N of 100: what the client reads, and what the Method page says of it -------------------


@pytest.mark.parametrize(
    ("kept", "counted", "n"),
    [
        (3712, 4000, 93),  # 92.8
        (3710, 4000, 93),  # 92.75
        (3700, 4000, 93),  # 92.5: a half rounds up (round() would give 92)
        (3699, 4000, 92),  # 92.475
        (2058, 4000, 51),  # the coin flip: 51.45
        (4000, 4000, 100),
        (0, 4000, 0),
        (1, 3, 33),
        (2, 3, 67),
        (0, 0, 0),
    ],
)
def test_per_hundred_rounds_a_half_up(kept: int, counted: int, n: int) -> None:
    assert per_hundred(kept, counted) == n


def test_the_client_words_for_the_share() -> None:
    rob = Robustness("spa", 0.928, 4000, 2.0, 3712)
    assert rob.per_hundred == 93
    assert in_hundred(rob) == "in 93 of 100 similar sets of priorities"


def test_the_method_text_states_the_computation_from_the_constants() -> None:
    text = robustness_method()
    assert (DEFAULT_SAMPLES, SEED) == (4000, 0)
    assert CERTAINTY_BANDS == {"high": 1.0, "medium": 2.0, "low": 3.5}
    for words in [
        "stays on top *in N of 100 similar sets of priorities*",
        "Those similar sets of priorities are 4,000 random variations of yours",
        "every priority (those at 0 included) is moved by a random amount drawn evenly "
        "(uniformly) between minus and plus a band",
        "(very sure ±1, fairly sure ±2, not sure ±3.5 points), then kept within 0 to 10",
        "a tie for the top counts as on top",
        "left out of both the count and the total",
        "rounded to a whole number (a half rounds up): 3,712 of 4,000 is 92.8, shown as 93 of 100",
        "NumPy's default random generator with a fixed seed (0)",
    ]:
        assert words in text, words


def _as_the_method_page_says(weights: np.ndarray, fits: np.ndarray, band: float) -> int:
    """N, worked out afresh from the Method page's account alone (not from robustness())."""
    rng = np.random.default_rng(SEED)
    nearby = weights + rng.uniform(-band, band, size=(DEFAULT_SAMPLES, weights.size))
    nearby = np.clip(nearby, 0, 10)
    totals = nearby.sum(axis=1)
    counted = totals > 0
    matches = 100 * (nearby[counted] @ fits.T) / (10 * totals[counted, None])
    leader = int(np.argmax(100 * (weights @ fits.T) / (10 * weights.sum())))
    on_top = matches[:, leader] >= matches.max(axis=1) - 1e-9
    return int(np.floor(100 * on_top.sum() / counted.sum() + 0.5))


@pytest.mark.parametrize(
    ("weights", "certainty", "n"),
    [
        ({"relaxation": 5, "pain_relief": 5, "wellbeing": 3}, "medium", 51),  # 2,058 of 4,000
        ({"relaxation": 5, "pain_relief": 5}, "low", 28),  # 1,133 of 4,000
        ({"relaxation": 9, "pain_relief": 2}, "high", 100),
        ({"range_of_motion": 5, "soothing_experience": 5, "wellbeing": 1}, "medium", 29),
    ],
)
def test_the_client_figure_is_what_the_method_page_describes(
    catalog: Catalog, weights: dict[str, int], certainty: str, n: int
) -> None:
    """Find my massage's "in N of 100 similar sets of priorities" and the Method page's account
    of it agree: N worked out from the Method's words alone is the N the client reads."""
    from advisor.decision.explanation import explain

    exp = explain(catalog, weights, certainty)
    full = np.array([float(weights.get(cid, 0)) for cid in catalog.criterion_ids])
    assert _as_the_method_page_says(full, catalog.fit_array(), CERTAINTY_BANDS[certainty]) == n
    assert exp.robustness is not None and exp.robustness.per_hundred == n
    band = f"{CERTAINTY_BANDS[certainty]:g}"
    assert f"stays ahead in {n} of 100 similar sets of priorities. In each set, every " in (
        exp.firmness or ""
    )
    unit = "point" if band == "1" else "points"
    assert f"moves up or down by up to {band} {unit}." in (exp.firmness or "")
    assert f"{CERTAINTY_LABELS[certainty].lower()} ±{band}" in robustness_method()
