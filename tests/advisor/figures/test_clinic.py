"""advisor.figures.clinic: each clinic figure's title states its finding, its axes are labelled,
and its numbers equal its table's.

The data are the small cases of tests/advisor/clinic/test_positioning.py, worked out by hand:
fits a (10, 0) and b (4, 8) on criteria x, y; segment s1 (1, 3) matches a 25 and b 70, s2 (2, 1)
matches a 66.67 and b 53.33, s3 (0, 1) matches a 0 and b 80.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from advisor.clinic import positioning
from advisor.clinic.positioning import axis_positions, best_per_segment, segment_matrix
from advisor.figures import clinic as figures
from advisor.figures.clinic import (
    map_keys,
    map_table,
    positioning_map,
    segment_heatmap,
    weekly_chart,
    wrapped_label,
)

FITS = pd.DataFrame([[10, 0], [4, 8]], index=["a", "b"], columns=["x", "y"])
SEGMENT_WEIGHTS = pd.DataFrame([[1, 0], [1, 1]], index=["s1", "s2"], columns=["x", "y"])
SURVEY = pd.DataFrame({"client_id": ["p", "q", "r", "s"], "x": [1, 2, 0, 0], "y": [3, 1, 0, 1]})
NAMES = {"a": "medical", "b": "spa", "c": "Hybrid"}
SEGMENT_NAMES = {"s1": "Seg one", "s2": "Seg two", "s3": "Seg three"}


def title(fig: go.Figure) -> str:
    """The title as one line: style_figure wraps it with <br> at spaces."""
    return fig.layout.title.text.replace("<br>", " ")


def axis_titles(fig: go.Figure) -> tuple[str | None, str | None]:
    return fig.layout.xaxis.title.text, fig.layout.yaxis.title.text


# --- heatmap ------------------------------------------------------------------------------------


@pytest.fixture
def matrix() -> pd.DataFrame:
    segments = pd.DataFrame([[1, 3], [2, 1], [0, 1]], index=["s1", "s2", "s3"], columns=["x", "y"])
    return positioning.segment_matrix(segments, FITS)


def test_segment_heatmap(matrix: pd.DataFrame) -> None:
    best = positioning.best_per_segment(matrix)  # s1 b, s2 a, s3 b
    fig = figures.segment_heatmap(matrix, best, SEGMENT_NAMES, NAMES)
    assert title(fig) == "spa serves 2 of 3 segments best; medical serves 1 of 3 segments best"
    assert axis_titles(fig) == ("Client segment", "")
    heat = fig.data[0]
    # services are the rows, segments the columns; every other column label moves down
    assert list(heat.y) == ["medical", "spa"]
    assert list(heat.x) == ["Seg one", "<br>Seg two", "Seg three"]
    assert [list(row) for row in heat.text] == [
        ["25%", f"67%<br>{figures.BEST_MARK}", "0%"],
        [f"70%<br>{figures.BEST_MARK}", "53%", f"80%<br>{figures.BEST_MARK}"],
    ]
    assert fig.layout.xaxis.tickangle == 0
    table = figures.heatmap_table(matrix, best, SEGMENT_NAMES, NAMES)
    assert list(table.columns) == ["Segment", "Best service", "medical", "spa"]
    assert table["Best service"].tolist() == ["spa", "medical", "spa"]
    assert table[["medical", "spa"]].to_numpy().tolist() == [[25.0, 70.0], [66.7, 53.3], [0, 80]]
    assert (
        pd.DataFrame(heat.z).T.round(1).to_numpy().tolist()
        == table[["medical", "spa"]].to_numpy().tolist()
    )


def test_segment_heatmap_labels_are_plain_text(matrix: pd.DataFrame) -> None:
    names = {"a": "<b>Bold</b> & co", "b": "spa"}
    fig = figures.segment_heatmap(
        matrix, positioning.best_per_segment(matrix), SEGMENT_NAMES, names
    )
    assert fig.data[0].y[0] == "&lt;b&gt;Bold&lt;/b&gt;<br>&amp; co"  # escaped, then wrapped


def test_segment_heatmap_wraps_long_names_and_makes_room_below() -> None:
    """The newcomer trial's menu: every service name whole on lines of at most 12 characters
    (a longer word on a line of its own), the segments staggered, the margin from the lines."""
    services = ["medical", "spa", "r", "h", "d"]
    matrix = pd.DataFrame(
        np.linspace(10, 90, 30).reshape(6, 5),
        index=[f"s{k}" for k in range(6)],
        columns=services,
    )
    segments = dict(
        zip(
            matrix.index,
            [
                "Referred patients",
                "Chronic pain sufferers",
                "Active and injured",
                "Stressed professionals",
                "Pamper seekers",
                "Wellness maintainers",
            ],
            strict=True,
        )
    )
    names = {
        "medical": "Medical massage",
        "spa": "Spa massage",
        "r": "Rückenmassage, 30 Min",
        "h": "Hot Stone „Wohlfühl“ 90 Min",
        "d": "Spa massage, clinical therapist",
    }
    fig = figures.segment_heatmap(matrix, positioning.best_per_segment(matrix), segments, names)
    heat = fig.data[0]
    assert list(heat.y) == [
        "Medical<br>massage",
        "Spa massage",
        "Rückenmassage,<br>30 Min",
        "Hot Stone<br>„Wohlfühl“<br>90 Min",
        "Spa massage,<br>clinical<br>therapist",
    ]
    assert list(heat.x) == [
        "Referred<br>patients",
        "<br><br><br>Chronic<br>pain<br>sufferers",
        "Active<br>and<br>injured",
        "<br><br><br>Stressed<br>professionals",
        "Pamper<br>seekers",
        "<br><br><br>Wellness<br>maintainers",
    ]
    # 6 label lines: 5 more than one, 17 px each, below the 56 px house margin
    assert fig.layout.margin.b == 56 + 5 * 17
    # rows of 12 + 17 * 3 px (the longest name's three lines): 100 + 63 * 5, title 2 lines of 21 px
    assert fig.layout.height == 100 + 63 * 5 + 21 * 2 + 5 * 17
    assert fig.layout.xaxis.title.standoff == 8


# --- positioning map ----------------------------------------------------------------------------

SERVICES_AT = pd.DataFrame({"therapeutic": [9.0, 2.0], "experience": [3.0, 9.0]}, index=["a", "b"])
SEGMENTS_AT = pd.DataFrame(
    {"therapeutic": [8.0, 5.0], "experience": [2.0, 5.0]}, index=["s1", "s2"]
)
SHARES = pd.Series({"s1": 0.6, "s2": 0.4})


def test_positioning_map(catalog) -> None:
    data = figures.MapData(SERVICES_AT, SEGMENTS_AT, SHARES, NAMES, SEGMENT_NAMES, catalog.map_axes)
    fig = figures.positioning_map(data)
    # the map only illustrates: its title states no distance (no sentence rests on one)
    assert title(fig) == (
        "2 services and 2 segments on the two focus axes; the match itself is in the heatmap"
    )
    assert axis_titles(fig) == ("Therapeutic focus (0-10)", "Experience focus (0-10)")
    segments, services = fig.data
    table = figures.map_table(data)
    assert table["Share (%)"].tolist()[2:] == [60, 40]  # the services have no share
    assert table["Share (%)"].isna().tolist() == [True, True, False, False]
    assert table.drop(columns="Share (%)").to_dict("records") == [
        {
            "Key": "A",
            "Kind": "Service",
            "Name": "medical",
            "Therapeutic focus": 9.0,
            "Experience focus": 3.0,
        },
        {
            "Key": "B",
            "Kind": "Service",
            "Name": "spa",
            "Therapeutic focus": 2.0,
            "Experience focus": 9.0,
        },
        {
            "Key": "1",
            "Kind": "Segment",
            "Name": "Seg one",
            "Therapeutic focus": 8.0,
            "Experience focus": 2.0,
        },
        {
            "Key": "2",
            "Kind": "Segment",
            "Name": "Seg two",
            "Therapeutic focus": 5.0,
            "Experience focus": 5.0,
        },
    ]
    assert list(services.text) == ["A", "B"]  # letters on the markers, names in the key
    assert list(services.x) == [9.0, 2.0] and list(services.y) == [3.0, 9.0]
    assert list(segments.text) == ["1", "2"]
    assert list(segments.x) == [8.0, 5.0] and list(segments.y) == [2.0, 5.0]
    # A bigger share, a bigger bubble: 26 + 70 * sqrt(share).
    assert [round(s, 1) for s in segments.marker.size] == [80.2, 70.3]


# --- client mix ---------------------------------------------------------------------------------


@pytest.fixture
def mix() -> positioning.ClientMix:
    # p best b 70, q best a 66.67 (under 70), r no weights, s best b 80
    return positioning.client_mix(SURVEY, FITS, SEGMENT_WEIGHTS, threshold=70.0)


def test_shares_chart_and_table(mix: positioning.ClientMix) -> None:
    fig = figures.shares_chart(mix.split(), NAMES)
    # r gave every priority 0: not unserved, so only the medical client (1 of 4) is left under
    assert title(fig) == "spa is the best match for 50% of clients; 25% are unserved (under 70%)"
    assert axis_titles(fig) == ("Share of clients (best match)", "")
    served, unserved = fig.data
    assert list(served.y) == list(unserved.y) == ["spa", "medical"]
    assert list(served.x) == [50.0, 0.0]  # both spa clients are matched 70% or more
    assert list(unserved.x) == [0.0, 25.0]
    assert list(unserved.text) == ["50%", "25%"]  # the whole share, at the end of each bar
    assert fig.layout.barmode == "stack"
    assert figures.shares_table(mix.split(), NAMES).to_dict("records") == [
        {
            "Service": "medical",
            "Best match for (%)": 25.0,
            "Clients": 1,
            "Of them at or above 70%": 0,
        },
        {"Service": "spa", "Best match for (%)": 50.0, "Clients": 2, "Of them at or above 70%": 2},
    ]


def test_priorities_chart() -> None:
    # Your clients: x 0.75, y 1.25. Typical: x 0.25*1 + 0.75*1 = 1, y 0.75.
    # The biggest difference is y: 1.25 - 0.75 = +0.5 (x is 0.75 - 1 = -0.25).
    table = positioning.average_priorities(SURVEY, SEGMENT_WEIGHTS, SEGMENT_NAMES)
    typical = positioning.typical_base(SEGMENT_WEIGHTS, pd.Series({"s1": 0.25, "s2": 0.75}))
    priorities = pd.DataFrame({"yours": table["Your clients"], "typical": typical})
    fig = figures.priorities_chart(priorities, {"x": "Pain relief", "y": "Relaxation"})
    assert title(fig) == 'Your clients rate "Relaxation" higher than a typical base'
    assert axis_titles(fig) == ("Average priority (0-10)", "")
    yours, base = fig.data
    assert list(yours.y) == ["Relaxation", "Pain relief"]
    assert list(yours.x) == [1.25, 0.75]
    assert list(base.x) == [0.75, 1.0]
    assert figures.priorities_table(priorities, {"x": "Pain relief"}).to_dict("records") == [
        {"Criterion": "Pain relief", "Your clients": 0.8, "Typical base": 1.0},
        {"Criterion": "y", "Your clients": 1.2, "Typical base": 0.8},
    ]


# --- what-if and weekly answers -----------------------------------------------------------------


def test_what_if_chart_and_table() -> None:
    # Adding c (0, 10) moves p and s from b to c: half the clients change their best match.
    after = pd.concat([FITS, pd.DataFrame([[0, 10]], index=["c"], columns=["x", "y"])])
    change = positioning.what_if(SURVEY, FITS, after)
    fig = figures.what_if_chart(change, NAMES)
    assert title(fig) == "50% of clients would change their best match"
    assert axis_titles(fig) == ("Share of clients (best match)", "")
    before, after_bars = fig.data
    assert list(before.y) == ["medical", "spa", "Hybrid"]
    assert list(before.x) == [25.0, 50.0, 0.0]
    assert list(after_bars.x) == [25.0, 0.0, 50.0]
    assert figures.what_if_table(change, NAMES).to_dict("list") == {
        "Service": ["medical", "spa", "Hybrid"],
        "Before (%)": [25.0, 50.0, 0.0],
        "After (%)": [25.0, 0.0, 50.0],
        "Change (percentage points)": [0.0, -50.0, 50.0],
    }


def test_weekly_chart() -> None:
    # Columns are the goals clients started from. 3 + 2 + 0 = 5 answers in the first week,
    # 1 + 4 + 1 = 6 in the latest: 11 in all.
    table = pd.DataFrame(
        {"injury": [3, 1], "unwind": [2, 4], "blank": [0, 1]},
        index=pd.to_datetime(["2026-11-16", "2026-11-23"]).date,
    )
    goals = {"injury": "Recover from an injury", "unwind": "Unwind", "blank": "No goal"}
    fig = figures.weekly_chart(table, goals)
    assert title(fig) == "11 answers over 2 week(s); 6 in the latest"
    assert axis_titles(fig) == ("Week starting (Monday)", "Answers")
    assert [trace.name for trace in fig.data] == ["Recover from an injury", "Unwind", "No goal"]
    assert [list(trace.y) for trace in fig.data] == [[3, 1], [2, 4], [0, 1]]
    assert [str(x)[:10] for x in fig.data[0].x] == ["2026-11-16", "2026-11-23"]
    assert fig.layout.barmode == "stack"


# --- phone-friendly labels, the lettered map, weekly demand ---


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Stressed professionals", "Stressed<br>professionals"),
        ("Spa massage", "Spa massage"),
        ("<b>Hot</b> stones", "&lt;b&gt;Hot&lt;/b&gt;<br>stones"),
        ("", " "),
    ],
)
def test_wrapped_label(text, label):
    assert wrapped_label(text) == label


def test_map_markers_carry_numbers_and_letters_only(catalog):
    services = axis_positions(catalog.fits, catalog.map_axes)
    segments = axis_positions(catalog.segment_weights, catalog.map_axes)
    shares = catalog.segments["share"]
    names = {"medical": "Medical massage", "spa": "Visit www.example.invalid today"}
    labels = dict(catalog.segments["label"])
    data = figures.MapData(services, segments, shares, names, labels, catalog.map_axes)
    fig = positioning_map(data)
    bubbles, diamonds = fig.data
    assert list(bubbles.text) == ["1", "2", "3", "4", "5", "6"]
    assert list(diamonds.text) == ["A", "B"]
    assert bubbles.textposition == diamonds.textposition == "middle center"
    assert diamonds.customdata[1] == "Visit www.example.invalid today"
    key = map_table(data)
    assert key["Key"].tolist() == ["A", "B", "1", "2", "3", "4", "5", "6"]
    assert key.loc[key["Key"] == "4", "Name"].item() == "Stressed professionals"
    assert map_keys(pd.Index(["x"]), pd.Index(["s"])) == {"s": "1", "x": "A"}


def test_heatmap_prints_every_value_and_needs_no_colour_bar(catalog):
    matrix = segment_matrix(catalog.segment_weights, catalog.fits)
    names = {"medical": "Medical massage", "spa": "Spa massage"}
    fig = segment_heatmap(matrix, best_per_segment(matrix), dict(catalog.segments["label"]), names)
    (trace,) = fig.data
    assert trace.showscale is False
    assert trace.text[0][0] == f"{matrix.iloc[0, 0]:.0f}%<br>★"
    assert fig.layout.title.text.startswith("Medical massage serves 3 of 6 segments best")


def test_weekly_demand_has_date_ticks_and_whole_numbers():
    table = pd.DataFrame(
        {"unwind": [3, 0, 1], "no_goal": [1, 0, 0]},
        index=[date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)],
    )
    fig = weekly_chart(table, {"unwind": "Unwind after a stressful week", "no_goal": "No goal"})
    assert [bar.name for bar in fig.data] == ["Unwind after a stressful week", "No goal"]
    assert fig.layout.xaxis.tickformat == "%d %b %Y"
    assert fig.layout.yaxis.tickformat == "d"
    assert fig.layout.yaxis.dtick == 1
    assert fig.layout.title.text.startswith("5 answers over 3 week(s); 1 in the latest")


# At 390 px a chart is about 358 px wide; plotly centres an axis title on the plot area, which a
# long service name on the other axis pushes to the right. Service names wrap at
# SERVICE_LABEL_WIDTH characters and no axis title line is longer than this, so every title fits.
PHONE_AXIS_TITLE = 30


def test_long_service_names_wrap_so_axis_titles_fit_a_phone(catalog, mix):
    names = {**NAMES, "b": "Spa massage, problem-focused, clinical therapist"}  # the designer's
    after = pd.concat([FITS, pd.DataFrame([[0, 10]], index=["c"], columns=["x", "y"])])
    charts = {
        "shares": figures.shares_chart(mix.split(), names),
        "what-if": figures.what_if_chart(positioning.what_if(SURVEY, FITS, after), names),
    }
    for key, fig in charts.items():
        labels = [label for trace in fig.data for label in trace.y]
        assert "Spa massage,<br>problem-focused,<br>clinical therapist" in labels
        lines = [line for label in labels for line in label.split("<br>")]
        assert max(len(line) for line in lines) <= figures.SERVICE_LABEL_WIDTH, key
    matrix = segment_matrix(catalog.segment_weights, catalog.fits)
    services = axis_positions(catalog.fits, catalog.map_axes)
    segments = axis_positions(catalog.segment_weights, catalog.map_axes)
    table = positioning.average_priorities(SURVEY, SEGMENT_WEIGHTS, SEGMENT_NAMES)
    typical = positioning.typical_base(SEGMENT_WEIGHTS, pd.Series({"s1": 0.25, "s2": 0.75}))
    priorities = pd.DataFrame({"yours": table["Your clients"], "typical": typical})
    charts |= {
        "heatmap": segment_heatmap(matrix, best_per_segment(matrix), {}, names),
        "map": positioning_map(
            figures.MapData(
                services, segments, catalog.segments["share"], names, {}, catalog.map_axes
            )
        ),
        "priorities": figures.priorities_chart(priorities, {"x": "Pain relief"}),
    }
    for key, fig in charts.items():
        for title_text in axis_titles(fig):
            assert all(len(line) <= PHONE_AXIS_TITLE for line in title_text.split("<br>")), key
