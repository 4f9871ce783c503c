"""The cells of a CSV or text file: its first rows for the header, then the rest by pandas.

`head_records` parses the first rows of the decoded head (the csv module, quotes and line breaks
in cells as in any spreadsheet), so that the header can be found among them (headers.py).
`read_cells` reads every row under the header with pandas' C parser, from the file's own bytes
where the header's end can be counted in bytes, else from the text; a file the C parser cannot
read whole is read again carefully (`_parse`), which finds and reports the faulty rows.
`decimal_commas` reads answers written with a decimal comma in a file whose delimiter is not the
semicolon (a quoted "7,5" in a comma-separated file).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Callable, Iterator
from typing import NamedTuple

import numpy as np
import pandas as pd

from advisor.errors import InputFileError
from advisor.files.dialect import TextFile, read_text
from advisor.files.notes import Note, plural

SPARE = "__more_cells__"  # the column past the header: a row with a value there is too long
# A number with a decimal comma: one or two digits after it ("7,5", "72,25%"), so that "1,000"
# (a thousands separator) is never read as 1.
_DECIMAL_COMMA = r"^[-+]?\d+,\d{1,2}%?$"
_FIELDS_ERROR = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


class Record(NamedTuple):
    """One row of the head: its cells (at most `limit` of them), where it ends in the decoded
    text (characters), and how many cells it has in all."""

    cells: list[str]
    end: int
    width: int


def decimal_commas(cells: pd.Series, values: np.ndarray) -> tuple[np.ndarray, int]:
    """Answers written with a decimal comma ("7,5" is 7.5; "72,5%" is 72.5 with its percent
    sign) put into `values` where they are NaN, for a file whose decimal mark is the point (a
    comma-separated file, whose quoted cells may hold a comma, or a workbook's text cells).
    Returns the positions of those read, and how many of them had a percent sign. A comma
    followed by three digits ("1,000") is left alone, as is anything else that is not such a
    number."""
    none = np.array([], dtype=np.intp)
    if pd.api.types.is_numeric_dtype(cells):
        return none, 0
    left = np.isnan(values) & cells.notna().to_numpy()
    if not left.any():
        return none, 0
    text = cells[left].astype("string").str.strip()
    found = text.str.match(_DECIMAL_COMMA).fillna(False).to_numpy(dtype=bool)
    if not found.any():
        return none, 0
    written = text[found]
    signed = written.str.endswith("%").to_numpy(dtype=bool)
    number = written.str.rstrip("%").str.replace(",", ".", regex=False)
    where = np.flatnonzero(left)[found]
    values[where] = pd.to_numeric(number).to_numpy(dtype=float)
    return where, int(signed.sum())


def lines(text: str) -> Iterator[str]:
    """The lines of `text`, each with its line end, one at a time (no copy of the whole)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def head_records(text_file: TextFile, name: str, rows: int, limit: int) -> list[Record]:
    """The first `rows` rows of the decoded head, each cut to `limit` cells. A row the head
    cuts short is left out, unless it is the only one. Raises InputFileError when the first
    row cannot be parsed."""
    consumed = 0

    def counted() -> Iterator[str]:
        nonlocal consumed
        for line in lines(text_file.text):
            consumed += len(line)
            yield line

    records: list[Record] = []
    reader = csv.reader(counted(), delimiter=text_file.delimiter)
    try:
        for cells in reader:
            records.append(Record(cells[:limit], consumed, len(cells)))
            if len(records) >= rows:
                break
    except csv.Error as exc:
        if not records:
            raise InputFileError(f"{name}: the header row cannot be read ({exc}).") from None
    if len(records) > 1 and not text_file.whole and records[-1].end >= len(text_file.text):
        records.pop()  # cut where the head ends
    return records


def _options(width: int, numeric: set[int], delimiter: str, max_rows: int, skip: int) -> dict:
    """pandas.read_csv's options for the cells under the header.

    Every column is read, plus one spare column past the header: a row with more cells than the
    header fills it and is left out (pandas' usecols would drop such cells silently, or refuse
    the whole file when the first row is the long one). Columns in `numeric` are typed by pandas
    (decimal commas in a semicolon file), the others kept as text.
    """
    return {
        "sep": delimiter,
        "header": None,
        "skiprows": skip,
        "names": [*range(width), SPARE],
        "index_col": False,
        "keep_default_na": False,
        "na_values": [""],
        "skip_blank_lines": False,  # kept, so that row numbers count them; then left out
        "nrows": max_rows + 1,
        "dtype": {i: str for i in range(width) if i not in numeric},
        "decimal": "," if delimiter == ";" else ".",
    }


def read_cells(
    data: bytes,
    text_file: TextFile,
    width: int,
    numeric: set[int],
    max_rows: int,
    name: str,
    problems: list[Note],
    skip: int = 1,
    chars: int | None = None,
) -> pd.DataFrame:
    """The cells under the header, read by pandas' C parser from the file's own bytes.

    `skip` rows of the text (the header and any rows above and under it) are skipped; `chars`
    is where the answers start in the decoded text, when known (`head_records`), so that pandas
    starts reading at that byte.

    The fast way first: pandas decodes the bytes and infers every column's type, and only a
    text column it read as numbers (ids such as 007) is read again as text. A file the C parser
    cannot read whole goes the careful way (`_parse`), which finds and reports the faulty rows.
    """
    options = _options(width, numeric, text_file.delimiter, max_rows, skip)
    text_columns = options.pop("dtype")
    start = None if chars is None else _rows_start(data, text_file, chars)
    if start is None:
        options["skiprows"] += text_file.skipped_lines
    else:
        del options["skiprows"]  # the rows are read from their first byte (faster)
    read = {
        "encoding": text_file.codec,
        # a UTF-8 file with a BOM was decoded replacing bad bytes; every other codec was checked
        "encoding_errors": "replace" if text_file.codec == "utf-8-sig" else "strict",
        "engine": "c",
    }

    def rows() -> io.BytesIO:
        source = io.BytesIO(data)
        source.seek(start or 0)
        return source

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            body = pd.read_csv(rows(), **read, **options)
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError, csv.Error, IndexError):
        text = text_file.text if text_file.whole else read_text(data, name).text
        return _parse(text, width, numeric, text_file.delimiter, max_rows, skip, name, problems)
    retype = [
        i
        for i in text_columns
        if not pd.api.types.is_string_dtype(body[i]) and body[i].notna().any()
    ]
    if retype:
        body[retype] = _as_text(rows, read, options, retype, len(body))
    return body


def _as_text(
    rows: Callable[[], io.BytesIO], read: dict, options: dict, columns: list[int], length: int
) -> pd.DataFrame:
    """`columns` read again as text: alone when pandas can line them up with the first read (a
    short first row can stop it), else with every other column."""
    narrow = {k: v for k, v in options.items() if k != "names"}
    try:
        again = pd.read_csv(rows(), **read, **narrow, usecols=columns, dtype=str)
        if len(again) == length and list(again.columns) == columns:
            return again
    except (pd.errors.ParserError, ValueError, KeyError):
        pass
    return pd.read_csv(rows(), **read, **options, dtype=dict.fromkeys(columns, str))[columns]


def _rows_start(data: bytes, text_file: TextFile, chars: int) -> int | None:
    """The offset of the byte where the decoded text's character `chars` starts (after any
    `sep=` line and byte-order mark), in an encoding whose characters can be counted back to
    bytes; else None (also where the answers start with a byte-order mark)."""
    if text_file.codec == "utf-16":
        return None
    head = text_file.text[:chars]
    if "\ufffd" in head:
        return None  # a byte replaced when decoding: its length is unknown
    size = len(head.encode("utf-8")) if text_file.codec.startswith("utf-8") else len(head)
    if text_file.skipped_lines:
        newline = b"\n" if b"\n" in data else b"\r"
        start = data.find(newline) + 1 + size
    else:
        start = size + (3 if text_file.codec == "utf-8-sig" else 0)
    # pandas drops a byte-order mark where it starts reading: an answer row that begins with
    # one (an id of U+FEFF) is read from the file's start instead, and keeps it
    return None if data[start : start + 3] == "\ufeff".encode() else start


def _parse(
    text: str,
    width: int,
    numeric: set[int],
    delimiter: str,
    max_rows: int,
    skip: int,
    name: str,
    problems: list[Note],
) -> pd.DataFrame:
    """The cells under the header (see `_options`), read from the decoded text; a row with too
    many cells, a quote never closed or a fault further on is reported in `problems`."""
    options = _options(width, numeric, delimiter, max_rows, skip)
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
            before = _parse(text[:cut], width, numeric, delimiter, max_rows, skip, name, problems)
            problems.append(
                Note(
                    "faults",
                    f'line {line}: a quote (") opens a cell that is never closed, so this line '
                    "and all after it were left out; "
                    + (
                        "the row before it is used."
                        if len(before) == 1
                        else f"the {len(before):,} rows before it are used."
                    ),
                    (line,),
                )
            )
            return before

        if "EOF inside string" in str(exc) and (before := before_unclosed_quote()) is not None:
            return before
        match = _FIELDS_ERROR.search(str(exc))
        bad: list[int] = []

        def count_bad(fields: list[str]) -> None:
            bad.append(len(fields))
            return None

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", pd.errors.ParserWarning)
                raw = pd.read_csv(
                    io.StringIO(text), engine="python", on_bad_lines=count_bad, **options
                )
        except (pd.errors.ParserError, csv.Error, ValueError, IndexError) as again:
            if (before := before_unclosed_quote()) is not None:
                return before
            raise InputFileError(
                f"{name}: the file cannot be read as CSV ({_first_line(again)})."
            ) from None
        if bad:
            first = f" (first at line {match.group(2)})" if match else ""
            problems.append(
                Note(
                    "faults",
                    f"{plural(len(bad), 'row')} {'has' if len(bad) == 1 else 'have'} more cells "
                    f"than the header's {width}{first}; "
                    f"{'it was' if len(bad) == 1 else 'they were'} skipped.",
                )
            )
        elif not match:
            problems.append(
                Note(
                    "faults",
                    f"the file cannot be read to its end ({_first_line(exc)}); the "
                    f"{len(raw):,} rows read before the fault are used.",
                )
            )
    except (pd.errors.EmptyDataError, ValueError, csv.Error, IndexError) as exc:
        raise InputFileError(
            f"{name}: the file cannot be read as CSV ({_first_line(exc)})."
        ) from None
    return raw.reset_index(drop=True)


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


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
