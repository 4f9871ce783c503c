"""Every text in every figure reads at 4.5:1 or better against what it is drawn on (WCAG 2.2
AA, success criterion 1.4.3), measured from the figures' specs: axe-core cannot see text that
plotly draws in SVG. The page draws the spec as it is (ui.widgets.chart passes theme=None; the
browser test tests/browser/test_accessibility.py measures the drawn colours too).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from functools import cache

import numpy as np
import pandas as pd
import plotly.colors as pc
import plotly.graph_objects as go
import pytest

import advisor
from advisor.clinic.answer import Clients, clinic_answer
from advisor.clinic.design import Brief, design_service
from advisor.clinic.menu import NAME, blend_fits, services
from advisor.clinic.positioning import (
    axis_positions,
    best_per_segment,
    client_mix,
    segment_matrix,
    what_if,
)
from advisor.decision.scoring import score
from advisor.figures import client, clinic
from advisor.figures.style import (
    MIN_CONTRAST,
    OKABE_ITO,
    bar_colours,
    contrast_ratio,
    drawn_colour,
    readable_on,
)
from advisor.files.reading import read_survey

Text = tuple[str, str, str]  # (what, text colour, background colour)


# --- the texts of a figure, each with its colour and what it is drawn on -----------------------


def _colour(*candidates: str | None) -> str:
    """The first colour set, from the most specific; a text with none has no colour of its own
    (plotly's grey default, or a theme's) and fails the test."""
    for candidate in candidates:
        if candidate is not None:
            return candidate
    return "unset"


def _layout_texts(fig: go.Figure) -> Iterator[Text]:
    layout, base = fig.layout, fig.layout.font.color
    paper = layout.paper_bgcolor or "unset"
    if layout.title.text:
        yield "title", _colour(layout.title.font.color, base), paper
    for name in ("xaxis", "yaxis"):
        axis = layout[name]
        if axis.title.text:
            yield f"{name} title", _colour(axis.title.font.color, base), paper
        if axis.showticklabels is not False:
            yield f"{name} tick labels", _colour(axis.tickfont.color, base), paper
    if sum(1 for trace in fig.data if trace.showlegend is not False) > 1:
        yield "legend", _colour(layout.legend.font.color, base), layout.legend.bgcolor or paper
    for note in layout.annotations:
        back = note.bgcolor or layout.plot_bgcolor or "unset"
        yield f"annotation {note.text!r}", _colour(note.font.color, base), back


def _bar_texts(trace: go.Bar, layout: go.Layout) -> Iterator[Text]:
    if trace.text is None:
        return
    base = _colour(trace.textfont.color, layout.font.color)
    position = trace.textposition or "auto"
    if position in ("auto", "inside"):
        inside = trace.insidetextfont.color
        for k, colour in enumerate(bar_colours(trace)):
            text = inside[k] if isinstance(inside, list | tuple) else _colour(inside, base)
            yield f"bar {trace.name} #{k} inside", text, colour
    if position in ("auto", "outside"):
        outside = _colour(trace.outsidetextfont.color, base)
        yield f"bar {trace.name} outside", outside, layout.plot_bgcolor or "unset"


def _heatmap_texts(trace: go.Heatmap, layout: go.Layout) -> Iterator[Text]:
    if trace.text is None and trace.texttemplate is None:
        return
    z = np.asarray(trace.z, dtype=float)
    low = np.nanmin(z) if trace.zmin is None else trace.zmin
    high = np.nanmax(z) if trace.zmax is None else trace.zmax
    scale = [list(stop) for stop in (trace.colorscale or pc.get_colorscale("Plasma"))]
    cells = pc.sample_colorscale(scale, ((z.ravel() - low) / (high - low or 1)).clip(0, 1))
    text = _colour(trace.textfont.color, layout.font.color)
    for k, colour in enumerate(cells):
        yield f"heatmap cell #{k}", text, colour
    colorbar, paper = trace.colorbar, layout.paper_bgcolor or "unset"
    yield "colour bar title", _colour(colorbar.title.font.color, layout.font.color), paper
    yield "colour bar ticks", _colour(colorbar.tickfont.color, layout.font.color), paper


def _scatter_texts(fig: go.Figure, trace: go.Scatter) -> Iterator[Text]:
    if trace.text is None or "text" not in (trace.mode or ""):
        return
    colours = trace.textfont.color
    colours = colours if isinstance(colours, list | tuple) else [colours]
    markers = trace.marker.color
    if trace.textposition == "middle center" and isinstance(markers, list | tuple):
        # a label centred on its own opaque marker (a lettered map point) reads on that marker
        for colour, marker in zip(colours * len(markers), markers, strict=False):
            yield f"{trace.name} label", _colour(colour, fig.layout.font.color), marker
        return
    # a label may lie on the plot or on any one-colour (translucent) marker of the figure
    grounds = [fig.layout.plot_bgcolor or "unset"] + [
        drawn_colour(other.marker.color, other.marker.opacity)
        for other in fig.data
        if other.type == "scatter" and isinstance(other.marker.color, str)
    ]
    for colour in colours:
        for ground in grounds:
            yield f"{trace.name} label", _colour(colour, fig.layout.font.color), ground


def texts(fig: go.Figure) -> list[Text]:
    """Every text the figure draws: (what, its colour, the colour it is drawn on)."""
    found = list(_layout_texts(fig))
    for trace in fig.data:
        if trace.type == "bar":
            found += _bar_texts(trace, fig.layout)
        elif trace.type == "heatmap":
            found += _heatmap_texts(trace, fig.layout)
        elif trace.type == "scatter":
            found += _scatter_texts(fig, trace)
        else:
            raise AssertionError(f"No contrast rule for a {trace.type} trace: add one here.")
    return found


# --- representative figures: every builder, with the catalog's types and a full menu ---------


@cache
def _inputs() -> dict:
    catalog = advisor.load_catalog()
    menu = pd.DataFrame(
        [
            {NAME: f"Blend {share}%", **blend_fits(catalog.fits, share / 100).to_dict()}
            for share in (10, 30, 50, 70, 90, 100)
        ]
    )
    fits, names = services(catalog.fits, menu)
    names = {t: catalog.display_name(t, names) for t in fits.index}
    data = (catalog.data_dir / "sample_survey.csv").read_bytes()
    survey = read_survey(data, catalog.criterion_ids, name="sample_survey.csv").frame
    mix = client_mix(survey, fits, catalog.segment_weights)
    brief = Brief(
        survey, fits, catalog.fits, catalog.criteria_by_dimension(), catalog.service_limits
    )
    answer = clinic_answer(
        survey,
        fits,
        names,
        catalog,
        90,
        Clients("sample", True, catalog.criterion_ids),
        design_service(brief),
        "Designed",
    )
    segment_names = dict(catalog.segments["label"])
    labels = {c: catalog.criterion_label(c) for c in catalog.criterion_ids}
    matrix = segment_matrix(catalog.segment_weights, fits)
    weekly = pd.DataFrame(
        {"medical": [3, 5], "spa": [4, 1], "tie": [1, 0]},
        index=pd.to_datetime(["2026-11-16", "2026-11-23"]).date,
    )
    return locals()


def _client_figures() -> dict[str, Callable[[], go.Figure]]:
    v = _inputs()
    catalog = v["catalog"]
    figures = {
        "profile": lambda: client.profile_chart(catalog),
        "differences": lambda: client.differences_chart(catalog),
    }
    weights = {
        f"preset {p}": catalog.preset_weights.loc[p].to_dict() for p in catalog.presets.index
    }
    weights["one criterion"] = {catalog.criterion_ids[0]: 10}
    for label, w in weights.items():
        two = score(w, catalog.fits)
        many = score(w, v["fits"])  # eight types: every colour of the palette
        title = f"A title as long as a verdict's, for {label}"
        figures[f"match, {label}"] = lambda r=two, t=title: client.match_chart(r, catalog, t)
        figures[f"match, {label}, full menu"] = lambda r=many, t=title: client.match_chart(
            r, catalog, t, v["names"]
        )
        figures[f"contributions, {label}"] = lambda r=two, t=title: client.contributions_chart(
            r, catalog, t
        )
    return figures


def _clinic_figures() -> dict[str, Callable[[], go.Figure]]:
    v = _inputs()
    catalog, fits, names, mix = v["catalog"], v["fits"], v["names"], v["mix"]
    shares = catalog.segments["share"]
    return {
        "segment heatmap": lambda: clinic.segment_heatmap(
            v["matrix"], best_per_segment(v["matrix"]), v["segment_names"], names
        ),
        "positioning map": lambda: clinic.positioning_map(
            clinic.MapData(
                axis_positions(fits, catalog.map_axes),
                axis_positions(catalog.segment_weights, catalog.map_axes),
                shares,
                names,
                v["segment_names"],
                catalog.map_axes,
            )
        ),
        "shares": lambda: clinic.shares_chart(mix.split(), names),
        "priorities": lambda: clinic.priorities_chart(v["answer"].priorities, v["labels"]),
        "misses": lambda: clinic.misses_chart(v["answer"], v["labels"]),
        "what-if": lambda: clinic.what_if_chart(what_if(v["survey"], catalog.fits, fits), names),
        "weekly answers": lambda: clinic.weekly_chart(v["weekly"], names),
    }


FIGURES = {**_client_figures(), **_clinic_figures()}


@pytest.mark.parametrize("name", list(FIGURES))
def test_every_text_in_every_figure_reads_at_4_5_to_1(name):
    found = texts(FIGURES[name]())
    assert found, "the figure draws no text at all?"
    unset = [what for what, text, back in found if "unset" in (text, back)]
    assert unset == [], f"{name}: no explicit colour (plotly's or a theme's would apply): {unset}"
    low = sorted(
        {
            (what, text, back, round(contrast_ratio(text, back), 2))
            for what, text, back in found
            if contrast_ratio(text, back) < MIN_CONTRAST
        }
    )
    assert low == [], f"{name}: text under {MIN_CONTRAST}:1 -> {low}"


def test_the_figures_cover_every_builder():
    builders = {
        f"{module.__name__}.{name}"
        for module in (client, clinic)
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and inspect.signature(function).return_annotation == "go.Figure"
    }
    covered = {
        "advisor.figures.client.profile_chart",
        "advisor.figures.client.differences_chart",
        "advisor.figures.client.match_chart",
        "advisor.figures.client.contributions_chart",
        "advisor.figures.clinic.segment_heatmap",
        "advisor.figures.clinic.positioning_map",
        "advisor.figures.clinic.shares_chart",
        "advisor.figures.clinic.priorities_chart",
        "advisor.figures.clinic.misses_chart",
        "advisor.figures.clinic.what_if_chart",
        "advisor.figures.clinic.weekly_chart",
    }
    assert builders == covered, "a new figure builder needs a representative figure above"


@pytest.mark.parametrize(
    ("colour", "expected"),
    [(c, "#FFFFFF") for c in (OKABE_ITO[0], OKABE_ITO[7])]
    + [(c, "#0E1117") for c in (OKABE_ITO[1], OKABE_ITO[2], OKABE_ITO[4], OKABE_ITO[6])],
)
def test_bar_labels_take_the_colour_that_reads_on_the_bar(colour, expected):
    assert readable_on(colour) == expected
    assert contrast_ratio(expected, colour) >= MIN_CONTRAST


@pytest.mark.parametrize(
    ("foreground", "background", "ratio"),
    [
        ("#000000", "#FFFFFF", 21.0),
        ("#FFFFFF", "#FFFFFF", 1.0),
        ("#767676", "#FFFFFF", 4.54),  # the lightest grey that passes AA on white
        ("rgba(14, 17, 23, 0.6)", "#FFFFFF", 4.95),  # Streamlit's caption: textColor at 60%
        ("#808495", "white", 3.72),  # Streamlit's chart theme's tick grey: why theme=None
    ],
)
def test_contrast_ratio_matches_wcag(foreground, background, ratio):
    assert contrast_ratio(foreground, background) == pytest.approx(ratio, abs=0.01)
