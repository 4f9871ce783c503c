"""Method and sources (AppTest): the fits table and its filters, the data files' versions."""

from __future__ import annotations

import csv
import hashlib

import pytest
from streamlit.testing.v1 import AppTest

from advisor.decision.explanation import explain
from advisor.decision.sensitivity import robustness_method
from tests.apptest_support import ROOT, values, walk
from ui.method_ipdas import EXPERTS
from ui.widgets import escape_md

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
    assert values(at.header) == [
        "How the app works",
        "Every fit, with its reason",
        "The source",
        "Who made this",
        "Dates and updates",
        "Sources and dates",
        "How this app meets the standards for decision aids",
        "Disclaimer",
        # in the closed section for experts
        "The scoring model",
        "How the answer is worded",
        "Red flags: what each one means",
        "Every fit as a table",
        "The positioning map",
        "The priorities questionnaire",
        "Data files",
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
    assert "A short explainer on a massage clinic's website." in text
    assert "We read it on 28 November 2026." in text
    assert "We do not copy its words" in text


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


TECHNICAL = ("multinomial logit", "penalised maximum likelihood", "seed", "SHA-256", "data/")


def _outside_experts(at) -> str:
    (experts,) = [e for e in at.expander if e.label == EXPERTS]
    inside = {id(node) for node in walk(experts)}
    kinds = ("markdown", "caption", "text", "info", "warning", "header", "subheader")
    return "\n".join(
        str(node.value)
        for node in walk(at.main)
        if id(node) not in inside and getattr(node, "type", None) in kinds
    )


def test_the_technical_account_is_only_in_the_section_for_experts(open_page):
    at = open_page(PAGE)
    (experts,) = [e for e in at.expander if e.label == EXPERTS]
    assert experts.proto.expanded is False  # closed until opened
    inside = "\n".join(m.value for m in experts.markdown)
    outside = _outside_experts(at)
    for word in TECHNICAL:
        assert word in inside or word == "data/", word
        assert word not in outside, word


def test_every_decision_aid_standard_is_listed_with_where_it_is_met(open_page, catalog):
    at = open_page(PAGE)
    text = "\n".join(values(at.markdown))
    for _, row in catalog.ipdas.iterrows():
        assert f"*{row['criterion']}* " in text
        if row["where"]:
            assert f"Where: {row['where']}" in text
    assert (
        "- 2.3.1 *It says who made it and who pays for it.* :material/check_circle: **Met.**"
        in (text)
    )
    assert "- 1.2.1 *It helps you picture what each option is like.* :material/contrast:" in text
    captions = values(at.caption)
    assert "6 items: 4 met, 2 partly met, 0 not met." in captions  # qualifying
    assert "6 items: 5 met, 1 partly met, 0 not met." in captions  # certification
    assert any(c.startswith("Source: Joseph-Williams N") for c in captions)


def test_who_made_it_the_update_policy_and_every_source_with_dates(open_page, catalog):
    at = open_page(PAGE)
    text = "\n".join(values(at.markdown))
    assert "- **Made by:** The Massage Advisor project" in text
    assert "We check all the data at least once every 12 months" in text
    assert "This copy does not name a contact yet" in text
    entries = [m for m in values(at.markdown) if m.startswith("**[")]
    assert any(
        escape_md("What people ask: How long is a session?") in e
        and "Undated; read on 5 December 2026. We read it through a copy at https" in e
        for e in entries
    )
    for name in set(catalog.experience["source_name"]) - {""}:
        assert any(f"**[{escape_md(name)}](http" in e for e in entries), name


def test_a_refused_setting_is_named_on_the_method_page():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.secrets["deployment"] = {"made_by": "", "paid_by": "Us"}
    at.run()
    at.switch_page(PAGE).run()
    warnings = values(at.warning)
    assert any("'made\\_by' is empty, so the default is used" in w for w in warnings)
    assert any("'paid\\_by' is not known and is ignored" in w for w in warnings)
    assert "- **Made by:** The Massage Advisor project" in "\n".join(values(at.markdown))


def test_every_fit_reads_as_stacked_text_for_clients(open_page, catalog):
    at = open_page(PAGE)
    text = "\n".join(values(at.markdown))
    for _, row in catalog.profiles.iterrows():
        line = (
            f"  - {catalog.type_name(row['type_id'])}: **{row['fit']}**. {row['rationale']} "
            f"*(source: {catalog.section_title(row['section'])})*"
        )
        assert line in text
    for label in catalog.dimensions["label"]:
        assert any(m.startswith(f"**{label}**\n\n- **") for m in values(at.markdown))
