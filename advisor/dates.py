"""Dates in words, as every page and both PDFs print them.

Kept apart from advisor.printing so that a page that shows a date (Start, Method) does not load
the PDF stack (fpdf2, fontTools) to do it: the Start page is the first a visitor waits for.
"""

from __future__ import annotations

from datetime import date

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_words(day: date) -> str:
    """A date in words, e.g. "29 November 2026" or "1 December 2026".

    English month names whatever the server's locale, the day without a leading zero.
    """
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
