"""Find my massage in a real browser: keyboard on the sliders, and share links."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader

import advisor
from advisor.decision.explanation import explain
from advisor.decision.scoring import score
from advisor.decision.takeaway import result_csv
from tests.browser.support import (
    EXCEPTION,
    PLOTLY_CHART,
    bar_texts,
    expect,
    save_screenshot,
    slider_value,
)

pytestmark = pytest.mark.browser


def chart_labels(catalog: advisor.Catalog, weights: dict[str, int]) -> list[str]:
    """The bar labels of the match chart for these weights, best match first, as drawn."""
    return [f"{match:.0f}%" for _, match in score(weights, catalog.fits).ranking()]


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def slider(page, catalog: advisor.Catalog, criterion_id: str):
    """The slider thumb of one criterion, found by its label.

    Streamlit 1.67 names the thumb twice over (aria-labelledby lists the input, whose aria-label
    is the label, and the group, labelled the same), so "Pain relief Pain relief" also matches.
    """
    label = re.escape(catalog.criterion_label(criterion_id))
    return page.get_by_role("slider", name=re.compile(rf"^{label}(?: {label})?$"))


@pytest.mark.timeout(90)
def test_keyboard_on_a_slider_updates_the_match_chart(open_in_browser, app_catalog):
    page = open_in_browser("find?preset=unwind", "desktop")
    weights = {cid: int(w) for cid, w in app_catalog.preset_weights.loc["unwind"].items()}
    chart = page.locator(PLOTLY_CHART).first
    bars = chart.locator("text.bartext")
    initial = chart_labels(app_catalog, weights)
    expect(bars).to_have_text(initial)
    before = bar_texts(chart)

    criterion = "pain_relief"  # 1 in the unwind preset, so every key below moves it
    thumb = slider(page, app_catalog, criterion)
    assert slider_value(thumb) == weights[criterion] == 1
    thumb.focus()
    expect(thumb).to_be_focused()

    for key, value in [("ArrowRight", 2), ("ArrowLeft", 1), ("End", 10), ("Home", 0)]:
        page.keyboard.press(key)
        weights[criterion] = value
        expected = chart_labels(app_catalog, weights)
        expect(bars).to_have_text(expected, timeout=15_000)
        assert slider_value(thumb) == value, f"after {key}"
        expect(thumb).to_be_focused()  # the rerun does not steal the keyboard focus
        if value != 1:
            assert expected != initial, f"{key}: the test needs a move that changes the chart"
            assert bar_texts(chart) != before, f"{key}: the chart did not change"
        # the address follows, so that a copied URL is a share link of what is on screen
        page.wait_for_url(lambda url, v=str(value): query_of(url).get(criterion) == [v])

    expect(page.locator(EXCEPTION)).to_have_count(0)
    save_screenshot(page, "find-after-keyboard-desktop")


@pytest.mark.timeout(90)
def test_share_link_restores_weights_and_certainty(open_in_browser, app_catalog):
    page = open_in_browser("find?preset=blank&certainty=low&relaxation=7&pain_relief=3", "phone")
    linked = {"relaxation": 7, "pain_relief": 3}
    weights = {cid: linked.get(cid, 0) for cid in app_catalog.criterion_ids}

    for cid, value in weights.items():
        thumb = slider(page, app_catalog, cid)
        expect(thumb).to_have_count(1)
        assert slider_value(thumb) == value, f"slider {cid}"

    expect(page.get_by_role("radio", name="Not sure", exact=True)).to_have_attribute(
        "aria-checked", "true"
    )
    for other in ("Very sure", "Fairly sure"):
        expect(page.get_by_role("radio", name=other, exact=True)).to_have_attribute(
            "aria-checked", "false"
        )
    expect(page.locator(PLOTLY_CHART).first.locator("text.bartext")).to_have_text(
        chart_labels(app_catalog, weights)
    )

    # the app writes the whole state back into the address: every criterion, preset, certainty
    expected = {
        "preset": ["blank"],
        "certainty": ["low"],
        **{cid: [str(v)] for cid, v in weights.items()},
    }
    page.wait_for_url(lambda url: expected.keys() <= query_of(url).keys(), timeout=15_000)
    assert query_of(page.url) == expected
    save_screenshot(page, "find-share-link-phone")


@pytest.mark.timeout(90)
def test_downloads_are_made_on_click_and_match_the_screen(open_in_browser, app_catalog):
    """The PDF and the CSV are made when their button is pressed (not on every slider
    move): what arrives is the result on screen, after a slider move."""
    page = open_in_browser("find?preset=unwind", "desktop")
    weights = {cid: int(w) for cid, w in app_catalog.preset_weights.loc["unwind"].items()}
    thumb = slider(page, app_catalog, "pain_relief")
    thumb.focus()
    page.keyboard.press("End")
    weights["pain_relief"] = 10
    bars = page.locator(PLOTLY_CHART).first.locator("text.bartext")
    expect(bars).to_have_text(chart_labels(app_catalog, weights), timeout=15_000)
    exp = explain(app_catalog, weights, "medium")

    files = {}
    for label, name in [
        ("The numbers (.csv)", "massage-advisor-result.csv"),
        ("My answer to print (.pdf)", "massage-advisor-answer.pdf"),
    ]:
        button = page.locator('[data-testid="stDownloadButton"]').filter(has_text=label)
        button.scroll_into_view_if_needed()
        with page.expect_download(timeout=20_000) as download_info:
            button.locator("button, a").first.click()
        download = download_info.value
        assert download.suggested_filename == name
        files[name] = Path(download.path()).read_bytes()

    assert files["massage-advisor-result.csv"] == result_csv(app_catalog, exp)
    reader = PdfReader(io.BytesIO(files["massage-advisor-answer.pdf"]))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert exp.verdict in text
    assert f"{app_catalog.criterion_label('pain_relief')} 10" in text
    expect(page.locator(EXCEPTION)).to_have_count(0)
