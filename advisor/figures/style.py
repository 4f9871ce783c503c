"""The house look of every figure: a colour-blind-safe palette, wrapped titles, plain labels.

The Okabe-Ito palette (Okabe and Ito, "Color Universal Design", https://jfly.uni-koeln.de/color/)
stays distinguishable under the common kinds of colour blindness.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import plotly.graph_objects as go

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
TYPE_COLOURS = {"medical": OKABE_ITO[0], "spa": OKABE_ITO[1]}
FONT = '"Source Sans", "Source Sans Pro", sans-serif'  # Streamlit's own web font


def colour_map(type_ids: Sequence[str]) -> dict[str, str]:
    """A stable colour per type: medical blue, spa orange, others from the rest of the palette."""
    spare = [c for c in OKABE_ITO if c not in TYPE_COLOURS.values()]
    colours, k = {}, 0
    for tid in type_ids:
        if tid in TYPE_COLOURS:
            colours[tid] = TYPE_COLOURS[tid]
        else:
            colours[tid] = spare[k % len(spare)]
            k += 1
    return colours


def plain_label(text: str) -> str:
    """Text safe to place in a plotly label: plotly reads a subset of HTML, so escape < > &."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


TITLE_WIDTH = 46


def wrap_title(title: str, width: int = TITLE_WIDTH) -> str:
    """A title broken into lines of about `width` characters: plotly never wraps on its own,
    and an unbroken title is cut off on a phone."""
    return "<br>".join(textwrap.wrap(plain_label(title), width)) or " "


def _merge(base: dict, extra: dict) -> dict:
    """`extra` written into `base`, nested dicts merged key by key."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
    return base


def style_figure(fig: go.Figure, title: str, height: int, x_title: str, y_title: str) -> go.Figure:
    """The house look: wrapped title at the top left, legend below the plot, light grid.

    The figure comes back rebuilt in one step from its traces and one layout dict: plotly
    validates a layout once that way, where update_layout and update_*axes parse every
    property path again (about 3x the time for the same figure).
    """
    wrapped = wrap_title(title)
    lines = wrapped.count("<br>") + 1
    has_legend = sum(1 for trace in fig.data if trace.showlegend is not False) > 1
    top = 24 + 22 * lines
    bottom = 56 + (34 if has_legend else 0)
    layout = fig.layout.to_plotly_json()
    layout.pop("template", None)  # the default (no chart sets another): re-applied below
    _merge(
        layout,
        {
            "title": {
                "text": wrapped,
                "x": 0,
                "xanchor": "left",
                "y": 1,
                "yanchor": "top",
                "yref": "container",
                "pad": {"t": 10},
                "font": {"size": 16},
            },
            "height": height + 22 * lines + (34 if has_legend else 0),
            "margin": {"l": 8, "r": 28, "t": top, "b": bottom},
            "font": {"family": FONT, "size": 13},
            "legend": {
                "orientation": "h",
                "yref": "container",
                "y": 0,
                "yanchor": "bottom",
                "x": 0,
                "xanchor": "left",
            },
            "plot_bgcolor": "white",
            "bargap": 0.25,
            "xaxis": {
                "title": {"text": x_title},
                "gridcolor": "#E4E7EB",
                "zeroline": True,
                "zerolinecolor": "#9AA5B1",
            },
            "yaxis": {"title": {"text": y_title}, "automargin": True},
        },
    )
    return go.Figure(data=fig.data, layout=layout)
