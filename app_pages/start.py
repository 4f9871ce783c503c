"""Start: what the app does, the two paths (clients and clinics), and the disclaimer."""

import streamlit as st

from ui.about import start_section
from ui.data import get_catalog

catalog = get_catalog()

st.title("Medical or spa massage?", anchor=False)
st.markdown(
    "Massage Advisor compares **medical massage** and **spa massage** as one source article "
    "describes them, weighs them against what matters to you, and shows which fits, why, "
    "and what would change the answer."
)

client, clinic = st.columns(2, gap="large")
with client, st.container(border=True):
    st.header(":material/person: I'm looking for a massage", anchor=False)
    st.markdown(
        "Pick a goal such as *recover from an injury* or *unwind after a hard week*, adjust "
        "what matters to you, and get a ranked answer in under a minute: the reasons behind "
        "it, how sure it is, what a session looks like, and a link to share or bring along."
    )
    st.page_link("app_pages/find_my_massage.py", label="Find my massage", icon=":material/tune:")
    st.page_link(
        "app_pages/compare.py", label="Compare the two types", icon=":material/compare_arrows:"
    )
with clinic, st.container(border=True):
    st.header(":material/storefront: I run a clinic", anchor=False)
    st.markdown(
        "See which client segments medical and spa massage serve, design your own services, "
        "place them on a positioning map, and score your own client survey to find who is "
        "left unserved."
    )
    st.page_link(
        "app_pages/position_my_clinic.py", label="Position my clinic", icon=":material/storefront:"
    )

st.header("What the comparison rests on", anchor=False)
dimensions = ", ".join(label.lower() for label in catalog.dimensions["label"])
st.markdown(
    f"One article comparing the two types on four dimensions: {dimensions}. "
    f"The app turns that into {len(catalog.criterion_ids)} criteria you can weight; every fit "
    "it uses comes with a one-line reason and the article section it rests on."
)
st.page_link("app_pages/method.py", label="How the scoring works", icon=":material/menu_book:")

start_section(catalog)

st.warning(
    "**This is not medical advice.** Massage Advisor compares kinds of massage. If you have "
    "pain, an injury or a health condition, talk to a healthcare provider before booking: "
    "medical massage is often part of a provider's treatment plan.",
    icon=":material/health_and_safety:",
)
