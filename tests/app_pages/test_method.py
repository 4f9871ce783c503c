"""Method and sources (AppTest): the fits table and its filters, the data files' versions."""

from __future__ import annotations

import csv
import hashlib

import pytest

from advisor.decision.explanation import explain
from advisor.decision.sensitivity import robustness_method
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
    assert values(at.header)[:6] == [
        "How the scoring works",
        "How the answer is worded",
        "Red flags: what each one means",
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
    assert len(manifest) == len(list((ROOT / "data").glob("*.csv"))) - 1  # all but itself
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


def test_verdict_thresholds_and_health_rule_are_stated(open_page):
    at = open_page(PAGE)
    text = "\n".join(values(at.markdown))
    assert "| Verdict | Lead (points) | Robustness (N of 100) | Style |" in text
    assert "| *clearly fits you best* | 10 or more | 90 or more | green |" in text
    assert "| *leans towards* | 5 or more | 70 or more | blue |" in text
    assert (
        "**Robustness** is the N of *in N of 100 similar sets of priorities* (above), the "
        "whole number the page shows." in text
    )
    assert "make up at least 20% of all the weight" in text
    assert "never shows the note" in text


def test_every_red_flag_names_its_public_source(open_page, catalog):
    at = open_page(PAGE)
    (table,) = [d.value for d in at.dataframe if "Red flag" in d.value.columns]
    assert table["Red flag"].tolist() == catalog.red_flags["label"].tolist()
    assert table["Address"].str.startswith("https://www.").all()
    assert "https://www.nhs.uk/conditions/deep-vein-thrombosis-dvt/" in table["Address"].tolist()
    assert table["Source"].str.len().gt(0).all()


def test_the_source_article_is_named(open_page):
    at = open_page(PAGE)
    text = "\n".join(values(at.markdown))
    assert (
        '"Medical and Orthopedic Massage — What is the difference between medical massage and '
        'spa massage?"' in text
    )
    assert "a short explainer from a massage clinic's website" in text
    assert "Its wording is not reproduced here" in text


def test_the_robustness_account_is_built_from_the_code(open_page, catalog):
    """The Method page states how Find my massage's "in N of 100 similar sets of priorities" is
    computed, with the code's own constants; the client's line uses the same words."""
    at = open_page(PAGE)
    (scoring,) = [m for m in values(at.markdown) if "**How firm it is** (robustness)" in m]
    assert f"- {robustness_method()}" in scoring
    assert "4,000 random variations" in scoring
    assert "(very sure ±1, fairly sure ±2, not sure ±3.5 points)" in scoring
    assert "3,712 of 4,000 is 92.8, shown as 93 of 100" in scoring
    assert "fixed seed (0)" in scoring
    assert "tries" not in scoring and "samples" not in scoring
    exp = explain(catalog, {"relaxation": 5, "pain_relief": 5}, "medium")
    assert "in 32 of 100 similar sets of priorities" in (exp.firmness or "")
    assert "in N of 100 similar sets of priorities" in scoring


def test_the_health_note_rule_names_its_criteria_and_the_nearest_goal_from_the_data(open_page):
    """The criteria come from criteria.csv (health = yes) and the example goal's figures from
    presets.csv: the Unwind goal puts 1 of its 44 points on them."""
    at = open_page(PAGE)
    (rule,) = [text for text in values(at.markdown) if "**The health note.**" in text]
    assert "(treat a health condition, part of my care plan, pain relief, injury recovery)" in rule
    assert (
        "The *Unwind after a hard week* goal puts 1 of its 44 points there (2%), so it never "
        "shows the note." in rule
    )


def test_the_map_axes_are_listed_from_axes_csv(open_page, catalog):
    at = open_page(PAGE)
    texts = values(at.markdown)
    for axis in catalog.map_axes:
        (line,) = [t for t in texts if t.startswith(f"- **{axis.label}**")]
        assert line.endswith(axis.meaning)
