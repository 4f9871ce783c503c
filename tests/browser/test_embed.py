"""Find my massage in a clinic's own page (docs/embed.md): `/find?embed=true` on a phone shows
the answer without the app's page links, and the link the page writes inside the frame opens
the same answer outside it."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

import advisor
from advisor.decision.explanation import explain
from tests.browser.support import EXCEPTION, expect, save_screenshot, wait_for_idle

pytestmark = pytest.mark.browser

NAV = ".st-key-page_nav"
ALERT = '[data-testid="stAlert"]'
PAGE_NAMES = ["Start", "Compare", "Find my massage", "Position my clinic", "Method and sources"]


def query_of(url: str) -> dict[str, str]:
    return {key: value for key, [value] in parse_qs(urlsplit(url).query).items()}


def verdict_text(page, exp) -> str:
    """The verdict sentence on the page, once it says exp's verdict."""
    found = page.locator(f'{ALERT} [data-testid="stMarkdownContainer"]').filter(
        has_text=exp.verdict
    )
    expect(found).to_have_count(1)
    return " ".join(found.inner_text().split())


@pytest.mark.timeout(120)
def test_the_embed_shows_the_answer_alone_and_its_link_opens_it_outside(
    open_in_browser, app_catalog: advisor.Catalog
):
    page = open_in_browser("find?embed=true&preset=treat_myself", "phone")
    page.get_by_role("radio", name="None of these apply to me").click()
    wait_for_idle(page)
    thumb = page.get_by_role("slider", name=re.compile(r"^Relaxation"))
    thumb.scroll_into_view_if_needed()
    thumb.focus()
    page.keyboard.press("Home")  # a weighting of the person's own, not the goal's
    page.wait_for_url(lambda url: query_of(url).get("relaxation") == "0")
    wait_for_idle(page)

    weights = {c: int(w) for c, w in app_catalog.preset_weights.loc["treat_myself"].items()}
    weights["relaxation"] = 0
    exp = explain(app_catalog, weights, "medium", [])
    inside = verdict_text(page, exp)
    assert exp.verdict in inside

    # no page links: the app's navigation row is hidden, Streamlit shows no sidebar
    expect(page.locator(NAV)).to_be_hidden()
    expect(page.locator('[data-testid="stSidebar"]')).to_have_count(0)
    for name in PAGE_NAMES:
        expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    save_screenshot(page, "find-embed-phone")

    # the link the page wrote inside the frame, opened outside it: the same answer
    written = query_of(page.url)
    assert written.pop("embed") == "true"
    assert written["safety"] == "none" and written["preset"] == "treat_myself"
    shown = page.locator('[data-testid="stCode"]').inner_text().strip()
    assert query_of(shown) == written  # the share link on the page is the same, without embed
    outside = open_in_browser(f"find?{urlencode(written)}", "phone")
    assert verdict_text(outside, exp) == inside
    expect(outside.locator(NAV)).to_be_visible()  # outside the frame, the page links are back
    expect(outside.get_by_role("link", name="Compare", exact=True)).to_be_visible()
