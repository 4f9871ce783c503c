"""Design a service for the gap: the owner picks the aim, the page proposes a service built
dimension by dimension from medical and spa massage, and adds it to the menu in one click."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from advisor.catalog import Catalog
from advisor.clinic.design import (
    AIMS,
    MARGIN,
    Brief,
    Design,
    delivery,
    design_service,
    plain_words,
    service_name,
)
from advisor.clinic.menu import MAX_SERVICES, NAME
from advisor.clinic.positioning import percentage_points
from ui.clinic_memo import frame_key, memo
from ui.clinic_menu import current_menu, reserved, set_menu
from ui.state import declare

SUMMARY_AIM = "lift_unserved"  # the aim of the proposal in the answer at the top of the page

STATE = declare(
    __name__,
    owned=("pc_design_added", "pc_design_objective", "clinic_design_add"),
    kept=("pc_design_objective",),
)


def designed(
    catalog: Catalog,
    survey: pd.DataFrame,
    survey_key: int,
    fits: pd.DataFrame,
    objective: str,
    threshold: float,
) -> Design:
    """The design for this survey, menu, aim and threshold, computed once per change."""
    uses_threshold = objective == "lift_unserved"
    return memo(
        f"design_{objective}",
        (survey_key, frame_key(fits), threshold if uses_threshold else None),
        lambda: design_service(
            Brief(
                survey,
                fits,
                catalog.fits,
                catalog.criteria_by_dimension(),
                catalog.service_limits,
                objective,
                threshold,
            )
        ),
    )


def _add(catalog: Catalog, design: Design) -> None:
    """Button callback: put the design on the menu under a name not yet taken."""
    menu = current_menu()
    name = service_name(design, [*reserved(catalog), *menu[NAME].astype(str)], catalog)
    row = {NAME: name, **design.fits.to_dict()}
    set_menu(pd.concat([menu, pd.DataFrame([row])], ignore_index=True))
    st.session_state["pc_design_added"] = name


def _promise(design: Design, names: dict[str, str], threshold: float) -> str:
    """What the design would win, in plain text: shares in % and percentage points of the
    clients, the margin in match points (0-100)."""
    shares = [
        (service, share)
        for service, share in design.taken_from.sort_values(ascending=False).items()
        if share >= 0.005
    ]
    taken = [
        f"{percentage_points(share * 100, first=k == 0)} from {names.get(service, service)}"
        for k, (service, share) in enumerate(shares)
    ]
    sources = ": " + " and ".join(taken) if taken else ""
    if design.objective == "most_clients":
        unit = "match point" if MARGIN == 1 else "match points"
        return (
            f"It would be the best match for {design.best_share * 100:.0f}% of your clients, "
            f"and beat every service you have by more than {MARGIN:g} {unit} (on the 0-100 "
            f"match score) for {design.share * 100:.0f}% of your clients{sources}."
        )
    return (
        f"It would lift {design.wins:,} clients who are unserved today to {threshold:.0f}% or "
        f"more ({design.share * 100:.0f}% of your clients{sources}), and be the best match for "
        f"{design.best_share * 100:.0f}% of your clients."
    )


def other_aim_note(catalog: Catalog, objective: str, design: Design, summary: Design) -> str | None:
    """The sentence that says the answer at the top uses the other aim (None when the aims are
    the same): the service it proposes there, or that it finds none."""
    if objective == summary.objective:
        return None
    text = f'The answer at the top of the page uses the other aim, "{AIMS[summary.objective]}"'
    if summary.wins == 0:
        return text + ": with it, no new service would lift any of your clients."
    if summary.mixes == design.mixes:
        return text + ", and proposes this same service."
    taken = [*reserved(catalog), *current_menu()[NAME].astype(str)]
    return (
        f"{text}, so it proposes a different service: {service_name(summary, taken, catalog)}. "
        "Pick that aim above to see it here."
    )


def designer_section(
    catalog: Catalog,
    survey: pd.DataFrame,
    survey_key: int,
    fits: pd.DataFrame,
    names: dict[str, str],
    threshold: float,
    summary: Design,
) -> Design:
    """Propose a service for the gap; return the design shown. `summary` is the design the
    answer at the top proposes (aim `SUMMARY_AIM`): when the owner picks the other aim, the
    section says so (plain text: names on the menu are the owner's)."""
    st.header("Design a service for the gap", anchor=False)
    st.markdown(
        "A new service is designed the way the article compares the two types: each of the four "
        "dimensions (purpose, treatment focus, therapist training, setting) is taken from medical "
        "massage, from spa massage, or mixed, and it must keep the stated trade-offs (a session "
        "cannot be both short-and-targeted and long-and-unhurried at full strength, for example)."
    )
    objective = st.radio(
        "Design it to",
        list(AIMS),
        format_func=AIMS.get,
        key="pc_design_objective",
        horizontal=True,
    )
    added = st.session_state.pop("pc_design_added", None)
    if added:
        st.success(
            "The designed service is on your menu now, and counts in every chart above; what "
            "follows is designed for the gap that is left.",
            icon=":material/check_circle:",
        )
        st.text(f"Added to your menu: {added}.")  # plain text: a name is never markup
    design = designed(catalog, survey, survey_key, fits, objective, threshold)
    note = other_aim_note(catalog, objective, design, summary)
    if note:
        st.text(note)
    if design.wins == 0:
        st.info(
            "No service mixed from medical and spa would win any client from your menu: "
            "every design is matched or beaten by a service you already offer.",
            icon=":material/check_circle:",
        )
        return design
    menu_name = service_name(
        design, [*reserved(catalog), *current_menu()[NAME].astype(str)], catalog
    )
    st.subheader("The next proposal" if added else "The proposal", anchor=False)
    words = memo(
        "design_words",
        tuple(design.mixes.items()),
        lambda: (delivery(design, catalog), plain_words(design, catalog)),
    )
    st.text(f"{menu_name}. {words[0]}")
    st.text(_promise(design, names, threshold))
    st.markdown(
        "\n".join(
            f"- **{row['Dimension']}**, from {row['Taken from']}: {row['What it means']}"
            for row in words[1].to_dict("records")
        )
    )
    full = len(current_menu()) >= MAX_SERVICES
    st.button(
        "Add this service to my menu",
        icon=":material/add_circle:",
        on_click=_add,
        args=(catalog, design),
        disabled=full,
        key="clinic_design_add",
        help=f"The menu holds at most {MAX_SERVICES} services." if full else None,
    )
    return design
