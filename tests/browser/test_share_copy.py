"""The share link copies with one tap on a phone: read back from Chromium's clipboard."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from advisor.decision.share_link import share_params
from tests.browser.support import (
    ACTION_TIMEOUT_MS,
    EXCEPTION,
    VIEWPORTS,
    expect,
    save_screenshot,
    wait_for_app,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser, served_app: str):
    """A touch phone of 390x844 that lets the page read and write the clipboard."""
    context = browser.new_context(
        viewport=VIEWPORTS["phone"],
        has_touch=True,
        is_mobile=True,
        permissions=["clipboard-read", "clipboard-write"],
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.mark.timeout(90)
def test_share_link_copies_with_one_tap_on_a_phone(phone, served_app, app_catalog):
    phone.goto(f"{served_app}/find?preset=unwind&certainty=high", wait_until="domcontentloaded")
    wait_for_app(phone)
    button = phone.frame_locator("iframe").get_by_role("button", name="Copy the link")
    button.scroll_into_view_if_needed()
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44  # big enough for a thumb
    phone.evaluate("navigator.clipboard.writeText('')")
    button.tap()
    expect(phone.frame_locator("iframe").get_by_role("status")).to_have_text(
        "Copied: paste it anywhere to open this answer again."
    )
    copied = phone.evaluate("navigator.clipboard.readText()")
    assert copied == phone.locator('[data-testid="stCode"]').inner_text().strip()
    assert copied.startswith(served_app)
    weights = {c: int(w) for c, w in app_catalog.preset_weights.loc["unwind"].items()}
    expected = share_params(weights, "unwind", "high")
    assert {k: v for k, [v] in parse_qs(urlsplit(copied).query).items()} == expected
    save_screenshot(phone, "find-share-copied-phone")

    # the button copies what is on screen now, also after a slider move
    thumb = phone.get_by_role("slider", name=re.compile(r"^Relaxation"))
    thumb.focus()
    phone.keyboard.press("Home")
    phone.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("relaxation") == ["0"])
    expect(phone.locator('[data-testid="stCode"]')).to_contain_text("relaxation=0")
    status = phone.frame_locator("iframe").get_by_role("status")
    status.evaluate("element => { element.textContent = ''; }")  # wait for this tap's own copy
    button.tap()
    expect(status).to_have_text("Copied: paste it anywhere to open this answer again.")
    copied = phone.evaluate("navigator.clipboard.readText()")
    assert parse_qs(urlsplit(copied).query)["relaxation"] == ["0"]
    assert copied == phone.locator('[data-testid="stCode"]').inner_text().strip()
    expect(phone.locator(EXCEPTION)).to_have_count(0)
