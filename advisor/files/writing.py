"""Files the app writes for people to open in a spreadsheet: CSV that never runs as a formula.

A text cell that a spreadsheet would run as a formula (it starts with =, +, -, @, a tab, a
carriage return, a line feed or NUL) gets a leading apostrophe; `unneutralise` takes exactly that
apostrophe off again, so an export reads back unchanged (OWASP, "CSV Injection",
https://owasp.org/www-community/attacks/CSV_Injection).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def is_formula(value: str) -> bool:
    """A spreadsheet runs this as a formula, or it is one behind apostrophes of our own making."""
    return value.lstrip("'").startswith(FORMULA_TRIGGERS)


def unneutralise(value: str) -> str:
    """Undo `neutralise`: drop the one apostrophe it put before a formula trigger."""
    if len(value) > 1 and value[0] == "'" and is_formula(value[1:]):
        return value[1:]
    return value


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe.

    A cell already made of apostrophes and a formula gets one more, so that reading the file
    back (which drops one) gives the cell as it was.
    """
    if isinstance(value, str) and is_formula(value):
        return "'" + value
    return value


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV bytes (UTF-8) with text cells neutralised and numbers left as numbers."""
    safe = frame.copy()
    for column in safe.columns:
        series = safe[column]
        if pd.api.types.is_numeric_dtype(series):
            if pd.api.types.is_float_dtype(series) and series.notna().all():
                whole = np.isfinite(series) & (series == np.round(series))
                if whole.all():
                    safe[column] = series.astype("int64")
        else:
            safe[column] = series.astype(object).map(neutralise)
    header = [neutralise(str(c)) for c in safe.columns]
    # The csv writer quotes a cell holding a line break only if the break is part of the line
    # terminator: with a bare \r in some text, end lines with \r\n so that the cell is quoted.
    texts = safe.select_dtypes(exclude="number")
    carriage_return = any("\r" in h for h in header) or any(
        texts[c].astype(str).str.contains("\r", regex=False).any() for c in texts
    )
    terminator = "\r\n" if carriage_return else "\n"
    return safe.to_csv(index=False, header=header, lineterminator=terminator).encode("utf-8")
