"""ui.state: each section module declares the keys it owns and keeps, and keeping them works."""

from __future__ import annotations

import ast
import importlib
from fnmatch import fnmatchcase
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import state

UI = Path(__file__).resolve().parents[2] / "ui"
UI_MODULES = sorted(p.stem for p in UI.glob("*.py") if p.stem not in {"__init__", "state"})
# widgets.py makes keys from the key its caller passes (the caller declares them)
BUILDING_BLOCKS = {"widgets"}


@pytest.fixture(autouse=True)
def _declarations_restored():
    """Some tests below declare keys of their own (owners named "tests..."): take them out
    again, leaving every module's own declaration in place."""
    yield
    for owner in [o for o in state._DECLARED if o.startswith("tests.")]:
        del state._DECLARED[owner]


def _module(name: str):
    return importlib.import_module(f"ui.{name}")


def _literal_keys(name: str) -> set[str]:
    """Widget keys written as a literal `key="..."` (or an f-string's fixed start, as "x*")."""
    found = set()
    for node in ast.walk(ast.parse((UI / f"{name}.py").read_text())):
        if isinstance(node, ast.keyword) and node.arg == "key":
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                found.add(node.value.value)
            elif isinstance(node.value, ast.JoinedStr):
                first = node.value.values[0]
                if isinstance(first, ast.Constant):
                    found.add(first.value + "*")
    return found


def _owned_by(owned: frozenset[str], key: str) -> bool:
    return key in owned or any(o.endswith("*") and fnmatchcase(key, o) for o in owned)


def _sections() -> list[str]:
    return [name for name in UI_MODULES if hasattr(_module(name), "STATE")]


@pytest.mark.parametrize("name", sorted(set(UI_MODULES) - BUILDING_BLOCKS))
def test_every_section_module_declares_its_keys(name, catalog):
    keys = getattr(_module(name), "STATE", None)
    if keys is None:  # a module without a declaration makes no keyed widget
        assert _literal_keys(name) == set()
        return
    assert keys.owner == f"ui.{name}"
    owned = keys.owned_names(catalog)
    assert owned, f"ui.{name} declares no key"
    unowned = {k for k in _literal_keys(name) if not _owned_by(owned, k)}
    assert unowned == set(), f"ui.{name} makes widgets with keys it does not declare"
    assert keys.kept_names(catalog) <= owned


def test_no_key_has_two_owners(catalog):
    owners: dict[str, str] = {}
    for name in _sections():
        for key in _module(name).STATE.owned_names(catalog):
            assert key not in owners, f"{key} is owned by {owners.get(key)} and ui.{name}"
            owners[key] = name


def test_the_kept_keys_are_the_clients_choices_and_the_owners_settings(catalog):
    _sections()
    kept = state.kept_keys(catalog)
    assert {f"w_{cid}" for cid in catalog.criterion_ids} <= kept
    assert {f"flag_{fid}" for fid in catalog.red_flags.index} <= kept
    assert {"fm_preset", "fm_certainty", "pc_threshold", "pc_design_objective"} <= kept
    # widgets whose value no script may set are never kept
    assert not kept & {"pc_survey_upload_0", "pc_menu_upload", "pc_use_sample", "send_answer"}


def test_a_family_of_keys_cannot_be_kept():
    with pytest.raises(ValueError, match="pc_editor_"):
        state.declare("tests.nowhere", owned=("pc_editor_*",), kept=("pc_editor_*",))


def _page_with_a_slider() -> None:
    """A slider drawn only while `show` is set, and a button the page does not keep; the slider
    is declared kept and keep_widget_state runs first, as in app.py."""
    import streamlit as st

    import advisor
    from ui.state import declare, keep_widget_state

    declare(
        "tests.slider_page",
        owned=("w_x", "press"),
        kept=("w_x",) if st.session_state.get("keep", True) else (),
    )
    keep_widget_state(advisor.load_catalog())
    if st.session_state.get("show", True):
        st.slider("Weight", 0, 10, 5, key="w_x")
        st.button("Press", key="press")


@pytest.mark.parametrize(("keep", "after"), [(True, 7), (False, 5)])
def test_a_slider_keeps_its_value_while_not_drawn(keep: bool, after: int) -> None:
    # Without a declaration, Streamlit forgets the value of a widget a run did not draw: the
    # slider comes back at its default of 5. The button, never declared kept, is never written
    # back (a script may not set a button's value: that would raise).
    at = AppTest.from_function(_page_with_a_slider)
    at.session_state["keep"] = keep
    at.run()
    at.slider(key="w_x").set_value(7).run()
    at.button(key="press").click().run()
    at.session_state["show"] = False
    at.run()
    at.session_state["show"] = True
    at.run()
    assert not at.exception
    assert at.slider(key="w_x").value == after
