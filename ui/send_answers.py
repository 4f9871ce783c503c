"""The client's opt-in on Find my massage: send anonymous priorities to the clinic."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from advisor.answers.store import NewAnswer, StoreError, retention_days
from advisor.decision.explanation import Explanation
from advisor.decision.share_link import BLANK_PRESET
from ui.answer_store import get_store
from ui.state import declare

ANSWER_ID = "fm_answer_id"
STATEMENT = (
    "Only this is stored: your {n} priorities, the goal you started from, how sure you are, "
    "your result{service} and the hour you send it. No name, no free text, no IP address, no "
    "cookie identifier. Answers are removed after {days} days."
)
WITH_SERVICE = ", the service of this clinic that fits you best"

STATE = declare(
    __name__,
    owned=(ANSWER_ID, "answers_outcome", "send_answer"),
)


def _send(
    weights: Mapping[str, int],
    preset: str | None,
    certainty: str,
    result: str,
    service: str | None,
) -> None:
    new_answer = NewAnswer(dict(weights), preset, certainty, result, service)
    try:
        store = get_store()
        answer_id = store.submit(new_answer, st.session_state.get(ANSWER_ID))
        store.purge(retention_days())
    except StoreError:
        st.session_state["answers_outcome"] = "failed"
        return
    replaced = st.session_state.get(ANSWER_ID) == answer_id
    st.session_state[ANSWER_ID] = answer_id
    st.session_state["answers_outcome"] = "replaced" if replaced else "sent"


def send_answers_section(exp: Explanation, preset: str | None, certainty: str) -> None:
    """An opt-in button after the result; sending twice keeps one answer, the latest. The
    result stored is the explanation's outcome (a type id, "tie" or "neither"), the one the
    verdict and the charts show; with the clinic's services shown, the name of the one on top
    (MenuAnswer.best) is stored too."""
    result = exp.result
    weights = {
        cid: int(round(w)) for cid, w in zip(result.criterion_ids, result.weights, strict=True)
    }
    preset = None if preset in (None, BLANK_PRESET) else preset
    st.subheader("Help the clinic plan (optional)", anchor=False)
    service = exp.clinic.best if exp.clinic is not None else None
    kept = WITH_SERVICE if service is not None else ""
    st.caption(STATEMENT.format(n=len(weights), service=kept, days=retention_days()))
    st.button(
        "Send my anonymous priorities",
        key="send_answer",
        icon=":material/send:",
        on_click=_send,
        args=(dict(weights), preset, certainty, exp.outcome, service),
    )
    status = st.session_state.pop("answers_outcome", None)
    if status == "sent":
        st.success("Sent, thank you. Sending again replaces this answer rather than adding one.")
    elif status == "replaced":
        st.success("Updated: the clinic now has your latest priorities, still as one answer.")
    elif status == "failed":
        st.error(
            "Your answer could not be sent: the clinic's answer store is not available right "
            "now. Nothing was stored, and your result above is unchanged. Please try again later.",
            icon=":material/cloud_off:",
        )
