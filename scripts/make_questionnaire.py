"""Make data/questionnaire.csv: the priorities questionnaire's fixed, balanced design.

The app reads the design from data/ (checked on load: every criterion on some screen, each
screen ITEMS_PER_SCREEN distinct criteria); this seeded search made it, once, and remakes the same
file (`make questionnaire`); tests/advisor/decision/test_elicitation.py checks that the stored
design is this search's and how balanced it is.

    python scripts/make_questionnaire.py [--out PATH]
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parent.parent / "data"
ITEMS_PER_SCREEN = 4
MAX_SCREENS = 8
DESIGN_SEED = 15
DESIGN_TRIES = 300


@dataclass(frozen=True)
class Balance:
    """How balanced a design is: how often each item appears, and each pair together."""

    appearances: np.ndarray  # (items,) screens showing each item
    pairs: np.ndarray  # (items, items) screens showing both; the diagonal is 0

    @property
    def pairs_together(self) -> np.ndarray:
        """Counts of every unordered pair (i < j), flattened."""
        upper = np.triu_indices(len(self.appearances), k=1)
        return self.pairs[upper]


def design_balance(screens: Sequence[Sequence[int]], items: int) -> Balance:
    """Appearances of each of `items` items, and of each pair, over the screens (item indices)."""
    incidence = np.zeros((len(screens), items), dtype=int)
    for row, screen in enumerate(screens):
        incidence[row, list(screen)] = 1
    pairs = incidence.T @ incidence
    np.fill_diagonal(pairs, 0)
    return Balance(incidence.sum(axis=0), pairs)


def _next_screen(
    balance: Balance, items: int, per_screen: int, rng: np.random.Generator
) -> tuple[int, ...]:
    """One more screen, item by item: the least-shown item, then among those the one least
    often shown with the items already on the screen, ties broken at random."""
    chosen: list[int] = []
    while len(chosen) < per_screen:
        together = balance.pairs[:, chosen].sum(axis=1)
        order = np.lexsort((rng.random(items), together, balance.appearances))
        chosen.append(int(next(i for i in order if i not in chosen)))
    return tuple(chosen)


def _flaws(design: list[tuple[int, ...]], items: int) -> tuple[int, int, int]:
    """What makes a design less balanced, worst first: the spread of appearances, the most
    screens any pair shares, and how many pairs share more than one screen."""
    balance = design_balance(design, items)
    together = balance.pairs_together
    return int(np.ptp(balance.appearances)), int(together.max()), int((together > 1).sum())


def _covering_order(blocks: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """The blocks reordered so that each next one shows as many not-yet-shown items as it can
    (an early stop has then seen as many criteria as possible); ties keep the given order."""
    ordered: list[tuple[int, ...]] = []
    seen: set[int] = set()
    remaining = list(blocks)
    while remaining:
        block = max(remaining, key=lambda b: len(set(b) - seen))
        remaining.remove(block)
        ordered.append(block)
        seen.update(block)
    return ordered


def balanced_design(
    items: int,
    screens: int = MAX_SCREENS,
    per_screen: int = ITEMS_PER_SCREEN,
    seed: int = DESIGN_SEED,
) -> tuple[tuple[int, ...], ...]:
    """A fixed, balanced design: `screens` tuples of `per_screen` distinct item indices (0-based).

    Seeded search: DESIGN_TRIES designs are built screen by screen (see _next_screen) and the
    one with the fewest flaws (see _flaws) is kept, its screens ordered to show new items as
    early as possible and each screen's order shuffled. For 13 items, 8 screens of 4: every item
    on 2 or 3 screens, no pair on more than 2. (8 blocks of the projective plane of order 3, where
    no pair repeats, cannot show every item 2 or 3 times, so a few pairs must repeat.)
    Deterministic. Raises ValueError unless 2 <= per_screen < items and screens >= 1.
    """
    if not 2 <= per_screen < items or screens < 1:
        raise ValueError(
            f"a design needs 2 to {items - 1} items per screen and at least one screen, "
            f"got {per_screen} and {screens}"
        )
    rng = np.random.default_rng(seed)
    best: list[tuple[int, ...]] = []
    for _ in range(DESIGN_TRIES):
        design: list[tuple[int, ...]] = []
        while len(design) < screens:
            design.append(_next_screen(design_balance(design, items), items, per_screen, rng))
        if not best or _flaws(design, items) < _flaws(best, items):
            best = design
    return tuple(tuple(int(i) for i in rng.permutation(block)) for block in _covering_order(best))


def design_frame(criterion_ids: Sequence[str]) -> pd.DataFrame:
    """The design for these criteria (in their catalog order) as data/questionnaire.csv rows:
    screen (1-based) and criterion id, screen by screen in the order shown."""
    screens = balanced_design(len(criterion_ids))
    return pd.DataFrame(
        [(number, criterion_ids[i]) for number, s in enumerate(screens, start=1) for i in s],
        columns=["screen", "criterion_id"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA / "questionnaire.csv")
    args = parser.parse_args()
    criteria = pd.read_csv(DATA / "criteria.csv", dtype=str)["id"].tolist()
    design_frame(criteria).to_csv(args.out, index=False, lineterminator="\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
