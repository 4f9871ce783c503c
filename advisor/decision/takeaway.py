"""The client's take-away: a printable plain-text summary and the numbers as CSV."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date

import pandas as pd

from advisor.catalog import Catalog
from advisor.decision.explanation import (
    SAFETY_NOTE,
    needs_safety_note,
    reason_text,
    robustness_text,
    session_lines,
    tipping_text,
    top_reasons,
    verdict,
)
from advisor.decision.scoring import MatchResult
from advisor.decision.sensitivity import CERTAINTY_LABELS, Robustness, TippingPoint
from advisor.files.writing import to_csv_bytes

WIDTH = 78


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ") or [
        ""
    ]


def summary_text(
    catalog: Catalog,
    result: MatchResult,
    certainty: str,
    red_flags: Sequence[str],
    rob: Robustness | None,
    points: Sequence[TippingPoint],
    preset: str | None = None,
    today: date | None = None,
) -> str:
    """A plain-text page to print or bring to a therapist: priorities, result, reasons, safety."""
    today = today or date.today()
    lines = ["MASSAGE ADVISOR: MY SUMMARY", f"Made on {today.isoformat()}", ""]
    if needs_safety_note(result, list(red_flags)):
        lines += ["SAFETY FIRST", *_wrap(SAFETY_NOTE, "  ")]
        for flag in red_flags:
            lines += _wrap(f"- {catalog.red_flags.at[flag, 'label']}", "  ")
        lines.append("")
    lines.append("MY PRIORITIES (0 = does not matter, 10 = matters most)")
    if preset and preset in catalog.presets.index:
        lines.append(f"  Started from the goal: {catalog.presets.at[preset, 'label']}")
    lines.append(f"  How sure I am of them: {CERTAINTY_LABELS[certainty]}")
    for cid, weight in zip(result.criterion_ids, result.weights, strict=True):
        if weight > 0:
            lines.append(f"  {catalog.criterion_label(cid):<34} {weight:>4.0f}")
    lines += ["", "RESULT", *_wrap(verdict(result, catalog), "  ")]
    for place, (type_id, match) in enumerate(result.ranking(), start=1):
        lines.append(f"  {place}. {catalog.type_name(type_id):<30} {match:5.1f}%")
    reasons = top_reasons(result, catalog)
    if reasons:
        lines += ["", "WHY"]
        for reason in reasons:
            lines += _wrap(f"- {reason_text(reason, result, catalog)}", "  ")
    if points:
        lines += ["", "WHAT WOULD CHANGE IT"]
        for point in points[:3]:
            lines += _wrap(f"- {tipping_text(point, catalog)}", "  ")
    if rob is not None:
        lines += ["", "HOW FIRM IT IS", *_wrap(robustness_text(rob, catalog), "  ")]
    if result.leader is not None:
        lines += ["", f"A TYPICAL {catalog.type_name(result.leader).upper()} SESSION"]
        for aspect, text in session_lines(catalog, result.leader):
            lines += _wrap(f"- {aspect}: {text}", "  ")
    lines += [
        "",
        "This summary compares kinds of massage from one source article. It is not medical",
        "advice.",
    ]
    return "\n".join(lines) + "\n"


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
    return to_csv_bytes(result_frame(catalog, result))
