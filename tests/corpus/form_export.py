"""A real-shaped clinic survey: a form tool's response export, made by seeded code.

The shape an owner gets from a common form tool when the 13 questions are asked as one grid:
a timestamp, an e-mail address, a first name, one column per grid row headed
"How important is each of these to you? [<criterion label>]", answered in importance words,
then two free-text questions. Clients are drawn from the catalog's segments by their shares
(the weights of their segment plus seeded noise), so the export has the spread of a real one;
`blanks` clients each leave one grid row unanswered, as real respondents do.

    python -m tests.corpus.form_export [--clients 40] [--seed 7] OUT.csv
"""

from __future__ import annotations

import argparse
import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from advisor.catalog import Catalog, load_catalog

GRID = "How important is each of these to you? [{label}]"
WORDS = (
    "Not at all important",
    "Slightly important",
    "Moderately important",
    "Very important",
    "Extremely important",
)
NAMES = ("Ana", "Ben", "Chloe", "Dev", "Ema", "Finn", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lea")
FREE_TEXT = ("How did you hear about us?", "Anything else we should know?")
HEARD = ("A friend", "Google", "Instagram", "My doctor", "Walked past", "")


def form_export(
    clients: int = 40, seed: int = 7, blanks: int = 2, catalog: Catalog | None = None
) -> bytes:
    """The export as UTF-8 CSV bytes: 3 + 13 + 2 columns, one row per client."""
    catalog = catalog or load_catalog()
    rng = np.random.default_rng(seed)
    segments = catalog.segments
    shares = segments["share"].to_numpy(dtype=float)
    members = rng.choice(len(segments), size=clients, p=shares / shares.sum())
    centres = catalog.segment_weights.to_numpy(dtype=float)[members]
    weights = np.clip(centres + rng.normal(0.0, 1.8, size=centres.shape), 0, 10)
    answers = np.rint(weights / 2.5).astype(int)  # 0..4, a word each
    left_blank = {int(row): int(rng.integers(len(catalog.criterion_ids))) for row in
                  rng.choice(clients, size=min(blanks, clients), replace=False)}  # fmt: skip
    header = [
        "Timestamp",
        "Email Address",
        "First name",
        *(GRID.format(label=catalog.criterion_label(c)) for c in catalog.criterion_ids),
        *FREE_TEXT,
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    start = datetime(2026, 10, 1, 9, 0)
    for row in range(clients):
        when = start + timedelta(hours=int(rng.integers(1, 40)) * (row + 1))
        name = NAMES[row % len(NAMES)]
        cells = [WORDS[a] for a in answers[row]]
        if row in left_blank:
            cells[left_blank[row]] = ""
        writer.writerow(
            [
                when.strftime("%Y/%m/%d %-I:%M:%S %p GMT+1"),
                f"{name.lower()}.{row + 1}@example.invalid",
                name,
                *cells,
                HEARD[row % len(HEARD)],
                "",
            ]
        )
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.out.write_bytes(form_export(args.clients, args.seed))
    print(f"wrote {args.clients} clients to {args.out}")


if __name__ == "__main__":
    main()
