"""Every page through AppTest: it runs, twice, with no exception or error, and keeps its state."""

from __future__ import annotations

import pytest

from tests.apptest_support import (
    block_by_key,
    figures,
    kept_keys,
    state_problems,
    survey_uploader,
    values,
    walk,
)

PAGES = [
    ("app_pages/start.py", "Medical or spa massage?"),
    ("app_pages/compare.py", "Medical and spa massage, side by side"),
    ("app_pages/find_my_massage.py", "Find my massage"),
    ("app_pages/position_my_clinic.py", "Position my clinic"),
    ("app_pages/method.py", "Method and sources"),
]


@pytest.mark.parametrize(("page", "title"), PAGES, ids=[p.split("/")[1][:-3] for p, _ in PAGES])
def test_page_runs_and_reruns_cleanly(open_page, page, title):
    at = open_page(page)
    assert values(at.title) == [title]
    assert not at.exception
    assert values(at.error) == []
    # a second run of the same page (any click does one) must be as clean as the first
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert values(at.error) == []
    assert values(at.title) == [title]


def test_state_is_picklable_and_survives_page_changes(open_page, catalog):
    """Use both tool pages, go elsewhere and back: the client's state is kept, all picklable."""
    at = open_page("app_pages/find_my_massage.py")
    at.selectbox(key="fm_preset").select("chronic_pain").run()
    at.slider(key="w_relaxation").set_value(9).run()
    at.segmented_control(key="fm_certainty").set_value("low").run()
    at.segmented_control(key="fm_screen").set_value("some").run()
    at.checkbox(key="flag_fever_or_infection").check().run()
    at.switch_page("app_pages/position_my_clinic.py").run()
    at.text_input(key="pc_new_name").input("Sports recovery")
    at.selectbox(key="pc_new_start").select("blend").run()
    at.button(key="pc_add_service").click().run()
    survey_uploader(at).set_value(
        ("mine.csv", b"relaxation,pain_relief\n10,0\n0,10\n", "text/csv")
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page("app_pages/method.py").run()
    at.switch_page("app_pages/find_my_massage.py").run()
    assert not at.exception, [e.value for e in at.exception]

    expected = dict(catalog.preset_weights.loc["chronic_pain"].astype(int))
    expected["relaxation"] = 9
    assert {cid: at.slider(key=f"w_{cid}").value for cid in catalog.criterion_ids} == expected
    assert at.selectbox(key="fm_preset").value == "chronic_pain"
    assert at.segmented_control(key="fm_certainty").value == "low"
    assert at.segmented_control(key="fm_screen").value == "some"
    assert at.checkbox(key="flag_fever_or_infection").value is True
    assert at.session_state["pc_menu"]["name"].tolist() == ["Sports recovery"]
    assert at.session_state["pc_survey_state"].survey.name == "mine.csv"

    keys = kept_keys(at)
    assert {f"w_{cid}" for cid in catalog.criterion_ids} <= set(keys)
    assert {f"flag_{fid}" for fid in catalog.red_flags.index} <= set(keys)
    assert {"fm_preset", "fm_certainty"} <= set(keys)
    assert state_problems(at) == []


@pytest.mark.parametrize(
    "page",
    ["app_pages/compare.py", "app_pages/find_my_massage.py", "app_pages/position_my_clinic.py"],
    ids=["compare", "find", "clinic"],
)
def test_every_chart_has_its_numbers_as_a_table_on_demand(open_page, page):
    """Each chart's "Show the numbers as a table" expander holds nothing while closed (a lazy
    expander: a slider move pays for no table) and the chart's table once opened."""
    at = open_page(page)
    if page.endswith("find_my_massage.py"):
        at.selectbox(key="fm_preset").select("unwind").run()
    charts = sorted(figures(at))
    assert charts, "the page has no chart"
    expanders = [e for e in at.expander if e.label == "Show the numbers as a table"]
    assert len(expanders) == len(charts)
    assert all(len(e.children) == 0 for e in expanders)
    assert len(at.dataframe) == 0 or page.endswith("position_my_clinic.py")
    tables_before = len(at.dataframe)
    for key in charts:
        at.session_state[key.removesuffix("_chart") + "_numbers"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    opened = [e for e in at.expander if e.label == "Show the numbers as a table"]
    assert [len(e.dataframe) for e in opened] == [1] * len(charts)
    assert len(at.dataframe) == tables_before + len(charts)
    assert all(not e.dataframe[0].value.empty for e in opened)


NAVIGATION = [
    ("Start", ""),
    ("Compare", "compare"),
    ("Find my massage", "find"),
    ("Position my clinic", "clinic"),
    ("Method and sources", "method"),
]


@pytest.mark.parametrize(("page", "title"), PAGES, ids=[p.split("/")[1][:-3] for p, _ in PAGES])
def test_every_page_names_every_page_in_its_navigation(open_page, page, title):
    """The navigation is a row of labelled links on every page, on a phone too (Streamlit's own
    top navigation collapses to an unlabelled icon there), each to a registered page."""
    at = open_page(page)
    nav = block_by_key(at, "page_nav")
    assert nav is not None
    links = [node for node in walk(nav) if type(node).__name__ == "PageLink"]
    assert [(link.proto.label, link.proto.page) for link in links] == NAVIGATION
    assert all(link.proto.page_script_hash for link in links)


@pytest.mark.parametrize(
    "page", ["app_pages/start.py", "app_pages/compare.py"], ids=["start", "compare"]
)
def test_headings_carry_no_hidden_link_to_themselves(open_page, page):
    """A heading's "link to heading" anchor is an invisible tab stop: off, except where a skip
    link targets the heading (its id must exist)."""
    at = open_page(page)
    headings = [*at.title, *at.header, *at.subheader]
    linked = [(h.value, h.proto.anchor) for h in headings if not h.proto.hide_anchor]
    targets = {"app_pages/compare.py": [("What people ask", "ask")]}
    assert linked == targets.get(page, [])


def test_the_page_icon_is_a_local_image(open_page):
    # a material-icon favicon would be fetched from Google's font servers
    from pathlib import Path

    from PIL import Image

    at = open_page("app_pages/start.py")
    icon = Path(__file__).resolve().parents[2] / "ui" / "assets" / "icon.png"
    assert Image.open(icon).size == (128, 128)
    assert not at.exception
