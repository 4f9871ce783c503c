"""Shared fixtures for the tests."""

from __future__ import annotations

import pytest

import advisor


@pytest.fixture(scope="session")
def catalog() -> advisor.Catalog:
    """The catalog shipped in data/, loaded and validated once per test session."""
    return advisor.load_catalog()
