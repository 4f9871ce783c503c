"""Find my massage reruns only its fragment when a slider moves, and the whole page otherwise.

AppTest always runs the whole script (it has no fragment-only rerun for a widget inside a
fragment), so this is checked where it happens: in the messages the server sends a real
browser. Every message is a protobuf ForwardMsg; a run ends with a script_finished message that
says whether it was a fragment run, and every element a fragment run draws carries the
fragment's id. The second half answers the safety question (inside the fragment), then changes
the goal, a choice outside it, and sees a full run, so the test can tell the two apart.
"""

from __future__ import annotations

import re

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

import advisor
from advisor.decision.explanation import explain
from advisor.decision.scoring import score
from tests.browser.support import (
    ACTION_TIMEOUT_MS,
    EXCEPTION,
    PLOTLY_CHART,
    VIEWPORTS,
    expect,
    wait_for_app,
    wait_for_idle,
)

pytestmark = pytest.mark.browser

FRAGMENT_RUN = ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
FULL_RUN = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY


class Received:
    """Every ForwardMsg the server sends the page, decoded."""

    def __init__(self, page) -> None:
        self.messages: list[ForwardMsg] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        if isinstance(payload, bytes):
            self.messages.append(ForwardMsg.FromString(payload))

    def since(self, start: int) -> list[ForwardMsg]:
        return self.messages[start:]


def finished(messages: list[ForwardMsg]) -> list[int]:
    return [m.script_finished for m in messages if m.WhichOneof("type") == "script_finished"]


def deltas(messages: list[ForwardMsg]) -> list[ForwardMsg]:
    return [m for m in messages if m.WhichOneof("type") == "delta"]


def texts(messages: list[ForwardMsg]) -> str:
    """Everything the deltas say, as text (enough to find a heading's words in it)."""
    return "\n".join(str(m.delta) for m in deltas(messages))


def match_labels(catalog: advisor.Catalog, weights: dict[str, int]) -> list[str]:
    return [f"{m:.0f}%" for _, m in score(weights, catalog.fits).ranking()]


@pytest.mark.timeout(120)
def test_a_slider_move_reruns_only_the_fragment(browser, served_app, app_catalog):
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        page = context.new_page()
        received = Received(page)
        page.goto(f"{served_app}/find?preset=unwind", wait_until="domcontentloaded")
        wait_for_app(page)
        weights = {cid: int(w) for cid, w in app_catalog.preset_weights.loc["unwind"].items()}
        bars = page.locator(PLOTLY_CHART).first.locator("text.bartext")
        expect(bars).to_have_text(match_labels(app_catalog, weights))
        # the first visit was a full run: the title came from the server outside any fragment
        assert FULL_RUN in finished(received.messages)
        assert "Find my massage" in texts(received.messages)

        label = re.escape(app_catalog.criterion_label("pain_relief"))
        thumb = page.get_by_role("slider", name=re.compile(rf"^{label}(?: {label})?$"))
        thumb.focus()
        start = len(received.messages)
        page.keyboard.press("ArrowRight")
        weights["pain_relief"] += 1
        expect(bars).to_have_text(match_labels(app_catalog, weights))
        wait_for_idle(page)
        page.wait_for_timeout(300)  # the run's last frames reach the listener

        moved = received.since(start)
        assert finished(moved) == [FRAGMENT_RUN], "a slider move must be a fragment run"
        sent = deltas(moved)
        assert sent, "the fragment run drew nothing"
        assert all(m.delta.fragment_id for m in sent), "an element outside the fragment was sent"
        assert "Find my massage" not in texts(moved)  # the page title was not drawn again
        assert "Your goal" not in texts(moved)  # nor the goal selector above the fragment
        assert "Safety first" not in texts(moved)  # nor the safety screen
        expect(page.locator("h1")).to_have_text("Find my massage")  # still on screen

        # The safety question is outside the fragment (a slider move does not send it again):
        # answering it reruns the whole page, the answer with it.
        start = len(received.messages)
        none_apply = page.get_by_role("radio", name="None of these apply to me", exact=True)
        none_apply.click()
        expect(none_apply).to_have_attribute("aria-checked", "true")
        wait_for_idle(page)
        page.wait_for_timeout(300)
        assert finished(received.since(start)) == [FULL_RUN]

        # A choice outside the fragment (the goal) reruns the whole page: the check above can
        # tell.
        start = len(received.messages)
        page.get_by_role("combobox", name=re.compile("Your goal")).click()
        page.get_by_role("option", name=app_catalog.presets.at["injury", "label"]).click()
        weights = {cid: int(w) for cid, w in app_catalog.preset_weights.loc["injury"].items()}
        expect(bars).to_have_text(match_labels(app_catalog, weights))
        wait_for_idle(page)
        page.wait_for_timeout(300)
        changed = received.since(start)
        assert finished(changed) == [FULL_RUN]
        assert any(not m.delta.fragment_id for m in deltas(changed))
        assert "Find my massage" in texts(changed)
        expect(page.locator(EXCEPTION)).to_have_count(0)
    finally:
        context.close()


@pytest.mark.timeout(120)
def test_the_line_above_the_ticked_list_follows_a_slider_move(browser, served_app, app_catalog):
    """The safety screen is outside the fragment, the line above its list (what the ticks mean,
    with the answer) is written by the fragment: a slider move, a fragment run, changes it in
    place, and it is never doubled."""
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        page = context.new_page()
        received = Received(page)
        page.goto(f"{served_app}/find?preset=treat_myself&safety=pregnancy_later")
        wait_for_app(page)
        line = page.locator('[data-testid="stMarkdownContainer"]').filter(
            has_text=re.compile(r"You ticked \d")
        )
        expect(line).to_contain_text("Spa massage clearly ahead: 96% against 30%")
        wait_for_idle(page)
        weights = {cid: int(w) for cid, w in app_catalog.preset_weights.loc["treat_myself"].items()}
        label = re.escape(app_catalog.criterion_label("clinical_setting"))
        thumb = page.get_by_role("slider", name=re.compile(rf"^{label}(?: {label})?$"))
        thumb.focus()
        start = len(received.messages)
        page.keyboard.press("End")  # clinical setting to 10
        weights["clinical_setting"] = 10
        headline = explain(app_catalog, weights, "medium", ["pregnancy_later"]).headline
        expect(line).to_contain_text(f"massage with care. {headline}.")
        wait_for_idle(page)
        page.wait_for_timeout(300)
        assert finished(received.since(start)) == [FRAGMENT_RUN]
        expect(line).to_have_count(1)
        expect(page.locator(EXCEPTION)).to_have_count(0)
    finally:
        context.close()
