"""Find my massage: a goal preset, priorities by dimension, and an explained, tested answer.

The page is the controls; the answer (ui/find_answer.py), what follows it
(ui/find_details.py) and the sliders (ui/find_controls.py) are section modules. Everything
the answer says comes from one explanation (advisor.decision.explanation.explain).
"""

import streamlit as st

from advisor.decision.explanation import explain
from advisor.decision.share_link import share_params
from ui.data import get_catalog
from ui.find_answer import answer_section
from ui.find_controls import (
    PRESET,
    certainty_picker,
    choices,
    goal_picker,
    link_notices,
    red_flag_boxes,
    restore_from_link,
    sliders,
)
from ui.find_details import Choices, details_section
from ui.questionnaire import questionnaire_section
from ui.widgets import skip_link

catalog = get_catalog()

if PRESET not in st.session_state:
    restore_from_link(catalog)

st.title("Find my massage", anchor=False)
st.markdown("Start from a goal, then fine-tune what matters to you. The answer updates as you go.")
skip_link("results", "Skip to your answer")

goal_col, certainty_col = st.columns([3, 2], gap="large")
with goal_col:
    goal_picker(catalog)
    questionnaire_section(catalog)
with certainty_col:
    certainty_picker()
with st.expander(
    "Before you book: does any of this apply to you now?", icon=":material/medical_services:"
):
    red_flag_boxes(catalog)


@st.fragment
def priorities_and_answer() -> None:
    """The sliders and everything drawn from them: a slider move reruns only this part.

    The goal, the certainty and the red flags above stay outside it: changing one of those
    reruns the whole page, this fragment included (the goal's on_change sets the sliders
    first). The answer is drawn before the sliders, from their values in session state, so
    that the match chart reaches the browser first.
    """
    weights, preset, certainty, flags = choices(catalog)
    params = share_params(weights, preset, certainty)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    for notice in link_notices((params, flags)):
        st.warning(f"Share link: {notice}", icon=":material/link_off:")
    exp = explain(catalog, weights, certainty, flags)

    results, controls = st.columns([3, 2], gap="large")
    with results:
        answer_section(exp, catalog)
    with controls:
        sliders(catalog)
    if exp.strength is not None:
        details_section(exp, Choices(preset, certainty, flags, params), catalog)


priorities_and_answer()
