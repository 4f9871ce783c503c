"""data/README.md documents every catalog file and every column in it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
README = (DATA / "README.md").read_text(encoding="utf-8")
CRITERIA = [row["id"] for row in csv.DictReader((DATA / "criteria.csv").open(encoding="utf-8"))]
FILES = sorted(p.name for p in DATA.glob("*.csv"))


def test_every_file_is_listed():
    assert FILES, "no catalog files found"
    missing = [name for name in FILES if f"`{name}`" not in README]
    assert missing == []


@pytest.mark.parametrize("name", FILES)
def test_every_column_is_documented(name: str):
    with (DATA / name).open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    undocumented = [
        column for column in header if column not in CRITERIA and f"| `{column}` |" not in README
    ]
    assert undocumented == [], f"{name}: columns missing from data/README.md"
