"""ui.memory: a survey and the cache entries computed from it are let go once its session ends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
import streamlit as st

from tests.apptest_support import survey_in_use, survey_state, survey_uploader
from ui import memory

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "cases"
TTL = 120.0


class Cached:
    """Stands for an st.cache_data function: records what was cleared."""

    def __init__(self) -> None:
        self.cleared: list[dict] = []

    def clear(self, **arguments: object) -> None:
        self.cleared.append(arguments)


@pytest.fixture(autouse=True)
def empty_reaper() -> Iterator[None]:
    memory._held.clear()
    memory._clears.clear()
    yield
    memory._held.clear()
    memory._clears.clear()


def in_session(monkeypatch, session_id: str) -> None:
    monkeypatch.setattr(
        memory, "get_script_run_ctx", lambda: SimpleNamespace(session_id=session_id)
    )


def test_a_session_past_its_ttl_lets_go_of_its_survey_and_its_cache_entries(monkeypatch) -> None:
    dropped, cached = [], Cached()
    in_session(monkeypatch, "s1")
    memory.hold("survey-a", lambda: dropped.append("s1"))
    memory.computed_from("survey-a", cached, key="answer-1")
    assert memory.reap(lambda s: True, TTL, now=0.0) == (0, 0)  # still here
    assert memory.reap(lambda s: False, TTL, now=10.0) == (0, 0)  # gone: first seen so
    assert memory.reap(lambda s: False, TTL, now=10.0 + TTL) == (0, 0)  # may reconnect
    assert dropped == [] and cached.cleared == []
    ended = []
    assert memory.reap(lambda s: False, TTL, now=10.5 + TTL, ended=ended.append) == (1, 1)
    assert dropped == ["s1"]  # past reconnecting
    assert ended == ["s1"]  # and Streamlit's files for it (uploads, download callables)
    assert cached.cleared == [{"key": "answer-1"}]
    assert memory._held == {} and memory._clears == {}


def test_a_session_that_reconnects_keeps_its_survey(monkeypatch) -> None:
    dropped = []
    in_session(monkeypatch, "s1")
    memory.hold("survey-a", lambda: dropped.append("s1"))
    memory.reap(lambda s: False, TTL, now=0.0)
    memory.reap(lambda s: True, TTL, now=TTL - 1)  # back before the TTL
    assert memory.reap(lambda s: False, TTL, now=TTL + 1) == (0, 0)  # gone again: anew
    assert dropped == []
    assert memory.reap(lambda s: False, TTL, now=2 * TTL + 2) == (1, 0)
    assert dropped == ["s1"]


def test_a_survey_another_session_holds_keeps_its_cache_entries(monkeypatch) -> None:
    cached = Cached()
    for session in ("s1", "s2"):
        in_session(monkeypatch, session)
        memory.hold("survey-a", lambda: None)
    memory.computed_from("survey-a", cached, key="answer-1")
    memory.reap(lambda s: s == "s2", TTL, now=0.0)
    assert memory.reap(lambda s: s == "s2", TTL, now=TTL + 1) == (1, 0)  # s1 let go of
    assert cached.cleared == []  # s2 still shows it
    assert list(memory._held) == ["s2"]


def test_a_replaced_survey_has_its_cache_entries_cleared_at_once(monkeypatch) -> None:
    first, second = Cached(), Cached()
    in_session(monkeypatch, "s1")
    memory.hold("survey-a", lambda: None)
    memory.computed_from("survey-a", first, key="answer-a")
    memory.computed_from("survey-a", first, key="answer-a")  # a rerun: registered once
    memory.hold("survey-b", lambda: None)  # the owner uploads another file
    memory.computed_from("survey-b", second, key="answer-b")
    assert memory.reap(lambda s: True, TTL, now=0.0) == (0, 1)
    assert first.cleared == [{"key": "answer-a"}]
    assert second.cleared == []
    memory.hold(None, lambda: None)  # back to the sample: nothing of its own to clear
    memory.computed_from(None, first, key="sample-answer")
    memory.reap(lambda s: True, TTL, now=1.0)
    assert second.cleared == [{"key": "answer-b"}]
    assert first.cleared == [{"key": "answer-a"}]  # the sample's entries serve everybody


def test_the_entries_kept_per_survey_are_bounded() -> None:
    cached = Cached()
    for i in range(memory.MAX_ENTRIES_PER_SURVEY + 10):
        memory.computed_from("survey-a", cached, key=f"answer-{i}")
    assert len(memory._clears["survey-a"]) == memory.MAX_ENTRIES_PER_SURVEY
    memory.reap(lambda s: True, TTL, now=0.0)
    assert cached.cleared[0] == {"key": "answer-10"}  # the oldest were forgotten
    assert len(cached.cleared) == memory.MAX_ENTRIES_PER_SURVEY


def test_a_real_cache_entry_is_cleared_by_its_hashed_arguments_alone() -> None:
    calls = []

    @st.cache_data
    def answer(key: str, other: int, _survey: object) -> str:
        calls.append((key, other))
        return key

    answer("a", 1, object())
    answer("b", 1, object())
    memory.computed_from("survey-a", answer, key="a", other=1)
    memory.reap(lambda s: True, TTL, now=0.0)
    answer("a", 1, object())  # computed again: its entry was cleared
    answer("b", 1, object())  # still cached
    assert calls == [("a", 1), ("b", 1), ("a", 1)]


def test_the_page_lets_go_of_an_ended_session_s_survey(open_page) -> None:
    at = open_page("app_pages/position_my_clinic.py")
    case = "google-forms-linear-scale-1-to-5.csv"
    survey_uploader(at).set_value((case, (CASES / case).read_bytes(), "text/csv")).run()
    key = survey_in_use(at).key
    assert [held.key for held in memory._held.values()] == [key]
    assert any(entries for k, entries in memory._clears.items() if k == key)
    memory.reap(lambda s: False, TTL, now=0.0)
    assert memory.reap(lambda s: False, TTL, now=TTL + 1) == (1, 1)
    state = survey_state(at)
    assert (state.survey, state.pending, state.data) == (None, None, None)
    assert memory._clears == {}


def test_a_new_survey_is_settled_once(monkeypatch) -> None:
    trims = []
    monkeypatch.setattr(memory, "_trim", lambda: trims.append(1))
    in_session(monkeypatch, "s1")
    memory.hold(None, lambda: None)
    memory.settle()  # a first visit, on the sample: nothing to hand back
    assert trims == []
    memory.hold("survey-a", lambda: None)
    memory.settle()  # the run that put it in use
    memory.hold("survey-a", lambda: None)
    memory.settle()  # a slider moved: nothing to hand back
    assert trims == [1]
    memory.hold("survey-b", lambda: None)
    memory.settle()
    assert trims == [1, 1]
    memory.hold(None, lambda: None)  # back to the sample: survey-b's memory goes back
    memory.settle()
    assert trims == [1, 1, 1]
