"""The clinic's view: services against segments, a positioning map, client mix and what-if.

Services are rows of a fits frame (types x criteria): medical and spa from the catalog, plus the
clinic's own. Segments and survey clients are weight vectors on the same criteria, so everything
here goes through the one scoring function, `match_matrix`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from advisor.bidi import isolate
from advisor.catalog import Axis
from advisor.decision.scoring import best_match, labels_at, match_matrix, survey_weights

DEFAULT_UNSERVED_THRESHOLD = 70.0


def axis_positions(vectors: pd.DataFrame, axes: Sequence[Axis]) -> pd.DataFrame:
    """Each row's position on the axes (Catalog.map_axes), one column per axis id, x first:
    the mean of its values (0..10) on each axis's criteria."""
    values = vectors.to_numpy(dtype=float)
    columns = list(vectors.columns)
    return pd.DataFrame(
        {
            axis.id: values[:, [columns.index(c) for c in axis.criteria]].mean(axis=1)
            for axis in axes
        },
        index=vectors.index,
    )


def segment_matrix(segment_weights: pd.DataFrame, fits: pd.DataFrame) -> pd.DataFrame:
    """Match (%) of every segment (rows) with every service (columns)."""
    matches = match_matrix(
        segment_weights[list(fits.columns)].to_numpy(dtype=float), fits.to_numpy(dtype=float)
    )
    return pd.DataFrame(matches, index=segment_weights.index, columns=fits.index)


def best_per_segment(matrix: pd.DataFrame) -> pd.Series:
    return pd.Series(best_match(matrix.to_numpy(), list(matrix.columns)), index=matrix.index)


@dataclass(frozen=True)
class Split:
    """How clients split by best service at a threshold: the client-mix chart's and table's
    numbers, and the answer's.

    clients: service id -> clients whose best match it is (every service on the menu, 0
    included, in menu order). served: service id -> how many of them it matches at or above
    `threshold` (percent). total: every client, those who gave every priority 0 included (they
    have no best match).
    """

    clients: pd.Series
    served: pd.Series
    total: int
    threshold: float

    def shares(self) -> pd.Series:
        """Share of all clients (0..1) whose best match is each service."""
        return self.clients / max(self.total, 1)

    @property
    def unserved(self) -> int:
        """Clients whose best match is under the threshold."""
        return int((self.clients - self.served).sum())

    def unserved_share(self) -> float:
        return self.unserved / max(self.total, 1)

    @property
    def without_priorities(self) -> int:
        return self.total - int(self.clients.sum())


@dataclass(frozen=True)
class ClientMix:
    """A survey seen through a menu of services."""

    matches: pd.DataFrame
    best: pd.Series
    best_score: pd.Series
    nearest_segment: pd.Series
    threshold: float

    @property
    def clients(self) -> int:
        return len(self.best)

    def shares(self) -> pd.Series:
        """Share of clients (0..1) whose best match is each service, served or not."""
        counts = self.best.value_counts().reindex(self.matches.columns, fill_value=0)
        return counts / max(self.clients, 1)

    @property
    def unserved(self) -> pd.Series:
        """True for clients whose best match is under the threshold. A client who gave every
        priority 0 has no match at all: not unserved (no service could serve them better), and
        counted apart (`without_priorities`), as the designer counts them."""
        return self.best_score < self.threshold

    @property
    def without_priorities(self) -> int:
        """How many clients gave every priority 0 (no best match, no segment)."""
        return int(self.best_score.isna().sum())

    def unserved_share(self) -> float:
        return float(self.unserved.mean()) if self.clients else 0.0

    def split(self) -> Split:
        """The clients by best service, and how many of them are served, at the threshold."""
        served = self.best[~self.unserved & self.best_score.notna()]
        return Split(
            self.best.value_counts().reindex(self.matches.columns, fill_value=0).astype(int),
            served.value_counts().reindex(self.matches.columns, fill_value=0).astype(int),
            self.clients,
            self.threshold,
        )

    def segment_shares(self) -> pd.Series:
        counts = self.nearest_segment.value_counts()
        return counts / max(self.clients, 1)


def nearest_segments(
    weights: np.ndarray, segment_weights: pd.DataFrame
) -> pd.api.extensions.ExtensionArray:
    """Per client, the segment whose priorities point the same way most (cosine similarity).

    Cosine, because the match ignores the scale of the weights: a client who gives (2, 4) wants
    what one who gives (5, 10) wants.
    """
    segments = segment_weights.to_numpy(dtype=float)
    directions = segments / np.linalg.norm(segments, axis=1, keepdims=True)
    # Dividing a row by its own length would not change which segment is nearest. Clients x
    # segments, so that each client's few similarities lie side by side for argmax (numpy 2.4:
    # 25 ms for a million clients, against 62 ms for segments x clients).
    nearest = np.argmax(weights @ directions.T, axis=1)
    nearest[~np.any(weights, axis=1)] = -1
    return labels_at(nearest, list(segment_weights.index))


def client_mix(
    survey: pd.DataFrame,
    fits: pd.DataFrame,
    segment_weights: pd.DataFrame,
    threshold: float = DEFAULT_UNSERVED_THRESHOLD,
) -> ClientMix:
    """Score every client against every service, and place each client in a segment."""
    weights = survey_weights(survey, list(fits.columns))
    matches = match_matrix(weights, fits.to_numpy(dtype=float))
    frame = pd.DataFrame(matches, index=survey.index, columns=fits.index)
    best = pd.Series(best_match(matches, list(fits.index)), index=survey.index)
    best_score = pd.Series(np.fmax.reduce(matches, axis=1), index=survey.index)  # NaN: none
    nearest = pd.Series(nearest_segments(weights, segment_weights), index=survey.index)
    return ClientMix(frame, best, best_score, nearest, threshold)


def average_priorities(
    survey: pd.DataFrame, segment_weights: pd.DataFrame, segment_labels: Mapping[str, str]
) -> pd.DataFrame:
    """Criteria x (your clients, then each segment): the mean weight each gives; a client's
    blank answer (NaN) is left out of the mean, never counted as 0."""
    table = segment_weights.T.rename(columns=dict(segment_labels))
    table.insert(0, "Your clients", survey[list(segment_weights.columns)].mean().to_numpy())
    return table


@dataclass(frozen=True)
class WhatIf:
    """How best-match shares move from one menu to another."""

    before: pd.Series
    after: pd.Series
    flows: pd.DataFrame

    @property
    def change(self) -> pd.Series:
        """Percentage points of all clients (0..100) gained (+) or lost (-) by each service."""
        services = self.before.index.union(self.after.index, sort=False)
        before = self.before.reindex(services, fill_value=0.0)
        after = self.after.reindex(services, fill_value=0.0)
        return (after - before) * 100


def what_if(survey: pd.DataFrame, before: pd.DataFrame, after: pd.DataFrame) -> WhatIf:
    """Compare two menus on one survey: shares before and after, and who moved where."""
    criteria = list(before.columns)
    weights = survey_weights(survey, criteria)
    best_before = best_match(
        match_matrix(weights, before.to_numpy(dtype=float)), list(before.index)
    )
    best_after = best_match(match_matrix(weights, after.to_numpy(dtype=float)), list(after.index))
    n = max(len(survey), 1)
    share_before = pd.Series(best_before).value_counts().reindex(before.index, fill_value=0) / n
    share_after = pd.Series(best_after).value_counts().reindex(after.index, fill_value=0) / n
    flows = pd.crosstab(pd.Series(best_before, name="from"), pd.Series(best_after, name="to")) / n
    return WhatIf(share_before, share_after, flows)


def what_if_text(result: WhatIf, names: Mapping[str, str]) -> str:
    """E.g. 'Hybrid would become best match for 18% of your clients. It would take 12 percentage
    points of your clients from spa and 6 percentage points from medical.' Every service whose share
    grows by a whole point or more is named, with where its clients come from (and go to): the
    parts add up to the shares as printed (rounded_parts)."""
    parts = [
        _growth_text(result, service, names)
        for service in result.after.index
        if round(result.after[service] * 100) > round(result.before.get(service, 0.0) * 100)
    ]
    if parts:
        return " ".join(p for _, p in sorted(parts, key=lambda p: -p[0]))
    if (result.change.abs() > 1e-9).any():
        return "The change would move the best match of less than 1% of your clients."
    added = [isolate(names.get(s, s)) for s in result.after.index if s not in result.before.index]
    if added:
        return f"Adding {listing(added)} would not move any client's best match."
    return "The change would not move any client's best match."


def _moves(result: WhatIf, service: str) -> tuple[pd.Series, pd.Series]:
    """Percentage points of all clients that `service` takes from each other service, and
    that it loses to each, largest first (none of 0)."""
    flows = result.flows * 100
    empty = pd.Series(dtype=float)
    moves = (
        flows[service] if service in flows.columns else empty,
        flows.loc[service] if service in flows.index else empty,
    )
    moves = [m.drop(labels=[service], errors="ignore") for m in moves]
    return tuple(m[m > 0].sort_values(ascending=False, kind="stable") for m in moves)


def _growth_text(result: WhatIf, service: str, names: Mapping[str, str]) -> tuple[int, str]:
    """One growing service: its share before and after, what it takes from each service and
    what it loses to each, in whole points that add up; and its growth (for the order)."""
    inflow, outflow = _moves(result, service)
    before, after = result.before.get(service, 0.0) * 100, result.after[service] * 100
    shown = (round(before), round(after))
    steps = rounded_parts([*inflow, *-outflow], shown[1] - shown[0])
    taken = [(p, o) for p, o in zip(steps[: len(inflow)], inflow.index, strict=True) if p]
    lost = [(-p, d) for p, d in zip(steps[len(inflow) :], outflow.index, strict=True) if p]
    words = [
        f"{percentage_points(p, first=k == 0)} from {isolate(names.get(o, o))}"
        for k, (p, o) in enumerate(taken)
    ]
    words += [
        f"{percentage_points(p, first=not taken and k == 0)} to {isolate(names.get(d, d))}"
        for k, (p, d) in enumerate(lost)
    ]
    name = isolate(names.get(service, service))
    if before == 0:
        text = f"{name} would become best match for {shown[1]}% of your clients."
    else:
        text = f"{name} would grow from {shown[0]}% to {shown[1]}% of your clients as best match."
    if words:
        words[0] = ("take " if taken else "lose ") + words[0]
        if taken and lost:
            words[len(taken)] = "lose " + words[len(taken)]
        text += " It would " + " and ".join(words) + "."
    return shown[1] - shown[0], text


def rounded_parts(parts: Sequence[float], total: int) -> list[int]:
    """Whole numbers for `parts` (points, + or -) that add up to `total` (their sum as printed):
    each rounded to the nearest, then the fewest moved by 1 toward `total`, those rounded
    furthest the other way first (the first on a tie). A part never changes sign, so a
    share that grows (a positive total, its parts adding up to more than 0) can always be made
    up. Raises ValueError when no part can move toward `total` (parts that all shrink, with a
    total above 0)."""
    values = [float(p) for p in parts]
    shown = [round(v) for v in values]
    step = 1 if total > sum(shown) else -1
    for _ in range(abs(total - sum(shown))):
        movable = [i for i, v in enumerate(values) if v * step > 0 or shown[i] * step < 0]
        i = max(movable, key=lambda i: step * (values[i] - shown[i]))
        shown[i] += step
    return shown


def percentage_points(points: float, first: bool = True) -> str:
    """A share of all clients that moves, e.g. '12 percentage points of your clients': the unit
    in full the first time in a sentence (`first`), '6 percentage points' after that.

    points: 0..100, shown to the nearest whole point (singular for 1).
    """
    unit = "percentage point" if round(points) == 1 else "percentage points"
    return f"{points:.0f} {unit}" + (" of your clients" if first else "")


def typical_base(segment_weights: pd.DataFrame, shares: pd.Series) -> pd.Series:
    """The average priorities of a typical client base: segments weighted by their share."""
    weights = shares.reindex(segment_weights.index).fillna(0).to_numpy(dtype=float)
    return pd.Series(weights @ segment_weights.to_numpy(dtype=float), index=segment_weights.columns)


def listing(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
