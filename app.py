"""Massage Advisor's entry point: page config, the catalog check, and the page router."""

from pathlib import Path

import streamlit as st

from advisor.errors import CatalogError
from ui.data import get_catalog
from ui.state import keep_widget_state
from ui.widgets import page_nav

st.set_page_config(
    page_title="Massage Advisor: medical or spa massage?",
    # a local image: a material-icon favicon is fetched from Google's font servers, which a
    # clinic's offline or locked-down machine cannot reach
    page_icon=str(Path(__file__).parent / "ui" / "assets" / "icon.png"),
    layout="wide",
)


def _catalog_error() -> CatalogError | None:
    try:
        get_catalog()
    except CatalogError as error:
        return error
    return None


def _damaged(error: CatalogError) -> None:
    st.title("Massage Advisor cannot start", anchor=False)
    st.error(
        "The app's data catalog is damaged, so no page can be shown. "
        "Whoever runs this app can fix the file and row named below, then reload."
    )
    st.code("\n".join(error.problems), language=None, wrap_lines=True)


PAGES = {
    "": [
        st.Page("app_pages/start.py", title="Start", icon=":material/home:", default=True),
    ],
    "For clients": [
        st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
        st.Page(
            "app_pages/find_my_massage.py",
            title="Find my massage",
            icon=":material/tune:",
            url_path="find",
        ),
    ],
    "For clinics": [
        st.Page(
            "app_pages/position_my_clinic.py",
            title="Position my clinic",
            icon=":material/storefront:",
            url_path="clinic",
        ),
    ],
    "About": [
        st.Page("app_pages/method.py", title="Method and sources", icon=":material/menu_book:"),
    ],
}


if (error := _catalog_error()) is not None:
    _damaged(error)
else:
    keep_widget_state(get_catalog())
    # Hidden: page_nav names every page on a phone too, where position="top" shows an icon.
    # Its row is reserved at the top and filled after the page has run, so that the page's
    # own elements reach the browser first (drawn before them, the links left the first
    # chart of Find my massage a grey placeholder on some loads).
    current = st.navigation(PAGES, position="hidden")
    nav = st.container(horizontal=True, gap="small", key="page_nav")
    current.run()
    page_nav(nav, [page for section in PAGES.values() for page in section])
