"""Memory that comes back: an owner's survey, and every cache entry computed from it, are let go
once the owner's session has ended; then Python's garbage and glibc's free pages go back to the
system.

Streamlit has no hook for a session's end. A closed tab's session is kept for
`server.disconnectedSessionTTL` seconds, in case the tab reconnects; after that it cannot come
back, but Streamlit frees it only when another session closes (its store of closed sessions
forgets lazily), so a survey of a million rows could stay on a server with nobody on it.

So a small reaper, one thread per server process started by the first `hold`, looks every
`REAP_EVERY` seconds at the sessions that hold a survey. A session that has not been active for
longer than the TTL is past reconnecting: its `drop` callback lets go of its survey, and what
Streamlit keeps for it (uploads, download buttons' callables) is let go of too. Then every
cache entry registered with `computed_from` for a survey that no session holds any more (its
owner left, or uploaded another file, or went back to the sample) is cleared, and after any of
this `gc.collect()` and glibc's `malloc_trim(0)` hand the freed memory back.

While a survey is open: at the end of the run that put it in use, `settle` hands back what
reading it and computing its answer left free; and the reaper, when it starts, has glibc map
every block of 1 MB or more on its own (unmapped once freed) and Arrow allocate through malloc,
so that a large survey's temporaries do not stay in the heap.

Bounds: the reaper keeps one entry per session that holds a survey, and at most
`MAX_ENTRIES_PER_SURVEY` cache entries to clear per survey (the oldest forgotten first: a
forgotten entry still goes when its own cache's bound or time to live drops it).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pyarrow
import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

REAP_EVERY = 5.0  # seconds between the reaper's looks
MAX_ENTRIES_PER_SURVEY = 512
M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter (malloc.h)
MMAP_THRESHOLD_BYTES = 1 << 20
_LOGGER = logging.getLogger(__name__)


@dataclass
class _Held:
    """A session's survey (`key`, its content hash; None for the sample) and how to let go of
    what the session holds; `gone_since`: when
    the session was first seen inactive (time.monotonic), None while it is active."""

    key: str | None
    drop: Callable[[], None]
    gone_since: float | None = None
    settled: bool = False


_lock = threading.Lock()
_held: dict[str, _Held] = {}  # by session id
_clears: dict[str, dict[tuple, Callable[[], None]]] = {}  # by survey key
_reaper: threading.Thread | None = None


def hold(key: str | None, drop: Callable[[], None]) -> None:
    """The current session holds survey `key` (None: no survey of its own, the sample); `drop`
    lets go of what it holds (the survey, an upload waiting for the owner) once the session has
    ended. Starts the reaper once per process."""
    context = get_script_run_ctx()
    if context is None:
        return
    with _lock:
        before = _held.get(context.session_id)
        # settled: nothing of its own to hand back (a first visit on the sample, or a rerun)
        settled = key is None if before is None else before.key == key and before.settled
        _held[context.session_id] = _Held(key, drop, settled=settled)
    if Runtime.exists() and type(Runtime.instance()) is Runtime:  # not AppTest's stand-in
        _start()


def settle() -> None:
    """After a run that put a new survey in use (or went back to the sample): hand back what
    reading it and computing its answer left free (gc.collect(), then `_trim`). Once per
    survey and session, at the end of the page's run; nothing on any other run."""
    context = get_script_run_ctx()
    if context is None:
        return
    with _lock:
        held = _held.get(context.session_id)
        if held is None or held.settled:
            return
        held.settled = True
    gc.collect()
    _trim()


def forget_upload(file_id: str) -> None:
    """Streamlit's own copy of an upload to the current session, dropped once the page has
    read it (Streamlit keeps it for as long as the session lives, the uploader gone or not)."""
    context = get_script_run_ctx()
    if context is None or not Runtime.exists():
        return
    remove = getattr(Runtime.instance().uploaded_file_mgr, "remove_file", None)
    if remove is not None:  # the in-memory manager Streamlit runs with
        remove(context.session_id, file_id)


def computed_from(key: str | None, cached: Any, /, **arguments: object) -> None:
    """Clear `cached(**arguments)` (an st.cache_data or st.cache_resource function, with its
    hashed arguments: those whose names do not start with "_") once no session holds survey
    `key`. Nothing for key None (the sample, shared by every visitor)."""
    if key is None:
        return
    entry = (id(cached), *arguments.items())
    with _lock:
        entries = _clears.setdefault(key, {})
        if entry in entries:
            return
        entries[entry] = lambda: cached.clear(**arguments)
        if len(entries) > MAX_ENTRIES_PER_SURVEY:
            del entries[next(iter(entries))]


def reap(
    active: Callable[[str], bool],
    ttl: float,
    now: float,
    ended: Callable[[str], None] | None = None,
) -> tuple[int, int]:
    """One look (the reaper's, or a test's): let go of what sessions inactive for longer than
    `ttl` seconds at `now` (time.monotonic) hold, and of Streamlit's files for them (`ended`
    of each session id; `forget_session` by default), and clear the cache entries of every
    survey no session holds. Returns (sessions let go of, surveys whose entries were cleared);
    when either is not 0, gc.collect() and malloc_trim(0) return the memory."""
    ended = ended or forget_session
    drops: list[Callable[[], None]] = []
    gone: list[str] = []
    clears: list[Callable[[], None]] = []
    surveys = 0
    with _lock:
        for session_id, held in list(_held.items()):
            if active(session_id):
                held.gone_since = None
            elif held.gone_since is None:
                held.gone_since = now
            elif now - held.gone_since > ttl:
                drops.append(held.drop)
                gone.append(session_id)
                del _held[session_id]
        kept = {held.key for held in _held.values() if held.key is not None}
        for key in [k for k in _clears if k not in kept]:
            clears += _clears.pop(key).values()
            surveys += 1
    for step in (*drops, *(partial(ended, s) for s in gone), *clears):
        step()
    if gone or surveys:
        gc.collect()
        _trim()
    return len(gone), surveys


def forget_session(session_id: str) -> None:
    """What Streamlit itself holds for a session that has ended, let go of as Streamlit does
    when it shuts a session down: its uploads, its download buttons' files and deferred
    callables (a scored-survey button's callable holds the survey), its tables' sources."""
    if not Runtime.exists():
        return
    runtime = Runtime.instance()
    runtime.uploaded_file_mgr.remove_session_files(session_id)
    runtime.media_file_mgr.clear_session_refs(session_id)
    runtime.media_file_mgr.remove_orphaned_files()
    runtime.dataframe_source_mgr.clear_all_for_session(session_id)


def _trim() -> None:
    """Free memory back to the system: Arrow's pool (pandas' text columns) lets go of what it
    keeps for reuse, and glibc's malloc_trim(0) returns the free pages of every arena (nothing
    with another C library, which has no such call and returns memory its own way)."""
    pyarrow.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _tune_allocators() -> None:
    """Once per server process: glibc serves every block of 1 MB or more (a column of a large
    survey, numpy's temporaries) from its own mapping, unmapped as soon as it is freed; by
    default the threshold grows with the blocks freed, up to 32 MB, and everything under it
    stays in the heap, fragmented, after it is freed. Arrow then allocates through malloc too."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())


def _start() -> None:
    global _reaper
    with _lock:
        if _reaper is not None:
            return
        _reaper = threading.Thread(target=_reap_forever, name="survey-reaper", daemon=True)
    _tune_allocators()
    _reaper.start()


def _reap_forever() -> None:
    ttl = float(st.get_option("server.disconnectedSessionTTL"))
    while True:
        time.sleep(REAP_EVERY)
        if not Runtime.exists():
            return  # the server has stopped
        try:
            reap(Runtime.instance().is_active_session, ttl, time.monotonic())
        except Exception:  # the reaper must go on: said in the server's log, then next look
            _LOGGER.exception("The survey reaper failed; it looks again in %s s", REAP_EVERY)
