"""How firm a result is: closed-form tipping points and sampled robustness.

Tipping point: hold every weight but one criterion's, and solve for the weight x of that criterion
at which the leader a and the challenger b tie. With d_c = f_ac - f_bc and S = the weighted
difference over the other criteria, the margin's numerator is S + x * d_c, so x* = -S / d_c.
Only points inside 0..10 are reported.

Robustness: move every weight at random within +-band (clipped to 0..10), score all the samples
with one matrix product and count how often the leader stays on top. The client reads the count as
"in N of 100 similar sets of priorities" (in_hundred); the Method page's account of it,
robustness_method, is built from the same constants, so the two cannot drift apart.
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
TIE_TOLERANCE = 1e-9  # match points: closer than this is a tie (batch products round apart)
DEFAULT_SAMPLES = 4000
SEED = 0
SIMILAR_SETS = "similar sets of priorities"  # the client's words for the nearby weightings
IN_HUNDRED = "in {n} of 100 " + SIMILAR_SETS


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


def per_hundred(kept: int, counted: int) -> int:
    """`kept` of `counted` as a whole number out of 100, a half rounded up (3,710 of 4,000 is
    92.75, so 93; 3,700 of 4,000 is 92.5, so 93 too). Integer arithmetic: no float rounding.
    0 when nothing was counted."""
    if counted <= 0:
        return 0
    return (200 * kept + counted) // (2 * counted)


@dataclass(frozen=True)
class Robustness:
    """The share of nearby weightings that keep the same top type: `kept` of the `samples`
    weightings that were counted (those with some weight left)."""

    leader: str
    share: float
    samples: int
    band: float
    kept: int

    @property
    def per_hundred(self) -> int:
        """The share as the client reads it: a whole number out of 100 (per_hundred)."""
        return per_hundred(self.kept, self.samples)


def in_hundred(rob: Robustness) -> str:
    """The client's words for how often the leader stays on top, e.g. "in 93 of 100 similar
    sets of priorities"."""
    return IN_HUNDRED.format(n=rob.per_hundred)


def robustness_method() -> str:
    """The Method page's account of `in_hundred`, in markdown, built from the constants the
    computation uses (DEFAULT_SAMPLES, CERTAINTY_BANDS, SEED) and from per_hundred itself."""
    bands = ", ".join(
        f"{CERTAINTY_LABELS[key].lower()} ±{band:g}" for key, band in CERTAINTY_BANDS.items()
    )
    kept = DEFAULT_SAMPLES * 928 // 1000  # an example count: 92.8% of the variations
    return (
        "**How firm it is** (robustness). Find my massage says that the leading type stays on "
        f"top *{IN_HUNDRED.format(n='N')}*. Those {SIMILAR_SETS} are {DEFAULT_SAMPLES:,} "
        "random variations of yours. In each, every priority (those at 0 included) is moved "
        "by a random amount drawn evenly (uniformly) between minus and plus a band that "
        f"depends on how sure you are ({bands} points), then kept within 0 to 10. Every "
        "variation is scored with the same formula, and the app counts those in which the same "
        "type is still on top (a tie for the top counts as on top). A variation in which every "
        "priority comes out at 0 has no match, and is left out of both the count and the "
        "total. N is the count divided by the total, times 100, rounded to a whole number (a "
        f"half rounds up): {kept:,} of {DEFAULT_SAMPLES:,} is "
        f"{100 * kept / DEFAULT_SAMPLES:g}, shown as {per_hundred(kept, DEFAULT_SAMPLES)} of "
        f"100. The draws come from NumPy's default random generator with a fixed seed ({SEED}), "
        "so the same priorities always give the same N."
    )


def sample_nearby(weights: np.ndarray, band: float, samples: int, seed: int = SEED) -> np.ndarray:
    """`samples` weightings, each weight moved uniformly within +-band and kept in 0..10."""
    if band < 0 or not np.isfinite(band):
        raise ValueError("band must be a finite number >= 0")
    rng = np.random.default_rng(seed)
    noise = rng.uniform(-band, band, size=(samples, weights.shape[0]))
    return np.clip(weights[None, :] + noise, WEIGHT_MIN, WEIGHT_MAX)


def robustness(
    result: MatchResult, band: float, samples: int = DEFAULT_SAMPLES, seed: int = SEED
) -> Robustness | None:
    """How often the current leader stays on top when the weights move within +-band."""
    leader = result.leader
    if leader is None:
        return None
    nearby = sample_nearby(result.weights, band, samples, seed)
    matches = match_matrix(nearby, result.fits)
    valid = ~np.isnan(matches).all(axis=1)
    if not valid.any():
        return Robustness(leader, 0.0, 0, band, 0)
    scored = matches[valid]
    # the leader stays on top when no type beats it by more than a rounding error (a batch
    # product may round an exact tie differently from the single one that chose the leader)
    kept = scored[:, result.type_ids.index(leader)] >= scored.max(axis=1) - TIE_TOLERANCE
    return Robustness(leader, float(np.mean(kept)), int(valid.sum()), band, int(kept.sum()))
