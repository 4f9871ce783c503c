"""Two visitors on one server at once: nothing one makes shows up for the other.

Visitor A adds a service and uploads a survey on Position my clinic, and moves sliders on Find my
massage; visitor B, in another browser context (other cookies, another session), opens the same
pages while A's sessions are still open and must see only the app's own defaults.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import advisor
from tests.browser.support import EXCEPTION, expect, slider_value, wait_for_idle

pytestmark = pytest.mark.browser

SERVICE = "Alpha Only Service"
SURVEY = "alpha-only-survey.csv"
MAIN = '[data-testid="stMain"]'


def slider(page, catalog: advisor.Catalog, criterion_id: str):
    label = re.escape(catalog.criterion_label(criterion_id))
    return page.get_by_role("slider", name=re.compile(rf"^{label}(?: {label})?$"))


def sliders(page, catalog: advisor.Catalog) -> dict[str, int]:
    return {cid: slider_value(slider(page, catalog, cid)) for cid in catalog.criterion_ids}


@pytest.fixture
def alpha_survey(tmp_path: Path, app_catalog: advisor.Catalog) -> Path:
    rows = [",".join(["client_id", *app_catalog.criterion_ids])]
    rows += [",".join([f"alpha-client-{i}", *["7"] * 13]) for i in range(3)]
    path = tmp_path / SURVEY
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.timeout(180)
def test_one_visitors_services_uploads_and_sliders_never_reach_another(
    open_in_browser, app_catalog, alpha_survey
):
    # visitor A: a service of their own, and their own survey
    a_clinic = open_in_browser("clinic", "desktop")
    a_clinic.get_by_label("Service name").fill(SERVICE)
    a_clinic.get_by_label("Service name").press("Tab")  # the name is sent: a run starts
    a_clinic.wait_for_timeout(300)
    wait_for_idle(a_clinic)
    a_clinic.get_by_role("combobox", name=re.compile("Start from")).click()
    a_clinic.get_by_role("option", name="Medical massage").click()
    a_clinic.wait_for_timeout(300)
    wait_for_idle(a_clinic)
    a_clinic.get_by_role("button", name=re.compile("Add service")).click()
    a_clinic.wait_for_timeout(300)
    wait_for_idle(a_clinic)
    expect(a_clinic.locator(MAIN)).to_contain_text(SERVICE)
    uploader = a_clinic.locator('[data-testid="stFileUploader"]').filter(
        has_text="Upload your client survey"
    )
    uploader.locator('input[type="file"]').set_input_files(alpha_survey)
    a_clinic.wait_for_timeout(300)
    wait_for_idle(a_clinic)
    expect(a_clinic.locator('[data-testid="stAlertContentSuccess"]')).to_contain_text(
        "In use now: your survey, 3 clients"
    )
    expect(a_clinic.locator(MAIN)).to_contain_text(SURVEY)

    # visitor A, on Find my massage: a link's weights, then a slider moved by keyboard
    a_find = open_in_browser("find?preset=unwind&certainty=low&relaxation=9", "desktop")
    thumb = slider(a_find, app_catalog, "pain_relief")
    thumb.focus()
    a_find.keyboard.press("End")
    a_find.wait_for_url(lambda url: "pain_relief=10" in url)
    a_weights = sliders(a_find, app_catalog)
    assert a_weights["relaxation"] == 9 and a_weights["pain_relief"] == 10

    # visitor B, while A's sessions are open: only the defaults
    b_clinic = open_in_browser("clinic", "desktop")
    main = b_clinic.locator(MAIN)
    expect(main).to_contain_text("made up for this example")
    expect(main).not_to_contain_text(SERVICE)
    expect(main).not_to_contain_text(SURVEY)
    expect(main).not_to_contain_text("alpha-client")
    assert SERVICE not in b_clinic.content() and SURVEY not in b_clinic.content()
    expect(b_clinic.locator('[data-testid="stAlertContentSuccess"]')).to_have_count(0)

    b_find = open_in_browser("find", "desktop")
    assert set(sliders(b_find, app_catalog).values()) == {0}
    expect(b_find.locator(MAIN)).to_contain_text("No recommendation yet")
    assert "pain_relief=10" not in b_find.url and "relaxation=9" not in b_find.url

    # and A still has everything of their own
    expect(a_clinic.locator(MAIN)).to_contain_text(SERVICE)
    expect(a_clinic.locator(MAIN)).to_contain_text(SURVEY)
    assert sliders(a_find, app_catalog) == a_weights
    for page in (a_clinic, a_find, b_clinic, b_find):
        expect(page.locator(EXCEPTION)).to_have_count(0)
        assert page.js_errors == []
