"""Find my massage (AppTest), "At this clinic": the services of a menu saved in a throw-away
SQLite store, ranked under the medical-or-spa answer from the one explanation."""

from __future__ import annotations

import pandas as pd
import pytest
import streamlit as st

from advisor.answers.passcode import hash_passcode
from advisor.answers.store import AnswerStore
from advisor.clinic.menu import NAME, blend_fits
from advisor.decision.explanation import AFTER_CLEARED, explain
from tests.apptest_support import block_by_key, values, walk
from ui.find_clinic import CANNOT_SHOW, ONE_SERVICE, WHY
from ui.widgets import escape_md

PAGE = "app_pages/find_my_massage.py"
CLINIC = "app_pages/position_my_clinic.py"
PASSCODE = "let me in, owner"
SPORTS = "Sports recovery, 45 min"
MARKED = "**Hot** [stone](https://example.com) <b>90</b>"


def _menu(catalog, *services: tuple[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        [{NAME: name, **blend_fits(catalog.fits, share).to_dict()} for name, share in services]
    )


def _client(open_page, preset: str = "unwind", flags: tuple[str, ...] = ()):
    at = open_page(PAGE)
    at.selectbox(key="fm_preset").select(preset).run()
    at.segmented_control(key="fm_screen").set_value("some" if flags else "none").run()
    for flag in flags:
        at.checkbox(key=f"flag_{flag}").check()
    return at.run()


def _box(at) -> list:
    box = block_by_key(at, "fm_clinic")
    return [] if box is None else list(walk(box))


def _of(nodes: list, kind: str) -> list[str]:
    return [n.value for n in nodes if n.type == kind]


def test_without_a_saved_menu_there_is_no_clinic_section(open_page):
    at = _client(open_page)
    assert not at.exception and _box(at) == []


def test_the_saved_services_are_ranked_under_the_answer_names_as_plain_text(
    open_page, _own_answer_store, catalog
):
    menu = _menu(catalog, (SPORTS, 0.9), (MARKED, 0.1))
    AnswerStore(_own_answer_store).save_menu(menu)
    at = _client(open_page)
    assert not at.exception
    exp = explain(catalog, dict(catalog.preset_weights.loc["unwind"]), "medium", [], menu)
    assert values(at.success) == [exp.verdict]  # the medical-or-spa answer, first and unchanged
    nodes = _box(at)
    assert [n.value for n in nodes if n.type == "subheader"] == ["At this clinic"]
    (verdict,) = [n.value for n in nodes if type(n).__name__ == "Info"]
    assert verdict == escape_md(exp.clinic.verdict)
    assert exp.clinic.best == MARKED and exp.clinic.strength == "clear"
    ranking = _of(nodes, "markdown")[0]
    (_, _, first), (_, _, second) = exp.clinic.shown
    assert ranking == f"1. {escape_md(MARKED)}: {first}%\n2. {escape_md(SPORTS)}: {second}%"
    # every markdown line escapes the owner's text: no link, no bold, no HTML from a name
    for text in _of(nodes, "markdown"):
        assert "[stone](" not in text and "**Hot**" not in text and "<b>" not in text
    # the medical-or-spa answer comes before the clinic's services
    order = [n for n in walk(at.main)]
    success = next(i for i, n in enumerate(order) if type(n).__name__ == "Success")
    heading = next(i for i, n in enumerate(order) if getattr(n, "value", "") == "At this clinic")
    assert success < heading
    # the reasons are folded under one label, so the section stays short on a phone
    (folded,) = [n for n in nodes if n.type == "expander"]
    assert folded.label == WHY
    assert f"**What points to {escape_md(MARKED)}**" in _of(list(walk(folded)), "markdown")[0]


def test_a_menu_of_one_service_reads_sensibly(open_page, _own_answer_store, catalog):
    AnswerStore(_own_answer_store).save_menu(_menu(catalog, (SPORTS, 0.9)))
    at = _client(open_page, "injury")
    nodes = _box(at)
    assert ONE_SERVICE in _of(nodes, "caption")
    (verdict,) = [n.value for n in nodes if type(n).__name__ == "Info"]
    # the injury goal against 90% medical, 10% spa
    assert verdict == escape_md(f"This clinic lists one service here: {SPORTS}. It fits you 81%.")
    assert _of(nodes, "markdown") == [f"1. {escape_md(SPORTS)}: 81%"]


def test_see_a_provider_first_puts_the_clinics_services_off_too(
    open_page, _own_answer_store, catalog
):
    AnswerStore(_own_answer_store).save_menu(_menu(catalog, (SPORTS, 0.9), ("Hot stone", 0.1)))
    at = _client(open_page, flags=("blood_clot",))
    nodes = _box(at)
    assert f"**{AFTER_CLEARED}:**" in _of(nodes, "markdown")
    assert values(at.success) == []


@pytest.mark.parametrize(
    "damage",
    [
        {"drop": "range_of_motion"},  # a criterion added since the menu was saved
        {"set": "lots"},  # a damaged row
    ],
)
def test_a_saved_menu_that_fails_to_load_leaves_the_answer_as_it_is(
    open_page, _own_answer_store, catalog, damage
):
    plain = _client(open_page)
    answer = (values(plain.success), values(plain.info))
    store = AnswerStore(_own_answer_store)
    store.save_menu(_menu(catalog, (SPORTS, 0.9)))
    _damage(store, damage)
    st.cache_data.clear()  # the page reads the saved menu at most every MENU_TTL seconds
    at = _client(open_page)
    assert not at.exception
    assert (values(at.success), values(at.info)) == answer
    nodes = _box(at)
    assert [n.value for n in nodes if n.type == "subheader"] == ["At this clinic"]
    assert _of(nodes, "text") == [CANNOT_SHOW]


def _damage(store: AnswerStore, damage: dict) -> None:
    """Change the saved row behind the store's back, as an older version or a fault would."""
    from sqlalchemy import update

    from advisor.answers.store import MenuService

    (_, fits), *_ = store.menu_rows()
    fits = dict(fits)
    if "drop" in damage:
        del fits[damage["drop"]]
    else:
        fits["relaxation"] = damage["set"]
    with store.engine.begin() as connection:
        connection.execute(update(MenuService).values(fits=fits))


def test_the_owner_view_names_the_fault(open_page, _own_answer_store, catalog, monkeypatch):
    monkeypatch.setenv("MASSAGE_ADVISOR_OWNER_HASH", hash_passcode(PASSCODE, iterations=1_000))
    store = AnswerStore(_own_answer_store)
    store.save_menu(_menu(catalog, (SPORTS, 0.9)))
    _damage(store, {"drop": "range_of_motion"})
    at = open_page(CLINIC)
    at.text_input(key="owner_passcode").input(PASSCODE)
    (button,) = [b for b in at.button if b.label == "Open the demand view"]
    button.click().run()
    assert not at.exception
    (warning,) = [w for w in values(at.warning) if w.startswith("Find my massage cannot show")]
    assert "range\\_of\\_motion" in warning and "a criterion added since" in warning


def _unlock(at):
    at.text_input(key="owner_passcode").input(PASSCODE)
    (button,) = [b for b in at.button if b.label == "Open the demand view"]
    return button.click().run()


def test_the_owners_switch_hides_the_services_from_clients(
    open_page, _own_answer_store, catalog, monkeypatch
):
    monkeypatch.setenv("MASSAGE_ADVISOR_OWNER_HASH", hash_passcode(PASSCODE, iterations=1_000))
    store = AnswerStore(_own_answer_store)
    store.save_menu(_menu(catalog, (SPORTS, 0.9), ("Hot stone", 0.1)))
    owner = _unlock(open_page(CLINIC))
    switch = owner.toggle(key="pc_menu_shown")
    assert switch.value is True  # shown by default once saved
    switch.set_value(False).run()
    assert not owner.exception and store.menu_shown() is False
    assert _box(_client(open_page)) == []
    assert not any("this clinic's own services" in m for m in values(open_page().markdown))
    owner.toggle(key="pc_menu_shown").set_value(True).run()
    assert store.menu_shown() is True
    assert _of(_box(_client(open_page)), "subheader") == ["At this clinic"]


def test_start_says_whose_menu_clients_see(open_page, _own_answer_store, catalog, monkeypatch):
    monkeypatch.setenv(
        "MASSAGE_ADVISOR_MADE_BY", "Riverside *Physio*, which offers medical massage"
    )
    AnswerStore(_own_answer_store).save_menu(_menu(catalog, (SPORTS, 0.9)))
    lines = [m for m in values(open_page().markdown) if "this clinic's own services" in m]
    assert lines == [
        "Find my massage also shows which of this clinic's own services fits you best. The "
        "services are those of: Riverside \\*Physio\\*, which offers medical massage"
    ]


def test_three_services_tied_for_first_are_all_named_on_the_page(
    open_page, _own_answer_store, catalog
):
    """Three services the owner profiled alike: the verdict and the firmness line name all
    three and say that none leads."""
    tied = ("Deep tissue 60", "Deep tissue 90", "Deep tissue 120")
    AnswerStore(_own_answer_store).save_menu(
        _menu(catalog, *((name, 0.8) for name in tied), ("Hot stone", 0.1))
    )
    at = _client(open_page, "injury")
    assert not at.exception
    nodes = _box(at)
    (verdict,) = [n.value for n in nodes if type(n).__name__ == "Info"]
    assert verdict == escape_md(
        "Too close to call: Deep tissue 60, Deep tissue 90 and Deep tissue 120 fit you just as "
        "well, at 75% each. None of them leads. Any of them could suit you."
    )
    assert _of(nodes, "text") == [
        "Deep tissue 60, Deep tissue 90 and Deep tissue 120 fit you just as well. None of them "
        "leads."
    ]


def test_right_to_left_service_names_are_isolated_in_every_line_of_the_section(
    open_page, _own_answer_store, catalog
):
    """An Arabic and a Hebrew service: the ranking, the verdict and the heading of the
    reasons hold each name between FSI and PDI, so "64%" stays after the name it belongs to."""
    arabic, hebrew = "تدليك علاجي", "עיסוי רפואי"
    menu = _menu(catalog, (arabic, 0.3), (hebrew, 0.1), ("Mix", 0.9))
    AnswerStore(_own_answer_store).save_menu(menu)
    at = _client(open_page)
    assert not at.exception
    nodes = _box(at)
    ranking = _of(nodes, "markdown")[0]
    assert ranking.splitlines()[:2] == [
        f"1. \u2068{hebrew}\u2069: 87%",
        f"2. \u2068{arabic}\u2069: 75%",
    ]
    lines = [n.value for n in nodes if isinstance(getattr(n, "value", None), str)]
    assert f"**What points to \u2068{hebrew}\u2069**" in "\n".join(lines)
    for line in lines:
        for name in (arabic, hebrew):
            assert line.count(name) == line.count(f"\u2068{name}\u2069")
