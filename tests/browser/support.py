"""Helpers shared by the browser tests: serving the app, waiting for a run, screenshots."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NoReturn

import pytest

from devtools.browser import IDLE_APP, PLOTLY_CHART, SKELETON, STATUS_WIDGET
from devtools.serving import APP, ROOT, STARTUP_TIMEOUT_S, ServerError, server_env, start, stop

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips the tests, or fails them on CI, with the reason
    expect = None
else:
    expect.set_options(timeout=10_000)

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
SERVER_LOG = ROOT / "artifacts" / "browser-tests-streamlit.log"
ACTION_TIMEOUT_MS = 20_000
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}

EXCEPTION = '[data-testid="stException"]'
ERROR_ALERT = '[data-testid="stAlertContentError"]'


def wait_for_app(page, timeout_ms: int = ACTION_TIMEOUT_MS) -> None:
    """Wait until the page has its heading, the script run is over and every chart is drawn."""
    page.locator("h1").first.wait_for(state="visible", timeout=timeout_ms)
    wait_for_idle(page, timeout_ms)
    # The run can be over while the page still shows grey placeholders for elements it has not
    # drawn yet (a second or two on a loaded machine): until they are gone, a chart, a slider
    # or a button may be missing from the page.
    page.locator(SKELETON).first.wait_for(state="detached", timeout=timeout_ms)
    page.wait_for_function(
        """selector => Array.from(document.querySelectorAll(selector))
                          .every(chart => chart.querySelector('.main-svg'))""",
        arg=PLOTLY_CHART,
        timeout=timeout_ms,
    )
    page.wait_for_timeout(300)  # let the last layout pass settle


def wait_for_idle(page, timeout_ms: int = ACTION_TIMEOUT_MS) -> None:
    """Wait until no script run is in progress (the app root says so, the status widget is gone)."""
    page.locator(IDLE_APP).wait_for(state="attached", timeout=timeout_ms)
    page.locator(STATUS_WIDGET).wait_for(state="detached", timeout=timeout_ms)


def slider_value(slider) -> int:
    """A slider's value: aria-valuenow where the widget sets it, else the range input's value
    (Streamlit 1.67 draws sliders as react-aria <input type=range>, which has no aria-valuenow)."""
    value = slider.evaluate("e => e.getAttribute('aria-valuenow') ?? e.value")
    return int(float(value))


def bar_texts(chart) -> list[str]:
    """The text labels on a plotly bar chart's bars, top to bottom."""
    return [text.strip() for text in chart.locator("text.bartext").all_text_contents()]


def save_screenshot(page, name: str, directory: Path = SCREENSHOTS) -> Path:
    """The viewport as <name>.png, and the whole page as <name>-full.png.

    Streamlit scrolls inside its own container rather than the document, so a plain full_page
    screenshot shows one screen: for the full one the viewport grows to the content's height.
    """
    directory.mkdir(parents=True, exist_ok=True)
    viewport = page.viewport_size
    shot = directory / f"{name}.png"
    page.screenshot(path=str(shot))
    height = page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMain"]')
                || document.querySelector('[data-testid="stAppViewContainer"]');
            return Math.max(document.body.scrollHeight, main ? main.scrollHeight : 0);
        }"""
    )
    full = directory / f"{name}-full.png"
    if viewport and height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": min(int(height), 16_000)})
        page.wait_for_timeout(500)
        page.screenshot(path=str(full))
        page.set_viewport_size(viewport)
        page.wait_for_timeout(200)
    else:
        page.screenshot(path=str(full))
    return shot


def _start_server(
    log, log_path: Path, extra_env: Mapping[str, str] | None = None
) -> tuple[subprocess.Popen, str]:
    """Serve app.py (devtools.serving.start), or fail the test with the server's log."""
    env = server_env(DATABASE_URL=demand_url(log_path), **(extra_env or {}))
    try:
        return start(APP, log, env, STARTUP_TIMEOUT_S)
    except ServerError as error:
        log.flush()
        tail = log_path.read_text(errors="replace")[-3000:]
        pytest.fail(f"Streamlit did not start: {error}. Server log:\n{tail}", pytrace=False)


def demand_url(log_path: Path = SERVER_LOG) -> str:
    """The answer store of a served app: an SQLite file beside its log, never local-data/."""
    return f"sqlite:///{log_path.parent / (log_path.stem + '-demand.sqlite3')}"


@contextlib.contextmanager
def serve_app(log_path: Path = SERVER_LOG, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """`streamlit run app.py` from the repository root on a free port: yields the base URL once
    /_stcore/health answers 'ok', and stops the server on exit. Its output goes to log_path.

    `env` adds to (or overrides) the environment the server inherits, e.g. an owner passcode hash.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    Path(demand_url(log_path).removeprefix("sqlite:///")).unlink(missing_ok=True)
    with log_path.open("w") as log:
        process, url = _start_server(log, log_path, env)
        try:
            yield url
        finally:
            stop(process)


MISSING_CHROMIUM = "Chromium not installed: apt-get install chromium"


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def _missing(reason: str) -> NoReturn:
    """Skip a test for a missing tool, or fail it on CI, where nothing may be skipped silently."""
    if _on_ci():
        pytest.fail(f"{reason} (CI=true: the browser tests must run on CI)", pytrace=False)
    pytest.skip(reason)
