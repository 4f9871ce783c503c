"""Rows that are not one client's answer: summary rows, and the same client twice.

Two rules, for any tool's export or hand-kept sheet:

- `summary_rows` finds rows that sum up the clients above them rather than answer: a row
  labelled Average, Mean, Total, Sum, Median, Count, N or Responses, the average sign Ø, or
  Average, Sum or Total in German, French, Spanish, Italian or Dutch (SUMMARY_LABELS, in any
  case, with or without a colon, "=" or a full stop) in the client id column or, without
  one, in the first column; and, among the last SUMMARY_TAIL rows, a row whose every answer
  is the mean, median or sum of the column above it (a summary row whose label was left off,
  from a CSV or a workbook's saved results),
  or, in a workbook, whose answer cells are formulas over the column above (`=AVERAGE(B2:B5)`,
  looked up in a hand-kept sheet's XML, only for a row with a blank or a fraction among its
  answers: see workbook.FormulaCells.formulas). It leaves alone a
  row whose id (or first) cell names a client, whatever its answers add up to, a
  client who happens to answer like the average of fewer than SUMMARY_MIN_ABOVE clients,
  exactly like one client above (a repeat, not a summary), or with whole answers no higher than
  the column's own (an unlabelled row is taken for a summary only when it holds a value no
  client could give), and labels in any other column.
- `repeats` finds clients who answered more than once: the same client id, or without one the
  same respondent id (a column titled like RESPONDENT_TITLES), spaces around an id not counted;
  an empty id, or one that stands for no id (NO_ID: "N/A", "-", "none"), is never a repeat.
  The latest answer is kept: by the timestamp column (titled like TIMESTAMP_TITLES; the
  workbook's own date-times, or text in any common form, with the day and
  month order of dates written as numbers decided once for the whole column: `times_of`; or a
  column wholly of spreadsheet date numbers or Unix seconds or milliseconds: `numeric_times`)
  where there is one, else the last row. A row with a time beats one without; among rows
  without, and among rows of the same latest time, the last is kept; the note names them and
  says how times written as numbers were read. The caller may keep all.
"""

from __future__ import annotations

import contextlib
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from advisor.files.answers import cell_text
from advisor.files.notes import KEPT, Choice, Note, listing, plural, quoted, rows_text
from advisor.files.workbook import FormulaCells

SUMMARY_LABELS = frozenset(
    {"average", "averages", "avg", "mean", "total", "totals", "grand total", "subtotal", "sum"}
    | {"median", "count", "n", "responses", "respondents", "standard deviation", "std dev"}
    # the average sign and the same labels in the languages of the app's spreadsheets' locales
    | {"\u00f8", "\u2300", "mittelwert", "durchschnitt", "summe", "gesamt", "moyenne", "somme"}
    | {"promedio", "media", "suma", "gemiddelde", "totaal", "gemiddeld"}
)
_LABEL_VARIANTS = frozenset(
    form
    for label in SUMMARY_LABELS
    for case in (label, label.title(), label.upper(), label.capitalize())
    for form in (case, case + ":", case + "=", case + " =", case + " :", case + ".")
)
# Ids that stand for no id: how a form or a person writes one left out ("N/A", "-", "none").
_NO_ID_WORDS = ("n/a", "#n/a", "none", "null", "nil", "nan", "unknown", "anonymous")
NO_ID = frozenset(
    {"-", "--", "\u2013", "\u2014", "?"}
    | {form for word in _NO_ID_WORDS for form in (word, word.upper(), word.title())}
)
SUMMARY_TAIL = 3
SUMMARY_MIN_ABOVE = 3
FULL_CHECK_ROWS = 50_000
MEDIAN_ROWS = 10_000  # a median over the column above only in a sheet of at most these rows
_TOLERANCE = 0.051  # a value shown to one decimal still equals the mean it rounds
_REFERENCE = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")
RESPONDENT_TITLES = re.compile(r"^(respondent|participant|user)( ?id)?$|^respondent", re.I)
# Titles of the column that dates each answer, most telling first.
TIMESTAMP_TITLES = tuple(
    re.compile(p, re.I)
    for p in (
        r"^time ?stamp",
        r"submi(t|ssion|tted)|completed|completion|end ?(date|time)|date ?stamp|last action",
        r"\bdate\b|\btime\b|\bwhen\b",
    )
)
_START = re.compile(r"\bstart", re.I)
_ID = re.compile(r"\bid\b|\bno\b|number|#", re.I)


def _labels(cells: pd.Series) -> np.ndarray:
    """True where a cell is a summary label (SUMMARY_LABELS, a colon, "=" or a full stop after
    it allowed, as "Avg."): in lower, Title or UPPER case in any file; in any case and with
    spaces around in a file of at most FULL_CHECK_ROWS rows (a hand-kept sheet), so that an
    export of many rows stays fast."""
    if pd.api.types.is_numeric_dtype(cells):
        return np.zeros(len(cells), dtype=bool)
    found = cells.isin(_LABEL_VARIANTS).to_numpy(dtype=bool, na_value=False, copy=True)
    if len(cells) > FULL_CHECK_ROWS:
        return found
    short = cells.str.len().to_numpy(dtype=float, na_value=np.inf) <= 16
    other = short & ~found  # the rare other spellings: "AVERAGE " or "aVerage"
    if other.any():
        keys = cells[other].str.strip().str.rstrip(":=.").str.strip().str.casefold()
        found[other] = keys.isin(SUMMARY_LABELS).to_numpy(dtype=bool, na_value=False)
    return found


def _sum(values: np.ndarray) -> float:
    """The sum of the numbers in `values` (NaN left out, as np.nansum), without np.nansum's copy
    of a column that has no NaN (the common case)."""
    total = values.sum()
    return float(np.nansum(values) if np.isnan(total) else total)


def summary_rows(
    body: pd.DataFrame,
    label_position: int | None,
    answers: Mapping[str, np.ndarray],
    positions: Mapping[str, int],
    formulas: FormulaCells | None,
) -> tuple[np.ndarray, Note | None]:
    """Which rows of `body` are summaries (see the module docstring), and the one note naming
    them. `answers` are each criterion's numbers (NaN for no number), `positions` its column;
    `label_position` is the column whose cells may label a summary row."""
    found = np.zeros(len(body), dtype=bool)
    why: dict[int, str] = {}
    if label_position is not None:
        labelled = _labels(body[label_position])
        found |= labelled
        for i in np.flatnonzero(labelled)[:KEPT]:
            why[int(i)] = str(body.iat[int(i), label_position]).strip()
    tail = [i for i in range(max(len(body) - SUMMARY_TAIL, 0), len(body)) if not found[i]]
    columns = list(answers.values())
    # each column's sum and count of numbers; columns of words have none
    totals = (
        np.array([_sum(v) for v in columns]),
        np.array([np.count_nonzero(np.isfinite(v)) for v in columns]),
    )
    numeric = totals[1] > 0
    for i in tail:
        unlabelled = label_position is None or _blank(body.iat[i, label_position])
        kind = _over_the_column(columns, i, found, totals) if columns and unlabelled else None
        given = np.array([v[i] for v in columns])[numeric]
        if kind is None and not np.array_equal(given, np.rint(given)):
            # a blank (a formula saved without its result) or a fraction: look for formulas
            kind = _formulas_over_the_column(body, i, positions, formulas)
        if kind:
            found[i] = True
            why[i] = kind
    if not found.any():
        return found, None
    rows = [int(body.index[i]) for i in np.flatnonzero(found)]
    places = [f"row {body.index[i]} ({quoted(why.get(int(i), ''))})" for i in np.flatnonzero(found)]
    text = (
        f"{plural(len(rows), 'row')} {'sums' if len(rows) == 1 else 'sum'} up the clients above "
        f"rather than {'answers' if len(rows) == 1 else 'answer'}, so "
        f"{'it was' if len(rows) == 1 else 'they were'} left out: {listing(places)}."
    )
    return found, Note("summary_rows", text, tuple(rows[:KEPT]), values=tuple(why.values()))


def header_repeats(
    body: pd.DataFrame, columns: Sequence[str], positions: Mapping[str, int]
) -> tuple[np.ndarray, Note | None]:
    """Rows of `body` that repeat the header (two exports pasted one under the other, or a
    second table's header further down), and the one note naming them: every answer cell
    (`positions`, each criterion's column) that is not empty holds its column's title, spaces
    and letter case aside, and at least two do (the one, when one column is mapped). Left
    alone: a row with any other answer. A column read as numbers holds no title, so a file
    whose answers are all numbers is decided without looking at a cell."""
    found = np.zeros(len(body), dtype=bool)
    texts = [p for p in positions.values() if not pd.api.types.is_numeric_dtype(body[p])]
    if not texts or len(body) == 0:
        return found, None
    first = texts[0]  # the rows whose first such cell is its title: the only ones looked at
    cells, title = body[first], columns[first]
    if len(body) <= FULL_CHECK_ROWS:  # a hand-kept sheet: spaces and case aside
        same = cells.map(lambda v: _title_key(v) == _title_key(title), na_action="ignore")
    else:  # an export of many rows: as the header wrote it
        same = cells.isin([title])
    candidates = np.flatnonzero(same.to_numpy(dtype=bool, na_value=False))
    for i in candidates:
        cells = [body.iat[i, p] for p in positions.values()]
        titles = [columns[p] for p in positions.values()]
        given = [(c, t) for c, t in zip(cells, titles, strict=True) if not _blank(c)]
        same = all(_title_key(c) == _title_key(t) for c, t in given)
        found[i] = same and len(given) >= min(2, len(positions))
    if not found.any():
        return found, None
    rows = [int(body.index[i]) for i in np.flatnonzero(found)]
    one = len(rows) == 1
    text = (
        f"{rows_text(rows)} {'repeats' if one else 'repeat'} the header row, so "
        f"{'it was' if one else 'they were'} left out (a file pasted together from two "
        "exports, or a second table under the first)."
    )
    return found, Note("summary_rows", text, tuple(rows[:KEPT]))


def _title_key(cell: object) -> str:
    """A header cell or an answer cell as compared with a title: spaces and case aside."""
    return " ".join(str(cell).split()).casefold()


def _blank(cell: object) -> bool:
    """True for a cell that holds nothing but white space (or no value at all)."""
    return pd.isna(cell) or not str(cell).strip()


def _over_the_column(
    columns: Sequence[np.ndarray], i: int, found: np.ndarray, totals: tuple[np.ndarray, np.ndarray]
) -> str | None:
    """ "the mean/median/sum of the column above" when row i's every answer is that. `totals`
    are every column's sum and count of numbers, so that the rows above are summed by taking
    off the few that are not (row i and those under it, summary rows already found)."""
    row = np.array([v[i] for v in columns])
    answered = np.isfinite(row)
    if i - int(found[:i].sum()) < SUMMARY_MIN_ABOVE or answered.sum() < 2:
        return None
    others = np.ones(len(found), dtype=bool)
    others[:i] = found[:i]
    rest = np.column_stack([v[others] for v in columns])
    sums = (totals[0] - np.nansum(rest, axis=0))[answered]
    counts = (totals[1] - np.isfinite(rest).sum(axis=0))[answered]
    row = row[answered]

    def above() -> np.ndarray:
        keep = ~found[:i]
        return np.column_stack([v[:i][keep] for v, a in zip(columns, answered, strict=True) if a])

    stats = {
        "the mean of the column above": lambda: sums / counts,
        "the sum of the column above": lambda: sums,
    }
    if i <= MEDIAN_ROWS:
        stats["the median of the column above"] = lambda: np.nanmedian(above(), axis=0)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a column of blanks has no median
        kind = next((k for k, f in stats.items() if np.all(np.abs(f() - row) <= _TOLERANCE)), None)
    if kind is None:
        return None
    rows_above = above()
    if (np.abs(rows_above - row) <= _TOLERANCE).all(axis=1).any():
        return None  # exactly one client's answers again: a repeat, not a summary
    return kind if _no_client_answers_so(rows_above, row) else None


def _no_client_answers_so(rows_above: np.ndarray, row: np.ndarray) -> bool:
    """True when the row holds a value no client above could give: a fraction in a column of
    whole answers, or more than any client gave, in a column whose answers vary. A client who
    happens to answer like the column's mean (every answer whole and in range: a column of
    zeros has mean 0) is a client, not an unlabelled summary."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a column of blanks has no extremes
        low, high = np.nanmin(rows_above, axis=0), np.nanmax(rows_above, axis=0)
        whole = np.all(np.isnan(rows_above) | (rows_above == np.rint(rows_above)), axis=0)
        fraction = whole & (np.abs(row - np.rint(row)) > 1e-9)
        return bool(((fraction | (row > high)) & (high > low)).any())


def _formulas_over_the_column(
    body: pd.DataFrame,
    i: int,
    positions: Mapping[str, int],
    formulas: FormulaCells | None,
) -> str | None:
    """The first formula when row i's answer cells are all formulas over the column above."""
    if formulas is None or not positions:
        return None
    row = int(body.index[i])
    cells = {(row, p) for p in positions.values()}
    found = formulas.formulas(cells)
    if len(found) < max(2, len(cells) // 2):
        return None
    for (_, position), text in found.items():
        letter = _letter(formulas.first_column + position)
        refs = _REFERENCE.findall(text.upper())
        if not refs or any(col != letter or int(r) >= row for col, r in refs):
            return None
    return next(iter(found.values()))


def _letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def respondent_column(columns: Sequence[str]) -> int | None:
    """The column that names a respondent when no client id is mapped (RESPONDENT_TITLES)."""
    return next((i for i, c in enumerate(columns) if RESPONDENT_TITLES.search(c.strip())), None)


def timestamp_column(columns: Sequence[str]) -> int | None:
    """The column that dates each answer: a timestamp or submission date before any other
    date or time column; a start date only when nothing else dates the answers; never an id
    column (`Submission ID`)."""
    for pattern in TIMESTAMP_TITLES:
        hits = [i for i, c in enumerate(columns) if pattern.search(c) and not _ID.search(c)]
        ends = [i for i in hits if not _START.search(columns[i])]
        if ends or hits:
            return (ends or hits)[0]
    return None


_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})((?:[ T,].*)?)$")


@dataclass(frozen=True)
class Times:
    """A timestamp column read as date-times (NaT where a cell is blank or cannot be read).
    `day_first` is the order of the dates written as numbers (03/04/2026): True for day first,
    False for month first, None when the column has none; `assumed` says no date showed the
    order (no field over 12), so month first was taken. `numbers` says how a column of numbers
    was read as times (`numeric_times`), with an example; empty for dates and times."""

    stamps: pd.Series
    day_first: bool | None = None
    assumed: bool = False
    example: str = ""
    numbers: str = ""


def times_of(cells: pd.Series, wanted: np.ndarray) -> Times:
    """The `wanted` cells' dates and times (NaT for the others), from a workbook's own
    date-times or from text in any common form.

    Dates written as numbers (03/04/2026, 13.04.2026 14:02, 4-13-26) are read in ONE order for
    the whole column, decided from all its values: a first field over 12 means day first, a
    second field over 12 month first; neither means month first, assumed (`Times.assumed`);
    a value that contradicts the column's order cannot be read (NaT). Other forms (ISO dates,
    month names) are read as they are."""
    if pd.api.types.is_datetime64_any_dtype(cells):
        return Times(cells.where(wanted))
    if (numeric := numeric_times(cells)) is not None:
        return Times(numeric.stamps.where(wanted), numbers=numeric.numbers)
    values = cells.map(lambda v: v if not isinstance(v, str) else _zone_offset(v.strip()))
    text = values[values.map(lambda v: isinstance(v, str))].astype("string")
    parts = text.str.extract(_NUMERIC_DATE).dropna(subset=[0, 1, 2])
    day_first, assumed, example = None, False, ""
    if len(parts):
        first, second = parts[0].astype(int), parts[1].astype(int)
        over_first, over_second = int((first > 12).sum()), int((second > 12).sum())
        day_first = over_first > over_second
        assumed = not over_first and not over_second
        example = str(text[parts.index[0]])
        day, month = (first, second) if day_first else (second, first)
        year = parts[2].astype(int)
        year = year.where(year >= 100, year + 2000)
        iso = (
            year.astype(str).str.zfill(4)
            + "-"
            + month.astype(str).str.zfill(2)
            + "-"
            + day.astype(str).str.zfill(2)
            + parts[3].fillna("").str.replace(",", " ", regex=False)
        )
        values = values.copy()
        values[parts.index] = iso.where((month <= 12) & (day <= 31), "not a date")
        if assumed:
            example += f" as {pd.Timestamp(iso.iloc[0][:10]):%d %B %Y}".replace(" 0", " ", 1)
    stamps = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    with contextlib.suppress(TypeError, ValueError, OverflowError):  # else no time is read
        read = pd.to_datetime(values[wanted], errors="coerce", format="mixed", utc=True)
        stamps[wanted] = read.dt.tz_localize(None).astype("datetime64[ns]")
    return Times(stamps, day_first, assumed, example)


# Numbers that are times, by what they count, each read only when a whole column lies in its
# range (1954 to 2119 for day numbers; 1973 to 2128 for seconds or milliseconds since 1970).
_NUMBER_TIMES = (
    ("spreadsheet date numbers", 20_000, 80_000, "D"),
    ("Unix times in seconds (UTC)", 1e8, 5e9, "s"),
    ("Unix times in milliseconds (UTC)", 1e11, 5e12, "ms"),
)
_SPREADSHEET_EPOCH = pd.Timestamp("1899-12-30")


def numeric_times(cells: pd.Series) -> Times | None:
    """A timestamp column written as numbers, read as times: spreadsheet date serial numbers
    (45678.52 is 21 January 2025 12:28), or Unix epoch seconds or milliseconds, when EVERY
    filled cell is a number in that kind's range (_NUMBER_TIMES); else None (a column with a
    cell that is no number, or numbers of no one kind, is not read this way)."""
    filled = cells.dropna()
    if filled.empty:
        return None
    if pd.api.types.is_numeric_dtype(filled):
        values = filled.to_numpy(dtype=float)
    else:
        text = filled.astype("string").str.strip()
        values = pd.to_numeric(text, errors="coerce").to_numpy(float, na_value=np.nan)
    if not np.isfinite(values).all():
        return None
    low, high = values.min(), values.max()
    for how, start, end, unit in _NUMBER_TIMES:
        if start <= low and high < end:
            if unit == "D":
                read = _SPREADSHEET_EPOCH + pd.to_timedelta(values, unit="D")
            else:
                read = pd.to_datetime(values, unit=unit)
            stamps = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
            stamps[filled.index] = read.round("s").astype("datetime64[ns]")
            first = stamps[filled.index[0]]
            example = f"{cell_text(filled.iloc[0])} is {first.day} {first:%B %Y %H:%M}"
            return Times(stamps, numbers=f"{how}, so {example}")
    return None


# "GMT+2", "UTC-05:30", "GMT+0200 (CEST)": an offset east (+) or west (-) of UTC, as forms
# write it; pandas reads "GMT+2" the POSIX way round (2 hours WEST), so it is rewritten "+02:00"
_ZONE = re.compile(r"\s*\b(?:GMT|UTC)\s*([+-])(\d{1,2})(?::?(\d{2}))?\b(?:\s*\([A-Za-z ]+\))?")


def _zone_offset(text: str) -> str:
    """A time's "GMT+N" or "UTC+HH:MM" zone as an ISO offset ("+0N:00"), its name in brackets
    dropped: "2025/10/26 2:50:00 AM GMT+2" is "2025/10/26 2:50:00 AM +02:00" (00:50 UTC)."""
    return _ZONE.sub(lambda m: f" {m[1]}{int(m[2]):02d}:{m[3] or '00'}", text)


def no_id(ids: pd.Series) -> np.ndarray:
    """True where an id (text without the spaces around it) is empty or stands for no id
    (NO_ID: "N/A", "-", "none", "anonymous", in lower, Title or UPPER case)."""
    return ((ids == "") | ids.isin(NO_ID)).to_numpy(dtype=bool, na_value=True)


def repeats(
    ids: pd.Series,
    rows: pd.Index,
    times: pd.Series | None,
    keep_all: bool,
    what: str,
    time_title: str | None,
) -> tuple[np.ndarray, Note | None, dict[str, tuple[int, ...]]]:
    """Which rows to keep (all but the earlier answers of a repeated id, unless `keep_all`),
    the one note naming each repeated id and its rows, and those rows by id. `ids` are the
    kept rows' ids (text), `rows` their spreadsheet rows, `times` their timestamps (or None)."""
    keep = np.ones(len(ids), dtype=bool)
    if ids.is_unique:
        return keep, None, {}  # the common case, decided by one hash of the ids
    twice = ids.duplicated(keep=False).to_numpy(copy=True)
    if twice.any():  # an empty id is no client: never a repeat
        some = ids[twice]
        twice[twice] = some.notna().to_numpy() & ~no_id(some.astype("string").str.strip())
    if not twice.any():
        return keep, None, {}
    order = np.arange(len(ids))
    groups = pd.Series(order[twice]).groupby(ids[twice].to_numpy(), sort=False)
    read = times_of(times, twice) if times is not None else None
    stamps = read.stamps.to_numpy() if read is not None else None
    places, values, rows_named, untimed, tied = [], [], [], [], []
    grouped: dict[str, tuple[int, ...]] = {}
    compared = False  # two or more rows of one client compared by their times
    for client, members in groups:
        positions = members.to_numpy()
        latest = positions[-1]
        if stamps is not None:
            timed = positions[~pd.isna(stamps[positions])]
            compared |= len(timed) > 1
            if len(timed):  # a row with a time beats one without; the last of the latest
                when = stamps[timed]
                tops = timed[np.flatnonzero(when == when.max())]
                latest = tops[-1]
                if len(tops) > 1 and not keep_all:
                    tied.append(_tied(client, tops, rows))
            if len(timed) < len(positions) and not keep_all:
                untimed.append(_untimed(client, positions, timed, latest, rows))
        if not keep_all:
            keep[positions] = False
            keep[latest] = True
        numbers = [int(rows[p]) for p in positions]
        grouped[str(client)] = tuple(numbers)
        rows_named += numbers
        values.append(str(client))
        places.append(f"{quoted(client)} ({listing([f'row {n}' for n in numbers], shown=4)})")
    count = len(places)
    if keep_all:
        chosen = "every answer is kept, as chosen"
    elif read is None:
        chosen = f"the last row{' of each' if count > 1 else ''} is kept"
    else:
        chosen = (
            f"the latest answer{' of each' if count > 1 else ''} is kept (by {quoted(time_title)}"
            + (_order(read) if compared and read.day_first is not None else "")
            + (f"; times read as {read.numbers}" if read.numbers else "")
            + ")"
            + (f"; {listing(untimed, shown=3)}" if untimed else "")
            + (f"; {listing(tied, shown=3)}" if tied else "")
        )
    text = f"{plural(count, what)} answered more than once: {listing(places)}; {chosen}" + (
        "." if keep_all else "; to score every answer, choose keep all."
    )
    note = Note(
        "repeats",
        text,
        tuple(rows_named[:KEPT]),
        values=tuple(values[:KEPT]),
        choices=() if keep_all else (Choice("keep_repeats"),),
    )
    return keep, note, grouped


def _untimed(
    client: object, positions: np.ndarray, timed: np.ndarray, latest: int, rows: pd.Index
) -> str:
    """How one client's answer was chosen when some of their rows have no readable time."""
    missing = [int(rows[p]) for p in positions if p not in timed]
    kept = int(rows[latest])
    if len(timed):
        return (
            f"{rows_text(missing)} of {quoted(client)} {'has' if len(missing) == 1 else 'have'} "
            f"no time that can be read, so row {kept}, which has one, is kept"
        )
    return (
        f"no row of {quoted(client)} has a time that can be read, so the last, row {kept}, is kept"
    )


def _tied(client: object, tops: np.ndarray, rows: pd.Index) -> str:
    """How one client's answer was chosen when their latest time is given by several rows."""
    numbers = [int(rows[p]) for p in tops]
    return (
        f"{rows_text(numbers)} of {quoted(client)} have the same latest time, so the tie was "
        f"broken by file order: the last, row {numbers[-1]}, is kept"
    )


def _order(read: Times) -> str:
    """How the dates written as numbers were read: day or month first, and whether assumed."""
    order = "day first" if read.day_first else "month first"
    if not read.assumed:
        return f"; dates read {order}, as the column shows"
    return f"; dates read {order} ({read.example}), since no date shows the order"
