"""Start page (AppTest): heading, the two paths with their links, and the disclaimer."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.apptest_support import APP_FILE, block_by_key, values, walk


def test_start_is_the_default_page_with_its_heading(open_page, catalog):
    at = open_page()  # no switch: the entry file lands on Start
    assert values(at.title) == ["Medical or spa massage?"]
    intro = at.markdown[0].value
    assert "compares **medical massage** and **spa massage** as one article" in intro
    assert values(at.subheader) == []  # no h3 straight after the h1 (heading order)
    assert values(at.header) == [
        ":material/person: I'm looking for a massage",
        ":material/storefront: I run a clinic",
        "What the comparison rests on",
        "Who made this",
    ]
    dimensions = ", ".join(label.lower() for label in catalog.dimensions["label"])
    assert any(
        f"four points: {dimensions}." in text
        and f"{len(catalog.criterion_ids)} things you can weigh" in text
        for text in values(at.markdown)
    )


def test_start_links_to_every_other_page(open_page):
    at = open_page("app_pages/start.py")
    nav = block_by_key(at, "page_nav")
    in_nav = {id(link) for link in walk(nav)}
    links = [
        (link.proto.label, link.proto.page)
        for link in at.get("page_link")
        if id(link) not in in_nav
    ]
    assert links == [
        ("Find my massage", "find"),
        ("Compare the two types", "compare"),
        ("Position my clinic", "clinic"),
        ("How the scoring works", "method"),
    ]
    # each link points at a page st.navigation registered (not a dead file path)
    assert all(link.proto.page_script_hash for link in at.get("page_link"))


def test_start_shows_the_disclaimer(open_page):
    at = open_page()
    warnings = values(at.warning)
    assert len(warnings) == 1
    assert warnings[0].startswith("**This is not medical advice.**")
    assert "talk to a healthcare provider before booking" in warnings[0]
    assert values(at.error) == []


def test_start_says_who_made_it_who_pays_and_when_the_data_were_checked(open_page):
    at = open_page()
    (who,) = [m for m in values(at.markdown) if m.startswith("- **Made by:**")]
    assert who == (
        "- **Made by:** The Massage Advisor project\\. It is a free, independent, open\\-source "
        "tool\\.\n- **Paid for by:** No clinic, spa or maker of massage products pays for it\\.\n"
        "- **Conflicts of interest:** None that we know of\\. We gain nothing from the type you "
        "choose\\."
    )
    assert any(
        c.endswith("The data were last checked on 5 December 2026.") for c in values(at.caption)
    )


def test_a_clinic_that_runs_the_app_names_itself(monkeypatch):
    monkeypatch.setenv("MASSAGE_ADVISOR_FUNDED_BY", "Riverside Physio")
    at = AppTest.from_file(str(APP_FILE), default_timeout=30)
    at.secrets["deployment"] = {
        "made_by": "Riverside Physio, a clinic that offers medical massage",
        "conflicts": "We gain if you choose *medical* massage.",
    }
    at.run()
    (who,) = [m for m in values(at.markdown) if m.startswith("- **Made by:**")]
    assert "Riverside Physio, a clinic that offers medical massage" in who
    assert "- **Paid for by:** Riverside Physio" in who  # from the environment
    # the deployer's text is plain text: its markdown is escaped, never drawn
    assert "We gain if you choose \\*medical\\* massage\\." in who
