"""Find my massage: a goal preset, priorities by dimension, and an explained, tested answer."""

from urllib.parse import urlencode

import streamlit as st

from advisor.charts import contribution_table, contributions_chart, match_chart, match_table
from advisor.explain import (
    SAFETY_NOTE,
    needs_safety_note,
    reason_text,
    robustness_text,
    session_lines,
    tipping_text,
    top_reasons,
    verdict,
)
from advisor.scoring import score
from advisor.sensitivity import (
    CERTAINTY_BANDS,
    CERTAINTY_LABELS,
    DEFAULT_CERTAINTY,
    robustness,
    tipping_points,
)
from advisor.share import BLANK_PRESET, parse_share_params, restored_weights, share_params
from advisor.summary import result_csv, summary_text
from ui.data import get_catalog
from ui.state import FLAG_PREFIX, WEIGHT_PREFIX
from ui.widgets import chart_with_table

catalog = get_catalog()
PRESETS = [BLANK_PRESET, *catalog.presets.index]


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

results, controls = st.columns([3, 2], gap="large")

with controls:
    st.subheader("Your priorities")
    st.caption("0 = does not matter to me, 10 = matters most.")
    for dim_id, criteria in catalog.criteria_by_dimension().items():
        with st.container(border=True):
            st.markdown(f"**{catalog.dimensions.at[dim_id, 'label']}**")
            for cid in criteria:
                st.slider(
                    catalog.criterion_label(cid),
                    min_value=0,
                    max_value=10,
                    step=1,
                    key=WEIGHT_PREFIX + cid,
                    help=str(catalog.criteria.at[cid, "help"]),
                )

weights = {cid: st.session_state[WEIGHT_PREFIX + cid] for cid in catalog.criterion_ids}
certainty = st.session_state["fm_certainty"] or DEFAULT_CERTAINTY
preset = st.session_state["fm_preset"]
flags = [fid for fid in catalog.red_flags.index if st.session_state.get(FLAG_PREFIX + fid)]
params = share_params(weights, preset, certainty)
if st.query_params.to_dict() != params:
    st.query_params.from_dict(params)

result = score(weights, catalog.fits)

with results:
    if flags:
        with st.container(border=True, key="safety_note"):
            st.error(f"**Safety first.** {SAFETY_NOTE}", icon=":material/health_and_safety:")
            for flag_id in flags:
                st.markdown(f"- You told us: {catalog.red_flags.at[flag_id, 'label'].lower()}.")
    elif needs_safety_note(result, flags):
        with st.container(key="safety_note"):
            st.warning(f"**Health first.** {SAFETY_NOTE}", icon=":material/health_and_safety:")

    if not result.has_weights:
        st.info(
            "**No recommendation yet.** Choose a goal above, or move any of your priorities "
            "above 0: the ranking, the reasons behind it and how firm it is will appear here.",
            icon=":material/tune:",
        )
        st.stop()

    if result.is_tie:
        st.info(verdict(result, catalog), icon=":material/balance:")
    else:
        st.success(verdict(result, catalog), icon=":material/check_circle:")
    chart_with_table(match_chart(result, catalog), match_table(result, catalog), "match")

    st.subheader("Why")
    reasons = top_reasons(result, catalog)
    for reason in reasons:
        st.markdown(f"- {reason_text(reason, result, catalog)}")
    if not reasons:
        st.markdown("Your priorities give neither type an edge.")

    st.subheader("What would change the answer")
    points = tipping_points(result)
    if points:
        for point in points[:3]:
            st.markdown(f"- {tipping_text(point, catalog)}")
        if len(points) > 3:
            with st.expander(f"{len(points) - 3} more"):
                for point in points[3:]:
                    st.markdown(f"- {tipping_text(point, catalog)}")
    else:
        st.markdown("No single priority, moved anywhere from 0 to 10, would change the order.")

    st.subheader("How firm it is")
    rob = robustness(result, CERTAINTY_BANDS[certainty])
    if rob is not None:
        st.progress(rob.share, text=robustness_text(rob, catalog))

st.subheader("Where each match comes from")
chart_with_table(
    contributions_chart(result, catalog), contribution_table(result, catalog), "contrib"
)

leader = result.leader
if leader is not None:
    st.subheader(f"What a {catalog.type_name(leader).lower()} session usually looks like")
    for aspect, text in session_lines(catalog, leader):
        st.markdown(f"- **{aspect}**: {text}")

st.subheader("Keep or share this")
base_url = (st.context.url or "").split("?")[0]
st.caption("This link restores every priority, the goal and the certainty:")
st.code(f"{base_url}?{urlencode(params)}", language=None, wrap_lines=True)
summary = summary_text(catalog, result, certainty, flags, rob, points, preset)
left, right = st.columns(2)
left.download_button(
    "Summary to print (.txt)",
    summary.encode("utf-8"),
    file_name="massage-advisor-summary.txt",
    mime="text/plain",
    icon=":material/print:",
    on_click="ignore",
)
right.download_button(
    "The numbers (.csv)",
    result_csv(catalog, result),
    file_name="massage-advisor-result.csv",
    mime="text/csv",
    icon=":material/table:",
    on_click="ignore",
)
