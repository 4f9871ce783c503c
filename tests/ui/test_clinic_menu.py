"""The clinic's menu: kept in the session without the passcode, saved once the owner unlocks."""

from __future__ import annotations

import pytest

from advisor.answers.passcode import hash_passcode
from advisor.answers.store import AnswerStore
from tests.apptest_support import values

CLINIC = "app_pages/position_my_clinic.py"
PASSCODE = "let me in, owner"


@pytest.fixture
def owner(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'demand.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("MASSAGE_ADVISOR_OWNER_HASH", hash_passcode(PASSCODE, iterations=1_000))
    return url


def _unlock(at):
    at.text_input(key="owner_passcode").input(PASSCODE)
    (button,) = [b for b in at.button if b.label == "Open the demand view"]
    return button.click().run()


def _add(at, name: str):
    at.text_input(key="pc_new_name").input(name)
    at.selectbox(key="pc_new_start").select("medical").run()
    return at.button(key="pc_add_service").click().run()


def test_without_the_passcode_the_page_says_the_menu_lives_in_the_session(open_page, owner):
    at = open_page(CLINIC)
    assert any("stay in this browser session only" in c for c in values(at.caption))
    _add(at, "Hot stones")
    assert AnswerStore(owner).saved_menu(("relaxation",)).empty


def test_the_menu_survives_a_new_session_after_unlocking(open_page, owner, catalog):
    first = open_page(CLINIC)
    _add(first, "Hot stones")
    _unlock(first)
    assert any("saved on this server" in c for c in values(first.caption))
    _add(first, "Sports massage")
    saved = AnswerStore(owner).saved_menu(catalog.criterion_ids)
    assert saved["name"].tolist() == ["Hot stones", "Sports massage"]

    second = open_page(CLINIC)
    assert second.session_state["pc_menu"].empty  # a new visit starts empty until unlocked
    _unlock(second)
    assert not second.exception
    menu = second.session_state["pc_menu"]
    assert menu["name"].tolist() == ["Hot stones", "Sports massage"]
    assert menu[list(catalog.criterion_ids)].equals(saved[list(catalog.criterion_ids)])
