"""Figures and tables for Position my clinic: heatmap, positioning map, shares and priorities.

Service names may come from a clinic owner; every label goes through `plain_label`, so plotly
never reads them as markup.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from advisor.catalog import Axis
from advisor.clinic.answer import ClinicAnswer, nearest_order, percent, shown_misses
from advisor.clinic.positioning import Split, WhatIf
from advisor.figures.style import (
    OKABE_ITO,
    SEQUENTIAL,
    TICK_LINE,
    colour_map,
    draft,
    plain_label,
    readable_on,
    style_figure,
)

BEST_MARK = "★"
# A service name on a bar chart's axis wraps at this many characters: a long name (up to 60)
# would otherwise take most of a phone-wide chart and push its axis title off the edge.
SERVICE_LABEL_WIDTH = 18
SHARE_AXIS = "Share of clients (best match)"
# The heatmap's labels: a service (a row) wraps at this many characters, a segment (a column)
# at about a word a line, so six columns fit beside the service names on a phone.
HEATMAP_SERVICE_WIDTH = 12
SEGMENT_LABEL_WIDTH = 9


def _label(names: Mapping[str, str], key: str) -> str:
    return plain_label(names.get(key, key))


def wrapped_label(text: str, width: int = 12) -> str:
    """A plain label broken into short lines, so a phone-wide chart keeps room for its cells."""
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    return "<br>".join(plain_label(line) for line in lines) or " "


def label_lines(label: str) -> int:
    """How many lines a label wrapped with <br> takes."""
    return label.count("<br>") + 1


def staggered(labels: list[str]) -> list[str]:
    """Column labels with every other one moved down below the lines of the longest of the
    rest (blank lines first), so neighbouring labels never share a line and each may be as wide
    as two columns."""
    drop = max((label_lines(label) for label in labels[0::2]), default=0)
    return [label if k % 2 == 0 else "<br>" * drop + label for k, label in enumerate(labels)]


def heatmap_table(
    matrix: pd.DataFrame, best: pd.Series, segments: Mapping[str, str], names: Mapping[str, str]
) -> pd.DataFrame:
    table = matrix.round(1).rename(index=dict(segments), columns=dict(names))
    table.insert(0, "Best service", [names.get(b, b) for b in best])
    table.index.name = "Segment"
    return table.reset_index()


def segment_heatmap(
    matrix: pd.DataFrame, best: pd.Series, segments: Mapping[str, str], names: Mapping[str, str]
) -> go.Figure:
    """Match of every service (a row) with every segment (a column); the best service per
    segment is starred.

    Services run down the y axis: a menu holds up to a dozen, named by the owner at any length,
    and only a row label has the width to show such a name in full on a phone. The six segments
    (the catalog's short names) are the columns, one word a line, and every other column's
    label sits below its neighbours' lines (`staggered`), so no two ever share a line at 390 px.
    """
    z = matrix.to_numpy().T
    text = [
        [
            f"{matrix.at[segment, service]:.0f}%"
            f"{'<br>' + BEST_MARK if service == best[segment] else ''}"  # fits a phone's cell
            for segment in matrix.index
        ]
        for service in matrix.columns
    ]
    columns = staggered(
        [wrapped_label(segments.get(s, s), SEGMENT_LABEL_WIDTH) for s in matrix.index]
    )
    fig = draft(
        go.Heatmap(
            z=z,
            x=columns,
            y=[wrapped_label(names.get(s, s), HEATMAP_SERVICE_WIDTH) for s in matrix.columns],
            text=text,
            texttemplate="%{text}",
            colorscale=SEQUENTIAL,
            zmin=0,
            zmax=100,
            showscale=False,
            textfont={"size": 12},
            hovertemplate="%{y} and %{x}: %{z:.1f}%<extra></extra>",
        )
    )
    wins = best.value_counts()
    title = "; ".join(
        f"{names.get(s, s)} serves {n} of {len(best)} segments best" for s, n in wins.items()
    )
    fig.update_yaxes(autorange="reversed")
    # the axis title set below the last line of the labels, not at plotly's guess of it
    fig.update_xaxes(
        side="bottom", tickangle=0, automargin=True, title_standoff=8, tickfont_size=12
    )
    row = max(44, 12 + TICK_LINE * max(label_lines(label) for label in fig.data[0].y))
    return style_figure(
        fig,
        title,
        100 + row * len(matrix.columns),
        "Client segment",
        "",  # the title names the services; the room goes to the cells on a phone
        x_label_lines=max(label_lines(label) for label in columns),
    )


def map_keys(services: pd.Index, segments: pd.Index) -> dict[str, str]:
    """The marker label of every point on the map: segments 1, 2, 3...; services A, B, C..."""
    keys = {segment: str(number) for number, segment in enumerate(segments, start=1)}
    keys.update({service: chr(ord("A") + k) for k, service in enumerate(services)})
    return keys


@dataclass(frozen=True)
class MapData:
    """What the positioning map and its key show. services, segments: positions on the axes
    (0..10), one column per axis id (advisor.clinic.positioning.axis_positions); shares:
    segment -> share of clients (0..1); names: id -> the name a person reads; axes: the map's
    x and y axes (Catalog.map_axes)."""

    services: pd.DataFrame
    segments: pd.DataFrame
    shares: pd.Series
    service_names: Mapping[str, str]
    segment_names: Mapping[str, str]
    axes: tuple[Axis, Axis]


def map_table(data: MapData) -> pd.DataFrame:
    """The map's key: every marker's label, kind, name, share and position on the axes."""
    services, segments, shares = data.services, data.segments, data.shares
    service_names, segment_names = data.service_names, data.segment_names
    keys = map_keys(services.index, segments.index)
    rows = [
        {"Key": keys[i], "Kind": "Service", "Name": service_names.get(i, i), "Share (%)": None, **p}
        for i, p in services.round(1).to_dict("index").items()
    ]
    rows += [
        {
            "Key": keys[i],
            "Kind": "Segment",
            "Name": segment_names.get(i, i),
            "Share (%)": round(shares[i] * 100),
            **p,
        }
        for i, p in segments.round(1).to_dict("index").items()
    ]
    return pd.DataFrame(rows).rename(columns={a.id: a.label for a in data.axes})


def positioning_map(data: MapData) -> go.Figure:
    """Services as lettered diamonds, segments as numbered bubbles sized by their share, on
    the map's x and y axes.

    Labels sit inside their markers (numbers and letters, with the key beside the chart), so
    no name can run into another at any width.
    """
    services, segments, shares = data.services, data.segments, data.shares
    service_names, segment_names = data.service_names, data.segment_names
    x_axis, y_axis = data.axes
    place = f"{x_axis.id} %{{x:.1f}}, {y_axis.id} %{{y:.1f}}"
    hover = f"%{{text}}. %{{customdata}}<br>{place}<extra></extra>"
    keys = map_keys(services.index, segments.index)
    fig = draft()
    sizes = 26 + 70 * np.sqrt(shares.reindex(segments.index).fillna(0).to_numpy())
    fig.add_trace(
        go.Scatter(
            x=segments[x_axis.id],
            y=segments[y_axis.id],
            mode="markers+text",
            name="Client segments (numbers; size = share)",
            marker={
                "size": sizes,
                "color": "rgba(86,180,233,0.35)",
                "line": {"color": OKABE_ITO[4], "width": 1},
            },
            text=[keys[s] for s in segments.index],
            cliponaxis=False,
            customdata=[plain_label(segment_names.get(s, s)) for s in segments.index],
            textposition="middle center",
            textfont={"size": 13, "color": "#1F2933"},
            hovertemplate=hover,
        )
    )
    colours = colour_map(services.index)
    fig.add_trace(
        go.Scatter(
            x=services[x_axis.id],
            y=services[y_axis.id],
            mode="markers+text",
            name="Services (letters)",
            # white diamonds ringed in the service's colour: the letter, dark on white, reads at
            # full contrast on screen and in print, and the letter (not the colour) names it
            marker={
                "size": 28,
                "symbol": "diamond",
                "color": ["#FFFFFF"] * len(services),
                "line": {"color": [colours[s] for s in services.index], "width": 3},
            },
            text=[keys[s] for s in services.index],
            cliponaxis=False,
            customdata=[_label(service_names, s) for s in services.index],
            textposition="middle center",
            textfont={"size": 12, "color": [readable_on("#FFFFFF")] * len(services)},
            hovertemplate=hover,
        )
    )
    title = (
        f"{len(services)} services and {len(segments)} segments on the two focus axes; the "
        "match itself is in the heatmap"
    )
    fig.update_xaxes(range=[-0.5, 10.5], dtick=2)
    fig.update_yaxes(range=[-0.5, 10.5], dtick=2, gridcolor="#E4E7EB")
    # Tall enough that the 0-10 by 0-10 plane reads near square beside its key on a wide
    # screen (the page gives it three fifths of the width), and as a tall panel on a phone.
    return style_figure(fig, title, 520, f"{x_axis.label} (0-10)", f"{y_axis.label} (0-10)")


def shares_table(split: Split, names: Mapping[str, str]) -> pd.DataFrame:
    """Per service: its share of all clients as best match (%), how many, and how many of
    them it matches at or above the threshold."""
    return pd.DataFrame(
        {
            "Service": [names.get(s, s) for s in split.clients.index],
            "Best match for (%)": (split.shares() * 100).round(1).to_numpy(),
            "Clients": split.clients.to_numpy(),
            f"Of them at or above {split.threshold:.0f}%": split.served.to_numpy(),
        }
    )


SERVED_COLOUR = OKABE_ITO[2]
UNSERVED_COLOUR = "#9AA5B1"


def shares_chart(split: Split, names: Mapping[str, str]) -> go.Figure:
    """Each service's share of clients as their best match, split at the threshold into the
    clients it matches at or above it and the unserved; the whole share is printed at the end
    of each bar. Services run most clients first."""
    shares = split.shares().sort_values(ascending=False, kind="stable")
    served = (split.served / max(split.total, 1)).reindex(shares.index) * 100
    y = [wrapped_label(names.get(s, s), SERVICE_LABEL_WIDTH) for s in shares.index]
    threshold = f"{split.threshold:.0f}%"
    fig = draft()
    fig.add_trace(
        go.Bar(
            x=served.to_numpy(),
            y=y,
            orientation="h",
            name=f"Matched {threshold} or more",
            marker_color=SERVED_COLOUR,
            hovertemplate="%{y}: %{x:.1f}% of clients, matched " + threshold + " or more"
            "<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            x=(shares * 100 - served).to_numpy(),
            y=y,
            orientation="h",
            name=f"Unserved (under {threshold})",
            marker_color=UNSERVED_COLOUR,
            text=[percent(v) for v in shares],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.1f}% of clients, unserved<extra></extra>",
        )
    )
    top = shares.index[0] if len(shares) else None
    title = (
        f"{names.get(top, top)} is the best match for {percent(shares.iloc[0])} of clients; "
        f"{percent(split.unserved_share())} are unserved (under {threshold})"
        if top is not None and split.clients.sum() > 0
        else "No client has a best match"
    )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 110], ticksuffix="%", tickvals=[0, 20, 40, 60, 80, 100])
    return style_figure(fig, title, 130 + 44 * len(shares), SHARE_AXIS, "")


def segments_table(answer: ClinicAnswer) -> pd.DataFrame:
    """Per segment, most clients first: the share of the clients closest to it, the share a
    typical client base has, and the service that is the best match for most of them."""
    held = nearest_order(answer.segments)
    rows = answer.segments.loc[held + [s for s in answer.segments.index if s not in held]]
    return pd.DataFrame(
        {
            "Segment": rows["label"].to_numpy(),
            "Your clients (%)": (rows["share"] * 100).round(1).to_numpy(),
            "Typical base (%)": (rows["typical"] * 100).round(1).to_numpy(),
            "Best match for most of them": [
                answer.names.get(s, s) if s else "" for s in rows["lead"]
            ],
        }
    )


def misses_table(answer: ClinicAnswer, labels: Mapping[str, str]) -> pd.DataFrame:
    """Per criterion, the match points the unserved clients' best service misses on average."""
    return pd.DataFrame(
        {
            "Criterion": [labels.get(c, c) for c in answer.misses.index],
            "Match points missed on average": answer.misses.round(1).to_numpy(),
        }
    )


MISSES_SHOWN = 6


def misses_chart(answer: ClinicAnswer, labels: Mapping[str, str]) -> go.Figure:
    """What the unserved clients' best service misses, per criterion, in match points on
    average (the largest few; the table has every criterion)."""
    misses = shown_misses(answer).head(MISSES_SHOWN)
    fig = draft(
        go.Bar(
            x=misses.to_numpy(),
            y=[wrapped_label(labels.get(c, c), SERVICE_LABEL_WIDTH) for c in misses.index],
            orientation="h",
            marker_color=UNSERVED_COLOUR,
            text=[f"{v:.0f}" for v in misses],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.1f} match points missed on average<extra></extra>",
        )
    )
    unserved = answer.split.unserved
    title = (
        f"What the best service of your {unserved:,} unserved clients misses most: "
        f'"{labels.get(misses.index[0], misses.index[0])}"'
        if len(misses)
        else "No criterion is missed by a whole match point"
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, max(10.0, float(misses.max()) * 1.2) if len(misses) else 10])
    return style_figure(
        fig, title, 110 + 40 * max(len(misses), 1), "Match points missed (on average)", ""
    )


def priorities_chart(priorities: pd.DataFrame, labels: Mapping[str, str]) -> go.Figure:
    """Your clients' mean weight per criterion beside the share-weighted typical client base
    (`priorities`: the answer's, a row per asked criterion, columns yours and typical)."""
    order = priorities["yours"].sort_values(ascending=False, kind="stable").index
    y = [labels.get(c, c) for c in order]
    fig = draft()
    fig.add_trace(
        go.Bar(
            y=y,
            x=priorities.loc[order, "yours"],
            name="Your clients",
            orientation="h",
            marker_color=OKABE_ITO[2],
        )
    )
    fig.add_trace(
        go.Bar(
            y=y,
            x=priorities.loc[order, "typical"],
            name="Typical base (segments by share)",
            orientation="h",
            marker_color=OKABE_ITO[7],
            opacity=0.55,
        )
    )
    diff = (priorities["yours"] - priorities["typical"]).reindex(order)
    most = diff.abs().idxmax()
    direction = "higher" if diff[most] > 0 else "lower"
    title = f'Your clients rate "{labels.get(most, most)}" {direction} than a typical base'
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 10])
    return style_figure(fig, title, 90 + 40 * len(order), "Average priority (0-10)", "")


def priorities_table(priorities: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Criterion": [labels.get(c, c) for c in priorities.index],
            "Your clients": priorities["yours"].round(1).to_numpy(),
            "Typical base": priorities["typical"].round(1).to_numpy(),
        }
    )


def what_if_chart(change: WhatIf, names: Mapping[str, str]) -> go.Figure:
    services = change.after.index.union(change.before.index, sort=False)
    before = change.before.reindex(services, fill_value=0) * 100
    after = change.after.reindex(services, fill_value=0) * 100
    y = [wrapped_label(names.get(s, s), SERVICE_LABEL_WIDTH) for s in services]
    fig = draft()
    fig.add_trace(go.Bar(y=y, x=before, name="Before", orientation="h", marker_color="#9AA5B1"))
    fig.add_trace(go.Bar(y=y, x=after, name="After", orientation="h", marker_color=OKABE_ITO[2]))
    moved = float((change.change.abs().sum()) / 2)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 100], ticksuffix="%")
    return style_figure(
        fig,
        f"{moved:.0f}% of clients would change their best match",
        110 + 56 * len(services),
        SHARE_AXIS,
        "",
    )


def what_if_table(change: WhatIf, names: Mapping[str, str]) -> pd.DataFrame:
    """Shares before and after a menu change, and the change in percentage points of all
    clients, per service."""
    services = change.change.index
    return pd.DataFrame(
        {
            "Service": [names.get(s, s) for s in services],
            "Before (%)": (change.before.reindex(services, fill_value=0) * 100).round(1).to_numpy(),
            "After (%)": (change.after.reindex(services, fill_value=0) * 100).round(1).to_numpy(),
            "Change (percentage points)": change.change.round(1).to_numpy(),
        }
    )


def weekly_chart(table: pd.DataFrame, goals: Mapping[str, str]) -> go.Figure:
    """Answers per week, stacked by the goal each client started from (`table` from
    advisor.answers.store.weekly_answers: a row per week start, a column per goal id)."""
    colours = dict(zip(table.columns, OKABE_ITO, strict=False))
    fig = draft()
    weeks = pd.to_datetime(pd.Series(table.index, dtype=object))
    for goal in table.columns:
        fig.add_trace(
            go.Bar(
                x=weeks,
                y=table[goal],
                name=plain_label(goals.get(goal, goal)),
                marker_color=colours.get(goal, "#9AA5B1"),
                hovertemplate="week of %{x|%d %b %Y}: %{y:d} answers<extra>%{fullData.name}"
                "</extra>",
            )
        )
    fig.update_layout(barmode="stack")
    peak = int(table.sum(axis=1).max()) if len(table) else 0
    fig.update_xaxes(tickformat="%d %b %Y", dtick=7 * 24 * 3600 * 1000, tickangle=0)
    fig.update_yaxes(tickformat="d", dtick=max(1, -(-peak // 5)), rangemode="tozero")
    latest = int(table.iloc[-1].sum()) if len(table) else 0
    total = int(table.to_numpy().sum())
    title = f"{total} answers over {len(table)} week(s); {latest} in the latest"
    return style_figure(fig, title, 320, "Week starting (Monday)", "Answers")
