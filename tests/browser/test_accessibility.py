"""Every page, in every state that matters, at phone and desktop size: axe-core finds no WCAG 2.2
A/AA (or best-practice) violation the app causes, the charts' drawn text reads at 4.5:1, and the
keyboard reaches Find my massage's first slider in a few Tab presses, each stop showing a ring.

Violations that come from Streamlit itself are excused only by tests/browser/axe_upstream.toml,
each entry with the rule, the element it applies to and the upstream issue that tracks it.
A state is a row of data (STATES): add one for each new feature's state.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from advisor.answers.passcode import hash_passcode
from advisor.answers.store import AnswerStore, NewAnswer
from advisor.figures.style import MIN_CONTRAST, contrast_ratio
from tests.browser.support import (
    ACTION_TIMEOUT_MS,
    ROOT,
    VIEWPORTS,
    demand_url,
    expect,
    save_screenshot,
    serve_app,
    wait_for_app,
    wait_for_idle,
)

pytestmark = pytest.mark.browser

UPSTREAM = Path(__file__).with_name("axe_upstream.toml")
A11Y_LOG = ROOT / "artifacts" / "a11y-streamlit.log"
SHOTS = ROOT / "artifacts" / "screenshots" / "a11y"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and Deque's best practices
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PASSCODE = "a11y-owner-passcode"
SURVEY = ROOT / "data" / "sample_survey.csv"
# A form tool's raw export (questions as headers, answers as words): it needs the mapping step.
FORM_EXPORT = (
    ROOT / "tests" / "fixtures" / "cases" / "google-forms-raw-question-headers-likert-words.csv"
)


# --- states: how to reach each one, from the state before it on the same page -----------------


def _settle(page) -> None:
    page.wait_for_timeout(300)  # a widget's rerun starts; wait for it to end and charts to draw
    wait_for_idle(page)
    wait_for_app(page)


def choose_goal(label: str) -> Callable:
    def step(page) -> None:
        page.get_by_role("combobox", name=re.compile("Your goal")).click()
        page.get_by_role("option", name=label).click()
        _settle(page)

    return step


def tick_red_flag(page) -> None:
    page.get_by_role("radio", name="Yes, one or more").click()
    _settle(page)
    flags = page.locator('.st-key-safety_screen [data-testid="stCheckbox"]')
    flags.first.click()
    _settle(page)


def open_every_table(page) -> None:
    """Open each "Show the numbers as a table" expander (each open one reruns the page)."""
    closed = page.locator("details:not([open]) > summary").filter(
        has_text="Show the numbers as a table"
    )
    for _ in range(closed.count()):
        closed.first.click()
        _settle(page)
    expect(closed).to_have_count(0)


def click(role: str, name: str) -> Callable:
    def step(page) -> None:
        page.get_by_role(role, name=re.compile(name)).first.click()
        _settle(page)

    return step


def upload(path: Path) -> Callable:
    def step(page) -> None:
        uploader = page.locator('[data-testid="stFileUploader"]').filter(
            has_text="Upload your client survey"
        )
        uploader.locator('input[type="file"]').set_input_files(path)
        _settle(page)

    return step


def add_service(page) -> None:
    page.get_by_label("Service name").fill("Sports recovery")
    page.get_by_label("Service name").press("Tab")
    _settle(page)
    page.get_by_role("combobox", name=re.compile("Start from")).click()
    page.get_by_role("option", name="A blend of both").click()
    _settle(page)
    page.get_by_role("button", name="Add service").click()
    _settle(page)


def unlock_owner_view(page) -> None:
    page.get_by_label("Owner passcode").fill(PASSCODE)
    page.get_by_role("button", name="Open the demand view").click()
    _settle(page)
    expect(page.get_by_role("button", name="Close the demand view")).to_be_visible()


@dataclass(frozen=True)
class State:
    """A state of a page, reached by `step` from the state listed before it (None: as opened)."""

    name: str
    step: Callable | None = None


STATES: dict[str, list[State]] = {
    "": [State("as opened")],
    "compare": [State("as opened"), State("every table open", open_every_table)],
    "find": [
        State("as opened"),
        State("a goal chosen", choose_goal("Unwind")),
        State("a red flag ticked", tick_red_flag),
        State("every table open", open_every_table),
        State("the questionnaire open", click("button", "Help me set my priorities")),
    ],
    "clinic": [
        State("as opened"),
        State("every table open", open_every_table),
        # the designer proposes a winner for the sample survey (2 clients of a form export
        # leave it nothing to add), so the design is added first
        State("a designed service added", click("button", "Add this service to my menu")),
        State("a service added by name", add_service),
        State("a survey uploaded", upload(SURVEY)),
        State("a form export in the mapping step", upload(FORM_EXPORT)),
        State("the mapping confirmed", click("button", "Confirm the mapping")),
        State("the owner view unlocked", unlock_owner_view),
    ],
    "method": [State("as opened")],
}


# --- axe-core, and the one file of upstream exceptions ------------------------------------------


def upstream_exceptions() -> list[dict]:
    entries = tomllib.loads(UPSTREAM.read_text())["exception"]
    for entry in entries:
        assert set(entry) == {"rule", "selector", "issue", "why"}, entry
        assert re.fullmatch(r"https://github\.com/streamlit/streamlit/issues/\d+", entry["issue"])
    return entries


def app_violations(page, axe, exceptions: list[dict]) -> list[str]:
    """axe-core's violations on the page as it is now, less those the upstream file excuses."""
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    found = []
    for violation in axe.run(page, options=options).response["violations"]:
        selectors = [e["selector"] for e in exceptions if e["rule"] == violation["id"]]
        for node in violation["nodes"]:
            excused = page.evaluate(
                """([target, selectors]) => {
                    const element = document.querySelector(target);
                    return !!element && selectors.some(s => element.closest(s));
                }""",
                [node["target"][0], selectors],
            )
            if not excused:
                summary = (node.get("failureSummary") or "").replace("\n", " ")
                found.append(f"{violation['id']}: {node['html'][:160]} -- {summary[:200]}")
    return found


SVG_TEXT_CONTRAST = """() => {
    const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
    const out = [];
    document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg text').forEach(text => {
        if (!text.textContent.trim() || text.closest('.hoverlayer')) return;
        if (text.closest('.heatmaplayer')) return;  // cells: from the spec, test_contrast.py
        let back = 'rgb(255, 255, 255)';
        if (text.classList.contains('bartext-inside')) {
            back = getComputedStyle(text.closest('.point').querySelector('path')).fill;
        }
        out.push([text.textContent.trim().slice(0, 40), getComputedStyle(text).fill, back,
                  getComputedStyle(text).opacity]);
    });
    return out;
}"""


def low_contrast_chart_text(page) -> list[str]:
    """Text drawn in the charts' SVG under 4.5:1 against what it sits on (axe cannot see it)."""
    drawn = page.evaluate(SVG_TEXT_CONTRAST)
    charts = page.locator('[data-testid="stPlotlyChart"]').count()
    assert len(drawn) >= 3 * charts, f"{charts} charts but only {len(drawn)} texts found in them"
    low = []
    for text, fill, back, opacity in drawn:
        ratio = contrast_ratio(fill, back)
        if ratio < MIN_CONTRAST or float(opacity) < 1:
            low.append(f"chart text {text!r}: {fill} on {back} = {ratio:.2f}:1")
    return low


# --- one served app for the module, with an owner passcode and two stored answers --------------


@pytest.fixture(scope="module")
def a11y_app(chromium_executable) -> Iterator[str]:
    owner = {"MASSAGE_ADVISOR_OWNER_HASH": hash_passcode(PASSCODE, iterations=1_000)}
    with serve_app(A11Y_LOG, env=owner) as url:
        store = AnswerStore(demand_url(A11Y_LOG))
        for result, relaxation in (("spa", 10), ("medical", 0)):
            weights = {"relaxation": relaxation, "pain_relief": 10 - relaxation}
            store.submit(NewAnswer(weights, None, "medium", result))
        yield url


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def open_page(browser, url: str, size: str):
    context = browser.new_context(viewport=VIEWPORTS[size])
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app(page)
    return context, page


@pytest.mark.timeout(600)
@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("path", list(STATES), ids=[p or "start" for p in STATES])
def test_no_accessibility_violation_in_any_state(browser, a11y_app, axe, path, size):
    exceptions = upstream_exceptions()
    context, page = open_page(browser, f"{a11y_app}/{path}", size)
    problems = {}
    try:
        for state in STATES[path]:
            if state.step is not None:
                state.step(page)
            found = app_violations(page, axe, exceptions) + low_contrast_chart_text(page)
            if found:
                problems[state.name] = found
                save_screenshot(page, f"{path or 'start'}-{size}-{state.name}", SHOTS)
    finally:
        context.close()
    assert problems == {}, f"/{path} at {size}: " + "\n".join(
        f"\n[{state}]\n  " + "\n  ".join(found) for state, found in problems.items()
    )


def test_every_upstream_exception_names_a_rule_an_element_and_an_issue():
    entries = upstream_exceptions()
    assert len({(e["rule"], e["selector"]) for e in entries}) == len(entries)


# --- the keyboard: few stops from the goal to the first slider, every stop visibly focused ------

FOCUS_RING = """() => {
    const e = document.activeElement, s = getComputedStyle(e);
    const name = e.getAttribute('aria-label') || e.innerText || e.getAttribute('title') || '';
    const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
        || (s.boxShadow && s.boxShadow !== 'none');
    const box = e.getBoundingClientRect();
    return {tag: e.tagName, role: e.getAttribute('role') || '', name: name.trim().slice(0, 40),
            ring, visible: box.width > 0 && box.height > 0};
}"""

# Tab presses from the goal box to the first priority slider: 10 on main before this issue
# (heading anchors and a help button before every slider); 7 after it; 8 since the safety
# question is asked before the answer (one stop: its two choices are one radio group), with the
# copy button and the PDF under the answer. A saved menu adds the clinic's section under the
# answer, one stop more (its folded reasons): another test here saves one, so the count is
# taken with whatever this server's store holds.
MAX_TABS_GOAL_TO_SLIDER = 8
CLINIC_SECTION_STOPS = 1


@pytest.mark.timeout(120)
def test_keyboard_reaches_the_first_slider_from_the_goal_with_visible_focus(browser, a11y_app):
    context, page = open_page(browser, f"{a11y_app}/find?preset=unwind", "desktop")
    try:
        clinic = page.locator(".st-key-fm_clinic").count()
        most = MAX_TABS_GOAL_TO_SLIDER + CLINIC_SECTION_STOPS * clinic
        page.get_by_role("combobox", name=re.compile("Your goal")).focus()
        stops = []
        for _ in range(MAX_TABS_GOAL_TO_SLIDER + 5):
            page.keyboard.press("Tab")
            stops.append(page.evaluate(FOCUS_RING))
            if stops[-1]["role"] == "slider" or page.evaluate(
                "() => document.activeElement.type === 'range'"
            ):
                break
    finally:
        context.close()
    described = [f"{s['tag']} {s['role']} {s['name']!r} ring={s['ring']}" for s in stops]
    assert len(stops) <= most, described
    assert all(s["visible"] and s["name"] for s in stops), described
    assert all(s["ring"] for s in stops), described
