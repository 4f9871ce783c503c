"""What Find my massage draws only when asked: a chart's table and the contributions chart.

Both sit in Streamlit's lazy expanders (on_change="rerun"), so nothing of them reaches the page
until the visitor opens one; then the server draws it, and a slider move keeps it open and
current. Only a browser shows the click, the rerun it causes and what appears.
"""

from __future__ import annotations

import re

import pytest

from advisor.decision.scoring import score
from tests.browser.support import (
    EXCEPTION,
    PLOTLY_CHART,
    bar_texts,
    expect,
    save_screenshot,
    wait_for_idle,
)

pytestmark = pytest.mark.browser

TABLE = '[data-testid="stDataFrame"]'


@pytest.mark.timeout(120)
def test_tables_and_contributions_appear_when_asked_and_follow_the_sliders(
    open_in_browser, app_catalog
):
    page = open_in_browser("find?preset=unwind", "desktop")
    weights = {cid: int(w) for cid, w in app_catalog.preset_weights.loc["unwind"].items()}
    ranking = score(weights, app_catalog.fits).ranking()
    charts = page.locator(PLOTLY_CHART)
    expect(charts.first.locator("text.bartext")).to_have_text([f"{m:.0f}%" for _, m in ranking])
    expect(charts).to_have_count(1)  # the contributions chart waits for its expander
    expect(page.locator(TABLE)).to_have_count(0)  # no table until one is asked for

    page.get_by_text("Show the numbers as a table").first.click()
    table = page.locator(TABLE)
    expect(table).to_have_count(1)
    expect(table).to_be_visible()
    # the table is the match chart's numbers, rank by rank, each match to one decimal (the grid
    # draws on a canvas; its text is in the accessible table behind it)
    rows = "".join(
        f"{rank}{app_catalog.type_name(tid)}{match:.1f}"
        for rank, (tid, match) in enumerate(ranking, start=1)
    )
    expect(table).to_contain_text(rows)

    page.get_by_text(re.compile("^Where each match comes from")).click()
    expect(charts).to_have_count(2)
    contributions = charts.nth(1)
    expect(contributions.locator("g.trace.bars")).to_have_count(2)  # one trace per type
    wait_for_idle(page)
    before = bar_texts(charts.first)

    # a slider move keeps both open and redraws them with the new numbers
    label = re.escape(app_catalog.criterion_label("pain_relief"))
    thumb = page.get_by_role("slider", name=re.compile(rf"^{label}(?: {label})?$"))
    thumb.focus()
    page.keyboard.press("End")
    weights["pain_relief"] = 10
    moved = [f"{m:.0f}%" for _, m in score(weights, app_catalog.fits).ranking()]
    expect(charts.first.locator("text.bartext")).to_have_text(moved)
    assert bar_texts(charts.first) != before
    wait_for_idle(page)
    expect(charts).to_have_count(2)
    expect(page.locator(TABLE)).to_have_count(2)  # the match table and the contributions table
    expect(page.locator(EXCEPTION)).to_have_count(0)
    save_screenshot(page, "find-on-demand-desktop")
