"""advisor.clinic.survey: the scored survey (match columns and best match) from match_matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from advisor.catalog import Catalog
from advisor.clinic.survey import match_columns, score_survey
from advisor.decision.scoring import score
from advisor.files.reading import CLIENT_ID

PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def only(catalog: Catalog, client: str, value: float = 0, **cells: float) -> dict[str, object]:
    """One survey row: every criterion at `value` except the ones named."""
    return {CLIENT_ID: client, **{c: cells.get(c, value) for c in catalog.criterion_ids}}


@pytest.mark.parametrize(
    ("type_ids", "expected"),
    [
        (["medical", "spa"], ["match_medical", "match_spa"]),
        (["own:Hybrid"], ["match_own:Hybrid"]),
        ([], []),
    ],
)
def test_match_columns(type_ids: list[str], expected: list[str]) -> None:
    assert match_columns(type_ids) == expected


def test_score_survey_adds_match_columns_and_best_match(catalog: Catalog) -> None:
    frame = pd.DataFrame(
        [
            only(catalog, "Ana", relaxation=10),
            only(catalog, "Ben", injury_recovery=10),
            only(catalog, "Cy"),
        ]
    )
    scored = score_survey(frame, catalog.fits)
    assert list(scored.columns) == [
        CLIENT_ID,
        *catalog.criterion_ids,
        "match_medical",
        "match_spa",
        "best_match",
    ]
    assert scored["best_match"].tolist() == ["spa", "medical", "none"]
    assert scored.at[0, "match_spa"] == 10 * catalog.fits.at["spa", "relaxation"]
    assert np.isnan(scored.at[2, "match_medical"])
    pd.testing.assert_frame_equal(scored[frame.columns], frame)


def test_score_survey_on_a_small_fits_frame_by_hand() -> None:
    # Fits a: (10, 0), b: (4, 8). Weights (1, 3): a = 100*(10)/(10*4) = 25.0,
    # b = 100*(4 + 24)/(10*4) = 70.0, best b. Weights (2, 1): a = 100*20/30 = 66.67,
    # b = 100*(8 + 8)/30 = 53.33, best a.
    fits = pd.DataFrame([[10, 0], [4, 8]], index=["a", "b"], columns=["x", "y"])
    frame = pd.DataFrame({CLIENT_ID: ["p", "q"], "x": [1.0, 2.0], "y": [3.0, 1.0]})
    scored = score_survey(frame, fits)
    assert scored["match_a"].tolist() == [25.0, 66.67]
    assert scored["match_b"].tolist() == [70.0, 53.33]
    assert scored["best_match"].tolist() == ["b", "a"]


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
    scored = score_survey(frame, catalog.fits)
    assert len(scored) == len(frame)
    for i, weights in enumerate(values):
        single = score(weights, catalog.fits)
        for type_id in catalog.type_ids:
            got = scored.at[i, f"match_{type_id}"]
            if single.has_weights:
                assert got == pytest.approx(round(single.match_of(type_id), 2), abs=1e-9)
            else:
                assert np.isnan(got)
        if not single.has_weights:
            assert scored.at[i, "best_match"] == "none"
        elif abs(single.matches[0] - single.matches[1]) > 1e-9:
            assert scored.at[i, "best_match"] == single.leader
