"""Cached loaders: the one place the UI reads data/ (the domain stays free of Streamlit)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from advisor import catalog_cache, files
from advisor.catalog import DATA_DIR, SAMPLE_SURVEY_FILE, Catalog, load_catalog
from advisor.errors import CatalogError, InputFileError

DATA_ENV = "MASSAGE_ADVISOR_DATA"


def data_dir() -> Path:
    """data/ beside the code, unless MASSAGE_ADVISOR_DATA points elsewhere (tests use it)."""
    return Path(os.environ.get(DATA_ENV, DATA_DIR))


READER_CODE = tuple(sorted(Path(files.__file__).parent.glob("*.py")))  # the survey reader


@st.cache_resource(max_entries=4)
def _catalog(path: str) -> Catalog:
    catalog = load_catalog(Path(path))
    key = catalog_cache.digest(catalog.data_dir, READER_CODE)
    catalog_cache.kept(f"sample-{key}", lambda: _check_sample_survey(catalog), bool)
    return catalog


def _check_sample_survey(catalog: Catalog) -> bool:
    """The shipped sample survey is part of the catalog: a damaged one stops the app with the
    file and row named (CatalogError), instead of failing on the clinic page. True once read
    well, kept (advisor.catalog_cache) while neither the data nor the reader changes, so a
    start with both unchanged neither reads it nor loads the reader."""
    from advisor.files.reading import read_survey  # only when the check runs: see above

    name = f"data/{SAMPLE_SURVEY_FILE}"
    try:
        data = (catalog.data_dir / SAMPLE_SURVEY_FILE).read_bytes()
        imported = read_survey(data, catalog.criterion_ids, name=name)
    except OSError as error:
        raise CatalogError([f"{name}: cannot be read ({error.strerror})."]) from None
    except InputFileError as error:
        raise CatalogError([str(error)]) from None
    if imported.problems or not imported.rows_kept:
        problems = [f"{name}: {problem}" for problem in imported.problems]
        raise CatalogError(problems or [f"{name}: the file has no client rows."])
    return True


def get_catalog() -> Catalog:
    """The validated catalog, loaded once per server process and data folder.

    cache_resource (not cache_data) because the catalog is read-only and shared by every visitor:
    handing out the same object avoids copying it on every rerun.
    """
    return _catalog(str(data_dir()))


@st.cache_data(max_entries=4, show_spinner=False)
def _sample_survey(path: str, criterion_ids: tuple[str, ...]) -> pd.DataFrame:
    from advisor.files.reading import read_survey  # off the cold start: see _check_sample_survey

    data = (Path(path) / SAMPLE_SURVEY_FILE).read_bytes()
    return read_survey(data, criterion_ids, name=f"data/{SAMPLE_SURVEY_FILE}").frame


def sample_survey(catalog: Catalog) -> pd.DataFrame:
    """The synthetic sample survey shipped in data/ (cache_data: callers may modify their copy)."""
    return _sample_survey(str(catalog.data_dir), catalog.criterion_ids)
