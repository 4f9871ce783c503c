"""The client's take-away: a one-page PDF to print or bring to a therapist, and the numbers as CSV.

The PDF is drawn on the server with fpdf2 (no browser): the verdict, the match chart as native
bars, the clinic's own services on a deployment with a saved menu, reasons on both sides, the
safety note, next steps, the share link and ruled lines for the therapist's notes. Everything
it says comes from one Explanation (advisor.decision.explanation).
It uses black, white and greys only, so it reads the same printed in black and white, and the
bundled font of advisor.printing (DejaVu Sans), like the clinic report, with the same date format.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from fpdf.enums import XPos, YPos

from advisor.about import DEFAULT, Deployment, footer
from advisor.bidi import isolate
from advisor.catalog import Catalog
from advisor.dates import date_words
from advisor.decision.explanation import (
    AFTER_CLEARED,
    NEITHER_ADVICE,
    NOT_MEDICAL_ADVICE,
    Explanation,
    FlagGuidance,
    MenuAnswer,
    Reason,
)
from advisor.decision.scoring import MatchResult
from advisor.decision.sensitivity import CERTAINTY_LABELS
from advisor.decision.share_link import NONE_APPLY
from advisor.files.writing import to_csv_bytes
from advisor.printing import FONT, PdfPage

SOURCE_LINE = (
    'Facts about the two types: our own wording of "Medical and Orthopedic Massage — What is '
    'the difference between medical massage and spa massage?", a short explainer on a massage '
    "clinic's website."
)
AT_THIS_CLINIC = "At this clinic"
MENU_BY = "The services and how well each fits are set by whoever runs this copy:"
PRIORITIES_HEADING = "My priorities, from 0 (does not matter) to 10 (matters most)"
BAR_GREYS = (60, 200)  # fill of the first and second bar: dark and light, both outlined
BODY = 8.0
MAX_ONE_PAGE_ITEMS = 9  # ticked safety items that always fit on one sheet
LINE = 3.5  # mm per line of BODY type
LEADING = 0.41  # mm of line per point of larger type: 1.16 times the type's size
# (reasons per side, body type in points, lines for notes, full safety items), tried in turn
# until the page fits on one sheet: fewer reasons first, then smaller body type with three lines
# for notes instead of four, then the short form of the items that need a provider first (what
# to tell the therapist and whom to look for are for after the provider has cleared the person;
# the item, its guidance and its source stay)
LAYOUTS = (
    (3, BODY, 4, True),
    (2, BODY, 4, True),
    (1, BODY, 4, True),
    (1, 7.5, 3, True),
    (1, 7.0, 3, True),
    (1, 7.0, 3, False),
    (1, 6.0, 3, False),
)


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


def _item(flag: FlagGuidance, full: bool) -> str:
    therapist = f" Tell your therapist: {flag.tell_therapist} Look for: {flag.look_for}"
    if not full and flag.tier == "provider_first":
        therapist = ""
    return f"- {flag.label}. {flag.guidance}{therapist} (Source: {flag.source_name})"


def _safety(pdf: _Page, exp: Explanation, full: bool) -> None:
    """The safety screen's answer: a box listing every ticked item (a thick rule when one
    needs a provider first), else its one-line summary."""
    safety = exp.safety
    if not safety.ticked:
        pdf.para(safety.summary, "B")
        pdf.ln(2)
        return
    top = pdf.get_y()
    pdf.set_line_width(0.8 if exp.needs_provider else 0.3)
    headline, body = exp.safety_note
    pdf.para(headline.upper(), "B", 11)
    pdf.para(body)
    for flag in safety.ticked:
        pdf.para(_item(flag, full), indent=2)
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


def _clinic(pdf: _Page, clinic: MenuAnswer, made: Deployment) -> None:
    """The clinic's services: its verdict (for after a provider has cleared the person, when
    an item needs one), the ranking in one line, and whose menu it is."""
    pdf.heading(AT_THIS_CLINIC)
    if clinic.needs_provider:
        pdf.para(f"{AFTER_CLEARED}:", "B")
    pdf.para(clinic.verdict, "B")
    pdf.para("; ".join(f"{isolate(name)} {pct}%" for _, name, pct in clinic.shown) + ".")
    pdf.para(f"{MENU_BY} {made.made_by}", size=7)


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

    Up to three reasons a side are printed; when that would run onto a second sheet (many
    safety items ticked), fewer are, down to one, then the body type is made smaller, then the
    items that need a provider first are printed short (LAYOUTS). Up to MAX_ONE_PAGE_ITEMS
    ticked items, any of them, fit on one sheet (tests check it); more run onto a second. The
    most compact layout is drawn first when many items are ticked: when even it takes two
    sheets, it is the one used, and the others are not tried.
    """
    day = today or date.today()
    if len(exp.safety.ticked) > MAX_ONE_PAGE_ITEMS:
        compact = _draw(catalog, exp, link, day, LAYOUTS[-1], made)
        if compact.page_no() > 1:
            return bytes(compact.output())
    for layout in LAYOUTS:
        pdf = _draw(catalog, exp, link, day, layout, made)
        if pdf.page_no() == 1:
            break
    return bytes(pdf.output())


def _draw(
    catalog: Catalog,
    exp: Explanation,
    link: str,
    today: date,
    layout: tuple[int, float, int, bool],
    made: Deployment = DEFAULT,
) -> _Page:
    limit, body, note_lines, full = layout
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
    _safety(pdf, exp, full)
    if exp.needs_provider:
        pdf.para(f"{AFTER_CLEARED}:", "B", 10)
    elif exp.health_note:
        pdf.para(f"Health first. {exp.health_note}", "B")
        pdf.ln(2)
    pdf.para(exp.verdict, "B", 11)
    if exp.strength == "neither":
        pdf.para(NEITHER_ADVICE, "B")
    pdf.para(NOT_MEDICAL_ADVICE)
    if exp.strength is None:
        pdf.para(footer(made, catalog), size=7)
        return pdf
    pdf.ln(1)
    _chart(pdf, exp)
    if exp.clinic is not None:
        _clinic(pdf, exp.clinic, made)
    pdf.heading(f"What points to {exp.leader_name}")
    _reasons(pdf, exp.reasons_for, limit)
    if exp.reasons_against:
        pdf.heading("What points the other way")
        _reasons(pdf, exp.reasons_against, limit)
    pdf.heading("What would change the answer, and how firm it is")
    pdf.bullets([*exp.changes[:2], exp.firmness or ""])
    if exp.next_steps:
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


def _reasons(pdf: _Page, reasons: tuple[Reason, ...], limit: int) -> None:
    """Up to `limit` reasons as bullets; when there are more, a line saying so and that the
    link shows them all (the page shows up to three a side)."""
    pdf.bullets([f"{r.text} (Source: {r.section_title})" for r in reasons[:limit]])
    if len(reasons) > limit:
        top = "the top reason" if limit == 1 else f"the top {limit}"
        fit = f"To fit on one page, this shows {top} of {len(reasons)}."
        pdf.para(f"{fit} The link below shows them all.")


def safety_answer(exp: Explanation) -> str:
    """The safety screen's answer as the share link writes it: "none", the ticked ids joined by
    commas, or "not answered"."""
    if not exp.safety.answered:
        return "not answered"
    return ",".join(f.flag_id for f in exp.safety.ticked) or NONE_APPLY


def result_frame(catalog: Catalog, exp: Explanation) -> pd.DataFrame:
    """Per criterion: weight, each type's fit and the points it adds; a row of totals; then a
    row `outcome` (the outcome decided by the explanation: a type id, "tie", "neither" or
    "none" without weights) and a row `safety` (safety_answer), each in the criterion column."""
    result = exp.result
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
    answers = [
        {"criterion_id": "outcome", "criterion": exp.outcome or "none"},
        {"criterion_id": "safety", "criterion": safety_answer(exp)},
    ]
    return pd.concat([frame, pd.DataFrame([total, *answers])], ignore_index=True)


def result_csv(catalog: Catalog, exp: Explanation) -> bytes:
    """result_frame as UTF-8 CSV bytes (advisor.files.writing.to_csv_bytes)."""
    return to_csv_bytes(result_frame(catalog, exp))
