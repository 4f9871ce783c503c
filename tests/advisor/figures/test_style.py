"""advisor.figures.style: palette, plain labels, wrapped titles and the house layout."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from advisor.figures.client import differences_chart, profile_chart
from advisor.figures.style import (
    OKABE_ITO,
    TITLE_WIDTH,
    colour_map,
    plain_label,
    style_figure,
    wrap_title,
)


@pytest.mark.parametrize(
    ("type_ids", "expected"),
    [
        (["medical", "spa"], ["#0072B2", "#E69F00"]),
        (["spa", "medical"], ["#E69F00", "#0072B2"]),  # a type keeps its colour in any order
        # own services take the six colours left, in order, then start again
        (["medical", "own:a", "own:b"], ["#0072B2", "#009E73", "#CC79A7"]),
        (
            [f"own:{i}" for i in range(7)],
            ["#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#009E73"],
        ),
        ([], []),
    ],
)
def test_colour_map(type_ids: list[str], expected: list[str]) -> None:
    colours = colour_map(type_ids)
    assert [colours[t] for t in type_ids] == expected
    assert set(colours.values()) <= set(OKABE_ITO)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Spa massage", "Spa massage"),
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
        ("A & B", "A &amp; B"),
        ("&lt;", "&amp;lt;"),  # an entity typed by a person stays as typed
        ("", ""),
    ],
)
def test_plain_label(text: str, expected: str) -> None:
    assert plain_label(text) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Short title", "Short title"),
        ("", " "),  # plotly needs some text to keep the title's room
        ("<b>", "&lt;b&gt;"),
        # 46 characters a line: "Medical massage fits better on 8; Spa massage" is 45
        (
            "Medical massage fits better on 8; Spa massage fits better on 5 of 13 criteria",
            "Medical massage fits better on 8; Spa massage<br>fits better on 5 of 13 criteria",
        ),
    ],
)
def test_wrap_title(title: str, expected: str) -> None:
    assert wrap_title(title) == expected
    assert all(len(line) <= TITLE_WIDTH for line in wrap_title(title).split("<br>"))


def bars(*names: str) -> go.Figure:
    return go.Figure([go.Bar(x=[1], y=["a"], name=name) for name in names])


@pytest.mark.parametrize(
    ("fig", "title", "height", "margin_top", "margin_bottom"),
    [
        # one title line, one trace (no legend): 200 + 21 = 221; top 10 + 21 + 14, bottom 56
        (bars("one"), "Short", 200, 45, 56),
        # two title lines and a legend: 200 + 42 + 34 = 276; top 10 + 42 + 14, bottom 56 + 34
        (bars("one", "two"), "x" * 30 + " " + "y" * 30, 200, 66, 90),
    ],
)
def test_style_figure_layout(
    fig: go.Figure, title: str, height: int, margin_top: int, margin_bottom: int
) -> None:
    styled = style_figure(fig, title, height, "X axis", "Y axis")
    lines = wrap_title(title).count("<br>") + 1
    legend = 34 if len(fig.data) > 1 else 0
    assert styled.layout.height == height + 21 * lines + legend
    assert (styled.layout.margin.t, styled.layout.margin.b) == (margin_top, margin_bottom)
    assert styled.layout.title.text == wrap_title(title)
    assert styled.layout.xaxis.title.text == "X axis"
    assert styled.layout.yaxis.title.text == "Y axis"
    assert styled.layout.legend.orientation == "h"


def test_style_figure_keeps_the_traces_and_axis_settings() -> None:
    fig = bars("one")
    fig.update_xaxes(range=[0, 10])
    styled = style_figure(fig, "T", 100, "X", "")
    assert list(styled.layout.xaxis.range) == [0, 10]
    assert styled.layout.xaxis.gridcolor == "#E4E7EB"
    assert [trace.name for trace in styled.data] == ["one"]


# How plotly.js (src/plots/plots.js, drawMainTitle; src/constants/alignment.js) places a title
# anchored at its top, `pad.t` below the figure's top edge: one line gets dy = CAP_SHIFT (0.7
# font sizes), so its baseline is that far below the anchor; in a title of several lines each
# line is placed on its own, the first one's baseline on the anchor, each next one LINE_SPACING
# (1.3 font sizes) lower. The letters reach ASCENT above a baseline and DESCENT below it: 14 px
# and 3 px of a 16 px title, measured in Chromium (the .gtitle box of a one-line title).
CAP_SHIFT, LINE_SPACING, ASCENT, DESCENT = 0.7, 1.3, 14 / 16, 3 / 16


def title_box(layout: go.Layout) -> tuple[float, float]:
    """The top and bottom (px below the figure's top edge) of a figure's title as drawn."""
    size = layout.title.font.size
    lines = layout.title.text.count("<br>") + 1
    first = layout.title.pad.t + (CAP_SHIFT * size if lines == 1 else 0)
    return first - ASCENT * size, first + LINE_SPACING * size * (lines - 1) + DESCENT * size


def long_titled_figures(catalog) -> list[go.Figure]:
    """The Compare page's two charts (both titles of two lines on a phone) and house-styled
    charts of one to four title lines."""
    titles = ["Short", "x " * 30, "y " * 60, "z " * 80]
    return [profile_chart(catalog), differences_chart(catalog)] + [
        style_figure(bars("one", "two"), title, 200, "X", "") for title in titles
    ]


def test_every_title_line_is_inside_the_figure_and_above_the_plot(catalog) -> None:
    figures = long_titled_figures(catalog)
    assert [fig.layout.title.text.count("<br>") + 1 for fig in figures] == [2, 2, 1, 2, 3, 4]
    for fig in figures:
        lines = fig.layout.title.text.count("<br>") + 1
        top, bottom = title_box(fig.layout)
        # the tops of the first line's capitals at least 4 px below the figure's top edge
        assert top >= 4, (fig.layout.title.text, top)
        # the last line's descenders at least 8 px above the plot, which starts at margin.t
        assert bottom + 8 <= fig.layout.margin.t, (fig.layout.title.text, bottom)
        assert fig.layout.margin.t >= lines * LINE_SPACING * fig.layout.title.font.size + 20
