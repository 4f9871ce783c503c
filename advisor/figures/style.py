"""The house look of every figure: a colour-blind-safe palette, wrapped titles, plain labels,
and text that reads at 4.5:1 or better against whatever it is drawn on.

The Okabe-Ito palette (Okabe and Ito, "Color Universal Design", https://jfly.uni-koeln.de/color/)
stays distinguishable under the common kinds of colour blindness. Contrast is WCAG 2.2's
(https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio), 4.5:1 being its AA minimum for text
(success criterion 1.4.3, https://www.w3.org/TR/WCAG22/#contrast-minimum).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

import plotly.colors as pc
import plotly.graph_objects as go

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
TYPE_COLOURS = {"medical": OKABE_ITO[0], "spa": OKABE_ITO[1]}
FONT = '"Source Sans", "Source Sans Pro", sans-serif'  # Streamlit's own web font
TEXT = "#0E1117"  # the app theme's textColor (.streamlit/config.toml): 18.9:1 on white
LIGHT_TEXT = "#FFFFFF"
BACKGROUND = "#FFFFFF"
MIN_CONTRAST = 4.5
# Cividis (colour-blind safe by design) from a little past its middle up to its yellow end:
# TEXT reads at 5:1 or better on every colour of it, so a heatmap's cell labels need one colour.
SEQUENTIAL = [
    [i / 4, colour]
    for i, colour in enumerate(
        pc.sample_colorscale("Cividis", [0.55 + 0.45 * i / 4 for i in range(5)])
    )
]
_RGBA = re.compile(r"rgba?\(([^)]*)\)")


def to_rgb(colour: str, over: str = BACKGROUND) -> tuple[float, float, float]:
    """A CSS colour ("#RRGGBB", "#RGB", "rgb(r, g, b)" or "rgba(r, g, b, a)") as 0-255 channels;
    a translucent one is composited over `over`. Raises ValueError for any other form."""
    colour = colour.strip()
    if colour.startswith("#") and len(colour) in (4, 7):
        digits = colour[1:] if len(colour) == 7 else "".join(d * 2 for d in colour[1:])
        return tuple(float(v) for v in pc.hex_to_rgb("#" + digits))
    if colour.lower() == "white":
        return (255.0, 255.0, 255.0)
    match = _RGBA.fullmatch(colour.lower())
    if match is None:
        raise ValueError(f"Not a colour this module reads: {colour!r} (use #RRGGBB or rgb(a)).")
    parts = [float(v) for v in match.group(1).split(",")]
    alpha = parts[3] if len(parts) == 4 else 1.0
    below = to_rgb(over) if alpha < 1 else (0.0, 0.0, 0.0)
    return tuple(alpha * c + (1 - alpha) * b for c, b in zip(parts[:3], below, strict=True))


def _luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2.2 relative luminance (https://www.w3.org/TR/WCAG22/#dfn-relative-luminance)."""
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb)
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.2 contrast ratio of two CSS colours, from 1 (same) to 21 (black on white).
    A translucent background is taken over white, a translucent foreground over the background."""
    lighter, darker = sorted(
        (_luminance(to_rgb(foreground, over=background)), _luminance(to_rgb(background))),
        reverse=True,
    )
    return (lighter + 0.05) / (darker + 0.05)


def readable_on(background: str) -> str:
    """TEXT or LIGHT_TEXT, whichever contrasts more with `background` (a bar's colour, say)."""
    return max((TEXT, LIGHT_TEXT), key=lambda text: contrast_ratio(text, background))


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
TITLE_SIZE = 16
# plotly.js sets each line of a text 1.3 font sizes below the one before (its LINE_SPACING)
TITLE_LINE = round(1.3 * TITLE_SIZE)
# Room above the title's first line, and between its last line and the plot.
TITLE_ABOVE = 10
TITLE_BELOW = 14
# plotly.js lowers a one-line title anchored at its top by 0.7 font sizes (its CAP_SHIFT), so
# the letters hang below the anchor; a title of two or more lines loses that shift (each line
# is placed on its own) and its first line stands on the anchor, the tops of its capitals
# above it: at the figure's top edge, cut off. Such a title is anchored this much lower.
TITLE_CAP_SHIFT = round(0.7 * TITLE_SIZE)


def wrap_title(title: str, width: int = TITLE_WIDTH) -> str:
    """A title broken into lines of about `width` characters: plotly never wraps on its own,
    and an unbroken title is cut off on a phone."""
    return "<br>".join(textwrap.wrap(plain_label(title), width)) or " "


def title_lines(wrapped: str) -> int:
    """How many lines a wrapped title (lines joined by <br>) takes."""
    return wrapped.count("<br>") + 1


def title_room(lines: int) -> int:
    """The top margin for a title of `lines` lines: room above it, every line, room below."""
    return TITLE_ABOVE + TITLE_LINE * lines + TITLE_BELOW


def title_pad(lines: int) -> int:
    """The title's top pad (px from the figure's top edge to its anchor) that puts the tops of
    its first line's letters about TITLE_ABOVE below the edge, however many lines it has."""
    return TITLE_ABOVE if lines == 1 else TITLE_ABOVE + TITLE_CAP_SHIFT


def _merge(base: dict, extra: dict) -> dict:
    """`extra` written into `base`, nested dicts merged key by key."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
    return base


def drawn_colour(colour: str, opacity: float | None = None, over: str = BACKGROUND) -> str:
    """The colour a mark shows: `colour` at `opacity` (None = opaque) over `over`, as rgb()."""
    red, green, blue = to_rgb(colour, over)
    return "rgb({:.0f}, {:.0f}, {:.0f})".format(
        *to_rgb(f"rgba({red}, {green}, {blue}, {1.0 if opacity is None else opacity})", over)
    )


def bar_colours(trace: go.Bar) -> list[str]:
    """Each bar's colour as drawn, in the trace's order (a single marker colour is repeated)."""
    colour = trace.marker.color
    count = len(trace.x if trace.x is not None else trace.y)
    colours = [colour] * count if isinstance(colour, str) else list(colour)
    return [drawn_colour(c, trace.opacity) for c in colours]


def readable_traces(traces: Sequence) -> list:
    """The traces with every text label given a colour that reads on what it sits on: a bar's
    label inside the bar is dark or white by the bar's colour, outside it (and every other
    trace's text) is TEXT on the white plot. A bar trace without a marker colour is left as
    it is (tests/advisor/figures/test_contrast.py fails on it)."""
    out = []
    for trace in traces:
        if trace.type == "bar" and trace.text is not None and trace.marker.color is not None:
            inside = [readable_on(colour) for colour in bar_colours(trace)]
            trace = trace.update(insidetextfont={"color": inside}, outsidetextfont={"color": TEXT})
        elif trace.text is not None and trace.textfont.color is None:
            trace = trace.update(textfont={"color": TEXT})
        out.append(trace)
    return out


def draft(data: object = None, layout: dict | None = None) -> go.Figure:
    """A figure for `style_figure` to finish, built without plotly's default template (which
    costs a deep copy per figure): `style_figure` applies it once, to the finished figure."""
    return go.Figure(data=data, layout={**(layout or {}), "template": "none"})


# The height of one more line of 13 px tick labels: a chart whose x tick labels wrap onto n
# lines gets (n - 1) of these more bottom margin, so the axis title stays clear of them.
TICK_LINE = 17


def style_figure(
    fig: go.Figure,
    title: str,
    height: int,
    x_title: str,
    y_title: str,
    x_label_lines: int = 1,
) -> go.Figure:
    """The house look: wrapped title at the top left, legend below the plot, light grid.

    The top margin, and the figure, grow by TITLE_LINE for every line of the title.

    `x_label_lines` is how many lines the x tick labels take (names wrapped with <br>): the
    bottom margin, and the figure, grow by TICK_LINE for every line past the first.

    The figure comes back rebuilt in one step from its traces and one layout dict: plotly
    validates a layout once that way, where update_layout and update_*axes parse every
    property path again (about 3x the time for the same figure).
    """
    wrapped = wrap_title(title)
    lines = title_lines(wrapped)
    has_legend = sum(1 for trace in fig.data if trace.showlegend is not False) > 1
    top = title_room(lines)
    extra = TICK_LINE * max(0, x_label_lines - 1)
    bottom = 56 + extra + (34 if has_legend else 0)
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
                "pad": {"t": title_pad(lines)},
                "font": {"size": TITLE_SIZE, "color": TEXT},
            },
            "height": height + TITLE_LINE * lines + extra + (34 if has_legend else 0),
            "margin": {"l": 8, "r": 28, "t": top, "b": bottom},
            "font": {"family": FONT, "size": 13, "color": TEXT},
            "legend": {
                "orientation": "h",
                "yref": "container",
                "y": 0,
                "yanchor": "bottom",
                "x": 0,
                "xanchor": "left",
                "font": {"color": TEXT},
            },
            "plot_bgcolor": BACKGROUND,
            "paper_bgcolor": BACKGROUND,
            "bargap": 0.25,
            "xaxis": {
                "title": {"text": x_title, "font": {"color": TEXT}},
                "tickfont": {"color": TEXT},
                "gridcolor": "#E4E7EB",
                "zeroline": True,
                "zerolinecolor": "#9AA5B1",
            },
            "yaxis": {
                "title": {"text": y_title, "font": {"color": TEXT}},
                "tickfont": {"color": TEXT},
                "automargin": True,
            },
        },
    )
    # The traces were validated when the draft was built, and the layout holds only the
    # draft's own (validated) layout and the constant house settings above: plotly's
    # `_validate=False` (what it uses for its own templates) skips checking them a second time.
    return go.Figure(data=readable_traces(fig.data), layout=layout, _validate=False)
