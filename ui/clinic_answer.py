"""The owner's answer on Position my clinic, computed once per survey, menu, threshold and aim.

`answer_for` builds the one ClinicAnswer (advisor.clinic.answer) every section draws from;
`figure` builds a chart of it. Both are kept with Streamlit's own st.cache_data, bounded
(CACHE: entries and time to live) and keyed on the survey's content hash, the menu's fits, the
threshold and the aim, so a slider moved back finds its answer again and a change that leaves
them alone costs a look-up. The designed service has its own entry: it does not depend on the
threshold under the aim "most clients". `answer_section` draws the sentences and the report.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from typing import TypeVar

import pandas as pd
import streamlit as st

from advisor.bidi import isolate
from advisor.catalog import Catalog
from advisor.clinic.answer import (
    ClientBase,
    Clients,
    ClinicAnswer,
    client_base,
    clinic_answer,
)
from advisor.clinic.design import (
    Brief,
    Design,
    delivery,
    design_service,
    plain_words,
    service_name,
)
from advisor.clinic.report import clinic_report, report_content, report_names
from advisor.printing import FONT_LACKS, NOT_PRINTED, names_not_printed
from ui import memory
from ui.survey_upload import SurveyInUse

# Shared by every visitor: a few dozen answers (each a few kilobytes: aggregates, no client
# rows), dropped after an hour unused.
CACHE = {"max_entries": 64, "ttl": 3600, "show_spinner": False}
T = TypeVar("T")


@dataclass(frozen=True)
class Answered:
    """An answer and the key it was computed for (the key of its charts too): a digest of the
    survey's content hash, the menu, the names, the threshold and the aim; `menu` digests the
    menu and its names alone (the key of the charts of the typical segments)."""

    answer: ClinicAnswer
    key: str
    menu: str
    survey: str | None


def digest(*parts: object) -> str:
    """A short key of plain values (texts, numbers, tuples of them), by their repr."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def menu_key(fits: pd.DataFrame) -> tuple:
    """The menu as a key: every service's id and fits."""
    rows = fits.to_numpy().tolist()
    return tuple((str(s), tuple(row)) for s, row in zip(fits.index, rows, strict=True))


@st.cache_data(**CACHE)
def _design(
    key: str, _survey: pd.DataFrame, _fits: pd.DataFrame, _catalog: Catalog, _brief: tuple
) -> Design:
    """The designer's service for a survey, menu and aim (and threshold, for lifting): `key`
    is their digest, `_brief` the aim and threshold."""
    objective, threshold = _brief
    return design_service(
        Brief(
            _survey,
            _fits,
            _catalog.fits,
            _catalog.criteria_by_dimension(),
            _catalog.service_limits,
            objective,
            threshold,
        )
    )


@st.cache_data(**CACHE)
def _words(key: str, _design: Design, _catalog: Catalog) -> tuple[str, pd.DataFrame]:
    """The design in plain words (who delivers it, where, how long; each dimension), per
    design (`key` digests what the design depends on)."""
    return delivery(_design, _catalog), plain_words(_design, _catalog)


# The threshold-free part of an answer holds two numbers per client (about 10 MB for a million
# clients): fewer of them are kept.
@st.cache_data(**{**CACHE, "max_entries": 16})
def _base(key: str, _survey: SurveyInUse, _fits: pd.DataFrame, _catalog: Catalog) -> ClientBase:
    """The threshold-free part of the answer, per survey and menu (`key` digests them)."""
    return client_base(_survey.frame, _fits, _catalog, _survey.asked)


def clients_of(survey: SurveyInUse) -> Clients:
    """Whose clients the answer is about, with the notes on how their survey was read: the
    page shows these notes under the answer, and the report carries the same ones."""
    return replace(survey.clients, notes=survey.notes)


@st.cache_data(**CACHE)
def _answer(
    key: str,
    base_key: str,
    design_key: str,
    _survey: SurveyInUse,
    _fits: pd.DataFrame,
    _catalog: Catalog,
    _names: Mapping[str, str],
    _brief: tuple,
    _taken: list[str],
) -> ClinicAnswer:
    """The answer: `key` digests everything it depends on (see answer_for)."""
    design = _design(design_key, _survey.frame, _fits, _catalog, _brief)
    base = _base(base_key, _survey, _fits, _catalog)
    name = service_name(design, _taken, _catalog)
    words = _words(design_key, design, _catalog)
    return clinic_answer(
        _survey.frame,
        _fits,
        _names,
        _catalog,
        _brief[1],
        clients_of(_survey),
        design,
        name,
        base,
        words,
    )


def answer_for(
    catalog: Catalog,
    survey: SurveyInUse,
    fits: pd.DataFrame,
    names: Mapping[str, str],
    threshold: float,
    objective: str,
    taken: list[str],
) -> Answered:
    """The answer for the survey in use with the (deliverable) services of `fits`. `taken`:
    the names a designed service may not have (the catalog types' and the menu's)."""
    menu, data = menu_key(fits), str(catalog.data_dir)
    # the design depends on the threshold only when it lifts the unserved to it
    lifting = objective == "lift_unserved"
    design_key = digest(survey.key, menu, objective, threshold if lifting else None, data)
    base_key = digest(survey.key, menu, survey.asked, data)
    key = digest(
        design_key,
        tuple(names.items()),
        float(threshold),
        tuple(taken),
        (survey.name, survey.sample, survey.asked, survey.notes),
    )
    brief = (objective, float(threshold))
    answer = _answer(
        key, base_key, design_key, survey, fits, catalog, dict(names), brief, list(taken)
    )
    own = None if survey.sample else survey.key  # the sample's entries serve every visitor
    memory.computed_from(own, _answer, key=key, base_key=base_key, design_key=design_key)
    memory.computed_from(own, _base, key=base_key)
    memory.computed_from(own, _design, key=design_key)
    memory.computed_from(own, _words, key=design_key)
    return Answered(answer, key, digest(menu, tuple(names.items()), data), own)


@st.cache_resource(**CACHE)
def _made(name: str, key: str, _make: Callable[[], T]) -> T:
    """A chart or table, kept as the object itself (st.cache_resource): a plotly figure copied
    out of st.cache_data is rebuilt and validated on every hit (about 30 ms each), and no chart
    or table is changed once made."""
    return _make()


@st.cache_resource(**CACHE)
def _made_for_menu(name: str, key: str, _make: Callable[[], T]) -> T:
    """As `_made`, for what depends on the menu alone (a new survey or threshold keeps it)."""
    return _make()


def made(name: str, answered: Answered, make: Callable[[], T]) -> T:
    """Chart or table `name` of an answer, made once per answer (its key)."""
    memory.computed_from(answered.survey, _made, name=name, key=answered.key)
    return _made(name, answered.key, make)


def made_for_menu(name: str, answered: Answered, make: Callable[[], T]) -> T:
    """Chart or table `name` of the menu alone, made once per menu (and its names)."""
    return _made_for_menu(name, answered.menu, make)


def not_printed_notice(missing: list[str]) -> str:
    """The page's plain words when some of the report's names (advisor.clinic.report.
    report_names) have characters the PDF cannot print (`missing`: those names)."""
    count = "1 name" if len(missing) == 1 else f"{len(missing)} names"
    return (
        f"Some characters of {count} cannot be printed in the PDF report: its font "
        f"{FONT_LACKS}. They show there as {NOT_PRINTED}, and the report says so; the app keeps "
        "every name as typed."
    )


def answer_section(catalog: Catalog, answered: Answered) -> None:
    """The answer in plain sentences (st.text: service and file names are the owner's, never
    markup), and the PDF report of the same answer, made when the button is pressed."""
    answer = answered.answer
    st.header("The answer", anchor=False)
    for sentence in answer.sentences:
        st.text(sentence)
    names = report_names(answer.names, answer.clients.name)
    missing = made("not_printed", answered, partial(names_not_printed, names))
    if missing:
        st.info(not_printed_notice(missing), icon=":material/format_shapes:")
        st.text(", ".join(f"“{isolate(name)}”" for name in missing))
    st.download_button(
        "Download the report (.pdf)",
        partial(_report, catalog, answer),
        file_name="clinic-positioning-report.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
    )


def _report(catalog: Catalog, answer: ClinicAnswer) -> bytes:
    """The PDF, made when the button is pressed (outside the script run)."""
    return clinic_report(report_content(answer, catalog, datetime.now(UTC).date()))
