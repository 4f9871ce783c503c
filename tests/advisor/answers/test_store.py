"""The opt-in answer store, on SQLite always and on a real PostgreSQL server when one is given."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from advisor.answers.store import (
    NO_GOAL,
    NO_SERVICE,
    STORED_FIELDS,
    AnswerStore,
    NewAnswer,
    StoreError,
    answers_as_survey,
    round_to_hour,
    weekly_answers,
)

POSTGRES_ENV = "MASSAGE_ADVISOR_TEST_DATABASE_URL"
NOW = datetime(2026, 11, 28, 14, 37, 12, tzinfo=UTC)


def _postgres_store() -> Iterator[AnswerStore]:
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {POSTGRES_ENV} is not set: the PostgreSQL tests must run")
        pytest.skip(
            f"no PostgreSQL server given: set {POSTGRES_ENV}, e.g. "
            "postgresql+psycopg://postgres@127.0.0.1:5432/test (.ci/run does)"
        )
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    store = AnswerStore(f"{base}{separator}options=-csearch_path%3D{schema}")
    try:
        yield store
    finally:
        store.engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path) -> Iterator[AnswerStore]:
    if request.param == "sqlite":
        sqlite = AnswerStore(f"sqlite:///{tmp_path / 'demand.sqlite3'}")
        yield sqlite
        sqlite.engine.dispose()
    else:
        yield from _postgres_store()


def new_answer(**weights: int) -> NewAnswer:
    return NewAnswer(weights or {"relaxation": 9}, "unwind", "medium", "spa")


def test_an_answer_holds_exactly_the_stated_fields(store):
    answer_id = store.submit(
        NewAnswer({"relaxation": 9, "pain_relief": 2}, "unwind", "high", "spa"), now=NOW
    )
    frame = store.answers()
    assert list(frame.columns) == ["id", *STORED_FIELDS]
    row = frame.iloc[0]
    assert int(row["id"]) == answer_id
    assert row["weights"] == {"relaxation": 9, "pain_relief": 2}
    assert (row["preset"], row["certainty"], row["result"]) == ("unwind", "high", "spa")
    assert row["sent_hour"].to_pydatetime() == datetime(2026, 11, 28, 14, tzinfo=UTC)


def test_sending_again_replaces_the_earlier_answer(store):
    first = store.submit(new_answer(relaxation=9), now=NOW)
    again = store.submit(
        NewAnswer({"injury_recovery": 10}, None, "low", "medical"), answer_id=first, now=NOW
    )
    assert again == first
    frame = store.answers()
    assert len(frame) == 1
    assert frame.iloc[0]["weights"] == {"injury_recovery": 10}
    assert frame.iloc[0]["preset"] is None


def test_an_answer_id_that_is_gone_stores_a_new_answer(store):
    first = store.submit(new_answer(), now=NOW)
    store.delete_all()
    second = store.submit(new_answer(), answer_id=first, now=NOW)
    assert store.count() == 1
    assert int(store.answers().iloc[0]["id"]) == second


def test_fifty_concurrent_submissions_lose_and_duplicate_nothing(store):
    ids: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(50)

    def send(k: int) -> None:
        try:
            start.wait()
            answer_id = store.submit(new_answer(relaxation=k % 11), now=NOW)
            with lock:
                ids.append(answer_id)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(k,)) for k in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(ids) == 50 and len(set(ids)) == 50
    assert store.count() == 50

    resend = [threading.Thread(target=store.submit, args=(new_answer(), i)) for i in ids]
    for thread in resend:
        thread.start()
    for thread in resend:
        thread.join(timeout=120)
    frame = store.answers()
    assert len(frame) == 50
    assert sorted(frame["id"].astype(int)) == sorted(ids)


def test_retention_removes_only_old_answers(store):
    store.submit(new_answer(), now=NOW - timedelta(days=40))
    store.submit(new_answer(), now=NOW - timedelta(days=10))
    assert store.purge(days=30, now=NOW) == 1
    assert store.count() == 1


def test_delete_all(store):
    for _ in range(3):
        store.submit(new_answer(), now=NOW)
    assert store.delete_all() == 3
    assert store.count() == 0


def test_a_database_failure_during_submission_is_a_store_error(store):
    with store.engine.begin() as connection:
        connection.execute(text("DROP TABLE demand_answers"))
    with pytest.raises(StoreError, match="the answer store is not available"):
        store.submit(new_answer(), now=NOW)


def test_an_unreachable_server_is_a_store_error():
    with pytest.raises(StoreError, match="the answer store is not available"):
        AnswerStore("postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2")


def test_answers_read_as_a_survey(catalog, store):
    store.submit(new_answer(relaxation=9, pain_relief=2), now=NOW)
    survey = answers_as_survey(store.answers(), catalog.criterion_ids)
    assert list(survey.columns) == ["client_id", *catalog.criterion_ids]
    assert survey.loc[0, "relaxation"] == 9 and survey.loc[0, "pain_relief"] == 2
    assert survey.loc[0, "health_condition"] == 0


def test_weekly_demand_counts_answers_per_week_and_result(store):
    monday = datetime(2026, 11, 23, 9, tzinfo=UTC)
    store.submit(NewAnswer({"relaxation": 9}, None, "medium", "spa"), now=monday)
    store.submit(
        NewAnswer({"relaxation": 9}, None, "medium", "spa"), now=monday + timedelta(days=6)
    )
    store.submit(
        NewAnswer({"injury_recovery": 9}, None, "medium", "medical"),
        now=monday + timedelta(days=7),
    )
    table = weekly_answers(store.answers(), by="result")
    assert [str(d) for d in table.index] == ["2026-11-23", "2026-11-30"]
    assert table.loc[table.index[0], "spa"] == 2
    assert table.loc[table.index[1], "medical"] == 1


def test_round_to_hour_drops_minutes_and_moves_to_utc():
    assert round_to_hour(NOW) == datetime(2026, 11, 28, 14, tzinfo=UTC)
    local = datetime(2026, 11, 28, 16, 59, tzinfo=UTC).astimezone()
    assert round_to_hour(local) == datetime(2026, 11, 28, 16, tzinfo=UTC)


def test_weekly_demand_by_goal_fills_empty_weeks_with_zero(store):
    monday = datetime(2026, 11, 2, 9, tzinfo=UTC)
    store.submit(NewAnswer({"relaxation": 9}, "unwind", "medium", "spa"), now=monday)
    store.submit(NewAnswer({"relaxation": 9}, None, "medium", "spa"), now=monday)
    store.submit(
        NewAnswer({"pain_relief": 9}, "back_pain", "medium", "medical"),
        now=monday + timedelta(days=14),
    )
    table = weekly_answers(store.answers())
    assert [str(d) for d in table.index] == ["2026-11-02", "2026-11-09", "2026-11-16"]
    assert table.to_dict("list") == {
        "back_pain": [0, 0, 1],
        NO_GOAL: [1, 0, 0],
        "unwind": [1, 0, 0],
    }
    assert all(str(dtype) == "int64" for dtype in table.dtypes)


def test_the_menu_is_saved_and_comes_back_in_order(catalog, store):
    criteria = catalog.criterion_ids
    menu = pd.DataFrame(
        [
            {"name": "Zeta", **dict.fromkeys(criteria, 3.5)},
            {"name": "Alpha", **dict.fromkeys(criteria, 7)},
        ]
    )
    assert store.saved_menu(criteria).empty
    store.save_menu(menu)
    again = AnswerStore(store.url)
    restored = again.saved_menu(criteria)
    again.engine.dispose()
    assert restored["name"].tolist() == ["Zeta", "Alpha"]
    assert (
        restored.drop(columns="name").to_numpy().tolist()
        == menu.drop(columns="name").to_numpy().tolist()
    )
    store.save_menu(menu.iloc[:0])
    assert store.saved_menu(criteria).empty


def test_a_damaged_saved_menu_reads_as_stored_and_opens_for_the_owner(store):
    menu = pd.DataFrame([{"name": "Hot stone", "relaxation": 9.0, "pain_relief": 2.0}])
    store.save_menu(menu)
    with store.engine.begin() as connection:
        connection.execute(text('UPDATE clinic_menu SET fits = \'{"relaxation": "x"}\''))
    assert store.menu_rows() == [("Hot stone", {"relaxation": "x"})]
    # the owner's table opens with 0 where a fit is missing or damaged (the view names it)
    restored = store.saved_menu(("relaxation", "pain_relief"))
    assert restored.to_dict("records") == [
        {"name": "Hot stone", "relaxation": 0.0, "pain_relief": 0.0}
    ]


def test_the_menu_is_shown_to_clients_until_the_owner_hides_it(store):
    assert store.menu_shown() is True
    store.show_menu(False)
    again = AnswerStore(store.url)
    assert again.menu_shown() is False
    again.show_menu(True)
    again.engine.dispose()
    assert store.menu_shown() is True


def test_an_answer_keeps_the_service_name_it_was_matched_to(store):
    store.submit(NewAnswer({"relaxation": 9}, None, "medium", "spa", "Hot stone"), now=NOW)
    store.save_menu(pd.DataFrame([{"name": "Hot stones, 90 min", "relaxation": 9.0}]))
    store.submit(new_answer(), now=NOW + timedelta(days=7))  # no menu shown: no service
    frame = store.answers()
    assert [s if isinstance(s, str) else None for s in frame["service"]] == ["Hot stone", None]
    table = weekly_answers(frame, by="service")
    assert table.to_dict("list") == {"Hot stone": [1, 0], NO_SERVICE: [0, 1]}


def test_answers_sent_before_services_were_kept_keep_no_service(tmp_path):
    """An answers table from before migration 0004 is brought up to date, its rows intact."""
    from alembic import command
    from alembic.config import Config

    from advisor.answers.store import _engine

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = _engine(url)
    config = Config()
    config.set_main_option("script_location", "advisor/answers/migrations")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        connection.execute(
            text(
                "INSERT INTO demand_answers (weights, preset, certainty, result, sent_hour) "
                "VALUES ('{\"relaxation\": 9}', 'unwind', 'medium', 'spa', '2026-11-28 14:00:00')"
            )
        )
    engine.dispose()
    store = AnswerStore(url)
    frame = store.answers()
    store.engine.dispose()
    assert frame["result"].tolist() == ["spa"] and frame["service"].isna().all()


def test_the_hour_the_menu_last_changed_is_kept(store):
    menu = pd.DataFrame([{"name": "Hot stone", "relaxation": 9.0}])
    assert store.menu_changed() is None
    store.save_menu(menu, now=NOW)
    assert store.menu_changed() == datetime(2026, 11, 28, 14, tzinfo=UTC)
    store.save_menu(menu, now=NOW + timedelta(days=3))  # the same menu again: no change
    assert store.menu_changed() == datetime(2026, 11, 28, 14, tzinfo=UTC)
    store.show_menu(False)
    assert store.menu_changed() == datetime(2026, 11, 28, 14, tzinfo=UTC)
    store.save_menu(menu.assign(name="Hot stones"), now=NOW + timedelta(days=3))
    assert store.menu_changed() == datetime(2026, 12, 1, 14, tzinfo=UTC)
    assert store.menu_shown() is False
