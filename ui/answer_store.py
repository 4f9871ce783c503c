"""The answer store and the owner passcode, as the pages reach them."""

from __future__ import annotations

import os

import streamlit as st

from advisor.answers.store import AnswerStore, database_url

OWNER_HASH = "MASSAGE_ADVISOR_OWNER_HASH"


@st.cache_resource(max_entries=2, show_spinner=False)
def _store(url: str) -> AnswerStore:
    return AnswerStore(url)


def get_store() -> AnswerStore:
    """One store (and connection pool) per server process and database URL.

    A failure to connect raises StoreError and is not cached, so the next try connects again.
    """
    return _store(database_url())


def owner_hash() -> str:
    """The configured passcode hash: Streamlit secrets first, then the environment."""
    try:
        value = st.secrets.get(OWNER_HASH, "")
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        value = ""
    return str(value or os.environ.get(OWNER_HASH, "")).strip()
