"""advisor.decision.takeaway: the numbers as a table and CSV, and the printable summary's frame.

The summary's sentences come from advisor.decision.explanation and are tested there; here, its
headings, priorities and ranking lines. Relaxation 9 and pain relief 2 (total 11) give
medical 100*(9*3 + 2*9)/110 = 40.9 and spa 100*(9*10 + 2*3)/110 = 87.3.
"""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import pandas as pd
import pytest

from advisor.catalog import Catalog
from advisor.decision import takeaway
from advisor.decision.scoring import MatchResult, score


@pytest.fixture
def result(catalog: Catalog) -> MatchResult:
    return score({"relaxation": 9, "pain_relief": 2}, catalog.fits)


def test_result_frame(catalog: Catalog, result: MatchResult) -> None:
    frame = takeaway.result_frame(catalog, result)
    assert list(frame.columns) == [
        "criterion_id",
        "criterion",
        "weight",
        "fit_medical",
        "points_medical",
        "fit_spa",
        "points_spa",
    ]
    assert len(frame) == len(catalog.criterion_ids) + 1
    relaxation = frame.set_index("criterion_id").loc["relaxation"]
    # 3*9*10/11 = 24.5455 and 10*9*10/11 = 81.8182
    assert relaxation[
        ["weight", "fit_medical", "points_medical", "fit_spa", "points_spa"]
    ].tolist() == [
        9.0,
        3.0,
        24.5455,
        10.0,
        81.8182,
    ]
    total = frame.iloc[-1]
    assert (total["criterion_id"], total["criterion"], total["weight"]) == (
        "total",
        "Match (%)",
        11.0,
    )
    assert (total["points_medical"], total["points_spa"]) == (40.9091, 87.2727)
    assert np.isnan(total["fit_medical"])


def test_the_points_add_up_to_the_match(catalog: Catalog, result: MatchResult) -> None:
    frame = takeaway.result_frame(catalog, result)
    for type_id in result.type_ids:
        points = frame[f"points_{type_id}"]
        assert points.iloc[:-1].sum() == pytest.approx(points.iloc[-1], abs=1e-3)


def test_result_csv_reads_back_as_the_frame(catalog: Catalog, result: MatchResult) -> None:
    read_back = pd.read_csv(io.BytesIO(takeaway.result_csv(catalog, result)))
    frame = takeaway.result_frame(catalog, result)
    pd.testing.assert_frame_equal(read_back, frame, check_dtype=False)


def test_summary_text_frame(catalog: Catalog, result: MatchResult) -> None:
    text = takeaway.summary_text(
        catalog, result, "medium", [], None, [], preset="unwind", today=date(2026, 11, 29)
    )
    lines = text.splitlines()
    assert lines[:2] == ["MASSAGE ADVISOR: MY SUMMARY", "Made on 2026-11-29"]
    assert lines[3] == "SAFETY FIRST"  # pain relief is one of the health criteria
    assert f"  Started from the goal: {catalog.presets.at['unwind', 'label']}" in lines
    assert f"  {'Relaxation':<34}    9" in lines
    assert f"  {'Pain relief':<34}    2" in lines
    assert f"  1. {'Spa massage':<30}  87.3%" in lines
    assert f"  2. {'Medical massage':<30}  40.9%" in lines
    assert "A TYPICAL SPA MASSAGE SESSION" in lines
    assert lines[-1] == "advice."
    # Every wrapped line fits in WIDTH; the fixed two-line footer is not wrapped (its first line
    # is 81 characters today).
    assert all(len(line) <= takeaway.WIDTH for line in lines[:-2])


def test_summary_text_puts_safety_first_only_when_it_matters(catalog: Catalog) -> None:
    relaxed = score({"relaxation": 8}, catalog.fits)
    calm = takeaway.summary_text(catalog, relaxed, "low", [], None, [], today=date(2026, 1, 2))
    assert "SAFETY FIRST" not in calm  # no health priority, no warning sign
    assert "  Started from the goal:" not in calm
    flag = catalog.red_flags.index[0]
    flagged = takeaway.summary_text(catalog, relaxed, "low", [flag], None, [])
    lines = flagged.splitlines()
    assert lines[3] == "SAFETY FIRST"
    assert f"  - {catalog.red_flags.at[flag, 'label']}" in lines
