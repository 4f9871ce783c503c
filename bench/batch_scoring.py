"""Batch scoring benchmark: advisor against its floor and against a per-row loop, same run.

1. Scores N synthetic clients (default 1,000,000) with advisor.decision.scoring.match_matrix
   and prints the median time beside a bare numpy product of the same shapes (the floor) and a
   per-row Python loop (what a hand-written script does), with both ratios.
2. Writes an N-row survey CSV, then, in a fresh child process, reads, validates and scores it
   with advisor.files.reading (time and peak memory), beside plain pandas.read_csv of the same
   file in another child process (the floor).

    python bench/batch_scoring.py [--rows 1000000] [--repeats 7] [--loop-repeats 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.catalog import load_catalog  # noqa: E402
from advisor.decision.scoring import match_matrix  # noqa: E402

SEED = 20261128


def median_seconds(func: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def per_row_loop(weights: list[list[float]], fits: list[list[float]]) -> list[list[float]]:
    """Scoring as a plain script would: one client at a time, one type at a time."""
    out = []
    for row in weights:
        total = sum(row)
        scores = []
        for fit in fits:
            weighted = 0.0
            for w, f in zip(row, fit, strict=True):
                weighted += w * f
            scores.append(100.0 * weighted / (10.0 * total) if total else float("nan"))
        out.append(scores)
    return out


def bench_matrix(rows: int, repeats: int, loop_repeats: int) -> dict[str, float]:
    catalog = load_catalog()
    fits = catalog.fit_array()
    rng = np.random.default_rng(SEED)
    weights = rng.integers(0, 11, size=(rows, fits.shape[1])).astype(float)
    weights[weights.sum(axis=1) == 0, 0] = 1.0
    fits_t = np.ascontiguousarray(fits.T)
    floor = median_seconds(lambda: weights @ fits_t, repeats)
    advisor = median_seconds(lambda: match_matrix(weights, fits), repeats)
    as_lists, fit_lists = weights.tolist(), fits.tolist()
    loop = median_seconds(lambda: per_row_loop(as_lists, fit_lists), loop_repeats)
    check = np.asarray(per_row_loop(as_lists[:1000], fit_lists))
    assert np.allclose(check, match_matrix(weights[:1000], fits)), "loop and advisor disagree"
    return {"floor": floor, "advisor": advisor, "loop": loop}


CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
start = time.perf_counter()
if {mode!r} == "advisor":
    from advisor.catalog import load_catalog
    from advisor.clinic.survey import score_survey
    from advisor.files.reading import read_survey
    catalog = load_catalog()
    data = open({path!r}, "rb").read()
    imported = read_survey(data, catalog.criterion_ids, name="bench.csv")
    scored = score_survey(
        imported.frame,
        catalog.fits,
        catalog.segment_weights,
        {{t: catalog.type_name(t) for t in catalog.type_ids}},
    )
    rows = len(scored)
else:
    import pandas as pd
    rows = len(pd.read_csv({path!r}))
seconds = time.perf_counter() - start
status = open("/proc/self/status").read().split("VmHWM:")[1]
peak_mb = int(status.split()[0]) / 1024  # VmHWM: this process's own peak resident memory, kB
print(json.dumps({{"seconds": seconds, "peak_mb": peak_mb, "rows": rows}}))
"""


def run_child(mode: str, path: Path) -> dict[str, float]:
    code = CHILD.format(root=str(ROOT), mode=mode, path=str(path))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def bench_csv(rows: int, repeats: int) -> dict[str, dict[str, float]]:
    catalog = load_catalog()
    rng = np.random.default_rng(SEED)
    weights = rng.integers(0, 11, size=(rows, len(catalog.criterion_ids)))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "survey.csv"
        header = "client_id," + ",".join(catalog.criterion_ids)
        lines = (f"C{i}," + ",".join(map(str, row)) for i, row in enumerate(weights.tolist()))
        path.write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
        size_mb = path.stat().st_size / 1e6
        results = {}
        for mode in ("pandas", "advisor"):
            runs = [run_child(mode, path) for _ in range(repeats)]
            results[mode] = {
                "seconds": statistics.median(r["seconds"] for r in runs),
                "peak_mb": statistics.median(r["peak_mb"] for r in runs),
                "rows": runs[0]["rows"],
            }
        results["file"] = {"size_mb": size_mb}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--loop-repeats", type=int, default=3)
    parser.add_argument("--csv-repeats", type=int, default=3)
    args = parser.parse_args()

    m = bench_matrix(args.rows, args.repeats, args.loop_repeats)
    print(f"Batch scoring, {args.rows:,} clients x 13 criteria x 2 types (median):")
    print(f"  numpy product (floor)        {m['floor'] * 1000:9.1f} ms")
    print(f"  advisor match_matrix         {m['advisor'] * 1000:9.1f} ms")
    print(f"  per-row Python loop          {m['loop'] * 1000:9.1f} ms")
    print(f"  advisor / floor              {m['advisor'] / m['floor']:9.2f}x   (target <= 3x)")
    print(f"  loop / advisor               {m['loop'] / m['advisor']:9.0f}x   (target >= 50x)")

    c = bench_csv(args.rows, args.csv_repeats)
    print(
        f"Survey CSV, {c['advisor']['rows']:,} rows, {c['file']['size_mb']:.1f} MB "
        f"(median of {args.csv_repeats} fresh processes):"
    )
    print(
        f"  pandas.read_csv only (floor) {c['pandas']['seconds']:9.2f} s   "
        f"peak {c['pandas']['peak_mb']:7.0f} MB"
    )
    print(
        f"  advisor read+validate+score  {c['advisor']['seconds']:9.2f} s   "
        f"peak {c['advisor']['peak_mb']:7.0f} MB   (target < 5 s, < 1536 MB)"
    )
    print(
        f"  advisor / floor              {c['advisor']['seconds'] / c['pandas']['seconds']:9.2f}x"
    )


if __name__ == "__main__":
    main()
