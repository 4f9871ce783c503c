"""The survey section in a real browser: an .xlsx upload, and a form export through mapping."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

import advisor
from tests.browser.support import EXCEPTION, expect, save_screenshot, wait_for_app, wait_for_idle
from tests.browser.test_clinic import best_served, upload_survey

pytestmark = pytest.mark.browser

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "cases"
FORMS = CASES / "google-forms-raw-question-headers-likert-words.csv"
# Where the screenshots of this section go: the notes folder when it exists (a developer's
# machine), else the test artifacts.
SHOTS = Path(os.environ.get("SURVEY_SHOTS", "/work/notes/shots/issue-12"))
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def shots_dir() -> Path | None:
    return SHOTS if SHOTS.parent.is_dir() else None


def workbook(catalog: advisor.Catalog) -> bytes:
    """Three clients on a 1-5 scale who care about relaxation only, under the app's labels."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Responses"
    sheet.append(["Client", *(catalog.criterion_label(c) for c in catalog.criterion_ids)])
    for client in ("A-1", "A-2", "A-3"):
        sheet.append([client, *(5 if c == "relaxation" else 1 for c in catalog.criterion_ids)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def confirm(page) -> None:
    page.get_by_role("button", name="Confirm the mapping").click()
    page.wait_for_timeout(300)
    wait_for_idle(page)
    wait_for_app(page)


@pytest.mark.timeout(180)
def test_an_xlsx_upload_is_mapped_and_shows_the_client_mix(open_in_browser, app_catalog):
    page = open_in_browser("clinic", "desktop")
    data = workbook(app_catalog)
    upload_survey(page, {"name": "responses.xlsx", "mimeType": XLSX_MIME, "buffer": data})
    expect(page.get_by_text("Check how the columns of your file")).to_be_visible()
    expect(page.get_by_text("responses.xlsx").first).to_be_visible()
    expect(page.locator('[data-testid="stAlertContentError"]')).to_have_count(0)
    confirm(page)
    success = page.locator('[data-testid="stAlertContentSuccess"]')
    expect(success).to_contain_text("In use now: your survey, 3 clients")
    expect(page.get_by_text("answers run 1-5; read as 1 = 0 and 5 = 10.")).to_be_visible()
    assert best_served(page) == ("Best served by Spa massage", "100%")
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert page.js_errors == []


@pytest.mark.timeout(240)
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_form_export_in_the_mapping_step_and_after(open_in_browser, size):
    page = open_in_browser("clinic", size)
    upload_survey(page, str(FORMS))
    heading = page.get_by_text("Check how the columns of your file")
    expect(heading).to_be_visible()
    heading.scroll_into_view_if_needed()
    if (folder := shots_dir()) is not None:
        save_screenshot(page, f"survey-mapping-{size}", folder)
    confirm(page)
    # 3 questions of 13: in use under a warning that names the criteria counted 0
    in_use = page.locator('[data-testid="stAlertContentWarning"]').filter(has_text="In use now")
    expect(in_use).to_contain_text("2 clients")
    expect(in_use).to_contain_text("10 of 13 criteria have no column, so each counts 0.")
    expect(page.locator('[data-testid="stAlertContentSuccess"]')).to_have_count(0)
    expect(page.get_by_text(re.compile(r"notes? on your survey"))).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)
    in_use.scroll_into_view_if_needed()
    if (folder := shots_dir()) is not None:
        save_screenshot(page, f"survey-confirmed-{size}", folder)
