"""Survey files benchmark: owners' files read, mapped and scored, beside the plain library read.

1. A 1,000,000-row CSV in a non-default dialect (semicolons, Windows-1252, decimal commas, a
   Windows-1252 client id): advisor's read_table + apply_mapping + score_survey in a fresh child
   process per repeat (time and peak memory, ru_maxrss), beside pandas.read_csv(sep=";",
   encoding="windows-1252", decimal=",") of the same file in its own child (the floor).
2. A 100,000-row .xlsx (header: whole questions, so the mapping is the proposal): the same
   advisor steps, beside pandas.read_excel(engine="calamine") of the same file (the floor).

Medians of `--repeats` runs each, floor and advisor alternating, both with the memory settings
the app runs with (the Makefile's NUMPY_MADVISE_HUGEPAGE=0 and ARROW_DEFAULT_MEMORY_POOL=jemalloc;
set either to measure without it).

    python bench/survey_files.py [--csv-rows 1000000] [--xlsx-rows 100000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.catalog import load_catalog  # noqa: E402
from advisor.files.template import questions  # noqa: E402

SEED = 20261129

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
import pandas as pd
from advisor.catalog import load_catalog
from advisor.clinic.survey import score_survey
from advisor.files.reading import apply_mapping, read_table
from advisor.files.template import vocabulary
kind, path = sys.argv[1], sys.argv[2]
catalog = load_catalog()
words = vocabulary(catalog)
start = time.perf_counter()  # imports and the catalog are not part of reading a file
if kind == "floor-csv":
    frame = pd.read_csv(path, sep=";", encoding="windows-1252", decimal=",")
elif kind == "floor-xlsx":
    frame = pd.read_excel(path, engine="calamine")
else:
    with open(path, "rb") as handle:
        data = handle.read()
    table = read_table(data, words, name=path)
    imported = apply_mapping(table, table.proposed(), words)
    names = {{t: catalog.type_name(t) for t in catalog.type_ids}}
    frame = score_survey(imported.frame, catalog.fits, catalog.segment_weights, names)
    assert imported.rows_kept == len(frame) and frame["best_match"].notna().all()
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "peak_mb": peak, "rows": len(frame)}}))
"""


def write_csv(path: Path, rows: int, criteria: list[str]) -> None:
    rng = np.random.default_rng(SEED)
    values = rng.integers(0, 101, size=(rows, len(criteria))) / 10
    with path.open("w", encoding="windows-1252", newline="") as out:
        out.write(";".join(["client_id", *criteria]) + "\r\n")
        for i, row in enumerate(values):
            cells = ";".join(f"{v:g}".replace(".", ",") for v in row)
            out.write(f"Kundin \u201e{i}\u201c;{cells}\r\n")


def write_xlsx(path: Path, rows: int, headers: list[str]) -> None:
    from openpyxl import Workbook

    rng = np.random.default_rng(SEED)
    values = rng.integers(0, 11, size=(rows, len(headers)))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Responses")
    sheet.append(["Client", *headers])
    for i, row in enumerate(values.tolist()):
        sheet.append([f"C-{i}", *row])
    book.save(path)


def run_child(kind: str, path: Path) -> dict[str, float]:
    code = CHILD.format(root=str(ROOT))
    # both children as the app runs (the Makefile's memory settings), unless they are set
    env = {"NUMPY_MADVISE_HUGEPAGE": "0", "ARROW_DEFAULT_MEMORY_POOL": "jemalloc", **os.environ}
    out = subprocess.run(
        [sys.executable, "-c", code, kind, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(out.stdout)


def measure(label: str, floor: str, path: Path, repeats: int) -> dict[str, float]:
    floors, ours = [], []
    for _ in range(repeats):
        floors.append(run_child(floor, path))
        ours.append(run_child("advisor", path))
    result = {
        "floor_s": statistics.median(r["seconds"] for r in floors),
        "advisor_s": statistics.median(r["seconds"] for r in ours),
        "floor_peak_mb": statistics.median(r["peak_mb"] for r in floors),
        "advisor_peak_mb": statistics.median(r["peak_mb"] for r in ours),
    }
    result["ratio"] = result["advisor_s"] / result["floor_s"]
    print(
        f"{label}: advisor {result['advisor_s']:.2f} s (peak {result['advisor_peak_mb']:.0f} MB)"
        f", floor {result['floor_s']:.2f} s (peak {result['floor_peak_mb']:.0f} MB), "
        f"ratio {result['ratio']:.2f}x",
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "survey-de.csv"
        write_csv(csv_path, args.csv_rows, list(catalog.criterion_ids))
        measure(
            f"CSV {args.csv_rows:,} rows (; cp1252 decimal comma)",
            "floor-csv",
            csv_path,
            args.repeats,
        )
        xlsx_path = Path(folder) / "survey.xlsx"
        write_xlsx(xlsx_path, args.xlsx_rows, list(questions(catalog).values()))
        measure(
            f"XLSX {args.xlsx_rows:,} rows (question headers)",
            "floor-xlsx",
            xlsx_path,
            args.repeats,
        )


if __name__ == "__main__":
    main()
