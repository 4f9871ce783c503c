"""Designer benchmark: the service designed for the sample survey, and its time for 10,000 clients.

1. On data/sample_survey.csv against the catalog's two types: the design `design_service`
   proposes (aim: the most clients won by more than the margin), what the exhaustive 10% search
   of `exhaustive_search` finds, what the design takes from medical and spa, and what each even
   blend of the two (every dimension mixed alike, 10% to 90% medical) wins under the same aim.
2. 10,000 clients (the sample's 600 drawn again with replacement, each weight moved by up to one
   point and kept in 0..10; fixed seed): the median time of `design_service` for each aim, beside
   the floor: one `match_matrix` of the same clients against the menu, in the same run.

    python bench/designer.py [--repeats 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from advisor.catalog import SAMPLE_SURVEY_FILE, Catalog, load_catalog
from advisor.clinic.design import (
    OBJECTIVES,
    Brief,
    design_service,
    dimension_fits,
    exhaustive_search,
    service_name,
)
from advisor.decision.scoring import match_matrix
from advisor.files.reading import read_survey

SEED = 20261129
CLIENTS = 10_000


def brief(catalog: Catalog, survey: pd.DataFrame, objective: str = "most_clients") -> Brief:
    return Brief(
        survey,
        catalog.fits,
        catalog.fits,
        catalog.criteria_by_dimension(),
        catalog.service_limits,
        objective,
    )


def blend_wins(catalog: Catalog, survey: pd.DataFrame, medical: float) -> int:
    """Clients an even blend (every dimension `medical` share) beats every type for by more
    than the designer's margin: the same count as the designer's `most_clients` aim."""
    groups = catalog.criteria_by_dimension()
    fits = dimension_fits(catalog.fits, groups, np.full((1, len(groups)), medical))
    weights = survey[list(catalog.fits.columns)].to_numpy(dtype=float)
    blend = match_matrix(weights, fits)[:, 0]
    best = np.nanmax(match_matrix(weights, catalog.fits.to_numpy(dtype=float)), axis=1)
    return int(np.count_nonzero(blend > best + 1.0))


def larger(survey: pd.DataFrame, criteria: list[str]) -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    rows = survey.iloc[rng.integers(0, len(survey), CLIENTS)].reset_index(drop=True)
    noise = rng.uniform(-1, 1, (CLIENTS, len(criteria)))
    rows[criteria] = np.clip(np.round(rows[criteria].to_numpy() + noise), 0, 10)
    return rows


def median_s(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    catalog = load_catalog()
    data = (catalog.data_dir / SAMPLE_SURVEY_FILE).read_bytes()
    survey = read_survey(data, catalog.criterion_ids).frame
    design = design_service(brief(catalog, survey))
    coarse, coarse_wins = exhaustive_search(brief(catalog, survey))
    print(f"Sample survey ({len(survey)} clients), aim: the most clients")
    print(f"  design: {service_name(design, [], catalog)}, mixes (medical share) {design.mixes}")
    print(
        f"  wins {design.wins} ({design.share:.1%}) by more than 1 point over every type; "
        f"exhaustive 10% search: {coarse_wins}, mixes "
        f"{ {d: float(m) for d, m in zip(design.mixes, coarse, strict=True)} }"
    )
    taken = ", ".join(f"{k} {v:.1%}" for k, v in design.taken_from.items())
    print(f"  best match once added: {design.best_share:.1%} of clients (taken: {taken})")
    blends = {m: blend_wins(catalog, survey, m) for m in np.round(np.arange(0.1, 1.0, 0.1), 1)}
    print(
        "  even blends (medical share: clients won): "
        + ", ".join(f"{m:.0%}: {w}" for m, w in blends.items())
    )
    big = larger(survey, list(catalog.criterion_ids))
    weights = big[list(catalog.fits.columns)].to_numpy(dtype=float)
    fits = catalog.fits.to_numpy(dtype=float)
    floor = median_s(lambda: match_matrix(weights, fits), args.repeats)
    print(f"{CLIENTS:,} clients, median of {args.repeats}:")
    print(f"  floor: one match_matrix of the clients against the menu {floor * 1000:.2f} ms")
    for objective in OBJECTIVES:
        job = brief(catalog, big, objective)
        seconds = median_s(lambda job=job: design_service(job), args.repeats)
        print(f"  design_service, aim {objective}: {seconds:.3f} s (target under 2 s)")


if __name__ == "__main__":
    main()
