"""Design a service for the gap: the owner picks the aim, the page proposes a service built
dimension by dimension from medical and spa massage, and adds it to the menu in one click.

The service shown is the answer's (ui.clinic_answer): the one proposal on the page. It is
proposed only when it serves a meaningful share (advisor.clinic.answer.meaningful); otherwise
the section says why, in the answer's own last sentence (the menu serves everyone, or it leaves
some unserved and no design wins enough of them).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from advisor.bidi import isolate
from advisor.catalog import Catalog
from advisor.clinic.answer import ClinicAnswer
from advisor.clinic.design import AIMS, MARGIN, Design
from advisor.clinic.menu import MAX_SERVICES, NAME
from advisor.clinic.positioning import percentage_points, rounded_parts
from advisor.files.notes import plural
from ui.clinic_menu import current_menu, set_menu
from ui.state import declare

AIM = "pc_design_objective"

STATE = declare(
    __name__,
    owned=("pc_design_added", AIM, "clinic_design_add"),
    kept=(AIM,),
)


def aim_value() -> str:
    """The aim the designer is at: the radio's value, which the answer at the top needs before
    the radio is drawn below it."""
    return str(st.session_state.setdefault(AIM, "most_clients"))


def _add(design: Design, name: str) -> None:
    """Button callback: put the design on the menu under its name (not yet taken)."""
    menu = current_menu()
    row = {NAME: name, **design.fits.to_dict()}
    set_menu(pd.concat([menu, pd.DataFrame([row])], ignore_index=True))
    st.session_state["pc_design_added"] = name


def _promise(design: Design, names: dict[str, str], threshold: float) -> str:
    """What the design would win, in plain text: shares in % and percentage points of the
    clients, the margin in match points (0-100)."""
    taken_from = design.taken_from[design.taken_from > 0].sort_values(ascending=False)
    points = rounded_parts(taken_from * 100, round(design.share * 100))
    shares = [(s, p) for s, p in zip(taken_from.index, points, strict=True) if p]
    taken = [
        f"{percentage_points(p, first=k == 0)} from {isolate(names.get(service, service))}"
        for k, (service, p) in enumerate(shares)
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
        f"It would lift {plural(design.wins, 'client')} who "
        f"{'is' if design.wins == 1 else 'are'} unserved today to {threshold:.0f}% or "
        f"more ({design.share * 100:.0f}% of your clients{sources}), and be the best match for "
        f"{design.best_share * 100:.0f}% of your clients."
    )


def designer_section(catalog: Catalog, answer: ClinicAnswer) -> None:
    """The aim, and the answer's designed service when it serves a meaningful share (plain
    text: names on the menu are the owner's)."""
    st.header("Design a service for the gap", anchor=False)
    st.markdown(
        "A new service takes each of the article's four dimensions (purpose, treatment focus, "
        "therapist training, setting) from medical massage, from spa massage, or a mix, and "
        "keeps the stated trade-offs (a session cannot be both short-and-targeted and "
        "long-and-unhurried at full strength, for example)."
    )
    st.radio("Design it to", list(AIMS), format_func=AIMS.get, key=AIM, horizontal=True)
    added = st.session_state.pop("pc_design_added", None)
    if added:
        st.success(
            "The designed service is on your menu now, and counts in every chart; what follows "
            "is designed for the gap that is left.",
            icon=":material/check_circle:",
        )
        st.text(f"Added to your menu: {isolate(added)}.")  # plain text: never markup
    design = answer.design
    if not answer.proposed:
        # the answer's own sentence (no names in it when nothing is proposed): whether anyone
        # is unserved, the rule, and what the best design would do
        icon = ":material/info:" if answer.split.unserved else ":material/check_circle:"
        st.info(answer.sentences[-1], icon=icon)
        return
    st.subheader("The next proposal" if added else "The proposal", anchor=False)
    st.text(f"{isolate(answer.proposal_name)}. {answer.delivery}")
    st.text(_promise(design, answer.names, answer.threshold))
    st.markdown(
        "\n".join(
            f"- **{row['Dimension']}**, from {row['Taken from']}: {row['What it means']}"
            for row in answer.design_words.to_dict("records")
        )
    )
    full = len(current_menu()) >= MAX_SERVICES
    st.button(
        "Add this service to my menu",
        icon=":material/add_circle:",
        on_click=_add,
        args=(design, answer.proposal_name),
        disabled=full,
        key="clinic_design_add",
        help=f"The menu holds at most {MAX_SERVICES} services." if full else None,
    )
