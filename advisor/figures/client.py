"""Plotly figure builders and the tables behind them: pure functions from data to figures.

Every chart uses the Okabe-Ito palette (safe for the common kinds of colour blindness), has a
title that states its finding and labelled axes, and has a table builder with the same numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from advisor.catalog import Catalog
from advisor.decision.scoring import MatchResult
from advisor.figures.style import colour_map, draft, plain_label, style_figure


def profile_table(catalog: Catalog) -> pd.DataFrame:
    """Fit of every type on every criterion, with the criterion's dimension."""
    table = catalog.fits.T.copy()
    table.columns = [catalog.type_name(t) for t in catalog.fits.index]
    table.insert(0, "Dimension", catalog.criteria["dimension"].map(catalog.dimensions["label"]))
    table.insert(0, "Criterion", catalog.criteria["label"])
    return table.reset_index(drop=True)


def profile_chart(catalog: Catalog) -> go.Figure:
    """Both types across all criteria, grouped bars, criteria in catalog order from the top."""
    fits = catalog.fits
    labels = [catalog.criterion_label(c) for c in fits.columns]
    colours = colour_map(fits.index)
    fig = draft()
    for tid in fits.index:
        fig.add_trace(
            go.Bar(
                y=labels,
                x=fits.loc[tid].to_numpy(),
                name=catalog.type_name(tid),
                orientation="h",
                marker_color=colours[tid],
                hovertemplate="%{y}: %{x}/10<extra>" + catalog.type_name(tid) + "</extra>",
            )
        )
    leads = {t: int((fits.loc[t] > fits.drop(index=t).max()).sum()) for t in fits.index}
    title = "; ".join(f"{catalog.type_name(t)} fits better on {n}" for t, n in leads.items())
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 10], dtick=2)
    return style_figure(
        fig, f"{title} of {len(labels)} criteria", 60 + 38 * len(labels), "Fit (0-10)", ""
    )


def differences_table(catalog: Catalog, a: str = "medical", b: str = "spa") -> pd.DataFrame:
    """Fit differences a - b per criterion, largest gap first."""
    diff = catalog.fits.loc[a] - catalog.fits.loc[b]
    table = pd.DataFrame(
        {
            "Criterion": [catalog.criterion_label(c) for c in diff.index],
            catalog.type_name(a): catalog.fits.loc[a].to_numpy(),
            catalog.type_name(b): catalog.fits.loc[b].to_numpy(),
            "Difference": diff.to_numpy(),
            "Better fit": [
                catalog.type_name(a) if d > 0 else catalog.type_name(b) if d < 0 else "Equal"
                for d in diff
            ],
        }
    )
    order = np.argsort(-np.abs(diff.to_numpy()), kind="stable")
    return table.iloc[order].reset_index(drop=True)


def differences_chart(
    catalog: Catalog, a: str = "medical", b: str = "spa", top: int = 8
) -> go.Figure:
    """The biggest fit gaps: bars to the right favour a, to the left favour b."""
    table = differences_table(catalog, a, b).head(top)
    colours = colour_map([a, b])
    bar_colours = [colours[a] if d > 0 else colours[b] for d in table["Difference"]]
    fig = draft(
        go.Bar(
            y=table["Criterion"],
            x=table["Difference"],
            orientation="h",
            marker_color=bar_colours,
            text=[f"{abs(d):.0f}" for d in table["Difference"]],
            textposition="outside",
            hovertemplate="%{y}: %{x:+} points<extra></extra>",
            showlegend=False,
        )
    )
    first = table.iloc[0]
    title = (
        f'The widest gap is on "{first["Criterion"]}": '
        f"{abs(first['Difference']):.0f} points in favour of {first['Better fit'].lower()}"
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[-12.5, 12.5], dtick=5)
    fig = style_figure(
        fig,
        title,
        80 + 36 * len(table),
        f"Fits better: ← {b} · {a} →",  # short enough for a phone-wide chart
        "",
    )
    return fig


def match_table(
    result: MatchResult, catalog: Catalog, names: dict[str, str] | None = None
) -> pd.DataFrame:
    """The ranking as a table: rank, type and match percentage."""
    ranking = result.ranking()
    ids = [t for t, _ in ranking]
    return pd.DataFrame(
        {
            "Rank": range(1, len(ranking) + 1),
            "Massage type": [catalog.display_name(t, names) for t in ids],
            "Match (%)": [round(m, 1) for _, m in ranking],
        }
    )


def match_chart(
    result: MatchResult, catalog: Catalog, title: str, names: dict[str, str] | None = None
) -> go.Figure:
    """The ranked match of every type, best at the top, under `title`: an Explanation's
    chart_title, which states the outcome decided there."""
    ranking = result.ranking()
    ids = [t for t, _ in ranking]
    colours = colour_map(result.type_ids)
    labels = [catalog.display_name(t, names) for t in ids]
    fig = draft(
        go.Bar(
            y=[plain_label(label) for label in labels],
            x=[m for _, m in ranking],
            orientation="h",
            marker_color=[colours[t] for t in ids],
            text=[f"{m:.0f}%" for _, m in ranking],
            textposition="auto",
            hovertemplate="%{y}: %{x:.1f}%<extra></extra>",
            showlegend=False,
        ),
        layout={
            "yaxis": {"autorange": "reversed"},
            "xaxis": {"range": [0, 100], "dtick": 20, "ticksuffix": "%"},
        },
    )
    return style_figure(
        fig,
        title,
        110 + 44 * len(ids),
        "Match with your priorities",
        "",
    )


def contribution_table(
    result: MatchResult, catalog: Catalog, names: dict[str, str] | None = None
) -> pd.DataFrame:
    """Points each weighted criterion adds to each type's match; the columns add up to it."""
    frame = result.contribution_frame()
    frame = frame[result.weights > 0]
    table = frame.copy()
    table.columns = [catalog.display_name(t, names) for t in result.type_ids]
    table.insert(0, "Your weight", result.weights[result.weights > 0])
    table.insert(0, "Criterion", [catalog.criterion_label(c) for c in frame.index])
    return table.reset_index(drop=True)


def contributions_chart(
    result: MatchResult, catalog: Catalog, title: str, names: dict[str, str] | None = None
) -> go.Figure:
    """Where each match comes from: points per weighted criterion, one bar per type, under
    `title` (an Explanation's contributions_title)."""
    frame = result.contribution_frame()
    frame = frame[result.weights > 0]
    labels = [catalog.criterion_label(c) for c in frame.index]
    colours = colour_map(result.type_ids)
    type_names = [catalog.display_name(t, names) for t in result.type_ids]
    fig = draft(
        data=[
            go.Bar(
                y=labels,
                x=frame[tid].to_numpy(),
                name=plain_label(name),
                orientation="h",
                marker_color=colours[tid],
                hovertemplate="%{y}: %{x:.1f} points<extra>" + plain_label(name) + "</extra>",
            )
            for tid, name in zip(result.type_ids, type_names, strict=True)
        ],
        layout={"yaxis": {"autorange": "reversed"}},
    )
    return style_figure(
        fig, title, 90 + 24 * len(labels) * max(1, len(result.type_ids)), "Match points", ""
    )
