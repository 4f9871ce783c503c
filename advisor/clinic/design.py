"""Design a service for the gap, dimension by dimension, as the article describes the two types.

A designed service takes each of the article's four dimensions (purpose, treatment focus,
therapist training, setting) from medical massage, from spa massage, or as a mix of the two: a
dimension mixed at `m` (0..1, the medical share) has, on each of its criteria, the fit
`m * medical + (1 - m) * spa`, rounded to one decimal. The stated trade-offs of
`data/service_limits.csv` must hold. A service with the better of the two fits on every
criterion ("best of both") breaks them and is refused.

Two objectives, the owner picks:

- `most_clients`: the most clients for whom the new service beats every service on the menu by
  more than `MARGIN` match points;
- `lift_unserved`: the most clients now under the owner's threshold whom it lifts to or above it.

The search is exhaustive over every 10% step of the four mixes (11^4 = 14,641 designs), then
refined on the 5% steps next to the best (3^4 designs); ties go to the higher mean match over
all clients, then to the first design in grid order, so the same input always gives the same design.

Match is linear in the fits (DESIGN.md: M = 10 * sum(w * f) / sum(w)), so a client's match with
a design is their match with spa plus, per dimension, the mix times that dimension's
medical-minus-spa contribution: designs are scored with one small product per block of clients.
Designs are grouped by their first two mixes and each group bounded from above (the other two
mixes at their best for every client); groups that cannot beat the best found so far are
skipped, so the answer is exactly the exhaustive search's at a fraction of its cost.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from advisor.catalog import Catalog
from advisor.decision.scoring import match_matrix, survey_weights

OBJECTIVES = ("most_clients", "lift_unserved")
# Each objective in the owner's words: the designer's choice, and how the answer names its aim.
AIMS = {
    "most_clients": "Be the best match for the most clients",
    "lift_unserved": "Lift the most unserved clients above the threshold",
}
MARGIN = 1.0
GRID_STEP = 0.1
FINE_STEP = 0.05
FIT_DECIMALS = 1
_BLOCK = 1024
# A match within this many points of its target counts as equal to it (float rounding).
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Design:
    """A designed service and what it would win on one survey against one menu.

    mixes: dimension id -> medical share (0..1). fits: criterion id -> fit (0..10, 1 decimal).
    wins: clients won under the objective, of `clients` in the survey. taken_from: service id ->
    share of all clients (0..1) won from that service (their best match before). best_share:
    the share of clients (0..1) whose best match it would be once on the menu (any margin).
    """

    mixes: dict[str, float]
    fits: pd.Series
    objective: str
    wins: int
    clients: int
    taken_from: pd.Series
    best_share: float

    @property
    def share(self) -> float:
        return self.wins / max(self.clients, 1)


def dimension_fits(
    parents: pd.DataFrame, groups: Mapping[str, Sequence[str]], mixes: np.ndarray
) -> np.ndarray:
    """Fits (k x C, criteria in `parents` column order) of k designs given as k x D mixes.

    parents: rows `medical` and `spa`, one column per criterion; groups: dimension id ->
    its criterion ids, in the order of the mixes' columns.
    """
    medical = parents.loc["medical"].to_numpy(dtype=float)
    spa = parents.loc["spa"].to_numpy(dtype=float)
    columns = list(parents.columns)
    share = np.zeros((len(mixes), len(columns)))
    for position, criteria in enumerate(groups.values()):
        for criterion in criteria:
            share[:, columns.index(criterion)] = mixes[:, position]
    return np.round(spa + share * (medical - spa), FIT_DECIMALS)


def limit_problems(
    profile: Mapping[str, float], limits: pd.DataFrame, labels: Mapping[str, str] | None = None
) -> list[str]:
    """The stated trade-offs a service's fits break, each as a sentence with its reason.

    profile: criterion id -> fit (0..10). limits: rows of data/service_limits.csv
    (criterion_a, criterion_b, max_sum, reason). labels: criterion id -> name to show.
    """
    names = labels or {}
    problems = []
    for limit in limits.itertuples():
        total = float(profile[limit.criterion_a]) + float(profile[limit.criterion_b])
        if total > limit.max_sum + 1e-9:
            a = names.get(limit.criterion_a, limit.criterion_a)
            b = names.get(limit.criterion_b, limit.criterion_b)
            problems.append(f"{a} + {b} = {total:g}, over {limit.max_sum:g}: {limit.reason}")
    return problems


def _within_limits(fits: np.ndarray, columns: list[str], limits: pd.DataFrame) -> np.ndarray:
    keep = np.ones(len(fits), dtype=bool)
    for limit in limits.itertuples():
        total = (
            fits[:, columns.index(limit.criterion_a)] + fits[:, columns.index(limit.criterion_b)]
        )
        keep &= total <= limit.max_sum + 1e-9
    return keep


@functools.cache
def grid(step: float, dimensions: int) -> np.ndarray:
    """Every combination of mixes on `step` (0, step, ..., 1) for `dimensions` dimensions, as a
    read-only (combinations x dimensions) array, the last dimension varying fastest."""
    levels = np.round(np.arange(0.0, 1.0 + step / 2, step), 6)
    mesh = np.meshgrid(*[levels] * dimensions, indexing="ij")
    combos = np.stack([m.ravel() for m in mesh], axis=1)
    combos.setflags(write=False)
    return combos


@dataclass(frozen=True)
class _Space:
    """The grid's designs that keep every limit (k x D mixes), grouped by their first two
    mixes: `outer` holds each group's two mixes, `group_of` each design's group."""

    mixes: np.ndarray
    outer: np.ndarray
    group_of: np.ndarray


_SPACES: dict[tuple, tuple[pd.DataFrame, pd.DataFrame, _Space]] = {}


def _space(
    parents: pd.DataFrame, groups: Mapping[str, Sequence[str]], limits: pd.DataFrame, step: float
) -> _Space:
    """The search space, kept per parents, groups, limits and step: the catalog's are the same
    objects for every survey, menu and threshold, so a new threshold costs no regrouping.
    Frames are recognised by identity (the catalog is read-only) and checked by content."""
    key = (id(parents), id(limits), tuple((d, tuple(c)) for d, c in groups.items()), step)
    kept = _SPACES.get(key)
    if kept is not None and kept[0] is parents and kept[1] is limits:
        return kept[2]
    mixes = grid(step, len(groups))
    mixes = mixes[
        _within_limits(dimension_fits(parents, groups, mixes), list(parents.columns), limits)
    ]
    outer, group_of = np.unique(mixes[:, :2], axis=0, return_inverse=True)
    space = _Space(mixes, outer, group_of.ravel())
    _SPACES.clear()
    _SPACES[key] = (parents, limits, space)
    return space


@dataclass(frozen=True)
class _Clients:
    """What the search needs per client: weights, target to beat, and who counts."""

    weights: np.ndarray
    target: np.ndarray
    eligible: np.ndarray
    strict: bool


def _clients(
    weights: np.ndarray, menu_fits: np.ndarray, objective: str, threshold: float
) -> _Clients:
    best = np.nanmax(np.nan_to_num(match_matrix(weights, menu_fits), nan=-np.inf), axis=1)
    has_weights = weights.sum(axis=1) > 0
    if objective == "most_clients":
        return _Clients(weights, best + MARGIN, has_weights, strict=True)
    if objective == "lift_unserved":
        target = np.full(len(weights), float(threshold))
        return _Clients(weights, target, has_weights & (best < threshold), strict=False)
    raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}, not {objective!r}")


def _count(matches: np.ndarray, clients: _Clients) -> np.ndarray:
    """Per design (column), how many eligible clients its match wins."""
    target = clients.target[:, None]
    won = _beats(matches, target, clients.strict)
    return (won & clients.eligible[:, None]).sum(axis=0)


def _score_linear(
    parents: pd.DataFrame, groups: Mapping[str, Sequence[str]], clients: _Clients, space: _Space
) -> tuple[np.ndarray, np.ndarray]:
    """Wins and mean match of many designs, from the linear form (exact for whole-number
    parents on a 10% grid, whose fits need no rounding)."""
    weights = clients.weights
    totals = weights.sum(axis=1)
    ok = totals > 0
    spa = parents.loc["spa"].to_numpy(dtype=float)
    delta = parents.loc["medical"].to_numpy(dtype=float) - spa
    columns = list(parents.columns)
    base = np.zeros(len(weights))
    base[ok] = 10.0 * (weights[ok] @ spa) / totals[ok]
    per_dimension = np.zeros((len(weights), len(groups)))
    for position, criteria in enumerate(groups.values()):
        index = [columns.index(c) for c in criteria]
        per_dimension[ok, position] = 10.0 * (weights[ok][:, index] @ delta[index]) / totals[ok]
    gap = clients.target - base
    reach = np.clip(per_dimension, 0, None).sum(axis=1)
    floor = np.clip(per_dimension, None, 0).sum(axis=1)
    strict = clients.strict
    always = clients.eligible & _beats(floor, gap, strict)
    open_ = clients.eligible & ~always & _beats(reach, gap, strict=False)
    rows = np.flatnonzero(open_)
    wins = _bounded_wins(space, per_dimension[rows], gap[rows], strict)
    wins[wins >= 0] += int(always.sum())
    mean = (base[ok].sum() + per_dimension[ok].sum(axis=0) @ space.mixes.T) / max(int(ok.sum()), 1)
    return wins, mean


def _won(lift: np.ndarray, gap: np.ndarray, strict: bool) -> np.ndarray:
    return _beats(lift, gap[None, :], strict)


def _beats(values: np.ndarray, target: np.ndarray, strict: bool) -> np.ndarray:
    """Where `values` beat `target` (strict: by more than TOLERANCE; else reach it within
    TOLERANCE): the one comparison of the linear search and the exact scoring, so that float
    rounding at an exact tie cannot count a client in one and not the other."""
    return values > target + TOLERANCE if strict else values >= target - TOLERANCE


def _bounded_wins(space: _Space, gains: np.ndarray, gap: np.ndarray, strict: bool) -> np.ndarray:
    """Wins per design among the open clients, by branch and bound on the first two
    dimensions: designs sharing them form a group whose wins cannot exceed the clients won with
    the other dimensions at their best for each client. Groups are scored most promising first;
    a group whose bound is under the best count so far is skipped and marked -1 (it cannot hold
    the best design), so the best design and its wins are exactly the exhaustive search's."""
    mixes, outer, group_of = space.mixes, space.outer, space.group_of
    wins = np.full(len(mixes), -1, dtype=np.int64)
    reach = np.clip(gains[:, 2:], 0, None).sum(axis=1)
    bound = np.zeros(len(outer), dtype=np.int64)
    for start in range(0, len(gap), _BLOCK):
        part = slice(start, start + _BLOCK)
        lift = outer @ gains[part, :2].T + reach[None, part]
        bound += np.count_nonzero(_won(lift, gap[part], strict), axis=1)
    best = -1
    for group in np.argsort(-bound, kind="stable"):
        if bound[group] < best:
            break
        members = np.flatnonzero(group_of == group)
        designs = mixes[members]
        count = np.zeros(len(members), dtype=np.int64)
        for start in range(0, len(gap), _BLOCK):
            part = slice(start, start + _BLOCK)
            count += np.count_nonzero(_won(designs @ gains[part].T, gap[part], strict), axis=1)
        wins[members] = count
        best = max(best, int(count.max()))
    return wins


def _score_exact(fits: np.ndarray, clients: _Clients) -> tuple[np.ndarray, np.ndarray]:
    matches = match_matrix(clients.weights, fits)
    ok = clients.weights.sum(axis=1) > 0
    mean = matches[ok].mean(axis=0) if ok.any() else np.zeros(len(fits))
    return _count(np.nan_to_num(matches, nan=-np.inf), clients), mean


def _best(wins: np.ndarray, mean: np.ndarray) -> int:
    """The most wins, then the higher mean match, then the first in grid order."""
    order = np.lexsort((np.arange(len(wins)), -np.round(mean, 9), -wins))
    return int(order[0])


@dataclass(frozen=True)
class Brief:
    """What a design is for. survey: clients x criteria weights (0..10; other columns
    ignored). menu_fits: services x criteria, every service on the menu now (medical and spa
    included). parents: the catalog fits of `medical` and `spa`. groups: dimension id ->
    criterion ids. limits: the rows of data/service_limits.csv. objective: `most_clients` or
    `lift_unserved`; threshold: percent, for `lift_unserved`."""

    survey: pd.DataFrame
    menu_fits: pd.DataFrame
    parents: pd.DataFrame
    groups: Mapping[str, Sequence[str]]
    limits: pd.DataFrame
    objective: str = "most_clients"
    threshold: float = 70.0


def exhaustive_search(brief: Brief, step: float = GRID_STEP) -> tuple[np.ndarray, int]:
    """The best mixes (length D) on a `step` grid and its wins: the baseline the designer must
    match or beat. The grid is scored in its linear form; the wins returned are the chosen
    design's, scored again in full precision. Raises ValueError for an unknown objective."""
    survey, menu_fits, parents, groups, limits = (
        brief.survey,
        brief.menu_fits,
        brief.parents,
        brief.groups,
        brief.limits,
    )
    objective, threshold = brief.objective, brief.threshold
    columns = list(parents.columns)
    clients = _clients(
        survey_weights(survey, columns),
        menu_fits[columns].to_numpy(float),
        objective,
        threshold,
    )
    space = _space(parents, groups, limits, step)
    wins, mean = _score_linear(parents, groups, clients, space)
    best = space.mixes[_best(wins, mean)]
    exact, _ = _score_exact(dimension_fits(parents, groups, best[None, :]), clients)
    return best, int(exact[0])


def design_service(brief: Brief) -> Design:
    """The service that wins the most clients under the brief's objective, dimension by
    dimension. Never fewer wins than `exhaustive_search` on a 10% grid; every limit holds.
    Raises ValueError for an unknown objective.
    """
    survey, parents, groups, limits = brief.survey, brief.parents, brief.groups, brief.limits
    objective, threshold = brief.objective, brief.threshold
    columns = list(parents.columns)
    menu_fits = brief.menu_fits[columns]
    coarse, _ = exhaustive_search(brief)
    offsets = np.array(list(itertools.product((-FINE_STEP, 0.0, FINE_STEP), repeat=len(groups))))
    local = np.unique(np.clip(np.round(coarse + offsets, 6), 0, 1), axis=0)
    candidates = np.vstack([coarse[None, :], local])
    fits = dimension_fits(parents, groups, candidates)
    keep = _within_limits(fits, columns, limits)
    candidates, fits = candidates[keep], fits[keep]
    weights = survey_weights(survey, columns)
    clients = _clients(weights, menu_fits[columns].to_numpy(float), objective, threshold)
    wins, mean = _score_exact(fits, clients)
    best = _best(wins, mean)
    return _design(
        candidates[best], fits[best], int(wins[best]), survey, menu_fits, clients, groups, objective
    )


def _design(
    mixes: np.ndarray,
    fits: np.ndarray,
    wins: int,
    survey: pd.DataFrame,
    menu_fits: pd.DataFrame,
    clients: _Clients,
    groups: Mapping[str, Sequence[str]],
    objective: str,
) -> Design:
    matches = match_matrix(clients.weights, fits[None, :])[:, 0]
    won = clients.eligible & _beats(matches, clients.target, clients.strict)
    before = match_matrix(clients.weights, menu_fits[list(menu_fits.columns)].to_numpy(float))
    origin = np.asarray(menu_fits.index, dtype=object)[
        np.argmax(np.nan_to_num(before, nan=-1.0), axis=1)
    ]
    taken = pd.Series(origin[won]).value_counts().reindex(menu_fits.index, fill_value=0)
    best_before = np.nanmax(np.nan_to_num(before, nan=-np.inf), axis=1)
    best_after = int(np.count_nonzero(np.nan_to_num(matches, nan=-np.inf) > best_before))
    return Design(
        mixes={d: float(m) for d, m in zip(groups, mixes, strict=True)},
        fits=pd.Series(fits, index=menu_fits.columns),
        objective=objective,
        wins=wins,
        clients=len(survey),
        taken_from=taken / max(len(survey), 1),
        best_share=best_after / max(len(survey), 1),
    )


def _between(catalog: Catalog, dimension: str) -> tuple[str, str]:
    """The medical and the spa trait of a dimension, in the designer's words (dimensions.csv)."""
    row = catalog.dimensions.loc[dimension]
    return str(row["medical_trait"]), str(row["spa_trait"])


def source_of(mix: float) -> str:
    """'medical', 'spa' or 'mix' for a dimension's medical share (0..1)."""
    return "medical" if mix >= 1 else "spa" if mix <= 0 else "mix"


def plain_words(design: Design, catalog: Catalog) -> pd.DataFrame:
    """One row per dimension: its label, where it comes from ("Medical massage", "Spa massage"
    or "a mix (60% medical, 40% spa)") and what that means, in the article's terms
    (data/types.csv and data/type_descriptions.csv)."""
    rows = []
    texts = catalog.type_descriptions.set_index(["type_id", "dimension"])["text"]
    for dimension, mix in design.mixes.items():
        source = source_of(mix)
        if source == "mix":
            origin = f"a mix ({mix * 100:.0f}% medical, {100 - mix * 100:.0f}% spa)"
            medical, spa = _between(catalog, dimension)
            meaning = f"Between the two: {medical} and {spa}."
        else:
            origin = catalog.type_name(source)
            meaning = str(texts[(source, dimension)])
        rows.append(
            {
                "Dimension": str(catalog.dimensions.at[dimension, "label"]),
                "Taken from": origin,
                "What it means": meaning,
            }
        )
    return pd.DataFrame(rows)


def delivery(design: Design, catalog: Catalog) -> str:
    """Who delivers it, where, how long: one sentence from data/types.csv."""
    parts = []
    for dimension, column in (
        ("therapist_training", "session_provider"),
        ("setting_environment", "session_setting"),
        ("setting_environment", "session_length"),
    ):
        source = source_of(design.mixes.get(dimension, 0.5))
        if source == "mix":
            parts.append(" and ".join(_between(catalog, dimension)) + " in between")
        else:
            text = str(catalog.types.at[source, column]).rstrip(".")
            parts.append(text[0].lower() + text[1:])
    who, where, length = parts
    return f"Who delivers it: {who}. Where: {where}. How long: {length}."


_NAME_ROOM = 52
ALL_MIXED = "Mixed massage, every dimension mixed"


def service_name(design: Design, taken: Sequence[str], catalog: Catalog) -> str:
    """A short name (at most 60 characters) not in `taken`: the type most dimensions come
    from, then what differs, in the words of dimensions.csv, e.g. 'Spa massage, clinical
    therapist'."""
    sources = {d: source_of(m) for d, m in design.mixes.items()}
    medical = sum(s == "medical" for s in sources.values())
    spa = sum(s == "spa" for s in sources.values())
    setting = sources.get("setting_environment", "spa")
    base = "medical" if medical > spa else "spa" if spa > medical else setting
    if base == "mix":
        base = "spa"
    name = catalog.type_name(base)
    if all(source == "mix" for source in sources.values()):
        name = ALL_MIXED
    for dimension, source in sources.items():
        if source != base and name != ALL_MIXED:
            words = str(catalog.dimensions.at[dimension, f"{source}_name"])
            if len(name) + len(words) + 2 <= _NAME_ROOM:
                name += ", " + words
    candidate, number = name, 2
    lowered = {t.casefold() for t in taken}
    while candidate.casefold() in lowered:
        candidate, number = f"{name} ({number})", number + 1
    return candidate
