"""Segment fit on Position my clinic: the heatmap of the typical segments against the menu, and
the positioning map (on demand: it only illustrates), from the answer."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from advisor.catalog import Catalog
from advisor.figures.clinic import (
    MapData,
    heatmap_table,
    map_table,
    positioning_map,
    segment_heatmap,
)
from ui.clinic_answer import Answered, made_for_menu
from ui.state import declare
from ui.widgets import chart_with_table, on_demand

STATE = declare(
    __name__,
    owned=(
        "pc_segments_table",
        "pc_segments_box",
        "pc_map_box",
        "map_key",
        "heatmap_*",
        "map_*",
    ),
    kept=("pc_segments_box", "pc_map_box"),
)


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


def segments_section(catalog: Catalog, answered: Answered) -> None:
    """The heatmap, the segments' sources, and the map with its key: the typical segments
    against the menu, for reference (the answer is about the owner's own clients)."""
    answer = answered.answer
    names = answer.names
    segment_names = dict(catalog.segments["label"])
    st.header("Segment fit", anchor=False)
    st.markdown(
        "How well each service matches each segment of a typical client base (★ marks the best "
        "service for the segment). The segments' shares follow AMTA's 2015 consumer survey; "
        "the split within medical and within other reasons is **assumed**."
    )
    chart_with_table(
        made_for_menu(
            "heatmap",
            answered,
            partial(segment_heatmap, answer.matrix, answer.best, segment_names, names),
        ),
        partial(heatmap_table, answer.matrix, answer.best, segment_names, names),
        "heatmap",
    )
    box = on_demand("The segments and where their shares come from", "pc_segments_box")
    if box is not None:
        with box:
            _segments_table(catalog)
    box = on_demand("The positioning map: an illustration on two axes", "pc_map_box")
    if box is not None:
        with box:
            _map(catalog, answered, segment_names)


def _map(catalog: Catalog, answered: Answered, segment_names: dict[str, str]) -> None:
    """The map and its key: made and sent only while its expander is open."""
    answer = answered.answer
    st.markdown(
        "Services (lettered diamonds) and segments (numbered bubbles, sized by share) on two "
        "axes computed from the same criteria: **therapeutic focus** (treating a problem) and "
        "**experience focus** (relaxation and ambience). The map only illustrates: how well a "
        "service serves anyone is its match, in the heatmap and the client mix."
    )
    shares = catalog.segments["share"]
    positions = (answer.service_positions, answer.segment_positions)
    data = MapData(*positions, shares, answer.names, segment_names, catalog.map_axes)
    # The map beside its key on a wide screen, so it is not stretched to a wide, short strip
    # (both axes run 0-10); on a phone the columns stack and the map takes the full width.
    map_column, key_column = st.columns([3, 2], gap="medium")
    with map_column:
        chart_with_table(
            made_for_menu("map", answered, partial(positioning_map, data)),
            partial(map_table, data),
            "map",
        )
    with key_column:
        st.caption("Key to the map")
        st.dataframe(
            made_for_menu("map_key", answered, lambda: _map_key(map_table(data))),
            hide_index=True,
            key="map_key",
            column_config={"Key": st.column_config.TextColumn(width="small")},
        )


def _map_key(table: pd.DataFrame) -> pd.DataFrame:
    """The key to the map's markers: label, kind, name and (segments) share as text."""
    shares = table["Share (%)"].map(lambda v: "" if pd.isna(v) else f"{v:.0f}%")
    return table[["Key", "Kind", "Name"]].assign(Share=shares)
