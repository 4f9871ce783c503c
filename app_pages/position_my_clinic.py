"""Position my clinic: your clients first, then the answer about them, the charts behind it,
the one service designed for the gap, your menu, the what-if, the typical segments and (for the
owner) real demand.

Each section lives in its own ui/ module; this page wires them in reading order. The answer is
computed once (ui.clinic_answer) and every section below draws from it.
"""

import streamlit as st

from ui.clinic_answer import answer_for, answer_section
from ui.clinic_designer import aim_value, designer_section
from ui.clinic_menu import current_menu, menu_section, menu_services, reserved, start_menu
from ui.clinic_mix import mix_section, threshold_value
from ui.clinic_segments import segments_section
from ui.clinic_what_if import what_if_section
from ui.data import get_catalog
from ui.memory import settle
from ui.owner_answers import owner_answers_section
from ui.survey_upload import reading_section, survey_step

catalog = get_catalog()
start_menu(catalog)

st.title("Position my clinic", anchor=False)
st.caption(
    "What your own clients ask for, which of your services serves them, and what is missing: "
    "start with your clients, then read the answer; the charts below show where it comes from."
)
survey = survey_step(catalog)
menu = current_menu()
fits, names, left_out = menu_services(catalog, menu)
taken = [*reserved(catalog), *menu["name"].astype(str)]
answered = answer_for(catalog, survey, fits, names, threshold_value(), aim_value(), taken)

answer_section(catalog, answered)
reading_section(catalog)
mix_section(catalog, survey, answered, fits)
designer_section(catalog, answered.answer)
menu_section(catalog, menu)
what_if_section(catalog, survey, fits, names, left_out, menu)
segments_section(catalog, answered)
owner_answers_section(catalog, fits, names, answered.answer.threshold)
settle()  # a new survey's reading and answer done: what they left free goes back (ui.memory)
