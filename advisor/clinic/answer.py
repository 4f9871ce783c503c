"""The clinic owner's answer: a few plain sentences about their own clients, built once.

`clinic_answer` takes one survey, one menu, one threshold and the designer's service, and
computes every number the answer states and the charts behind it show: how the clients split by
best service (the client-mix chart), which segments they are closest to against a typical client
base (the nearest-segment table), who is unserved and what their best service misses, in match
points (the unserved chart), which service to lead with for whom, and whether the designed
service serves a meaningful share. The page, the report PDF and the command line all take the
sentences and their charts from the one `ClinicAnswer`, as `explain()` serves a client.

Every gap is measured in match, the measure of the heatmap and the client mix: the positioning
map only illustrates, and no sentence rests on a distance on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from advisor.bidi import isolate, isolate_file_name
from advisor.catalog import Catalog
from advisor.clinic.design import Design, delivery, plain_words
from advisor.clinic.positioning import (
    Split,
    average_priorities,
    axis_positions,
    best_per_segment,
    client_mix,
    listing,
    segment_matrix,
    typical_base,
)
from advisor.decision.scoring import survey_weights
from advisor.files.notes import plural

# A designed service is proposed only when it wins at least this share of all clients and at
# least this many of them: fewer is no reason to change a menu.
MEANINGFUL_SHARE = 0.05
MEANINGFUL_CLIENTS = 3
LISTED_SEGMENTS = 3  # the segments the answer names, most clients first
LISTED_MISSES = 2  # the criteria the unserved sentence names
SHOWN_MISS = 0.5  # match points: a miss that rounds to 0 is not named or drawn


@dataclass(frozen=True)
class Clients:
    """Whose clients the answer is about: the survey's name as the owner knows it, whether it
    is the made-up sample, the criteria it asked about (the others read as 0), and the notes on
    how it was read (what was left out, counted as 0 or rescaled), as the page shows them:
    every figure of the answer rests on them, so the report carries them too."""

    name: str
    sample: bool
    asked: tuple[str, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClinicAnswer:
    """The owner's answer and the numbers of every chart behind it.

    split: clients by best service at the threshold. segments: per segment (catalog order)
    `clients` (how many are closest to it), `share` and `typical` (0..1 of all clients, and of a
    typical client base), `lead` (the service that is the best match for most of them, "" for
    none) and `lead_clients`. misses: per criterion, the match points (0..100) the unserved
    clients' best service misses on average, largest first (empty when no one is unserved).
    priorities: per asked criterion, `yours` and `typical` mean weight (0..10). matrix and best:
    segments x services match (%) and each segment's best service (the heatmap); positions of
    services and segments on the map's axes (0..10). design: the designer's service, named
    `proposal_name`; `proposed` when it serves a meaningful share, and then `delivery` (who,
    where, how long) and `design_words` (advisor.clinic.design.plain_words). sentences: the
    answer.
    """

    clients: Clients
    threshold: float
    names: Mapping[str, str]
    split: Split
    segments: pd.DataFrame
    misses: pd.Series
    priorities: pd.DataFrame
    matrix: pd.DataFrame
    best: pd.Series
    service_positions: pd.DataFrame
    segment_positions: pd.DataFrame
    design: Design
    proposal_name: str
    proposed: bool
    sentences: tuple[str, ...]
    delivery: str = ""
    design_words: pd.DataFrame | None = None

    @property
    def total(self) -> int:
        return self.split.total


def meaningful(wins: int, clients: int) -> bool:
    """The proposal rule: at least MEANINGFUL_SHARE of all clients and MEANINGFUL_CLIENTS."""
    return wins >= MEANINGFUL_CLIENTS and wins >= MEANINGFUL_SHARE * clients


def percent(share: float) -> str:
    """A share (0..1) as the charts print it: a whole percent."""
    return f"{share * 100:.0f}%"


def missed_points(weights: np.ndarray, fits: np.ndarray, best: np.ndarray) -> np.ndarray:
    """Per client and criterion, the match points (0..100) their best service misses:
    100 * w_c * (10 - f_c) / (10 * sum w), which add up to 100 minus the best match.

    weights: n x C; fits: services x C; best: n indices into the services.
    """
    totals = weights.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        missed = 10.0 * weights * (10.0 - fits[best]) / totals
    return np.nan_to_num(missed, nan=0.0)


def _misses(
    survey: pd.DataFrame, fits: pd.DataFrame, best: np.ndarray, unserved: np.ndarray
) -> pd.Series:
    if not unserved.any():
        return pd.Series(dtype=float)
    weights = survey_weights(survey[unserved], list(fits.columns))
    missed = missed_points(weights, fits.to_numpy(dtype=float), best[unserved])
    return pd.Series(missed.mean(axis=0), index=fits.columns).sort_values(
        ascending=False, kind="stable"
    )


def _segments(
    nearest: pd.Series, best: pd.Series, services: pd.Index, catalog: Catalog, total: int
) -> pd.DataFrame:
    segments = catalog.segments.index
    rows = segments.get_indexer(nearest.to_numpy())
    columns = services.get_indexer(best.to_numpy())
    held = (rows >= 0) & (columns >= 0)  # a client without priorities has neither
    counts = np.zeros((len(segments), len(services)), dtype=np.int64)
    np.add.at(counts, (rows[held], columns[held]), 1)
    clients = counts.sum(axis=1)
    leads = np.argmax(counts, axis=1)  # ties: the first on the menu
    return pd.DataFrame(
        {
            "label": catalog.segments["label"].to_numpy(),
            "clients": clients,
            "share": clients / max(total, 1),
            "typical": catalog.segments["share"].to_numpy(dtype=float),
            "lead": np.where(clients > 0, np.asarray(services, dtype=object)[leads], ""),
            "lead_clients": counts.max(axis=1),
        },
        index=segments,
    )


@dataclass(frozen=True)
class ClientBase:
    """A survey seen through a menu, whatever the threshold: what the answer needs that a new
    threshold does not change, kept compact (no per-client text).

    best: per client, the index of their best service in the menu (-1: no priorities);
    best_score: per client, that best match (%, NaN: no priorities); segments, priorities,
    matrix, best_of_segment and positions: as in ClinicAnswer.
    """

    best: np.ndarray
    best_score: np.ndarray
    segments: pd.DataFrame
    priorities: pd.DataFrame
    matrix: pd.DataFrame
    best_of_segment: pd.Series
    service_positions: pd.DataFrame
    segment_positions: pd.DataFrame


def client_base(
    survey: pd.DataFrame, fits: pd.DataFrame, catalog: Catalog, asked: Sequence[str]
) -> ClientBase:
    """The threshold-free part of the answer about `survey` (client_id + a weight 0..10 per
    criterion) with the services of `fits` (services x criteria); `asked`: the criteria the
    survey asked about (the typical base is compared on those alone)."""
    mix = client_mix(survey, fits, catalog.segment_weights)
    best = fits.index.get_indexer(mix.best.to_numpy()).astype(np.int16)
    matrix = segment_matrix(catalog.segment_weights, fits)
    labels = dict(catalog.segments["label"])
    average = average_priorities(survey, catalog.segment_weights, labels)["Your clients"]
    typical = typical_base(catalog.segment_weights, catalog.segments["share"])
    asked = [c for c in catalog.criterion_ids if c in set(asked)]
    return ClientBase(
        best=best,
        best_score=mix.best_score.to_numpy(dtype=float),
        segments=_segments(mix.nearest_segment, mix.best, fits.index, catalog, len(best)),
        priorities=pd.DataFrame({"yours": average[asked], "typical": typical[asked]}),
        matrix=matrix,
        best_of_segment=best_per_segment(matrix),
        service_positions=axis_positions(fits, catalog.map_axes),
        segment_positions=axis_positions(catalog.segment_weights, catalog.map_axes),
    )


def _split(base: ClientBase, services: pd.Index, threshold: float) -> Split:
    has = base.best >= 0
    served = has & (base.best_score >= threshold)  # NaN (no priorities) is never served
    return Split(
        pd.Series(np.bincount(base.best[has], minlength=len(services)), index=services),
        pd.Series(np.bincount(base.best[served], minlength=len(services)), index=services),
        len(base.best),
        float(threshold),
    )


def clinic_answer(
    survey: pd.DataFrame,
    fits: pd.DataFrame,
    names: Mapping[str, str],
    catalog: Catalog,
    threshold: float,
    clients: Clients,
    design: Design,
    proposal_name: str,
    base: ClientBase | None = None,
    words: tuple[str, pd.DataFrame] | None = None,
) -> ClinicAnswer:
    """The answer about `survey` (client_id + a weight 0..10 per criterion) with the services
    of `fits` (services x criteria, each deliverable), at `threshold` (percent). `design` is
    the designer's service for this survey and menu (advisor.clinic.design.design_service),
    named `proposal_name`. `base` is `client_base` of the same survey and menu, and `words`
    the design's (delivery, plain_words), when the caller has them already (a new threshold
    needs only the rest).
    """
    if base is None:
        base = client_base(survey, fits, catalog, clients.asked)
    split = _split(base, fits.index, threshold)
    unserved = (base.best >= 0) & (base.best_score < threshold)
    answer = ClinicAnswer(
        clients=clients,
        threshold=float(threshold),
        names=dict(names),
        split=split,
        segments=base.segments,
        misses=_misses(survey, fits, base.best, unserved),
        priorities=base.priorities,
        matrix=base.matrix,
        best=base.best_of_segment,
        service_positions=base.service_positions,
        segment_positions=base.segment_positions,
        design=design,
        proposal_name=proposal_name,
        proposed=meaningful(design.wins, split.total),
        sentences=(),
    )
    if answer.proposed:
        told, table = words or (delivery(design, catalog), plain_words(design, catalog))
        answer = replace(answer, delivery=told, design_words=table)
    labels_of = {c: catalog.criterion_label(c) for c in catalog.criterion_ids}
    return _with_sentences(answer, labels_of)


def _with_sentences(answer: ClinicAnswer, criterion_labels: Mapping[str, str]) -> ClinicAnswer:
    sentences = [_split_sentence(answer)]
    if answer.split.clients.sum() > 0:
        sentences += [
            _segments_sentence(answer),
            _unserved_sentence(answer, criterion_labels),
            _lead_sentence(answer),
        ]
    sentences.append(_proposal_sentence(answer))
    return replace(answer, sentences=tuple(sentences))


def _name(answer: ClinicAnswer, service: str) -> str:
    """A service's name as set into a sentence (isolated: advisor.bidi)."""
    return isolate(answer.names.get(service, service))


def served_order(split: Split) -> list[str]:
    """Services that are someone's best match, most clients first (menu order on a tie)."""
    clients = split.clients[split.clients > 0]
    return list(clients.sort_values(ascending=False, kind="stable").index)


def _split_sentence(answer: ClinicAnswer) -> str:
    split = answer.split
    if answer.clients.sample:
        opening = f"Made-up sample clients, not yours: of these {split.total:,}, "
    else:
        opening = (
            f"Of your {plural(split.total, 'client')} in {isolate_file_name(answer.clients.name)}, "
        )
    shares = split.shares()
    order = served_order(split)
    if not order:
        return opening + "none gave any priority above 0, so no service is a best match."
    parts = [f"{_name(answer, order[0])} is the best match for {percent(shares[order[0]])}"]
    parts += [f"{_name(answer, s)} for {percent(shares[s])}" for s in order[1:]]
    text = opening + listing(parts)
    empty = split.without_priorities
    if empty:
        text += f"; {empty:,} gave every priority 0, so no service is their best match"
    return text + "."


def nearest_order(segments: pd.DataFrame) -> list[str]:
    """Segments someone is closest to, most clients first (catalog order on a tie)."""
    clients = dict(zip(segments.index, segments["clients"].tolist(), strict=True))
    return sorted((s for s, n in clients.items() if n > 0), key=lambda s: -clients[s])


def _segments_sentence(answer: ClinicAnswer) -> str:
    rows = answer.segments.to_dict("index")
    parts = [
        f"{rows[s]['label']} {percent(rows[s]['share'])} "
        f"(typical base {percent(rows[s]['typical'])})"
        for s in nearest_order(answer.segments)[:LISTED_SEGMENTS]
    ]
    return "The segments they are closest to: " + listing(parts) + "."


def shown_misses(answer: ClinicAnswer) -> pd.Series:
    """The misses the unserved chart draws: those that round to a whole match point or more."""
    return answer.misses[answer.misses >= SHOWN_MISS]


def _unserved_sentence(answer: ClinicAnswer, criterion_labels: Mapping[str, str]) -> str:
    split, threshold = answer.split, f"{answer.threshold:.0f}%"
    if split.unserved == 0:
        each = "each who gave a priority" if split.without_priorities else "each"
        return (
            f"No one is unserved: {each} has a service on your menu that matches them "
            f"{threshold} or more."
        )
    verb = "is" if split.unserved == 1 else "are"
    text = (
        f"{split.unserved:,} of them ({percent(split.unserved_share())}) {verb} unserved: no "
        f"service on your menu matches them {threshold} or more."
    )
    misses = shown_misses(answer).head(LISTED_MISSES)
    if misses.empty:
        return text
    parts = [f"{criterion_labels.get(c, c)} ({points:.0f})" for c, points in misses.items()]
    return (
        text + " What their best service misses most, in match points on average: "
        f"{listing(parts)}."
    )


def _lead_sentence(answer: ClinicAnswer) -> str:
    rows = answer.segments.to_dict("index")
    order = nearest_order(answer.segments)
    parts = []
    for service in served_order(answer.split):
        led = [rows[s]["label"] for s in order if rows[s]["lead"] == service]
        if led:
            parts.append(f"{_name(answer, service)} for those closest to {listing(led)}")
    if not parts:
        return "No service is the best match for most of the clients of any segment."
    return "Lead with " + "; and with ".join(parts) + "."


def _rule(whom: str) -> str:
    return f"at least {MEANINGFUL_SHARE * 100:.0f}% of {whom} and at least {MEANINGFUL_CLIENTS}"


def _no_proposal_sentence(answer: ClinicAnswer) -> str:
    """Why nothing is proposed: the menu serves everyone, or it leaves some unserved but no
    design wins (or lifts) enough clients under the rule; either way what the best would do."""
    design, unserved = answer.design, answer.split.unserved
    verb = "lift" if design.objective == "lift_unserved" else "win"
    best = f"(the best would {verb} {design.wins:,})"
    if unserved == 0:
        return (
            f"Your menu already serves these clients: no new service mixed from medical and spa "
            f"would {verb} {_rule('them')} {best}."
        )
    aim = (
        f"lift enough of them to {answer.threshold:.0f}% or more"
        if verb == "lift"
        else "win enough clients to add"
    )
    return (
        f"Your menu leaves {plural(unserved, 'client')} unserved. Yet no new service mixed from "
        f"medical and spa would {aim}: {_rule('all your clients')} {best}."
    )


def _proposal_sentence(answer: ClinicAnswer) -> str:
    design, split = answer.design, answer.split
    lift = design.objective == "lift_unserved"
    if not answer.proposed:
        return _no_proposal_sentence(answer)
    opening = (
        f"One new service would serve a meaningful share better: {isolate(answer.proposal_name)} "
        "(see Design a service for the gap)"
    )
    if lift:
        return (
            f"{opening} would lift {design.wins:,} of the {split.unserved:,} unserved to "
            f"{answer.threshold:.0f}% or more ({percent(design.wins / split.total)} of all)."
        )
    return (
        f"{opening} would beat every service on your menu for {design.wins:,} of them "
        f"({percent(design.wins / split.total)})."
    )
