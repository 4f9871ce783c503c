"""A visitor's whole path through nginx: every page, a slider, a survey upload; answers sent
through two instances seen by the owner on either; an instance killed under a visitor."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest

import advisor
from advisor.answers.store import AnswerStore
from deploy import cluster
from tests.browser.support import (
    ERROR_ALERT,
    EXCEPTION,
    VIEWPORTS,
    expect,
    save_screenshot,
    slider_value,
    wait_for_app,
    wait_for_idle,
)
from tests.browser.test_find import slider
from tests.browser.test_pages import PAGES
from tests.proxy.support import (
    PASSCODE,
    access_log,
    closed_streams,
    get,
    pin,
    served,
    wait_for,
)

pytestmark = [pytest.mark.proxy, pytest.mark.browser, pytest.mark.timeout(180)]

SURVEY = Path(__file__).resolve().parents[2] / "data" / "sample_survey.csv"
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / "proxy"
SEND = "Send my anonymous priorities"
FRAMERS = cluster.FRAME_ANCESTORS_VARIABLE
LOAD_TIMEOUT_MS = 60_000  # two instances, nginx, PostgreSQL and Chromium share the machine


@pytest.fixture
def visitor(browser, up):
    """visitor(index): a fresh browser context pinned to instance index (its route cookie)."""
    contexts = []

    def _new(index: int, size: str = "desktop"):
        context = browser.new_context(viewport=VIEWPORTS[size])
        context.set_default_timeout(LOAD_TIMEOUT_MS)
        context.route_cookie = pin(context, up, index)
        contexts.append(context)
        return context

    yield _new
    for context in contexts:
        context.close()


def open_page(context, state, path: str):
    page = context.new_page()
    page.goto(f"{state.url}/{path}", wait_until="domcontentloaded")
    wait_for_app(page, timeout_ms=LOAD_TIMEOUT_MS)
    return page


def send_answer(page) -> None:
    page.get_by_role("button", name=SEND).click()
    expect(page.get_by_text("Sent, thank you.")).to_be_visible(timeout=20_000)
    wait_for_idle(page, LOAD_TIMEOUT_MS)


def test_every_page_a_slider_and_a_survey_upload_through_nginx(visitor, up, app_catalog):
    context = visitor(0)
    opened = {}
    for path, name, heading in PAGES:  # each page once; Find my massage from a share link
        page = open_page(
            context, up, "find?preset=unwind&certainty=high" if name == "find" else path
        )
        expect(page.locator("h1")).to_have_text(heading)
        expect(page.locator(EXCEPTION)).to_have_count(0)
        expect(page.locator(ERROR_ALERT)).to_have_count(0)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-through-nginx.png"))
        opened[name] = page

    page = opened["find"]
    thumb = slider(page, app_catalog, "pain_relief")
    before = slider_value(thumb)
    thumb.focus()
    page.keyboard.press("End")
    wait_for_idle(page, LOAD_TIMEOUT_MS)
    assert slider_value(thumb) == 10 != before
    expect(page).to_have_url(re.compile(r"[?&]pain_relief=10(&|$)"))  # the share link

    page = opened["clinic"]
    uploader = page.locator('[data-testid="stFileUploader"]').filter(
        has_text="Upload your client survey"
    )
    uploader.locator('input[type="file"]').set_input_files(SURVEY)
    success = page.locator('[data-testid="stAlertContentSuccess"]')
    expect(success).to_contain_text("In use now: your survey, 600 clients", timeout=30_000)
    # its name, as plain text (the uploader's own chip may still show it while it is let go of)
    named = page.locator('[data-testid="stText"]').get_by_text(SURVEY.name, exact=True)
    expect(named).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)
    save_screenshot(page, "clinic-upload-through-nginx", SHOTS)
    context.close()
    assert set(served(up, context.route_cookie)) == {0}  # sticky throughout, websockets too
    assert closed_streams(up, context.route_cookie, len(PAGES)) == [0] * len(PAGES)


def test_answers_sent_through_two_instances_show_in_the_owner_view_on_either(visitor, up):
    for index, preset in [(0, "unwind"), (1, "injury")]:
        context = visitor(index)
        send_answer(open_page(context, up, f"find?preset={preset}&certainty=high"))
        context.close()
        assert closed_streams(up, context.route_cookie, 1) == [index]
    frame = AnswerStore(up.database_url).answers()
    assert sorted(frame["preset"]) == ["injury", "unwind"]

    for index in (0, 1):
        context = visitor(index)
        page = open_page(context, up, "clinic")
        page.get_by_label("Owner passcode").fill(PASSCODE)
        page.get_by_role("button", name="Open the demand view").click()
        collected = page.locator('[data-testid="stMetric"]').filter(has_text="Answers collected")
        expect(collected).to_contain_text("2", timeout=20_000)
        context.close()
        assert closed_streams(up, context.route_cookie, 1) == [index]


def test_a_killed_instance_hands_the_visitor_over_with_every_priority(
    visitor, up, app_catalog: advisor.Catalog
):
    context = visitor(1, "phone")
    page = open_page(context, up, "find?preset=injury&certainty=low")
    thumb = slider(page, app_catalog, "relaxation")
    thumb.focus()
    page.keyboard.press("End")
    wait_for_idle(page, LOAD_TIMEOUT_MS)
    send_answer(page)
    store = AnswerStore(up.database_url)
    sent = store.answers()
    weights = {
        cid: slider_value(slider(page, app_catalog, cid)) for cid in app_catalog.criterion_ids
    }
    assert weights["relaxation"] == 10 and len(sent) == 1

    mark = len(access_log(up))
    cluster.stop_instance(up, 1, signal.SIGKILL)
    wait_for(lambda: 0 in served(up, context.route_cookie, since=mark), "reconnect", 40)
    wait_for_app(page, timeout_ms=LOAD_TIMEOUT_MS)
    restored = {cid: slider_value(slider(page, app_catalog, cid)) for cid in weights}
    assert restored == weights
    expect(page.locator(EXCEPTION)).to_have_count(0)
    save_screenshot(page, "find-after-instance-killed", SHOTS)
    after = store.answers()
    assert after.to_dict("records") == sent.to_dict("records")  # none lost, none doubled
    context.close()
    assert closed_streams(up, context.route_cookie, 2) == [1, 0]


def test_nginx_says_which_sites_may_frame_the_app_on_every_answer(up):
    """docs/embed.md: CSP frame-ancestors from MASSAGE_ADVISOR_FRAME_ANCESTORS (by default only
    the app itself), on pages, the embed and the health check alike, and no X-Frame-Options."""
    expected = f"frame-ancestors {cluster.frame_ancestors(os.environ.get(FRAMERS))}"
    for path in ("/", "/find?embed=true&preset=unwind", "/_stcore/health"):
        status, _body, headers = get(up, path)
        assert status == 200, path
        assert headers["Content-Security-Policy"] == expected, path
        assert "X-Frame-Options" not in headers, path
