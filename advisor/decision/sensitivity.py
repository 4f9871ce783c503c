"""How firm a result is: closed-form tipping points and sampled robustness.

Tipping point: hold every weight but one criterion's, and solve for the weight x of that criterion
at which the leader a and the challenger b tie. With d_c = f_ac - f_bc and S = the weighted
difference over the other criteria, the margin's numerator is S + x * d_c, so x* = -S / d_c.
Only points inside 0..10 are reported.

Robustness: move every weight at random within +-band (clipped to 0..10), score all the samples
with one matrix product and count how often the leader stays on top.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from advisor.decision.scoring import WEIGHT_MAX, WEIGHT_MIN, MatchResult, match_matrix

CERTAINTY_BANDS: dict[str, float] = {"high": 1.0, "medium": 2.0, "low": 3.5}
CERTAINTY_LABELS: dict[str, str] = {
    "high": "Very sure",
    "medium": "Fairly sure",
    "low": "Not sure",
}
DEFAULT_CERTAINTY = "medium"
DEFAULT_SAMPLES = 4000


@dataclass(frozen=True)
class TippingPoint:
    """The weight of one criterion at which the challenger would draw level with the leader."""

    criterion_id: str
    current: float
    at: float
    leader: str
    challenger: str
    direction: Literal["up", "down"]

    @property
    def flip_at(self) -> int | None:
        """The nearest whole slider value at which the challenger is strictly ahead, if any."""
        at = round(self.at, 9)  # a tie on a whole value can come out a rounding error off it
        if self.direction == "up":
            value = math.floor(at) + 1
            return value if value <= WEIGHT_MAX else None
        value = math.ceil(at) - 1
        return value if value >= WEIGHT_MIN else None


def tipping_points(result: MatchResult) -> list[TippingPoint]:
    """Tipping points between the top two types, nearest to the current weights first."""
    leader, challenger = result.leader, result.runner_up
    if leader is None or challenger is None or not result.margin:
        return []
    a = result.type_ids.index(leader)
    b = result.type_ids.index(challenger)
    diff = result.fits[a] - result.fits[b]
    weighted = result.weights * diff
    points = []
    for c, cid in enumerate(result.criterion_ids):
        if diff[c] == 0:
            continue
        rest = np.delete(weighted, c).sum()  # not sum - own term: that cancels away digits
        at = -rest / diff[c]
        others = np.delete(result.weights, c).sum()
        if not (WEIGHT_MIN <= at <= WEIGHT_MAX) or (others <= 0 and at <= 0):
            continue
        direction: Literal["up", "down"] = "up" if diff[c] < 0 else "down"
        points.append(
            TippingPoint(cid, float(result.weights[c]), float(at), leader, challenger, direction)
        )
    return sorted(points, key=lambda p: abs(p.at - p.current))


@dataclass(frozen=True)
class Robustness:
    """The share of nearby weightings that keep the same top type."""

    leader: str
    share: float
    samples: int
    band: float

    @property
    def per_hundred(self) -> int:
        return int(round(self.share * 100))


def sample_nearby(weights: np.ndarray, band: float, samples: int, seed: int = 0) -> np.ndarray:
    """`samples` weightings, each weight moved uniformly within +-band and kept in 0..10."""
    if band < 0 or not np.isfinite(band):
        raise ValueError("band must be a finite number >= 0")
    rng = np.random.default_rng(seed)
    noise = rng.uniform(-band, band, size=(samples, weights.shape[0]))
    return np.clip(weights[None, :] + noise, WEIGHT_MIN, WEIGHT_MAX)


def robustness(
    result: MatchResult, band: float, samples: int = DEFAULT_SAMPLES, seed: int = 0
) -> Robustness | None:
    """How often the current leader stays on top when the weights move within +-band."""
    leader = result.leader
    if leader is None:
        return None
    nearby = sample_nearby(result.weights, band, samples, seed)
    matches = match_matrix(nearby, result.fits)
    valid = ~np.isnan(matches).all(axis=1)
    if not valid.any():
        return Robustness(leader, 0.0, 0, band)
    scored = matches[valid]
    # the leader stays on top when no type beats it by more than a rounding error (a batch
    # product may round an exact tie differently from the single one that chose the leader)
    kept = scored[:, result.type_ids.index(leader)] >= scored.max(axis=1) - 1e-9
    share = float(np.mean(kept))
    return Robustness(leader, share, int(valid.sum()), band)
