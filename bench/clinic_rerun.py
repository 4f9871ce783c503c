"""Position my clinic's server rerun beside the floor, in one run (AppTest, medians).

Three cases, interleaved so machine noise falls on each alike: the floor (a one-line page with
one slider, 3 <-> 7), the clinic page with its threshold slider moved (65 <-> 75: the client
mix and the lift-the-unserved design are recomputed), and the clinic page with the designer's
aim switched back and forth (the designs are remembered per input, so nothing is recomputed),
and the threshold moved through eight positions in turn (more than the page remembers, so every
move recomputes the mix's unserved flag, the lift design and their charts: the worst case).
The ratio of each median to the floor's is the figure; the target is 15x for the threshold move.

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


def _cases(root: Path) -> dict[str, Callable[[int], None]]:
    from streamlit.testing.v1 import AppTest

    def clinic():
        at = AppTest.from_file(str(root / "app.py"), default_timeout=120).run()
        return at.switch_page(PAGE).run()

    floor = AppTest.from_string(FLOOR_SCRIPT, default_timeout=60).run()
    threshold = clinic()
    cases = {
        "floor": lambda i: floor.slider(key="value").set_value([3, 7][i % 2]).run(),
        "clinic_threshold": lambda i: (
            threshold.slider(key="pc_threshold").set_value([65, 75][i % 2]).run()
        ),
    }
    fresh = clinic()
    cases["clinic_new_threshold"] = lambda i: (
        fresh.slider(key="pc_threshold").set_value(40 + 5 * (i % 8)).run()
    )
    aim = clinic()
    if [r for r in aim.radio if r.key == "pc_design_objective"]:
        cases["clinic_designer_aim"] = lambda i: (
            aim.radio(key="pc_design_objective")
            .set_value(["lift_unserved", "most_clients"][i % 2])
            .run()
        )
    return cases


def bench(root: Path, reruns: int, warmup: int = 3) -> dict:
    """Median rerun (ms) per case and its ratio to the floor's median."""
    sys.path.insert(0, str(root))
    times = interleaved_times(_cases(root), reruns, warmup)
    floor = statistics.median(times["floor"])
    return {
        name: {
            "median_ms": round(statistics.median(values), 1),
            "ratio_to_floor": round(statistics.median(values) / floor, 1),
        }
        for name, values in times.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=30)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    print(json.dumps(bench(args.root.resolve(), args.reruns), indent=2))


if __name__ == "__main__":
    main()
