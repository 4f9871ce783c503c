"""Part 1: server reruns with AppTest on every page, beside a one-slider page (the floor)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from bench.latency.measures import summary
from devtools.serving import APP

FLOOR_SCRIPT = 'import streamlit as st\nst.slider("Value", 0, 10, key="value")\n'


def _alternate(at, kind: str, key: str, values: list) -> Callable[[int], None]:
    def change(i: int) -> None:
        getattr(at, kind)(key=key).set_value(values[i % len(values)]).run()

    return change


def _rerun_cases():
    """(name, what is changed, setup) per page; setup returns the change to time."""
    from streamlit.testing.v1 import AppTest

    def app_page(page: str):
        at = AppTest.from_file(str(APP), default_timeout=60).run()
        at.switch_page(page).run()
        return at

    def start():
        at = app_page("app_pages/start.py")
        return lambda i: at.run()

    def compare():
        at = app_page("app_pages/compare.py")
        return lambda i: at.run()

    def find():
        at = app_page("app_pages/find_my_massage.py")
        at.selectbox(key="fm_preset").select("unwind").run()
        return _alternate(at, "slider", "w_relaxation", [3, 7])

    def clinic():
        at = app_page("app_pages/position_my_clinic.py")
        return _alternate(at, "slider", "pc_threshold", [65, 75])

    def method():
        at = app_page("app_pages/method.py")
        return _alternate(at, "multiselect", "method_types", [["medical"], ["medical", "spa"]])

    def floor():
        at = AppTest.from_string(FLOOR_SCRIPT, default_timeout=60).run()
        return _alternate(at, "slider", "value", [3, 7])

    return [
        ("floor", "one-line page, slider 'value' 3 <-> 7", floor),
        ("start", "plain rerun (no widget on the page)", start),
        ("compare", "plain rerun (no widget on the page)", compare),
        ("find", "preset unwind, slider w_relaxation 3 <-> 7", find),
        ("clinic", "slider pc_threshold 65 <-> 75", clinic),
        ("method", "multiselect method_types [medical] <-> [medical, spa]", method),
    ]


def interleaved_times(
    changes: dict[str, Callable[[int], None]], reruns: int, warmup: int
) -> dict[str, list[float]]:
    """Milliseconds of each change, `reruns` times, after `warmup` untimed rounds; the changes
    take turns, so machine noise falls on every page alike."""
    for i in range(warmup):
        for change in changes.values():
            change(i)
    times: dict[str, list[float]] = {name: [] for name in changes}
    for i in range(reruns):
        for name, change in changes.items():
            start = time.perf_counter()
            change(i)
            times[name].append((time.perf_counter() - start) * 1000)
    return times


def bench_reruns(reruns: int, warmup: int = 5) -> dict:
    cases = _rerun_cases()
    times = interleaved_times({name: setup() for name, _, setup in cases}, reruns, warmup)
    floor = statistics.median(times["floor"])
    return {
        name: {
            "what": what,
            **summary(times[name]),
            "ratio_to_floor": statistics.median(times[name]) / floor,
        }
        for name, what, _ in cases
    }
