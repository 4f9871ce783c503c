"""Figures and tables for Position my clinic: heatmap, positioning map, shares and priorities.

Service names may come from a clinic owner; every label goes through `plain_label`, so plotly
never reads them as markup.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from advisor.clinic.positioning import AXES, ClientMix, WhatIf
from advisor.figures.style import OKABE_ITO, SEQUENTIAL, colour_map, plain_label, style_figure

BEST_MARK = "★"


def _label(names: Mapping[str, str], key: str) -> str:
    return plain_label(names.get(key, key))


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
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[_label(names, s) for s in matrix.columns],
            y=[plain_label(segments.get(s, s)) for s in matrix.index],
            text=text,
            texttemplate="%{text}",
            colorscale=SEQUENTIAL,
            zmin=0,
            zmax=100,
            colorbar={"title": {"text": "Match %"}, "thickness": 12},
            hovertemplate="%{y} and %{x}: %{z:.1f}%<extra></extra>",
        )
    )
    wins = best.value_counts()
    title = "; ".join(
        f"{names.get(s, s)} serves {n} of {len(best)} segments best" for s, n in wins.items()
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="bottom")
    return style_figure(fig, title, 120 + 48 * len(matrix), "Service", "Client segment")


def map_table(
    services: pd.DataFrame,
    segments: pd.DataFrame,
    shares: pd.Series,
    service_names: Mapping[str, str],
    segment_names: Mapping[str, str],
) -> pd.DataFrame:
    rows = [
        {"Kind": "Service", "Name": service_names.get(i, i), "Share (%)": None, **p}
        for i, p in services.round(1).to_dict("index").items()
    ]
    rows += [
        {
            "Kind": "Segment",
            "Name": segment_names.get(i, i),
            "Share (%)": round(shares[i] * 100),
            **p,
        }
        for i, p in segments.round(1).to_dict("index").items()
    ]
    return pd.DataFrame(rows).rename(columns={a.id: a.label for a in AXES})


def biggest_gap(services: pd.DataFrame, segments: pd.DataFrame) -> tuple[str, float]:
    """The segment farthest (on the map) from its nearest service, and that distance."""
    s = services.to_numpy()
    g = segments.to_numpy()
    distances = np.sqrt(((g[:, None, :] - s[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
    worst = int(np.argmax(distances))
    return str(segments.index[worst]), float(distances[worst])


def _label_positions(heights: pd.Series) -> list[str]:
    """Alternate labels above and below their bubbles (in order of height), so neighbours'
    labels do not sit on one line."""
    order = heights.rank(method="first").astype(int)
    return ["top center" if rank % 2 else "bottom center" for rank in order]


def positioning_map(
    services: pd.DataFrame,
    segments: pd.DataFrame,
    shares: pd.Series,
    service_names: Mapping[str, str],
    segment_names: Mapping[str, str],
) -> go.Figure:
    """Services as diamonds, segments as bubbles sized by their share, on the two axes."""
    x_axis, y_axis = AXES
    fig = go.Figure()
    sizes = 18 + 90 * np.sqrt(shares.reindex(segments.index).fillna(0).to_numpy())
    fig.add_trace(
        go.Scatter(
            x=segments[x_axis.id],
            y=segments[y_axis.id],
            mode="markers+text",
            name="Client segments (size = share)",
            marker={
                "size": sizes,
                "color": "rgba(86,180,233,0.35)",
                "line": {"color": OKABE_ITO[4], "width": 1},
            },
            text=[plain_label(segment_names.get(s, s)) for s in segments.index],
            textposition=_label_positions(segments[y_axis.id]),
            textfont={"size": 11, "color": "#1F2933"},
            cliponaxis=False,
            hovertemplate="%{text}<br>therapeutic %{x:.1f}, experience %{y:.1f}<extra></extra>",
        )
    )
    colours = colour_map(services.index)
    fig.add_trace(
        go.Scatter(
            x=services[x_axis.id],
            y=services[y_axis.id],
            mode="markers+text",
            name="Services",
            marker={
                "size": 16,
                "symbol": "diamond",
                "color": [colours[s] for s in services.index],
                "line": {"color": "#1F2933", "width": 1},
            },
            text=[_label(service_names, s) for s in services.index],
            textposition="top center",
            textfont={"size": 12},
            cliponaxis=False,
            hovertemplate="%{text}<br>therapeutic %{x:.1f}, experience %{y:.1f}<extra></extra>",
        )
    )
    gap_segment, distance = biggest_gap(services, segments)
    title = (
        f"Biggest gap: {segment_names.get(gap_segment, gap_segment)} sit "
        f"{distance:.1f} points from the nearest service"
    )
    fig.update_xaxes(range=[-1, 11], dtick=2)
    fig.update_yaxes(range=[-1, 11.5], dtick=2, gridcolor="#E4E7EB")
    fig = style_figure(fig, title, 520, f"{x_axis.label} (0-10)", f"{y_axis.label} (0-10)")
    return fig


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
    fig = go.Figure(
        go.Bar(
            x=shares.to_numpy() * 100,
            y=[_label(names, s) for s in shares.index],
            orientation="h",
            marker_color=[colours[s] for s in shares.index],
            text=[f"{v * 100:.0f}%" for v in shares],
            textposition="auto",
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
    return style_figure(fig, title, 110 + 44 * len(shares), "Share of clients (best match)", "")


def priorities_chart(
    table: pd.DataFrame, typical: pd.Series, labels: Mapping[str, str]
) -> go.Figure:
    """Your clients' mean weight per criterion beside the share-weighted typical client base."""
    order = table["Your clients"].sort_values(ascending=False).index
    y = [labels.get(c, c) for c in order]
    fig = go.Figure()
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
    direction = "more" if diff[most] > 0 else "less"
    title = (
        f"Your clients care {direction} about {labels.get(most, most).lower()} than a typical base"
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 10])
    return style_figure(fig, title, 90 + 40 * len(order), "Average priority (0-10)", "")


def what_if_chart(change: WhatIf, names: Mapping[str, str]) -> go.Figure:
    services = change.after.index.union(change.before.index, sort=False)
    before = change.before.reindex(services, fill_value=0) * 100
    after = change.after.reindex(services, fill_value=0) * 100
    y = [_label(names, s) for s in services]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=y, x=before, name="Before", orientation="h", marker_color="#9AA5B1"))
    fig.add_trace(go.Bar(y=y, x=after, name="After", orientation="h", marker_color=OKABE_ITO[2]))
    moved = float((change.change.abs().sum()) / 2)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 100], ticksuffix="%")
    return style_figure(
        fig,
        f"{moved:.0f}% of clients would change their best match",
        110 + 56 * len(services),
        "Share of clients (best match)",
        "",
    )


def what_if_table(change: WhatIf, names: Mapping[str, str]) -> pd.DataFrame:
    """Shares before and after a menu change, and the change in points, per service."""
    services = change.change.index
    return pd.DataFrame(
        {
            "Service": [names.get(s, s) for s in services],
            "Before (%)": (change.before.reindex(services, fill_value=0) * 100).round(1).to_numpy(),
            "After (%)": (change.after.reindex(services, fill_value=0) * 100).round(1).to_numpy(),
            "Change (points)": change.change.round(1).to_numpy(),
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


def weekly_chart(table: pd.DataFrame, names: Mapping[str, str]) -> go.Figure:
    """Answers per week, stacked by the result each client got."""
    colours = colour_map([c for c in table.columns if c != "tie"])
    fig = go.Figure()
    for result in table.columns:
        fig.add_trace(
            go.Bar(
                x=[str(d) for d in table.index],
                y=table[result],
                name=_label(names, result) if result != "tie" else "A tie",
                marker_color=colours.get(result, "#9AA5B1"),
                hovertemplate="week of %{x}: %{y} answers<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_layout(barmode="stack")
    weeks = len(table)
    latest = int(table.iloc[-1].sum()) if weeks else 0
    title = f"{int(table.to_numpy().sum())} answers over {weeks} week(s); {latest} in the latest"
    return style_figure(fig, title, 320, "Week starting", "Answers")
