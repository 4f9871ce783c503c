"""advisor.catalog_cache: a checked catalog is kept while its files and code are unchanged, and
checked again as soon as either changes; a damaged or unwritable cache costs time, never a start."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

import advisor.catalog as catalog_module
from advisor import catalog_cache
from advisor.catalog import DATA_DIR, load_catalog
from advisor.errors import CatalogError


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(catalog_cache.CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def _checks_never_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(_folder: Path) -> None:
        raise AssertionError("the catalog was checked again")

    monkeypatch.setattr(catalog_module, "_checked", fail)


def test_a_second_load_of_the_same_files_is_not_checked_again(
    cache: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_catalog(data)
    assert len(list(cache.glob("catalog-*.pickle"))) == 1
    _checks_never_run(monkeypatch)
    again = load_catalog(data)
    assert again.criterion_ids == first.criterion_ids
    assert again.fits.equals(first.fits)
    assert again.data_dir == data


def test_a_copy_of_the_same_files_elsewhere_is_read_from_its_own_folder(
    cache: Path, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_catalog(data)
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(data, elsewhere)
    _checks_never_run(monkeypatch)
    assert load_catalog(elsewhere).data_dir == elsewhere


def test_a_changed_file_is_checked_again_and_its_fault_named(cache: Path, data: Path) -> None:
    load_catalog(data)
    criteria = data / "criteria.csv"
    criteria.write_text(criteria.read_text().replace(",Treat a health condition,", ",,", 1))
    with pytest.raises(CatalogError) as caught:
        load_catalog(data)
    assert caught.value.problems == ["data/criteria.csv: row 2, column label: the cell is empty."]
    assert len(list(cache.glob("catalog-*.pickle"))) == 1  # a failed check keeps nothing


def test_a_file_added_to_the_folder_changes_the_digest(data: Path) -> None:
    before = catalog_cache.digest(data, catalog_module.CODE)
    (data / "notes.txt").write_text("a new file")
    assert catalog_cache.digest(data, catalog_module.CODE) != before


def test_a_damaged_kept_file_is_checked_again_and_replaced(
    cache: Path, data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    load_catalog(data)
    (kept,) = cache.glob("catalog-*.pickle")
    kept.write_bytes(b"not a pickle")
    with caplog.at_level(logging.WARNING, logger=catalog_cache.__name__):
        assert load_catalog(data).criterion_ids
    assert "not read" in caplog.text
    assert kept.read_bytes() != b"not a pickle"


def test_a_cache_folder_that_cannot_be_written_still_loads(
    tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(catalog_cache.CACHE_ENV, str(blocker / "cache"))  # under a file
    with caplog.at_level(logging.WARNING, logger=catalog_cache.__name__):
        assert load_catalog(data).criterion_ids
    assert "not written" in caplog.text


def test_the_folder_keeps_only_the_newest_files(cache: Path) -> None:
    for n in range(catalog_cache.KEEP + 5):
        catalog_cache.kept(f"catalog-{n}", lambda n=n: n, int)
        os.utime(cache / f"catalog-{n}.pickle", (n, n))
    catalog_cache.kept("catalog-last", lambda: -1, int)
    names = {p.stem for p in cache.glob("*.pickle")}
    assert len(names) == catalog_cache.KEEP
    assert "catalog-last" in names and "catalog-0" not in names


def test_the_cache_folder_follows_the_environment_then_xdg(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(catalog_cache.CACHE_ENV, str(tmp_path / "own"))
    assert catalog_cache.cache_dir() == tmp_path / "own"
    monkeypatch.delenv(catalog_cache.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert catalog_cache.cache_dir() == tmp_path / "xdg" / "massage-advisor"
