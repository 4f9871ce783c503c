"""A survey's answers onto weights 0..10: the answer scale, faulty cells and blank answers.

`scale_of` recognises the scale (scales.recognise) from the answers of the rows that are no summary;
an answer that states its own scale ("9/10", "3 out of 5": `out_of`) is read as it states, whatever
the scale; `weights_of` reads every mapped column onto 0..10 and finds the faulty cells by kind (not
a number, `inf` included; outside the scale; a row longer than the header; a formula saved without
its result; a spreadsheet error; for a menu, an empty cell); `fault_notes` makes one note per kind,
with a count and the first few places. In a survey a client is scored on what they answered: a blank
answer, and an answer that cannot be read (one note for all such cells, `unreadable_note`), is NaN
(no weight in the match, in no average); `answered` leaves out a row with no readable answer at all,
`blank_note` names the blanks once. A menu's faulty fit leaves its row out.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from advisor.errors import InputFileError
from advisor.files import mapping as mp
from advisor.files.cells import SPARE
from advisor.files.notes import KEPT, Choice, Note, listing, plural, quoted, rows_text
from advisor.files.scales import AUTO, SCALES, Scale, recognise, word_key

if TYPE_CHECKING:
    from advisor.files.reading import RawTable

MAX_LISTED_PROBLEMS = 20
MAX_FORMULA_LOOKUPS = 200  # blank answer cells of a workbook looked up for a formula


def cell_text(value: object) -> str:
    """A cell as text; a whole number read from a workbook as 7.0 is "7"."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def answers(column: pd.Series, decimal: str) -> tuple[np.ndarray, int]:
    """The numeric value of every cell (NaN where a cell is empty or not a finite number: `inf`,
    `-inf` and `Infinity` are no answer on any scale, so they are faulty cells), and how many
    were written with a percent sign (`80%` is 80)."""
    if pd.api.types.is_numeric_dtype(column):
        values = column.to_numpy(dtype=float)
        infinite = np.isinf(values)
        if infinite.any():
            values = np.where(infinite, np.nan, values)
        return values, 0
    text = column.astype("string").str.strip()
    if decimal == ",":
        text = text.str.replace(",", ".", regex=False)
    values = pd.to_numeric(text, errors="coerce").to_numpy(float, na_value=np.nan, copy=True)
    values[np.isinf(values)] = np.nan
    left = np.isnan(values) & text.notna().to_numpy()
    if not left.any():
        return values, 0
    other = left & ~text.str.isascii().to_numpy(dtype=bool, na_value=True)
    if other.any():  # digits of another script, or full-width forms
        text = text.copy()
        text[other] = text[other].map(_ascii_number)
        if decimal == ",":
            text[other] = text[other].str.replace(",", ".", regex=False)
        read = pd.to_numeric(text[other], errors="coerce").to_numpy(float, na_value=np.nan)
        values[other] = np.where(np.isinf(read), np.nan, read)
        left &= np.isnan(values)
    signed = left & text.str.endswith("%").to_numpy(dtype=bool, na_value=False)
    if signed.any():
        bare = text[signed].str.slice(0, -1).str.strip()
        values[signed] = pd.to_numeric(bare, errors="coerce").to_numpy(float, na_value=np.nan)
        values[np.isinf(values)] = np.nan
    return values, int(np.isfinite(values[signed]).sum())


# Characters that draw nothing, which text copied from a web page or a word processor carries:
# zero-width spaces and joiners, left-to-right and right-to-left marks, the word joiner and a
# byte-order mark inside the text. A cell of these alone is blank; around a number, no part of it.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")

# Any script's decimal digit (a str pattern's \\d is Unicode); the Arabic decimal separator
# and percent sign, which NFKC leaves as they are; a keycap emoji's marks ("4\ufe0f\u20e3" is
# a digit drawn on a key) and the keycap ten
_DIGIT = re.compile(r"\d")
_MARKS = str.maketrans(
    {"\u066b": ".", "\u066a": "%", "\ufe0f": None, "\u20e3": None, "\U0001f51f": "10"}
    | dict.fromkeys(_INVISIBLE_CHARS, None)
)


def _ascii_number(text: str) -> str:
    """A cell written in another script's digits or in full-width forms, in ASCII: "٨" (Arabic-
    Indic eight) is "8", "８０％" is "80%", "٧٫٥" is "7.5", the keycap emoji 4️⃣ is "4", and
    characters that draw nothing (_INVISIBLE_CHARS) are taken out. Other text keeps its words
    (NFKC only makes full-width letters plain), so a word answer is still read as a word."""
    text = unicodedata.normalize("NFKC", text).translate(_MARKS)
    return _DIGIT.sub(lambda digit: str(unicodedata.decimal(digit[0])), text)


# An answer written as a score out of a top: "9/10", "4 / 5", "8 out of 10", "7.5 out of 10",
# "7,5/10" (a decimal comma)
_OUT_OF = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:/|out of)\s*(\d+)\s*$", re.IGNORECASE)
# A star rating drawn as filled stars then empty ones: "★★★★☆" (4 of 5), "⭐⭐☆☆☆".
_STARS = re.compile(r"^\s*([\u2605\u2b50]*)(\u2606*)\s*$")


def out_of(column: pd.Series, values: np.ndarray) -> np.ndarray | None:
    """The weight 0..10 of each cell written as a score out of a top ("9/10", "8 out of 10",
    "4/5", "3 out of 5", or drawn as stars, "★★★★☆": `_stars`), read on the scale it states: N
    out of M is N/M of 10 (4/5 = 8, ★★★★☆ = 8); NaN
    for every other cell. None when no cell is so written. `values` are the cells' numbers
    (`answers`): only cells that are no number are looked at. A score over its top (11/10) or
    out of less than 2 is left unread, so it stays a faulty cell."""
    missing = np.isnan(values)
    if pd.api.types.is_numeric_dtype(column) or not missing.any():
        return None  # the common case, decided on the numbers alone
    left = missing & column.notna().to_numpy()
    if not left.any():
        return None
    text = column[left].astype("string")
    parts = text.str.extract(_OUT_OF)
    score = parts[0].str.replace(",", ".", regex=False)
    score = pd.to_numeric(score, errors="coerce").to_numpy(float, na_value=np.nan)
    top = pd.to_numeric(parts[1], errors="coerce").to_numpy(float, na_value=np.nan)
    stars = _stars(text)
    if stars is not None:
        score, top = np.where(np.isnan(score), stars[0], score), np.fmax(top, stars[1])
    good = np.isfinite(score) & (top >= 2) & (score <= top)
    if not good.any():
        return None
    stated = np.full(len(values), np.nan)
    stated[np.flatnonzero(left)[good]] = score[good] * 10.0 / top[good]
    return stated


# A percent sign closing a cell: ASCII, full-width, Arabic or small
PERCENT_SIGN = re.compile("[%\uff05\u066a\ufe6a]\\s*$")


def percents(column: pd.Series, values: np.ndarray) -> np.ndarray | None:
    """The weight 0..10 of each cell written as a percentage ("80%", "80 %", "８０％"): its
    share of 10 (80% = 8), whatever the scale of the other answers, as for a score out of a
    top; NaN for every other cell. None when no cell is so written. `values` are the cells'
    numbers (`answers`, which reads "80%" as 80); a percentage under 0 or over 100 is left
    unread, so it stays a faulty cell. For a file whose answers are read on 0-100 anyway."""
    if pd.api.types.is_numeric_dtype(column):
        return None
    text = column.astype("string")
    signed = text.str.contains(PERCENT_SIGN).to_numpy(dtype=bool, na_value=False)
    good = signed & (values >= 0) & (values <= 100)
    if not good.any():
        return None
    return np.where(good, values / 10.0, np.nan)


def _stars(text: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """Each cell drawn as a star rating ("★★★★☆"): its filled stars, and the column's top, the
    most stars (filled and empty) any cell draws; NaN for other cells. None unless some cell
    draws an empty star: filled stars alone ("★★★★★") show no top, so they stay unread."""
    parts = text.str.extract(_STARS)
    drawn = parts[0].notna().to_numpy() & (text.str.strip().str.len() > 0).to_numpy(dtype=bool)
    empty = parts[1].str.len().to_numpy(float, na_value=0.0)
    if not (drawn & (empty > 0)).any():
        return None
    filled = parts[0].str.len().to_numpy(float, na_value=np.nan)
    total = filled + empty
    top = np.where(drawn, np.nanmax(np.where(drawn, total, np.nan)), np.nan)
    return np.where(drawn, filled, np.nan), top


def scale_of(
    table: RawTable,
    criteria: dict[str, int],
    numbers: dict[str, np.ndarray],
    key: str,
    signs: int,
    answers: np.ndarray,
) -> Scale:
    """The scale chosen (`key`), or recognised from the `answers` rows (not summary rows)."""
    if key != AUTO:
        if key not in SCALES:
            raise InputFileError(
                f"{table.source}: unknown answer scale {key!r}; choose one of "
                f"{', '.join(SCALES)} or auto."
            )
        return SCALES[key]
    words: dict[str, int] = {}
    for cid, position in criteria.items():
        column = table.body[position]
        if pd.api.types.is_numeric_dtype(column):
            continue
        cells = column[np.isnan(numbers[cid]) & column.notna().to_numpy() & answers]
        for word, count in cells.map(word_key).value_counts().items():
            words[word] = words.get(word, 0) + int(count)
    formatted = sum(1 for p in criteria.values() if p in table.percent) * 2 > len(criteria)
    columns = [v if answers.all() else v[answers] for v in numbers.values()]
    return recognise(columns, words, signs, formatted)


def own_scale_doubt(numbers: dict[str, np.ndarray]) -> Note | None:
    """When answers read on the app's own 0-10 scale look like another scale, say how they were
    read and how to choose the other: whole numbers topping out at exactly 5 or 7 (a 1-5 or 1-7
    survey with nobody answering 1, or a stray 0), or fractions 0..1 (percentages saved as
    fractions, with no percentage format to tell)."""
    tops = [float(np.nanmax(v)) for v in numbers.values() if np.isfinite(v).any()]
    if not tops or (max(tops) not in (5.0, 7.0) and 1 < max(tops) <= 10):
        return None  # the common case, decided on each column's highest answer
    on_scale = [v[(v >= 0) & (v <= 10)] for v in numbers.values()]  # NaN and faults left out
    on_scale = [v for v in on_scale if v.size]
    if not on_scale:
        return None
    low = min(float(v.min()) for v in on_scale)
    high = max(float(v.max()) for v in on_scale)
    if high <= 1 and low < high and not all(np.array_equal(v, np.rint(v)) for v in on_scale):
        return Note(
            "scale",
            f"answers run {low:g}-{high:g}, read on the app's own 0-10 scale ({high:g} = "
            f"{high:g}); if they are percentages saved as fractions (0.8 for 80%), choose "
            "fractions 0-1.",
            choices=(Choice("scale", "0-1"),),
        )
    if not all(np.array_equal(v, np.rint(v)) for v in on_scale):
        return None  # half points: not the whole-number answers of a 1-5 or 1-7 scale
    if high not in (5.0, 7.0) or low == high:
        return None
    return Note(
        "scale",
        f"answers run {low:g}-{high:g}, read on the app's own 0-10 scale "
        f"({high:g} = {high:g}); if the survey asked 1-{int(high)}, choose that scale.",
        choices=(Choice("scale", f"1-{int(high)}"),),
    )


def weights_of(
    table: RawTable,
    criteria: dict[str, int],
    numbers: dict[str, np.ndarray],
    scale: Scale,
    vocabulary: mp.Vocabulary,
    blanks: bool,
    summed: np.ndarray,
    stated: dict[str, np.ndarray] | None = None,
) -> tuple[
    np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, tuple[int, list[tuple[int, int]]]]
]:
    """Weights (rows x criteria), the rows left out for a fault, each row's count of blank
    answers, each row's count of unreadable answers, and the faults found by kind: (how many,
    the first (row index, column position) in file order). Summary rows (`summed`) have no
    faults: they are left out as what they are. `stated` holds, by criterion, the weights of
    the answers that state their own scale (`out_of`: "9/10"), read as they state.

    With `blanks` (a survey: a client is scored on what they answered), a blank answer and an
    answer that cannot be read on the scale (not a number or word of the scale, outside it,
    a formula with no saved result, a spreadsheet error) are NaN: no weight, in no average;
    only a row longer than the header is left out. Without (a menu), an empty or unreadable
    fit leaves its row out."""
    body = table.body
    n = len(body)
    # by column; a survey's weights as float32 (half the memory), a menu's fits as float64
    weights = np.zeros((n, len(vocabulary.criterion_ids)), np.float32 if blanks else float, "F")
    bad_rows = body[SPARE].notna().to_numpy(copy=True) & ~summed
    empty_count = np.zeros(n, dtype=np.int32)
    unread_count = np.zeros(n, dtype=np.int32)
    found: dict[str, tuple[int, list[tuple[int, int]]]] = {}

    def add(kind: str, rows: np.ndarray, position: int) -> None:
        count, first = found.get(kind, (0, []))
        listed = [(int(i), position) for i in rows[:MAX_LISTED_PROBLEMS]]
        found[kind] = (count + len(rows), first + listed)

    if bad_rows.any():
        add("long", np.flatnonzero(bad_rows), -1)
    blank_cells: list[tuple[int, int]] = []
    for j, cid in enumerate(vocabulary.criterion_ids):
        if cid not in criteria:
            continue
        column = body[criteria[cid]]
        values = numbers[cid]
        if scale.words:
            levels = column.map(lambda v: scale.words.get(word_key(v)) if pd.notna(v) else None)
            values = pd.to_numeric(levels, errors="coerce").to_numpy(dtype=float)
        with np.errstate(over="ignore"):  # past float32's range: out of scale, a fault below
            weights[:, j] = scale.to_weights(values)
        if ((values >= scale.low) & (values <= scale.high)).all():
            continue  # the common case: every answer on the scale (NaN fails both tests)
        read = np.zeros(n, dtype=bool)  # answers that state their own scale
        if stated and (own := stated.get(cid)) is not None:
            read = np.isfinite(own)
            weights[read, j] = own[read]
        empty = column.isna().to_numpy(copy=True)
        if not pd.api.types.is_numeric_dtype(column):
            text = column.astype("string").str.replace(_INVISIBLE, "", regex=True)
            empty |= (text.str.strip() == "").fillna(True).to_numpy()
        unknown = np.isnan(values) & ~empty & ~summed & ~read
        outside = ~np.isnan(values) & ((values < scale.low) | (values > scale.high)) & ~summed
        empty &= ~summed
        weights[empty, j] = np.nan
        if blanks:
            empty_count += empty
            if table.formulas is not None and len(blank_cells) < MAX_FORMULA_LOOKUPS:
                rows = np.flatnonzero(empty)[: MAX_FORMULA_LOOKUPS - len(blank_cells)]
                blank_cells += [(int(i), criteria[cid]) for i in rows]
        elif empty.any():
            bad_rows |= empty
            add("empty", np.flatnonzero(empty), criteria[cid])
        for mask, kind in ((unknown, "unknown"), (outside, "range")):
            if mask.any():
                add(kind, np.flatnonzero(mask), criteria[cid])
                if blanks:
                    weights[mask, j] = np.nan
                    unread_count += mask
                else:
                    bad_rows |= mask
    for i, position, code in _formula_blanks(table, blank_cells):
        empty_count[i] -= 1  # a formula or an error: read as no answer, but no blank
        unread_count[i] += 1
        add("error" if code.startswith("#") else "formula", np.array([i]), position)
    for kind, (count, first) in found.items():
        found[kind] = (count, sorted(first))
    return weights, bad_rows, empty_count, unread_count, found


def _formula_blanks(table: RawTable, cells: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Of blank answer cells (row index, column position), those that hold a formula saved
    without its result or a spreadsheet error: a fault, not a blank answer."""
    if table.formulas is None or not cells:
        return []
    by_row = {(int(table.body.index[i]), p): i for i, p in cells}
    return [(by_row[key], key[1], code) for key, code in table.formulas.unsaved(by_row).items()]


_FAULTS = {
    "unknown": ("cell is not a number", "cells are not numbers"),
    "range": ("cell is outside {low}..{high}", "cells are outside {low}..{high}"),
    "empty": ("cell is empty", "cells are empty"),
    "long": (
        "row has more cells than the header's {width}",
        "rows have more cells than the header's {width}",
    ),
    "formula": (
        "cell holds a formula with no saved result, so it reads as empty",
        "cells hold a formula with no saved result, so they read as empty",
    ),
    "error": (
        "cell holds a spreadsheet error, so it has no answer",
        "cells hold a spreadsheet error, so they have no answer",
    ),
}
_FIXES = {
    "formula": "open the file in a spreadsheet program and save it again (which computes the "
    "formula), or export the sheet as CSV",
    "error": "correct the formula or the value in the spreadsheet and save the file again",
}


def fault_notes(
    table: RawTable,
    found: dict[str, tuple[int, list[tuple[int, int]]]],
    scale: Scale,
    blanks: bool = False,
) -> list[Note]:
    """One note per kind of fault: how many, and the first few by row and column. With
    `blanks` (a survey), the cells that cannot be read (UNREADABLE kinds) are one note, since
    each counts as a blank answer (`unreadable_note`)."""
    notes = []
    width = len(table.columns)
    looked_up = _unsaved_formulas(table, found)
    for kind in ("long", "unknown", "range", "empty", "formula", "error"):
        if kind not in found or (blanks and kind in UNREADABLE):
            continue
        count, first = found[kind]
        one, many = _FAULTS[kind]
        if kind == "unknown" and scale.words:
            one, many = (
                f"answer is not one of the {scale.label}",
                (f"answers are not one of the {scale.label}"),
            )
        what = (one if count == 1 else many).format(low=scale.low, high=scale.high, width=width)
        places, rows, columns, values = _places(table, [(*c, kind) for c in first], looked_up)
        text = f"{count:,} {what}: {listing(places, count)}"
        if kind in _FIXES:
            text += f"; {_FIXES[kind]}"
        elif kind == "unknown" and scale.words:
            text += "; correct the answers, or choose the scale the survey used"
        notes.append(
            Note(
                "faults",
                text + ".",
                tuple(rows[:KEPT]),
                tuple(columns[:KEPT]),
                tuple(values[:KEPT]),
            )
        )
    if blanks and (note := unreadable_note(table, found, scale, looked_up)):
        notes.append(note)
    return notes


UNREADABLE = ("unknown", "range", "formula", "error")
_WHY = {
    "unknown": ("not a number", "not numbers"),
    "range": ("outside {low}..{high}", "outside {low}..{high}"),
    "formula": ("formula with no saved result", "formulas with no saved result"),
    "error": ("spreadsheet error", "spreadsheet errors"),
}


def unreadable_note(
    table: RawTable,
    found: dict[str, tuple[int, list[tuple[int, int]]]],
    scale: Scale,
    looked_up: dict[tuple[int, int], str],
) -> Note | None:
    """The one note on the survey answers that cannot be read on the scale (each counts as
    blank): how many, why (by kind), the first few cells by row and column, what the scale
    expects, and how to fix them."""
    kinds = [k for k in UNREADABLE if k in found]
    if not kinds:
        return None
    count = sum(found[k][0] for k in kinds)
    cells = sorted((i, p, k) for k in kinds for i, p in found[k][1])
    places, rows, columns, values = _places(table, cells, looked_up)
    why = dict(_WHY)
    if scale.words:
        why["unknown"] = (f"not one of the {scale.label}",) * 2
    reasons = ", ".join(
        f"{found[k][0]:,} {why[k][found[k][0] != 1].format(low=scale.low, high=scale.high)}"
        for k in kinds
    )
    # the scale's advice last: the place to choose it (Note.worded) follows the sentence
    fixes = [_FIXES[k] for k in ("formula", "error") if k in kinds]
    if "unknown" in kinds or "range" in kinds:
        fixes.append("correct those cells, or choose the scale the survey used")
    text = (
        f"{plural(count, 'answer')} could not be read, so "
        f"{'it counts' if count == 1 else 'they count'} as blank and each client is scored "
        f"on the other answers ({reasons}): "
        f"{listing(places, count)}; expected {scale.label}; {'; '.join(fixes)}."
    )
    chooses = ("unknown" in kinds or "range" in kinds) and Choice("scale")
    return Note(
        "faults",
        text,
        tuple(rows[:KEPT]),
        tuple(columns[:KEPT]),
        tuple(values[:KEPT]),
        choices=(chooses,) if chooses else (),
    )


def _places(
    table: RawTable, cells: list[tuple[int, int, str]], looked_up: dict[tuple[int, int], str]
) -> tuple[list[str], list[int], list[str], list[str]]:
    """Each faulty cell (row index, column position or -1 for the whole row, kind) as a place in
    a note ("'abc' (row 3, column 'x')"), and the rows, columns and values named."""
    places, rows, columns, values = [], [], [], []
    for i, position, kind in cells:
        row = int(table.body.index[i])
        rows.append(row)
        if position < 0:
            places.append(f"row {row}")
            continue
        column = table.columns[position]
        columns.append(column)
        if kind in ("formula", "error"):
            value = looked_up.get((row, position)) or ""
        else:
            value = "" if kind == "empty" else cell_text(table.body.iat[i, position])
        values.append(value)
        shown = f"{quoted(value)} " if value else ""
        places.append(f"{shown}(row {row}, column {quoted(column)})")
    return places, rows, columns, values


def _unsaved_formulas(
    table: RawTable, found: dict[str, tuple[int, list[tuple[int, int]]]]
) -> dict[tuple[int, int], str]:
    """The formula text or error code of the formula and error cells found, by (sheet row,
    column position)."""
    cells = {
        (int(table.body.index[i]), p)
        for kind in ("formula", "error")
        for i, p in found.get(kind, (0, []))[1]
    }
    return {} if table.formulas is None or not cells else table.formulas.unsaved(cells)


def answered(
    table: RawTable,
    empty: np.ndarray,
    unread: np.ndarray,
    asked: int,
    keep: np.ndarray,
    notes: list[Note],
) -> np.ndarray:
    """`keep` without the rows that have no readable answer at all (every answer `empty` or
    `unread`), with one note naming them."""
    none = keep & (empty + unread >= asked)
    if not none.any():
        return keep
    rows = [int(r) for r in table.body.index[none]]
    what = "no answers" if not unread[none].any() else "no answer that could be read"
    if len(rows) == 1:
        text = f"row {rows[0]} has {what}; it was left out."
    else:
        text = f"{len(rows):,} rows have {what} and were left out: {rows_text(rows)}."
    notes.append(Note("no_answers", text, tuple(rows[:KEPT])))
    return keep & ~none


def blank_note(table: RawTable, empty: np.ndarray, keep: np.ndarray) -> Note | None:
    """The one note on the blank answers of the clients kept."""
    blank = empty * keep
    if not blank.any():
        return None
    cells = int(blank.sum())
    rows = np.flatnonzero(blank)
    numbers = [int(table.body.index[i]) for i in rows]
    places = [f"row {r} ({blank[i]})" for r, i in zip(numbers, rows, strict=True)]
    text = (
        f"{plural(cells, 'answer was', 'answers were')} left blank by "
        f"{plural(len(rows), 'client')} ({listing(places)}); each is scored on the questions "
        "they answered, and a blank counts in no average."
    )
    return Note("blanks", text, tuple(numbers[:KEPT]))
