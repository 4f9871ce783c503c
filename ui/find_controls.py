"""Find my massage, the controls: restoring a share link, the goal, the safety screen, the
certainty and the sliders. This module owns their session keys."""

from __future__ import annotations

from functools import partial

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from advisor.catalog import Catalog
from advisor.decision.explanation import Explanation
from advisor.decision.sensitivity import CERTAINTY_BANDS, CERTAINTY_LABELS, DEFAULT_CERTAINTY
from advisor.decision.share_link import (
    BLANK_PRESET,
    NONE_APPLY,
    parse_share_params,
    restored_weights,
)
from ui.state import declare
from ui.widgets import on_demand

NOTICES = "fm_notices"
NOTICES_FOR = "fm_notices_for"
PRESET = "fm_preset"
CERTAINTY = "fm_certainty"
MEANINGS = "fm_meanings"
SCREEN = "fm_screen"  # the safety screen's answer: NONE_APPLY, SOME, or None (not answered)
SOME = "some"
SCREEN_CHOICES = {NONE_APPLY: "None of these apply to me", SOME: "Yes, one or more"}


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
        SCREEN,
        *map(weight_key, catalog.criterion_ids),
        *map(flag_key, catalog.red_flags.index),
    ]


STATE = declare(
    __name__,
    owned=lambda catalog: [
        *_widgets(catalog),
        NOTICES,
        NOTICES_FOR,
        "safety_screen",
        "safety_items",
    ],
    kept=_widgets,
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
    if state.flags is not None:
        st.session_state[SCREEN] = SOME if state.flags else NONE_APPLY
    for fid in state.flags or ():
        st.session_state[flag_key(fid)] = True
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


def screen_summary(catalog: Catalog) -> str:
    """The safety screen's items in a few words each, once each, in catalog order."""
    shorts = list(dict.fromkeys(catalog.red_flags["short"]))
    return ", ".join(shorts[:-1]) + f" or {shorts[-1]}" if len(shorts) > 1 else shorts[0]


def _clear_ticks(catalog: Catalog) -> None:
    """on_change of the safety question: "None of these apply to me" clears any earlier tick,
    so that "Yes, one or more" opens an empty list again."""
    if st.session_state.get(SCREEN) == NONE_APPLY:
        for flag_id in catalog.red_flags.index:
            st.session_state[flag_key(flag_id)] = False


def safety_screen(catalog: Catalog) -> DeltaGenerator:
    """The safety screen, before the answer: one question with the items summarised and two
    choices; "Yes, one or more" opens the list of items to tick. Drawn outside the answer's
    fragment, so a slider move does not send it again (a tick reruns the page, the answer
    with it). Returns the place above the list where said_above_list puts what the ticks mean
    for the answer, which follows every slider move."""
    with st.container(border=True, key="safety_screen"):
        st.segmented_control(
            "Safety first: does any of this apply to you now?",
            list(SCREEN_CHOICES),
            key=SCREEN,
            format_func=SCREEN_CHOICES.get,
            on_change=partial(_clear_ticks, catalog),
        )
        above_list = st.container()
        if st.session_state.get(SCREEN) != SOME:
            st.caption(f"Such as {screen_summary(catalog)}.")
            return above_list
        st.markdown("Tick each one that applies to you now:")
        # side by side on a wide screen; on a phone one list that scrolls in its own box
        # (ui/find_answer.py LIVE_STYLE), so that the answer stays near
        halves = st.container(key="safety_items").columns(2)
        flags = catalog.red_flags
        for n, (flag_id, flag) in enumerate(flags.iterrows()):
            half = halves[n * 2 // len(flags)]
            half.checkbox(flag["label"], key=flag_key(flag_id), wrap=True, width="stretch")
    return above_list


def said_above_list(above_list: DeltaGenerator, exp: Explanation) -> None:
    """Above the list, once something is ticked: what it means and the answer in one line, so
    that a phone shows them on the first screen (the whole answer is below the list). Called
    from the answer's fragment: a slider move redraws this line, and nothing else of the
    screen."""
    ticked = exp.safety.ticked
    if not ticked:
        return
    count = f"You ticked {len(ticked)} item{'s' if len(ticked) > 1 else ''}:"
    if exp.needs_provider:
        said = "talk to a healthcare provider first. Why is below the list."
    elif exp.strength is None:
        said = "massage with care. What to tell your therapist is below the list."
    else:
        said = f"massage with care. {exp.headline}. What to tell your therapist is below the list."
    above_list.markdown(f":material/health_and_safety: **{count}** {said}")


def ticked_flags(catalog: Catalog) -> list[str] | None:
    """The safety screen's answer: None while it is not answered (no choice yet, or "Yes"
    with nothing ticked), [] when none apply, else the ticked ids in catalog order."""
    answer = st.session_state.get(SCREEN)
    if answer == NONE_APPLY:
        return []
    if answer != SOME:
        return None
    ticked = [fid for fid in catalog.red_flags.index if st.session_state.get(flag_key(fid))]
    return ticked or None


def choices(catalog: Catalog) -> tuple[dict[str, float], str, str, list[str] | None]:
    """What the person has chosen: (weights by criterion id, preset, certainty, the safety
    screen's answer as ticked_flags gives it)."""
    weights = {cid: st.session_state[weight_key(cid)] for cid in catalog.criterion_ids}
    certainty = st.session_state[CERTAINTY] or DEFAULT_CERTAINTY
    return weights, st.session_state[PRESET], certainty, ticked_flags(catalog)
