"""Position my clinic: the answer first, then segment fit, the map, your menu, the client mix,
a service designed for the gap, the what-if and (for the owner) real demand.

Each section lives in its own ui/ module; this page wires them in reading order. The answer
box is placed first and filled last, from the same numbers the sections below show.
"""

import streamlit as st

from advisor.clinic.menu import services
from ui.clinic_designer import SUMMARY_AIM, designed, designer_section
from ui.clinic_menu import current_menu, menu_section, start_menu
from ui.clinic_mix import mix_section
from ui.clinic_segments import segment_view, segments_section
from ui.clinic_summary import answer_section
from ui.clinic_what_if import what_if_section
from ui.data import get_catalog
from ui.owner_answers import owner_answers_section
from ui.survey_upload import survey_input

catalog = get_catalog()
start_menu(catalog)

st.title("Position my clinic", anchor=False)
st.markdown(
    "Which client segments do medical and spa massage serve, where does your own menu sit, "
    "and what does your real client mix ask for? The answer comes first; the charts below "
    "show where it comes from."
)
answer_box = st.container()

menu = current_menu()
fits, own_names = services(catalog.fits, menu)
names = {t: catalog.display_name(t, own_names) for t in fits.index}
view = segment_view(catalog, fits)
segments_section(catalog, view, names)
menu_section(catalog, menu)

st.header("Client mix", anchor=False)
survey = survey_input(catalog)
mix = mix_section(catalog, survey, fits, names)
lift = designed(catalog, survey, mix.survey_key, fits, SUMMARY_AIM, mix.threshold)
design = designer_section(catalog, survey, mix.survey_key, fits, names, mix.threshold, lift)
what_if_section(catalog, survey, fits, names, menu)
owner_answers_section(catalog, fits, names, mix.threshold)

with answer_box:
    answer_section(catalog, view, mix, lift, design, names)
