"""The engine behind the catalog's check table: rows of Check(file, column, rule, ref), run at once.

A table of `Table` rows says which files there are, what one row of each is called and which
column names a row; a table of `Check` rows says, column by column, what each must hold. Format
rules (ID, TEXT, WHOLE, NUMBER, ONE_OF, UNIQUE, VERSION, DATE, OPTIONAL, LINK, DATE_OR_EMPTY,
SOURCE_DATE) become one pandera schema per file, validated lazily; the rules between files (REF,
EVERY, PAIRS, HAS, SUMS_TO, FILES, LIMITS, GROUPS, REF_OR, COVERS, SOURCED, ROWS) then run on
every file that could be read, so one run reports every fault found, each as one line naming the
file, the spreadsheet row (the header is row 1) and the column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
SHARE_TOLERANCE = 0.005
LIMIT_TOLERANCE = 1e-9

# Format rules: what each cell of the column must look like (one pandera column per file column).
ID = "id"  # a unique id: lower-case letters, digits and _ (ref: none)
TEXT = "text"  # a non-empty cell
WHOLE = "whole"  # a whole number in the range ref = (low, high)
NUMBER = "number"  # a number in the range ref = (low, high)
ONE_OF = "one of"  # one of the values in ref
UNIQUE = "unique"  # no value twice (added to the column's format rule)
VERSION = "version"  # MAJOR.MINOR.PATCH
DATE = "date"  # YYYY-MM-DD
OPTIONAL = "optional"  # any text, or empty
LINK = "link"  # an http:// or https:// address, or empty
DATE_OR_EMPTY = "date or empty"  # YYYY-MM-DD, or empty
SOURCE_DATE = "source date"  # a source's own date: YYYY-MM-DD, YYYY-MM, YYYY or "undated"; or empty
# Rules between rows and files.
REF = "ref"  # every value is a row of the file ref (by its key column)
EVERY = "every"  # every row of the file ref has at least one row here
PAIRS = "pairs"  # exactly one row per pair of rows of the two files the columns ref refer to
HAS = "has"  # the values in ref, which the code relies on, each appear
SUMS_TO = "sums to"  # the column adds up to ref (within SHARE_TOLERANCE)
FILES = "files"  # each value names a file in the folder; every catalog file and ref has a row
LIMITS = "limits"  # the rows of the file ref (type x criterion fits) keep every stated limit
GROUPS = "groups"  # rows sharing a value here number ref = (other column, n), none twice in it
REF_OR = "ref or"  # every value is a row of the file ref[0], or the word ref[1]
COVERS = "covers"  # ref = (column, word): every row of this column's file and that column's
# file has a row here, a row whose value here is `word` counting for every row of its file
SOURCED = "sourced"  # a source named here comes with ref = (addresses, dates): at least one
# address and every date filled; a row naming no source has all of them empty
ROWS = "rows"  # the file has ref = (least, most) rows; most None for no upper bound
FORMATS = (
    ID, TEXT, WHOLE, NUMBER, ONE_OF, UNIQUE, VERSION, DATE, OPTIONAL, LINK, DATE_OR_EMPTY,
    SOURCE_DATE,
)  # fmt: skip

if TYPE_CHECKING:
    import pandera.pandas as pa

PER_ID = re.compile(r"^\{(?P<file>[\w.]+)\}$")  # a column "{criteria.csv}": one per criterion id


@dataclass(frozen=True)
class Table:
    """One catalog file: `noun` names one of its rows in messages; `key` is the column that
    names a row (what other files refer to), None when no column does."""

    file: str
    noun: str
    key: str | None = "id"


@dataclass(frozen=True)
class Check:
    """One rule a column must keep. `column` is a column of `file`, or "{other.csv}" for one
    column per id of that file; `ref` is the rule's argument (a file, a range, values)."""

    file: str
    column: str
    rule: str
    ref: object = None


@dataclass
class _Run:
    folder: Path
    tables: Mapping[str, Table]
    checks: Sequence[Check]
    raw: dict[str, pd.DataFrame] = field(default_factory=dict)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    faults: list[tuple[str, str]] = field(default_factory=list)
    bad_cells: set[tuple[str, object, str]] = field(default_factory=set)

    def fault(self, file: str, where: str, text: str) -> None:
        self.faults.append((file, f"data/{file}: {where}{text}"))

    def problems(self) -> list[str]:
        """Every fault, file by file in table order, each file's in the order found."""
        order = list(self.tables)
        return [text for _, text in sorted(self.faults, key=lambda f: order.index(f[0]))]

    def rows(self, file: str, *columns: str) -> pd.DataFrame | None:
        """The file's rows (validated, else as read) when it has these columns, else None."""
        frame = self.frames.get(file, self.raw.get(file))
        if frame is None or any(c not in frame.columns for c in columns):
            return None
        return frame

    def keys(self, file: str) -> list[str] | None:
        """The ids of a file's rows (its key column), or None when they cannot be relied on:
        the file or the column is missing, or a cell of it broke a rule (reported already)."""
        key = self.tables[file].key
        rows = self.rows(file, key) if key else None
        if rows is None or any(f == file and c == key for f, _, c in self.bad_cells):
            return None
        return list(rows[key])

    def ref_of(self, file: str, column: str) -> str:
        """The file a column refers to, from its REF row."""
        return next(
            str(c.ref) for c in self.checks if (c.file, c.column, c.rule) == (file, column, REF)
        )


def row_name(index: object) -> str:
    """A frame index (0-based, header excluded) as the spreadsheet row a person sees."""
    try:
        return f"row {int(index) + 2}"  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return "the whole file"


def run_checks(
    folder: Path, tables: Sequence[Table], checks: Sequence[Check]
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Read every table's file from `folder` and run every check.

    Returns (file name -> validated frame, numbers coerced, for every file that kept its
    format rules; every problem found, file by file in table order). A rule between files runs
    on a file's rows even when some of them broke a format rule (a cell is reported once), but
    only against ids that kept their own rules (a broken id column would echo in every file
    that refers to it).
    """
    run = _Run(folder, {t.file: t for t in tables}, checks)
    for table in tables:
        frame = _read(folder / table.file, run)
        if frame is not None:
            run.raw[table.file] = frame
            _validate(frame, table, run)
    for check in checks:
        if check.rule not in FORMATS:
            RULES[check.rule](check, run)
    return run.frames, run.problems()


def _read(path: Path, run: _Run) -> pd.DataFrame | None:
    if not path.is_file():
        run.fault(path.name, "", "the file is missing.")
        return None
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        reason = str(exc).splitlines()[0]
        run.fault(path.name, "", f"cannot be read as UTF-8 CSV ({reason}).")
        return None


def _columns(table: Table, run: _Run) -> dict[str, list[Check]] | None:
    """Column name -> its rows, "{file}" columns spelled out; None when the file they spell
    out from could not be read (its own fault is reported)."""
    columns: dict[str, list[Check]] = {}
    for check in run.checks:
        if check.file != table.file:
            continue
        per_id = PER_ID.match(check.column)
        names = run.keys(per_id["file"]) if per_id else [check.column]
        if names is None:
            return None
        for name in names:
            columns.setdefault(name, []).append(check)
    return columns


def _validate(frame: pd.DataFrame, table: Table, run: _Run) -> None:
    # pandera is imported here, not at the top: a start whose catalog was checked before
    # (advisor.catalog_cache) never loads it, about a tenth of a second of the cold start
    import pandera.pandas as pa
    from pandera.errors import SchemaErrors

    columns = _columns(table, run)
    if columns is None:
        return
    pairs = [c.ref for c in run.checks if c.file == table.file and c.rule == PAIRS]
    schema = pa.DataFrameSchema(
        {name: _column(rows) for name, rows in columns.items()},
        strict=True,
        unique=list(pairs[0]) if pairs else None,
    )
    try:
        run.frames[table.file] = schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        _report(exc.failure_cases, table, run)


def _column(rows: Iterable[Check]) -> pa.Column:
    """The pandera column of a file column's rows: its format rules; a column with none (one
    that only refers to other files) must not be empty."""
    import pandera.pandas as pa  # see _validate

    rows = list(rows)
    if not any(check.rule in FORMATS and check.rule != UNIQUE for check in rows):
        rows.append(Check("", "", TEXT))
    dtype: type = str
    checks: list[pa.Check] = []
    unique = False
    for check in rows:
        if check.rule in (WHOLE, NUMBER):
            dtype = int if check.rule == WHOLE else float
            low, high = check.ref  # type: ignore[misc]
            error = f"{{value}} is outside the allowed range ({low}, {high})"
            checks.append(pa.Check.in_range(low, high, error=error))
        elif check.rule == ONE_OF:
            values = tuple(check.ref)  # type: ignore[call-overload]
            error = f"{{value}} is not one of {', '.join(values)}"
            checks.append(pa.Check.isin(values, error=error))
        elif check.rule == TEXT:
            checks.append(pa.Check(_filled, error="the cell is empty"))
        elif check.rule in PATTERNS:
            pattern, error = PATTERNS[check.rule]
            checks.append(pa.Check.str_matches(pattern, error=error))
        unique = unique or check.rule in (ID, UNIQUE)
    return pa.Column(dtype, checks, unique=unique, coerce=dtype is not str)


def _filled(cells: pd.Series) -> pd.Series:
    return cells.str.strip().str.len() > 0


PATTERNS = {
    ID: (ID_PATTERN, "{value} is not a valid id (lower-case letters, digits and _)"),
    VERSION: (r"^\d+\.\d+\.\d+$", "{value} is not a version such as 1.0.0"),
    DATE: (r"^\d{4}-\d{2}-\d{2}$", "{value} is not a date such as 2026-11-28"),
    LINK: (r"^$|^https?://\S+$", "{value} is not a web address (http:// or https://)"),
    DATE_OR_EMPTY: (r"^$|^\d{4}-\d{2}-\d{2}$", "{value} is not a date such as 2026-11-28"),
    SOURCE_DATE: (
        r"^$|^undated$|^\d{4}(-\d{2}(-\d{2})?)?$",
        "{value} is not a date such as 2019, 2019-07 or 2019-07-05, nor 'undated'",
    ),
}


def _report(cases: pd.DataFrame, table: Table, run: _Run) -> None:
    # A cell that is not a number also fails the dtype and range checks of its column (with
    # an internal TypeError as the "value"); report it once, as not a number.
    coerce = cases["check"].astype(str).str.startswith("coerce_dtype")
    not_numbers = set(cases.loc[coerce, "column"])
    per_id = [PER_ID.match(c.column) for c in run.checks if c.file == table.file]
    nouns = [run.tables[m["file"]].noun for m in per_id if m]
    for case in cases.itertuples(index=False):
        check = str(case.check)
        if case.column in not_numbers and not check.startswith("coerce_dtype"):
            continue
        if isinstance(case.column, str):
            run.bad_cells.add((table.file, case.index, case.column))
            where = f"{row_name(case.index)}, column {case.column}: "
        else:  # a column missing or not expected: the header's fault
            where = f"header, column {case.failure_case}: "
        text = _describe(check, case.failure_case, nouns[0] if nouns else None)
        run.fault(table.file, where, text)


def _describe(check: str, value: object, per_id_noun: str | None) -> str:
    if check.startswith(("field_uniqueness", "multiple_fields_uniqueness")):
        return f"{value!r} is a duplicate."
    if check.startswith("coerce_dtype"):
        return f"{value!r} is not a number."
    if check == "column_in_dataframe":
        return "this required column is missing."
    if check == "column_in_schema":
        return f"not a known {per_id_noun} id." if per_id_noun else "this column is not expected."
    return check.replace("{value}", repr(value)) + "."


# --- rules between rows and files -------------------------------------------------------------


def _ref(check: Check, run: _Run) -> None:
    target, rows = str(check.ref), run.rows(check.file, check.column)
    keys = run.keys(target)
    if rows is None or keys is None:
        return
    known, noun = set(keys), run.tables[target].noun
    for index, value in rows[check.column].items():
        if value not in known and (check.file, index, check.column) not in run.bad_cells:
            where = f"{row_name(index)}, column {check.column}: "
            run.fault(check.file, where, f"unknown {noun} {value!r}.")


def _every(check: Check, run: _Run) -> None:
    target, rows = str(check.ref), run.rows(check.file, check.column)
    keys = run.keys(target)
    if rows is None or keys is None:
        return
    present, noun = set(rows[check.column]), run.tables[target].noun
    for key in keys:
        if key not in present:
            run.fault(check.file, f"column {check.column}: ", f"no row for {noun} {key!r}.")


def _pairs(check: Check, run: _Run) -> None:
    first, second = check.ref  # type: ignore[misc]
    files = run.ref_of(check.file, first), run.ref_of(check.file, second)
    rows, keys = run.rows(check.file, first, second), [run.keys(f) for f in files]
    if rows is None or keys[0] is None or keys[1] is None:
        return
    present = set(zip(rows[first], rows[second], strict=True))
    nouns = [run.tables[f].noun for f in files]
    for a in keys[0]:
        for b in keys[1]:
            if (a, b) not in present:
                text = f"no row gives the {check.column} of {nouns[0]} {a!r} on {nouns[1]} {b!r}."
                run.fault(check.file, f"column {check.column}: ", text)


def _has(check: Check, run: _Run) -> None:
    rows = run.rows(check.file, check.column)
    if rows is None:
        return
    table, present = run.tables[check.file], set(rows[check.column])
    for value in check.ref:  # type: ignore[attr-defined]
        if value not in present:
            what = f"{table.noun} {value!r}" if check.column == table.key else repr(value)
            text = f"no row for {what}, which the app relies on."
            run.fault(check.file, f"column {check.column}: ", text)


def _sums_to(check: Check, run: _Run) -> None:
    rows = run.rows(check.file, check.column)
    values = None if rows is None else pd.to_numeric(rows[check.column], errors="coerce")
    if values is None or values.empty or values.isna().any():
        return  # nothing to add up, or a cell that is not a number (reported already)
    total = float(values.sum())
    if abs(total - float(check.ref)) > SHARE_TOLERANCE:  # type: ignore[arg-type]
        text = f"the {check.column}s add up to {total:.3f}, not {check.ref:g}."
        run.fault(check.file, f"column {check.column}: ", text)


def _files(check: Check, run: _Run) -> None:
    rows = run.rows(check.file, check.column)
    if rows is None:
        return
    named = rows[check.column]
    for index, name in named.items():
        if name in run.tables and name not in run.raw:
            continue  # a catalog file that could not be read: its own fault is reported
        if name and not (run.folder / name).is_file():
            where = f"{row_name(index)}, column {check.column}: "
            run.fault(check.file, where, f"{name!r} does not exist.")
    for name in [*run.tables, *check.ref]:  # type: ignore[misc]
        if name != check.file and name not in set(named):
            run.fault(check.file, f"column {check.column}: ", f"no row for {name!r}.")


def _limits(check: Check, run: _Run) -> None:
    """Every stated trade-off holds for the catalog's own types: they are what the service
    designer mixes, and a limit the parents break would leave it nothing to design. Runs on
    the rows as read: a fit that broke its own rule, or an unknown criterion, is skipped here
    (its own rule reports it)."""
    limits = run.rows(check.file, "criterion_a", "criterion_b", check.column)
    profiles = run.rows(str(check.ref), "type_id", "criterion_id", "fit")
    if limits is None or profiles is None:
        return
    profiles_file = str(check.ref)
    fit = pd.to_numeric(profiles["fit"], errors="coerce")
    bad = [i for f, i, c in run.bad_cells if f == profiles_file and c == "fit"]
    numbers = profiles.assign(fit=fit.mask(fit.index.isin(bad)))
    fits = fit_table(numbers.drop_duplicates(["type_id", "criterion_id"]))
    maxima = pd.to_numeric(limits[check.column], errors="coerce")
    for index, a, b in zip(limits.index, limits["criterion_a"], limits["criterion_b"], strict=True):
        if a not in fits.columns or b not in fits.columns:
            continue
        for tid, total in (fits[a] + fits[b]).items():
            if total > maxima[index] + LIMIT_TOLERANCE:
                text = f"{tid!r} has {a} + {b} = {total:g}, over {maxima[index]:g}."
                run.fault(check.file, f"{row_name(index)}, column {check.column}: ", text)


def _groups(check: Check, run: _Run) -> None:
    other, size = check.ref  # type: ignore[misc]
    rows = run.rows(check.file, check.column, other)
    if rows is None:
        return
    for value, group in rows.groupby(check.column, sort=False):
        if len(group) != size:
            text = f"{check.column} {value} has {len(group)} rows, not {size}."
            run.fault(check.file, f"column {check.column}: ", text)
        for index in group.index[group[other].duplicated()]:
            text = f"{group.at[index, other]!r} is on {check.column} {value} twice."
            run.fault(check.file, f"{row_name(index)}, column {other}: ", text)


def _ref_or(check: Check, run: _Run) -> None:
    target, word = check.ref  # type: ignore[misc]
    rows, keys = run.rows(check.file, check.column), run.keys(target)
    if rows is None or keys is None:
        return
    known, noun = {*keys, word}, run.tables[target].noun
    for index, value in rows[check.column].items():
        if value not in known:
            where = f"{row_name(index)}, column {check.column}: "
            run.fault(check.file, where, f"unknown {noun} {value!r} (or {word!r}).")


def _covers(check: Check, run: _Run) -> None:
    other, word = check.ref  # type: ignore[misc]
    first = next(
        str(c.ref[0])
        for c in run.checks
        if (c.file, c.column, c.rule) == (check.file, check.column, REF_OR)
    )  # type: ignore[index]
    second = run.ref_of(check.file, other)
    rows, keys = run.rows(check.file, check.column, other), (run.keys(first), run.keys(second))
    if rows is None or keys[0] is None or keys[1] is None:
        return
    present = set(zip(rows[check.column], rows[other], strict=True))
    nouns = run.tables[first].noun, run.tables[second].noun
    for b in keys[1]:
        for a in keys[0]:
            if (a, b) not in present and (word, b) not in present:
                text = f"no row for {nouns[0]} {a!r} (or {word!r}) on {nouns[1]} {b!r}."
                run.fault(check.file, f"column {check.column}: ", text)


def _sourced(check: Check, run: _Run) -> None:
    addresses, dates = check.ref  # type: ignore[misc]
    rows = run.rows(check.file, check.column, *addresses, *dates)
    if rows is None:
        return
    for index, row in rows.iterrows():
        where = f"{row_name(index)}, column {check.column}: "
        if row[check.column].strip():
            missing = [c for c in dates if not row[c]]
            if not any(row[c] for c in addresses):
                missing.insert(0, " or ".join(addresses))
            if missing:
                text = f"a named source needs {', '.join(missing)} as well."
                run.fault(check.file, where, text)
        elif filled := [c for c in (*addresses, *dates) if row[c]]:
            text = (
                f"no source is named, but {', '.join(filled)} is filled: name the source, or "
                "empty those cells (a row with no source says in its text that none was found)."
            )
            run.fault(check.file, where, text)


def _rows(check: Check, run: _Run) -> None:
    least, most = check.ref  # type: ignore[misc]
    rows = run.rows(check.file, check.column)
    if rows is None:
        return
    if len(rows) < least or (most is not None and len(rows) > most):
        wanted = f"exactly {least}" if least == most else f"at least {least}"
        if most is not None and least != most:
            wanted = f"{least} to {most}"
        text = f"the file has {len(rows)} rows; it must have {wanted}."
        run.fault(check.file, "", text)


def fit_table(profiles: pd.DataFrame) -> pd.DataFrame:
    """profiles.csv rows as a (types x criteria) float frame, both in file order."""
    types = list(dict.fromkeys(profiles["type_id"]))
    criteria = list(dict.fromkeys(profiles["criterion_id"]))
    fits = profiles.pivot(index="type_id", columns="criterion_id", values="fit")
    fits = fits.reindex(index=types, columns=criteria).astype(float)
    fits.index.name = None
    fits.columns.name = None
    return fits


RULES: dict[str, Callable[[Check, _Run], None]] = {
    REF: _ref,
    EVERY: _every,
    PAIRS: _pairs,
    HAS: _has,
    SUMS_TO: _sums_to,
    FILES: _files,
    LIMITS: _limits,
    GROUPS: _groups,
    REF_OR: _ref_or,
    COVERS: _covers,
    SOURCED: _sourced,
    ROWS: _rows,
}
