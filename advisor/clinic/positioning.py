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

from advisor.catalog import Axis
from advisor.clinic.design import AIMS
from advisor.decision.scoring import best_match, labels_at, match_matrix, survey_weights

DEFAULT_UNSERVED_THRESHOLD = 70.0


def axis_positions(vectors: pd.DataFrame, axes: Sequence[Axis]) -> pd.DataFrame:
    """Each row's position on the axes (Catalog.map_axes), one column per axis id, x first:
    the mean of its values (0..10) on each axis's criteria."""
    return pd.DataFrame(
        {axis.id: vectors[list(axis.criteria)].mean(axis=1) for axis in axes},
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
    # Dividing a row by its own length would not change which segment is nearest.
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
    best_score = pd.Series(
        np.nanmax(np.where(np.isnan(matches), -np.inf, matches), axis=1), index=survey.index
    ).replace(-np.inf, np.nan)
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
    """E.g. 'Hybrid would become best match for 18% of your clients, taking 12 percentage points
    of your clients from spa and 6 percentage points from medical.'"""
    change = result.change
    gained = change[change > 0.05].sort_values(ascending=False)
    if gained.empty:
        added = [names.get(s, s) for s in result.after.index if s not in result.before.index]
        if added:
            return f"Adding {_listing(added)} would not move any client's best match."
        return "The change would not move any client's best match."
    parts = []
    for service in gained.index:
        sources = []
        if service in result.flows.columns:
            inflow = result.flows[service].drop(labels=[service], errors="ignore") * 100
            for origin, taken in inflow.sort_values(ascending=False).items():
                if taken >= 0.5:
                    moved = percentage_points(taken, first=not sources)
                    sources.append(f"{moved} from {names.get(origin, origin)}")
        share = result.after.get(service, 0.0) * 100
        verb = "would become" if result.before.get(service, 0.0) == 0 else "would grow to"
        text = f"{names.get(service, service)} {verb} best match for {share:.0f}% of your clients"
        if sources:
            text += ", taking " + " and ".join(sources)
        parts.append(text)
    return "; ".join(parts) + "."


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


def biggest_gap(services: pd.DataFrame, segments: pd.DataFrame) -> tuple[str, float]:
    """The segment farthest (on the map, 0..10 axes) from its nearest service, and that
    distance in axis points (not match points, not percentage points)."""
    s = services.to_numpy()
    g = segments.to_numpy()
    distances = np.sqrt(((g[:, None, :] - s[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
    worst = int(np.argmax(distances))
    return str(segments.index[worst]), float(distances[worst])


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@dataclass(frozen=True)
class Lift:
    """The one change for the unserved: a design's name and how many clients it lifts."""

    name: str
    lifted: int


def owner_summary(
    best: pd.Series,
    names: Mapping[str, str],
    segment_names: Mapping[str, str],
    gap: tuple[str, float],
    mix: ClientMix,
    priorities: tuple[pd.Series, pd.Series],
    labels: Mapping[str, str],
    lift: Lift,
) -> list[str]:
    """The answer first, in four plain sentences, from the numbers the charts show.

    best: segment id -> best service id (the heatmap's stars). gap: `biggest_gap` on the map.
    priorities: (your clients' mean weight, the typical base's) per criterion, 0..10.
    lift: the design that lifts the most unserved clients (objective `lift_unserved`); the last
    sentence names that aim in the designer's words (`AIMS`), as the designer may show another.
    """
    by_service = [
        f"{names.get(service, service)} for "
        + _listing([segment_names.get(s, s) for s in best.index[best == service]])
        for service in dict.fromkeys(best)
    ]
    lead = "Lead with " + "; and with ".join(by_service) + "."
    segment, distance = gap
    closest = float(mix.segment_shares().get(segment, 0.0)) * 100
    gap_text = (
        f"The biggest gap is {segment_names.get(segment, segment)}: {distance:.1f} points away "
        "from the nearest service, measured on the map's 0-10 axes; "
        f"{closest:.0f}% of your clients are closest to them, and "
        f"{mix.unserved_share() * 100:.0f}% of all your clients match no service at "
        f"{mix.threshold:.0f}% or more."
    )
    yours, typical = priorities
    diff = (yours - typical).reindex(yours.index)
    most = str(diff.abs().idxmax())
    direction = "higher" if diff[most] > 0 else "lower"
    asks = (
        f'Your clients rate "{labels.get(most, most)}" {direction} than a typical '
        f"client base ({yours[most]:.1f} against {typical[most]:.1f} out of 10; the typical "
        "base's segment shares follow the AMTA 2012 consumer survey, their split within medical "
        "and other reasons is assumed)."
    )
    unserved = int(mix.unserved.sum())
    aim = f'"{AIMS["lift_unserved"]}" of Design a service for the gap, below.'
    if unserved == 0:
        change = f"Every client already has a service that matches {mix.threshold:.0f}% or more."
    elif lift.lifted == 0:
        change = (
            f"No service mixed from medical and spa lifts any of your {unserved:,} unserved "
            f"clients to {mix.threshold:.0f}%: their priorities need something neither offers. "
            f"This looks only at the aim {aim}"
        )
    else:
        change = (
            f"The one change that would serve the most unserved clients: add {lift.name}, which "
            f"would lift {lift.lifted:,} of your {unserved:,} unserved clients to "
            f"{mix.threshold:.0f}% or more. This proposal uses the aim {aim}"
        )
    return [lead, gap_text, asks, change]
