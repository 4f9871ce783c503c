"""Session state, declared where it lives: each section module names the keys it owns and which
of them outlive a page change.

Streamlit forgets the value of a widget that a run does not draw, so a goal or a threshold would
be lost on a visit to another page. `keep_widget_state`, called first in every run by app.py,
writes back the value of every key that some module declared *kept*, and of no other: a new
widget (a button, an uploader, a data editor, whose value no script may set) is safe by default.
Plain values a module stores itself (a survey, a menu) need no declaration to survive a page
change: Streamlit drops only widgets' state.

A module declares its keys once, at import: `STATE = declare(__name__, owned=..., kept=...)`.
Each of `owned` and `kept` is a tuple of names, or a function of the catalog giving them (one
slider per criterion). An owned name ending in "*" stands for a family of keys that a module
numbers as it goes (a data editor made anew as `pc_editor_3`); a family is never kept. The union
is read from every module imported so far: a key can only be in the session once the module that
makes it has been imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import streamlit as st

from advisor.catalog import Catalog

Names = tuple[str, ...] | Callable[[Catalog], Iterable[str]]


@dataclass(frozen=True)
class SessionKeys:
    """The session-state keys one module owns, and the widget keys among them that are kept."""

    owner: str
    owned: Names
    kept: Names

    def owned_names(self, catalog: Catalog) -> frozenset[str]:
        """Every key and family ("name*") this module owns, for `catalog`."""
        return _names(self.owned, catalog)

    def kept_names(self, catalog: Catalog) -> frozenset[str]:
        """The keys of this module whose values outlive a page change, for `catalog`."""
        return _names(self.kept, catalog)


_DECLARED: dict[str, SessionKeys] = {}


def _names(names: Names, catalog: Catalog) -> frozenset[str]:
    return frozenset(names(catalog) if callable(names) else names)


def declare(owner: str, owned: Names, kept: Names = ()) -> SessionKeys:
    """Record the keys module `owner` owns and those it keeps; returns the declaration.

    Raises ValueError when a kept name is a family ("name*"), which no run can write back.
    """
    for name in () if callable(kept) else kept:
        if name.endswith("*"):
            raise ValueError(f"{owner}: a family of keys ({name}) cannot be kept.")
    keys = SessionKeys(owner, owned, kept)
    _DECLARED[owner] = keys
    return keys


def declared() -> tuple[SessionKeys, ...]:
    """Every declaration made so far, in the order the modules were imported."""
    return tuple(_DECLARED.values())


def kept_keys(catalog: Catalog) -> frozenset[str]:
    """The union of every declared module's kept keys."""
    return frozenset().union(*(keys.kept_names(catalog) for keys in _DECLARED.values()))


def keep_widget_state(catalog: Catalog) -> None:
    """Keep the declared widgets' values when the visitor goes to another page and back, by
    writing each kept key that holds a value back as plain session state."""
    for key in kept_keys(catalog):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
