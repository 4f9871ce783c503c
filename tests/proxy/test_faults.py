"""Faults behind nginx: no instance up, an instance that fails its health check, every
instance hung at once (the cluster fails open), a dead instance, PostgreSQL restarted while a
visitor sends an answer."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from advisor.answers.store import AnswerStore
from deploy import cluster
from deploy.cluster import State
from tests.browser.support import VIEWPORTS, expect, wait_for_app, wait_for_idle
from tests.proxy.support import ROUTE_COOKIE, access_log, get, served_by, wait_for

pytestmark = [pytest.mark.proxy, pytest.mark.browser, pytest.mark.timeout(180)]

NOT_SENT = "Your answer could not be sent"
FROZEN_S = 10  # one instance hung this long: its visitors move to the other
BOTH_FROZEN_S = 8  # every instance hung this long: visitors wait, and get the page after


def test_no_instance_up_gives_the_plain_error_page(up):
    for index in range(len(up.instance_ports)):
        cluster.stop_instance(up, index)
    for path in ("/", "/find?preset=unwind", "/_stcore/health"):
        status, body, headers = get(up, path)
        assert status == 502
        assert "Massage Advisor is unavailable right now" in body
        assert headers["Server"] == "nginx"  # no version, here or in the page
        for leak in ("nginx/", "Traceback", "streamlit", "127.0.0.1"):
            assert leak not in body


def test_an_instance_failing_its_health_check_gets_no_visitors(up):
    pid = cluster.instance_pid(up, 1)
    routes_to_1 = [route for route in (f"r{n}" for n in range(40)) if served_by(up, route) == 1]
    assert routes_to_1, "no test visitor hashed to instance 1"
    frozen_at = time.monotonic()
    try:
        os.kill(pid, signal.SIGSTOP)  # accepts connections, answers nothing: a hung process
        wait_for(lambda: State.load(Path(up.run_dir)).down == [1], "the watcher marks it down")
        time.sleep(1)  # nginx's new workers take over from the old ones
        while time.monotonic() - frozen_at < FROZEN_S:  # its visitors stay moved while it hangs
            assert {served_by(up, route) for route in routes_to_1} == {0}
            assert {served_by(up, f"fresh{n}") for n in range(20)} == {0}
        assert not State.load(Path(up.run_dir)).fail_open  # instance 0 answers: no fail-open
    finally:
        os.kill(pid, signal.SIGCONT)
    wait_for(lambda: State.load(Path(up.run_dir)).down == [], "the watcher puts it back")
    wait_for(lambda: {served_by(up, route) for route in routes_to_1} == {1}, "visitors back", 10)


def test_every_instance_hung_at_once_stays_in_and_a_visitor_gets_the_page_after(browser, up):
    """Fail open: both instances frozen for 8 s. The watcher keeps them in nginx and says so;
    a visitor who arrives during the freeze waits, and gets the page once they thaw."""
    pids = [cluster.instance_pid(up, index) for index in range(len(up.instance_ports))]
    watcher_log = Path(up.run_dir, "watcher.log")
    logged = len(watcher_log.read_text().splitlines())
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    thaw = threading.Timer(BOTH_FROZEN_S, lambda: [os.kill(pid, signal.SIGCONT) for pid in pids])
    try:
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        frozen_at = time.monotonic()
        thaw.start()
        wait_for(lambda: State.load(Path(up.run_dir)).fail_open, "the watcher fails open", 6)
        assert State.load(Path(up.run_dir)).down == []
        arrived_after = time.monotonic() - frozen_at
        page = context.new_page()
        page.goto(f"{up.url}/find?preset=unwind", wait_until="domcontentloaded", timeout=60_000)
        wait_for_app(page, timeout_ms=60_000)
        expect(page.locator("h1")).to_have_text("Find my massage")
        assert time.monotonic() - frozen_at >= BOTH_FROZEN_S  # it waited for the thaw
        route = next(c["value"] for c in context.cookies() if c["name"] == ROUTE_COOKIE)
    finally:
        thaw.cancel()
        for pid in pids:
            os.kill(pid, signal.SIGCONT)
        context.close()
    assert arrived_after < BOTH_FROZEN_S - 2  # the visitor did arrive during the freeze
    statuses = [entry["status"] for entry in access_log(up) if entry["route"] == route]
    assert statuses and not [s for s in statuses if s.startswith("5")], statuses
    lines = watcher_log.read_text().splitlines()[logged:]
    assert any("fail open:" in line for line in lines), lines
    assert not any("down: [0, 1]" in line for line in lines), lines
    wait_for(lambda: not State.load(Path(up.run_dir)).fail_open, "the fail-open ends")


def test_a_dead_instance_is_taken_out_at_once(up):
    routes_to_1 = [route for route in (f"d{n}" for n in range(40)) if served_by(up, route) == 1]
    watcher_log = Path(up.run_dir, "watcher.log")
    logged = len(watcher_log.read_text().splitlines())
    cluster.stop_instance(up, 1, signal.SIGKILL)
    wait_for(lambda: State.load(Path(up.run_dir)).down == [1], "the watcher takes it out", 10)
    # one refused check is enough (a hung instance needs two that time out)
    lines = watcher_log.read_text().splitlines()[logged:]
    assert any(line.endswith("down: [1] 1 refused") for line in lines), lines
    assert {served_by(up, route) for route in routes_to_1} == {0}


def test_postgres_restarted_during_a_submission_keeps_what_was_stored(browser, up):
    store = AnswerStore(up.database_url)
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    try:
        page = context.new_page()
        page.goto(f"{up.url}/find?preset=unwind&certainty=high", wait_until="domcontentloaded")
        wait_for_app(page, timeout_ms=60_000)
        button = page.get_by_role("button", name="Send my anonymous priorities")
        button.click()
        expect(page.get_by_text("Sent, thank you.")).to_be_visible(timeout=20_000)
        stored = store.answers().to_dict("records")
        assert len(stored) == 1

        restart = threading.Thread(target=cluster.restart_postgres, args=(up, 4.0))
        restart.start()
        wait_for(lambda: not _reachable(store), "PostgreSQL stops", 20)
        button.click()
        expect(page.get_by_text(NOT_SENT)).to_be_visible(timeout=20_000)
        restart.join(timeout=60)

        assert store.answers().to_dict("records") == stored  # nothing lost, nothing added
        wait_for_idle(page, 60_000)
        button.click()  # the same session sends again once the database is back
        expect(page.get_by_text("Updated: the clinic now has")).to_be_visible(timeout=20_000)
        assert store.count() == 1
    finally:
        context.close()


def _reachable(store: AnswerStore) -> bool:
    try:
        store.count()
    except Exception:
        return False
    return True
