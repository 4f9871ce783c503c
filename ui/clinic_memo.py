"""Results of the clinic page kept between reruns, recomputed only when their inputs change."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

import pandas as pd
import streamlit as st

MEMO_KEY = "pc_memo"
KEEP = 6
T = TypeVar("T")


def frame_key(frame: pd.DataFrame) -> int:
    """A key that changes whenever the frame's values, columns or row order change."""
    values = int(pd.util.hash_pandas_object(frame, index=False).sum())
    return hash((values, tuple(frame.columns), frame.shape))


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
