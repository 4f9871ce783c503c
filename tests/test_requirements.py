"""requirements.txt: every runtime dependency says why the app needs it, in a comment above it."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_runtime_requirement_has_a_reason() -> None:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()[1:]
    unexplained, explained = [], False
    for line in (raw.strip() for raw in lines):
        if not line:
            explained = False
        elif line.startswith("#"):
            explained = True
        elif not explained:
            unexplained.append(line)
    assert unexplained == []
