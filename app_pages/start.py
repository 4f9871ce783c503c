"""Start: what the app does, the two paths (clients and clinics), and the disclaimer."""

import streamlit as st

from ui.about import start_section
from ui.data import get_catalog

catalog = get_catalog()

st.title("Medical or spa massage?", anchor=False)
st.markdown(
    "Massage Advisor compares **medical massage** and **spa massage** as one article describes "
    "them. It weighs them against what matters to you. Then it shows which fits, why, and what "
    "would change the answer."
)

client, clinic = st.columns(2, gap="large")
with client, st.container(border=True):
    st.header(":material/person: I'm looking for a massage", anchor=False)
    st.markdown(
        "Pick a goal, such as *recover from an injury* or *unwind after a hard week*. Then set "
        "what matters to you. In under a minute you get an answer, the reasons for it, how sure "
        "it is, and what a session is like. You can share it, or print it to bring along."
    )
    # imported here, once the heading is on its way: whose menu clients see needs the answer
    # store (SQLAlchemy, alembic), about a third of a second of a cold start
    from ui.find_clinic import whose_menu

    whose_menu(catalog)
    st.page_link("app_pages/find_my_massage.py", label="Find my massage", icon=":material/tune:")
    st.page_link(
        "app_pages/compare.py", label="Compare the two types", icon=":material/compare_arrows:"
    )
with clinic, st.container(border=True):
    st.header(":material/storefront: I run a clinic", anchor=False)
    st.markdown(
        "See which groups of clients medical and spa massage serve. Design your own services "
        "and place them on a map. Score your own client survey to find who is left out."
    )
    st.page_link(
        "app_pages/position_my_clinic.py", label="Position my clinic", icon=":material/storefront:"
    )

st.header("What the comparison rests on", anchor=False)
dimensions = ", ".join(label.lower() for label in catalog.dimensions["label"])
st.markdown(
    f"One article compares the two types on four points: {dimensions}. The app turns them into "
    f"{len(catalog.criterion_ids)} things you can weigh. Each fit it uses has a short reason "
    "and names the part of the article it comes from."
)
st.page_link("app_pages/method.py", label="How the scoring works", icon=":material/menu_book:")

start_section(catalog)

st.warning(
    "**This is not medical advice.** Massage Advisor compares kinds of massage. If you have "
    "pain, an injury or a health condition, talk to a healthcare provider before booking: "
    "medical massage is often part of a provider's treatment plan.",
    icon=":material/health_and_safety:",
)
