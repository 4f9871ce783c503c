"""A damaged data/ folder: each case damages a fresh copy, and lists every problem the app must
name (file, row and column), in order. The app then shows one error page, never a traceback.

`loader` is False for damage that only the app notices: the sample survey is read by the app's
clinic page, not by advisor.load_catalog (the command line does not need it).
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from advisor.catalog import CATALOG_FILES, DATA_DIR, SAMPLE_SURVEY_FILE

SAMPLE_ROWS = sum(1 for _ in (DATA_DIR / SAMPLE_SURVEY_FILE).open(encoding="utf-8")) - 1


@dataclass(frozen=True)
class CatalogCase:
    id: str
    what: str
    damage: Callable[[Path], None]
    problems: tuple[str, ...]
    loader: bool = True


def damaged_copy(case: CatalogCase, into: Path) -> Path:
    """A copy of data/ in `into`, damaged as the case says; returns the folder to point at."""
    folder = into / "data"
    shutil.copytree(DATA_DIR, folder, ignore=shutil.ignore_patterns("README.md"))
    case.damage(folder)
    return folder


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell, `row` counted as a spreadsheet does (the header is row 1)."""
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    rows[row - 2][column] = value
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _remove(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).unlink()


def _write(name: str, data: bytes) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(data)


def _append(name: str, line: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        with (folder / name).open("a", encoding="utf-8") as file:
            file.write(line)

    return damage


def _cell(name: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    return lambda folder: set_cell(folder / name, row, column, value)


def _latin1(name: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        path = folder / name
        path.write_bytes(
            path.read_bytes().replace(b"Relaxation", "Relaxaci\u00f3n".encode("latin-1"))
        )

    return damage


def _drop_column(name: str, column: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        path = folder / name
        rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
        fields = [f for f in rows[0] if f != column]
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, fieldnames=fields, extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")

    return damage


def _remove_folder(folder: Path) -> None:
    shutil.rmtree(folder)


SAMPLE = f"data/{SAMPLE_SURVEY_FILE}"
BAD_SAMPLE_ROW = "broken-client," + ",".join(["x"] + ["5"] * 12) + "\n"

CATALOG_CASES: list[CatalogCase] = [
    CatalogCase(
        "missing_file",
        "a catalog file deleted",
        _remove("profiles.csv"),
        ("data/profiles.csv: the file is missing.",),
    ),
    CatalogCase(
        "text_in_fit",
        "text in a number cell",
        _cell("profiles.csv", 4, "fit", "eleven"),
        ("data/profiles.csv: row 4, column fit: 'eleven' is not a number.",),
    ),
    CatalogCase(
        "fit_out_of_range",
        "a fit of 12",
        _cell("profiles.csv", 4, "fit", "12"),
        ("data/profiles.csv: row 4, column fit: 12 is outside the allowed range (0, 10).",),
    ),
    CatalogCase(
        "negative_weight",
        "a preset weight of -1",
        _cell("presets.csv", 2, "relaxation", "-1"),
        ("data/presets.csv: row 2, column relaxation: -1.0 is outside the allowed range (0, 10).",),
    ),
    CatalogCase(
        "bad_id",
        "an id with spaces and capitals",
        _cell("red_flags.csv", 3, "id", "Bad Id"),
        (
            "data/red_flags.csv: row 3, column id: 'Bad Id' is not a valid id "
            "(lower-case letters, digits and _).",
        ),
    ),
    CatalogCase(
        "empty_value",
        "an empty label",
        _cell("criteria.csv", 3, "label", ""),
        ("data/criteria.csv: row 3, column label: the cell is empty.",),
    ),
    CatalogCase(
        "missing_column",
        "a required column removed",
        _drop_column("common_ground.csv", "section"),
        ("data/common_ground.csv: header, column section: this required column is missing.",),
    ),
    CatalogCase(
        "empty_file",
        "a catalog file emptied",
        _write("types.csv", b""),
        ("data/types.csv: cannot be read as UTF-8 CSV (No columns to parse from file).",),
    ),
    CatalogCase(
        "not_utf8",
        "a catalog file saved as Latin-1",
        _latin1("criteria.csv"),
        (
            "data/criteria.csv: cannot be read as UTF-8 CSV ('utf-8' codec can't decode byte "
            "0xf3 in position",
        ),
    ),
    CatalogCase(
        "folder_missing",
        "the whole data folder missing",
        _remove_folder,
        tuple(f"data/{name}: the file is missing." for name in CATALOG_FILES),
    ),
    CatalogCase(
        "sample_survey_empty",
        "the sample survey emptied",
        _write(SAMPLE_SURVEY_FILE, b""),
        (f"{SAMPLE}: the file is empty.",),
        loader=False,
    ),
    CatalogCase(
        "sample_survey_binary",
        "the sample survey overwritten with binary data",
        _write(SAMPLE_SURVEY_FILE, bytes(range(256))),
        (
            f"{SAMPLE}: this is not a text CSV file (it contains binary data); upload a CSV or "
            "an Excel workbook (.xlsx, .xls, .ods), or save the file as CSV UTF-8.",
        ),
        loader=False,
    ),
    CatalogCase(
        "sample_survey_bad_row",
        "a row of the sample survey with text in a number cell",
        _append(SAMPLE_SURVEY_FILE, BAD_SAMPLE_ROW),
        (
            f"{SAMPLE}: 1 answer could not be read, so it counts as blank and each client is "
            f"scored on the other answers (1 not a number): 'x' (row {SAMPLE_ROWS + 2}, column "
            "'health_condition'); expected numbers 0-10 (the app's own); correct those cells, "
            "or choose the scale the survey used.",
        ),
        loader=False,
    ),
]
