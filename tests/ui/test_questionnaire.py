"""The priorities questionnaire, driven through app.py: every screen, an early stop, a
contradiction, cancel and back, and its section on the Method page."""

from __future__ import annotations

import pytest

from advisor.decision.elicitation import elicit
from advisor.decision.scoring import score
from ui.find_controls import weight_key

FIND = "app_pages/find_my_massage.py"
METHOD = "app_pages/method.py"
RELAXING = ("relaxation", "soothing_experience", "calming_ambience", "long_indulgent", "wellbeing")


def relaxer(catalog):
    order = [*RELAXING, *(c for c in catalog.criterion_ids if c not in RELAXING)]
    return lambda screen: (min(screen, key=order.index), max(screen, key=order.index))


def answer_screen(at, step: int, answer: tuple[str, str]):
    at.radio(key=f"q_most-{step}").set_value(answer[0]).run()
    return at.radio(key=f"q_least-{step}").set_value(answer[1]).run()


def sliders(at, catalog) -> dict[str, int]:
    return {cid: at.slider(key=weight_key(cid)).value for cid in catalog.criterion_ids}


@pytest.fixture
def opened(open_page):
    at = open_page(FIND, query={"preset": "injury"})
    return at.button(key="q_open").click().run()


def test_answering_every_screen_sets_the_sliders(opened, catalog):
    at = opened
    screens = catalog.screens
    answers = [relaxer(catalog)(screen) for screen in screens]
    for step, answer in enumerate(answers):
        assert at.progress[0].proto.text == f"Screen {step + 1} of 8"
        labels = [catalog.criterion_label(c) for c in screens[step]]
        assert at.radio(key=f"q_most-{step}").options == labels
        assert at.radio(key=f"q_most-{step}").value is None
        at = answer_screen(at, step, answer)
        button = "q_done" if step == 7 else "q_next"
        at = at.button(key=button).click().run()
        assert not at.exception
    expected = elicit(catalog, answers)
    assert sliders(at, catalog) == expected.weights
    assert at.selectbox(key="fm_preset").value == "blank"
    assert at.info[0].value == ("Your priorities were set from your answers to 8 of 8 screens.")
    assert not at.warning or "disagree" not in " ".join(w.value for w in at.warning)
    assert score(expected.weights, catalog.fits).leader == "spa"
    assert at.success[0].value.startswith("Spa massage clearly fits you best")
    assert at.query_params["preset"] == "blank"
    assert at.query_params["relaxation"] == str(expected.weights["relaxation"])
    assert at.button(key="q_open").label.startswith("Help me set my priorities")


def test_stopping_after_two_screens(opened, catalog):
    at = opened
    screens = catalog.screens
    answers = [relaxer(catalog)(screen) for screen in screens[:2]]
    at = answer_screen(at, 0, answers[0]).button(key="q_next").click().run()
    at = answer_screen(at, 1, answers[1]).button(key="q_stop").click().run()
    expected = elicit(catalog, answers)
    assert sliders(at, catalog) == expected.weights
    note = at.info[0].value
    assert note.startswith("Your priorities were set from your answers to 2 of 8 screens. 5 were")


def test_stopping_after_going_back_keeps_the_later_answers(opened, catalog):
    # Four screens answered, back to the second, stop: all four answers count, not two.
    at = opened
    screens = catalog.screens
    answers = [relaxer(catalog)(screen) for screen in screens[:4]]
    for step, answer in enumerate(answers):
        at = answer_screen(at, step, answer).button(key="q_next").click().run()
    for _ in range(3):
        at = at.button(key="q_back").click().run()
    at = at.button(key="q_stop").click().run()
    expected = elicit(catalog, answers)
    assert sliders(at, catalog) == expected.weights
    assert at.info[0].value.startswith("Your priorities were set from your answers to 4 of 8")


def test_contradictory_answers_are_told_and_point_to_the_sliders(opened, catalog):
    at = opened
    screens = catalog.screens
    # most = first shown, least = last shown: an arbitrary order per screen that goes round
    answers = [(screen[0], screen[-1]) for screen in screens]
    for step, answer in enumerate(answers):
        at = answer_screen(at, step, answer)
        at = at.button(key="q_done" if step == 7 else "q_next").click().run()
    result = elicit(catalog, answers)
    assert result.contradictions
    warnings = [w.value for w in at.warning if w.value.startswith("Some answers disagree")]
    assert len(warnings) == len(result.contradictions)
    assert all("on the sliders under Your priorities" in w for w in warnings)


def test_the_same_pick_twice_is_refused_until_changed(opened, catalog):
    screen = catalog.screens[0]
    at = answer_screen(opened, 0, (screen[0], screen[0]))
    assert at.error[0].value.startswith("Pick a different one for least")
    assert at.button(key="q_next").label == "Skip"
    assert at.button(key="q_stop").disabled
    at = at.radio(key="q_least-0").set_value(screen[1]).run()
    assert not at.error
    assert at.button(key="q_next").label == "Next"
    assert not at.button(key="q_stop").disabled


def test_back_keeps_answers_and_cancel_changes_nothing(opened, catalog):
    at = opened
    before = sliders(at, catalog)
    screen = catalog.screens[0]
    at = answer_screen(at, 0, (screen[1], screen[2])).button(key="q_next").click().run()
    assert at.button(key="q_back").disabled is False
    at = at.button(key="q_back").click().run()
    assert at.radio(key="q_most-0").value == screen[1]
    assert at.radio(key="q_least-0").value == screen[2]
    at = at.button(key="q_cancel").click().run()
    assert sliders(at, catalog) == before
    assert at.selectbox(key="fm_preset").value == "injury"
    assert not [i for i in at.info if "were set from your answers" in i.value]


def test_the_method_page_names_the_method_and_its_source(open_page):
    at = open_page(METHOD)
    headers = [h.value for h in at.header]
    assert "The priorities questionnaire" in headers
    text = " ".join(m.value for m in at.markdown)
    assert "best-worst" in text
    assert "https://doi.org/10.1016/j.jmp.2005.05.003" in text
    assert "Finn and Louviere" in text
