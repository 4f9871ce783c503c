"""advisor.catalog: the shipped catalog loads as designed, and every kind of damage is reported."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from advisor.catalog import (
    CHECKS,
    DATA_DIR,
    DIMENSIONS_NAMED,
    SAMPLE_SURVEY_FILE,
    TABLES,
    TYPES_NAMED,
    Catalog,
    load_catalog,
)
from advisor.catalog_checks import HAS
from advisor.decision.explanation import session_lines
from advisor.errors import CatalogError
from advisor.figures.style import TYPE_COLOURS
from tests.apptest_support import ROOT

# The criterion ids of DESIGN.md, section "Domain model", in their order there, with the
# dimension of each.
DESIGN_DIMENSIONS = {
    "health_condition": "purpose_goal",
    "relaxation": "purpose_goal",
    "wellbeing": "purpose_goal",
    "care_team": "purpose_goal",
    "pain_relief": "treatment_focus",
    "range_of_motion": "treatment_focus",
    "injury_recovery": "treatment_focus",
    "soothing_experience": "treatment_focus",
    "clinical_expertise": "therapist_training",
    "clinical_setting": "setting_environment",
    "calming_ambience": "setting_environment",
    "short_targeted": "setting_environment",
    "long_indulgent": "setting_environment",
}
DESIGN_CRITERIA = tuple(DESIGN_DIMENSIONS)


# --- the shipped catalog ------------------------------------------------------------------------


def test_criteria_are_exactly_the_thirteen_of_the_design(catalog: Catalog) -> None:
    assert catalog.criterion_ids == DESIGN_CRITERIA


def test_each_criterion_sits_in_its_design_dimension(catalog: Catalog) -> None:
    assert catalog.criteria["dimension"].to_dict() == DESIGN_DIMENSIONS


def test_criteria_by_dimension_covers_every_criterion_once(catalog: Catalog) -> None:
    groups = catalog.criteria_by_dimension()
    assert list(groups) == list(catalog.dimensions.index)
    assert sorted(c for ids in groups.values() for c in ids) == sorted(DESIGN_CRITERIA)


def test_types_are_medical_and_spa(catalog: Catalog) -> None:
    assert catalog.type_ids == ("medical", "spa")
    assert catalog.type_name("medical") == "Medical massage"
    assert catalog.type_name("spa") == "Spa massage"


def test_fits_are_a_full_types_by_criteria_grid_of_0_to_10(catalog: Catalog) -> None:
    fits = catalog.fit_array()
    assert fits.shape == (2, 13)
    assert list(catalog.fits.index) == ["medical", "spa"]
    assert tuple(catalog.fits.columns) == DESIGN_CRITERIA
    assert np.isfinite(fits).all()
    assert fits.min() >= 0
    assert fits.max() <= 10


def test_every_fit_has_a_rationale_and_a_known_source_section(catalog: Catalog) -> None:
    profiles = catalog.profiles
    assert len(profiles) == 2 * 13
    assert (profiles["rationale"].str.len() > 0).all()
    assert set(profiles["section"]) <= set(catalog.sections.index)


@pytest.mark.parametrize(
    ("criterion", "stronger", "weaker"),
    [
        ("health_condition", "medical", "spa"),
        ("injury_recovery", "medical", "spa"),
        ("clinical_setting", "medical", "spa"),
        ("relaxation", "spa", "medical"),
        ("calming_ambience", "spa", "medical"),
        ("long_indulgent", "spa", "medical"),
    ],
)
def test_fits_point_the_way_the_source_does(
    catalog: Catalog, criterion: str, stronger: str, weaker: str
) -> None:
    assert catalog.fits.at[stronger, criterion] > catalog.fits.at[weaker, criterion]


def test_at_least_five_presets_with_weights_in_range(catalog: Catalog) -> None:
    assert len(catalog.presets) >= 5
    weights = catalog.preset_weights
    assert list(weights.index) == list(catalog.presets.index)
    assert tuple(weights.columns) == DESIGN_CRITERIA
    assert ((weights >= 0) & (weights <= 10)).all().all()
    assert (weights.sum(axis=1) > 0).all(), "every preset must give a recommendation"


def test_at_least_five_segments_with_shares_adding_to_one(catalog: Catalog) -> None:
    assert len(catalog.segments) >= 5
    assert catalog.segments["share"].sum() == pytest.approx(1.0, abs=1e-9)
    assert (catalog.segments["share"] > 0).all()
    weights = catalog.segment_weights
    assert tuple(weights.columns) == DESIGN_CRITERIA
    assert ((weights >= 0) & (weights <= 10)).all().all()


def test_sample_survey_has_at_least_500_rows_of_every_criterion() -> None:
    survey = pd.read_csv(DATA_DIR / SAMPLE_SURVEY_FILE)
    assert len(survey) >= 500
    assert list(survey.columns) == ["client_id", *DESIGN_CRITERIA]
    values = survey[list(DESIGN_CRITERIA)]
    assert ((values >= 0) & (values <= 10)).all().all()
    assert survey["client_id"].is_unique


def test_versions_list_every_file_with_a_digest(catalog: Catalog) -> None:
    files = set(catalog.versions["file"])
    assert {"criteria.csv", "profiles.csv", "presets.csv", "segments.csv", SAMPLE_SURVEY_FILE} <= (
        files
    )
    assert catalog.versions["sha256"].str.fullmatch(r"[0-9a-f]{12}").all()


def test_section_and_label_lookups(catalog: Catalog) -> None:
    assert catalog.section_title("purpose_goal") == "Purpose and Goal"
    assert catalog.criterion_label("relaxation") == "Relaxation"


def test_lookups_agree_with_the_frames_and_refuse_an_unknown_id(catalog: Catalog) -> None:
    for sid, title in catalog.sections["title"].items():
        assert catalog.section_title(sid) == str(title)
    for cid, label in catalog.criteria["label"].items():
        assert catalog.criterion_label(cid) == str(label)
    for tid, name in catalog.types["name"].items():
        assert catalog.type_name(tid) == str(name)
    for lookup in (catalog.section_title, catalog.criterion_label, catalog.type_name):
        with pytest.raises(KeyError):
            lookup("no_such_id")
    assert catalog.display_name("no_such_id") == "no_such_id"


def test_load_catalog_accepts_a_copy_of_data_in_another_folder(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    loaded = load_catalog(copy)
    assert loaded.data_dir == copy
    assert loaded.criterion_ids == DESIGN_CRITERIA


# --- damaged catalogs ---------------------------------------------------------------------------

# Each case: the file to damage, the text to replace (None deletes the file), its replacement, and
# patterns the first problem (the CatalogError message) must contain. Rows count the header as 1:
# profiles.csv row 4 is "medical,relaxation,3,...", row 5 is "spa,relaxation,10,...".
SPA_RELAXATION_ROW = (
    'spa,relaxation,10,"Relaxation and stress relief are named as the main focus of spa massage.",'
    "purpose_goal\n"
)
DAMAGES = [
    pytest.param(
        "profiles.csv",
        "medical,relaxation,3,",
        "medical,relaxing,3,",
        ["data/profiles.csv", "row 4", "column criterion_id", "'relaxing'"],
        id="unknown-criterion-in-profiles",
    ),
    pytest.param(
        "criteria.csv",
        "wellbeing,General well-being,",
        "relaxation,General well-being,",
        ["data/criteria.csv", r"row [34]", "column id", "'relaxation'", "duplicate"],
        id="duplicate-criterion-id",
    ),
    pytest.param(
        "profiles.csv",
        "spa,relaxation,10,",
        "spa,relaxation,12,",
        ["data/profiles.csv", "row 5", "column fit", "12", "range"],
        id="fit-of-12",
    ),
    pytest.param(
        "profiles.csv",
        "medical,relaxation,3,",
        "medical,relaxation,abc,",
        ["data/profiles.csv", "row 4", "column fit", "'abc'", "not a number"],
        id="fit-abc",
    ),
    pytest.param(
        "profiles.csv",
        SPA_RELAXATION_ROW,
        "",
        ["data/profiles.csv", "column fit", "'spa'", "'relaxation'"],
        id="missing-profile-row",
    ),
    pytest.param(
        "presets.csv",
        ",calming_ambience,",
        ",candlelight,",
        ["data/presets.csv", "header", "column candlelight", "not a known criterion"],
        id="preset-column-unknown-criterion",
    ),
    pytest.param(
        "segments.csv",
        '0.20,"AMTA',
        '0.50,"AMTA',
        ["data/segments.csv", "column share", "1.300", "not 1"],
        id="segment-shares-not-one",
    ),
    pytest.param(
        "types.csv",
        None,
        None,
        ["data/types.csv", "missing"],
        id="missing-file",
    ),
    pytest.param(
        "presets.csv",
        "injury,Recover from an injury,",
        "Injury!,Recover from an injury,",
        ["data/presets.csv", "row 2", "column id", "'Injury!'", "not a valid id"],
        id="preset-id-not-an-id",
    ),
    pytest.param(
        "segments.csv",
        "referred_patient,Referred patients,",
        "referred_patient,,",
        ["data/segments.csv", "row 2", "column label", "empty"],
        id="segment-label-empty",
    ),
    pytest.param(
        "criteria.csv",
        "clinical_expertise,Clinically trained therapist,",
        "clinical_expertise,Clinically trained therapist,,",
        ["data/criteria.csv", "line 10"],
        id="criteria-row-with-extra-cell",
    ),
]


def _damaged_copy(tmp_path: Path, name: str, old: str | None, new: str | None) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / name
    if old is None:
        path.unlink()
        return data
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"the damage {old!r} no longer matches {name}"
    path.write_text(text.replace(old, new or "", 1), encoding="utf-8")
    return data


@pytest.mark.parametrize(("name", "old", "new", "patterns"), DAMAGES)
def test_damaged_catalog_names_file_row_and_column(
    tmp_path: Path, name: str, old: str | None, new: str | None, patterns: list[str]
) -> None:
    data = _damaged_copy(tmp_path, name, old, new)
    with pytest.raises(CatalogError) as caught:
        load_catalog(data)
    message = str(caught.value)
    for pattern in patterns:
        assert re.search(pattern, message), f"{pattern!r} not in {message!r}"
    assert caught.value.problems, "a CatalogError lists its problems"
    assert message.startswith(caught.value.problems[0])


@pytest.mark.parametrize(("name", "old", "new", "patterns"), DAMAGES)
def test_every_listed_problem_is_plain_words_about_the_damaged_file(
    tmp_path: Path, name: str, old: str | None, new: str | None, patterns: list[str]
) -> None:
    data = _damaged_copy(tmp_path, name, old, new)
    with pytest.raises(CatalogError) as caught:
        load_catalog(data)
    for problem in caught.value.problems:
        assert problem.startswith(f"data/{name}:"), problem
        assert "\n" not in problem
        assert "Error(" not in problem, f"a Python exception leaks into {problem!r}"
        assert "whole file" not in problem, f"{problem!r} does not name the row"


def test_unknown_criterion_also_reports_the_profile_left_missing(tmp_path: Path) -> None:
    data = _damaged_copy(tmp_path, "profiles.csv", "medical,relaxation,3,", "medical,relaxing,3,")
    with pytest.raises(CatalogError) as caught:
        load_catalog(data)
    problems = caught.value.problems
    assert len(problems) == 2
    assert "(and 1 more)" in str(caught.value)
    assert "'medical' on criterion 'relaxation'" in problems[1]


def test_every_fault_is_reported_at_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    profiles = data / "profiles.csv"
    text = profiles.read_text(encoding="utf-8")
    text = text.replace("spa,relaxation,10,", "spa,relaxation,12,", 1)
    text = text.replace("medical,health_condition,10,", "medical,health_condition,11,", 1)
    profiles.write_text(text, encoding="utf-8")
    (data / "red_flags.csv").unlink()
    with pytest.raises(CatalogError) as caught:
        load_catalog(data)
    problems = caught.value.problems
    assert any("data/red_flags.csv" in p and "missing" in p for p in problems)
    assert any("row 2, column fit" in p and "11" in p for p in problems)
    assert any("row 5, column fit" in p and "12" in p for p in problems)


def test_a_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    (data / "sections.csv").write_bytes("id,title\novervi\xe9w,Caf\xe9\n".encode("latin-1"))
    with pytest.raises(CatalogError, match=r"data/sections\.csv: cannot be read as UTF-8"):
        load_catalog(data)


def test_manifest_naming_a_file_that_does_not_exist(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    with (data / "manifest.csv").open("a", encoding="utf-8") as manifest:
        manifest.write("ghost.csv,1.0.0,2026-11-28,Not there\n")
    row = len((DATA_DIR / "manifest.csv").read_text(encoding="utf-8").splitlines()) + 1
    with pytest.raises(CatalogError, match=rf"data/manifest\.csv: row {row}, column file: 'ghost"):
        load_catalog(data)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "extra,pain_relief,no_such,10,Why,treatment_focus",
            r"data/service_limits\.csv: row 6, column criterion_b: unknown criterion 'no_such'",
        ),
        (
            "tight,short_targeted,long_indulgent,10,Why,setting_environment",
            r"data/service_limits\.csv: row 6, column max_sum: 'spa' has "
            r"short_targeted \+ long_indulgent = 11, over 10",
        ),
    ],
)
def test_service_limits_are_checked(tmp_path: Path, row: str, message: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    with (data / "service_limits.csv").open("a", encoding="utf-8") as limits:
        limits.write(row + "\n")
    with pytest.raises(CatalogError, match=message):
        load_catalog(data)


# --- ids the code relies on ---------------------------------------------------------------------

# Each case: the file, the text replaced, its replacement, and the problem that must come first.
REQUIRED_DAMAGES = [
    pytest.param(
        "types.csv",
        "spa,Spa massage,",
        "day_spa,Spa massage,",
        "data/types.csv: column id: no row for type 'spa', which the app relies on.",
        id="type-spa",
    ),
    pytest.param(
        "types.csv",
        "medical,Medical massage,",
        "clinical,Medical massage,",
        "data/types.csv: column id: no row for type 'medical', which the app relies on.",
        id="type-medical",
    ),
    pytest.param(
        "dimensions.csv",
        "therapist_training,Therapist training,",
        "therapist_credentials,Therapist training,",
        "data/dimensions.csv: column id: no row for dimension 'therapist_training', "
        "which the app relies on.",
        id="dimension-therapist-training",
    ),
    pytest.param(
        "dimensions.csv",
        "setting_environment,Setting and environment,",
        "setting,Setting and environment,",
        "data/dimensions.csv: column id: no row for dimension 'setting_environment', "
        "which the app relies on.",
        id="dimension-setting-environment",
    ),
    pytest.param(
        "axes.csv",
        "Experience focus,y,",
        "Experience focus,z,",
        "data/axes.csv: row 3, column plot: 'z' is not one of x, y.",
        id="axis-plot-not-x-or-y",
    ),
    pytest.param(
        "axes.csv",
        "Experience focus,y,",
        "Experience focus,x,",
        "data/axes.csv: row 2, column plot: 'x' is a duplicate.",
        id="two-x-axes",
    ),
    pytest.param(
        "criteria.csv",
        ",experience,no\nwellbeing,",
        ",lifestyle,no\nwellbeing,",
        "data/criteria.csv: row 3, column axis: unknown axis 'lifestyle'.",
        id="criterion-on-an-unknown-axis",
    ),
    pytest.param(
        "criteria.csv",
        ",therapeutic,yes\n",
        ",therapeutic,maybe\n",
        "data/criteria.csv: row 2, column health: 'maybe' is not one of yes, no.",
        id="health-not-yes-or-no",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "problem"), REQUIRED_DAMAGES)
def test_a_catalog_without_a_role_the_code_needs_is_refused(
    tmp_path: Path, name: str, old: str, new: str, problem: str
) -> None:
    data = _damaged_copy(tmp_path, name, old, new)
    with pytest.raises(CatalogError) as caught:
        load_catalog(data)
    assert caught.value.problems[0] == problem


def test_a_catalog_with_no_health_criterion_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    criteria = data / "criteria.csv"
    criteria.write_text(criteria.read_text(encoding="utf-8").replace(",yes\n", ",no\n"))
    with pytest.raises(CatalogError) as caught:
        load_catalog(data)
    assert caught.value.problems == [
        "data/criteria.csv: column health: no row for 'yes', which the app relies on."
    ]


def test_a_catalog_with_an_axis_no_criterion_counts_towards_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    criteria = data / "criteria.csv"
    text = criteria.read_text(encoding="utf-8").replace(",experience,", ",therapeutic,")
    criteria.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(data)
    expected = "data/criteria.csv: column axis: no row for axis 'experience'."
    assert caught.value.problems == [expected]


def _named(file: str) -> set[str]:
    """The ids of `file` that the check table says the code relies on."""
    key = next(t.key for t in TABLES if t.file == file)
    return {
        value
        for check in CHECKS
        if (check.file, check.column, check.rule) == (file, key, HAS)
        for value in check.ref
    }


def test_the_code_names_only_the_two_types_and_two_dimensions() -> None:
    assert _named("types.csv") == set(TYPES_NAMED) == {"medical", "spa"}
    assert _named("dimensions.csv") == set(DIMENSIONS_NAMED)
    assert _named("criteria.csv") == _named("sections.csv") == set()
    assert set(TYPE_COLOURS) <= set(TYPES_NAMED)


def test_the_health_group_and_the_axes_come_from_the_catalog(catalog: Catalog) -> None:
    assert catalog.health_criteria == (
        "health_condition",
        "care_team",
        "pain_relief",
        "injury_recovery",
    )
    x_axis, y_axis = catalog.map_axes
    assert (x_axis.id, x_axis.label) == ("therapeutic", "Therapeutic focus")
    assert (y_axis.id, y_axis.label) == ("experience", "Experience focus")
    covered = sorted([*x_axis.criteria, *y_axis.criteria])
    assert covered == sorted(catalog.criterion_ids), "every criterion on exactly one axis"


def test_session_lines_cite_only_the_sections_of_the_named_dimensions(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    title = Catalog.section_title
    monkeypatch.setattr(Catalog, "section_title", lambda self, s: asked.append(s) or title(self, s))
    for type_id in catalog.type_ids:
        session_lines(catalog, type_id)
    sections = set(catalog.dimensions.loc[list(DIMENSIONS_NAMED), "section"])
    assert asked and set(asked) <= sections


def _string_literals(path: Path) -> set[str]:
    return {
        node.value
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


CODE_FILES = [
    ROOT / "app.py",
    *(
        path
        for folder in ("advisor", "ui", "app_pages")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path.name != "catalog.py"
    ),
]


def test_every_catalog_id_written_in_the_code_is_required(catalog: Catalog) -> None:
    """A type, section, dimension, criterion, axis or red flag id written as a string in the code
    must be one the check table insists on (a dimension id doubles as its section's id):
    otherwise a catalog without it loads and a page fails later. Only two types and two
    dimensions are named; every group, axis and flag is read from data/."""
    known = {
        "type": (set(catalog.type_ids), _named("types.csv")),
        "section": (set(catalog.sections.index), _named("dimensions.csv")),
        "dimension": (set(catalog.dimensions.index), _named("dimensions.csv")),
        "criterion": (set(catalog.criterion_ids), _named("criteria.csv")),
        "axis": (set(catalog.axes.index), set()),
        "red flag": (set(catalog.red_flags.index), set()),
    }
    unchecked = [
        f"{path.relative_to(ROOT)}: {kind} {literal!r}"
        for path in CODE_FILES
        for literal in _string_literals(path)
        for kind, (ids, required) in known.items()
        if literal in ids and literal not in required
    ]
    assert unchecked == []
