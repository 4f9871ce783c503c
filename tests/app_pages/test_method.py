"""Method and sources (AppTest): the fits table and its filters, the data files' versions."""

from __future__ import annotations

import csv
import hashlib

import pytest

from tests.apptest_support import ROOT, values

PAGE = "app_pages/method.py"
DIMENSIONS = ["purpose_goal", "treatment_focus", "therapist_training", "setting_environment"]


def fits_table(at):
    (table,) = [d.value for d in at.dataframe if "Fit (0-10)" in d.value.columns]
    return table


def versions_table(at):
    (table,) = [d.value for d in at.dataframe if "File" in d.value.columns]
    return table


def filter_fits(at, types, dimensions):
    at.multiselect(key="method_types").set_value(types)
    at.multiselect(key="method_dimensions").set_value(dimensions)
    return at.run()


def test_dimension_ids_are_the_catalogs(catalog):
    assert list(catalog.dimensions.index) == DIMENSIONS


def test_every_fit_is_listed_with_its_reason_and_source(open_page, catalog):
    at = open_page(PAGE)
    table = fits_table(at)
    assert len(table) == 26
    assert list(table.columns) == ["Type", "Dimension", "Criterion", "Fit (0-10)", "Why", "Source"]
    assert "26 of 26 fits shown." in values(at.caption)
    rows = {(r.Type, r.Criterion): r for r in table.itertuples(index=False)}
    for _, profile in catalog.profiles.iterrows():
        row = rows[
            (
                catalog.type_name(profile["type_id"]),
                catalog.criterion_label(profile["criterion_id"]),
            )
        ]
        assert row[3] == profile["fit"]
        assert row.Why == profile["rationale"]
        assert row.Source == catalog.section_title(profile["section"])
    assert values(at.header)[:4] == [
        "How the scoring works",
        "The positioning map",
        "Every fit, with its reason",
        "The source",
    ]
    assert any(
        w.startswith("Massage Advisor compares kinds of massage") for w in values(at.warning)
    )


@pytest.mark.parametrize(
    ("types", "dimensions", "rows"),
    [
        (["medical"], DIMENSIONS, 13),
        (["spa"], DIMENSIONS, 13),
        (["medical", "spa"], ["purpose_goal"], 8),
        (["medical", "spa"], ["treatment_focus"], 8),
        (["medical", "spa"], ["therapist_training"], 2),
        (["medical", "spa"], ["setting_environment"], 8),
        (["spa"], ["setting_environment"], 4),
        (["medical"], ["purpose_goal", "therapist_training"], 5),
        ([], DIMENSIONS, 0),
        (["medical", "spa"], [], 0),
    ],
)
def test_filters_show_the_expected_rows(open_page, catalog, types, dimensions, rows):
    at = open_page(PAGE)
    filter_fits(at, types, dimensions)
    table = fits_table(at)
    assert len(table) == rows
    assert f"{rows} of 26 fits shown." in values(at.caption)
    assert set(table["Type"]) <= {catalog.type_name(t) for t in types}
    labels = {catalog.dimensions.at[d, "label"] for d in dimensions}
    assert set(table["Dimension"]) <= labels
    # the count follows the catalog: types chosen x criteria in the chosen dimensions
    criteria = catalog.criteria[catalog.criteria["dimension"].isin(dimensions)]
    assert rows == len(types) * len(criteria)


def test_versions_table_lists_every_manifest_file(open_page):
    with (ROOT / "data" / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        manifest = list(csv.DictReader(handle))
    assert len(manifest) == 12
    at = open_page(PAGE)
    table = versions_table(at)
    assert table["File"].tolist() == [row["file"] for row in manifest]
    assert table["Version"].astype(str).tolist() == [row["version"] for row in manifest]
    assert table["What it holds"].tolist() == [row["description"] for row in manifest]
    checksums = [
        hashlib.sha256((ROOT / "data" / row["file"]).read_bytes()).hexdigest()[:12]
        for row in manifest
    ]
    assert table["SHA-256"].tolist() == checksums
