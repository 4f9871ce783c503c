"""Results of the clinic page kept between reruns, recomputed only when their inputs change."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import TypeVar

import pandas as pd
import streamlit as st

from ui.state import declare

MEMO_KEY = "pc_memo"
KEEP = 6
T = TypeVar("T")


_KEYS: dict[int, tuple[weakref.ref, int]] = {}

STATE = declare(
    __name__,
    owned=(MEMO_KEY,),
)


def frame_key(frame: pd.DataFrame) -> int:
    """A key that changes whenever the frame's values, columns or row order change.

    Hashed once per frame object: the sections of one rerun ask for the same menu's key several
    times, and a survey or segment view kept between reruns is the same object each time (the
    page never changes a frame in place; it makes a new one).
    """
    kept = _KEYS.get(id(frame))
    if kept is not None and kept[0]() is frame:
        return kept[1]
    values = int(pd.util.hash_pandas_object(frame, index=False).sum())
    key = hash((values, tuple(frame.columns), frame.shape))
    ident = id(frame)
    _KEYS[ident] = (weakref.ref(frame, lambda _: _KEYS.pop(ident, None)), key)
    return key


def memo(name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """The value stored under `name` for `key`, else `compute()`, stored.

    Per visitor (session state), the last `KEEP` keys of each name: a slider that changes
    nothing the value depends on costs a dictionary look-up, and moving a slider back to a
    recent position finds its value again. A new menu or survey makes new keys; old ones drop
    out oldest first.
    """
    store = st.session_state.setdefault(MEMO_KEY, {})
    entries = store.setdefault(name, {})
    if key in entries:
        entries[key] = entries.pop(key)  # most recent last
    else:
        entries[key] = compute()
        while len(entries) > KEEP:
            entries.pop(next(iter(entries)))
    return entries[key]
