"""Method and sources: every fit with its reason. For clients, as stacked text criterion by
criterion (it reads on a phone); for experts, as a table to filter by type and dimension."""

from __future__ import annotations

import streamlit as st

from advisor.catalog import Catalog
from ui.state import declare

STATE = declare(__name__, owned=("method_types", "method_dimensions", "method_fits"))


def fits_by_criterion(catalog: Catalog) -> None:
    """Each criterion, grouped by dimension, with every type's fit, its reason and the article
    section it comes from."""
    st.header("Every fit, with its reason", anchor=False)
    st.markdown(
        "How well each type fits each thing you may care about, from 0 (not at all) to 10 "
        "(fully), and why. Each reason names the part of the article it comes from."
    )
    for dim_id, criteria in catalog.criteria_by_dimension().items():
        lines = []
        for cid in criteria:
            fits = []
            for tid in catalog.type_ids:
                reason, section = catalog.fit_reason(tid, cid)
                fit = catalog.fits.at[tid, cid]
                fits.append(
                    f"  - {catalog.type_name(tid)}: **{fit:.0f}**. {reason} *(source: {section})*"
                )
            lines.append(f"- **{catalog.criterion_label(cid)}**\n" + "\n".join(fits))
        label = str(catalog.dimensions.at[dim_id, "label"])
        st.markdown(f"**{label}**\n\n" + "\n".join(lines))


def fits_table_section(catalog: Catalog) -> None:
    """Every fit as one table, filtered by type and dimension (for experts)."""
    st.header("Every fit as a table", anchor=False)
    left, right = st.columns(2)
    type_filter = left.multiselect(
        "Massage type",
        list(catalog.types.index),
        default=list(catalog.types.index),
        format_func=catalog.type_name,
        key="method_types",
    )
    dimension_filter = right.multiselect(
        "Dimension",
        list(catalog.dimensions.index),
        default=list(catalog.dimensions.index),
        format_func=lambda d: str(catalog.dimensions.at[d, "label"]),
        key="method_dimensions",
    )
    profiles = catalog.profiles.assign(
        dimension=catalog.profiles["criterion_id"].map(catalog.criteria["dimension"])
    )
    shown = profiles[
        profiles["type_id"].isin(type_filter) & profiles["dimension"].isin(dimension_filter)
    ]
    table = shown.assign(
        Type=shown["type_id"].map(catalog.type_name),
        Dimension=shown["dimension"].map(catalog.dimensions["label"]),
        Criterion=shown["criterion_id"].map(catalog.criterion_label),
        Source=shown["section"].map(catalog.section_title),
    )[["Type", "Dimension", "Criterion", "fit", "rationale", "Source"]]
    st.caption(f"{len(table)} of {len(profiles)} fits shown.")
    st.dataframe(
        table.rename(columns={"fit": "Fit (0-10)", "rationale": "Why"}),
        hide_index=True,
        key="method_fits",
        column_config={"Why": st.column_config.TextColumn(width="large")},
    )
