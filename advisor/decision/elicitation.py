"""Best-worst scaling (MaxDiff): a few "most / least" choices instead of 13 sliders.

Method (case 1, the object case, of best-worst scaling): each screen shows four criteria and the
person picks the one that matters most and the one that matters least. The weights come from the
maxdiff model of Marley and Louviere, *Some probabilistic models of best, worst, and best-worst
choices*, Journal of Mathematical Psychology 49(6), 464-480 (2005),
https://doi.org/10.1016/j.jmp.2005.05.003: criterion c has a utility u_c and the chance of picking
b as most and w as least on a screen S is exp(u_b - u_w) / sum over ordered pairs i != j in S of
exp(u_i - u_j), a multinomial logit over the pairs. Its log-likelihood depends on the answers only
through each criterion's best-minus-worst count (the score of Finn and Louviere, 1992), which is
therefore a sufficient statistic of the model. One person answers at most eight screens, fewer
than there are utilities, so the estimate is penalised maximum likelihood (a normal prior of
standard deviation PRIOR_SD on every utility, the usual fix for individual-level estimates), found
with scipy.optimize.minimize.

The utilities go onto the 0-10 sliders by SLIDER_RULE: the criterion with the highest utility
gets 10, the lowest 0, the others 10 x (relative position between them) squared, rounded. The
square was chosen in simulation (bench/elicitation_recovery.py): a straight line put the many
criteria a person never picks near 5, which drowned out the few they do care about.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, shortest_path
from scipy.special import logsumexp
from scipy.stats import spearmanr

from advisor.catalog import Catalog
from advisor.decision.scoring import match_matrix, score

ITEMS_PER_SCREEN = 4
MAX_SCREENS = 8
DESIGN_SEED = 15
DESIGN_TRIES = 300
PRIOR_SD = 1.5
SLIDER_RULE = (
    "the criterion that matters most to you goes to 10 and the one that matters least to 0; "
    "every other one gets 10 times the square of where it lies between them (a criterion halfway "
    "gets 2.5, rounded to 2 or 3), so that only the criteria that stand out get high weights"
)

Answer = tuple[str, str]
"""(matters most, matters least) on one screen: two criterion ids of that screen."""


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


@cache
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


def questionnaire(criterion_ids: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """The screens to show, in order: each a tuple of ITEMS_PER_SCREEN criterion ids."""
    ids = list(criterion_ids)
    return tuple(tuple(ids[i] for i in screen) for screen in balanced_design(len(ids)))


def _pair_rows(screen: Sequence[int], items: int) -> np.ndarray:
    """The ordered pairs (best, worst) of one screen, as rows of +1 (best) and -1 (worst)."""
    pairs = list(itertools.permutations(screen, 2))
    rows = np.zeros((len(pairs), items))
    for row, (best, worst) in enumerate(pairs):
        rows[row, best] = 1.0
        rows[row, worst] = -1.0
    return rows


def estimate_utilities(
    screens: Sequence[Sequence[int]],
    answers: Sequence[tuple[int, int]],
    items: int,
    prior_sd: float = PRIOR_SD,
) -> np.ndarray:
    """Utilities (items,) of the maxdiff model, by penalised maximum likelihood.

    screens[k] holds the item indices of the k-th answered screen and answers[k] its
    (best, worst) indices. The penalty sum(u**2) / (2 * prior_sd**2) keeps the estimate finite
    when the answers never contradict each other; an item never shown stays at 0.
    """
    if not screens:
        return np.zeros(items)
    pairs = np.stack([_pair_rows(screen, items) for screen in screens])  # screens x pairs x items
    chosen = np.zeros(items)
    for best, worst in answers:
        chosen[best] += 1.0
        chosen[worst] -= 1.0

    def loss(u: np.ndarray) -> tuple[float, np.ndarray]:
        logits = pairs @ u  # screens x pairs
        norm = logsumexp(logits, axis=1, keepdims=True)
        probs = np.exp(logits - norm)
        value = -(chosen @ u - norm.sum()) + u @ u / (2 * prior_sd**2)
        grad = -(chosen - np.einsum("sp,spi->i", probs, pairs)) + u / prior_sd**2
        return float(value), grad

    fitted = minimize(loss, np.zeros(items), jac=True, method="BFGS")
    return fitted.x


def slider_weights(utilities: np.ndarray) -> np.ndarray:
    """Whole-number slider weights 0..10 from utilities, by SLIDER_RULE; all 5 when the
    utilities are all equal (no answer says one criterion matters more than another)."""
    low, high = float(utilities.min()), float(utilities.max())
    if high - low < 1e-9:
        return np.full(len(utilities), 5, dtype=int)
    return np.rint(10.0 * ((utilities - low) / (high - low)) ** 2).astype(int)


@dataclass(frozen=True)
class Step:
    """One link of a contradiction: on `screen` (1-based) `higher` was put above `lower`."""

    higher: str
    lower: str
    screen: int


@dataclass(frozen=True)
class Elicitation:
    """Weights from the answered screens, with what the person should know about them."""

    weights: dict[str, int]  # criterion id -> slider weight 0..10
    utilities: dict[str, float]  # criterion id -> maxdiff utility (log scale)
    screens_answered: int
    screens_total: int
    not_asked: tuple[str, ...]  # criteria no answered screen showed: their slider is a guess
    contradictions: tuple[tuple[Step, ...], ...]  # each a cycle: a > b > ... > a

    @property
    def complete(self) -> bool:
        return self.screens_answered == self.screens_total


def _check(screen: Sequence[str], answer: Answer, number: int) -> None:
    best, worst = answer
    if best not in screen or worst not in screen:
        raise ValueError(
            f"screen {number}: the answers must be among {', '.join(screen)}, got {best}, {worst}"
        )
    if best == worst:
        raise ValueError(f"screen {number}: {best} cannot matter both most and least")


def contradictions(
    screens: Sequence[Sequence[str]], answers: Sequence[Answer | None]
) -> tuple[tuple[Step, ...], ...]:
    """Cycles in what the answers say: each answer puts the "most" criterion above the three
    others of its screen and the "least" one below them; a cycle a > b > ... > a means two or
    more answers disagree. One shortest cycle per group of criteria caught in one, as steps."""
    edges: dict[tuple[str, str], int] = {}
    for number, (screen, answer) in enumerate(zip(screens, answers, strict=True), start=1):
        if answer is None:
            continue
        best, worst = answer
        for other in screen:
            if other != best:
                edges.setdefault((best, other), number)
            if other not in (best, worst):
                edges.setdefault((other, worst), number)
    ids = sorted({c for edge in edges for c in edge})
    if not edges:
        return ()
    index = {c: i for i, c in enumerate(ids)}
    rows, cols = zip(*((index[a], index[b]) for a, b in edges), strict=True)
    graph = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(ids), len(ids)))
    _, labels = connected_components(graph, directed=True, connection="strong")
    distances, previous = shortest_path(graph, unweighted=True, return_predecessors=True)
    cycles = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        if len(members) < 2:
            continue
        start = int(members[0])
        closing = min(
            (int(m) for m in members if (ids[m], ids[start]) in edges),
            key=lambda m: distances[start, m],
        )
        path = [closing]
        while path[-1] != start:
            path.append(int(previous[start, path[-1]]))
        loop = [*reversed(path), start]
        steps = [(ids[a], ids[b]) for a, b in itertools.pairwise(loop)]
        cycles.append(tuple(Step(a, b, edges[(a, b)]) for a, b in steps))
    return tuple(cycles)


def elicit(criterion_ids: Sequence[str], answers: Sequence[Answer | None]) -> Elicitation:
    """Slider weights from the answers to questionnaire(criterion_ids), screen by screen.

    answers[k] answers the k-th screen, or is None where it was skipped; screens past the end of
    `answers` were not reached (a person may stop at any time). Raises ValueError naming the
    screen when an answer is not two different criteria of that screen, or when there are more
    answers than screens.
    """
    ids = list(criterion_ids)
    screens = questionnaire(ids)
    if len(answers) > len(screens):
        raise ValueError(f"{len(answers)} answers for {len(screens)} screens")
    done = [(k, a) for k, a in enumerate(answers) if a is not None]
    for k, answer in done:
        _check(screens[k], answer, k + 1)
    index = {c: i for i, c in enumerate(ids)}
    utilities = estimate_utilities(
        [[index[c] for c in screens[k]] for k, _ in done],
        [(index[best], index[worst]) for _, (best, worst) in done],
        len(ids),
    )
    seen = {c for k, _ in done for c in screens[k]}
    weights = slider_weights(utilities) if done else np.zeros(len(ids), dtype=int)
    return Elicitation(
        weights={c: int(w) for c, w in zip(ids, weights, strict=True)},
        utilities={c: float(u) for c, u in zip(ids, utilities, strict=True)},
        screens_answered=len(done),
        screens_total=len(screens),
        not_asked=tuple(c for c in ids if c not in seen) if done else (),
        contradictions=contradictions(screens[: len(answers)], answers),
    )


def progress_note(result: Elicitation, catalog: Catalog) -> str:
    """One plain sentence: how many screens the weights rest on, and which sliders are a guess."""
    note = (
        f"Your priorities were set from your answers to {result.screens_answered} of "
        f"{result.screens_total} screens."
    )
    if result.not_asked:
        labels = ", ".join(catalog.criterion_label(c) for c in result.not_asked)
        note += (
            f" {len(result.not_asked)} were on no screen you answered ({labels}): their sliders "
            "are only a guess from the rest, so set them yourself."
        )
    return note


def contradiction_text(cycle: Sequence[Step], catalog: Catalog) -> str:
    """A contradiction in plain words, e.g. "you put Pain relief above Relaxation (screen 1),
    Relaxation above Range of motion (screen 4), but Range of motion above Pain relief
    (screen 6)"."""
    links = [
        f"{catalog.criterion_label(s.higher)} above {catalog.criterion_label(s.lower)} "
        f"(screen {s.screen})"
        for s in cycle
    ]
    chain = ", ".join(links[:-1]) + f", but {links[-1]}" if len(links) > 1 else links[0]
    return (
        f"Some answers disagree: you put {chain}. Check these on the sliders under "
        "Your priorities and set them as you see fit."
    )


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


def recovery(fits: pd.DataFrame, per_type: int, noise: float = 0.0, seed: int = 0) -> Recovery:
    """Simulated respondents (see clear_respondents: every type leads clearly for `per_type` of
    them) answer every screen (see simulated_answers); their utilities and slider weights are
    compared with the truth: Spearman's rank correlation of true weights and utilities, and the
    share whose slider weights, scored against `fits` (types x criteria), give the true leader."""
    rng = np.random.default_rng(seed)
    people = clear_respondents(fits, per_type, rng)
    screens = balanced_design(fits.shape[1])
    rhos, agree = [], []
    for weights in people:
        answers = simulated_answers(weights, screens, rng, noise)
        utilities = estimate_utilities(screens, answers, len(weights))
        rhos.append(spearmanr(weights, utilities).statistic)
        agree.append(score(slider_weights(utilities), fits).leader == score(weights, fits).leader)
    return Recovery(float(np.mean(rhos)), float(np.mean(agree)), len(people))
