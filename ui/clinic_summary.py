"""The answer first on Position my clinic: a few plain sentences, and the report to keep."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

import streamlit as st

from advisor.catalog import Catalog
from advisor.clinic.design import AIMS, Design, delivery, plain_words, service_name
from advisor.clinic.menu import NAME
from advisor.clinic.positioning import Lift, biggest_gap, owner_summary
from advisor.clinic.report import ReportContent, clinic_report, report_names
from advisor.figures.clinic import map_keys, shares_table
from advisor.printing import FONT_LACKS, NOT_PRINTED, names_not_printed
from ui.clinic_memo import frame_key, memo
from ui.clinic_menu import current_menu, reserved
from ui.clinic_mix import MixView
from ui.clinic_segments import SegmentView
from ui.widgets import escape_md


def summary_sentences(
    catalog: Catalog, view: SegmentView, mix: MixView, lift: Design, names: dict[str, str]
) -> list[str]:
    taken = [*reserved(catalog), *current_menu()[NAME].astype(str)]
    return owner_summary(
        view.best,
        names,
        dict(catalog.segments["label"]),
        biggest_gap(view.service_positions, view.segment_positions),
        mix.mix,
        (mix.yours, mix.typical),
        {cid: catalog.criterion_label(cid) for cid in catalog.criterion_ids},
        Lift(service_name(lift, taken, catalog), lift.wins),
    )


def _report(
    catalog: Catalog,
    sentences: list[str],
    view: SegmentView,
    mix: MixView,
    design: Design,
    names: dict[str, str],
    session: tuple[list[str], str],
) -> bytes:
    """The PDF. It is made when the button is pressed, outside the script run, where session
    state cannot be read: `session` carries what it needs (the menu's names, the survey's)."""
    taken_names, source = session
    table = shares_table(mix.mix, names).iloc[:, :3]
    lines = []
    if design.wins:
        taken = [*reserved(catalog), *taken_names]
        lines = [
            f"Aim: {AIMS[design.objective]}.",
            service_name(design, taken, catalog) + ".",
            delivery(design, catalog),
        ]
        lines += [
            f"{row['Dimension']}: {row['Taken from']}."
            for row in plain_words(design, catalog).to_dict("records")
        ]
        lines.append(
            f"It would be the best match for {design.best_share * 100:.0f}% of the clients."
        )
    return clinic_report(
        ReportContent(
            source=source,
            clients=mix.mix.clients,
            summary=sentences,
            matrix=view.matrix,
            best=view.best,
            service_names=names,
            segment_names=dict(catalog.segments["label"]),
            service_positions=view.service_positions,
            segment_positions=view.segment_positions,
            axes=catalog.map_axes,
            shares=catalog.segments["share"],
            keys=map_keys(view.service_positions.index, view.segment_positions.index),
            mix=table,
            design=lines,
            made_on=datetime.now(UTC).date(),
        )
    )


def not_printed_notice(names: list[str]) -> str | None:
    """The page's plain words when some of the report's names (advisor.clinic.report.
    report_names) have characters the PDF cannot print; the names are escaped (owner's text)."""
    missing = names_not_printed(names)
    if not missing:
        return None
    quoted = ", ".join(f"“{escape_md(name)}”" for name in missing)
    return (
        f"Some characters of {quoted} cannot be printed in the PDF report: its font "
        f"{FONT_LACKS}. They show there as {NOT_PRINTED}, and the report says so; the app keeps "
        "every name as typed."
    )


def answer_section(
    catalog: Catalog,
    view: SegmentView,
    mix: MixView,
    lift: Design,
    design: Design,
    names: dict[str, str],
) -> None:
    """The answer in plain sentences (st.text: service names are the owner's, never markup),
    and the PDF report, made when the button is pressed."""
    st.header("The answer", anchor=False)
    key = (
        frame_key(view.matrix),
        mix.survey_key,
        mix.threshold,
        lift.wins,
        lift.best_share,
        tuple(lift.mixes.items()),
        tuple(names.items()),
    )
    sentences = memo("summary", key, lambda: summary_sentences(catalog, view, mix, lift, names))
    for sentence in sentences:
        st.text(sentence)
    session = (
        current_menu()[NAME].astype(str).tolist(),
        str(st.session_state.get("pc_survey_name", "the survey")),
    )
    notice = not_printed_notice(report_names(names, session[1]))
    if notice:
        st.info(notice, icon=":material/format_shapes:")
    st.download_button(
        "Download the report (.pdf)",
        partial(_report, catalog, sentences, view, mix, design, names, session),
        file_name="clinic-positioning-report.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
    )
