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
from fpdf.fonts import FontFace

from advisor.bidi import isolate
from advisor.catalog import Axis, Catalog
from advisor.clinic.answer import ClinicAnswer
from advisor.clinic.design import AIMS
from advisor.dates import date_words
from advisor.figures.clinic import map_keys, shares_table
from advisor.files.notes import plural
from advisor.printing import (
    FONT,
    FONT_LACKS,
    NOT_PRINTED,
    PdfPage,
    names_not_printed,
)

INK = (31, 41, 51)
PAGE_WIDTH = 180.0  # mm between the margins of an A4 page


@dataclass(frozen=True)
class ReportContent:
    """What goes in the report; every number comes from the page's own computations.

    matrix: segments x services match (%); best: segment -> best service; positions: services
    and segments on the map's two axes (0..10); keys: point id -> marker label; mix: rows of
    (service name, best match %, clients); design: lines of plain words, or empty; axes: the
    map's x and y axes (Catalog.map_axes); sources: (segment and share, where it comes from);
    notes: how the survey was read, as the page shows them (advisor.clinic.answer.Clients).
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
    axes: tuple[Axis, Axis]
    shares: pd.Series
    keys: Mapping[str, str]
    mix: pd.DataFrame
    design: Sequence[str]
    made_on: date
    sources: Sequence[tuple[str, str]] = ()
    notes: Sequence[str] = ()


def design_lines(answer: ClinicAnswer) -> list[str]:
    """The designed service in plain words, when the answer proposes it (else none)."""
    design = answer.design
    if not answer.proposed or answer.design_words is None:
        return []
    lines = [
        f"Aim: {AIMS[design.objective]}.",
        isolate(answer.proposal_name) + ".",
        answer.delivery,
    ]
    lines += [
        f"{row['Dimension']}: {row['Taken from']}."
        for row in answer.design_words.to_dict("records")
    ]
    lines.append(f"It would be the best match for {design.best_share * 100:.0f}% of the clients.")
    return lines


def _sources(segments: pd.DataFrame) -> list[tuple[str, str]]:
    """The segments that share a source, named together with their shares, then the source."""
    grouped: dict[str, list[str]] = {}
    for row in segments.itertuples():
        grouped.setdefault(str(row.share_source), []).append(f"{row.label} {row.share * 100:.0f}%")
    return [(", ".join(named), source) for source, named in grouped.items()]


def report_content(answer: ClinicAnswer, catalog: Catalog, made_on: date) -> ReportContent:
    """The report of one answer: its sentences, heatmap, map, client mix and proposal, and
    where the typical client base's shares come from."""
    segments = catalog.segments
    return ReportContent(
        source=answer.clients.name,
        clients=answer.total,
        summary=answer.sentences,
        matrix=answer.matrix,
        best=answer.best,
        service_names=answer.names,
        segment_names=dict(segments["label"]),
        service_positions=answer.service_positions,
        segment_positions=answer.segment_positions,
        axes=catalog.map_axes,
        shares=segments["share"],
        keys=map_keys(answer.service_positions.index, answer.segment_positions.index),
        mix=shares_table(answer.split, answer.names).iloc[:, :3],
        design=design_lines(answer),
        made_on=made_on,
        sources=_sources(segments),
        notes=answer.clients.notes,
    )


def reading_lines(notes: Sequence[str]) -> list[str]:
    """How the survey was read, for the report's first page: a plain-words opening, then the
    notes as the page shows them (none for a survey read without a note)."""
    if not notes:
        return []
    return [
        f"The figures below rest on how your survey was read. The app made "
        f"{plural(len(notes), 'note')} on it: what was left out, counted as 0 or rescaled. "
        "Where a note names a choice, you make it on the Position my clinic page.",
        *(f"- {note}" for note in notes),
    ]


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


def _keep(pdf: _Report, height: float) -> None:
    """Start a new page unless `height` mm more fit above the footer on this one: a block
    moves whole to the next page, never cut by the page's end or under the footer."""
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()


def _heading(pdf: _Report, text: str, keep: float = 0.0) -> None:
    """A section heading, kept on one page with the first `keep` mm of what follows it."""
    pdf.set_font(FONT, "B", 13)
    lines = len(pdf.multi_cell(0, 7, text, dry_run=True, output="LINES"))
    _keep(pdf, 3 + 7 * lines + keep)
    pdf.ln(3)
    pdf.multi_cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 10)


def _paragraph(pdf: _Report, text: str, align: str = "J") -> None:
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 5, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


PADDING = 1.0  # mm inside every table cell
CELL_LINE = 4.0  # mm per line of 8 pt text in a table


def _word_width(pdf: _Report, texts: Sequence[str], style: str, size: float) -> float:
    """The width (mm) of the widest single word in `texts`: a column at least this wide (plus
    its padding) wraps its texts only at spaces."""
    pdf.set_font(FONT, style, size)
    return max((pdf.get_string_width(w) for t in texts for w in t.split()), default=0.0)


def _heatmap(pdf: _Report, content: ReportContent) -> None:
    """Services x segments as a table: the match in each cell, darker grey for a better match,
    and a bold value with a * for the segment's best service. Services are rows, so a long
    name wraps in its wide first column; segments (a fixed few, short words) are columns,
    each wide enough for its longest word, so headers wrap only at spaces."""
    services = list(content.matrix.columns)
    segments = list(content.matrix.index)
    labels = [content.segment_names.get(s, s) for s in segments]
    fit = _word_width(pdf, ["100% *", *labels], "B", 8) + 2 * PADDING + 0.5
    width = max(fit, min(24.0, (PAGE_WIDTH - 50.0) / max(len(segments), 1)))
    first = PAGE_WIDTH - width * len(segments)
    pdf.set_font(FONT, "", 8)
    pdf.set_fill_color(255, 255, 255)
    with pdf.table(
        col_widths=(first, *[width] * len(segments)),
        width=PAGE_WIDTH,
        align="LEFT",
        text_align=("LEFT", *["CENTER"] * len(segments)),
        line_height=CELL_LINE,
        padding=PADDING,
        headings_style=FontFace(emphasis="BOLD", color=INK),
    ) as table:
        heading = table.row()
        heading.cell("Service")
        for label in labels:
            heading.cell(label)
        for service in services:
            row = table.row()
            row.cell(content.service_names.get(service, service))
            for segment in segments:
                value = float(content.matrix.loc[segment, service])
                best = content.best[segment] == service
                shade = int(255 - value * 1.1)
                row.cell(
                    f"{value:.0f}%{' *' if best else ''}",
                    style=FontFace(
                        emphasis="BOLD" if best else None,
                        color=INK if shade > 160 else (255, 255, 255),
                        fill_color=(shade, shade, shade),
                    ),
                )
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "", 8)
    pdf.cell(0, 5, "* the segment's best service.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


MAP_SIZE = 100.0  # mm, the square plot of the positioning map
KEY_LINE = 4.5  # mm per line of the map's key
KEY_NOTE = "Circles: segments (size = share). Squares: services."


def _map_rows(content: ReportContent) -> list[str]:
    rows = [
        f"{content.keys[p]}  {content.segment_names.get(p, p)}"
        for p in content.segment_positions.index
    ]
    rows += [
        f"{content.keys[p]}  {content.service_names.get(p, p)}"
        for p in content.service_positions.index
    ]
    return [*rows, KEY_NOTE]


def _map_height(pdf: _Report, content: ReportContent) -> float:
    """The height (mm) the map and its key take: the plot with its axis labels, or the key
    beside it when the key (many or long names) is the taller."""
    key_width = PAGE_WIDTH - 12 - MAP_SIZE - 6
    pdf.set_font(FONT, "", 8)
    lines = sum(
        len(pdf.multi_cell(key_width, KEY_LINE, row, dry_run=True, output="LINES"))
        for row in _map_rows(content)
    )
    return 2 + max(MAP_SIZE + 12, 5 + lines * KEY_LINE + 2)


def _map(pdf: _Report, content: ReportContent) -> None:
    """The two axes, segments as numbered circles and services as lettered squares, then the
    key. Markers carry short labels only, so nothing can run into anything else. The caller
    keeps _map_height free on the page."""
    size = MAP_SIZE
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
    x_axis, y_axis = content.axes
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
    key_left = left + size + 6
    pdf.set_xy(key_left, top)
    pdf.set_font(FONT, "B", 8)
    pdf.cell(0, 5, "Key", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 8)
    for row in _map_rows(content):
        pdf.set_x(key_left)
        pdf.multi_cell(0, KEY_LINE, row, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(top + size + 12, pdf.get_y() + 2))


def _mix(pdf: _Report, content: ReportContent) -> None:
    """The client mix as a table: a long service name wraps inside its cell."""
    pdf.set_font(FONT, "", 9)
    pdf.set_fill_color(255, 255, 255)  # the map leaves its markers' ink as the fill
    with pdf.table(
        col_widths=(90.0, 45.0, 45.0),
        width=PAGE_WIDTH,
        align="LEFT",
        text_align=("LEFT", "RIGHT", "RIGHT"),
        line_height=4.5,
        padding=PADDING,
        headings_style=FontFace(emphasis="BOLD", color=INK),
    ) as table:
        table.row([str(title) for title in content.mix.columns])
        for values in content.mix.itertuples(index=False):
            table.row([str(value) for value in values])


def clinic_report(content: ReportContent) -> bytes:
    """The report as PDF bytes (A4, fonts embedded)."""
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font(FONT, "B", 17)
    pdf.cell(0, 10, "Position my clinic: the report", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _paragraph(
        pdf,
        f"Made on {date_words(content.made_on)} from {content.source} "
        f"({plural(content.clients, 'client')}). Where the shares of a typical client base come "
        "from is on the last page.",
    )
    note = not_printed_note(report_names(content.service_names, content.source))
    if note:
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(0, 5, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    reading = reading_lines(content.notes)
    if reading:
        _heading(pdf, "How your survey was read")
        for line in reading:
            _paragraph(pdf, line, align="L")  # notes quote the owner's columns and cells
    _heading(pdf, "The answer")
    for sentence in content.summary:
        _paragraph(pdf, sentence)
    # each heading stays with its table's header row and first rows (a table moves whole rows
    # to the next page and repeats its header there), with the whole map, with design lines
    _heading(pdf, "Segment fit: how well each service matches each segment", keep=40)
    _heatmap(pdf, content)
    _heading(pdf, "Positioning map", keep=_map_height(pdf, content))
    _map(pdf, content)
    _heading(pdf, "Client mix: the best match of each client", keep=30)
    _mix(pdf, content)
    if content.design:
        _heading(pdf, "A service designed for the gap", keep=12)
        for line in content.design:
            _paragraph(pdf, line)
    if content.sources:
        _heading(pdf, "A typical client base: where its shares come from", keep=12)
        for segment, source in content.sources:
            _paragraph(pdf, f"{segment}: {source}.", align="L")  # addresses do not justify
    return bytes(pdf.output())
