"""Chart titles in Chromium at 390x844: every line of every chart's title, two-line ones
included, is drawn inside its chart and above the plot, on Compare and Position my clinic (its
sample clinic). Asserted by bounding boxes of plotly's SVG."""

from __future__ import annotations

import pytest

from tests.browser.support import PLOTLY_CHART

# Per chart: the title's lines, and the boxes (viewport px) of the title, the chart's SVG and
# the plot area (plotly's background rectangle, drawn from margin.t down).
BOXES = """selector => Array.from(document.querySelectorAll(selector)).map(chart => {
    const box = element => {
        const r = element.getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, left: r.left, right: r.right};
    };
    const title = chart.querySelector('.gtitle');
    return {
        text: title.textContent,
        lines: title.querySelectorAll('tspan.line').length || 1,
        title: box(title),
        svg: box(chart.querySelector('svg.main-svg')),
        plot: box(chart.querySelector('.bglayer rect, .draglayer .nsewdrag')),
    };
})"""


@pytest.mark.parametrize(
    ("path", "two_line_titles"),
    [
        ("compare", 2),  # the fit profile and the widest gaps
        ("clinic", 3),  # the shares, what the unserved miss, and the heatmap
    ],
)
def test_every_chart_title_lies_inside_its_chart_on_a_phone(
    open_in_browser, path: str, two_line_titles: int
) -> None:
    page = open_in_browser(path, "phone")
    charts = page.evaluate(BOXES, PLOTLY_CHART)
    assert sum(chart["lines"] >= 2 for chart in charts) >= two_line_titles, charts
    for chart in charts:
        title, svg, plot = chart["title"], chart["svg"], chart["plot"]
        # the tops of the first line's letters below the chart's top edge: before the fix a
        # two-line title started 6 px above it, the top of its "T" cut off
        assert title["top"] >= svg["top"] + 2, chart
        assert title["bottom"] <= plot["top"], chart
        assert svg["left"] <= title["left"] and title["right"] <= svg["right"], chart
