"""Fixtures for the browser tests: a served app, headless Chromium, and waiting helpers.

Every test here is marked `browser`. Without Chromium the tests skip with a reason, except on CI
(CI=true), where a missing browser fails the run instead of passing it silently.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator

import pytest

from tests.browser.support import (
    ACTION_TIMEOUT_MS,
    SCREENSHOTS,
    SERVER_LOG,
    STARTUP_TIMEOUT_S,
    VIEWPORTS,
    serve_app,
    wait_for_app,
)


@pytest.fixture(scope="session")
def app_url(chromium_executable: str) -> Iterator[str]:
    """The base URL of the app, served by `streamlit run app.py` for the whole session.

    It depends on chromium_executable so that no server starts when the tests would skip.
    """
    with serve_app(SERVER_LOG) as url:
        yield url


@pytest.fixture(scope="session")
def served_app(browser, app_url: str) -> str:
    """app_url once the app has run its entry page in a browser.

    Opening the start page first makes every later test meet a warmed-up server (the first
    deep link to a fresh server has its own test in test_pages.py).
    """
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    try:
        page = context.new_page()
        page.goto(app_url, wait_until="domcontentloaded", timeout=STARTUP_TIMEOUT_S * 1000)
        wait_for_app(page, timeout_ms=STARTUP_TIMEOUT_S * 1000)
    finally:
        context.close()
    return app_url


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell that a test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def open_in_browser(browser, served_app: str, request) -> Iterator[Callable]:
    """open_in_browser(path, size="desktop"): a page in a fresh browser context (a new app
    session), opened at the app's path and waited on until the app's run is over.

    Uncaught JavaScript errors are collected in page.js_errors; a failed test leaves a
    screenshot of each of its pages in artifacts/screenshots/failed-*.png.
    """
    contexts, pages = [], []

    def _open(path: str = "", size: str = "desktop"):
        context = browser.new_context(viewport=VIEWPORTS[size], accept_downloads=True)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.js_errors = []
        page.on("pageerror", lambda error: page.js_errors.append(str(error)))
        pages.append(page)
        page.goto(f"{served_app}/{path.lstrip('/')}", wait_until="domcontentloaded")
        wait_for_app(page)
        return page

    yield _open
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
        for number, page in enumerate(pages, start=1):
            with contextlib.suppress(Exception):
                page.screenshot(path=str(SCREENSHOTS / f"failed-{stem}-{number}.png"))
    for context in contexts:
        with contextlib.suppress(Exception):
            context.close()
