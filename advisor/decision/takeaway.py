"""The client's take-away: a one-page PDF to print or bring to a therapist, and the numbers as CSV.

The PDF is drawn on the server with fpdf2 (no browser): the verdict, the match chart as native
bars, reasons on both sides, the safety note, next steps, the share link and ruled lines for the
therapist's notes. Everything it says comes from one Explanation (advisor.decision.explanation).
It uses black, white and greys only, so it reads the same printed in black and white, and the
bundled font of advisor.printing (DejaVu Sans), like the clinic report, with the same date format.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from fpdf.enums import XPos, YPos

from advisor.about import DEFAULT, Deployment, footer
from advisor.catalog import Catalog
from advisor.decision.explanation import (
    AFTER_CLEARED,
    SAFETY_BODY,
    SAFETY_HEADLINE,
    Explanation,
)
from advisor.decision.scoring import MatchResult
from advisor.decision.sensitivity import CERTAINTY_LABELS
from advisor.files.writing import to_csv_bytes
from advisor.printing import FONT, PdfPage, date_words

SOURCE_LINE = (
    'Facts about the two types: our own wording of "Medical and Orthopedic Massage — What is '
    'the difference between medical massage and spa massage?", a short explainer on a massage '
    "clinic's website. This compares kinds of massage; it is not medical advice."
)
PRIORITIES_HEADING = "My priorities, from 0 (does not matter) to 10 (matters most)"
BAR_GREYS = (60, 200)  # fill of the first and second bar: dark and light, both outlined
BODY = 8.0
LINE = 3.5  # mm per line of BODY type
LEADING = 0.41  # mm of line per point of larger type: 1.16 times the type's size
# (reasons per side, body type in points, lines for notes), tried in turn until the page fits on
# one sheet: fewer reasons first, then smaller body type with three lines for notes instead of
# four (many red flags, every priority set, a long link)
LAYOUTS = ((3, BODY, 4), (2, BODY, 4), (1, BODY, 4), (1, 7.5, 3), (1, 7.0, 3))


class _Page(PdfPage):
    body = BODY

    def heading(self, text: str) -> None:
        self.ln(1.5)
        self.set_font(FONT, "B", 10)
        self.cell(0, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def para(self, text: str, style: str = "", size: float = 0.0, indent: float = 0) -> None:
        size = size or self.body  # 0: the page's body type
        self.set_font(FONT, style, size)
        self.set_x(self.l_margin + indent)
        # larger type, taller lines, so that wrapped lines of a heading never touch
        height = max(LINE * self.body / BODY, size * LEADING)
        self.multi_cell(0, height, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bullets(self, lines: list[str]) -> None:
        for line in lines:
            self.para(f"- {line}", indent=2)


def _safety(pdf: _Page, exp: Explanation) -> None:
    top = pdf.get_y()
    pdf.set_line_width(0.8)
    pdf.para(SAFETY_HEADLINE.upper(), "B", 11)
    pdf.para(SAFETY_BODY)
    for flag in exp.red_flags:
        pdf.para(f"- {flag.label}. {flag.guidance} (Source: {flag.source_name})", indent=2)
    pdf.rect(pdf.l_margin - 2, top - 2, pdf.epw + 4, pdf.get_y() - top + 3)
    pdf.set_line_width(0.2)
    pdf.ln(3)


def _chart(pdf: _Page, exp: Explanation) -> None:
    pdf.set_font(FONT, "B", pdf.body)
    pdf.cell(0, 5, f"Chart: {exp.chart_title}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    label_w, bar_w, height = 38.0, 110.0, 6.0
    x0 = pdf.l_margin + label_w
    for rank, (_, name, pct) in enumerate(exp.shown):
        y = pdf.get_y() + 1
        pdf.set_font(FONT, "", pdf.body)
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_w - 2, height, name, align="R")
        pdf.set_fill_color(BAR_GREYS[min(rank, len(BAR_GREYS) - 1)])
        pdf.rect(x0, y, bar_w, height)
        pdf.rect(x0, y, bar_w * pct / 100, height, style="DF")
        pdf.set_xy(x0 + bar_w + 2, y)
        pdf.set_font(FONT, "B", pdf.body)
        pdf.cell(15, height, f"{pct}%")
        pdf.set_y(y + height)
    pdf.set_font(FONT, "", 7)
    for tick in range(0, 101, 20):
        pdf.set_xy(x0 + bar_w * tick / 100 - 5, pdf.get_y())
        pdf.cell(10, 4, f"{tick}%", align="C")
    pdf.set_xy(pdf.l_margin, pdf.get_y() + 4)
    pdf.para("Match with your priorities, from 0 to 100%.", size=7)


def _notes(pdf: _Page, lines: int) -> None:
    pdf.heading("Notes from your therapist")
    y = pdf.get_y() + 6
    for _ in range(lines):
        pdf.line(pdf.l_margin, y, pdf.l_margin + pdf.epw, y)
        y += 7
    pdf.set_y(y)


def _priorities(catalog: Catalog, result: MatchResult) -> str:
    given = [
        f"{catalog.criterion_label(cid)} {weight:.0f}"
        for cid, weight in zip(result.criterion_ids, result.weights, strict=True)
        if weight > 0
    ]
    return "; ".join(given) + "."


def takeaway_pdf(
    catalog: Catalog,
    exp: Explanation,
    link: str,
    today: date | None = None,
    made: Deployment = DEFAULT,
) -> bytes:
    """One A4 page as PDF bytes: everything in `exp`, the share `link`, lines for notes, and a
    footer saying who made and funds this copy (`made`) and when the data were last reviewed.

    Up to three reasons a side are printed; when that would run onto a second sheet (many red
    flags ticked), fewer are, down to one, then the body type is made smaller (LAYOUTS). Tests
    check that the longest cases stay on one page.
    """
    for layout in LAYOUTS:
        pdf = _draw(catalog, exp, link, today or date.today(), layout, made)
        if pdf.page_no() == 1:
            break
    return bytes(pdf.output())


def _draw(
    catalog: Catalog,
    exp: Explanation,
    link: str,
    today: date,
    layout: tuple[int, float, int],
    made: Deployment = DEFAULT,
) -> _Page:
    limit, body, note_lines = layout
    pdf = _Page()
    pdf.body = body
    pdf.set_margins(16, 14, 16)
    pdf.set_auto_page_break(True, margin=12)
    pdf.set_title("Massage Advisor: my answer")
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 8, "Massage Advisor: my answer", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    sure = CERTAINTY_LABELS[exp.certainty]
    pdf.para(f"Made on {date_words(today)}. How sure I am of my priorities: {sure}.")
    pdf.ln(3)
    if exp.red_flags:
        _safety(pdf, exp)
        pdf.para(f"{AFTER_CLEARED}:", "B", 10)
    elif exp.health_note:
        pdf.para(f"Health first. {exp.health_note}", "B")
        pdf.ln(2)
    pdf.para(exp.verdict, "B", 11)
    if exp.strength is None:
        pdf.para(footer(made, catalog), size=7)
        return pdf
    pdf.ln(1)
    _chart(pdf, exp)
    pdf.heading(f"What points to {exp.leader_name}")
    pdf.bullets([f"{r.text} (Source: {r.section_title})" for r in exp.reasons_for[:limit]])
    if exp.reasons_against:
        pdf.heading("What points the other way")
        against = exp.reasons_against[:limit]
        pdf.bullets([f"{r.text} (Source: {r.section_title})" for r in against])
    pdf.heading("What would change the answer, and how firm it is")
    pdf.bullets([*exp.changes[:2], exp.firmness or ""])
    pdf.heading(f"Next steps for {exp.leader_name}")
    pdf.bullets([f"{s.heading}: {s.text} (Source: {s.section_title})" for s in exp.next_steps])
    pdf.heading(PRIORITIES_HEADING)
    pdf.para(_priorities(catalog, exp.result))
    pdf.heading("Open this answer again")
    pdf.set_font(FONT, "", 7)
    pdf.multi_cell(0, 3.2, link, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _notes(pdf, note_lines)
    pdf.para(f"{SOURCE_LINE} {footer(made, catalog)}", size=7)
    return pdf


def result_frame(catalog: Catalog, result: MatchResult) -> pd.DataFrame:
    """Per criterion: weight, each type's fit and the points it adds; a last row of totals."""
    frame = pd.DataFrame(
        {
            "criterion_id": list(result.criterion_ids),
            "criterion": [catalog.criterion_label(c) for c in result.criterion_ids],
            "weight": result.weights,
        }
    )
    contributions = result.contributions
    for t, tid in enumerate(result.type_ids):
        frame[f"fit_{tid}"] = result.fits[t]
        frame[f"points_{tid}"] = contributions[t].round(4)
    total = {"criterion_id": "total", "criterion": "Match (%)", "weight": result.weights.sum()}
    for t, tid in enumerate(result.type_ids):
        total[f"fit_{tid}"] = float("nan")
        total[f"points_{tid}"] = round(float(result.matches[t]), 4)
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def result_csv(catalog: Catalog, result: MatchResult) -> bytes:
    """result_frame as UTF-8 CSV bytes (advisor.files.writing.to_csv_bytes)."""
    return to_csv_bytes(result_frame(catalog, result))
