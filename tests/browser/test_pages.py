"""Every page loads without an error at phone and desktop size, with a screenshot of each."""

from __future__ import annotations

import pytest

from tests.browser.support import (
    ERROR_ALERT,
    EXCEPTION,
    VIEWPORTS,
    expect,
    save_screenshot,
    serve_app,
    wait_for_app,
)

pytestmark = pytest.mark.browser

# (URL path, screenshot name, the page's h1)
PAGES = [
    ("", "start", "Medical or spa massage?"),
    ("compare", "compare", "Medical and spa massage, side by side"),
    ("find", "find", "Find my massage"),
    ("clinic", "clinic", "Position my clinic"),
    ("method", "method", "Method and sources"),
]
NAV_TITLES = ["Start", "Compare", "Find my massage", "Position my clinic", "Method and sources"]


@pytest.mark.timeout(90)
@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize(("path", "name", "heading"), PAGES, ids=[p[1] for p in PAGES])
def test_page_loads_without_error(open_in_browser, path, name, heading, size):
    page = open_in_browser(path, size)

    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    expect(page.locator(ERROR_ALERT)).to_have_count(0)
    expect(page.get_by_role("dialog")).to_have_count(0)  # e.g. "Page not found"
    assert page.js_errors == [], f"JavaScript errors on /{path}: {page.js_errors}"
    shot = save_screenshot(page, f"{name}-{size}")
    assert shot.stat().st_size > 0


@pytest.mark.timeout(60)
def test_start_page_asks_the_question(open_in_browser):
    page = open_in_browser("", "desktop")

    expect(page.get_by_role("heading", level=1)).to_have_text("Medical or spa massage?")
    # both paths are offered: one for clients, one for clinics (each also in the navigation)
    main = page.locator('[data-testid="stMain"]')
    for name in ("Find my massage", "Position my clinic"):
        expect(main.get_by_role("link", name=name)).to_have_count(2)
        expect(main.get_by_role("link", name=name).last).to_be_visible()


@pytest.mark.timeout(60)
def test_the_navigation_names_every_page_on_a_phone(open_in_browser):
    """Streamlit's own navigation shows a phone an unlabelled icon; ours names each page."""
    page = open_in_browser("compare", "phone")
    nav = page.locator(".st-key-page_nav")
    for name in NAV_TITLES:
        expect(nav.get_by_role("link", name=name)).to_be_visible()
        expect(nav.get_by_role("link", name=name)).to_be_in_viewport()
    expect(page.locator('[data-testid="stExpandSidebarButton"]')).to_have_count(0)


@pytest.mark.timeout(120)
def test_first_visit_to_a_share_link_shows_no_page_not_found(browser, tmp_path):
    """A share link opened as the very first request to a freshly started server.

    With a folder named pages/ beside app.py, a fresh server took the app for a folder-based one
    and showed "Page not found" over the right page (streamlit/streamlit#8860): the pages live
    in app_pages/ for that reason.
    """
    with serve_app(tmp_path / "fresh-server.log") as url:
        context = browser.new_context(viewport=VIEWPORTS["phone"])
        try:
            page = context.new_page()
            page.goto(f"{url}/find?preset=unwind&certainty=low", wait_until="domcontentloaded")
            wait_for_app(page)
            expect(page.locator("h1")).to_have_text("Find my massage")
            page.wait_for_timeout(500)
            dialogs = page.get_by_role("dialog").all_inner_texts()
            assert dialogs == [], f"a dialog is open over the page: {dialogs}"
        finally:
            context.close()
