"""Figures of Position my clinic: labels that fit a phone, the lettered map, weekly demand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from advisor.clinic.positioning import axis_positions, best_per_segment, segment_matrix
from advisor.figures.clinic import (
    map_keys,
    map_table,
    positioning_map,
    segment_heatmap,
    weekly_chart,
    wrapped_label,
)


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
    services = axis_positions(catalog.fits)
    segments = axis_positions(catalog.segment_weights)
    shares = catalog.segments["share"]
    names = {"medical": "Medical massage", "spa": "Visit www.example.invalid today"}
    labels = dict(catalog.segments["label"])
    fig = positioning_map(services, segments, shares, names, labels)
    bubbles, diamonds = fig.data
    assert list(bubbles.text) == ["1", "2", "3", "4", "5", "6"]
    assert list(diamonds.text) == ["A", "B"]
    assert bubbles.textposition == diamonds.textposition == "middle center"
    assert diamonds.customdata[1] == "Visit www.example.invalid today"
    key = map_table(services, segments, shares, names, labels)
    assert key["Key"].tolist() == ["A", "B", "1", "2", "3", "4", "5", "6"]
    assert key.loc[key["Key"] == "4", "Name"].item() == "Stressed professionals"
    assert map_keys(pd.Index(["x"]), pd.Index(["s"])) == {"s": "1", "x": "A"}


def test_heatmap_prints_every_value_and_needs_no_colour_bar(catalog):
    matrix = segment_matrix(catalog.segment_weights, catalog.fits)
    names = {"medical": "Medical massage", "spa": "Spa massage"}
    fig = segment_heatmap(matrix, best_per_segment(matrix), dict(catalog.segments["label"]), names)
    (trace,) = fig.data
    assert trace.showscale is False
    assert trace.text[0][0] == f"{matrix.iloc[0, 0]:.0f}% ★"
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
