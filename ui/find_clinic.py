"""Find my massage, "At this clinic": the clinic's own services, ranked under the medical-or-spa
answer when the owner has saved a menu (ui/clinic_menu.py).

Everything shown comes from the one explanation (Explanation.clinic, a MenuAnswer); this module
only lays it out. A service's name is the owner's text, so every line that holds one is escaped
(ui.widgets.escape_md) or drawn as plain text: a name is never markup. A name set into a line
is isolated (advisor.bidi.isolate), so a right-to-left name keeps its place in it. A saved menu
that cannot be shown leaves the answer above as it is and says so in one line.
"""

from __future__ import annotations

import streamlit as st

from advisor.bidi import isolate
from advisor.catalog import Catalog
from advisor.decision.explanation import AFTER_CLEARED, NEITHER_ADVICE, Explanation, MenuAnswer
from ui.about import current
from ui.clinic_menu import ClientMenu, client_menu
from ui.find_answer import bullets
from ui.state import declare
from ui.widgets import escape_md

AT_THIS_CLINIC = "At this clinic"
CANNOT_SHOW = "This clinic's services cannot be shown now."
INTRO = "This clinic's own services, ranked by the same priorities."
ONE_SERVICE = "This clinic lists one service, scored by the same priorities."
OWN_FITS = "The clinic itself set how well each of its services fits each priority."
CLINIC_BOX = "fm_clinic"
WHOSE_MENU = "Find my massage also shows which of this clinic's own services fits you best."
MENU_OF = "The services are those of:"
WHY = "Why this order, and what would change it"

STATE = declare(__name__, owned=(CLINIC_BOX,))


def _ranking(clinic: MenuAnswer) -> str:
    return "\n".join(
        f"{n}. {escape_md(isolate(name))}: {pct}%"
        for n, (_, name, pct) in enumerate(clinic.shown, 1)
    )


def _why(clinic: MenuAnswer) -> None:
    """The reasons on both sides and what would change the order, as for the two types."""
    if clinic.reasons_for:
        lines = bullets(escape_md(r.text) for r in clinic.reasons_for)
        st.markdown(f"**What points to {escape_md(isolate(clinic.leader_name))}**\n\n{lines}")
    if clinic.reasons_against:
        lines = bullets(escape_md(r.text) for r in clinic.reasons_against)
        st.markdown(f"**What points the other way**\n\n{lines}")
    if clinic.changes:
        lines = bullets(escape_md(text) for text in clinic.changes[:2])
        st.markdown(f"**What would change it**\n\n{lines}")
    if clinic.firmness:
        st.text(clinic.firmness)
    if clinic.reasons_for or clinic.reasons_against:
        st.caption(OWN_FITS)


def clinic_section(exp: Explanation, saved: ClientMenu) -> None:
    """Under the medical-or-spa answer: the clinic's services ranked, with the same verdict
    words and reasons; "for after a provider has cleared you" when an item needs one. Nothing
    without a saved menu or without priorities; one line when the saved menu cannot be shown."""
    if exp.strength is None or (saved.menu is None and saved.fault is None):
        return
    with st.container(border=True, key=CLINIC_BOX):
        st.subheader(AT_THIS_CLINIC, anchor=False)
        clinic = exp.clinic
        if clinic is None:
            st.text(CANNOT_SHOW)
            return
        st.caption(ONE_SERVICE if len(clinic.shown) == 1 else INTRO)
        if clinic.needs_provider:
            st.markdown(f"**{AFTER_CLEARED}:**")
        verdict = escape_md(clinic.verdict)
        if clinic.strength == "neither":
            st.info(f"{verdict}\n\n{NEITHER_ADVICE}", icon=":material/help:")
        else:
            st.info(verdict, icon=":material/storefront:")
        st.markdown(_ranking(clinic))
        if clinic.reasons_for or clinic.reasons_against or clinic.changes or clinic.firmness:
            # folded: on a phone the section stays about one screen under the answer above
            with st.expander(WHY):
                _why(clinic)
        if clinic.left_out:
            names = ", ".join(f"“{isolate(name)}”" for name in clinic.left_out)
            st.text(f"Not ranked, as the clinic is still setting it up: {names}.")


def whose_menu(catalog: Catalog) -> None:
    """On Start, while clients see a saved menu: that Find my massage ranks it, and whose it is
    (the deployment's "made by" setting, plain text)."""
    if client_menu(catalog).menu is None:
        return
    made, _ = current()
    st.markdown(f"{WHOSE_MENU} {MENU_OF} {escape_md(made.made_by)}")
