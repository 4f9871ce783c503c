"""The positioning report: one PDF an owner can keep, made on the server with fpdf2.

It holds the answer (the summary sentences), the segment-fit heatmap as a table of numbers with
grey shading, the positioning map drawn with numbered and lettered markers and its key, the
client mix, and the designed service. Everything is readable in black and white: values are
printed, shading only repeats them. User text (service names, the survey's file name) is written
as plain text in the bundled font (advisor.printing); a name with characters that font cannot
print is printed with □ in their place, and the report says so near its top.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from fpdf.enums import XPos, YPos

from advisor.clinic.positioning import AXES
from advisor.printing import (
    FONT,
    FONT_LACKS,
    NOT_PRINTED,
    PdfPage,
    date_words,
    names_not_printed,
)

INK = (31, 41, 51)
PAGE_WIDTH = 180.0  # mm between the margins of an A4 page


@dataclass(frozen=True)
class ReportContent:
    """What goes in the report; every number comes from the page's own computations.

    matrix: segments x services match (%); best: segment -> best service; positions: services
    and segments on the map's two axes (0..10); keys: point id -> marker label; mix: rows of
    (service name, best match %, clients); design: lines of plain words, or empty.
    """

    source: str
    clients: int
    summary: Sequence[str]
    matrix: pd.DataFrame
    best: pd.Series
    service_names: Mapping[str, str]
    segment_names: Mapping[str, str]
    service_positions: pd.DataFrame
    segment_positions: pd.DataFrame
    shares: pd.Series
    keys: Mapping[str, str]
    mix: pd.DataFrame
    design: Sequence[str]
    made_on: date


def report_names(service_names: Mapping[str, str], source: str) -> list[str]:
    """The names in the report that someone typed or chose: every service's, then the survey's
    (its file name). The report and the page offering it check these same names."""
    return [*service_names.values(), source]


def not_printed_note(names: Sequence[str]) -> str | None:
    """The report's plain-words note when some `names` (from report_names) have characters the
    report's font cannot print; None when every character prints."""
    missing = names_not_printed(names)
    if not missing:
        return None
    count = "1 name" if len(missing) == 1 else f"{len(missing)} names"
    return (
        f"Some characters of {count} in this report could not be printed and show as "
        f"{NOT_PRINTED}: the report's font {FONT_LACKS}. The app keeps every name as it was "
        "typed."
    )


class _Report(PdfPage):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.cell(0, 6, f"Massage Advisor: positioning report, page {self.page_no()}", align="C")


def _pdf() -> _Report:
    pdf = _Report()
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_text_color(*INK)
    return pdf


def _heading(pdf: _Report, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 10)


def _paragraph(pdf: _Report, text: str) -> None:
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _heatmap(pdf: _Report, content: ReportContent) -> None:
    """Segments x services as a table: the match in each cell, darker grey for a better match,
    and a bold value with a * for the segment's best service."""
    services = list(content.matrix.columns)
    first = 46.0
    width = min(26.0, (PAGE_WIDTH - first) / max(len(services), 1))
    pdf.set_font(FONT, "B", 8)
    headers = ["Segment", *[content.service_names.get(s, s)[:40] for s in services]]
    widths = [first, *[width] * len(services)]
    lines = max(
        len(pdf.multi_cell(w, 4, h, dry_run=True, output="LINES"))
        for w, h in zip(widths, headers, strict=True)
    )
    x, y = pdf.l_margin, pdf.get_y()
    for w, header in zip(widths, headers, strict=True):
        pdf.rect(x, y, w, 4 * lines + 2)
        pdf.set_xy(x, y + 1)
        pdf.multi_cell(w, 4, header, align="C")
        x += w
    pdf.set_xy(pdf.l_margin, y + 4 * lines + 2)
    for segment, row in content.matrix.iterrows():
        pdf.set_font(FONT, "", 8)
        label = content.segment_names.get(segment, segment)
        pdf.cell(first, 7, label, border=1)
        for service in services:
            value = float(row[service])
            best = content.best[segment] == service
            shade = int(255 - value * 1.1)
            pdf.set_fill_color(shade, shade, shade)
            pdf.set_text_color(*(INK if shade > 160 else (255, 255, 255)))
            pdf.set_font(FONT, "B" if best else "", 8)
            pdf.cell(
                width, 7, f"{value:.0f}%{' *' if best else ''}", border=1, align="C", fill=True
            )
        pdf.set_text_color(*INK)
        pdf.ln(7)
    pdf.set_font(FONT, "", 8)
    pdf.cell(0, 5, "* the segment's best service.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _map(pdf: _Report, content: ReportContent) -> None:
    """The two axes, segments as numbered circles and services as lettered squares, then the
    key. Markers carry short labels only, so nothing can run into anything else."""
    size = 100.0
    left, top = pdf.l_margin + 12, pdf.get_y() + 2
    pdf.set_draw_color(*INK)
    pdf.rect(left, top, size, size)
    pdf.set_font(FONT, "", 7)
    for tick in range(0, 11, 2):
        x = left + tick / 10 * size
        y = top + size - tick / 10 * size
        pdf.set_draw_color(200, 200, 200)
        pdf.line(x, top, x, top + size)
        pdf.line(left, y, left + size, y)
        pdf.text(x - 1, top + size + 4, str(tick))
        pdf.text(left - 5, y + 1, str(tick))
    pdf.set_draw_color(*INK)
    x_axis, y_axis = AXES
    pdf.text(left + size / 2 - 18, top + size + 9, f"{x_axis.label} (0-10)")
    with pdf.rotation(90, left - 8, top + size / 2 + 18):
        pdf.text(left - 8, top + size / 2 + 18, f"{y_axis.label} (0-10)")

    def place(positions: pd.DataFrame, kind: str) -> None:
        for point, (px, py) in positions[[x_axis.id, y_axis.id]].iterrows():
            cx, cy = left + px / 10 * size, top + size - py / 10 * size
            if kind == "segment":
                radius = 3 + 8 * float(content.shares.get(point, 0)) ** 0.5
                pdf.set_fill_color(225, 225, 225)
                pdf.ellipse(cx - radius, cy - radius, 2 * radius, 2 * radius, style="DF")
                pdf.set_text_color(*INK)
            else:
                pdf.set_fill_color(*INK)
                pdf.rect(cx - 2.6, cy - 2.6, 5.2, 5.2, style="F")
                pdf.set_text_color(255, 255, 255)
            pdf.set_font(FONT, "B", 7)
            label = content.keys[point]
            pdf.text(cx - pdf.get_string_width(label) / 2, cy + 1.2, label)
        pdf.set_text_color(*INK)

    place(content.segment_positions, "segment")
    place(content.service_positions, "service")
    pdf.set_xy(left + size + 6, top)
    pdf.set_font(FONT, "B", 8)
    pdf.cell(0, 5, "Key", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 8)
    rows = [
        (content.keys[p], content.segment_names.get(p, p)) for p in content.segment_positions.index
    ]
    rows += [
        (content.keys[p], content.service_names.get(p, p)) for p in content.service_positions.index
    ]
    for label, name in rows:
        pdf.set_x(left + size + 6)
        pdf.multi_cell(0, 4.5, f"{label}  {name}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(left + size + 6)
    pdf.multi_cell(
        0,
        4.5,
        "Circles: segments (size = share). Squares: services.",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_y(top + size + 12)


def _mix(pdf: _Report, content: ReportContent) -> None:
    widths = (90.0, 45.0, 45.0)
    pdf.set_font(FONT, "B", 9)
    for width, title in zip(widths, content.mix.columns, strict=True):
        pdf.cell(width, 6, str(title), border=1)
    pdf.ln(6)
    pdf.set_font(FONT, "", 9)
    for row in content.mix.itertuples(index=False):
        for width, value in zip(widths, row, strict=True):
            pdf.cell(width, 6, str(value)[:60], border=1)
        pdf.ln(6)


def clinic_report(content: ReportContent) -> bytes:
    """The report as PDF bytes (A4, fonts embedded)."""
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font(FONT, "B", 17)
    pdf.cell(0, 10, "Position my clinic: the report", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _paragraph(
        pdf,
        f"Made on {date_words(content.made_on)} from {content.source} ({content.clients:,} "
        "clients). Segment shares of a typical client base follow the AMTA 2012 consumer "
        "survey; their split within medical and within other reasons is assumed.",
    )
    note = not_printed_note(report_names(content.service_names, content.source))
    if note:
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(0, 5, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    _heading(pdf, "The answer")
    for sentence in content.summary:
        _paragraph(pdf, sentence)
    _heading(pdf, "Segment fit: how well each service matches each segment")
    _heatmap(pdf, content)
    _heading(pdf, "Positioning map")
    _map(pdf, content)
    if pdf.get_y() > pdf.h - 70:
        pdf.add_page()
    _heading(pdf, "Client mix: the best match of each client")
    _mix(pdf, content)
    if content.design:
        _heading(pdf, "A service designed for the gap")
        for line in content.design:
            _paragraph(pdf, line)
    return bytes(pdf.output())
