"""Find my massage: a goal preset, priorities by dimension, and an explained, tested answer."""

from collections.abc import Iterable
from functools import partial
from typing import NamedTuple
from urllib.parse import urlencode

import streamlit as st

from advisor.catalog import Catalog
from advisor.decision.explanation import (
    SAFETY_NOTE,
    needs_safety_note,
    reason_text,
    robustness_text,
    session_lines,
    tipping_text,
    top_reasons,
    verdict,
)
from advisor.decision.scoring import MatchResult, score
from advisor.decision.sensitivity import (
    CERTAINTY_BANDS,
    CERTAINTY_LABELS,
    DEFAULT_CERTAINTY,
    Robustness,
    TippingPoint,
    robustness,
    tipping_points,
)
from advisor.decision.share_link import (
    BLANK_PRESET,
    parse_share_params,
    restored_weights,
    share_params,
)
from advisor.decision.takeaway import result_csv, summary_text
from advisor.figures.client import contribution_table, contributions_chart, match_chart, match_table
from ui.data import get_catalog
from ui.questionnaire import questionnaire_section
from ui.send_answers import send_answers_section
from ui.state import FLAG_PREFIX, WEIGHT_PREFIX
from ui.widgets import chart, chart_with_table

catalog = get_catalog()
PRESETS = [BLANK_PRESET, *catalog.presets.index]


class Choices(NamedTuple):
    """What the visitor chose outside the sliders, and the share link's parameters."""

    preset: str
    certainty: str
    flags: list[str]
    params: dict[str, str]


class Answer(NamedTuple):
    """What the results column worked out that the summary reuses."""

    points: list[TippingPoint]
    robustness: Robustness | None


def _preset_label(preset_id: str) -> str:
    if preset_id == BLANK_PRESET:
        return "Blank start (set every priority yourself)"
    return str(catalog.presets.at[preset_id, "label"])


def _apply_preset() -> None:
    chosen = st.session_state["fm_preset"]
    for cid in catalog.criterion_ids:
        weight = 0 if chosen == BLANK_PRESET else catalog.preset_weights.at[chosen, cid]
        st.session_state[WEIGHT_PREFIX + cid] = int(weight)


def _restore_from_link() -> None:
    """First visit in this session: restore the state a share link carries."""
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    state = parse_share_params(params, catalog)
    weights = restored_weights(state, catalog)
    for cid, weight in weights.items():
        st.session_state[WEIGHT_PREFIX + cid] = weight
    st.session_state["fm_preset"] = state.preset or BLANK_PRESET
    st.session_state["fm_certainty"] = state.certainty or DEFAULT_CERTAINTY
    st.session_state["fm_notices"] = state.notices


if "fm_preset" not in st.session_state:
    _restore_from_link()

st.title("Find my massage")
st.markdown("Start from a goal, then fine-tune what matters to you. The answer updates as you go.")
for notice in st.session_state.get("fm_notices", []):
    st.warning(f"Share link: {notice}", icon=":material/link_off:")

goal_col, certainty_col = st.columns([3, 2], gap="large")
with goal_col:
    st.selectbox(
        "Your goal",
        PRESETS,
        key="fm_preset",
        format_func=_preset_label,
        on_change=_apply_preset,
        help="A goal fills in every priority; you can then adjust any of them.",
    )
    if st.session_state["fm_preset"] != BLANK_PRESET:
        st.caption(str(catalog.presets.at[st.session_state["fm_preset"], "description"]))
    questionnaire_section(catalog)
with certainty_col:
    st.segmented_control(
        "How sure are you of your priorities?",
        list(CERTAINTY_BANDS),
        key="fm_certainty",
        format_func=CERTAINTY_LABELS.get,
        required=True,
        help="Sets how far the robustness check moves your priorities: the less sure you "
        "are, the wider it looks.",
    )
with st.expander(
    "Before you book: does any of this apply to you now?", icon=":material/medical_services:"
):
    for flag_id, flag in catalog.red_flags.iterrows():
        st.checkbox(flag["label"], key=FLAG_PREFIX + flag_id)


def _sliders() -> None:
    """One slider per criterion, grouped by dimension."""
    st.subheader("Your priorities")
    st.caption("0 = does not matter to me, 10 = matters most.")
    for dimension, criteria in _slider_groups(str(catalog.data_dir), catalog):
        with st.container(border=True):
            st.markdown(f"**{dimension}**")
            for cid, label, help_text in criteria:
                st.slider(
                    label,
                    min_value=0,
                    max_value=10,
                    step=1,
                    key=WEIGHT_PREFIX + cid,
                    help=help_text,
                )


@st.cache_resource(max_entries=4)
def _slider_groups(
    data_dir: str, _catalog: Catalog
) -> tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...]:
    """(dimension label, ((criterion id, label, help), ...)) per dimension, read from the
    catalog once per data folder rather than on every rerun (the underscore keeps the catalog
    itself out of the cache key)."""
    return tuple(
        (
            str(_catalog.dimensions.at[dim_id, "label"]),
            tuple(
                (cid, _catalog.criterion_label(cid), str(_catalog.criteria.at[cid, "help"]))
                for cid in criteria
            ),
        )
        for dim_id, criteria in _catalog.criteria_by_dimension().items()
    )


def _bullets(lines: Iterable[str]) -> str:
    """One markdown list: a single element on the page rather than one per line, so a slider
    move has fewer elements to send and draw."""
    return "\n".join(f"- {line}" for line in lines)


def _answer(result: MatchResult, certainty: str, flags: list[str]) -> Answer | None:
    """The results column: safety note, verdict, match chart, reasons, tipping points and
    robustness. None (and an invitation) while every priority is 0."""
    if flags:
        with st.container(border=True, key="safety_note"):
            st.error(f"**Safety first.** {SAFETY_NOTE}", icon=":material/health_and_safety:")
            st.markdown(
                _bullets(
                    f"You told us: {catalog.red_flags.at[flag_id, 'label'].lower()}."
                    for flag_id in flags
                )
            )
    elif needs_safety_note(result, flags):
        with st.container(key="safety_note"):
            st.warning(f"**Health first.** {SAFETY_NOTE}", icon=":material/health_and_safety:")

    if not result.has_weights:
        st.info(
            "**No recommendation yet.** Choose a goal above, or move any of your priorities "
            "above 0: the ranking, the reasons behind it and how firm it is will appear here.",
            icon=":material/tune:",
        )
        return None

    if result.is_tie:
        st.info(verdict(result, catalog), icon=":material/balance:")
    else:
        st.success(verdict(result, catalog), icon=":material/check_circle:")
    chart_with_table(match_chart(result, catalog), partial(match_table, result, catalog), "match")

    st.subheader("Why")
    reasons = top_reasons(result, catalog)
    if reasons:
        st.markdown(_bullets(reason_text(reason, result, catalog) for reason in reasons))
    else:
        st.markdown("Your priorities give neither type an edge.")

    st.subheader("What would change the answer")
    points = tipping_points(result)
    if points:
        st.markdown(_bullets(tipping_text(point, catalog) for point in points[:3]))
        if len(points) > 3:
            with st.expander(f"{len(points) - 3} more"):
                st.markdown(_bullets(tipping_text(point, catalog) for point in points[3:]))
    else:
        st.markdown("No single priority, moved anywhere from 0 to 10, would change the order.")

    st.subheader("How firm it is")
    rob = robustness(result, CERTAINTY_BANDS[certainty])
    if rob is not None:
        st.progress(rob.share, text=robustness_text(rob, catalog))
    return Answer(points, rob)


def _details(result: MatchResult, answer: Answer, choices: Choices) -> None:
    """Below both columns: contributions, a typical session, the share link and downloads."""
    contributions = st.expander(
        "Where each match comes from: what each priority adds",
        key="fm_contributions",
        on_change="rerun",
        icon=":material/stacked_bar_chart:",
    )
    if contributions.open:  # drawn only while open: a slider move does not pay for it closed
        with contributions:
            chart(contributions_chart(result, catalog), "contrib")
            st.dataframe(contribution_table(result, catalog), hide_index=True, key="contrib_table")

    leader = result.leader
    if leader is not None:
        st.subheader(f"What a {catalog.type_name(leader).lower()} session usually looks like")
        st.markdown(
            _bullets(f"**{aspect}**: {text}" for aspect, text in session_lines(catalog, leader))
        )

    send_answers_section(result, choices.preset, choices.certainty)

    st.subheader("Keep or share this")
    base_url = (st.context.url or "").split("?")[0]
    st.caption("This link restores every priority, the goal and the certainty:")
    st.code(f"{base_url}?{urlencode(choices.params)}", language=None, wrap_lines=True)
    left, right = st.columns(2)
    # The files are made when the button is pressed (a callable, not bytes): a slider move
    # does not pay for a summary and a CSV that are rarely downloaded.
    left.download_button(
        "Summary to print (.txt)",
        lambda: summary_text(
            catalog,
            result,
            choices.certainty,
            choices.flags,
            answer.robustness,
            answer.points,
            choices.preset,
        ).encode("utf-8"),
        file_name="massage-advisor-summary.txt",
        mime="text/plain",
        icon=":material/print:",
        on_click="ignore",
    )
    right.download_button(
        "The numbers (.csv)",
        lambda: result_csv(catalog, result),
        file_name="massage-advisor-result.csv",
        mime="text/csv",
        icon=":material/table:",
        on_click="ignore",
    )


@st.fragment
def priorities_and_answer() -> None:
    """The sliders and everything drawn from them: a slider move reruns only this part.

    The goal, the certainty and the red flags above stay outside it: changing one of those
    reruns the whole page, this fragment included (the goal's on_change sets the sliders
    first). The answer is drawn before the sliders, from their values in session state, so
    that the match chart reaches the browser first.
    """
    weights = {cid: st.session_state[WEIGHT_PREFIX + cid] for cid in catalog.criterion_ids}
    preset = st.session_state["fm_preset"]
    certainty = st.session_state["fm_certainty"] or DEFAULT_CERTAINTY
    flags = [fid for fid in catalog.red_flags.index if st.session_state.get(FLAG_PREFIX + fid)]
    params = share_params(weights, preset, certainty)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    result = score(weights, catalog.fits)

    results, controls = st.columns([3, 2], gap="large")
    with results:
        answer = _answer(result, certainty, flags)
    with controls:
        _sliders()
    if answer is not None:
        _details(result, answer, Choices(preset, certainty, flags, params))


priorities_and_answer()
