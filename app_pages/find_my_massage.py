"""Find my massage: a goal, the safety screen, and an explained, tested answer beside the sliders.

The page is a table of contents; the controls (ui/find_controls.py), the answer and the live
verdict (ui/find_answer.py), the share link and what follows the answer (ui/find_details.py)
are section modules; "At this clinic" (ui/find_clinic.py) ranks the services of a menu the
owner saved. Everything the answer says comes from one explanation
(advisor.decision.explanation.explain).
"""

import streamlit as st

from advisor.decision.explanation import explain
from advisor.decision.share_link import share_params
from ui.clinic_menu import client_menu
from ui.data import get_catalog
from ui.find_answer import answer_section, live_verdict, live_verdict_style, reasons_section
from ui.find_clinic import clinic_section
from ui.find_controls import (
    PRESET,
    certainty_picker,
    choices,
    goal_picker,
    link_notices,
    restore_from_link,
    safety_screen,
    said_above_list,
    sliders,
)
from ui.find_details import Choices, details_section, keep_section
from ui.questionnaire import questionnaire_section

catalog = get_catalog()
saved = client_menu(catalog)  # once per page run: a slider move reruns only the fragment

if PRESET not in st.session_state:
    restore_from_link(catalog)

st.title("Find my massage", anchor=False)
# No intro line and no skip link here: on a phone the answer must start on the first screen,
# and what a skip link would jump over is the goal and the safety question it rests on.
live_verdict_style()
with st.container(width=720):  # a readable width on a wide screen; the whole width on a phone
    goal_picker(catalog)
    questionnaire_section(catalog)
# outside the fragment: a slider move does not send the screen again; a tick reruns the page
above_list = safety_screen(catalog)


@st.fragment
def priorities_and_answer() -> None:
    """The sliders, the certainty and everything drawn from them: a slider move reruns only
    this part, the live verdict above the sliders and the line above the safety list included.

    The goal and the safety screen above stay outside it: changing either reruns the whole
    page, this fragment included (the goal's on_change sets the sliders first). The answer is
    explained first, from the widgets' values in session state, so that the line above the
    safety list can say it and the match chart reaches the browser before the sliders.
    """
    weights, preset, certainty, flags = choices(catalog)
    params = share_params(weights, preset, certainty, flags)
    for notice in link_notices((params, flags)):
        st.warning(f"Share link: {notice}", icon=":material/link_off:")
    exp = explain(catalog, weights, certainty, flags, saved.menu)
    kept = Choices(preset, certainty, flags, params)

    said_above_list(above_list, exp)
    results, controls = st.columns([3, 2], gap="large")
    with results:
        answer_section(exp, catalog)
        clinic_section(exp, saved)
        if exp.strength is not None:
            keep_section(exp, kept, catalog)
            reasons_section(exp)
    with controls:
        live_verdict(exp)
        certainty_picker()
        sliders(catalog)
    if exp.strength is not None:
        details_section(exp, kept, catalog)
    # The address (the share link) last: the browser's history update and the message it
    # posts to itself cost it ~10 ms that, sent first, delayed every delta after it, the
    # match chart's included (bench.latency --only browser: find median 107-110 ms, not 119-139).
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


priorities_and_answer()
