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


def test_what_people_ask_answers_every_question_for_both_types_with_sources(open_page, catalog):
    at = open_page("app_pages/compare.py")
    markdown = "\n".join(values(at.markdown))
    for _, fact in catalog.experience.iterrows():
        assert fact["text"] in markdown, fact["text"]
    # a fact with a source names it, links it and dates it; one without says so
    assert (
        "It should not hurt much. A tight spot can feel uncomfortable while it is worked on. If "
        "it hurts, say so and ask for lighter pressure. *Source: [Mayo Clinic Press (Mayo Clinic "
        "Health Letter): What to expect during a massage therapist visit](https://mcpress."
        "mayoclinic.org/healthletter/what-to-expect-during-a-massage-therapist-visit/), undated; "
        "read on 5 December 2026.*" in markdown
    )
    assert (
        "*Source: [American Massage Therapy Association (AMTA): 2008 Massage Therapy Industry "
        "Fact Sheet](https://www.massagemag.com/2008-massage-therapy-industry-fact-sheet-898/), "
        "2008; read on 5 December 2026 through a copy.*" in markdown
    )
    no_source = catalog.experience[catalog.experience["source_name"] == ""]
    assert markdown.count("*No public source found.*") == len(no_source) == 4


def test_a_question_with_answers_for_each_type_sets_them_side_by_side(open_page, catalog):
    at = open_page("app_pages/compare.py")
    sessions = [m for m in values(at.markdown) if "How many" not in m and "10 sessions" in m]
    (medical,) = sessions
    assert medical.startswith("**Medical massage:**\n\n- It is often a course of visits.")
    (spa,) = [m for m in values(at.markdown) if m.startswith("**Spa massage:**\n\n- In a 2019")]
    assert "We found no figure for spa visits alone." in spa
    both = [
        m for m in values(at.markdown) if m.startswith("**For medical massage and spa massage:**")
    ]
    assert len(both) == 7  # hurt, wear, length, after, risks, cost, provider


def test_good_for_and_less_good_for_are_given_alike_for_both(open_page, catalog):
    at = open_page("app_pages/compare.py")
    lists = [m for m in values(at.markdown) if m.startswith("**Good for:**")]
    assert lists == [
        "**Good for:** Treat a health condition (10), Part of my care plan (10), Clinically "
        "trained therapist (10), Pain relief (9), Range of motion (9), Injury recovery (9), "
        "Clinical setting (9), Short and targeted (8).\n\n**Less good for:** Calming ambience "
        "(2), Long and unhurried (2), Relaxation (3), A soothing experience (3).",
        "**Good for:** Relaxation (10), A soothing experience (10), Calming ambience (10), "
        "General well-being (9), Long and unhurried (9).\n\n**Less good for:** Part of my care "
        "plan (0), Treat a health condition (1), Injury recovery (1), Clinical setting (1), "
        "Range of motion (2), Short and targeted (2), Pain relief (3), Clinically trained "
        "therapist (3).",
    ]
