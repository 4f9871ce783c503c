"""The scored survey: one format for the page and the command line.

The survey's own columns, then one match column per service (percent, 2 decimals) and
`best_match`, all from the one scoring function.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from advisor.decision.scoring import best_match, match_matrix


def match_columns(type_ids: Sequence[str]) -> list[str]:
    return [f"match_{t}" for t in type_ids]


def score_survey(frame: pd.DataFrame, fits: pd.DataFrame) -> pd.DataFrame:
    """The survey plus one match column per type (percent, 2 decimals) and best_match."""
    criteria = list(fits.columns)
    weights = frame[criteria].to_numpy(dtype=float)
    matches = match_matrix(weights, fits.to_numpy(dtype=float))
    scored = frame.copy()
    for column, values in zip(match_columns(fits.index), matches.T, strict=True):
        scored[column] = np.round(values, 2)
    scored["best_match"] = best_match(matches, list(fits.index))
    return scored
