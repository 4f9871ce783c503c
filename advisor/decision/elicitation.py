"""Best-worst scaling (MaxDiff): a few "most / least" choices instead of 13 sliders.

Method (case 1, the object case, of best-worst scaling): each screen shows four criteria and the
person picks the one that matters most and the one that matters least. The screens are a fixed,
balanced design stored in data/questionnaire.csv (Catalog.screens; made by
scripts/make_questionnaire.py). The weights come from the
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

import numpy as np
from scipy.optimize import minimize
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, shortest_path
from scipy.special import logsumexp

from advisor.catalog import Catalog

PRIOR_SD = 1.5
SLIDER_RULE = (
    "the criterion that matters most to you goes to 10 and the one that matters least to 0; "
    "every other one gets 10 times the square of where it lies between them (a criterion halfway "
    "gets 2.5, rounded to 2 or 3), so that only the criteria that stand out get high weights"
)

Answer = tuple[str, str]
"""(matters most, matters least) on one screen: two criterion ids of that screen."""


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


def elicit(catalog: Catalog, answers: Sequence[Answer | None]) -> Elicitation:
    """Slider weights from the answers to the catalog's questionnaire screens, screen by screen.

    answers[k] answers the k-th screen, or is None where it was skipped; screens past the end of
    `answers` were not reached (a person may stop at any time). Raises ValueError naming the
    screen when an answer is not two different criteria of that screen, or when there are more
    answers than screens.
    """
    ids, screens = list(catalog.criterion_ids), catalog.screens
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
