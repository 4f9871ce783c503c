"""The owner's view of the opt-in answers on Position my clinic, behind the owner passcode."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

import pandas as pd
import streamlit as st

from advisor.answers.passcode import MAX_FAILURES, Lockout, is_valid_hash, verify_passcode
from advisor.answers.store import (
    NO_GOAL,
    NO_SERVICE,
    StoreError,
    answers_as_survey,
    retention_days,
    weekly_answers,
)
from advisor.catalog import Catalog
from advisor.clinic.positioning import client_mix
from advisor.dates import date_words
from advisor.figures.clinic import shares_chart, shares_table, weekly_chart
from advisor.files.writing import to_csv_bytes
from ui.answer_store import OWNER_HASH, get_store, owner_hash
from ui.state import declare
from ui.widgets import chart_with_table

LOCKOUT_KEY = "owner_lockout"
OPEN_KEY = "owner_open"
MESSAGE_KEY = "owner_message"

STATE = declare(
    __name__,
    owned=(
        LOCKOUT_KEY,
        OPEN_KEY,
        MESSAGE_KEY,
        "owner_passcode",
        "owner_confirm_delete",
        "owner_deleted",
        "demand_shares_*",
        "demand_weekly_*",
        "demand_services_*",
    ),
)


def _now() -> datetime:
    return datetime.now(UTC)


def _purge_old_answers() -> None:
    """Remove answers past the retention period, once each time the owner opens the view (a
    failure here is shown by the view itself, which reads the same store)."""
    try:
        get_store().purge(retention_days())
    except StoreError:
        return


def _check_passcode(stored_hash: str) -> None:
    """Form callback: runs before the page is drawn, so the page shows the outcome at once."""
    lockout: Lockout = st.session_state.get(LOCKOUT_KEY, Lockout())
    if lockout.is_locked(_now()):
        return
    if verify_passcode(st.session_state.get("owner_passcode", ""), stored_hash):
        st.session_state[LOCKOUT_KEY] = lockout.succeeded()
        st.session_state[OPEN_KEY] = True
        st.session_state[MESSAGE_KEY] = None
        _purge_old_answers()
        return
    lockout = lockout.failed(_now())
    st.session_state[LOCKOUT_KEY] = lockout
    left = MAX_FAILURES - lockout.failures
    st.session_state[MESSAGE_KEY] = (
        None
        if lockout.is_locked(_now())
        else f"Wrong passcode. {left} more wrong tries lock this session out."
    )


def _login(stored_hash: str) -> None:
    lockout: Lockout = st.session_state.get(LOCKOUT_KEY, Lockout())
    if lockout.is_locked(_now()):
        until = lockout.locked_until.strftime("%H:%M UTC") if lockout.locked_until else ""
        st.error(
            f"Too many wrong passcodes in a row: this session is locked out until {until}.",
            icon=":material/lock_clock:",
        )
        return
    if st.session_state.get(MESSAGE_KEY):
        st.error(st.session_state[MESSAGE_KEY], icon=":material/password:")
    with st.form("owner_login", clear_on_submit=True):
        st.text_input("Owner passcode", type="password", key="owner_passcode")
        st.form_submit_button(
            "Open the demand view",
            icon=":material/lock_open:",
            on_click=_check_passcode,
            args=(stored_hash,),
        )


def _export(answers: pd.DataFrame, catalog: Catalog) -> bytes:
    survey = answers_as_survey(answers, catalog.criterion_ids)
    table = answers[["id", "preset", "certainty", "result", "service", "sent_hour"]].copy()
    table["sent_hour"] = table["sent_hour"].dt.strftime("%Y-%m-%dT%H:00Z")
    return to_csv_bytes(pd.concat([table, survey.drop(columns="client_id")], axis=1))


NO_SERVICE_LABEL = "No service (sent while no menu was shown)"


def _by_service(answers: pd.DataFrame, changed: datetime | None) -> None:
    """Demand by the clinic's own services, week by week, once any answer names one: each
    answer counts under the name it was matched to, so a service renamed or removed since
    keeps its old answers under its old name; `changed`, the hour the saved menu last
    changed, is said."""
    if answers["service"].isna().all():
        return
    st.subheader("Demand by your services, week by week", anchor=False)
    when = (
        f" Your menu last changed on {date_words(changed.date())} ({changed:%H}:00 UTC)."
        if changed is not None
        else ""
    )
    st.caption(
        "Each answer counts under the service that fitted it best when it was sent; a service "
        f"renamed or removed since keeps its answers under the old name.{when}"
    )
    weekly = weekly_answers(answers, by="service")
    labels = {NO_SERVICE: NO_SERVICE_LABEL}
    chart_with_table(
        weekly_chart(weekly, labels),
        lambda: weekly.rename(columns=lambda c: labels.get(c, c)).reset_index(),
        "demand_services",
    )


def _owner_view(
    catalog: Catalog,
    fits: pd.DataFrame,
    names: dict[str, str],
    threshold: float,
) -> None:
    try:
        store = get_store()
        answers = store.answers()
        changed = store.menu_changed()
    except StoreError as error:
        st.error(f"The demand view cannot be shown: {error}.", icon=":material/cloud_off:")
        return
    st.metric("Answers collected", f"{len(answers):,}")
    if answers.empty:
        st.info("No client has sent an answer yet. Answers appear here as clients send them.")
    else:
        survey = answers_as_survey(answers, catalog.criterion_ids)
        mix = client_mix(survey, fits, catalog.segment_weights, threshold)
        chart_with_table(
            shares_chart(mix.split(), names),
            partial(shares_table, mix.split(), names),
            "demand_shares",
        )
        st.subheader("Demand by goal, week by week", anchor=False)
        goals = {**dict(catalog.presets["label"]), NO_GOAL: "Own priorities (no goal picked)"}
        weekly = weekly_answers(answers, by="preset")
        chart_with_table(
            weekly_chart(weekly, goals),
            lambda: weekly.rename(columns=lambda c: goals.get(c, c)).reset_index(),
            "demand_weekly",
        )
        _by_service(answers, changed)
        st.download_button(
            "Export the answers (.csv)",
            _export(answers, catalog),
            file_name="client-answers.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
        )
        with st.expander("Delete every answer"):
            confirm = st.checkbox(
                f"Yes, delete all {len(answers):,} answers for good", key="owner_confirm_delete"
            )
            if st.button("Delete all answers", disabled=not confirm, type="primary"):
                try:
                    removed = store.delete_all()
                except StoreError as error:
                    st.error(f"Nothing was deleted: {error}.")
                else:
                    st.session_state["owner_deleted"] = removed
                    st.rerun()
    if st.session_state.get("owner_deleted") is not None:
        st.success(f"Deleted {st.session_state.pop('owner_deleted'):,} answers.")
    if st.button("Close the demand view", icon=":material/lock:"):
        st.session_state[OPEN_KEY] = False
        st.rerun()


def owner_answers_section(
    catalog: Catalog, fits: pd.DataFrame, names: dict[str, str], threshold: float
) -> None:
    """Real demand: the answers clients chose to send, for the owner only."""
    st.header("Real demand from your clients", anchor=False)
    st.markdown(
        "Clients who finish *Find my massage* may choose to send their anonymous priorities. "
        "Each answer holds only the priorities, the goal they started from, how sure they "
        "were, their result, the one of your services that fitted best (while clients see your "
        f"menu) and the hour it was sent; answers older than {retention_days()} days are "
        "removed."
    )
    stored_hash = owner_hash()
    if not stored_hash:
        st.info(
            "The owner view (collected answers, and your menu saved between visits) is off. "
            "Whoever runs this app for you can turn it on by setting an owner passcode; the "
            "steps are below, for them.",
            icon=":material/key:",
        )
        with st.expander("For whoever runs the app: turning the owner view on"):
            st.markdown(
                "Run `make passcode-hash`, then put the line it prints "
                f'(`{OWNER_HASH} = "..."`) in `.streamlit/secrets.toml`, or set it as an '
                "environment variable, and restart the app. See the README, *Owner view*."
            )
        return
    if not is_valid_hash(stored_hash):
        st.error(
            f"The configured {OWNER_HASH} is not a hash made by `make passcode-hash`; make a "
            "new one.",
            icon=":material/key_off:",
        )
        return
    if st.session_state.get(OPEN_KEY):
        _owner_view(catalog, fits, names, threshold)
    else:
        _login(stored_hash)
