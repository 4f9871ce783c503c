"""Make data/sample_survey.csv: a synthetic client survey, reproducible from its seed.

Each synthetic client belongs to one segment of data/segments.csv (drawn by the segment's share)
and rates every criterion 0..10: the segment's weight plus seeded Gaussian noise, rounded and
clipped. The file is synthetic and the app says so wherever it shows it.

    python scripts/make_sample_survey.py [--rows 600] [--seed 20261128] [--out PATH]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parent.parent / "data"


def make_survey(rows: int, seed: int, data_dir: Path = DATA) -> pd.DataFrame:
    """A seeded synthetic survey: client_id plus one integer 0..10 column per criterion."""
    criteria = pd.read_csv(data_dir / "criteria.csv")["id"].tolist()
    segments = pd.read_csv(data_dir / "segments.csv")
    rng = np.random.default_rng(seed)
    shares = segments["share"].to_numpy(dtype=float)
    members = rng.choice(len(segments), size=rows, p=shares / shares.sum())
    centres = segments[criteria].to_numpy(dtype=float)[members]
    noisy = centres + rng.normal(0.0, 1.6, size=centres.shape)
    weights = np.clip(np.rint(noisy), 0, 10).astype(int)
    frame = pd.DataFrame(weights, columns=criteria)
    frame.insert(0, "client_id", [f"SYN-{i:04d}" for i in range(1, rows + 1)])
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=600)
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--out", type=Path, default=DATA / "sample_survey.csv")
    args = parser.parse_args()
    make_survey(args.rows, args.seed).to_csv(args.out, index=False)
    print(f"wrote {args.rows} synthetic clients to {args.out}")


if __name__ == "__main__":
    main()
