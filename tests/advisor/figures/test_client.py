"""advisor.figures.client: the client charts' titles state the finding, axes are labelled, and
the numbers equal the tables'.

Catalog fits used below (medical, spa): health_condition (10, 1), relaxation (3, 10),
wellbeing (5, 9), care_team (10, 0), pain_relief (9, 3). Medical fits better on 8 criteria,
spa on 5.
"""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from advisor.catalog import Catalog
from advisor.decision.explanation import explain
from advisor.decision.scoring import score
from advisor.figures.client import (
    contribution_table,
    contributions_chart,
    differences_chart,
    differences_table,
    match_chart,
    match_table,
    profile_chart,
    profile_table,
)
from advisor.figures.style import OKABE_ITO


def title(fig: go.Figure) -> str:
    """The title as one line: style_figure wraps it with <br> at spaces."""
    return fig.layout.title.text.replace("<br>", " ")


def test_profile_chart_and_table(catalog: Catalog) -> None:
    fig = profile_chart(catalog)
    assert (
        title(fig)
        == "Medical massage fits better on 8; Spa massage fits better on 5 of 13 criteria"
    )
    assert fig.layout.xaxis.title.text == "Fit (0-10)"
    table = profile_table(catalog)
    assert list(table.columns) == ["Criterion", "Dimension", "Medical massage", "Spa massage"]
    assert table.iloc[0].tolist() == ["Treat a health condition", "Purpose and goal", 10.0, 1.0]
    for trace in fig.data:
        assert list(trace.x) == table[trace.name].tolist()
        assert list(trace.y) == table["Criterion"].tolist()
    assert [trace.marker.color for trace in fig.data] == [OKABE_ITO[0], OKABE_ITO[1]]


def test_differences_chart_and_table(catalog: Catalog) -> None:
    # medical - spa: care_team 10, health_condition 9, then 8 (injury, setting, ambience)...
    table = differences_table(catalog)
    assert table.head(3).to_dict("records") == [
        {
            "Criterion": "Part of my care plan",
            "Medical massage": 10.0,
            "Spa massage": 0.0,
            "Difference": 10.0,
            "Better fit": "Medical massage",
        },
        {
            "Criterion": "Treat a health condition",
            "Medical massage": 10.0,
            "Spa massage": 1.0,
            "Difference": 9.0,
            "Better fit": "Medical massage",
        },
        {
            "Criterion": "Injury recovery",
            "Medical massage": 9.0,
            "Spa massage": 1.0,
            "Difference": 8.0,
            "Better fit": "Medical massage",
        },
    ]
    assert table["Difference"].abs().is_monotonic_decreasing
    fig = differences_chart(catalog)
    assert title(fig) == (
        'The widest gap is on "Part of my care plan": 10 points in favour of medical massage'
    )
    assert fig.layout.xaxis.title.text == "Fits better: ← spa · medical →"
    bars = fig.data[0]
    assert list(bars.y) == table["Criterion"].head(8).tolist()
    assert list(bars.x) == table["Difference"].head(8).tolist()


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        # medical 100*(9*3 + 2*9)/110 = 40.9, spa 100*(9*10 + 2*3)/110 = 87.3: margin 46.4
        ({"relaxation": 9, "pain_relief": 2}, "Spa massage clearly ahead, by 46 points"),
        # medical 100*(10 + 3)/20 = 65, spa 100*(1 + 10)/20 = 55: a lead of 10, kept in
        # fewer than 90 of 100 nudged sets, so "ahead", not "clearly ahead"
        ({"health_condition": 1, "relaxation": 1}, "Medical massage ahead, by 10 points"),
        # medical 100*(20 + 6 + 5)/50 = 62, spa 100*(2 + 20 + 9)/50 = 62: equal, catalog order
        (
            {"health_condition": 2, "relaxation": 2, "wellbeing": 1},
            "Too close to call: Medical massage 62%, Spa massage 62%",
        ),
        # medical 100*(8*7 + 2*6)/130 = 52.3, spa 100*(2*7 + 9*6)/130 = 52.3: both under 60
        (
            {"short_targeted": 7, "long_indulgent": 6},
            "Neither fits well: Medical massage 52%, Spa massage 52%",
        ),
    ],
)
def test_the_match_chart_is_titled_by_the_explanation(
    catalog: Catalog, weights: dict[str, float], expected: str
) -> None:
    exp = explain(catalog, weights, "medium", [])
    assert exp.chart_title == expected
    assert title(match_chart(exp.result, catalog, exp.chart_title)) == expected


def test_match_chart_and_table(catalog: Catalog) -> None:
    result = score({"relaxation": 9, "pain_relief": 2}, catalog.fits)
    table = match_table(result, catalog)
    assert table.to_dict("list") == {
        "Rank": [1, 2],
        "Massage type": ["Spa massage", "Medical massage"],
        "Match (%)": [87.3, 40.9],
    }
    fig = match_chart(result, catalog, "Spa massage clearly ahead, by 46 points")
    assert title(fig) == "Spa massage clearly ahead, by 46 points"
    assert fig.layout.xaxis.title.text == "Match with your priorities"
    bars = fig.data[0]
    assert list(bars.y) == table["Massage type"].tolist()
    assert [round(x, 1) for x in bars.x] == table["Match (%)"].tolist()
    assert list(bars.text) == ["87%", "41%"]


def test_match_chart_labels_a_service_by_its_plain_name(catalog: Catalog) -> None:
    fits = catalog.fits.copy()
    fits.loc["own:x"] = fits.loc["spa"]
    result = score({"relaxation": 9}, fits)
    fig = match_chart(result, catalog, "Mine", {"own:x": "<i>Mine</i>"})
    assert "&lt;i&gt;Mine&lt;/i&gt;" in list(fig.data[0].y)


def test_contributions_chart_and_table(catalog: Catalog) -> None:
    # relaxation 9, pain_relief 2 (total 11): a contribution is fit * weight * 10 / 11.
    # medical: 3*9*10/11 = 24.55 and 9*2*10/11 = 16.36; spa: 81.82 and 5.45.
    result = score({"relaxation": 9, "pain_relief": 2}, catalog.fits)
    table = contribution_table(result, catalog)
    assert list(table.columns) == ["Criterion", "Your weight", "Medical massage", "Spa massage"]
    assert table["Criterion"].tolist() == ["Relaxation", "Pain relief"]
    assert table["Your weight"].tolist() == [9.0, 2.0]
    assert table["Medical massage"].round(2).tolist() == [24.55, 16.36]
    assert table["Spa massage"].round(2).tolist() == [81.82, 5.45]
    exp = explain(catalog, {"relaxation": 9, "pain_relief": 2}, "medium", [])
    fig = contributions_chart(result, catalog, exp.contributions_title)
    # spa leads by 81.82 - 24.55 = 57.27 on relaxation, the most of any criterion
    assert title(fig) == "Relaxation adds most to Spa massage's lead"
    assert fig.layout.xaxis.title.text == "Match points"
    for trace in fig.data:
        assert list(trace.x) == table[trace.name].tolist()


@pytest.mark.parametrize(
    "weights",
    [
        {"health_condition": 2, "relaxation": 2, "wellbeing": 1},  # too close to call
        {"short_targeted": 7, "long_indulgent": 6},  # neither fits well
    ],
)
def test_contributions_chart_names_no_lead_without_a_leader(catalog: Catalog, weights) -> None:
    exp = explain(catalog, weights, "medium", [])
    assert not exp.has_leader
    fig = contributions_chart(exp.result, catalog, exp.contributions_title)
    assert title(fig) == "Points each priority adds to each match"
