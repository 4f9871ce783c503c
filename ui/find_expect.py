"""Find my massage: what to expect from the leading type, beside the reasons for it. A session as
the article describes it (length, setting, who gives it) and, from public sources, whether it
hurts, what to wear, how you may feel after, what can go wrong, the cost, how many sessions and
whether you need a referral (data/experience.csv), each fact with its source and date."""

from __future__ import annotations

import streamlit as st

from advisor.catalog import Catalog
from advisor.decision.explanation import Explanation, session_lines
from ui.experience import fact_lines


@st.cache_resource(max_entries=8)
def _expect_texts(data_dir: str, leader: str, _catalog: Catalog) -> tuple[str, str]:
    """(what a session is like, what people ask) for `leader`, as markdown: built from the
    catalog once per data folder and type rather than on every slider move (reading the facts
    of experience.csv cost a move about 15 ms; the underscore keeps the catalog itself out of
    the cache key)."""
    session = "\n".join(f"- **{part}**: {text}" for part, text in session_lines(_catalog, leader))
    answers = []
    for qid, question in _catalog.questions["question"].items():
        lines = fact_lines(_catalog.experience_for(leader, qid), short=True)
        answers.append(f"- **{question}** " + " ".join(lines))
    return (
        f"**What the article says a session is like**\n\n{session}",
        "**What people ask, from public sources**\n\n" + "\n".join(answers),
    )


def expect_section(exp: Explanation, catalog: Catalog) -> None:
    """What a session of the leading type is like, and its downsides; call with an answer."""
    leader = exp.result.leader or ""
    name = (exp.leader_name or "").lower()
    st.subheader(f"What to expect from {name}", anchor=False)
    session, asked = _expect_texts(str(catalog.data_dir), leader, catalog)
    st.markdown(session)
    st.markdown(asked)
    st.page_link(
        "app_pages/compare.py",
        label="Both types side by side, with every source",
        icon=":material/compare_arrows:",
    )
