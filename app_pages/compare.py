"""Compare: the two types side by side on the source's four dimensions, what each is good and less
good for, the questions people ask (an Option Grid, from public sources), and their profiles."""

from functools import partial

import streamlit as st

from advisor.figures.client import (
    differences_chart,
    differences_table,
    profile_chart,
    profile_table,
)
from ui.data import get_catalog
from ui.experience import good_and_poor_section, grid_section
from ui.widgets import chart_with_table, skip_link

catalog = get_catalog()
TYPES = ("medical", "spa")

st.title("Medical and spa massage, side by side", anchor=False)
st.markdown(
    "How one article sets the two types apart, point by point. We put each point in our own "
    "words and name the part of the article it comes from. Below that are the questions people "
    "ask before they book, answered from public sources."
)

skip_link("ask", "Skip to the questions people ask")

summary = st.columns(2)
for column, type_id in zip(summary, TYPES, strict=True):
    row = catalog.types.loc[type_id]
    with column, st.container(border=True):
        st.header(row["name"], anchor=False)
        st.markdown(row["summary"])
        st.caption(f"Source: {catalog.section_title(row['summary_section'])}")

descriptions = catalog.type_descriptions.set_index(["dimension", "type_id"])
st.header("Dimension by dimension", anchor=False)
for dim_id, dim in catalog.dimensions.iterrows():
    st.subheader(dim["label"], anchor=False)
    columns = st.columns(2)
    for column, type_id in zip(columns, TYPES, strict=True):
        line = descriptions.loc[(dim_id, type_id)]
        with column:
            st.markdown(f"**{catalog.type_name(type_id)}**: {line['text']}")
            st.caption(f"Source: {catalog.section_title(line['section'])}")

good_and_poor_section(catalog, TYPES)
grid_section(catalog, TYPES)

st.divider()
st.header("Profiles across all criteria", anchor=False)
st.markdown(
    "How well each type fits each thing you may care about, from 0 (not at all) to 10 (fully). "
    "Each fit is our reading of the article. The Method page gives the reason for each one."
)
chart_with_table(profile_chart(catalog), partial(profile_table, catalog), "profile")

st.header("The biggest differences", anchor=False)
chart_with_table(differences_chart(catalog), partial(differences_table, catalog), "differences")

st.header("What they have in common", anchor=False)
for _, item in catalog.common_ground.iterrows():
    st.markdown(f"- {item['text']} *(source: {catalog.section_title(item['section'])})*")

st.page_link("app_pages/find_my_massage.py", label="Find which fits you", icon=":material/tune:")
