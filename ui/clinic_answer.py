"""The owner's answer on Position my clinic, computed once per survey, menu, threshold and aim.

`answer_for` builds the one ClinicAnswer (advisor.clinic.answer) every section draws from;
`figure` builds a chart of it. Both are kept with Streamlit's own st.cache_data, bounded
(CACHE: entries and time to live) and keyed on the survey's content hash, the menu's fits, the
threshold and the aim, so a slider moved back finds its answer again and a change that leaves
them alone costs a look-up. The designed service has its own entry: it does not depend on the
threshold under the aim "most clients". `answer_section` draws the sentences and the report.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from advisor.catalog import Catalog
from advisor.clinic.answer import ClinicAnswer, clinic_answer
from advisor.clinic.design import Brief, Design, design_service, service_name
from advisor.clinic.report import clinic_report, report_content, report_names
from advisor.printing import FONT_LACKS, NOT_PRINTED, names_not_printed
from ui.survey_upload import SurveyInUse

# Shared by every visitor: a few dozen answers (each a few kilobytes: aggregates, no client
# rows), dropped after an hour unused.
CACHE = {"max_entries": 64, "ttl": 3600, "show_spinner": False}


@dataclass(frozen=True)
class Answered:
    """An answer and the key it was computed for (the key of its charts too)."""

    answer: ClinicAnswer
    key: tuple


def menu_key(fits: pd.DataFrame) -> tuple:
    """The menu as a key: every service's id and fits."""
    rows = fits.to_numpy().tolist()
    return tuple((str(s), tuple(row)) for s, row in zip(fits.index, rows, strict=True))


@st.cache_data(**CACHE)
def _design(
    survey_key: str,
    menu: tuple,
    objective: str,
    threshold: float | None,
    data_dir: str,
    _survey: pd.DataFrame,
    _fits: pd.DataFrame,
    _catalog: Catalog,
) -> Design:
    """The designer's service for this survey, menu and aim (and threshold, for lifting)."""
    return design_service(
        Brief(
            _survey,
            _fits,
            _catalog.fits,
            _catalog.criteria_by_dimension(),
            _catalog.service_limits,
            objective,
            70.0 if threshold is None else threshold,
        )
    )


@st.cache_data(**CACHE)
def _answer(
    survey_key: str,
    menu: tuple,
    names: tuple,
    threshold: float,
    objective: str,
    taken: tuple[str, ...],
    who: tuple,
    data_dir: str,
    _survey: SurveyInUse,
    _fits: pd.DataFrame,
    _catalog: Catalog,
) -> ClinicAnswer:
    lifting = objective == "lift_unserved"
    design = _design(
        survey_key,
        menu,
        objective,
        threshold if lifting else None,
        data_dir,
        _survey.frame,
        _fits,
        _catalog,
    )
    return clinic_answer(
        _survey.frame,
        _fits,
        dict(names),
        _catalog,
        threshold,
        _survey.clients,
        design,
        service_name(design, list(taken)),
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
    key = (
        survey.key,
        menu_key(fits),
        tuple(names.items()),
        float(threshold),
        objective,
        tuple(taken),
        (survey.name, survey.sample, survey.asked),
        str(catalog.data_dir),
    )
    return Answered(_answer(*key, survey, fits, catalog), key)


@st.cache_data(**CACHE)
def _figure(name: str, key: tuple, _make: Callable[[], go.Figure]) -> go.Figure:
    return _make()


def figure(name: str, answered: Answered, make: Callable[[], go.Figure]) -> go.Figure:
    """Chart `name` of an answer, made once per answer (and per name)."""
    return _figure(name, answered.key, make)


def not_printed_notice(names: list[str]) -> str | None:
    """The page's plain words when some of the report's names (advisor.clinic.report.
    report_names) have characters the PDF cannot print."""
    missing = names_not_printed(names)
    if not missing:
        return None
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
    notice = not_printed_notice(names)
    if notice:
        st.info(notice, icon=":material/format_shapes:")
        st.text(", ".join(f"“{name}”" for name in names_not_printed(names)))
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
