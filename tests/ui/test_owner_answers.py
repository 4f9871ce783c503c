"""Real demand on Position my clinic: closed without the passcode, locked after five wrong
tries, open with it; and the client's opt-in on Find my massage."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from advisor.answers.passcode import MAX_FAILURES, hash_passcode
from advisor.answers.store import STORED_FIELDS, AnswerStore, NewAnswer
from tests.apptest_support import figures, numbers, values

CLINIC = "app_pages/position_my_clinic.py"
FIND = "app_pages/find_my_massage.py"
PASSCODE = "let me in, owner"


@pytest.fixture
def store_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'demand.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def owner(monkeypatch, store_url) -> str:
    monkeypatch.setenv("MASSAGE_ADVISOR_OWNER_HASH", hash_passcode(PASSCODE, iterations=1_000))
    return store_url


def _log_in(at, passcode: str):
    at.text_input(key="owner_passcode").input(passcode)
    form_buttons = [b for b in at.button if b.label == "Open the demand view"]
    return form_buttons[0].click().run()


def test_without_a_configured_passcode_the_view_explains_and_shows_nothing(
    open_page, store_url, monkeypatch
):
    monkeypatch.delenv("MASSAGE_ADVISOR_OWNER_HASH", raising=False)
    AnswerStore(store_url).submit(NewAnswer({"relaxation": 9}, None, "medium", "spa"))
    at = open_page(CLINIC)
    (note,) = [i for i in values(at.info) if i.startswith("The owner view")]
    assert "make" not in note and "secrets" not in note  # plain words for the owner
    assert "Whoever runs this app for you can turn it on" in note
    steps = [e for e in at.expander if e.label.startswith("For whoever runs the app")]
    assert steps and "make passcode-hash" in steps[0].markdown[0].value
    assert not [t for t in at.text_input if t.key == "owner_passcode"]
    assert "Answers collected" not in [m.label for m in at.metric]


def test_the_view_is_closed_until_the_right_passcode(open_page, owner):
    at = open_page(CLINIC)
    assert "Answers collected" not in [m.label for m in at.metric]
    at = _log_in(at, "wrong guess")
    assert any("Wrong passcode" in e for e in values(at.error))
    assert "Answers collected" not in [m.label for m in at.metric]
    at = _log_in(at, PASSCODE)
    assert not at.exception
    labels = {m.label: m.value for m in at.metric}
    assert labels["Answers collected"] == "0"


def test_five_wrong_tries_lock_the_session_even_for_the_right_passcode(open_page, owner):
    at = open_page(CLINIC)
    for _ in range(MAX_FAILURES):
        at = _log_in(at, "not it")
    assert any("locked out" in e for e in values(at.error))
    assert not [t for t in at.text_input if t.key == "owner_passcode"]
    at.run()
    assert any("locked out" in e for e in values(at.error))
    assert "Answers collected" not in [m.label for m in at.metric]


def test_open_view_summarises_the_answers_and_deletes_them_after_confirmation(open_page, owner):
    store = AnswerStore(owner)
    now = datetime(2026, 11, 27, 10, tzinfo=UTC)
    store.submit(NewAnswer({"relaxation": 10}, "unwind", "high", "spa"), now=now)
    store.submit(NewAnswer({"injury_recovery": 10}, "injury", "medium", "medical"), now=now)
    store.submit(NewAnswer({"relaxation": 8}, None, "low", "spa"), now=now)
    at = _log_in(open_page(CLINIC), PASSCODE)
    assert {m.label: m.value for m in at.metric}["Answers collected"] == "3"
    assert {"demand_shares_chart", "demand_weekly_chart"} <= set(figures(at))
    delete = next(b for b in at.button if b.label == "Delete all answers")
    assert delete.disabled
    at.checkbox(key="owner_confirm_delete").check().run()
    next(b for b in at.button if b.label == "Delete all answers").click().run()
    assert store.count() == 0
    assert any("Deleted 3 answers" in s for s in values(at.success))


def _send_button(at):
    return next(b for b in at.button if b.label == "Send my anonymous priorities")


def test_consent_off_stores_nothing(open_page, store_url):
    at = open_page(FIND, query={"preset": "unwind"})
    assert _send_button(at) is not None
    at.slider(key="w_relaxation").set_value(4).run()
    assert AnswerStore(store_url).count() == 0


def test_consent_on_stores_exactly_the_stated_fields_once_per_session(open_page, store_url):
    at = open_page(FIND, query={"preset": "unwind", "certainty": "high"})
    _send_button(at).click().run()
    store = AnswerStore(store_url)
    frame = store.answers()
    assert list(frame.columns) == ["id", *STORED_FIELDS]
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["preset"] == "unwind" and row["certainty"] == "high" and row["result"] == "spa"
    assert row["weights"]["relaxation"] == 10 and len(row["weights"]) == 13
    hour = row["sent_hour"].to_pydatetime()
    assert (hour.minute, hour.second, hour.microsecond) == (0, 0, 0)
    at.slider(key="w_relaxation").set_value(3).run()
    _send_button(at).click().run()
    frame = store.answers()
    assert len(frame) == 1
    assert frame.iloc[0]["weights"]["relaxation"] == 3


def test_a_store_failure_keeps_the_result_on_screen(open_page, monkeypatch):
    monkeypatch.setenv(
        "DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:1/x?connect_timeout=2"
    )
    at = open_page(FIND, query={"preset": "injury"})
    before = values(at.success)
    _send_button(at).click().run()
    assert not at.exception
    assert any("could not be sent" in e for e in values(at.error))
    assert values(at.success)[: len(before)] == before


def test_one_clients_answer_never_reaches_another_clients_screen(open_page, store_url):
    first = open_page(FIND, query={"preset": "unwind"})
    _send_button(first).click().run()
    assert any("Sent" in s for s in values(first.success))
    second = open_page(FIND, query={"preset": "injury"})
    assert not any("Sent" in s for s in values(second.success))
    assert "fm_answer_id" not in second.session_state
    assert AnswerStore(store_url).count() == 1


def test_a_sent_answer_carries_the_best_service_and_the_owner_counts_it(
    open_page, owner, catalog, downloads
):
    import io

    import pandas as pd

    from advisor.clinic.menu import NAME, blend_fits

    store = AnswerStore(owner)
    services = [("Sports recovery", 0.9), ("Hot stone", 0.1)]
    store.save_menu(
        pd.DataFrame(
            [{NAME: name, **blend_fits(catalog.fits, share).to_dict()} for name, share in services]
        ),
        now=datetime(2026, 11, 9, 8, 41, tzinfo=UTC),
    )
    old = datetime(2026, 11, 2, 10, tzinfo=UTC)
    store.submit(NewAnswer({"relaxation": 8}, None, "low", "spa"), now=old)  # before any menu
    store.submit(NewAnswer({"relaxation": 9}, None, "low", "spa", "Stones (old name)"), now=old)

    at = open_page(FIND, query={"preset": "unwind"})
    (statement,) = [c for c in values(at.caption) if c.startswith("Only this is stored")]
    assert "your result, the service of this clinic that fits you best and the hour" in statement
    _send_button(at).click().run()
    sent = store.answers().iloc[-1]
    assert (sent["result"], sent["service"]) == ("spa", "Hot stone")

    view = _log_in(open_page(CLINIC), PASSCODE)
    assert "Demand by your services, week by week" in values(view.subheader)
    assert any(
        c.endswith("Your menu last changed on 9 November 2026 (08:00 UTC).")
        for c in values(view.caption)
    )
    traces = figures(view)["demand_services_chart"]["data"]
    counts = {t["name"]: sum(numbers(t["y"])) for t in traces}
    assert counts == {
        "Hot stone": 1,
        "No service (sent while no menu was shown)": 1,
        "Stones (old name)": 1,
    }
    exported = pd.read_csv(io.BytesIO(downloads["client-answers.csv"]))
    assert exported["service"].fillna("").tolist() == ["", "Stones (old name)", "Hot stone"]
    assert list(exported.columns[:6]) == [
        "id",
        "preset",
        "certainty",
        "result",
        "service",
        "sent_hour",
    ]


def test_without_any_service_named_there_is_no_demand_by_service(open_page, owner):
    AnswerStore(owner).submit(NewAnswer({"relaxation": 10}, "unwind", "high", "spa"))
    view = _log_in(open_page(CLINIC), PASSCODE)
    assert "Demand by goal, week by week" in values(view.subheader)
    assert "Demand by your services, week by week" not in values(view.subheader)
