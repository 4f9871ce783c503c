"""Shared fixtures for the tests."""

from __future__ import annotations

import functools
import gc
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
import streamlit as st
from streamlit.components.v2 import manifest_scanner
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

import advisor
from advisor.catalog_cache import CACHE_ENV
from devtools.browser import CHROMIUM, CHROMIUM_ARGS
from tests.apptest_support import APP_FILE, state_problems
from tests.browser.support import MISSING_CHROMIUM, _missing

Query = Mapping[str, str | list[str]]
TESTS = Path(__file__).resolve().parent
# Tiers by folder: every test in these folders gets these markers (`make test-fast` runs
# `-m "not browser"`, which leaves out the proxy tests too).
FOLDER_MARKERS = {
    "app_pages": ("apptest",),
    "browser": ("browser",),
    "proxy": ("proxy", "browser"),
}


def pytest_collection_finish(session: pytest.Session) -> None:
    """Once the tests are collected, what is alive (modules, the collected tests and their
    parameters, alive to the end anyway) is moved out of the garbage collector's sight
    (gc.freeze): every full collection then walks only what the tests make, and the app calls
    gc.collect() itself (ui.memory.settle) each time a survey is put in use."""
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by its tier: `browser` and `proxy` by folder, `apptest` by folder, by the
    open_page fixture, or by a module that imports AppTest. A new file needs no marker."""
    for item in items:
        folder = Path(item.path).resolve().relative_to(TESTS).parts[0]
        names = set(FOLDER_MARKERS.get(folder, ()))
        if "open_page" in getattr(item, "fixturenames", ()) or (
            getattr(getattr(item, "module", None), "AppTest", None) is AppTest
        ):
            names.add("apptest")
        for name in sorted(names - {mark.name for mark in item.iter_markers()}):
            item.add_marker(name)


@pytest.fixture(scope="session", autouse=True)
def _own_catalog_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The checked catalog is kept in a folder of this test session's own (servers the tests
    start inherit it), never in the user's ~/.cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(tmp_path_factory.mktemp("catalog-cache")))
        yield


@pytest.fixture(scope="session", autouse=True)
def _components_looked_for_once() -> Iterator[None]:
    """Each AppTest looks for installed Streamlit components on its first run, reading the
    metadata of every installed package (about 0.1 s of CPU, over 500 AppTests a session): the
    installed packages do not change during a session, so they are read once."""
    scan = functools.cache(manifest_scanner.scan_component_manifests)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests", scan)
        yield


@pytest.fixture(scope="session")
def catalog() -> advisor.Catalog:
    """The catalog shipped in data/, loaded and validated once per test session."""
    return advisor.load_catalog()


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches() -> Iterator[None]:
    """st.cache_data and st.cache_resource outlive an AppTest: start every test without them."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


@pytest.fixture
def open_page() -> Iterator[Callable[..., AppTest]]:
    """Build the app from app.py, run it, and switch to a page: `open_page("app_pages/x.py")`.

    `query` sets the URL's query parameters before the first run (a share link). After the
    test, every app it opened must hold only picklable values under the kept state prefixes
    (w_, fm_, flag_, pc_): the app promises serialisable session state.
    """
    opened: list[AppTest] = []

    def _open(page: str | None = None, query: Query | None = None) -> AppTest:
        at = AppTest.from_file(str(APP_FILE), default_timeout=30)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        if page is not None:
            at.switch_page(page).run()
            assert not at.exception, [e.value for e in at.exception]
        opened.append(at)
        return at

    yield _open
    for at in opened:
        assert state_problems(at) == []


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The bytes behind every st.download_button drawn during the test, by file name.

    AppTest keeps download data in an in-memory media store it throws away after each run;
    recording what goes into it lets a test compare a download with what it should contain.
    A button whose file is made on click (data=callable) has its callable called at once.
    """
    saved: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id
    original_deferred = MediaFileManager.add_deferred

    def record(self, path_or_data, mimetype, kind, filename=None):
        if filename is not None and isinstance(path_or_data, bytes):
            saved[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    def record_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        # A button whose file is made on click (data=callable): make it now, as a click would.
        if file_name is not None:
            data = data_callable()
            saved[file_name] = data.encode("utf-8") if isinstance(data, str) else data
        return original_deferred(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    monkeypatch.setattr(MediaFileManager, "add_deferred", record_deferred)
    return saved


# --- headless Chromium: one Playwright for the whole session (tests/browser and tests/proxy) ---


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The Chromium binary to drive: /usr/bin/chromium, else `chromium` on PATH."""
    if Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    found = shutil.which("chromium")
    if found is None:
        _missing(MISSING_CHROMIUM)
    return str(found)


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


@pytest.fixture(scope="session")
def app_catalog() -> advisor.Catalog:
    """The catalog the served app reads: data/ (the server ignores MASSAGE_ADVISOR_DATA)."""
    return advisor.load_catalog()
