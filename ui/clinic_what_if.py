"""What-if on Position my clinic: how the last menu change, and the menu as a whole, move
clients' best matches; and why an even blend of medical and spa wins nobody."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from advisor.catalog import Catalog
from advisor.clinic.menu import is_uniform_blend
from advisor.clinic.positioning import WhatIf, what_if, what_if_text
from advisor.figures.clinic import what_if_chart, what_if_table
from ui import memory
from ui.clinic_answer import CACHE, menu_key
from ui.clinic_menu import BEFORE, menu_services
from ui.state import declare
from ui.survey_upload import SurveyInUse
from ui.widgets import chart_with_table

BLENDS_LOSE = (
    "A blend of medical and spa (the same mix on every criterion) is best match for 0% of your "
    "clients, and always will be: its match is the same mix of the two parents' matches, so for "
    "every client it stays at or below the better of the two. To win clients, take whole "
    "dimensions from one type or the other: see Design a service for the gap above."
)

STATE = declare(
    __name__,
    owned=("whatif_*",),
)


@st.cache_data(**CACHE)
def _what_if(
    survey_key: str, before: tuple, after: tuple, _survey: pd.DataFrame, _b: pd.DataFrame,
    _a: pd.DataFrame
) -> WhatIf:  # fmt: skip
    return what_if(_survey, _b, _a)


def _moves(survey: SurveyInUse, before: pd.DataFrame, after: pd.DataFrame) -> WhatIf:
    """How the survey's clients move from menu `before` to menu `after` (services x criteria),
    kept per survey and menus; let go of with the survey (ui.memory)."""
    keys = {"survey_key": survey.key, "before": menu_key(before), "after": menu_key(after)}
    memory.computed_from(None if survey.sample else survey.key, _what_if, **keys)
    return _what_if(*keys.values(), survey.frame, before, after)


def what_if_section(
    catalog: Catalog,
    survey: SurveyInUse,
    fits: pd.DataFrame,
    names: dict[str, str],
    left_out: list[str],
    menu: pd.DataFrame,
) -> None:
    """The last change and the whole menu against medical and spa alone (plain text only:
    service names are the owner's). A service that cannot be delivered as set is left out,
    before and after, and named."""
    st.header("What-if", anchor=False)
    before_menu = st.session_state[BEFORE]
    if menu.empty and before_menu.empty:
        st.info(
            "Add a service under **Your services** (or upload a menu): this section then shows "
            "how your clients' best matches would shift, and from which service they would move.",
            icon=":material/swap_horiz:",
        )
        return
    before_fits, before_names, before_left_out = menu_services(catalog, before_menu)
    not_scored = list(dict.fromkeys([*left_out, *before_left_out]))
    if not_scored:
        st.warning(
            "Not scored here, as they cannot be delivered as set (see Your services):",
            icon=":material/rule:",
        )
        st.text(", ".join(not_scored))
    all_names = {**names, **before_names}
    last_change = _moves(survey, before_fits, fits)
    from_types_alone = menu_key(before_fits) == menu_key(catalog.fits)
    if from_types_alone:  # the last change is the whole menu: one sentence says both
        st.text(
            "Your last change, your menu against medical and spa alone: "
            f"{what_if_text(last_change, all_names)}"
        )
    else:
        st.text(f"Your last change to the menu: {what_if_text(last_change, all_names)}")
    whole = _moves(survey, catalog.fits, fits)
    if len(fits) > len(catalog.fits):
        if not from_types_alone:
            st.text(f"Your menu against medical and spa alone: {what_if_text(whole, all_names)}")
        losers = [s for s in fits.index[len(catalog.fits) :] if whole.after.get(s, 0.0) == 0]
        if any(is_uniform_blend(fits.loc[s], catalog.fits) for s in losers):
            st.info(BLENDS_LOSE, icon=":material/call_merge:")
    chart_with_table(
        what_if_chart(last_change, all_names),
        partial(what_if_table, last_change, all_names),
        "whatif",
    )
