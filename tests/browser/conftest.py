"""Fixtures for the browser tests: a served app, headless Chromium, and waiting helpers.

Every test here is marked `browser`. Without Chromium the tests skip with a reason, except on CI
(CI=true), where a missing browser fails the run instead of passing it silently.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.browser.support import ACTION_TIMEOUT_MS, ROOT, SCREENSHOTS, VIEWPORTS, wait_for_app

SERVER_LOG = ROOT / "artifacts" / "browser-tests-streamlit.log"
CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MISSING_CHROMIUM = "Chromium not installed: apt-get install chromium"
STARTUP_TIMEOUT_S = 60


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def _missing(reason: str) -> None:
    """Skip a test for a missing tool, or fail it on CI, where nothing may be skipped silently."""
    if _on_ci():
        pytest.fail(f"{reason} (CI=true: the browser tests must run on CI)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The Chromium binary to drive: /usr/bin/chromium, else `chromium` on PATH."""
    if Path(CHROMIUM_PATH).is_file() and os.access(CHROMIUM_PATH, os.X_OK):
        return CHROMIUM_PATH
    found = shutil.which("chromium")
    if found is None:
        _missing(MISSING_CHROMIUM)
    return str(found)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _start_server(log) -> tuple[subprocess.Popen, str]:
    """Serve app.py on a free port; retry on a new port if another process took it first."""
    env = {k: v for k, v in os.environ.items() if k != "MASSAGE_ADVISOR_DATA"}
    env["PYTHONUNBUFFERED"] = "1"
    last_problem = ""
    for _attempt in range(3):
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
        ]
        log.write(f"$ {' '.join(command)}\n")
        log.flush()
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if process.poll() is not None:
                last_problem = f"the server exited with code {process.returncode}"
                break
            if _healthy(url):
                return process, url
            time.sleep(0.25)
        else:
            last_problem = f"/_stcore/health did not answer 'ok' within {STARTUP_TIMEOUT_S} s"
        _stop(process)
    log.flush()
    tail = SERVER_LOG.read_text(errors="replace")[-3000:]
    pytest.fail(f"Streamlit did not start: {last_problem}. Server log:\n{tail}", pytrace=False)


@pytest.fixture(scope="session")
def app_url(chromium_executable: str) -> Iterator[str]:
    """The base URL of the app, served by `streamlit run app.py` for the whole session.

    It depends on chromium_executable so that no server starts when the tests would skip.
    """
    SERVER_LOG.parent.mkdir(parents=True, exist_ok=True)
    with SERVER_LOG.open("w") as log:
        process, url = _start_server(log)
        try:
            yield url
        finally:
            _stop(process)


@pytest.fixture(scope="session")
def browser(chromium_executable: str):
    """Headless Chromium through Playwright's sync API, shared by the session's tests."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _missing("Playwright is not installed: pip install -r requirements-dev.txt")
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(
                executable_path=chromium_executable, args=CHROMIUM_ARGS, headless=True
            )
        except Error as error:
            _missing(f"Chromium at {chromium_executable} does not start: {error}")
        try:
            yield launched
        finally:
            launched.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell that a test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def open_page(browser, app_url: str, request) -> Iterator[Callable]:
    """open_page(path, size="desktop"): a new page in a fresh browser context (so a new app
    session), opened at app_url/path and waited on until the app's run is over.

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
        page.goto(f"{app_url}/{path.lstrip('/')}", wait_until="domcontentloaded")
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
