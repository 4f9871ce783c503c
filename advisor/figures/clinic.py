"""Figures and tables for Position my clinic: heatmap, positioning map, shares and priorities.

Service names may come from a clinic owner; every label goes through `plain_label`, so plotly
never reads them as markup.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from advisor.clinic.positioning import AXES, ClientMix, WhatIf, biggest_gap
from advisor.figures.style import (
    OKABE_ITO,
    SEQUENTIAL,
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


def _label(names: Mapping[str, str], key: str) -> str:
    return plain_label(names.get(key, key))


def wrapped_label(text: str, width: int = 12) -> str:
    """A plain label broken into short lines, so a phone-wide chart keeps room for its cells."""
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    return "<br>".join(plain_label(line) for line in lines) or " "


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
    """Match of every segment with every service; the best service per segment is starred."""
    z = matrix.to_numpy()
    text = [
        [
            f"{value:.0f}%{' ' + BEST_MARK if service == best[segment] else ''}"
            for service, value in zip(matrix.columns, row, strict=True)
        ]
        for segment, row in zip(matrix.index, z, strict=True)
    ]
    fig = draft(
        go.Heatmap(
            z=z,
            x=[wrapped_label(names.get(s, s)) for s in matrix.columns],
            y=[wrapped_label(segments.get(s, s)) for s in matrix.index],
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
    fig.update_xaxes(side="bottom")
    return style_figure(fig, title, 120 + 52 * len(matrix), "Service", "Client segment")


def map_keys(services: pd.Index, segments: pd.Index) -> dict[str, str]:
    """The marker label of every point on the map: segments 1, 2, 3...; services A, B, C..."""
    keys = {segment: str(number) for number, segment in enumerate(segments, start=1)}
    keys.update({service: chr(ord("A") + k) for k, service in enumerate(services)})
    return keys


def map_table(
    services: pd.DataFrame,
    segments: pd.DataFrame,
    shares: pd.Series,
    service_names: Mapping[str, str],
    segment_names: Mapping[str, str],
) -> pd.DataFrame:
    """The map's key: every marker's label, kind, name, share and position."""
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
    return pd.DataFrame(rows).rename(columns={a.id: a.label for a in AXES})


def positioning_map(
    services: pd.DataFrame,
    segments: pd.DataFrame,
    shares: pd.Series,
    service_names: Mapping[str, str],
    segment_names: Mapping[str, str],
) -> go.Figure:
    """Services as lettered diamonds, segments as numbered bubbles sized by their share.

    Labels sit inside their markers (numbers and letters, with the key beside the chart), so
    no name can run into another at any width.
    """
    x_axis, y_axis = AXES
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
            hovertemplate="%{text}. %{customdata}<br>therapeutic %{x:.1f}, "
            "experience %{y:.1f}<extra></extra>",
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
            hovertemplate="%{text}. %{customdata}<br>therapeutic %{x:.1f}, "
            "experience %{y:.1f}<extra></extra>",
        )
    )
    gap_segment, distance = biggest_gap(services, segments)
    title = (
        f"Biggest gap: {segment_names.get(gap_segment, gap_segment)} sit "
        f"{distance:.1f} points (on the 0-10 axes) from the nearest service"
    )
    fig.update_xaxes(range=[-0.5, 10.5], dtick=2)
    fig.update_yaxes(range=[-0.5, 10.5], dtick=2, gridcolor="#E4E7EB")
    # Tall enough that the 0-10 by 0-10 plane reads near square beside its key on a wide
    # screen (the page gives it three fifths of the width), and as a tall panel on a phone.
    return style_figure(fig, title, 520, f"{x_axis.label} (0-10)", f"{y_axis.label} (0-10)")


def shares_table(mix: ClientMix, names: Mapping[str, str]) -> pd.DataFrame:
    shares = mix.shares()
    unserved = mix.unserved
    rows = []
    for service, share in shares.items():
        served = int(((mix.best == service) & ~unserved).sum())
        rows.append(
            {
                "Service": names.get(service, service),
                "Best match for (%)": round(share * 100, 1),
                "Clients": int((mix.best == service).sum()),
                f"Of them at or above {mix.threshold:.0f}%": served,
            }
        )
    return pd.DataFrame(rows)


def shares_chart(mix: ClientMix, names: Mapping[str, str]) -> go.Figure:
    shares = mix.shares().sort_values(ascending=False)
    colours = colour_map(mix.matches.columns)
    fig = draft(
        go.Bar(
            x=shares.to_numpy() * 100,
            y=[wrapped_label(names.get(s, s), SERVICE_LABEL_WIDTH) for s in shares.index],
            orientation="h",
            marker_color=[colours[s] for s in shares.index],
            text=[f"{v * 100:.0f}%" for v in shares],
            textposition="auto",
            textangle=0,  # a short bar's label goes beside it, never turned on its side
            hovertemplate="%{y}: %{x:.1f}% of clients<extra></extra>",
        )
    )
    top = shares.index[0] if len(shares) else None
    title = (
        f"{names.get(top, top)} is the best match for {shares.iloc[0] * 100:.0f}% of clients; "
        f"{mix.unserved_share() * 100:.0f}% are left under {mix.threshold:.0f}%"
        if top is not None
        else "No clients to show"
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 100], ticksuffix="%")
    return style_figure(fig, title, 110 + 44 * len(shares), SHARE_AXIS, "")


def priorities_chart(
    table: pd.DataFrame, typical: pd.Series, labels: Mapping[str, str]
) -> go.Figure:
    """Your clients' mean weight per criterion beside the share-weighted typical client base."""
    order = table["Your clients"].sort_values(ascending=False).index
    y = [labels.get(c, c) for c in order]
    fig = draft()
    fig.add_trace(
        go.Bar(
            y=y,
            x=table.loc[order, "Your clients"],
            name="Your clients",
            orientation="h",
            marker_color=OKABE_ITO[2],
        )
    )
    fig.add_trace(
        go.Bar(
            y=y,
            x=typical.reindex(order),
            name="Typical base (segments by share)",
            orientation="h",
            marker_color=OKABE_ITO[7],
            opacity=0.55,
        )
    )
    diff = (table["Your clients"] - typical).reindex(order)
    most = diff.abs().idxmax()
    direction = "higher" if diff[most] > 0 else "lower"
    title = f'Your clients rate "{labels.get(most, most)}" {direction} than a typical base'
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 10])
    return style_figure(fig, title, 90 + 40 * len(order), "Average priority (0-10)", "")


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


def nearest_segment_table(
    mix: ClientMix, shares: pd.Series, segment_names: Mapping[str, str]
) -> pd.DataFrame:
    """Share of clients nearest to each segment, beside the segment's assumed typical share."""
    nearest = mix.segment_shares().reindex(shares.index, fill_value=0)
    return pd.DataFrame(
        {
            "Segment": [segment_names.get(s, s) for s in shares.index],
            "Your clients (%)": (nearest * 100).round(1).to_numpy(),
            "Typical base (%)": (shares * 100).round(1).to_numpy(),
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
