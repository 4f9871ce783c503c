"""How well the priorities questionnaire recovers a person's weights, in simulation.

Simulated respondents with random true weights, each type leading clearly (margin over 10
points) for half of them, answer all the questionnaire's screens (with and without Gumbel answer
noise); the estimated weights are compared with the true ones: mean Spearman rank correlation,
and the share whose sliders recommend the same type as their true weights. The floor is printed
beside them: respondents who answer at random (noise so large the weights no longer matter).

    python bench/elicitation_recovery.py [--per-type N] [--seed S]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from advisor.catalog import Catalog, load_catalog
from advisor.decision.elicitation import estimate_utilities, slider_weights
from advisor.decision.scoring import match_matrix, score

NOISES = (0.0, 1.0, 2.0, 1e6)


def simulated_answers(
    weights: np.ndarray,
    screens: Sequence[Sequence[int]],
    rng: np.random.Generator,
    noise: float = 0.0,
) -> list[tuple[int, int]]:
    """How a respondent with these true weights (items,) answers each screen (item indices).

    Random utility: each shown item gets its weight plus Gumbel noise of scale `noise` (slider
    points; 0 = none); the highest is picked as most, then the lowest of the rest, with fresh
    noise, as least. Ties between equal weights are broken at random by `rng`.
    """
    answers = []
    for screen in screens:
        shown = np.asarray(screen)
        values = weights[shown] + noise * rng.gumbel(size=len(shown))
        best = int(shown[np.argmax(values + 1e-9 * rng.random(len(shown)))])
        rest = shown[shown != best]
        values = weights[rest] - noise * rng.gumbel(size=len(rest))
        worst = int(rest[np.argmin(values + 1e-9 * rng.random(len(rest)))])
        answers.append((best, worst))
    return answers


@dataclass(frozen=True)
class Recovery:
    """How well simulated respondents' estimated weights recover their true weights."""

    mean_spearman: float  # rank correlation of true weights and utilities, averaged
    agreement: float  # share whose slider weights give the same leader as their true weights
    respondents: int


def clear_respondents(
    fits: pd.DataFrame, per_type: int, rng: np.random.Generator, clear_margin: float = 10.0
) -> np.ndarray:
    """(per_type * types) x criteria true weights: whole numbers 0..10 drawn uniformly, kept so
    that each type leads by more than `clear_margin` points for `per_type` of them (uniform
    weights alone would almost always favour the type with more high fits)."""
    kept: dict[int, list[np.ndarray]] = {t: [] for t in range(fits.shape[0])}
    fit_array = fits.to_numpy(dtype=float)
    while any(len(rows) < per_type for rows in kept.values()):
        batch = rng.integers(0, 11, (4096, fits.shape[1])).astype(float)
        matches = np.nan_to_num(match_matrix(batch, fit_array), nan=0.0)
        ordered = np.sort(matches, axis=1)
        clear = ordered[:, -1] - ordered[:, -2] > clear_margin
        for row, leader in zip(batch[clear], matches[clear].argmax(axis=1), strict=True):
            if len(kept[int(leader)]) < per_type:
                kept[int(leader)].append(row)
    return np.vstack([np.array(rows) for rows in kept.values()])


def recovery(catalog: Catalog, per_type: int, noise: float = 0.0, seed: int = 0) -> Recovery:
    """Simulated respondents (see clear_respondents: every type leads clearly for `per_type` of
    them) answer every screen (see simulated_answers); their utilities and slider weights are
    compared with the truth: Spearman's rank correlation of true weights and utilities, and the
    share whose slider weights, scored against the catalog's fits, give the true leader. The
    screens are the app's own (data/questionnaire.csv)."""
    fits = catalog.fits
    rng = np.random.default_rng(seed)
    people = clear_respondents(fits, per_type, rng)
    screens = catalog.screen_items
    rhos, agree = [], []
    for weights in people:
        answers = simulated_answers(weights, screens, rng, noise)
        utilities = estimate_utilities(screens, answers, len(weights))
        rhos.append(spearmanr(weights, utilities).statistic)
        agree.append(score(slider_weights(utilities), fits).leader == score(weights, fits).leader)
    return Recovery(float(np.mean(rhos)), float(np.mean(agree)), len(people))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-type", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    catalog = load_catalog()
    print(f"{args.per_type} simulated respondents per type and row, seed {args.seed}")
    print(f"{'answer noise (Gumbel scale, slider points)':>44} | mean Spearman | same type")
    for noise in NOISES:
        started = time.perf_counter()
        result = recovery(catalog, args.per_type, noise, args.seed)
        label = "random answers (floor)" if noise >= 1e6 else f"{noise:g}"
        print(
            f"{label:>44} | {result.mean_spearman:13.3f} | {result.agreement:6.1%} of "
            f"{result.respondents} ({time.perf_counter() - started:.1f} s)"
        )


if __name__ == "__main__":
    main()
