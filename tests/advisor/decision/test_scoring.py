"""advisor.decision.scoring: the match formula of DESIGN.md, contributions, ranking, batch form."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from advisor.catalog import Catalog
from advisor.decision.scoring import (
    NEAR_TIE_POINTS,
    MatchResult,
    best_match,
    match_matrix,
    score,
    weight_vector,
)

C = 13  # criteria in the shipped catalog
PROPERTY = settings(max_examples=100, deadline=None)

weight = st.floats(min_value=0, max_value=10, allow_nan=False, allow_infinity=False)
whole_weight = st.integers(min_value=0, max_value=10)
weights_any = arrays(np.float64, C, elements=weight)
weights_some = weights_any.filter(lambda w: w.sum() > 0)
# for scaling: weights that stay normal floats when multiplied by 1e-3 .. 1e3
meaningful = arrays(np.float64, C, elements=st.just(0.0) | st.floats(1e-3, 10)).filter(
    lambda w: w.sum() > 0
)


def small_fits() -> pd.DataFrame:
    """Two types on three criteria, small enough to work out by hand."""
    return pd.DataFrame(
        [[10.0, 2.0, 5.0], [0.0, 8.0, 5.0]], index=["a", "b"], columns=["x", "y", "z"]
    )


# --- the formula, by hand -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        ({"x": 10}, {"a": 100.0, "b": 0.0}),
        ({"y": 10}, {"a": 20.0, "b": 80.0}),
        ({"z": 3}, {"a": 50.0, "b": 50.0}),
        ({"x": 5, "y": 5}, {"a": 60.0, "b": 40.0}),
        ({"x": 1, "y": 3}, {"a": 40.0, "b": 60.0}),
        ({"x": 2, "y": 2, "z": 4}, {"a": 55.0, "b": 45.0}),
        ({"x": 0.5}, {"a": 100.0, "b": 0.0}),
    ],
)
def test_match_by_hand(weights: dict[str, float], expected: dict[str, float]) -> None:
    result = score(weights, small_fits())
    for type_id, match in expected.items():
        assert result.match_of(type_id) == pytest.approx(match, abs=1e-12)


def test_match_of_the_shipped_catalog_by_hand(catalog: Catalog) -> None:
    result = score({"relaxation": 10}, catalog.fits)
    assert result.match_of("spa") == pytest.approx(10 * catalog.fits.at["spa", "relaxation"])
    assert result.match_of("medical") == pytest.approx(
        10 * catalog.fits.at["medical", "relaxation"]
    )
    assert result.leader == "spa"


def test_result_carries_ids_weights_and_fits(catalog: Catalog) -> None:
    result = score({"pain_relief": 4}, catalog.fits)
    assert result.type_ids == catalog.type_ids
    assert result.criterion_ids == catalog.criterion_ids
    assert result.weights[catalog.criterion_ids.index("pain_relief")] == 4
    assert result.weights.sum() == 4
    np.testing.assert_array_equal(result.fits, catalog.fit_array())


@pytest.mark.parametrize(
    ("weights", "leader", "runner_up", "margin"),
    [
        ({"x": 5, "y": 5}, "a", "b", 20.0),
        ({"x": 1, "y": 3}, "b", "a", 20.0),
        ({"z": 7}, "a", "b", 0.0),  # equal matches keep catalog order
        ({"x": 51, "y": 49, "z": 0}, None, None, None),  # rejected: out of range
        ({"x": 3.1, "y": 5}, "a", "b", pytest.approx(10 / 8.1)),
        ({"x": 1, "y": 1, "z": 0.0}, "a", "b", 20.0),
    ],
)
def test_ranking_and_margin(
    weights: dict[str, float], leader: str | None, runner_up: str | None, margin
) -> None:
    if leader is None:
        with pytest.raises(ValueError, match="0 to 10"):
            score(weights, small_fits())
        return
    result = score(weights, small_fits())
    assert result.leader == leader
    assert result.runner_up == runner_up
    assert result.margin == margin
    assert [t for t, _ in result.ranking()] == [leader, runner_up]


def test_the_result_decides_no_outcome() -> None:
    """A tie is decided once, by the explanation (lead, robustness and the neither rule
    together): a match result offers nothing else to decide it with."""
    assert NEAR_TIE_POINTS == 5.0
    assert not hasattr(MatchResult, "is_tie")


def test_single_type_has_no_margin() -> None:
    fits = pd.DataFrame([[7.0, 3.0]], index=["only"], columns=["x", "y"])
    result = score({"x": 1}, fits)
    assert result.ranking() == [("only", 70.0)]
    assert result.runner_up is None
    assert result.margin is None


def test_contribution_frame_is_criteria_by_types() -> None:
    result = score({"x": 2, "y": 2, "z": 4}, small_fits())
    frame = result.contribution_frame()
    assert list(frame.index) == ["x", "y", "z"]
    assert list(frame.columns) == ["a", "b"]
    # 100 * w * f / (10 * 8): a = 25, 5, 25; b = 0, 20, 25
    assert frame["a"].tolist() == pytest.approx([25.0, 5.0, 25.0])
    assert frame["b"].tolist() == pytest.approx([0.0, 20.0, 25.0])


# --- no weights: no recommendation, never a division error --------------------------------------


@pytest.mark.parametrize(
    "weights",
    [{}, {"relaxation": 0}, [0.0] * C, np.zeros(C), {"relaxation": 0.0, "wellbeing": 0}],
    ids=["empty-mapping", "one-zero", "list", "array", "two-zeros"],
)
def test_all_zero_weights_give_no_recommendation(catalog: Catalog, weights) -> None:
    with np.errstate(all="raise"):
        result = score(weights, catalog.fits)
    assert result.has_weights is False
    assert np.isnan(result.matches).all()
    assert result.ranking() == []
    assert result.leader is None
    assert result.runner_up is None
    assert result.margin is None
    assert (result.contributions == 0).all()


# --- weight_vector: what counts as a weighting --------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "error", "match"),
    [
        ({"nope": 3}, KeyError, "nope"),
        ({"x": 11}, ValueError, "0 to 10"),
        ({"x": -0.1}, ValueError, "0 to 10"),
        ({"x": math.nan}, ValueError, "0 to 10"),
        ({"x": math.inf}, ValueError, "0 to 10"),
        ([1.0, 2.0], ValueError, "expected 3 weights"),
        (np.ones((1, 3)), ValueError, "expected 3 weights"),
        ({"x": "a lot"}, ValueError, "could not convert"),
    ],
)
def test_weight_vector_rejects(weights, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        weight_vector(weights, ["x", "y", "z"])


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        ({"y": 4}, [0.0, 4.0, 0.0]),
        ({"z": "2.5", "x": 10}, [10.0, 0.0, 2.5]),
        ([0, 10, 3], [0.0, 10.0, 3.0]),
        (np.array([1, 2, 3]), [1.0, 2.0, 3.0]),
        ((0.0, 0.0, 0.0), [0.0, 0.0, 0.0]),
    ],
)
def test_weight_vector_in_criterion_order(weights, expected: list[float]) -> None:
    vector = weight_vector(weights, ["x", "y", "z"])
    assert vector.dtype == float
    assert vector.tolist() == expected


def test_weight_vector_copies_an_array() -> None:
    source = np.array([1.0, 2.0, 3.0])
    vector = weight_vector(source, ["x", "y", "z"])
    vector[0] = 9
    assert source[0] == 1.0


# --- batch: match_matrix and best_match ---------------------------------------------------------


def test_match_matrix_shape_and_values() -> None:
    fits = small_fits().to_numpy()
    weights = np.array([[10, 0, 0], [0, 10, 0], [0, 0, 0], [1, 3, 0]], dtype=float)
    matches = match_matrix(weights, fits)
    assert matches.shape == (4, 2)
    np.testing.assert_allclose(matches[[0, 1, 3]], [[100, 0], [20, 80], [40, 60]])
    assert np.isnan(matches[2]).all()


def test_match_matrix_of_no_rows() -> None:
    matches = match_matrix(np.zeros((0, 3)), small_fits().to_numpy())
    assert matches.shape == (0, 2)


def test_match_matrix_does_not_change_its_inputs() -> None:
    weights = np.array([[1.0, 2.0, 3.0]])
    fits = small_fits().to_numpy()
    before = (weights.copy(), fits.copy())
    match_matrix(weights, fits)
    np.testing.assert_array_equal(weights, before[0])
    np.testing.assert_array_equal(fits, before[1])


@pytest.mark.parametrize(
    ("matches", "expected"),
    [
        ([[60.0, 40.0]], ["a"]),
        ([[40.0, 60.0]], ["b"]),
        ([[50.0, 50.0]], ["a"]),
        ([[math.nan, math.nan]], ["none"]),
        ([[10.0, 20.0], [math.nan, math.nan], [30.0, 0.0]], ["b", "none", "a"]),
    ],
)
def test_best_match(matches: list[list[float]], expected: list[str]) -> None:
    assert best_match(np.array(matches), ["a", "b"]).tolist() == expected


def test_best_match_of_no_rows() -> None:
    assert best_match(np.zeros((0, 2)), ["a", "b"]).tolist() == []


# --- properties ---------------------------------------------------------------------------------


@PROPERTY
@given(weights=weights_some)
def test_match_is_a_percentage(catalog: Catalog, weights: np.ndarray) -> None:
    result = score(weights, catalog.fits)
    assert result.has_weights
    assert np.isfinite(result.matches).all()
    assert (result.matches >= -1e-9).all()
    assert (result.matches <= 100 + 1e-9).all()
    ranking = result.ranking()
    assert [t for t, _ in ranking] != []
    assert [m for _, m in ranking] == sorted((m for _, m in ranking), reverse=True)


@PROPERTY
@given(weights=weights_some)
def test_contributions_add_up_to_the_match(catalog: Catalog, weights: np.ndarray) -> None:
    result = score(weights, catalog.fits)
    np.testing.assert_allclose(result.contributions.sum(axis=1), result.matches, rtol=0, atol=1e-9)
    assert (result.contributions >= 0).all()
    frame = result.contribution_frame()
    np.testing.assert_allclose(frame.sum().to_numpy(), result.matches, rtol=0, atol=1e-9)


@PROPERTY
@given(
    weights=meaningful,
    k=st.floats(min_value=1e-3, max_value=1e3, allow_nan=False, allow_infinity=False),
)
def test_scaling_every_weight_changes_nothing(
    catalog: Catalog, weights: np.ndarray, k: float
) -> None:
    fits = catalog.fit_array()
    base = match_matrix(weights[None, :], fits)
    scaled = match_matrix(k * weights[None, :], fits)
    np.testing.assert_allclose(scaled, base, rtol=1e-9, atol=1e-9)


@PROPERTY
@given(weights=meaningful, k=st.floats(min_value=0.01, max_value=1.0))
def test_scaling_down_through_score_changes_nothing(
    catalog: Catalog, weights: np.ndarray, k: float
) -> None:
    base = score(weights, catalog.fits)
    scaled = score(k * weights, catalog.fits)
    np.testing.assert_allclose(scaled.matches, base.matches, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(scaled.contributions, base.contributions, rtol=1e-9, atol=1e-9)


@PROPERTY
@given(data=st.data(), weights=weights_some)
def test_raising_a_criterion_where_a_beats_b_never_costs_a_its_lead(
    catalog: Catalog, data: st.DataObject, weights: np.ndarray
) -> None:
    """Raising w_c where f_ac > f_bc: the new margin is a weighted average of the old margin and
    10 * (f_ac - f_bc), so it never falls below either, and never drops at all while the old margin
    is at most 10 * (f_ac - f_bc). In particular a lead or a tie is never lost.

    (The margin in points can fall: a leading by 90 on one criterion, then weighting equally a
    criterion where a beats b by 1 fit point, leaves a ahead by 50; see the unit test below.)"""
    fits = catalog.fit_array()
    a, b = data.draw(st.permutations(range(len(catalog.type_ids))))[:2]
    favours_a = np.flatnonzero(fits[a] > fits[b])
    c = data.draw(st.sampled_from(favours_a.tolist()))
    raised = weights.copy()
    raised[c] = data.draw(st.floats(min_value=weights[c], max_value=10))
    before = score(weights, catalog.fits)
    after = score(raised, catalog.fits)
    margin_before = before.matches[a] - before.matches[b]
    margin_after = after.matches[a] - after.matches[b]
    gap = 10 * (fits[a, c] - fits[b, c])
    assert margin_after >= min(margin_before, gap) - 1e-9
    if margin_before <= gap:
        assert margin_after >= margin_before - 1e-9
    if margin_before >= 0:
        assert margin_after >= -1e-9
    # the weighted difference behind the margin (its numerator) never falls
    numerator_before = weights @ (fits[a] - fits[b])
    numerator_after = raised @ (fits[a] - fits[b])
    assert numerator_after >= numerator_before - 1e-9


def test_raising_a_weakly_favourable_criterion_can_narrow_a_lead() -> None:
    fits = pd.DataFrame([[10.0, 5.0], [1.0, 4.0]], index=["a", "b"], columns=["x", "y"])
    before = score({"x": 10}, fits)
    after = score({"x": 10, "y": 10}, fits)
    assert before.margin == pytest.approx(90.0)
    assert after.margin == pytest.approx(50.0)
    assert after.leader == "a"


@PROPERTY
@given(
    rows=arrays(
        np.float64,
        st.tuples(st.integers(min_value=1, max_value=40), st.just(C)),
        elements=weight,
    )
)
def test_batch_equals_single_scoring(catalog: Catalog, rows: np.ndarray) -> None:
    batch = match_matrix(rows, catalog.fit_array())
    best = best_match(batch, catalog.type_ids)
    assert batch.shape == (len(rows), len(catalog.type_ids))
    for i, row in enumerate(rows):
        single = score(row, catalog.fits)
        np.testing.assert_allclose(batch[i], single.matches, rtol=0, atol=1e-9, equal_nan=True)
        if not single.has_weights:
            assert best[i] == "none"
        elif abs(single.matches[0] - single.matches[1]) > 1e-9:
            assert best[i] == single.leader


@PROPERTY
@given(
    rows=arrays(
        np.int64,
        st.tuples(st.integers(min_value=1, max_value=40), st.just(C)),
        elements=whole_weight,
    )
)
def test_batch_best_match_equals_the_single_leader_for_slider_weights(
    catalog: Catalog, rows: np.ndarray
) -> None:
    best = best_match(match_matrix(rows, catalog.fit_array()), catalog.type_ids)
    leaders = [score(row, catalog.fits).leader or "none" for row in rows]
    assert best.tolist() == leaders


@PROPERTY
@given(weights=arrays(np.float64, C, elements=st.just(0.0) | weight).filter(lambda w: w.sum() > 0))
def test_result_is_consistent_with_its_own_ranking(catalog: Catalog, weights: np.ndarray) -> None:
    result = score(weights, catalog.fits)
    ranking = result.ranking()
    assert result.leader == ranking[0][0]
    assert result.runner_up == ranking[1][0]
    assert result.margin == pytest.approx(ranking[0][1] - ranking[1][1])
    assert result.margin >= 0
    for type_id, match in ranking:
        assert result.match_of(type_id) == match


def test_match_result_is_frozen(catalog: Catalog) -> None:
    result = score({"relaxation": 3}, catalog.fits)
    assert isinstance(result, MatchResult)
    with pytest.raises(AttributeError):
        result.matches = np.zeros(2)  # type: ignore[misc]
