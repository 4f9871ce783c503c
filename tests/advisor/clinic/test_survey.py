"""advisor.clinic.survey: the one scored-survey format (match columns, best match, unserved,
nearest segment) from client_mix, for the page and the command line alike."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from advisor.catalog import Catalog
from advisor.clinic.positioning import client_mix
from advisor.clinic.survey import match_column, score_survey, scored_survey
from advisor.decision.scoring import score
from advisor.files.reading import CLIENT_ID

PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def only(catalog: Catalog, client: str, value: float = 0, **cells: float) -> dict[str, object]:
    """One survey row: every criterion at `value` except the ones named."""
    return {CLIENT_ID: client, **{c: cells.get(c, value) for c in catalog.criterion_ids}}


def names(catalog: Catalog) -> dict[str, str]:
    return {t: catalog.type_name(t) for t in catalog.type_ids}


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Spa massage", "match_Spa massage"), ("Hybrid", "match_Hybrid"), ("", "match_")],
)
def test_match_column(name: str, expected: str) -> None:
    assert match_column(name) == expected


def test_score_survey_adds_match_columns_and_best_match(catalog: Catalog) -> None:
    frame = pd.DataFrame(
        [
            only(catalog, "Ana", relaxation=10),
            only(catalog, "Ben", injury_recovery=10),
            only(catalog, "Cy"),
        ]
    )
    scored = score_survey(frame, catalog.fits, catalog.segment_weights, names(catalog))
    assert list(scored.columns) == [
        CLIENT_ID,
        *catalog.criterion_ids,
        "match_Medical massage",
        "match_Spa massage",
        "best_match",
        "unserved",
        "nearest_segment",
    ]
    assert scored["best_match"].tolist() == ["Spa massage", "Medical massage", "none"]
    assert scored.at[0, "match_Spa massage"] == 10 * catalog.fits.at["spa", "relaxation"]
    assert np.isnan(scored.at[2, "match_Medical massage"])
    assert scored["unserved"].tolist() == [False, False, False]  # row 3 has no priorities
    pd.testing.assert_frame_equal(scored[frame.columns], frame)


def test_score_survey_on_a_small_fits_frame_by_hand() -> None:
    # Fits a: (10, 0), b: (4, 8). Weights (1, 3): a = 100*(10)/(10*4) = 25.0,
    # b = 100*(4 + 24)/(10*4) = 70.0, best b. Weights (2, 1): a = 100*20/30 = 66.67,
    # b = 100*(8 + 8)/30 = 53.33, best a. With the threshold at 70, p (best 70.0) is served
    # and q (best 66.67) is not. Segment s1 (1, 3) points exactly like p; s2 (1, 0) is nearer q.
    fits = pd.DataFrame([[10, 0], [4, 8]], index=["a", "b"], columns=["x", "y"])
    segments = pd.DataFrame([[1.0, 3.0], [1.0, 0.0]], index=["s1", "s2"], columns=["x", "y"])
    frame = pd.DataFrame({CLIENT_ID: ["p", "q"], "x": [1.0, 2.0], "y": [3.0, 1.0]})
    scored = score_survey(frame, fits, segments, {"a": "A", "b": "B"}, threshold=70)
    assert scored["match_A"].tolist() == [25.0, 66.67]
    assert scored["match_B"].tolist() == [70.0, 53.33]
    assert scored["best_match"].tolist() == ["B", "A"]
    assert scored["unserved"].tolist() == [False, True]
    assert scored["nearest_segment"].tolist() == ["s1", "s2"]


@PROPERTY
@given(
    values=arrays(
        np.float64,
        st.tuples(st.integers(min_value=0, max_value=30), st.just(13)),
        elements=st.floats(min_value=0, max_value=10) | st.integers(0, 10).map(float),
    )
)
def test_score_survey_equals_score_per_row(catalog: Catalog, values: np.ndarray) -> None:
    frame = pd.DataFrame(values, columns=list(catalog.criterion_ids))
    frame.insert(0, CLIENT_ID, [f"c{i}" for i in range(len(frame))])
    scored = score_survey(frame, catalog.fits, catalog.segment_weights, names(catalog))
    assert len(scored) == len(frame)
    for i, weights in enumerate(values):
        single = score(weights, catalog.fits)
        for type_id in catalog.type_ids:
            got = scored.at[i, match_column(catalog.type_name(type_id))]
            if single.has_weights:
                assert got == pytest.approx(round(single.match_of(type_id), 2), abs=1e-9)
            else:
                assert np.isnan(got)
        if not single.has_weights:
            assert scored.at[i, "best_match"] == "none"
        elif abs(single.matches[0] - single.matches[1]) > 1e-9:
            assert scored.at[i, "best_match"] == catalog.type_name(single.leader)


def test_scored_survey_names_each_service_and_keeps_the_mix_verdicts() -> None:
    # The same fits and clients as above, plus r (0, 0: no weights, best "none") and
    # s (0, 1): a = 0, b = 100*8/10 = 80, best b.
    fits = pd.DataFrame([[10, 0], [4, 8]], index=["a", "b"], columns=["x", "y"])
    segments = pd.DataFrame([[1, 0], [1, 1]], index=["s1", "s2"], columns=["x", "y"])
    survey = pd.DataFrame({CLIENT_ID: ["p", "q", "r", "s"], "x": [1, 2, 0, 0], "y": [3, 1, 0, 1]})
    mix = client_mix(survey, fits, segments, threshold=70.0)
    scored = scored_survey(survey, mix, {"a": "medical", "b": "spa"})
    assert list(scored.columns) == [
        *survey.columns,
        "match_medical",
        "match_spa",
        "best_match",
        "unserved",
        "nearest_segment",
    ]
    assert scored["match_medical"].tolist()[:2] == [25.0, 66.67]
    assert scored["best_match"].tolist() == ["spa", "medical", "none", "spa"]
    assert scored["unserved"].tolist() == [False, True, False, False]  # row 3: no priorities


# --- float32 weights (issue 25): the same best service as exact arithmetic -----------------------

# A survey's weights, as the reader gives them, are steps of one answer scale onto 0..10: hundredths
# (0-10 with decimals), tenths (0-100), and whole answers of 1-5, 1-7 and 1-10.
STEPS = [Fraction(1, 100), Fraction(1, 10), Fraction(10, 4), Fraction(10, 6), Fraction(10, 9)]


@st.composite
def surveys_and_menus(
    draw, criteria: int = 13
) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
    """Exact weights (clients x criteria, one scale's steps) and fits (services x criteria,
    one decimal, as a menu keeps them)."""
    step = draw(st.sampled_from(STEPS))
    top = int(10 / step)
    clients = draw(st.integers(1, 20))
    services = draw(st.integers(2, 5))
    steps = st.lists(st.integers(0, top), min_size=criteria, max_size=criteria)
    weights = [
        [k * step for k in row] for row in draw(st.lists(steps, min_size=clients, max_size=clients))
    ]
    tenths = st.lists(st.integers(0, 100), min_size=criteria, max_size=criteria)
    fits = [
        [Fraction(k, 10) for k in row]
        for row in draw(st.lists(tenths, min_size=services, max_size=services))
    ]
    return weights, fits


@PROPERTY
@given(drawn=surveys_and_menus())
def test_float32_weights_give_float64_s_best_service_but_on_exact_ties(
    catalog: Catalog, drawn: tuple[list[list[Fraction]], list[list[Fraction]]]
) -> None:
    weights, fits = drawn
    criteria = list(catalog.criterion_ids)
    services = [f"s{i}" for i in range(len(fits))]
    menu = pd.DataFrame([[float(f) for f in row] for row in fits], index=services, columns=criteria)
    exact = np.array([[float(w) for w in row] for row in weights])
    best = {
        dtype: client_mix(
            pd.DataFrame(exact.astype(dtype), columns=criteria), menu, catalog.segment_weights
        ).best.tolist()
        for dtype in (np.float64, np.float32)
    }
    for client, row in enumerate(weights):
        # the match's denominator (the weights' total) is the same for every service
        totals = [sum(w * f for w, f in zip(row, fit, strict=True)) for fit in fits]
        top = [s for s, total in zip(services, totals, strict=True) if total == max(totals)]
        if not any(row):
            assert best[np.float32][client] == best[np.float64][client] == "none"
        elif len(top) == 1:
            assert best[np.float32][client] == best[np.float64][client] == top[0]
        else:  # an exact tie: either service tied is the best
            assert best[np.float32][client] in top and best[np.float64][client] in top
