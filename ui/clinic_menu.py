"""Your services on Position my clinic: add, edit, download, upload, and keep the menu.

The menu lives in this visitor's session; once the owner has unlocked the page with the
passcode it is also saved in the answers database and comes back on the next visit. The saved
menu is what Find my massage ranks for clients (`client_menu`); a saved menu that no longer
loads is named to the owner here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from advisor.answers.store import StoreError, database_url
from advisor.catalog import Catalog
from advisor.clinic.design import limit_problems
from advisor.clinic.menu import (
    MAX_NAME_LENGTH,
    MAX_SERVICES,
    MENU_LIMIT_MB,
    NAME,
    SavedMenuError,
    blend_fits,
    check_name,
    deliverable,
    empty_menu,
    menu_csv,
    menu_from_saved,
    read_menu,
    services,
)
from advisor.errors import InputFileError
from ui.answer_store import get_store
from ui.owner_answers import OPEN_KEY
from ui.state import declare
from ui.widgets import escape_md

MENU = "pc_menu"
BEFORE = "pc_menu_before"
VERSION = "pc_editor_version"
RESTORED = "pc_menu_restored"
SAVE_ERROR = "pc_menu_save_error"
SHOWN = "pc_menu_shown"

STATE = declare(
    __name__,
    owned=(
        MENU,
        BEFORE,
        VERSION,
        RESTORED,
        SAVE_ERROR,
        SHOWN,
        "pc_new_name",
        "pc_new_start",
        "pc_new_blend",
        "pc_add_problem",
        "pc_add_service",
        "pc_editor_*",
        "pc_menu_upload",
        "pc_menu_seen",
        "pc_menu_problems",
        "pc_menu_problem_table",
    ),
)


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def _menu_services(
    rows: tuple, data_dir: str, _catalog: Catalog, _menu: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    fits, own = services(_catalog.fits, _menu)
    names = {s: _catalog.display_name(s, own) for s in fits.index}
    kept, left_out = deliverable(fits, _catalog.service_limits, names)
    return kept, {s: names[s] for s in kept.index}, left_out


def menu_services(
    catalog: Catalog, menu: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    """The services the page scores (the catalog types, then the menu's services that keep
    every service limit), their display names, and the names of the menu's services left out
    because they cannot be delivered as set. Kept per menu (st.cache_data)."""
    rows = tuple(map(tuple, menu.astype(object).to_numpy().tolist()))
    return _menu_services(rows, str(catalog.data_dir), catalog, menu)


@dataclass(frozen=True)
class ClientMenu:
    """The saved menu as clients get it: `menu` (None when there is none to rank) and `fault`,
    why a saved menu cannot be shown (None when it can, or when none is saved)."""

    menu: pd.DataFrame | None
    fault: str | None = None


MENU_TTL = 30  # seconds


@st.cache_data(ttl=MENU_TTL, max_entries=4, show_spinner=False)
def _saved_rows(url: str, switch: bool) -> list[tuple[str, object]] | None:
    """The saved menu's rows at `url` ([] while hidden and `switch`), None when the store
    cannot be reached."""
    try:
        store = get_store()
        return store.menu_rows() if not switch or store.menu_shown() else []
    except StoreError:
        return None


def client_menu(catalog: Catalog, switch: bool = True) -> ClientMenu:
    """The saved menu for Find my massage, checked (advisor.clinic.menu.menu_from_saved); none
    while the owner hides it (`switch` False: whatever the switch says, for the owner's view).

    A store that cannot be reached gives no menu and no fault: whether a menu was saved is then
    unknown, and the page says nothing of one (the owner's view names the store's fault). Read
    at most every MENU_TTL seconds per server process (a store that is down is not asked on
    every run); a save or a switch here clears it at once."""
    rows = _saved_rows(database_url(), switch)
    if not rows:
        return ClientMenu(None)
    try:
        return ClientMenu(menu_from_saved(rows, catalog.criterion_ids, reserved(catalog)))
    except SavedMenuError as error:
        return ClientMenu(None, str(error))


def owner_unlocked() -> bool:
    return bool(st.session_state.get(OPEN_KEY))


def start_menu(catalog: Catalog) -> None:
    """The session's menu, and, the first time the owner is unlocked, the saved one."""
    if MENU not in st.session_state:
        st.session_state[MENU] = empty_menu(catalog.criterion_ids)
        st.session_state[BEFORE] = empty_menu(catalog.criterion_ids)
        st.session_state[VERSION] = 0
    if owner_unlocked() and not st.session_state.get(RESTORED):
        st.session_state[RESTORED] = True
        try:
            saved = get_store().saved_menu(catalog.criterion_ids)
        except StoreError as error:
            st.session_state[SAVE_ERROR] = str(error)
            return
        if st.session_state[MENU].empty and not saved.empty:
            set_menu(saved, save=False)
        else:
            _save(st.session_state[MENU])


def current_menu() -> pd.DataFrame:
    return st.session_state[MENU]


def _save(menu: pd.DataFrame) -> None:
    _saved_rows.clear()
    try:
        get_store().save_menu(menu)
    except StoreError as error:
        st.session_state[SAVE_ERROR] = str(error)
    else:
        st.session_state[SAVE_ERROR] = None


def set_menu(menu: pd.DataFrame, save: bool = True, reset_editor: bool = True) -> None:
    """Replace the menu, remember the one before for the what-if, reset the editor (unless the
    change comes from it), and save it when the owner is unlocked."""
    st.session_state[BEFORE] = st.session_state[MENU]
    st.session_state[MENU] = menu.reset_index(drop=True)
    st.session_state[VERSION] += int(reset_editor)
    if save and owner_unlocked():
        _save(st.session_state[MENU])


def _show_to_clients() -> None:
    """Switch callback: keep the owner's choice with the saved menu."""
    _saved_rows.clear()
    try:
        get_store().show_menu(bool(st.session_state[SHOWN]))
    except StoreError as error:
        st.session_state[SAVE_ERROR] = str(error)


def client_switch(menu: pd.DataFrame) -> None:
    """For the unlocked owner with a saved menu: show it to clients on Find my massage, or not
    (shown by default once saved)."""
    if not owner_unlocked() or menu.empty or st.session_state.get(SAVE_ERROR):
        return
    if SHOWN not in st.session_state:
        try:
            st.session_state[SHOWN] = get_store().menu_shown()
        except StoreError as error:
            st.session_state[SAVE_ERROR] = str(error)
            return
    st.toggle(
        "Show these services to clients on Find my massage",
        key=SHOWN,
        on_change=_show_to_clients,
        help="Clients then see which of your services fits them best, under their answer.",
    )


def where_the_menu_lives(catalog: Catalog) -> None:
    """Say in plain words whether the menu is kept beyond this browser session, and, to the
    owner, why a saved menu cannot be shown to clients."""
    if owner_unlocked() and not st.session_state.get(SAVE_ERROR):
        fault = client_menu(catalog, switch=False).fault
        if fault:
            st.warning(
                "Find my massage cannot show your saved menu to clients now, so they see "
                f"only the medical-or-spa answer. The fault: {escape_md(fault)}",
                icon=":material/visibility_off:",
            )
    if st.session_state.get(SAVE_ERROR):
        st.error(
            f"Your menu could not be saved: {st.session_state[SAVE_ERROR]}. It is kept in this "
            "browser session; download it as CSV to be safe.",
            icon=":material/cloud_off:",
        )
    elif owner_unlocked():
        st.caption("Your menu is saved on this server and comes back when you unlock again.")
    else:
        st.caption(
            "Your services stay in this browser session only and are gone when it ends. "
            "Download the menu (.csv) to keep it, or open the owner view at the bottom of the "
            "page with your passcode to have it saved."
        )


def reserved(catalog: Catalog) -> list[str]:
    return [catalog.type_name(t) for t in catalog.type_ids]


START_CHOICES = ("medical", "spa", "blend")


def _add_service(catalog: Catalog) -> None:
    """Add button callback: add the service, or keep what was typed and say what is wrong."""
    menu = current_menu()
    name = st.session_state.get("pc_new_name", "")
    start = st.session_state.get("pc_new_start")
    problem = check_name(name, menu[NAME].astype(str), reserved(catalog))
    if problem is None and start not in START_CHOICES:
        problem = "Choose what the service starts from: medical, spa or a blend."
    if problem is None and len(menu) >= MAX_SERVICES:
        problem = f"The menu already has {MAX_SERVICES} services, the most it can hold."
    st.session_state["pc_add_problem"] = problem
    if problem:
        return
    share = {"medical": 1.0, "spa": 0.0}.get(start, st.session_state.get("pc_new_blend", 50) / 100)
    row = {NAME: name.strip(), **blend_fits(catalog.fits, share).to_dict()}
    set_menu(pd.concat([menu, pd.DataFrame([row])], ignore_index=True))
    st.session_state["pc_new_name"] = ""


def add_service_row(catalog: Catalog) -> None:
    """A name, what it starts from, the blend (only for a blend) and the Add button. Not a
    form: Enter in the name field only keeps the name; the button alone adds, and only once
    the start is chosen."""
    with st.container(border=True):
        name_col, start_col = st.columns([3, 2])
        name_col.text_input(
            f"Service name (at most {MAX_NAME_LENGTH} characters)", key="pc_new_name"
        )
        start = start_col.selectbox(
            "Start from",
            START_CHOICES,
            index=None,
            placeholder="Choose one",
            format_func=lambda s: "A blend of both" if s == "blend" else catalog.type_name(s),
            key="pc_new_start",
        )
        if start == "blend":
            st.slider(
                "Blend: how much medical (the rest is spa)",
                0,
                100,
                50,
                step=10,
                format="%d%%",
                key="pc_new_blend",
            )
        st.button(
            "Add service",
            icon=":material/add:",
            on_click=_add_service,
            args=(catalog,),
            disabled=start is None,
            help="Choose what it starts from first." if start is None else None,
            key="pc_add_service",
        )
    if st.session_state.get("pc_add_problem"):
        st.error(st.session_state["pc_add_problem"], icon=":material/edit_off:")


def _editor(catalog: Catalog, menu: pd.DataFrame) -> None:
    st.caption("Edit any fit or name in the table; select rows and press the bin to remove them.")
    edited = st.data_editor(
        menu,
        key=f"pc_editor_{st.session_state[VERSION]}",
        num_rows="delete",
        hide_index=True,
        column_config={
            NAME: st.column_config.TextColumn("Service", required=True, pinned=True),
            **{
                cid: st.column_config.NumberColumn(
                    catalog.criterion_label(cid), min_value=0, max_value=10, step=0.1, required=True
                )
                for cid in catalog.criterion_ids
            },
        },
    )
    edited = edited.dropna(subset=[NAME]).reset_index(drop=True)
    names = edited[NAME].astype(str)
    problems = [
        f"Row {row + 1}: {why}"
        for row, service in enumerate(names)
        if (why := check_name(service, names.drop(row), reserved(catalog)))
    ]
    if problems:
        for problem in problems:
            st.error(problem)
        st.caption("The menu keeps its last valid version until the table is fixed.")
    elif not edited.equals(menu):
        set_menu(edited, reset_editor=False)
        st.rerun()
    labels = {cid: catalog.criterion_label(cid) for cid in catalog.criterion_ids}
    for row, fits in enumerate(menu[list(catalog.criterion_ids)].to_dict("records")):
        for problem in limit_problems(fits, catalog.service_limits, labels):
            st.warning(
                f"Row {row + 1} cannot be delivered as set, so it is left out of every chart "
                f"and of the answer until its fits keep the limit: {problem}",
                icon=":material/rule:",
            )


def _files(catalog: Catalog, menu: pd.DataFrame) -> None:
    download_col, upload_col = st.columns(2)
    download_col.download_button(
        "Download the menu (.csv)",
        lambda: menu_csv(menu),
        file_name="clinic-menu.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        disabled=menu.empty,
    )
    upload = upload_col.file_uploader(
        "Upload a menu (.csv)", type=["csv"], key="pc_menu_upload", max_upload_size=MENU_LIMIT_MB
    )
    if upload is not None and st.session_state.get("pc_menu_seen") != upload.file_id:
        st.session_state["pc_menu_seen"] = upload.file_id
        try:
            imported = read_menu(
                upload.getvalue(), catalog.criterion_ids, reserved(catalog), name=upload.name
            )
        except InputFileError as error:
            st.error(
                "This menu file could not be used; your menu stays as it was.",
                icon=":material/error:",
            )
            st.text(str(error))
        else:
            set_menu(imported.menu)
            st.session_state["pc_menu_problems"] = imported.problems
            st.rerun()
    if st.session_state.get("pc_menu_problems"):
        with st.expander("What was left out of the uploaded menu"):
            st.dataframe(
                pd.DataFrame({"Problem": st.session_state["pc_menu_problems"]}),
                hide_index=True,
                key="pc_menu_problem_table",
            )


def menu_section(catalog: Catalog, menu: pd.DataFrame) -> None:
    """Add, edit, download and upload the clinic's own services."""
    st.header("Your services", anchor=False)
    st.markdown(
        f"Add up to {MAX_SERVICES} services of your own, each with a fit from 0 to 10 on every "
        "criterion. Start from medical, spa or a blend, then adjust the fits in the table, or "
        "let **Design a service for the gap** above propose one."
    )
    where_the_menu_lives(catalog)
    client_switch(menu)
    add_service_row(catalog)
    if not menu.empty:
        _editor(catalog, menu)
    _files(catalog, menu)
