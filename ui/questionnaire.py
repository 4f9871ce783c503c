"""'Help me set my priorities': the best-worst questionnaire on Find my massage, one screen at a
time, and its section on the Method page. The method lives in advisor.decision.elicitation."""

from __future__ import annotations

import streamlit as st

from advisor.catalog import ITEMS_PER_SCREEN, Catalog
from advisor.decision.elicitation import (
    PRIOR_SD,
    SLIDER_RULE,
    Answer,
    contradiction_text,
    elicit,
    progress_note,
)
from advisor.decision.share_link import BLANK_PRESET
from ui.find_controls import PRESET, weight_key
from ui.state import declare

OPEN = "fm_q_open"  # the questionnaire is showing
STEP = "fm_q_step"  # 0-based screen on show
NOTE = "fm_q_note"  # [progress note, contradiction, ...] of the last answers applied
PICKS = "fm_q_picks"  # {"most-<screen>" or "least-<screen>": criterion id}: every pick so far
# The radios' own keys (q_most-<screen>, q_least-<screen>) are not kept: Streamlit drops a
# widget's state when a run does not draw it, so each pick is copied to PICKS as it is made.

STATE = declare(
    __name__,
    owned=(
        OPEN,
        STEP,
        NOTE,
        PICKS,
        "questionnaire",
        "q_open",
        "q_back",
        "q_done",
        "q_next",
        "q_stop",
        "q_cancel",
        "q_most-*",
        "q_least-*",
    ),
)


def _pick(role: str, screen: int) -> str | None:
    return st.session_state.get(PICKS, {}).get(f"{role}-{screen}")


def _remember(role: str, screen: int) -> None:
    st.session_state.setdefault(PICKS, {})[f"{role}-{screen}"] = st.session_state[
        f"q_{role}-{screen}"
    ]


def _answer(screen: int) -> Answer | None:
    """The screen's answer, or None until it has two different picks."""
    most, least = _pick("most", screen), _pick("least", screen)
    if most is None or least is None or most == least:
        return None
    return most, least


def _answers(reached: int) -> list[Answer | None]:
    return [_answer(screen) for screen in range(reached)]


def _open() -> None:
    st.session_state[OPEN] = True
    st.session_state[STEP] = 0
    st.session_state[PICKS] = {}


def _close() -> None:
    st.session_state[OPEN] = False


def _move(step: int) -> None:
    st.session_state[STEP] += step


def _apply(catalog: Catalog) -> None:
    """Set every slider from the answers so far (a callback: runs before the sliders are drawn),
    leave the goal at a blank start and keep the notes to show beside it."""
    answers = _answers(len(catalog.screens))
    # every screen answered counts, also one left behind by going back to an earlier screen
    answered = [screen + 1 for screen, answer in enumerate(answers) if answer is not None]
    reached = max([st.session_state[STEP] + 1, *answered])
    result = elicit(catalog, answers[:reached])
    for cid, weight in result.weights.items():
        st.session_state[weight_key(cid)] = weight
    st.session_state[PRESET] = BLANK_PRESET
    st.session_state[NOTE] = [
        progress_note(result, catalog),
        *(contradiction_text(cycle, catalog) for cycle in result.contradictions),
    ]
    st.session_state[OPEN] = False


def questionnaire_section(catalog: Catalog) -> None:
    """Beside the goal: a button that opens the questionnaire, the questionnaire itself while it
    is open, and what the last answers applied came with (while the goal is still blank)."""
    if st.session_state.get(OPEN):
        _questionnaire(catalog)
        return
    st.button(
        "Help me set my priorities: 8 quick choices",
        key="q_open",
        icon=":material/checklist:",
        on_click=_open,
        help="Pick what matters most and least among four at a time; your answers then set "
        "the sliders, which you can still adjust.",
    )
    notes = st.session_state.get(NOTE) or []
    if notes and st.session_state.get(PRESET) == BLANK_PRESET:
        st.info(notes[0], icon=":material/checklist:")
        for note in notes[1:]:
            st.warning(note, icon=":material/compare_arrows:")


@st.fragment
def _questionnaire(catalog: Catalog) -> None:
    """One screen: which of four criteria matters most, which least; back, next, stop early.
    A fragment: a tap reruns only this part; applying the answers reruns the whole page."""
    screens = catalog.screens
    step = st.session_state[STEP]
    shown = screens[step]
    with st.container(border=True, key="questionnaire"):
        st.progress((step + 1) / len(screens), text=f"Screen {step + 1} of {len(screens)}")
        st.markdown(f"Of these {ITEMS_PER_SCREEN}, what matters **most** to you, and **least**?")
        _choice(catalog, shown, "most", step)
        _choice(catalog, shown, "least", step)
        most = _pick("most", step)
        if most is not None and most == _pick("least", step):
            st.error("Pick a different one for least: one thing cannot matter both most and least.")
        _buttons(catalog, step, len(screens))


def _choice(catalog: Catalog, shown: tuple[str, ...], role: str, step: int) -> None:
    """One labelled radio group: "Matters most" (with each criterion's help) or "Matters least"."""
    key = f"q_{role}-{step}"
    if key not in st.session_state:
        st.session_state[key] = _pick(role, step)
    st.radio(
        f"Matters {role}",
        shown,
        key=key,
        format_func=catalog.criterion_label,
        captions=[str(catalog.criteria.at[c, "help"]) for c in shown] if role == "most" else None,
        on_change=_remember,
        args=(role, step),
    )


def _buttons(catalog: Catalog, step: int, screens: int) -> None:
    answered = _answer(step) is not None
    any_answer = any(_answers(step + 1))
    last = step == screens - 1
    with st.container(horizontal=True):
        st.button("Back", key="q_back", on_click=_move, args=(-1,), disabled=step == 0)
        if last:
            applied = st.button(
                "Set my priorities",
                key="q_done",
                type="primary",
                on_click=_apply,
                args=(catalog,),
                disabled=not any_answer,
            )
        else:
            st.button(
                "Next" if answered else "Skip",
                key="q_next",
                type="primary" if answered else "secondary",
                on_click=_move,
                args=(1,),
            )
            applied = st.button(
                "Stop here",
                key="q_stop",
                on_click=_apply,
                args=(catalog,),
                disabled=not any_answer,
                help="Set your priorities from the screens answered so far.",
            )
        closed = st.button("Cancel", key="q_cancel", on_click=_close, help="Change nothing.")
    if applied or closed:
        st.rerun()


def method_section(catalog: Catalog) -> None:
    """The Method page's account of the questionnaire: method, estimator, slider rule, sources."""
    screens = catalog.screens
    st.header("The priorities questionnaire", anchor=False)
    st.markdown(
        f"""
Find my massage can set your priorities from a few choices instead of sliders: **best-worst
scaling** (also called MaxDiff). Each of {len(screens)} screens shows {ITEMS_PER_SCREEN} of the
{len(catalog.criterion_ids)} criteria; you pick the one that matters most to you and the one that
matters least. Choosing is easier than rating, and it stops everything from being "important".

- **Design.** The screens are fixed and balanced: every criterion appears on two or three of
  them, no two criteria appear together on more than two, and the first screens show as many
  different criteria as they can, so stopping early still covers most of them.
- **Estimate.** Your answers are fitted with the maxdiff model of Marley and Louviere (2005): the
  chance of picking one criterion as most and another as least on a screen grows with the gap
  between their importances (a multinomial logit over the pairs on the screen). With at most eight
  screens per person the fit is penalised maximum likelihood (a normal prior of standard
  deviation {PRIOR_SD:g} on each importance), computed with SciPy. In this model the simple
  count of times picked most minus times picked least (Finn and Louviere, 1992) carries all the
  information the answers hold.
- **Sliders.** The importances go onto the 0-10 sliders by one rule: {SLIDER_RULE}. You can then
  move any slider as usual; the answer, reasons, share link and summary work as for slider input.
- **Stopping early** sets the sliders from the screens answered so far, and says how many and
  which criteria no answered screen showed.
- **Contradictions.** Every answer puts the "most" criterion above the other three and the
  other three above the "least" one; if the answers together go round in a circle (A above B,
  B above C, C above A), the page says so and points to the sliders.
- **How well it works** is checked in simulation (bench/elicitation_recovery.py): people with
  known priorities answer every screen, and their estimated priorities are compared with the
  true ones.

Sources: A. A. J. Marley and J. J. Louviere, *Some probabilistic models of best, worst, and
best-worst choices*, Journal of Mathematical Psychology 49(6), 464-480 (2005),
https://doi.org/10.1016/j.jmp.2005.05.003; A. Finn and J. J. Louviere, *Determining the
appropriate response to evidence of public concern: the case of food safety*, Journal of Public
Policy and Marketing 11(2), 12-25 (1992).
"""
    )
