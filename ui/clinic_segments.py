"""Segment fit (heatmap) and the positioning map on Position my clinic."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import pandas as pd
import streamlit as st

from advisor.catalog import Catalog
from advisor.clinic.positioning import axis_positions, best_per_segment, segment_matrix
from advisor.figures.clinic import (
    MapData,
    heatmap_table,
    map_table,
    positioning_map,
    segment_heatmap,
)
from ui.clinic_memo import frame_key, memo
from ui.state import declare
from ui.widgets import chart_with_table, on_demand

STATE = declare(
    __name__,
    owned=("pc_segments_table", "pc_segments_box", "map_key", "heatmap_*", "map_*"),
    kept=("pc_segments_box",),
)


@dataclass(frozen=True)
class SegmentView:
    """What the two charts show, for the summary and the report."""

    matrix: pd.DataFrame
    best: pd.Series
    service_positions: pd.DataFrame
    segment_positions: pd.DataFrame


def _segment_view(catalog: Catalog, fits: pd.DataFrame) -> SegmentView:
    matrix = segment_matrix(catalog.segment_weights, fits)
    return SegmentView(
        matrix,
        best_per_segment(matrix),
        axis_positions(fits, catalog.map_axes),
        axis_positions(catalog.segment_weights, catalog.map_axes),
    )


def segment_view(catalog: Catalog, fits: pd.DataFrame) -> SegmentView:
    """Segments x services and both sets of map positions, once per menu."""
    return memo("segment_view", frame_key(fits), lambda: _segment_view(catalog, fits))


def _segments_table(catalog: Catalog) -> None:
    st.dataframe(
        catalog.segments.rename(
            columns={
                "label": "Segment",
                "description": "Who they are",
                "share": "Share",
                "share_source": "Source of the share (and what is assumed)",
            }
        )[["Segment", "Who they are", "Share", "Source of the share (and what is assumed)"]],
        hide_index=True,
        column_config={"Share": st.column_config.NumberColumn(format="percent")},
        key="pc_segments_table",
    )


def segments_section(catalog: Catalog, view: SegmentView, names: dict[str, str]) -> None:
    """The heatmap, the segments' sources, and the map with its key."""
    segment_names = dict(catalog.segments["label"])
    st.header("Segment fit", anchor=False)
    st.markdown(
        "How well each service matches each client segment's priorities (★ marks the best "
        "service for the segment). The segments' shares of a typical client base follow the "
        "AMTA 2012 consumer survey's split of reasons; the split within medical and within "
        "other reasons is **assumed**."
    )
    key = (frame_key(view.matrix), tuple(names.items()))
    chart_with_table(
        memo("heatmap", key, lambda: segment_heatmap(view.matrix, view.best, segment_names, names)),
        partial(heatmap_table, view.matrix, view.best, segment_names, names),
        "heatmap",
    )
    box = on_demand("The segments and where their shares come from", "pc_segments_box")
    if box is not None:
        with box:
            _segments_table(catalog)
    st.header("Positioning map", anchor=False)
    st.markdown(
        "Services (lettered diamonds) and segments (numbered bubbles, sized by share) on two "
        "axes computed from the same criteria: **therapeutic focus** (treating a problem) and "
        "**experience focus** (relaxation and ambience). A bubble far from every diamond is a "
        "gap; diamonds close together are crowding."
    )
    shares = catalog.segments["share"]
    positions = (view.service_positions, view.segment_positions)
    data = MapData(*positions, shares, names, segment_names, catalog.map_axes)
    # The map beside its key on a wide screen, so it is not stretched to a wide, short strip
    # (both axes run 0-10); on a phone the columns stack and the map takes the full width.
    map_column, key_column = st.columns([3, 2], gap="medium")
    with map_column:
        chart_with_table(
            memo("map", key, lambda: positioning_map(data)), partial(map_table, data), "map"
        )
    with key_column:
        st.caption("Key to the map")
        st.dataframe(
            memo("map_key", key, lambda: _map_key(map_table(data))),
            hide_index=True,
            key="map_key",
            column_config={"Key": st.column_config.TextColumn(width="small")},
        )


def _map_key(table: pd.DataFrame) -> pd.DataFrame:
    """The key to the map's markers: label, kind, name and (segments) share as text."""
    shares = table["Share (%)"].map(lambda v: "" if pd.isna(v) else f"{v:.0f}%")
    return table[["Key", "Kind", "Name"]].assign(Share=shares)
