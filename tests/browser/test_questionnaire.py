"""The priorities questionnaire on a phone: answered by taps, each screen inside the viewport,
and the sliders then showing the weights the answers give."""

from __future__ import annotations

import re

import pytest

from advisor.decision.elicitation import elicit
from tests.browser.support import EXCEPTION, VIEWPORTS, expect, save_screenshot, slider_value

pytestmark = pytest.mark.browser

RELAXING = ("relaxation", "soothing_experience", "calming_ambience", "long_indulgent", "wellbeing")
BOX = ".st-key-questionnaire"


def fits_the_viewport(page) -> dict[str, float]:
    """Scroll the questionnaire so its bottom meets the viewport's; its top must then lie below
    the app's header: the whole screen is visible at once."""
    return page.locator(BOX).evaluate(
        """box => {
            box.scrollIntoView({block: 'end'});
            const header = document.querySelector('[data-testid="stHeader"]');
            const rect = box.getBoundingClientRect();
            return {top: rect.top, bottom: rect.bottom, height: rect.height,
                    header: header ? header.getBoundingClientRect().bottom : 0,
                    viewport: window.innerHeight};
        }"""
    )


def tap(page, group: str, label: str) -> None:
    options = page.get_by_role("radiogroup", name=group)
    options.locator("label").filter(has_text=re.compile(rf"^{re.escape(label)}")).click()


@pytest.mark.timeout(180)
def test_a_phone_answers_by_taps_and_the_sliders_show_the_result(open_in_browser, app_catalog):
    page = open_in_browser("find", "phone")
    order = [*RELAXING, *(c for c in app_catalog.criterion_ids if c not in RELAXING)]
    screens = app_catalog.screens
    answers = [(min(s, key=order.index), max(s, key=order.index)) for s in screens]
    page.get_by_role("button", name=re.compile("Help me set my priorities")).click()
    for step, (most, least) in enumerate(answers):
        expect(page.locator(BOX)).to_contain_text(f"Screen {step + 1} of 8")
        box = fits_the_viewport(page)
        assert box["height"] <= VIEWPORTS["phone"]["height"] - box["header"], box
        assert box["top"] >= box["header"] and box["bottom"] <= box["viewport"] + 1, box
        tap(page, "Matters most", app_catalog.criterion_label(most))
        tap(page, "Matters least", app_catalog.criterion_label(least))
        expect(
            page.get_by_role("radiogroup", name="Matters least").get_by_role("radio", checked=True)
        ).to_have_count(1)
        save_screenshot(page, f"questionnaire-phone-screen{step + 1}")
        last = step == len(answers) - 1
        page.get_by_role("button", name="Set my priorities" if last else "Next").click()
    expect(page.locator(BOX)).to_have_count(0)
    expected = elicit(app_catalog, answers).weights
    expect(page.get_by_text("Your priorities were set from your answers to 8 of 8")).to_be_visible()
    for cid, weight in expected.items():
        label = re.escape(app_catalog.criterion_label(cid))
        thumb = page.get_by_role("slider", name=re.compile(rf"^{label}(?: {label})?$"))
        expect(thumb).to_have_count(1)
        # the page may still be drawing the sliders' new values (seen once in a loaded full run)
        for _ in range(100):
            if slider_value(thumb) == weight:
                break
            page.wait_for_timeout(100)
        assert slider_value(thumb) == weight, cid
    expect(page.get_by_text(re.compile(r"^Spa massage (clearly fits|leans)"))).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert page.js_errors == []
    save_screenshot(page, "questionnaire-phone-after")
