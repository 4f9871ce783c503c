"""Find my massage: what to expect from the leading type, beside the reasons for it. A session as
the article describes it (length, setting, who gives it) and, from public sources, whether it
hurts, what to wear, how you may feel after, what can go wrong, the cost, how many sessions and
whether you need a referral (data/experience.csv), each fact with its source and date."""

from __future__ import annotations

import streamlit as st

from advisor.catalog import Catalog
from advisor.decision.explanation import Explanation, session_lines
from ui.experience import fact_lines


def expect_section(exp: Explanation, catalog: Catalog) -> None:
    """What a session of the leading type is like, and its downsides; call with an answer."""
    leader = exp.result.leader or ""
    name = (exp.leader_name or "").lower()
    st.subheader(f"What to expect from {name}", anchor=False)
    session = "\n".join(f"- **{part}**: {text}" for part, text in session_lines(catalog, leader))
    st.markdown(f"**What the article says a session is like**\n\n{session}")
    answers = []
    for qid, question in catalog.questions["question"].items():
        lines = fact_lines(catalog.experience_for(leader, qid), short=True)
        answers.append(f"- **{question}** " + " ".join(lines))
    st.markdown("**What people ask, from public sources**\n\n" + "\n".join(answers))
    st.page_link(
        "app_pages/compare.py",
        label="Both types side by side, with every source",
        icon=":material/compare_arrows:",
    )
