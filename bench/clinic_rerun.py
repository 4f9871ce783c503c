"""Position my clinic's server rerun beside the floor, in one run (AppTest, medians).

Cases, interleaved so machine noise falls on each alike: the floor (a one-line page with one
slider, 3 <-> 7); the clinic page with its threshold slider moved (65 <-> 75: both answers are
in the page's cache after the first moves); the threshold moved to a position the page has not
seen before (the cached answers and charts are cleared before each move, so the answer, its
client mix and its charts are computed again: the worst case of a threshold move); and the
designer's aim switched back and forth. The ratio of each median to the floor's is the figure;
the targets are 10x for a threshold move and 15x for a threshold not seen before.

    python bench/clinic_rerun.py [--reruns 30] [--root PATH]

--root runs the same measure on another checkout (e.g. the code before a change); a case whose
widget that checkout lacks is skipped.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's bench/
from bench.latency.reruns import interleaved_times

FLOOR_SCRIPT = 'import streamlit as st\nst.slider("Value", 0, 10, key="value")\n'
PAGE = "app_pages/position_my_clinic.py"


def _clinic(root: Path):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(root / "app.py"), default_timeout=120).run()
    return at.switch_page(PAGE).run()


def _floor():
    from streamlit.testing.v1 import AppTest

    floor = AppTest.from_string(FLOOR_SCRIPT, default_timeout=60).run()
    return lambda i: floor.slider(key="value").set_value([3, 7][i % 2]).run()


def _cases(root: Path) -> dict[str, Callable[[int], None]]:
    """The floor, the threshold moved back and forth, and the designer's aim switched."""
    threshold = _clinic(root)
    cases = {
        "floor": _floor(),
        "clinic_threshold": lambda i: (
            threshold.slider(key="pc_threshold").set_value([65, 75][i % 2]).run()
        ),
    }
    aim = _clinic(root)
    if [r for r in aim.radio if r.key == "pc_design_objective"]:
        cases["clinic_designer_aim"] = lambda i: (
            aim.radio(key="pc_design_objective")
            .set_value(["lift_unserved", "most_clients"][i % 2])
            .run()
        )
    return cases


def _new_threshold_cases(root: Path) -> dict[str, Callable[[int], None]]:
    """The floor, and the threshold moved to a position the page has not seen: measured apart
    from the other cases, as clearing the cache clears it for every session."""
    fresh = _clinic(root)
    return {
        "floor": _floor(),
        "clinic_new_threshold": lambda i: (
            _forget(),
            fresh.slider(key="pc_threshold").set_value(40 + 5 * (i % 8)).run(),
        ),
    }


def _forget() -> None:
    """Clear the clinic page's cached answers and charts (ui.clinic_answer), where the checkout
    has them; a checkout without them remembers eight positions at most (the old memo kept
    six), so its moves through eight positions are new each time."""
    try:
        from ui import clinic_answer
    except ImportError:
        return
    clinic_answer._answer.clear()
    clinic_answer._made.clear()


def _medians(times: dict[str, list[float]]) -> dict:
    floor = statistics.median(times["floor"])
    return {
        name: {
            "median_ms": round(statistics.median(values), 1),
            "ratio_to_floor": round(statistics.median(values) / floor, 1),
        }
        for name, values in times.items()
    }


def bench(root: Path, reruns: int, warmup: int = 3) -> dict:
    """Median rerun (ms) per case and its ratio to the floor's median, measured in the same
    phase (a phase interleaves its cases)."""
    sys.path.insert(0, str(root))
    result = _medians(interleaved_times(_cases(root), reruns, warmup))
    new = _medians(interleaved_times(_new_threshold_cases(root), reruns, warmup))
    result["floor_of_new_threshold"] = new.pop("floor")
    return {**result, **new}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=30)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    print(json.dumps(bench(args.root.resolve(), args.reruns), indent=2))


if __name__ == "__main__":
    main()
