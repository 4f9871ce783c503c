"""Who made this copy of the app and who pays for it, read from the deployment's settings, and
the sections that show it with the update policy and the sources (Start, Method and sources).

Whoever runs the app sets, in `.streamlit/secrets.toml`:

    [deployment]
    made_by = "Riverside Physio, which offers medical massage"
    funded_by = "Riverside Physio"
    conflicts = "We offer medical massage, so we gain if you choose it."
    contact = "info@riverside.example"

or the environment variables MASSAGE_ADVISOR_MADE_BY, _FUNDED_BY, _CONFLICTS and _CONTACT (the
secrets win). advisor.about checks the values; a refused one is named on the Method page and the
default is used.
"""

from __future__ import annotations

import os

import streamlit as st

from advisor.about import (
    ENV_PREFIX,
    SET_BY,
    SETTING_KEYS,
    Deployment,
    Source,
    deployment,
    review_date,
    sources,
    update_policy,
    who_made_it,
)
from advisor.catalog import Catalog
from ui.widgets import escape_md

SECRETS_TABLE = "deployment"
SOURCE_LIST = "source_list"  # the container of the reference list (a citation, not prose)


def _secrets() -> dict[str, object]:
    try:
        table = st.secrets.get(SECRETS_TABLE, {})
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return {}
    if not hasattr(table, "items"):
        return {SECRETS_TABLE: table}  # not a table: deployment() names it as unknown
    return dict(table.items())


def settings() -> dict[str, object]:
    """The deployment settings: the environment first, then Streamlit secrets over it."""
    found: dict[str, object] = {
        key: os.environ[ENV_PREFIX + key.upper()]
        for key in SETTING_KEYS
        if ENV_PREFIX + key.upper() in os.environ
    }
    return {**found, **_secrets()}


def current() -> tuple[Deployment, list[str]]:
    """This copy's deployment and the messages about refused settings (advisor.about)."""
    return deployment(settings())


def who_made_it_lines(made: Deployment) -> str:
    """Who made it, who pays and conflicts as markdown lines; the deployer's text is escaped."""
    return "\n".join(f"- **{label}:** {escape_md(text)}" for label, text in who_made_it(made))


def start_section(catalog: Catalog) -> None:
    """Start: who made this and who pays, and when the data were last checked."""
    made, _ = current()
    st.header("Who made this", anchor=False)
    st.markdown(who_made_it_lines(made))
    st.caption(f"{SET_BY} The data were last checked on {review_date(catalog)}.")


def method_section(catalog: Catalog) -> None:
    """Method: who made it (with any refused setting named), the update policy, and every
    public source with its date, the day it was read and how it was read."""
    made, problems = current()
    st.header("Who made this", anchor=False)
    st.markdown(who_made_it_lines(made))
    st.caption(SET_BY)
    for problem in problems:
        st.warning(
            f"This copy's [{SECRETS_TABLE}] setting: {escape_md(problem)}",
            icon=":material/settings:",
        )
    st.header("Dates and updates", anchor=False)
    lines = update_policy(made, catalog)
    contact = made.contact
    st.markdown(
        "\n".join(f"- {escape_md(line) if contact and contact in line else line}" for line in lines)
    )
    st.header("Sources and dates", anchor=False)
    st.markdown(
        "Every source the app rests on, with its own date and the day we read it. Where we "
        "could read a page only through a copy, we say so."
    )
    with st.container(key=SOURCE_LIST):
        for source in sources(catalog):
            st.markdown(_entry(source))


def _entry(source: Source) -> str:
    """One source as markdown: its name (a link to its address), what it is used for, its date,
    the day it was read, and how."""
    address = source.url or source.read_at
    name = f"[{escape_md(source.name)}]({address})" if address else escape_md(source.name)
    dates = source.dates()
    copy = source.copy_note()
    used = source.used_for if source.used_for.endswith(("?", ".")) else f"{source.used_for}."
    return f"**{name}**  \n{escape_md(used)}  \n{escape_md(dates[0].upper() + dates[1:])}." + (
        f" {escape_md(copy)}" if copy else ""
    )
