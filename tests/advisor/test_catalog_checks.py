"""The catalog's check table: each rule, broken once, is reported by file, row and column, and a
catalog broken in every way at once reports every fault in one go."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from advisor.catalog import CATALOG_FILES, CHECKS, DATA_DIR, TABLES, load_catalog
from advisor.catalog_checks import FORMATS, RULES, Check
from advisor.errors import CatalogError
from tests.corpus.catalog import set_cell

Damage = Callable[[Path], None]


@dataclass(frozen=True)
class Fault:
    """One broken rule: `damage` breaks it in a copy of data/, `problems` are the lines the
    loader must report, exactly and in order."""

    id: str
    rule: str
    damage: Damage
    problems: tuple[str, ...]


def cell(name: str, row: int, column: str, value: str) -> Damage:
    return lambda folder: set_cell(folder / name, row, column, value)


def replace(name: str, old: str, new: str, count: int = 1) -> Damage:
    def damage(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"the damage {old!r} no longer matches {name}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return damage


def append(name: str, line: str) -> Damage:
    def damage(folder: Path) -> None:
        with (folder / name).open("a", encoding="utf-8") as file:
            file.write(line + "\n")

    return damage


def drop_line(name: str, start: str) -> Damage:
    def damage(folder: Path) -> None:
        path = folder / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith(start)]
        assert len(kept) == len(lines) - 1, f"{start!r} is not one line of {name}"
        path.write_text("".join(kept), encoding="utf-8")

    return damage


GHOST_ROW = len((DATA_DIR / "manifest.csv").read_text(encoding="utf-8").splitlines()) + 1

# Each fault touches its own file or cell, so that all of them can be made at once.
FAULTS = [
    Fault(
        "id-not-an-id",
        "id",
        cell("common_ground.csv", 3, "id", "Has Merits"),
        (
            "data/common_ground.csv: row 3, column id: 'Has Merits' is not a valid id "
            "(lower-case letters, digits and _).",
        ),
    ),
    Fault(
        "id-twice",
        "id",
        cell("red_flags.csv", 3, "id", "pregnancy_later"),
        (
            "data/red_flags.csv: row 2, column id: 'pregnancy_later' is a duplicate.",
            "data/red_flags.csv: row 3, column id: 'pregnancy_later' is a duplicate.",
        ),
    ),
    Fault(
        "text-blank",
        "text",
        cell("next_steps.csv", 3, "heading", "   "),
        ("data/next_steps.csv: row 3, column heading: the cell is empty.",),
    ),
    Fault(
        "a-safety-item-without-an-address",
        "sourced",
        cell("red_flags.csv", 2, "source_url", ""),  # pregnancy_later: read on its own page
        (
            "data/red_flags.csv: row 2, column source_name: a named source needs source_url or "
            "read_at as well.",
        ),
    ),
    Fault(
        "whole-out-of-range",
        "whole",
        cell("profiles.csv", 7, "fit", "11"),
        ("data/profiles.csv: row 7, column fit: 11 is outside the allowed range (0, 10).",),
    ),
    Fault(
        "number-not-a-number",
        "number",
        cell("presets.csv", 3, "wellbeing", "lots"),
        ("data/presets.csv: row 3, column wellbeing: 'lots' is not a number.",),
    ),
    Fault(
        "version",
        "version",
        cell("manifest.csv", 3, "version", "1.0"),
        ("data/manifest.csv: row 3, column version: '1.0' is not a version such as 1.0.0.",),
    ),
    Fault(
        "date",
        "date",
        cell("manifest.csv", 4, "updated", "28/11/2026"),
        (
            "data/manifest.csv: row 4, column updated: '28/11/2026' is not a date "
            "such as 2026-11-28.",
        ),
    ),
    Fault(
        "unique",
        "unique",
        cell("manifest.csv", 6, "file", "sections.csv"),
        (
            "data/manifest.csv: row 2, column file: 'sections.csv' is a duplicate.",
            "data/manifest.csv: row 6, column file: 'sections.csv' is a duplicate.",
            "data/manifest.csv: column file: no row for 'types.csv'.",
        ),
    ),
    Fault(
        "files-does-not-exist",
        "files",
        append("manifest.csv", "ghost.csv,1.0.0,2026-11-28,Not there"),
        (f"data/manifest.csv: row {GHOST_ROW}, column file: 'ghost.csv' does not exist.",),
    ),
    Fault(
        "ref-unknown",
        "ref",
        cell("type_descriptions.csv", 4, "section", "treatment"),
        ("data/type_descriptions.csv: row 4, column section: unknown section 'treatment'.",),
    ),
    Fault(
        "every-type-has-a-step",
        "every",
        replace("next_steps.csv", "\nspa,", "\nmedical,", count=-1),
        ("data/next_steps.csv: column type_id: no row for type 'spa'.",),
    ),
    Fault(
        "every-criterion-has-a-question",
        "every",
        drop_line("survey_questions.csv", "wellbeing,"),
        ("data/survey_questions.csv: column criterion_id: no row for criterion 'wellbeing'.",),
    ),
    Fault(
        "pairs-missing",
        "pairs",
        drop_line("type_descriptions.csv", "spa,therapist_training,"),
        (
            "data/type_descriptions.csv: column text: no row gives the text of type 'spa' "
            "on dimension 'therapist_training'.",
        ),
    ),
    Fault(
        "has-a-health-criterion",
        "has",
        replace("criteria.csv", ",yes\n", ",no\n", count=-1),
        ("data/criteria.csv: column health: no row for 'yes', which the app relies on.",),
    ),
    Fault(
        "one-of-x-and-y",
        "one of",
        replace("axes.csv", ",y,", ",z,"),
        (
            "data/axes.csv: row 3, column plot: 'z' is not one of x, y.",
            "data/axes.csv: column plot: no row for 'y', which the app relies on.",
        ),
    ),
    Fault(
        "sums-to-one",
        "sums to",
        cell("segments.csv", 2, "share", "0.26"),
        ("data/segments.csv: column share: the shares add up to 1.100, not 1.",),
    ),
    Fault(
        "limits-hold",
        "limits",
        cell("service_limits.csv", 3, "max_sum", "9"),
        (
            "data/service_limits.csv: row 3, column max_sum: 'medical' has "
            "clinical_setting + calming_ambience = 11, over 9.",
            "data/service_limits.csv: row 3, column max_sum: 'spa' has "
            "clinical_setting + calming_ambience = 11, over 9.",
        ),
    ),
    Fault(
        "groups-twice-on-a-screen",
        "groups",
        cell("questionnaire.csv", 3, "criterion_id", "long_indulgent"),
        (
            "data/questionnaire.csv: row 3, column criterion_id: 'long_indulgent' is on "
            "screen 1 twice.",
        ),
    ),
    Fault(
        "groups-screen-size",
        "groups",
        cell("questionnaire.csv", 30, "screen", "7"),
        (
            "data/questionnaire.csv: column screen: screen 7 has 5 rows, not 4.",
            "data/questionnaire.csv: column screen: screen 8 has 3 rows, not 4.",
        ),
    ),
    Fault(
        "header-per-criterion",
        "number",
        replace("segments.csv", ",long_indulgent", ",long_unhurried"),
        (
            "data/segments.csv: header, column long_unhurried: not a known criterion id.",
            "data/segments.csv: header, column long_indulgent: this required column is missing.",
        ),
    ),
    Fault(
        "header-missing-column",
        "text",
        replace("dimensions.csv", "id,label,section", "id,name,section"),
        (
            "data/dimensions.csv: header, column name: this column is not expected.",
            "data/dimensions.csv: header, column label: this required column is missing.",
        ),
    ),
    # experience.csv: rows 2, 3, 5 and 6 are sourced facts for both types; 8 has no source; 9
    # and 10 are sourced; 19 is spa's only answer to "referral"
    Fault(
        "link-not-an-address",
        "link",
        cell("experience.csv", 2, "source_url", "mcpress.mayoclinic.org/x"),
        (
            "data/experience.csv: row 2, column source_url: 'mcpress.mayoclinic.org/x' is not a "
            "web address (http:// or https://).",
        ),
    ),
    Fault(
        "read-on-not-a-date",
        "date or empty",
        cell("experience.csv", 3, "read_on", "5 Dec 2026"),
        (
            "data/experience.csv: row 3, column read_on: '5 Dec 2026' is not a date such as "
            "2026-11-28.",
        ),
    ),
    Fault(
        "source-date-in-words",
        "source date",
        cell("experience.csv", 5, "source_date", "last spring"),
        (
            "data/experience.csv: row 5, column source_date: 'last spring' is not a date such as "
            "2019, 2019-07 or 2019-07-05, nor 'undated'.",
        ),
    ),
    Fault(
        "fact-for-an-unknown-type",
        "ref or",
        cell("experience.csv", 6, "type_id", "sports"),
        ("data/experience.csv: row 6, column type_id: unknown type 'sports' (or 'both').",),
    ),
    Fault(
        "a-type-left-without-an-answer",
        "covers",
        cell("experience.csv", 19, "type_id", "medical"),
        (
            "data/experience.csv: column type_id: no row for type 'spa' (or 'both') on question "
            "'referral'.",
        ),
    ),
    Fault(
        "a-source-given-by-halves",
        "sourced",
        lambda folder: [
            set_cell(folder / "experience.csv", 8, "source_date", "undated"),
            set_cell(folder / "experience.csv", 9, "read_on", ""),
            set_cell(folder / "experience.csv", 10, "read_at", ""),
        ],
        (
            "data/experience.csv: row 8, column source_name: no source is named, but "
            "source_date is filled: name the source, or empty those cells (a row with no source "
            "says in its text that none was found).",
            "data/experience.csv: row 9, column source_name: a named source needs read_on as well.",
            "data/experience.csv: row 10, column source_name: a named source needs source_url or "
            "read_at as well.",
        ),
    ),
    Fault(
        "two-articles",
        "rows",
        append("article.csv", "Another,A second article.,undated,2026-12-01"),
        ("data/article.csv: the file has 2 rows; it must have exactly 1.",),
    ),
    Fault(
        "optional-column-renamed",
        "optional",
        replace("ipdas.csv", "status,where,note", "status,where,notes"),
        (
            "data/ipdas.csv: header, column notes: this column is not expected.",
            "data/ipdas.csv: header, column note: this required column is missing.",
        ),
    ),
]


@pytest.mark.parametrize("fault", FAULTS, ids=[f.id for f in FAULTS])
def test_each_broken_rule_is_reported_by_file_row_and_column(fault: Fault, tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    fault.damage(folder)
    with pytest.raises(CatalogError) as caught:
        load_catalog(folder)
    assert tuple(caught.value.problems[: len(fault.problems)]) == fault.problems


def test_a_catalog_broken_every_way_reports_every_fault_at_once(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    for fault in FAULTS:
        fault.damage(folder)
    with pytest.raises(CatalogError) as caught:
        load_catalog(folder)
    problems = caught.value.problems
    missing = [p for f in FAULTS for p in f.problems if p not in problems]
    assert missing == []
    order = list(CATALOG_FILES)
    files = [order.index(p.split(":")[0].removeprefix("data/")) for p in problems]
    assert files == sorted(files), "problems come file by file, in the table's order"


def test_every_rule_of_the_table_has_a_fault_here() -> None:
    used = {check.rule for check in CHECKS}
    assert used <= {fault.rule for fault in FAULTS}
    assert used <= set(FORMATS) | set(RULES)


def test_every_check_names_a_file_of_the_table() -> None:
    files = {table.file for table in TABLES}
    assert {check.file for check in CHECKS} <= files
    assert all(isinstance(check, Check) for check in CHECKS)


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder, ignore=shutil.ignore_patterns("README.md"))
    return folder
