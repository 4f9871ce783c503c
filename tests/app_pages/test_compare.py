"""Compare page (AppTest): the four dimensions, both types' text, and charts equal to the fits."""

from __future__ import annotations

import numpy as np

from advisor.figures.client import differences_table
from tests.apptest_support import figure, numbers, title_of, values

TYPES = ("medical", "spa")


def test_compare_shows_both_types_and_the_four_dimensions(open_page, catalog):
    at = open_page("app_pages/compare.py")
    names = [catalog.type_name(t) for t in TYPES]
    dimensions = list(catalog.dimensions["label"])
    assert len(dimensions) == 4
    # every heading one level below the one before it at most (h1, h2, h3): screen readers
    # list them as the page's outline
    assert values(at.header)[:3] == [*names, "Dimension by dimension"]
    assert values(at.subheader)[:4] == dimensions
    assert values(at.subheader)[4:6] == names  # good for, less good for
    assert values(at.subheader)[6:] == list(catalog.questions["question"])

    markdown = values(at.markdown)
    for type_id in TYPES:
        assert catalog.types.at[type_id, "summary"] in markdown
    descriptions = catalog.type_descriptions
    assert len(descriptions) == 8  # one line per type and dimension
    for _, line in descriptions.iterrows():
        assert f"**{catalog.type_name(line['type_id'])}**: {line['text']}" in markdown
    captions = values(at.caption)
    for section in descriptions["section"].unique():
        assert f"Source: {catalog.section_title(section)}" in captions
    for text in catalog.common_ground["text"]:
        assert any(item.startswith(f"- {text} *(source: ") for item in markdown)


def test_compare_profile_chart_equals_the_fits(open_page, catalog):
    at = open_page("app_pages/compare.py")
    assert len(at.get("plotly_chart")) == 2
    fig = figure(at, "profile_chart")
    labels = [catalog.criterion_label(c) for c in catalog.fits.columns]
    assert [trace["name"] for trace in fig["data"]] == [catalog.type_name(t) for t in TYPES]
    for trace, type_id in zip(fig["data"], TYPES, strict=True):
        assert trace["type"] == "bar"
        assert trace["y"] == labels
        np.testing.assert_array_equal(numbers(trace["x"]), catalog.fits.loc[type_id].to_numpy())
    medical_leads = int((catalog.fits.loc["medical"] > catalog.fits.loc["spa"]).sum())
    assert title_of(fig).startswith(f"Medical massage fits better on {medical_leads}")


def test_compare_differences_chart_equals_the_fit_gaps(open_page, catalog):
    at = open_page("app_pages/compare.py")
    fig = figure(at, "differences_chart")
    (trace,) = fig["data"]
    gaps = catalog.fits.loc["medical"] - catalog.fits.loc["spa"]
    by_label = {catalog.criterion_label(c): float(gap) for c, gap in gaps.items()}
    shown = numbers(trace["x"])
    assert len(shown) == 8  # the eight widest gaps
    assert [by_label[label] for label in trace["y"]] == shown.tolist()
    # widest first, and nothing left out is wider than what is shown
    assert list(np.abs(shown)) == sorted(np.abs(shown), reverse=True)
    left_out = [abs(v) for label, v in by_label.items() if label not in trace["y"]]
    assert max(left_out) <= np.abs(shown).min()
    assert trace["y"] == differences_table(catalog)["Criterion"].head(8).tolist()
