"""Client survey and menu CSVs: a forgiving, bounded reader.

A survey has one row per client, one column per criterion id (0..10) and an optional client_id.
The reader accepts UTF-8 (with or without BOM), UTF-16 with a BOM and Latin-1, commas,
semicolons or tabs. It never
raises anything but InputFileError, and only when nothing can be read; every smaller fault is
reported with its spreadsheet row (the header is row 1) and column, and the good rows are kept.
"""

from __future__ import annotations

import csv
import io
import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from advisor.decision.scoring import WEIGHT_MAX, WEIGHT_MIN
from advisor.errors import InputFileError
from advisor.files.writing import unneutralise

MEGABYTE = 1024 * 1024  # Streamlit's unit for server.maxUploadSize
MAX_BYTES = 100 * MEGABYTE  # the command line's bound
# The bound of a file uploaded in the app; .streamlit/config.toml's server.maxUploadSize is the
# same number (a test checks), so Streamlit and the reader refuse the same files.
UPLOAD_LIMIT_MB = 50
MAX_ROWS = 1_000_000
MAX_COLUMNS = 1_000
MAX_LISTED_PROBLEMS = 20
CLIENT_ID = "client_id"
_FIELDS_ERROR = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_SPARE = "__more_cells__"  # the column past the header: a row with a value there is too long


@dataclass
class SurveyImport:
    """What was read: the good rows, and a plain list of everything that was not right."""

    frame: pd.DataFrame
    problems: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_dropped: int = 0
    encoding: str = "utf-8"
    delimiter: str = ","

    @property
    def rows_kept(self) -> int:
        return len(self.frame)


def _megabytes(size: int) -> str:
    """A size in MB as Streamlit counts them (1 MB = 1024 * 1024 bytes), rounded up, so that a
    file one byte over a bound never reads as equal to it."""
    tenths = math.ceil(size * 10 / MEGABYTE)
    return f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths / 10:.1f}"


def check_size(size: int, name: str, max_bytes: int = MAX_BYTES) -> None:
    """Refuse a file of `size` bytes over `max_bytes`, naming the file, its size and the bound."""
    if size > max_bytes:
        raise InputFileError(
            f"{name}: the file is {_megabytes(size)} MB, over the limit of "
            f"{_megabytes(max_bytes)} MB."
        )


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 with its byte-order mark: what Excel saves as "Unicode text"
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputFileError(
                f"{name}: the file starts like UTF-16 text but cannot be decoded as UTF-16; "
                "save it as CSV UTF-8."
            ) from None
        if "\0" in text[:8192]:
            raise InputFileError(f"{name}: this is not a text CSV file (it contains binary data).")
        return text, "utf-16"
    if b"\0" in data[:8192]:
        raise InputFileError(f"{name}: this is not a text CSV file (it contains binary data).")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        encoding = "utf-8 (with BOM)"
    else:
        encoding = "utf-8"
    try:
        return data.decode("utf-8"), encoding
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _header(text: str, name: str) -> tuple[list[str], str]:
    first = text.split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    delimiter = max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","
    try:
        header = next(csv.reader(io.StringIO(text), delimiter=delimiter))
    except (StopIteration, csv.Error) as exc:
        raise InputFileError(f"{name}: the header row cannot be read ({exc}).") from None
    if len(header) > MAX_COLUMNS:
        raise InputFileError(
            f"{name}: the header has {len(header):,} columns; at most {MAX_COLUMNS:,} are read."
        )
    return [h.strip().lstrip("\ufeff").lower() for h in header], delimiter


def read_survey(
    data: bytes,
    criterion_ids: Sequence[str],
    name: str = "survey.csv",
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    id_column: str = CLIENT_ID,
    id_required: bool = False,
) -> SurveyImport:
    """Read a survey CSV from bytes; raise InputFileError only when nothing can be used.

    `id_column` names the optional text column that identifies a row (a menu uses `name` and
    requires it).
    """
    check_size(len(data), name, max_bytes)
    text, encoding = _decode(data, name)
    if not text.strip():
        raise InputFileError(f"{name}: the file is empty.")
    header, delimiter = _header(text, name)
    problems: list[str] = []

    positions: dict[str, int] = {}
    unknown: list[str] = []
    for position, column in enumerate(header):
        if column in positions:
            problems.append(
                f"{name}: header, column {column}: appears more than once; "
                f"the first one (column {positions[column] + 1}) is used."
            )
        elif column in criterion_ids or column == id_column:
            positions[column] = position
        elif column:
            unknown.append(column)
    present = [c for c in criterion_ids if c in positions]
    if id_required and id_column not in positions:
        raise InputFileError(f"{name}: the header has no {id_column} column.")
    if not present:
        raise InputFileError(
            f"{name}: no column is named after a criterion; the header needs columns such as "
            f"{', '.join(criterion_ids[:3])} (see data/README.md)."
        )
    if unknown:
        shown = ", ".join(unknown[:10]) + (
            f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        )
        problems.append(f"{name}: header: unknown columns ignored: {shown}.")
    missing = [c for c in criterion_ids if c not in positions]
    if missing:
        problems.append(f"{name}: header: missing criteria set to 0: {', '.join(missing)}.")

    raw = _parse(text, header, positions, delimiter, max_rows, name, problems, id_column)
    if len(raw) > max_rows:
        raise InputFileError(f"{name}: the file has more than {max_rows:,} rows, the limit.")

    frame, dropped = _clean(raw, criterion_ids, present, name, problems, id_column)
    return SurveyImport(frame, problems, len(raw), dropped, encoding, delimiter)


def _parse(
    text: str,
    header: list[str],
    positions: dict[str, int],
    delimiter: str,
    max_rows: int,
    name: str,
    problems: list[str],
    id_column: str,
) -> pd.DataFrame:
    # Every column is read, plus one spare column past the header: a row with more cells than
    # the header fills it and is left out (pandas' usecols would drop such cells silently, or
    # refuse the whole file when the first row is the long one).
    options = {
        "sep": delimiter,
        "header": None,
        "skiprows": 1,
        "names": [*range(len(header)), _SPARE],
        "index_col": False,
        "keep_default_na": False,
        "na_values": [""],
        "skip_blank_lines": True,
        "nrows": max_rows + 1,
        "dtype": {positions[id_column]: str} if id_column in positions else None,
        "decimal": "," if delimiter == ";" else ".",
    }
    try:
        with warnings.catch_warnings():
            # a first row two or more cells too long is cut after the spare column, which is
            # enough to find it; pandas warns about the cut
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            raw = pd.read_csv(io.StringIO(text), engine="c", **options)
    except pd.errors.ParserError as exc:

        def before_unclosed_quote() -> pd.DataFrame | None:
            # the rows before a quote that never closes; the rest is one unreadable cell
            unclosed = _unclosed_quote(text)
            if unclosed is None:
                return None
            cut, line = unclosed
            before = _parse(
                text[:cut], header, positions, delimiter, max_rows, name, problems, id_column
            )
            problems.append(
                f'{name}: line {line}: a quote (") opens a cell that is never closed, so this '
                f"line and all after it were left out; the {len(before):,} rows before it are used."
            )
            return before

        if "EOF inside string" in str(exc) and (before := before_unclosed_quote()) is not None:
            return before
        match = _FIELDS_ERROR.search(str(exc))
        bad: list[int] = []

        def skip(fields: list[str]) -> None:
            bad.append(len(fields))
            return None

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", pd.errors.ParserWarning)
                raw = pd.read_csv(io.StringIO(text), engine="python", on_bad_lines=skip, **options)
        except (pd.errors.ParserError, csv.Error, ValueError, IndexError) as again:
            if (before := before_unclosed_quote()) is not None:
                return before
            raise InputFileError(
                f"{name}: the file cannot be read as CSV ({_first_line(again)})."
            ) from None
        if bad:
            first = f" (first at line {match.group(2)})" if match else ""
            problems.append(
                f"{name}: {len(bad)} rows have more cells than the header's {len(header)}"
                f"{first}; they were skipped."
            )
        elif not match:
            problems.append(
                f"{name}: the file cannot be read to its end ({_first_line(exc)}); "
                f"the {len(raw):,} rows read before the fault are used."
            )
    except (pd.errors.EmptyDataError, ValueError, csv.Error, IndexError) as exc:
        raise InputFileError(
            f"{name}: the file cannot be read as CSV ({_first_line(exc)})."
        ) from None
    inverse = {position: column for column, position in positions.items()}
    return raw.rename(columns=inverse).reset_index(drop=True)


def _unclosed_quote(text: str) -> tuple[int, int] | None:
    """Where the quote that is still open at the end of the text opens: the offset of its line
    and the line's number (1-based); None when no quote is left open or it opens in the header."""
    offset = 0
    in_quotes = False
    opened: tuple[int, int] | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if line.count('"') % 2:
            in_quotes = not in_quotes
            if in_quotes:
                opened = (offset, number)
        offset += len(line) + 1
    if not in_quotes or opened is None or opened[1] == 1:
        return None
    return opened


def _clean(
    raw: pd.DataFrame,
    criterion_ids: Sequence[str],
    present: list[str],
    name: str,
    problems: list[str],
    id_column: str,
) -> tuple[pd.DataFrame, int]:
    n = len(raw)
    values = np.zeros((n, len(criterion_ids)))
    bad_rows = raw[_SPARE].notna().to_numpy(copy=True)
    faults: list[tuple[int, str, str]] = [
        (int(i), _SPARE, "long") for i in np.flatnonzero(bad_rows)[:MAX_LISTED_PROBLEMS]
    ]
    for j, cid in enumerate(criterion_ids):
        if cid not in present:
            continue
        column = raw[cid]
        numeric = (
            column.to_numpy(dtype=float)
            if pd.api.types.is_numeric_dtype(column)
            else pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
        )
        empty = column.isna().to_numpy()
        not_number = np.isnan(numeric) & ~empty
        out_of_range = ~np.isnan(numeric) & ((numeric < WEIGHT_MIN) | (numeric > WEIGHT_MAX))
        for mask, why in ((empty, "empty"), (not_number, "not a number"), (out_of_range, "range")):
            if mask.any():
                bad_rows |= mask
                for i in np.flatnonzero(mask)[:MAX_LISTED_PROBLEMS]:
                    faults.append((int(i), cid, why))
        values[:, j] = numeric
    faults.sort()
    width = len(raw.columns) - 1
    for i, cid, why in faults[:MAX_LISTED_PROBLEMS]:
        cell = raw.at[i, cid]
        if why == "long":
            problems.append(
                f"{name}: row {i + 2}, column {width + 1}: the row has more cells than the "
                f"header's {width}."
            )
            continue
        if why == "empty":
            detail = "the cell is empty"
        elif why == "not a number":
            detail = f"{str(cell)[:40]!r} is not a number"
        else:
            detail = f"{str(cell)[:40]!r} is outside 0..10"
        problems.append(f"{name}: row {i + 2}, column {cid}: {detail}.")
    if len(faults) > MAX_LISTED_PROBLEMS:
        problems.append(f"{name}: ... and more faulty cells, not listed.")
    dropped = int(bad_rows.sum())
    if dropped:
        problems.append(
            f"{name}: {dropped:,} of {n:,} rows have a faulty cell and were left out; "
            f"the other {n - dropped:,} are used."
        )
    keep = ~bad_rows
    frame = pd.DataFrame(values[keep], columns=list(criterion_ids))
    if id_column in raw.columns:
        ids = raw[id_column][keep].fillna("").astype(str).map(unneutralise)
        frame.insert(0, id_column, ids.to_numpy(dtype=object))
    else:
        frame.insert(0, id_column, [f"row-{i + 2}" for i in np.flatnonzero(keep)])
    return frame, dropped


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
