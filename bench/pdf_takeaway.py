"""PDF take-away benchmark: the one-page answer beside an empty fpdf2 page, same run.

Makes the PDF of advisor.decision.takeaway.takeaway_pdf for three answers (a clear one, a coin
flip, and every safety item ticked: the longest, which tries every layout and still takes
two sheets) and prints the median time of each beside the
floor: an empty A4 page written by fpdf2 itself. The explanation is made once before timing (the
page has it already when the button is pressed). Target: under 1 s.

    python bench/pdf_takeaway.py [--repeats 21]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from fpdf import FPDF

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.catalog import load_catalog  # noqa: E402
from advisor.decision.explanation import explain  # noqa: E402
from advisor.decision.takeaway import takeaway_pdf  # noqa: E402

LINK = "http://localhost:8501/find_my_massage?preset=blank&certainty=medium&relaxation=5"
TARGET_S = 1.0


def median_ms(func: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def empty_page() -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_page()
    return bytes(pdf.output())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()
    catalog = load_catalog()
    cases = {
        "clear (injury goal)": (dict(catalog.preset_weights.loc["injury"]), []),
        "coin flip": ({"relaxation": 5, "pain_relief": 5, "wellbeing": 3}, []),
        "every safety item (longest)": (
            dict(catalog.preset_weights.loc["chronic_pain"]),
            list(catalog.red_flags.index),
        ),
    }
    floor = median_ms(empty_page, args.repeats)
    print(f"floor: empty fpdf2 A4 page        {floor:7.1f} ms (median of {args.repeats})")
    for name, (weights, flags) in cases.items():
        exp = explain(catalog, weights, "medium", flags)
        took = median_ms(lambda e=exp: takeaway_pdf(catalog, e, LINK), args.repeats)
        verdict = "ok" if took < TARGET_S * 1000 else "OVER"
        print(f"{name:<33} {took:7.1f} ms  {took / floor:5.1f}x the floor  target < 1 s: {verdict}")


if __name__ == "__main__":
    main()
