"""Client surveys and menus as owners have them: a forgiving, bounded reader.

Two steps. `read_table` reads a CSV or text file in any common dialect (see dialect.py) or a
workbook sheet (see workbook.py) into a header and cells, skips a second header row of sub-labels,
and proposes which column answers which criterion (see mapping.py). `apply_mapping` turns the
mapped columns into weights 0..10 on a recognised or chosen answer scale (see scales.py).
`read_survey` does both with the proposal, as the command line and the catalog's sample do.

Nothing but InputFileError is raised, and only when nothing can be used; every smaller fault is
reported with its spreadsheet row (the header is row 1) and column, and the good rows are kept.
"""

from __future__ import annotations

import csv
import io
import math
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from advisor.errors import InputFileError
from advisor.files import mapping as mp
from advisor.files.dialect import TextFile, read_text
from advisor.files.scales import AUTO, OWN, SCALES, Scale, recognise, word_key
from advisor.files.workbook import (
    FormulaCells,
    formula_cells,
    is_workbook,
    open_workbook,
    read_sheet,
)
from advisor.files.writing import FORMULA_TRIGGERS, unneutralise

MEGABYTE = 1024 * 1024  # Streamlit's unit for server.maxUploadSize
MAX_BYTES = 100 * MEGABYTE  # the command line's bound
# The bound of a file uploaded in the app; .streamlit/config.toml's server.maxUploadSize is the
# same number (a test checks), so Streamlit and the reader refuse the same files.
UPLOAD_LIMIT_MB = 50
MAX_ROWS = 1_000_000
MAX_COLUMNS = 1_000
MAX_LISTED_PROBLEMS = 20
HEAD_BYTES = 1024 * 1024  # decoded to read the header; pandas reads the rest from the bytes
CLIENT_ID = "client_id"
_FIELDS_ERROR = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_SPARE = "__more_cells__"
_NEUTRALISED = re.compile(
    "'+[" + re.escape("".join(FORMULA_TRIGGERS)) + "]", re.DOTALL
)  # the column past the header: a row with a value there is too long


@dataclass
class RawTable:
    """A file read but not yet mapped.

    `columns` are the header texts (made unique: a repeated one gets " (2)"), `body` the cells
    with columns 0..n-1 (and, for a CSV, one spare column that a too-long row fills), indexed by
    spreadsheet row number. `proposal` is the proposed target of every column. `formulas`, for
    an .xlsx or .xlsm, tells which cells read as empty hold a formula saved without its result.
    """

    name: str
    columns: list[str]
    body: pd.DataFrame
    proposal: list[mp.Proposal]
    notes: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    repeated: set[str] = field(default_factory=set)
    formulas: FormulaCells | None = None

    @property
    def source(self) -> str:
        """The file, and the sheet for a workbook, as a refusal or note names it."""
        return self.name if self.sheet is None else f"{self.name}, sheet {self.sheet!r}"

    def proposed(self) -> dict[str, str]:
        return {p.column: p.target for p in self.proposal}


@dataclass
class SurveyImport:
    """What was read: the good rows, and a plain list of everything that was not right."""

    frame: pd.DataFrame
    problems: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_dropped: int = 0
    encoding: str = "utf-8"
    delimiter: str = ","
    scale: Scale = OWN
    mapping: dict[str, str] = field(default_factory=dict)

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


def _unique(header: list[str], name: str, notes: list[str]) -> tuple[list[str], set[str]]:
    """Header texts, stripped; an empty one named by its position, a repeated one numbered."""
    columns: list[str] = []
    repeated: set[str] = set()
    first: dict[str, int] = {}
    for position, raw in enumerate(header):
        text = str(raw).strip().lstrip("\ufeff") or f"(column {position + 1})"
        key = text.casefold()
        if key in first:
            notes.append(
                f"{name}: header, column {text}: appears more than once; the first one "
                f"(column {first[key] + 1}) is used."
            )
            text = f"{text} ({position + 1})"
            repeated.add(text)
        else:
            first[key] = position
        columns.append(text)
    return columns, repeated


def read_table(
    data: bytes,
    vocabulary: mp.Vocabulary,
    name: str = "survey.csv",
    sheet: str | None = None,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> RawTable:
    """Read a CSV/text file or a workbook sheet (the first unless `sheet` names one).

    Raises InputFileError naming the file (and sheet) when there is nothing to map: too big,
    binary that is no workbook, no header, too many rows or columns.
    """
    check_size(len(data), name, max_bytes)
    if is_workbook(data, name):
        return _read_workbook(data, vocabulary, name, sheet, max_rows)
    text_file = read_text(data, name, head_bytes=HEAD_BYTES)
    text = text_file.text
    if not text.strip() and not text_file.whole:
        text_file = read_text(data, name)  # a head of blank lines: look at the whole file
        text = text_file.text
    if not text.strip():
        raise InputFileError(f"{name}: the file is empty.")
    try:
        header = next(csv.reader(_lines(text), delimiter=text_file.delimiter))
    except (StopIteration, csv.Error) as exc:
        raise InputFileError(f"{name}: the header row cannot be read ({exc}).") from None
    _check_width(len(header), name)
    notes = list(text_file.notes)
    columns, repeated = _unique(header, name, notes)
    proposal = _propose(columns, repeated, vocabulary)
    numeric = {i for i, p in enumerate(proposal) if p.target in vocabulary.criterion_ids}
    body = _read_cells(data, text_file, len(columns), numeric, max_rows, name, notes)
    if len(body) > max_rows:
        raise InputFileError(f"{name}: the file has more than {max_rows:,} rows, the limit.")
    body.index = np.arange(len(body)) + 2 + text_file.skipped_lines
    body = _without_empty_rows(body, name, notes)
    table = RawTable(
        name,
        columns,
        body,
        proposal,
        notes,
        text_file.encoding,
        text_file.delimiter,
        repeated=repeated,
    )
    _skip_sub_labels(table)
    return table


def _lines(text: str) -> Iterator[str]:
    """The lines of `text`, each with its line end, one at a time (no copy of the whole)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _propose(
    columns: list[str], repeated: set[str], vocabulary: mp.Vocabulary
) -> list[mp.Proposal]:
    """The proposal, with a repeated header (already noted) read as not a criterion."""
    return [
        mp.Proposal(p.column, mp.IGNORE, "repeats an earlier column") if p.column in repeated else p
        for p in mp.propose(columns, vocabulary)
    ]


def _check_width(width: int, name: str) -> None:
    if width > MAX_COLUMNS:
        raise InputFileError(
            f"{name}: the header has {width:,} columns; at most {MAX_COLUMNS:,} are read."
        )


def _read_workbook(
    data: bytes, vocabulary: mp.Vocabulary, name: str, sheet: str | None, max_rows: int
) -> RawTable:
    workbook = open_workbook(data, name)
    read = read_sheet(workbook, name, sheet, max_rows)
    chosen, header, body = read.name, read.header, read.body
    _check_width(len(header), name)
    if len(body) > max_rows:
        raise InputFileError(
            f"{name}, sheet {chosen!r}: the sheet has more than {max_rows:,} rows, the limit."
        )
    notes: list[str] = []
    columns, repeated = _unique([_cell_text(v) for v in header], f"{name}, sheet {chosen!r}", notes)
    body[_SPARE] = np.nan
    table = RawTable(
        name,
        columns,
        body,
        _propose(columns, repeated, vocabulary),
        notes,
        "workbook",
        "",
        chosen,
        list(workbook.sheet_names),
        repeated,
        formula_cells(data, read),
    )
    _skip_sub_labels(table)
    return table


def _cell_text(value: object) -> str:
    """A cell as text; a whole number read from a workbook as 7.0 is "7"."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _numbers(column: pd.Series, decimal: str) -> np.ndarray:
    """The numeric value of every cell (NaN where a cell is empty or not a number)."""
    if pd.api.types.is_numeric_dtype(column):
        return column.to_numpy(dtype=float)
    text = column.astype("string").str.strip()
    if decimal == ",":
        text = text.str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


# What survey tools write in a second header row over answer columns (SurveyMonkey: "Response",
# "Open-Ended Response"; other tools: "Answer", "Other (please specify)"), compared by word_key.
SUB_LABELS = {"response", "open-ended response", "answer", "other (please specify)"}


def _skip_sub_labels(table: RawTable, sample: int = 50) -> None:
    """Drop a second header row of sub-labels (such as "Response") with one note.

    The first row is taken for sub-labels when none of its cells is a number, some column that
    is a number in every later row (of the first `sample`) holds text in it, and every such text
    is a sub-label that survey tools write there (SUB_LABELS, e.g. SurveyMonkey's "Response"):
    a first client who answered "n/a" is a client with faulty cells, reported, not a header.
    """
    body = table.body
    if len(body) < 2:
        return
    head = body.iloc[: sample + 1, : len(table.columns)]
    decimal = "," if table.delimiter == ";" else "."
    over_numbers: list[str] = []
    for position in range(head.shape[1]):
        column = head.iloc[:, position]
        numbers = _numbers(column, decimal)
        if np.isfinite(numbers[0]):
            return
        rest = column.iloc[1:]
        if pd.notna(column.iloc[0]) and rest.notna().all() and np.isfinite(numbers[1:]).all():
            over_numbers.append(str(column.iloc[0]))
    if not over_numbers or any(word_key(v) not in SUB_LABELS for v in over_numbers):
        return
    row_number = body.index[0]
    labels = sorted({str(v) for v in body.iloc[0, : len(table.columns)].dropna()})
    table.body = body.iloc[1:]
    table.notes.append(
        f"{table.source}: row {row_number} holds sub-labels under the header "
        f"({', '.join(repr(v) for v in labels[:3])}); it was skipped."
    )


def _without_empty_rows(body: pd.DataFrame, name: str, notes: list[str]) -> pd.DataFrame:
    """The rows with at least one cell, and a note naming the empty rows left out (blank lines
    and lines of delimiters only)."""
    first_empty = body.iloc[:, 0].isna().to_numpy()
    if not first_empty.any():
        return body  # the common case, decided on one column
    empty = first_empty.copy()
    empty[first_empty] = body[first_empty].isna().all(axis=1).to_numpy()
    if not empty.any():
        return body
    rows = body.index[empty]
    shown = ", ".join(str(r) for r in rows[:5]) + (" and more" if len(rows) > 5 else "")
    label = "row" if len(rows) == 1 else "rows"
    notes.append(f"{name}: {len(rows):,} empty {label} left out ({label} {shown}).")
    return body[~empty]


def _options(width: int, numeric: set[int], delimiter: str, max_rows: int) -> dict:
    """pandas.read_csv's options for the cells under the header.

    Every column is read, plus one spare column past the header: a row with more cells than the
    header fills it and is left out (pandas' usecols would drop such cells silently, or refuse
    the whole file when the first row is the long one). Columns in `numeric` are typed by pandas
    (decimal commas in a semicolon file), the others kept as text.
    """
    return {
        "sep": delimiter,
        "header": None,
        "skiprows": 1,
        "names": [*range(width), _SPARE],
        "index_col": False,
        "keep_default_na": False,
        "na_values": [""],
        "skip_blank_lines": False,  # kept, so that row numbers count them; then left out
        "nrows": max_rows + 1,
        "dtype": {i: str for i in range(width) if i not in numeric},
        "decimal": "," if delimiter == ";" else ".",
    }


def _read_cells(
    data: bytes,
    text_file: TextFile,
    width: int,
    numeric: set[int],
    max_rows: int,
    name: str,
    problems: list[str],
) -> pd.DataFrame:
    """The cells under the header, read by pandas' C parser from the file's own bytes.

    The fast way first: pandas decodes the bytes and infers every column's type, and only a
    text column it read as numbers (ids such as 007) is read again as text. A file the C parser
    cannot read whole goes the careful way (`_parse`), which finds and reports the faulty rows.
    """
    options = _options(width, numeric, text_file.delimiter, max_rows)
    text_columns = options.pop("dtype")
    start = _rows_start(data, text_file)
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
        return _parse(text, width, numeric, text_file.delimiter, max_rows, name, problems)
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


def _rows_start(data: bytes, text_file: TextFile) -> int | None:
    """The offset of the first byte after the header line (and any `sep=` line), when the
    header is one line in an encoding where a line end is one byte; else None."""
    if text_file.codec == "utf-16":
        return None
    newline = b"\n" if b"\n" in data else b"\r"
    start = 0
    for _ in range(1 + text_file.skipped_lines):
        end = data.find(newline, start)
        if end < 0 or data.count(b'"', start, end) % 2:
            return None
        start = end + 1
    return start


def _parse(
    text: str,
    width: int,
    numeric: set[int],
    delimiter: str,
    max_rows: int,
    name: str,
    problems: list[str],
) -> pd.DataFrame:
    """The cells under the header (see `_options`), read from the decoded text; a row with too
    many cells, a quote never closed or a fault further on is reported in `problems`."""
    options = _options(width, numeric, delimiter, max_rows)
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
            before = _parse(text[:cut], width, numeric, delimiter, max_rows, name, problems)
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
                f"{name}: {len(bad)} rows have more cells than the header's {width}"
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


def read_survey(
    data: bytes,
    criterion_ids: Sequence[str],
    name: str = "survey.csv",
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    id_column: str = CLIENT_ID,
    id_required: bool = False,
    vocabulary: mp.Vocabulary | None = None,
    scale: str = AUTO,
    sheet: str | None = None,
) -> SurveyImport:
    """Read a survey (or, with `id_column="name"`, a menu) with the proposed mapping.

    Raises InputFileError only when nothing can be used (see `read_table`, `apply_mapping`).
    """
    vocabulary = vocabulary or mp.Vocabulary(tuple(criterion_ids), id_column=id_column)
    table = read_table(data, vocabulary, name, sheet, max_bytes, max_rows)
    if id_required and mp.CLIENT not in table.proposed().values():
        raise InputFileError(f"{name}: the header has no {id_column} column.")
    return apply_mapping(table, table.proposed(), vocabulary, scale)


def apply_mapping(
    table: RawTable, mapping: dict[str, str], vocabulary: mp.Vocabulary, scale: str = AUTO
) -> SurveyImport:
    """The mapped columns as weights 0..10 (one row per client), with every note.

    `mapping` sends each column to a criterion id or a role (mapping.py); `scale` is a key of
    `SCALES`, or "auto" to recognise it from the answers. Personal and ignored columns are not
    copied. A criterion no column gives counts 0, said in a note. A row with an empty, unknown
    or out-of-scale answer is left out and reported by row and column.
    Raises InputFileError when the mapping has a fault or reads no criterion.
    """
    problems = list(table.notes)
    faults = mp.check(mapping, vocabulary)
    if faults:
        raise InputFileError(mapping_fault(table, faults[0], vocabulary))
    positions = {column: i for i, column in enumerate(table.columns)}
    criteria = {t: positions[c] for c, t in mapping.items() if t in vocabulary.criterion_ids}
    _mapping_notes(table, mapping, vocabulary, problems)
    decimal = "," if table.delimiter == ";" else "."
    numbers = {cid: _numbers(table.body[p], decimal) for cid, p in criteria.items()}
    chosen = _scale(table, criteria, numbers, scale)
    if chosen is not OWN:
        problems.append(f"{table.source}: {chosen.note()}")
    elif scale == AUTO and (doubt := _own_scale_doubt(numbers)):
        problems.append(f"{table.source}: {doubt}")
    weights, bad_rows, faults_found = _weights(table, criteria, numbers, chosen, vocabulary)
    _fault_notes(table, faults_found, chosen, problems)
    n = len(table.body)
    dropped = int(bad_rows.sum())
    if dropped:
        problems.append(
            f"{table.name}: {dropped:,} of {n:,} rows have a faulty cell and were left out; "
            + (
                "the other row is used."
                if n - dropped == 1
                else f"the other {n - dropped:,} are used."
            )
        )
    keep = ~bad_rows
    frame = pd.DataFrame(
        weights[keep] if dropped else weights, columns=list(vocabulary.criterion_ids), copy=False
    )
    frame.insert(0, vocabulary.id_column, _ids(table, mapping, keep).array)
    return SurveyImport(
        frame, problems, n, dropped, table.encoding, table.delimiter, chosen, dict(mapping)
    )


def mapping_fault(table: RawTable, fault: str, vocabulary: mp.Vocabulary) -> str:
    """A fault of `mapping.check` as a refusal that names the file and suggests the fix."""
    if fault == mp.NO_CRITERION:
        return (
            f"{table.source}: no column could be matched to a criterion; name the columns by "
            f"criterion id (such as {', '.join(vocabulary.criterion_ids[:3])}), use the "
            "questions of the survey template, or map the columns on the page "
            "(command line: --mapping)."
        )
    return f"{table.source}: the mapping cannot be used: {fault}"


def _mapping_notes(
    table: RawTable, mapping: dict[str, str], vocabulary: mp.Vocabulary, problems: list[str]
) -> None:
    ignored = [c for c, t in mapping.items() if t == mp.IGNORE and c not in table.repeated]
    personal = [c for c, t in mapping.items() if t == mp.PERSONAL]
    if ignored:
        shown = ", ".join(ignored[:10]) + (
            f" and {len(ignored) - 10} more" if len(ignored) > 10 else ""
        )
        problems.append(f"{table.source}: header: unknown columns ignored: {shown}.")
    if personal:
        problems.append(
            f"{table.source}: personal columns left out (never copied into any download): "
            f"{', '.join(personal)}."
        )
    missing = [c for c in vocabulary.criterion_ids if c not in mapping.values()]
    if missing:
        named = [f"{vocabulary.labels[c]} ({c})" if c in vocabulary.labels else c for c in missing]
        problems.append(f"{table.source}: header: missing criteria set to 0: {', '.join(named)}.")


def _scale(
    table: RawTable, criteria: dict[str, int], numbers: dict[str, np.ndarray], key: str
) -> Scale:
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
        cells = column[np.isnan(numbers[cid]) & column.notna().to_numpy()]
        for word, count in cells.map(word_key).value_counts().items():
            words[word] = words.get(word, 0) + int(count)
    return recognise(list(numbers.values()), words)


def _own_scale_doubt(numbers: dict[str, np.ndarray]) -> str | None:
    """When whole-number answers read on the app's own 0-10 scale top out at exactly 5 or 7,
    the survey may have asked 1-5 or 1-7 (with nobody answering 1, or a stray 0): say how they
    were read and how to choose the other scale, rather than assume silently."""
    tops = [float(np.nanmax(v)) for v in numbers.values() if np.isfinite(v).any()]
    if not tops or (max(tops) not in (5.0, 7.0) and max(tops) <= 10):
        return None  # the common case, decided on each column's highest answer
    on_scale = [v[(v >= 0) & (v <= 10)] for v in numbers.values()]  # NaN and faults left out
    on_scale = [v for v in on_scale if v.size]
    if not on_scale or not all(np.array_equal(v, np.rint(v)) for v in on_scale):
        return None  # half points: not the whole-number answers of a 1-5 or 1-7 scale
    low = min(float(v.min()) for v in on_scale)
    high = max(float(v.max()) for v in on_scale)
    if high not in (5.0, 7.0) or low == high:
        return None
    return (
        f"answers run {low:g}-{high:g}, read on the app's own 0-10 scale "
        f"({high:g} = {high:g}); if the survey asked 1-{int(high)}, choose "
        f"that scale (command line: --scale 1-{int(high)})."
    )


def _weights(
    table: RawTable,
    criteria: dict[str, int],
    numbers: dict[str, np.ndarray],
    scale: Scale,
    vocabulary: mp.Vocabulary,
) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int, str]]]:
    """Weights (rows x criteria), the rows with a fault, and the first faults (row, column,
    why) in file order."""
    body = table.body
    n = len(body)
    weights = np.zeros((n, len(vocabulary.criterion_ids)), order="F")  # filled column by column
    bad_rows = body[_SPARE].notna().to_numpy(copy=True)
    faults = [(int(i), -1, "long") for i in np.flatnonzero(bad_rows)[:MAX_LISTED_PROBLEMS]]
    for j, cid in enumerate(vocabulary.criterion_ids):
        if cid not in criteria:
            continue
        column = body[criteria[cid]]
        values = numbers[cid]
        if scale.words:
            levels = column.map(lambda v: scale.words.get(word_key(v)) if pd.notna(v) else None)
            values = pd.to_numeric(levels, errors="coerce").to_numpy(dtype=float)
        weights[:, j] = scale.to_weights(values)
        if ((values >= scale.low) & (values <= scale.high)).all():
            continue  # the common case: every answer on the scale (NaN fails both tests)
        empty = column.isna().to_numpy(copy=True)
        if not pd.api.types.is_numeric_dtype(column):
            empty |= (column.astype("string").str.strip() == "").fillna(True).to_numpy()
        unknown = np.isnan(values) & ~empty
        outside = ~np.isnan(values) & ((values < scale.low) | (values > scale.high))
        for mask, why in ((empty, "empty"), (unknown, "unknown"), (outside, "range")):
            if mask.any():
                bad_rows |= mask
                faults += [(int(i), criteria[cid], why) for i in np.flatnonzero(mask)[:20]]
    faults.sort()
    return weights, bad_rows, faults


def _fault_notes(
    table: RawTable, faults: list[tuple[int, int, str]], scale: Scale, problems: list[str]
) -> None:
    """A note for each of the first faults, by row and column, saying what is wrong."""
    width = len(table.columns)
    listed = faults[:MAX_LISTED_PROBLEMS]
    formulas = _unsaved_formulas(table, listed)
    for i, position, why in listed:
        row = int(table.body.index[i])
        if why == "long":
            problems.append(
                f"{table.source}: row {row}, column {width + 1}: the row has more cells than "
                f"the header's {width}."
            )
            continue
        if formulas.get((row, position), "").startswith("#"):
            detail = (
                f"the cell holds the spreadsheet error {formulas[row, position][:20]}, so it "
                "has no answer; correct the formula or the value in the spreadsheet and save "
                "the file again"
            )
        elif (row, position) in formulas:
            text = formulas[row, position][:40]
            detail = (
                f"the cell holds a formula{f' ({text})' if text else ''} with no saved result, "
                "so it reads as empty; open the file in a spreadsheet program and save it "
                "again (which computes the formula), or export the sheet as CSV"
            )
        else:
            detail = _cell_fault(table.body.iat[i, position], why, scale)
        problems.append(f"{table.source}: row {row}, column {table.columns[position]}: {detail}.")
    if len(faults) > MAX_LISTED_PROBLEMS:
        problems.append(f"{table.name}: ... and more faulty cells, not listed.")


def _unsaved_formulas(
    table: RawTable, faults: list[tuple[int, int, str]]
) -> dict[tuple[int, int], str]:
    """Of the empty cells among `faults`, those holding a formula saved without its result, by
    (sheet row, column position); looked up only in a zipped workbook, only when there are any."""
    empty = {(int(table.body.index[i]), p) for i, p, why in faults if why == "empty"}
    return {} if table.formulas is None else table.formulas.unsaved(empty)


def _cell_fault(value: object, why: str, scale: Scale) -> str:
    """What is wrong with one answer cell, in plain words (`why` as `_weights` gives it)."""
    cell = _cell_text(value)[:40]  # 11, not 11.0
    if why == "empty":
        return "the cell is empty"
    if why == "unknown" and scale.words:
        return (
            f"{cell!r} is not one of the {scale.label}; correct the answer, or choose "
            "the scale the survey used"
        )
    if why == "unknown":
        return f"{cell!r} is not a number"
    return f"{cell!r} is outside {scale.low}..{scale.high}"


def _ids(table: RawTable, mapping: dict[str, str], keep: np.ndarray) -> pd.Series:
    """Each kept row's id as text: the client id column, else row-<spreadsheet row>."""
    column = next((c for c, t in mapping.items() if t == mp.CLIENT), None)
    if column is None:
        return pd.Series([f"row-{r}" for r in table.body.index[keep]], dtype="str")
    cells = table.body[table.columns.index(column)][keep].reset_index(drop=True)
    if not pd.api.types.is_string_dtype(cells) or pd.api.types.is_object_dtype(cells):
        return cells.map(lambda v: "" if pd.isna(v) else unneutralise(_cell_text(v))).astype("str")
    text = cells.fillna("")
    quoted = text.str.startswith("'").to_numpy(dtype=bool)
    if quoted.any():  # drop the apostrophe that writing.neutralise put before a formula
        some = text[quoted]
        text[quoted] = some.where(~some.str.match(_NEUTRALISED), some.str.slice(1))
    return text


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
