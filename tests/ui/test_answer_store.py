"""ui.answer_store: one store per database URL, and the owner's passcode hash from its sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.answer_store import OWNER_HASH, get_store, owner_hash


def test_one_store_per_database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'a.sqlite3'}")
    first = get_store()
    assert get_store() is first
    assert first.url == f"sqlite:///{tmp_path / 'a.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'b.sqlite3'}")
    assert get_store() is not first


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ("pbkdf2_sha256$1$salt$hash", "pbkdf2_sha256$1$salt$hash"),
        ("  pbkdf2_sha256$1$salt$hash\n", "pbkdf2_sha256$1$salt$hash"),  # stray spaces go
        ("", ""),  # no hash: the owner view explains and shows nothing
        (None, ""),
    ],
)
def test_owner_hash_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, environment: str | None, expected: str
) -> None:
    if environment is None:
        monkeypatch.delenv(OWNER_HASH, raising=False)
    else:
        monkeypatch.setenv(OWNER_HASH, environment)
    assert owner_hash() == expected
