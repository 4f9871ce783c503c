"""Opt-in client answers for the clinic owner: what is stored, how, and for how long.

An answer holds exactly: the weights, the preset, the certainty, the result, the name of the
clinic's service that fitted best (when clients were shown a menu; the name is kept as it was,
so a menu changed later does not rewrite old answers) and the hour it was sent (rounded down,
UTC). No name, no free text, no IP address, no cookie or session identifier.
A session that sends again replaces its earlier answer by the row id it was given back, so the
database never needs to know who sent what.

Storage is SQLAlchemy 2 with alembic migrations: SQLite in local-data/ by default, PostgreSQL
(or any SQLAlchemy URL) when DATABASE_URL is set.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Integer,
    String,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from advisor.errors import AdvisorError

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = f"sqlite:///{ROOT / 'local-data' / 'demand.sqlite3'}"
DEFAULT_RETENTION_DAYS = 180
STORED_FIELDS = ("weights", "preset", "certainty", "result", "service", "sent_hour")


class StoreError(AdvisorError):
    """The answer store cannot be reached or written; the message is meant for a person."""


class Base(DeclarativeBase):
    pass


class MenuService(Base):
    """One service of the clinic's own menu, saved once the owner has unlocked the page."""

    __tablename__ = "clinic_menu"

    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    fits: Mapped[dict] = mapped_column(JSON, nullable=False)


class MenuOptions(Base):
    """Whether clients see the saved menu on Find my massage, and the hour (UTC) the saved
    menu last changed: one row (id 1); without it the menu is shown, the default once a menu
    is saved."""

    __tablename__ = "clinic_menu_options"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shown: Mapped[bool] = mapped_column(Boolean, nullable=False)
    changed_hour: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Answer(Base):
    """One client's anonymous answer. The columns are the whole of what is stored."""

    __tablename__ = "demand_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    weights: Mapped[dict] = mapped_column(JSON, nullable=False)
    preset: Mapped[str | None] = mapped_column(String(40), nullable=True)
    certainty: Mapped[str] = mapped_column(String(10), nullable=False)
    result: Mapped[str] = mapped_column(String(40), nullable=False)
    service: Mapped[str | None] = mapped_column(String(60), nullable=True)
    sent_hour: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, index=True)


@dataclass(frozen=True)
class NewAnswer:
    """What a client agrees to send; `service` is the name of the clinic's service that fits
    best (MenuAnswer.best), None without a menu shown."""

    weights: Mapping[str, int]
    preset: str | None
    certainty: str
    result: str
    service: str | None = None


def round_to_hour(moment: datetime) -> datetime:
    """The hour an answer was sent, in UTC: finer times are not kept."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_URL


def retention_days() -> int:
    raw = os.environ.get("MASSAGE_ADVISOR_RETENTION_DAYS", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_RETENTION_DAYS


def _engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record) -> None:  # pragma: no cover - driver hook
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest alembic revision."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class AnswerStore:
    """The answers table behind one database URL; every failure becomes a StoreError."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or database_url()
        try:
            self.engine = _engine(self.url)
            migrate(self.engine)
        except (SQLAlchemyError, OSError) as exc:
            raise StoreError(_plain(exc)) from None

    def submit(
        self, new_answer: NewAnswer, answer_id: int | None = None, now: datetime | None = None
    ) -> int:
        """Store an answer, or replace the one this session sent before; return its row id."""
        values = {
            "weights": {k: int(v) for k, v in new_answer.weights.items()},
            "preset": new_answer.preset,
            "certainty": new_answer.certainty,
            "result": new_answer.result,
            "service": new_answer.service,
            "sent_hour": round_to_hour(now or datetime.now(UTC)),
        }
        try:
            with self.engine.begin() as connection:
                if answer_id is not None:
                    changed = connection.execute(
                        update(Answer).where(Answer.id == answer_id).values(**values)
                    ).rowcount
                    if changed:
                        return answer_id
                new_id = connection.execute(insert(Answer).values(**values)).inserted_primary_key
                return int(new_id[0])
        except SQLAlchemyError as exc:
            raise StoreError(_plain(exc)) from None

    def answers(self) -> pd.DataFrame:
        """Every stored answer: id, the stored fields, and one column per weight."""
        try:
            with self.engine.connect() as connection:
                rows = connection.execute(select(Answer).order_by(Answer.id)).mappings().all()
        except SQLAlchemyError as exc:
            raise StoreError(_plain(exc)) from None
        frame = pd.DataFrame([dict(row) for row in rows], columns=["id", *STORED_FIELDS])
        if frame.empty:
            return frame
        frame["weights"] = frame["weights"].map(
            lambda w: json.loads(w) if isinstance(w, str) else w
        )
        frame["sent_hour"] = pd.to_datetime(frame["sent_hour"], utc=True)
        return frame

    def count(self) -> int:
        try:
            with self.engine.connect() as connection:
                return int(connection.execute(select(func.count(Answer.id))).scalar_one())
        except SQLAlchemyError as exc:
            raise StoreError(_plain(exc)) from None

    def delete_all(self) -> int:
        try:
            with self.engine.begin() as connection:
                return int(connection.execute(delete(Answer)).rowcount)
        except SQLAlchemyError as exc:
            raise StoreError(_plain(exc)) from None

    def save_menu(self, menu: pd.DataFrame, now: datetime | None = None) -> None:
        """Replace the saved menu with `menu` (a `name` column and one fit column per
        criterion, 0..10), in its row order, in one transaction; when it differs from the one
        saved, the hour of the change is kept (menu_changed)."""
        rows = [
            {
                "position": position,
                "name": str(row["name"]),
                "fits": {k: float(v) for k, v in row.items() if k != "name"},
            }
            for position, row in enumerate(menu.to_dict("records"))
        ]
        try:
            before = [(r["name"], r["fits"]) for r in rows] == self.menu_rows()
            with self.engine.begin() as connection:
                connection.execute(delete(MenuService))
                if rows:
                    connection.execute(insert(MenuService), rows)
                if not before:
                    hour = round_to_hour(now or datetime.now(UTC))
                    self._set_options(connection, changed_hour=hour)
        except SQLAlchemyError as exc:
            raise StoreError(_plain(exc)) from None

    def _set_options(self, connection, **values: object) -> None:
        """Change the one row of menu options, made with the defaults when there is none."""
        changed = connection.execute(
            update(MenuOptions).where(MenuOptions.id == 1).values(**values)
        ).rowcount
        if not changed:
            connection.execute(insert(MenuOptions).values(**{"id": 1, "shown": True, **values}))

    def menu_changed(self) -> datetime | None:
        """The hour (UTC) the saved menu last changed; None before any change was kept."""
        hour = self._menu_option(MenuOptions.changed_hour)
        if hour is None:
            return None
        # SQLite keeps no time zone: the hour was written in UTC
        return hour.replace(tzinfo=UTC) if hour.tzinfo is None else hour.astimezone(UTC)

    def menu_rows(self) -> list[tuple[str, object]]:
        """The saved menu as stored, in menu order: (name, fits by criterion id) per service,
        unchecked (advisor.clinic.menu.menu_from_saved checks it); [] when none is saved."""
        try:
            with self.engine.connect() as connection:
                rows = connection.execute(
                    select(MenuService.name, MenuService.fits).order_by(MenuService.position)
                ).all()
        except SQLAlchemyError as exc:
            raise StoreError(_plain(exc)) from None
        return [(name, _fits(fits)) for name, fits in rows]

    def menu_shown(self) -> bool:
        """Whether clients see the saved menu: True until the owner hides it."""
        shown = self._menu_option(MenuOptions.shown)
        return True if shown is None else bool(shown)

    def _menu_option(self, column: Any) -> Any:
        """One column of the menu's options row (id 1); None before the row exists."""
        try:
            with self.engine.connect() as connection:
                return connection.execute(
                    select(column).where(MenuOptions.id == 1)
                ).scalar_one_or_none()
        except SQLAlchemyError as exc:
            raise StoreError(_plain(exc)) from None

    def show_menu(self, shown: bool) -> None:
        """Show the saved menu to clients, or hide it; kept until changed."""
        try:
            with self.engine.begin() as connection:
                self._set_options(connection, shown=bool(shown))
        except SQLAlchemyError as exc:
            raise StoreError(_plain(exc)) from None

    def saved_menu(self, criterion_ids: tuple[str, ...]) -> pd.DataFrame:
        """The saved menu for the owner to edit (`name` + one column per criterion id, in that
        order; a criterion the saved row lacks, or whose fit is damaged, counts as 0 until the
        owner sets it: the owner's view names the fault, advisor.clinic.menu.menu_from_saved),
        empty when none is saved."""
        records = [
            {"name": str(name), **{c: _fit(fits, c) for c in criterion_ids}}
            for name, fits in self.menu_rows()
        ]
        return pd.DataFrame(records, columns=["name", *criterion_ids])

    def purge(self, days: int, now: datetime | None = None) -> int:
        """Remove answers sent more than `days` days ago; return how many went."""
        cutoff = round_to_hour(now or datetime.now(UTC)) - timedelta(days=days)
        try:
            with self.engine.begin() as connection:
                return int(
                    connection.execute(delete(Answer).where(Answer.sent_hour < cutoff)).rowcount
                )
        except SQLAlchemyError as exc:
            raise StoreError(_plain(exc)) from None


def _fits(value: object) -> object:
    """A stored fits value as a mapping; a damaged one (not JSON) is returned as it is."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _fit(fits: object, criterion_id: str) -> float:
    value = fits.get(criterion_id, 0) if isinstance(fits, dict) else 0
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _plain(exc: BaseException) -> str:
    first = str(getattr(exc, "orig", exc) or exc).strip().splitlines()
    detail = first[0][:160] if first else type(exc).__name__
    return f"the answer store is not available ({detail})"


def answers_as_survey(answers: pd.DataFrame, criterion_ids: tuple[str, ...]) -> pd.DataFrame:
    """Stored answers in the survey shape (client_id + one column per criterion), so the
    client-mix summaries work on them unchanged."""
    weights = pd.DataFrame(
        [{cid: float(w.get(cid, 0)) for cid in criterion_ids} for w in answers["weights"]],
        columns=list(criterion_ids),
    )
    weights.insert(0, "client_id", [f"answer-{i}" for i in answers["id"]])
    return weights


NO_GOAL = "no_goal"
NO_SERVICE = "no_service"  # an answer sent while no menu was shown, or before services were kept
MISSING = {"preset": NO_GOAL, "service": NO_SERVICE}


def weekly_answers(answers: pd.DataFrame, by: str = "preset") -> pd.DataFrame:
    """Answers per week (Monday start, UTC) and `by` (the goal a client started from, the
    result, or the clinic's service that fitted best): one row per week, a column per value,
    whole numbers. Answers without a goal count under `NO_GOAL`, without a service under
    `NO_SERVICE`; weeks without answers between the first and last appear as zeros."""
    if answers.empty:
        return pd.DataFrame()
    week = answers["sent_hour"].dt.tz_convert("UTC").dt.tz_localize(None).dt.to_period("W-SUN")
    table = pd.crosstab(week, answers[by].fillna(MISSING.get(by, NO_GOAL)))
    table = table.reindex(pd.period_range(table.index.min(), table.index.max(), freq="W-SUN"))
    table = table.fillna(0).astype(int)
    table.index = table.index.start_time.date
    table.index.name = "week starting"
    table.columns.name = None
    return table
