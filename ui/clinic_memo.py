"""Results of the clinic page kept between reruns, recomputed only when their inputs change."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

import pandas as pd
import streamlit as st

MEMO_KEY = "pc_memo"
T = TypeVar("T")


def frame_key(frame: pd.DataFrame) -> int:
    """A key that changes whenever the frame's values, columns or row order change."""
    values = int(pd.util.hash_pandas_object(frame, index=False).sum())
    return hash((values, tuple(frame.columns), frame.shape))


def memo(name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """The value stored under `name` if it was computed for `key`, else `compute()`, stored.

    One value per name and visitor (session state), so a slider that changes nothing the value
    depends on costs a dictionary look-up.
    """
    store = st.session_state.setdefault(MEMO_KEY, {})
    cached = store.get(name)
    if cached is None or cached[0] != key:
        store[name] = (key, compute())
    return store[name][1]
