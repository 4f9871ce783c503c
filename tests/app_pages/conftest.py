"""Page tests: each test gets its own throw-away answer store, so a menu or answers saved on
this machine (local-data/) never reach a page under test."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _own_answer_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'demand.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url
