"""Start page (AppTest): heading, the two paths with their links, and the disclaimer."""

from __future__ import annotations

from tests.apptest_support import block_by_key, values, walk


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
