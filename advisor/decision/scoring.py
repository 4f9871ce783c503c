"""The scoring model of DESIGN.md: match, contributions and the ranking.

Weights w_c and fits f_tc are both on 0..10. The match of type t is
M_t = 100 * sum_c(w_c * f_tc) / (10 * sum_c w_c), and the contribution of criterion c is the
term of that sum, so the contributions add up to the match. `match_matrix` is the one scoring
function: single scoring, batch scoring, the robustness sampler and the benchmarks all call it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

# A lead under this many points is too close to call. The rule is applied once, with the
# robustness and the "neither fits well" rule, in advisor.decision.explanation.
NEAR_TIE_POINTS = 5.0
WEIGHT_MIN = 0.0
WEIGHT_MAX = 10.0


def match_matrix(weights: np.ndarray, fits: np.ndarray) -> np.ndarray:
    """Match percentages of n weightings (n x C) against T types (T x C), as n x T.

    One matrix product computes both ten times the weighted fits and the weight totals (the
    fits, times 10, get a column of ones), so M = product / total is one division and the whole
    batch costs about one bare product. The product is written column-major, so the division
    runs over contiguous columns. Rows whose weights are all zero have no match: 0 / 0 is NaN.
    """
    weights = np.asarray(weights, dtype=float)
    fits = np.asarray(fits, dtype=float)
    types = fits.shape[0]
    augmented = np.empty((fits.shape[1], types + 1))
    augmented[:, :types] = 10.0 * fits.T
    augmented[:, types] = 1.0
    product = np.empty((weights.shape[0], types + 1), order="F")
    np.matmul(weights, augmented, out=product)
    matches = product[:, :types]
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(matches, product[:, types:], out=matches)
    return matches


def survey_weights(survey: pd.DataFrame, criteria: Sequence[str]) -> np.ndarray:
    """A survey's weights (clients x `criteria`, 0..10) for `match_matrix`: a blank answer
    (NaN, as advisor.files.reading gives it) gives no weight, so it counts 0 in the match.
    Averages of a survey leave a blank out instead (pandas' mean skips NaN)."""
    # Column by column into one column-major array: a survey holds one column per criterion,
    # and a copy of the whole frame at once costs about twice as much (bench/survey_files.py).
    weights = np.empty((len(survey), len(criteria)), order="F")
    for j, criterion in enumerate(criteria):
        weights[:, j] = survey[criterion].to_numpy(dtype=float, na_value=np.nan)
    np.copyto(weights, 0.0, where=np.isnan(weights))
    return weights


@dataclass(frozen=True)
class MatchResult:
    """The score of one weighting against every type, with what is needed to explain it."""

    type_ids: tuple[str, ...]
    criterion_ids: tuple[str, ...]
    weights: np.ndarray
    fits: np.ndarray
    matches: np.ndarray

    @property
    def has_weights(self) -> bool:
        """False when every weight is zero: there is no recommendation yet."""
        return bool(self.weights.sum() > 0)

    @property
    def contributions(self) -> np.ndarray:
        """T x C: the points (0..100) each criterion adds to each type's match; a type's row adds
        up to its match."""
        total = self.weights.sum()
        if total <= 0:
            return np.zeros_like(self.fits)
        return self.fits * self.weights * 10.0 / total

    def ranking(self) -> list[tuple[str, float]]:
        """Types from best to worst match; equal matches keep catalog order."""
        if not self.has_weights:
            return []
        order = np.argsort(-self.matches, kind="stable")
        return [(self.type_ids[i], float(self.matches[i])) for i in order]

    @property
    def leader(self) -> str | None:
        ranking = self.ranking()
        return ranking[0][0] if ranking else None

    @property
    def runner_up(self) -> str | None:
        ranking = self.ranking()
        return ranking[1][0] if len(ranking) > 1 else None

    @property
    def margin(self) -> float | None:
        """Points between the top two types; None without weights or with one type."""
        ranking = self.ranking()
        if len(ranking) < 2:
            return None
        return ranking[0][1] - ranking[1][1]

    def match_of(self, type_id: str) -> float:
        return float(self.matches[self.type_ids.index(type_id)])

    def contribution_frame(self) -> pd.DataFrame:
        """Contributions as a frame: one row per criterion, one column per type."""
        return pd.DataFrame(
            self.contributions.T, index=list(self.criterion_ids), columns=list(self.type_ids)
        )


def weight_vector(
    weights: Mapping[str, float] | Sequence[float] | np.ndarray, criterion_ids: Sequence[str]
) -> np.ndarray:
    """Weights in criterion order; a mapping may leave criteria out (they count as 0)."""
    if isinstance(weights, Mapping):
        unknown = set(weights) - set(criterion_ids)
        if unknown:
            raise KeyError(f"unknown criteria: {', '.join(sorted(unknown))}")
        vector = np.array([float(weights.get(c, 0.0)) for c in criterion_ids])
    else:
        vector = np.asarray(weights, dtype=float).copy()
        if vector.shape != (len(criterion_ids),):
            raise ValueError(f"expected {len(criterion_ids)} weights, got shape {vector.shape}")
    if np.any(~np.isfinite(vector)) or np.any(vector < WEIGHT_MIN) or np.any(vector > WEIGHT_MAX):
        raise ValueError("every weight must be a number from 0 to 10")
    return vector


def score(
    weights: Mapping[str, float] | Sequence[float] | np.ndarray, fits: pd.DataFrame
) -> MatchResult:
    """Score one weighting against the types of a fits frame (types x criteria)."""
    criterion_ids = tuple(fits.columns)
    vector = weight_vector(weights, criterion_ids)
    fit_array = fits.to_numpy(dtype=float)
    matches = match_matrix(vector[None, :], fit_array)[0]
    return MatchResult(
        type_ids=tuple(fits.index),
        criterion_ids=criterion_ids,
        weights=vector,
        fits=fit_array,
        matches=matches,
    )


def best_match(matches: np.ndarray, type_ids: Sequence[str]) -> pd.api.extensions.ExtensionArray:
    """The best type per row of a match matrix (n x T) as n texts; 'none' where a row has no
    weights."""
    best = np.argmax(np.fmax(matches, -1.0), axis=1)  # a match is 0..100; NaN counts as -1
    best[np.isnan(matches).all(axis=1)] = -1
    return labels_at(best, type_ids)


def labels_at(codes: np.ndarray, labels: Sequence[str]) -> pd.api.extensions.ExtensionArray:
    """`labels[code]` for every code, and 'none' for -1, as pandas text (n labels cost one
    lookup each, not n Python strings)."""
    table = pd.array([*labels, "none"], dtype="str")
    return table.take(np.where(codes < 0, len(labels), codes))
