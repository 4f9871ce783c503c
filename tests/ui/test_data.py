"""ui.data: the cached catalog and sample survey, and the data folder they come from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from advisor.catalog import DATA_DIR, SAMPLE_SURVEY_FILE
from advisor.errors import CatalogError
from ui.data import DATA_ENV, data_dir, get_catalog, sample_survey


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/ that the loaders read (through MASSAGE_ADVISOR_DATA)."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    monkeypatch.setenv(DATA_ENV, str(copy))
    return copy


def test_data_dir_is_data_beside_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATA_ENV, raising=False)
    assert data_dir() == DATA_DIR


def test_data_dir_follows_the_environment(data_copy: Path) -> None:
    assert data_dir() == data_copy
    assert get_catalog().data_dir == data_copy


def test_get_catalog_hands_out_one_object() -> None:
    assert get_catalog() is get_catalog()


def test_sample_survey_is_the_shipped_file(data_copy: Path) -> None:
    # data/sample_survey.csv: a header, then SYN-0001 with health_condition 6, relaxation 7.
    survey = sample_survey(get_catalog())
    assert survey.iloc[0][["client_id", "health_condition", "relaxation"]].tolist() == [
        "SYN-0001",
        6.0,
        7.0,
    ]
    lines = (data_copy / SAMPLE_SURVEY_FILE).read_text().splitlines()
    assert len(survey) == len(lines) - 1


SURVEY = f"data/{SAMPLE_SURVEY_FILE}"
HEADER = (DATA_DIR / SAMPLE_SURVEY_FILE).read_text().splitlines()[0]
FIVES = ",5" * 12  # the twelve criteria after relaxation
# The sample survey's row in data/manifest.csv, counted as a spreadsheet does (the header is row 1).
MANIFEST_ROW = 2 + [
    line.split(",")[0] for line in (DATA_DIR / "manifest.csv").read_text().splitlines()[1:]
].index(SAMPLE_SURVEY_FILE)


@pytest.mark.parametrize(
    ("content", "problems"),
    [
        (
            None,
            [
                f"data/manifest.csv: row {MANIFEST_ROW}, column file: "
                "'sample_survey.csv' does not exist."
            ],
        ),
        ("", [f"{SURVEY}: the file is empty."]),
        (f"{HEADER}\n", [f"{SURVEY}: the file has no client rows."]),
        (
            f"{HEADER}\nA,5,11{FIVES[2:]}\nB,5,5{FIVES[2:]}\n",
            [
                f"{SURVEY}: 1 answer could not be read, so it counts as blank and each client "
                "is scored on the other answers (1 outside 0..10): '11' (row 2, column "
                "'relaxation'); expected numbers 0-10 (the app's own); correct those cells, or "
                "choose the scale the survey used.",
            ],
        ),
    ],
)
def test_a_damaged_sample_survey_stops_the_catalog(
    data_copy: Path, content: str | None, problems: list[str]
) -> None:
    path = data_copy / SAMPLE_SURVEY_FILE
    if content is None:
        path.unlink()
    else:
        path.write_text(content)
    with pytest.raises(CatalogError) as raised:
        get_catalog()
    assert raised.value.problems == problems
