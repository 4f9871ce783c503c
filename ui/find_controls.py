"""Find my massage, the controls: restoring a share link, the goal, the certainty, the red flags
and the sliders. This module owns their session keys."""

from __future__ import annotations

from functools import partial

import streamlit as st

from advisor.catalog import Catalog
from advisor.decision.sensitivity import CERTAINTY_BANDS, CERTAINTY_LABELS, DEFAULT_CERTAINTY
from advisor.decision.share_link import BLANK_PRESET, parse_share_params, restored_weights
from ui.state import declare
from ui.widgets import on_demand

NOTICES = "fm_notices"
NOTICES_FOR = "fm_notices_for"
PRESET = "fm_preset"
CERTAINTY = "fm_certainty"
MEANINGS = "fm_meanings"


def weight_key(criterion_id: str) -> str:
    """The session key of a criterion's slider."""
    return "w_" + criterion_id


def flag_key(flag_id: str) -> str:
    """The session key of a red flag's checkbox."""
    return "flag_" + flag_id


def _widgets(catalog: Catalog) -> list[str]:
    return [
        PRESET,
        CERTAINTY,
        MEANINGS,
        *map(weight_key, catalog.criterion_ids),
        *map(flag_key, catalog.red_flags.index),
    ]


STATE = declare(
    __name__, owned=lambda catalog: [*_widgets(catalog), NOTICES, NOTICES_FOR], kept=_widgets
)


def restore_from_link(catalog: Catalog) -> None:
    """First visit in this session: restore the state a share link carries, and keep its
    notices (malformed parts) until the person changes anything."""
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    state = parse_share_params(params, catalog)
    for cid, weight in restored_weights(state, catalog).items():
        st.session_state[weight_key(cid)] = weight
    st.session_state[PRESET] = state.preset or BLANK_PRESET
    st.session_state[CERTAINTY] = state.certainty or DEFAULT_CERTAINTY
    st.session_state[NOTICES] = state.notices
    st.session_state[NOTICES_FOR] = None


def link_notices(choices: object) -> list[str]:
    """The share link's notices while the page still shows what the link restored; once any
    choice (`choices`: the settings and ticked flags) differs, they are dropped for good."""
    notices = st.session_state.get(NOTICES) or []
    if notices and st.session_state.get(NOTICES_FOR) is None:
        st.session_state[NOTICES_FOR] = choices
    elif notices and st.session_state[NOTICES_FOR] != choices:
        st.session_state[NOTICES] = notices = []
    return notices


def preset_label(catalog: Catalog, preset_id: str) -> str:
    if preset_id == BLANK_PRESET:
        return "Blank start (set every priority yourself)"
    return str(catalog.presets.at[preset_id, "label"])


def apply_preset(catalog: Catalog) -> None:
    """on_change of the goal: set every slider to the chosen preset's weights."""
    chosen = st.session_state[PRESET]
    for cid in catalog.criterion_ids:
        weight = 0 if chosen == BLANK_PRESET else catalog.preset_weights.at[chosen, cid]
        st.session_state[weight_key(cid)] = int(weight)


def sliders(catalog: Catalog) -> None:
    """One slider per criterion, grouped by dimension; what each one means sits in one expander
    above them rather than in a help button before every slider (13 fewer tab stops)."""
    st.header("Your priorities", anchor=False)
    st.caption("0 = does not matter to me, 10 = matters most.")
    groups = _slider_groups(str(catalog.data_dir), catalog)
    meanings = on_demand("What each priority means", MEANINGS)
    if meanings is not None:  # made only while open: a slider move does not resend it
        with meanings:
            st.markdown(
                "\n".join(
                    f"- **{label}**: {help_text}"
                    for _, criteria in groups
                    for _, label, help_text in criteria
                )
            )
    for dimension, criteria in groups:
        with st.container(border=True):
            st.markdown(f"**{dimension}**")
            for cid, label, _help in criteria:
                st.slider(label, 0, 10, step=1, key=weight_key(cid))


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


def goal_picker(catalog: Catalog) -> None:
    """The goal preset, with its description; choosing one sets every slider."""
    st.selectbox(
        "Your goal",
        [BLANK_PRESET, *catalog.presets.index],
        key=PRESET,
        format_func=partial(preset_label, catalog),
        on_change=partial(apply_preset, catalog),
        help="A goal fills in every priority; you can then adjust any of them.",
    )
    if st.session_state[PRESET] != BLANK_PRESET:
        st.caption(str(catalog.presets.at[st.session_state[PRESET], "description"]))


def certainty_picker() -> None:
    """How sure the person is of their priorities: the band the firmness check nudges within."""
    st.segmented_control(
        "How sure are you of your priorities?",
        list(CERTAINTY_BANDS),
        key=CERTAINTY,
        format_func=CERTAINTY_LABELS.get,
        required=True,
    )
    st.caption(
        "The less sure you are, the further each priority is nudged when the page checks how "
        "firm the answer is."
    )


def red_flag_boxes(catalog: Catalog) -> None:
    """One checkbox per red flag of the catalog."""
    for flag_id, flag in catalog.red_flags.iterrows():
        st.checkbox(flag["label"], key=flag_key(flag_id))


def choices(catalog: Catalog) -> tuple[dict[str, float], str, str, list[str]]:
    """What the person has chosen: (weights by criterion id, preset, certainty, ticked flags)."""
    weights = {cid: st.session_state[weight_key(cid)] for cid in catalog.criterion_ids}
    certainty = st.session_state[CERTAINTY] or DEFAULT_CERTAINTY
    flags = [fid for fid in catalog.red_flags.index if st.session_state.get(flag_key(fid))]
    return weights, st.session_state[PRESET], certainty, flags
