"""Client surveys and menus as owners have them: a forgiving, bounded reader.

Two steps. `read_table` reads a CSV or text file in any common dialect (see dialect.py) or a
workbook sheet (see workbook.py) into a header and cells: it finds the header among the first
rows (headers.py: a title above it, a question row over a row of labels, a row of sub-labels or
tool data under it) and, in a workbook of several sheets, the sheet whose columns match best;
then it proposes which column answers which criterion (see mapping.py). `apply_mapping` turns
the mapped columns into weights 0..10 on a recognised or chosen answer scale (see scales.py),
leaves out rows that are no client's answer (summary rows, a client's earlier answers: rows.py)
and reads a blank answer as no answer. `read_survey` does both with the proposal, as the command
line and the catalog's sample do.

Every decision is one note (notes.Note, its `kind` in brackets): where the header is (header), which
sheet was read (sheet), the answer scale, from the answers or the question titles' hints, the titles
whose scale the answers were not read on, numbered answer words out of step with their words, and
answers that state their own scale such as 9/10 (scale: each counting the rows kept, not those left
out), summary rows left out (summary_rows), repeated clients (repeats), blank answers (blanks), rows
with no answer (no_answers), faulty cells by kind (faults), columns ignored or personal (ignored),
columns repeated or criteria missing (columns), a weak mapping that leaves answers unread (mapping:
`unread_answers`), the text file's encoding and decimal commas read in a comma-separated file, and
client ids a spreadsheet would run as a formula, which every file the app writes gives an apostrophe
(text). The caller can decide otherwise: `header_rows` and `sheet` (read_table), `scale` and
`keep_repeats` (apply_mapping); a note names such a choice (notes.Choice), which each reader words
for where the owner is.

Nothing but InputFileError is raised, and only when nothing can be used; every smaller fault is
reported with its spreadsheet row and column, and the good rows are kept. Rows are numbered as
the file or sheet shows them (the first line is row 1, a `sep=` line included).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from python_calamine import CalamineSheet, CalamineWorkbook

from advisor.errors import InputFileError
from advisor.files import mapping as mp
from advisor.files import rows as summary
from advisor.files.answers import (
    PERCENT_SIGN,
    answered,
    answers,
    blank_note,
    cell_text,
    fault_notes,
    out_of,
    own_scale_doubt,
    percents,
    scale_of,
    weights_of,
)
from advisor.files.cells import SPARE, decimal_commas, head_records, read_cells
from advisor.files.dialect import read_text, utf16_marked
from advisor.files.headers import HEAD_ROWS, Header, find_header, header_note
from advisor.files.notes import (
    COMMAND_LINE,
    KEPT,
    Choice,
    Note,
    Wording,
    listing,
    plural,
    quoted,
    rows_text,
    with_choices,
)
from advisor.files.scales import (
    ANSWER_WORDS,
    AUTO,
    OWN,
    SCALES,
    Scale,
    out_of_step,
    word_key,
)
from advisor.files.workbook import (
    FormulaCells,
    formula_cells,
    head_rows,
    is_workbook,
    open_workbook,
    percent_columns,
    read_sheet,
    sheet_names,
)
from advisor.files.writing import FORMULA_TRIGGERS, unneutralise

MEGABYTE = 1024 * 1024  # Streamlit's unit for server.maxUploadSize
MAX_BYTES = 100 * MEGABYTE  # the command line's bound
# The bound of a file uploaded in the app; .streamlit/config.toml's server.maxUploadSize is the
# same number (a test checks), so Streamlit and the reader refuse the same files.
UPLOAD_LIMIT_MB = 50
MAX_ROWS = 1_000_000
MAX_COLUMNS = 1_000
HEAD_BYTES = 1024 * 1024  # decoded to read the header; pandas reads the rest from the bytes
CLIENT_ID = "client_id"
_NEUTRALISED = re.compile("'+[" + re.escape("".join(FORMULA_TRIGGERS)) + "]", re.DOTALL)


@dataclass
class RawTable:
    """A file read but not yet mapped.

    `columns` are the header texts without formatting (made unique: a repeated one gets " (2)"),
    `body` the cells with columns 0..n-1 (and one spare column that a too-long row fills),
    indexed by spreadsheet row number. `proposal` is the proposed target of every column.
    `header_rows` are the spreadsheet rows taken as the header (two for a question row over a
    row of labels) and `skipped_rows` the rows above and under it left out. `sheet` is the sheet
    read and `sheets` all the workbook's sheets. `percent` are the columns whose cells are in a
    percentage number format. `formulas`, for an .xlsx or .xlsm, looks up cells' formulas.
    """

    name: str
    columns: list[str]
    body: pd.DataFrame
    proposal: list[mp.Proposal]
    notes: list[Note] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    repeated: set[str] = field(default_factory=set)
    formulas: FormulaCells | None = None
    header_rows: tuple[int, ...] = (1,)
    skipped_rows: tuple[int, ...] = ()
    percent: frozenset[int] = frozenset()

    @property
    def source(self) -> str:
        """The file, and the sheet for a workbook, as a refusal or note names it."""
        return self.name if self.sheet is None else f"{self.name}, sheet {self.sheet!r}"

    def proposed(self) -> dict[str, str]:
        return {p.column: p.target for p in self.proposal}


@dataclass
class SurveyImport:
    """What was read: the good rows (a blank answer is NaN: no weight, in no average), and a
    note on every decision and fault (`notes`; `problems` are their texts).

    `source` names the file (and sheet) once, for whoever shows the notes. `rows_read` counts
    the rows under the header, `rows_dropped` those left out (faulty, summary rows, rows with no
    answer, a client's earlier answers). `repeats` maps each
    client (or respondent) id given more than once to its rows; `timestamp` is the column whose
    times picked each repeated client's latest answer (None when no time was used).
    """

    frame: pd.DataFrame
    notes: list[Note] = field(default_factory=list)
    rows_read: int = 0
    rows_dropped: int = 0
    encoding: str = "utf-8"
    delimiter: str = ","
    scale: Scale = OWN
    mapping: dict[str, str] = field(default_factory=dict)
    source: str = ""
    sheet: str | None = None
    header_rows: tuple[int, ...] = (1,)
    repeats: dict[str, tuple[int, ...]] = field(default_factory=dict)
    timestamp: str | None = None

    @property
    def rows_kept(self) -> int:
        return len(self.frame)

    @property
    def problems(self) -> list[str]:
        """Each note as one plain sentence (without the file's name: see `source`), naming no
        place to decide otherwise (see `worded`)."""
        return [note.text for note in self.notes]

    def worded(self, wording: Wording) -> list[str]:
        """Each note as `problems`, with its choices named as `wording` names them: the
        command line's flags (notes.COMMAND_LINE) or the page's controls."""
        return [note.worded(wording) for note in self.notes]

    def refusal(self) -> InputFileError:
        """The refusal to use a file of which no row could be used, with the notes as its
        reasons (which rows and columns, why, and the fix)."""
        return InputFileError(
            f"{self.source}: no client row could be used.", reasons=list(self.notes)
        )


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


def _unique(header: list[str], notes: list[Note]) -> tuple[list[str], set[str]]:
    """Header texts (formatting already taken off); an empty one named by its position, a
    repeated one numbered."""
    columns: list[str] = []
    repeated: set[str] = set()
    first: dict[str, int] = {}
    for position, raw in enumerate(header):
        text = str(raw).strip() or f"(column {position + 1})"
        key = text.casefold()
        if key in first:
            notes.append(
                Note(
                    "columns",
                    f"the header row has column {text} more than once; the first one "
                    f"(column {first[key] + 1}) is used.",
                    columns=(text,),
                )
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
    header_rows: Sequence[int] | None = None,
) -> RawTable:
    """Read a CSV/text file or a workbook sheet, finding its header.

    `sheet` names the workbook sheet to read; None chooses the sheet whose columns match the
    criteria best (a note names it and the others). `header_rows` are the spreadsheet row
    numbers (1 = the first row; for a workbook, as the sheet numbers them) of the header: one
    row, or a question row and the row of labels under it, e.g. (1, 2); None finds them among
    the first HEAD_ROWS rows (a note says which rows were taken and which skipped).

    Raises InputFileError naming the file (and sheet) when there is nothing to map: too big,
    binary that is no workbook, no header, too many rows or columns, a header row not among the
    first rows, a sheet that is not there.
    """
    check_size(len(data), name, max_bytes)
    if is_workbook(data, name):
        table = _read_workbook(data, vocabulary, name, sheet, max_rows, header_rows)
    else:
        table = _read_text_table(data, vocabulary, name, max_rows, header_rows)
    if vocabulary.id_column == CLIENT_ID:
        _refuse_a_menu(table, vocabulary.criterion_ids)
        _refuse_without_answers(table, vocabulary.criterion_ids)
    return table


# Where the owner puts a file of the other kind: on the page, and on the command line.
MENU_PLACE = "upload it under Your services, Upload a menu (command line: match --menu)"
SURVEY_PLACE = "upload it under Your clients, Upload your client survey (command line: score)"


def _refuse_a_menu(table: RawTable, criterion_ids: Sequence[str]) -> None:
    """A survey's file that is a service menu is refused, saying where menus go: it has a
    service column (_service_column) and nothing that names a client or dates an answer (no
    client id, respondent or timestamp column), so it has no client's answers."""
    service = _service_column(table.columns, criterion_ids)
    if service is None or _client_sign(table.columns) is not None:
        return
    raise InputFileError(
        f"{table.source}: this looks like a service menu, not client answers: it has a service "
        f"column ({quoted(service)}) and no client id or timestamp column; {MENU_PLACE}."
    )


def _service_column(columns: Sequence[str], criterion_ids: Sequence[str]) -> str | None:
    """The column naming a menu's services: a service title (mapping.is_service_title), or a
    bare `name` when every other column is a criterion id, as in the menu the app downloads
    (a survey's `name` is a client's name, beside a client id, a timestamp or questions)."""
    found = next((c for c in columns if mp.is_service_title(c)), None)
    names = [c for c in columns if c.strip().casefold() == "name"]
    if found is None and len(names) == 1 and set(columns) - set(names) <= set(criterion_ids):
        found = names[0]
    return found


def _refuse_without_answers(table: RawTable, criterion_ids: Sequence[str]) -> None:
    """A survey's file with nothing to map is refused at once, not offered to the mapping step:
    no column is proposed for a criterion and no cell under the header is a number or an answer
    word (a workbook of one cover or notes sheet, a letter saved as text). A workbook of several
    sheets is left to the owner, who may choose another sheet."""
    if len(table.sheets) > 1 or any(p.target in criterion_ids for p in table.proposal):
        return
    for _, cells in table.body.items():
        head = cells.dropna().head(UNREAD_LOOKED_AT)
        if np.isfinite(answers(head, ".")[0]).any() or head.map(word_key).isin(ANSWER_WORDS).any():
            return
    raise InputFileError(
        f"{table.source}: nothing in it looks like client answers: no column is named after a "
        "criterion, and no cell under the header is a number or an answer word; upload the file "
        "or the sheet that holds your clients' answers."
    )


def _client_sign(columns: Sequence[str]) -> str | None:
    """The first column that names a client or dates an answer (a survey's sign), or None."""
    found = next((c for c in columns if mp.is_client_title(c)), None)
    for position in (summary.respondent_column(columns), summary.timestamp_column(columns)):
        if found is None and position is not None:
            found = columns[position]
    return found


def _read_text_table(
    data: bytes,
    vocabulary: mp.Vocabulary,
    name: str,
    max_rows: int,
    header_rows: Sequence[int] | None,
) -> RawTable:
    """A CSV or text file read as a table (see read_table)."""
    data = utf16_marked(data)
    text_file = read_text(data, name, head_bytes=HEAD_BYTES)
    if not text_file.text.strip() and not text_file.whole:
        text_file = read_text(data, name)  # a head of blank lines: look at the whole file
    if not text_file.text.strip():
        raise InputFileError(f"{name}: the file is empty.")
    records = head_records(text_file, name, HEAD_ROWS, MAX_COLUMNS + 1)
    numbers = [i + 1 + text_file.skipped_lines for i in range(len(records))]
    cells = [r.cells for r in records]
    header = find_header(cells, vocabulary, _given(header_rows, numbers, name))
    _check_width(max(records[i].width for i in header.rows), name)
    notes = [Note("text", text) for text in text_file.notes]
    columns, repeated = _unique(header.texts, notes)
    proposal = _propose(columns, repeated, vocabulary)
    numeric = {i for i, p in enumerate(proposal) if p.target in vocabulary.criterion_ids}
    end = records[header.start - 1].end
    body = read_cells(
        data, text_file, len(columns), numeric, max_rows, name, notes, header.start, end
    )
    if len(body) > max_rows:
        raise InputFileError(f"{name}: the file has more than {max_rows:,} rows, the limit.")
    body.index = np.arange(len(body)) + numbers[0] + header.start
    body = _without_empty_rows(body, notes)
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
    _place_header(table, header, cells, numbers)
    return table


def _given(rows: Sequence[int] | None, numbers: Sequence[int], source: str) -> list[int] | None:
    """The caller's header rows (spreadsheet numbers) as indexes into the first rows read;
    InputFileError when they are not among them or not one after another."""
    if not rows:
        return None
    wanted = sorted({int(r) for r in rows})
    if any(b != a + 1 for a, b in itertools.pairwise(wanted)):
        raise InputFileError(
            f"{source}: the header rows {', '.join(map(str, wanted))} are not one after "
            "another; give one row, or a question row and the row of labels under it."
        )
    missing = [r for r in wanted if r not in numbers]
    if missing:
        span = f"rows {numbers[0]}-{numbers[-1]}" if numbers else "no rows"
        raise InputFileError(
            f"{source}: header row {missing[0]} is not among the first rows read for the "
            f"header ({span}); choose one of those."
        )
    return [numbers.index(r) for r in wanted]


def _place_header(
    table: RawTable, header: Header, cells: Sequence[Sequence[object]], numbers: Sequence[int]
) -> None:
    """Record where the header is on the table, with its note first."""
    table.header_rows = tuple(numbers[i] for i in header.rows)
    table.skipped_rows = tuple(numbers[i] for i in (*header.above, *header.under))
    note = header_note(header, cells, numbers)
    if note is not None:
        table.notes.insert(0, note)


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
    data: bytes,
    vocabulary: mp.Vocabulary,
    name: str,
    sheet: str | None,
    max_rows: int,
    header_rows: Sequence[int] | None,
) -> RawTable:
    workbook = open_workbook(data, name)
    names = sheet_names(workbook, name)
    opened, sheet_note = _choose_sheet(workbook, names, sheet, vocabulary, name)
    found: dict[str, object] = {}

    def find(head: list[list[object]]) -> tuple[list[object], int]:
        first_row = (opened.start or (0, 0))[0]
        numbers = [first_row + i + 1 for i in range(len(head))]
        source = f"{name}, sheet {opened.name!r}"
        header = find_header(head, vocabulary, _given(header_rows, numbers, source))
        found.update(header=header, head=head, numbers=numbers)
        return list(header.texts), header.start

    read = read_sheet(workbook, name, opened, max_rows, find)
    chosen, body = read.name, read.body
    header: Header = found["header"]  # type: ignore[assignment]
    _check_width(len(header.texts), name)
    if len(body) > max_rows:
        raise InputFileError(
            f"{name}, sheet {chosen!r}: the sheet has more than {max_rows:,} rows, the limit."
        )
    notes: list[Note] = [sheet_note] if sheet_note else []
    columns, repeated = _unique(list(header.texts), notes)
    body[SPARE] = np.nan
    proposal = _propose(columns, repeated, vocabulary)
    workbook_of = {"sheet": chosen, "sheets": names, "formulas": formula_cells(data, read)}
    table = RawTable(
        name, columns, body, proposal, notes, "workbook", "", repeated=repeated, **workbook_of
    )
    numbers: list[int] = found["numbers"]  # type: ignore[assignment]
    _place_header(table, header, found["head"], numbers)  # type: ignore[arg-type]
    answers = [i for i, p in enumerate(proposal) if p.target in vocabulary.criterion_ids]
    if answers:
        first = read.first_row + header.start + 1
        table.percent = frozenset(
            percent_columns(
                data, chosen, read.first_column, range(first, first + HEAD_ROWS), len(columns)
            )
        ) & frozenset(answers)
    return table


def _choose_sheet(
    workbook: CalamineWorkbook,
    names: list[str],
    sheet: str | None,
    vocabulary: mp.Vocabulary,
    name: str,
) -> tuple[CalamineSheet, Note | None]:
    """The sheet to read, opened, and the note on the choice: the one named, the only one, or
    the one whose header matches the most criteria (then the client id; the first on a tie).
    Only that sheet stays open."""
    if sheet is not None:
        if sheet not in names:
            raise InputFileError(
                f"{name}: the workbook has no sheet named {sheet!r}; its sheets are "
                f"{', '.join(repr(n) for n in names)}. Choose one of them."
            )
        return workbook.get_sheet_by_name(sheet), None
    if len(names) == 1:
        return workbook.get_sheet_by_name(names[0]), None
    best, best_score = workbook.get_sheet_by_name(names[0]), (-1, -1)
    for candidate in names:
        opened = best if candidate == best.name else workbook.get_sheet_by_name(candidate)
        head = head_rows(opened, HEAD_ROWS)
        score = find_header(head, vocabulary).score[:2] if head else (-1, -1)
        if score > best_score:
            best, best_score = opened, score
    others = [n for n in names if n != best.name]
    listed = listing([quoted(n) for n in others], shown=5)
    if best_score[0] <= 0:
        text = (
            f"no sheet's columns match the criteria, so sheet {quoted(best.name)} was read; "
            f"the others are {listed}. Choose the sheet that holds the answers."
        )
    else:
        text = (
            f"sheet {quoted(best.name)} was read: its columns match the criteria best "
            f"({plural(best_score[0], 'criterion', 'criteria')}); the other "
            f"{'sheet is' if len(others) == 1 else 'sheets are'} {listed}. To read another, "
            "choose the sheet."
        )
    return best, Note("sheet", text, values=(best.name, *others), choices=(Choice("sheet"),))


def _without_empty_rows(body: pd.DataFrame, notes: list[Note]) -> pd.DataFrame:
    """The rows with at least one cell, and a note naming the empty rows left out (blank lines
    and lines of delimiters only)."""
    first_empty = body.iloc[:, 0].isna().to_numpy()
    if not first_empty.any():
        return body  # the common case, decided on one column
    empty = first_empty.copy()
    empty[first_empty] = body[first_empty].isna().all(axis=1).to_numpy()
    if not empty.any():
        return body
    rows = [int(r) for r in body.index[empty]]
    notes.append(
        Note(
            "text",
            f"{plural(len(rows), 'empty row')} left out ({rows_text(rows)}).",
            tuple(rows[:KEPT]),
        )
    )
    return body[~empty]


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
    header_rows: Sequence[int] | None = None,
    keep_repeats: bool = False,
    blanks: bool = True,
) -> SurveyImport:
    """Read a survey (or, with `id_column="name"`, a menu) with the proposed mapping.

    See `read_table` for `sheet` and `header_rows`, `apply_mapping` for `scale`,
    `keep_repeats` and `blanks`. Raises InputFileError only when nothing can be used.
    """
    vocabulary = vocabulary or mp.Vocabulary(tuple(criterion_ids), id_column=id_column)
    table = read_table(data, vocabulary, name, sheet, max_bytes, max_rows, header_rows)
    if id_required and mp.CLIENT not in table.proposed().values():
        names = "name, service name, service or treatment" if id_column != CLIENT_ID else id_column
        sign = None if id_column == CLIENT_ID else _client_sign(table.columns)
        if sign is not None:  # a survey given as a menu: say where it goes
            raise InputFileError(
                f"{table.source}: this looks like client answers, not a service menu: it has "
                f"the column {quoted(sign)} and no service name column; {SURVEY_PLACE}. If it "
                f"is a menu, name one column {names}."
            )
        raise InputFileError(
            f"{table.source}: the header has no {id_column} column; name one column {names}."
        )
    return apply_mapping(table, table.proposed(), vocabulary, scale, keep_repeats, blanks)


def apply_mapping(
    table: RawTable,
    mapping: dict[str, str],
    vocabulary: mp.Vocabulary,
    scale: str = AUTO,
    keep_repeats: bool = False,
    blanks: bool = True,
    by_owner: bool = False,
) -> SurveyImport:
    """The mapped columns as weights 0..10 (one row per client), with every note.

    `mapping` sends each column to a criterion id or a role (mapping.py); `scale` is a key of
    `SCALES`, or "auto" to recognise it from the answers. Personal and ignored columns are not
    copied. A criterion no column gives counts 0, said in a note. `by_owner`: the mapping is the
    owner's (confirmed on the page, or a mapping file), so its ignored columns are the ones
    they chose to leave out, not columns the reader did not know.

    Rows left out, each kind in one note: a row longer than the header, a summary row
    (rows.summary_rows), a row with no readable answer at all, and, unless `keep_repeats`, a
    client's earlier answers (rows.repeats: the latest is kept). With `blanks` (a survey), a
    client is scored on what they answered: a blank answer, and one that cannot be read on the
    scale (one note names those cells), is NaN in the frame: no weight in the match, in no
    average. A menu passes False: a blank or unreadable fit leaves its row out.
    Raises InputFileError when the mapping has a fault or reads no criterion.
    """
    notes = list(table.notes)
    faults = mp.check(mapping, vocabulary)
    if faults:
        raise InputFileError(mapping_fault(table, faults[0], vocabulary))
    positions = {column: i for i, column in enumerate(table.columns)}
    criteria = {
        t: positions[c]
        for c, t in mapping.items()
        if t in vocabulary.criterion_ids and c in positions
    }
    columns_at = len(notes)  # the notes on columns, made once the timestamp's use is known
    if unread := unread_answers(table, mapping, vocabulary):
        notes.append(unread)
    decimal = "," if table.delimiter == ";" else "."
    numbers: dict[str, np.ndarray] = {}
    stated: dict[str, np.ndarray] = {}
    signs = 0
    commas: dict[str, np.ndarray] = {}  # by column, the rows of answers with a decimal comma
    for cid, position in criteria.items():
        numbers[cid], signed = answers(table.body[position], decimal)
        if decimal == ".":
            read, signed_commas = decimal_commas(table.body[position], numbers[cid])
            signed += signed_commas
            if read.size:
                commas[table.columns[position]] = read
        signs += signed
        if (own := out_of(table.body[position], numbers[cid])) is not None:
            stated[cid] = own
    commas_at = len(notes)  # the note on decimal commas, made once the rows kept are known
    summed, note = summary.summary_rows(
        table.body, _label_column(table, mapping, criteria), numbers, criteria, table.formulas
    )
    if note:
        notes.append(note)
    headers, note = summary.header_repeats(table.body, table.columns, criteria)
    if note:
        summed |= headers
        notes.append(note)
    chosen = scale_of(table, criteria, numbers, scale, signs, ~summed)
    hinted = _hinted_scale(table, criteria, numbers, chosen, scale)
    chosen = chosen if hinted is None else hinted
    if signs and scale == AUTO and chosen.key != "0-100":
        _state_percents(table, criteria, numbers, stated)
    scale_at = len(notes)  # the notes on the scale, made once the rows kept are known
    weights, bad_rows, empty, unread, found = weights_of(
        table, criteria, numbers, chosen, vocabulary, blanks, summed, stated
    )
    notes += fault_notes(table, found, chosen, blanks)
    n = len(table.body)
    dropped = int(bad_rows.sum())
    if dropped:
        notes.append(Note("faults", _dropped_text(dropped, n)))
    keep = ~bad_rows
    if summed.any():
        keep &= ~summed
    if blanks and criteria:
        keep = answered(table, empty, unread, len(criteria), keep, notes)
    ids = _ids(table, mapping, keep)
    if blanks and (note := _unnamed(ids, table.body.index[keep], mapping)):
        notes.append(note)
    kept, note, repeats, timed = _latest(table, mapping, keep, ids, keep_repeats)
    if note:
        if vocabulary.id_column == CLIENT_ID:  # a menu's name given twice: menu.check_name says so
            notes.append(note)
        ids = ids[kept].reset_index(drop=True)
        keep[np.flatnonzero(keep)[~kept]] = False
    if blanks and (note := blank_note(table, empty, keep)):
        notes.append(note)
    if vocabulary.id_column == CLIENT_ID and (note := _neutralised_note(table, ids, mapping, keep)):
        notes.append(note)
    notes[scale_at:scale_at] = _scale_notes(
        table, criteria, numbers, stated, chosen, hinted is not None, scale, keep
    )
    if commas and (note := _decimal_comma_note(commas, keep)):
        notes.insert(commas_at, note)
    notes[columns_at:columns_at] = _mapping_notes(table, mapping, vocabulary, timed, by_owner)
    frame = pd.DataFrame(
        weights if keep.all() else weights[keep], columns=list(vocabulary.criterion_ids), copy=False
    )
    frame.insert(0, vocabulary.id_column, ids.array)
    return SurveyImport(
        frame,
        notes,
        n,
        n - len(frame),
        table.encoding,
        table.delimiter,
        chosen,
        dict(mapping),
        table.source,
        table.sheet,
        table.header_rows,
        repeats,
        timed,
    )


def _state_percents(
    table: RawTable,
    criteria: dict[str, int],
    numbers: dict[str, np.ndarray],
    stated: dict[str, np.ndarray],
) -> None:
    """Answers written as percentages ("80%") in a file whose answers were recognised as on
    another scale than 0-100 (a scale the owner chose is kept to), added to `stated` (answers
    that state their own scale, read as they state: 80% = 8) and taken out of `numbers`, so
    they are read neither on the other scale nor as faults outside it."""
    for cid, position in criteria.items():
        own = percents(table.body[position], numbers[cid])
        if own is None:
            continue
        read = np.isfinite(own)
        numbers[cid] = np.where(read, np.nan, numbers[cid])
        stated[cid] = np.where(read, own, stated[cid]) if cid in stated else own


def _dropped_text(dropped: int, rows: int) -> str:
    """The note on the `dropped` of `rows` rows left out for a faulty cell."""
    if rows == 1:
        return "the only row has a faulty cell and was left out."
    some = f"{dropped:,} of {rows:,} rows " + (
        "has a faulty cell and was left out; "
        if dropped == 1
        else "have a faulty cell and were left out; "
    )
    if dropped == rows:
        return some + "no other row is left."
    return some + (
        "the other row is used."
        if rows - dropped == 1
        else f"the other {rows - dropped:,} are used."
    )


def _hinted_scale(
    table: RawTable,
    criteria: dict[str, int],
    numbers: dict[str, np.ndarray],
    recognised: Scale,
    scale: str,
) -> Scale | None:
    """The scale every mapped question's title gives (`Pain relief (1-5)`: mapping.scale_hint)
    when the scale is left to be recognised, the answers are numbers that all lie on it, and it
    differs from the one recognised from them (1-10 answers under "(0-10)" titles are 0-10);
    else None. Fractions in a percentage format are left as recognised (0-1)."""
    if scale != AUTO or recognised.words or recognised.key == "0-1" or not criteria:
        return None
    keys = {mp.scale_hint(table.columns[p]) for p in criteria.values()}
    key = keys.pop() if len(keys) == 1 else None
    if key is None or SCALES[key] is recognised:
        return None
    hinted = SCALES[key]
    for values in numbers.values():
        finite = values[np.isfinite(values)]
        if finite.size and (finite.min() < hinted.low or finite.max() > hinted.high):
            return None
    return hinted


def _scale_notes(
    table: RawTable,
    criteria: dict[str, int],
    numbers: dict[str, np.ndarray],
    stated: dict[str, np.ndarray],
    chosen: Scale,
    hinted: bool,
    scale: str,
    keep: np.ndarray,
) -> list[Note]:
    """The notes on the answer scale, each counting the answers of the rows `keep` (the rows
    scored: no summary row, faulty row or earlier answer of a repeated client): the scale used
    (from the answers, the question titles' hint or the owner's choice), or a doubt about the
    app's own; the titles whose scale the answers were not read on; answer words numbered out
    of step; answers that state their own scale ("9/10")."""
    notes = []
    kept = _kept(numbers, keep)
    met = _words_met(table, criteria, chosen, keep) if chosen.words else set()
    if hinted:
        notes.append(
            Note(
                "scale",
                f"{chosen.note(met)[:-1]}, the scale the question titles give "
                f"({quoted(table.columns[next(iter(criteria.values()))])}).",
                choices=(Choice("scale"),),
            )
        )
    elif chosen is not OWN:
        notes.append(Note("scale", chosen.note(met)))
    elif scale == AUTO and (doubt := own_scale_doubt(kept)):
        notes.append(doubt)
    if note := _title_scale_note(table, criteria, kept, chosen):
        notes.append(note)
    if chosen.words and (note := _out_of_step_note(table, criteria, chosen, keep)):
        notes.append(note)
    if stated and (note := _out_of_note(table, criteria, stated, keep)):
        notes.append(note)
    return notes


def _words_met(
    table: RawTable, criteria: dict[str, int], scale: Scale, keep: np.ndarray
) -> set[str]:
    """The words of a word `scale` (as word_key gives them) met in the answers of the rows
    `keep`, for the scale note to name each one."""
    met: set[str] = set()
    for position in criteria.values():
        cells = table.body[position][keep].dropna()
        texts = cells[cells.map(lambda v: isinstance(v, str))].unique()
        met.update(key for key in map(word_key, texts) if key in scale.words)
    return met


# A title's scale hint that agrees with the scale used though their keys differ: "(0-100%)"
# over fractions in a percentage format.
_AGREEING = {("0-100", "0-1")}


def _title_scale_note(
    table: RawTable, criteria: dict[str, int], kept: dict[str, np.ndarray], chosen: Scale
) -> Note | None:
    """One note naming the columns whose title gives a scale (`Pain relief (1-5)`:
    mapping.scale_hint) other than the one their answers were read on, with how far each
    column's answers run, and the scale used; None when every title agrees or gives none.
    Columns without a number among the rows kept, and answers in words, are left alone."""
    if chosen.words:
        return None
    places, columns = [], []
    for cid, position in criteria.items():
        title = table.columns[position]
        key = mp.scale_hint(title)
        if key is None or key == chosen.key or (key, chosen.key) in _AGREEING:
            continue
        finite = kept[cid][np.isfinite(kept[cid])]
        if not finite.size:
            continue
        columns.append(title)
        places.append(
            f"{quoted(title)} (the title says {key}; its answers run "
            f"{finite.min():g}-{finite.max():g})"
        )
    if not places:
        return None
    text = (
        f"the answers in {plural(len(places), 'column')} do not match the scale "
        f"{'its' if len(places) == 1 else 'their'} title gives: {listing(places)}. All "
        f"answers were read as {chosen.label}. If that is wrong, choose the scale."
    )
    return Note("scale", text, columns=tuple(columns[:KEPT]), choices=(Choice("scale"),))


def _out_of_note(
    table: RawTable, criteria: dict[str, int], stated: dict[str, np.ndarray], keep: np.ndarray
) -> Note | None:
    """The one note on the kept answers written as a score out of a top (answers.out_of: "9/10",
    "3 out of 5", "★★★★☆") or as a percentage among answers on another scale (answers.percents:
    "80%"): how many, in which columns, and how the first ones were read."""
    count, signed, rows, columns, examples = 0, 0, [], [], {}
    for cid, weights in sorted(stated.items(), key=lambda item: criteria[item[0]]):
        read = np.isfinite(weights) & keep
        if not read.any():
            continue
        count += int(read.sum())
        position = criteria[cid]
        cells = table.body[position][read].astype("string")
        signed += int(cells.str.contains(PERCENT_SIGN).sum())
        columns.append(table.columns[position])
        for i in np.flatnonzero(read)[:KEPT]:
            rows.append(int(table.body.index[i]))
            text = " ".join(str(table.body.iat[i, position]).split())
            examples.setdefault(text.casefold(), (text, float(weights[i])))
    if not count:
        return None
    shown = list(examples.values())[:2]
    written = (
        "a score out of a top"
        if not signed
        else ("a percentage" if count == 1 else "percentages")
        if signed == count
        else "a score out of a top or a percentage"
    )
    text = (
        f"{plural(count, 'answer is', 'answers are')} written as {written}, such as "
        f"{listing([quoted(t) for t, _ in shown])}. "
        f"{'It is' if count == 1 else 'They are'} in {plural(len(columns), 'column')}: "
        f"{listing([quoted(c) for c in columns])}. Each is read on the scale it gives, as a "
        f"share of 10: {listing([f'{t} = {w:g}' for t, w in shown])}."
    )
    return Note(
        "scale",
        text,
        tuple(sorted(set(rows))[:KEPT]),
        tuple(columns[:KEPT]),
        tuple(t for t, _ in shown),
    )


def _out_of_step_note(
    table: RawTable, criteria: dict[str, int], scale: Scale, keep: np.ndarray
) -> Note | None:
    """One note on the kept answer words whose number does not follow the words' order on the
    scale (scales.out_of_step: "5 - Very important" among "1 - Not at all important" ...),
    naming the first few; each is read by its word."""
    found = sorted(
        (int(i), p) for p in criteria.values() for i in out_of_step(table.body[p], scale) if keep[i]
    )
    if not found:
        return None
    places, rows, columns, values = [], [], [], []
    for i, position in found[:KEPT]:
        rows.append(int(table.body.index[i]))
        columns.append(table.columns[position])
        values.append(cell_text(table.body.iat[i, position]))
        places.append(f"{quoted(values[-1])} (row {rows[-1]}, column {quoted(columns[-1])})")
    word = word_key(values[0])
    level = scale.to_weights(np.float64(scale.words[word]))
    text = (
        f"{plural(len(found), 'answer has', 'answers have')} a number that does not follow the "
        f"order of the words on the scale: {listing(places, len(found))}; each is read by its "
        f"word (such as {word.capitalize()} = {level:g}), so check the answers in the survey."
    )
    return Note("scale", text, tuple(rows), tuple(columns), tuple(values))


def _decimal_comma_note(commas: dict[str, np.ndarray], keep: np.ndarray) -> Note | None:
    """The note on the kept answers written with a decimal comma (cells.decimal_commas: their
    rows by column), counting the rows kept only; None when none of them is kept."""
    counts = {column: int(keep[rows].sum()) for column, rows in commas.items()}
    shown = [column for column, count in counts.items() if count]
    if not shown:
        return None
    count = sum(counts.values())
    return Note(
        "text",
        f"{plural(count, 'answer is', 'answers are')} written with a decimal comma, "
        f"such as 7,5, and read as a decimal (7,5 = 7.5), in "
        f"{plural(len(shown), 'column')}: {listing([quoted(c) for c in shown])}.",
        columns=tuple(shown[:KEPT]),
    )


def _kept(numbers: dict[str, np.ndarray], keep: np.ndarray) -> dict[str, np.ndarray]:
    """Each criterion's numbers of the rows kept (no copy when every row is)."""
    if keep.all():
        return numbers
    return {cid: values[keep] for cid, values in numbers.items()}


def _neutralised_note(
    table: RawTable, ids: pd.Series, mapping: dict[str, str], keep: np.ndarray
) -> Note | None:
    """The one note on the kept client ids that a spreadsheet would run as a formula (they start
    with =, +, -, @: writing.is_formula): every file the app writes puts an apostrophe before
    each, so it shows as text. None when no id does, and for an id the file already wrote with
    that apostrophe (a file the app wrote, read back: it is written as it was)."""
    column = next((c for c, t in mapping.items() if t == mp.CLIENT), None)
    if not len(ids) or column is None:
        return None
    first = ids.str.slice(0, 1)  # one pass over the ids: a million in about 30 ms
    formula = first.isin(FORMULA_TRIGGERS).to_numpy(bool, na_value=False, copy=True)
    if not formula.any():
        return None
    cells = table.body[table.columns.index(column)][keep].reset_index(drop=True)[formula]
    formula[formula] = ~cells.map(lambda v: cell_text(v).lstrip().startswith("'")).to_numpy(bool)
    if not formula.any():
        return None
    found = list(dict.fromkeys(ids[formula]))  # an id given twice is named once
    first = found[0]
    text = (
        f"{plural(len(found), 'client id', 'client ids')} in column {quoted(column)} "
        f"{'starts' if len(found) == 1 else 'start'} with =, +, - or @: "
        f"{listing([quoted(i) for i in found])}. A spreadsheet would run such an id as a "
        f"formula. So in every file the app writes, {'it gets' if len(found) == 1 else 'each gets'}"
        f" an apostrophe in front, which a spreadsheet shows as text: {quoted(first)} is written "
        f"{quoted(chr(39) + first)}."
    )
    return Note("text", text, columns=(column,), values=tuple(found[:KEPT]))


def mapping_fault(
    table: RawTable, fault: str, vocabulary: mp.Vocabulary, wording: Wording = COMMAND_LINE
) -> str:
    """A fault of `mapping.check` as a refusal that names the file and suggests the fix, with
    its choices named as `wording` names them (the command line's flags by default)."""
    if fault == mp.NO_CRITERION:
        sheets = ""
        choices = [Choice("mapping"), Choice("header_row")]
        if len(table.sheets) > 1:
            sheets = (
                f"; the workbook's sheets are {', '.join(repr(s) for s in table.sheets)}, so "
                "choose the one that holds the answers"
            )
            choices.append(Choice("sheet"))
        text = (
            f"{table.source}: no column could be matched to a criterion; name the columns by "
            f"criterion id (such as {', '.join(vocabulary.criterion_ids[:3])}), use the "
            "questions of the survey template, map each column to its criterion, or choose the "
            f"header row{sheets}."
        )
        return with_choices(text, choices, wording)
    return f"{table.source}: the mapping cannot be used: {fault}"


def _mapping_notes(
    table: RawTable,
    mapping: dict[str, str],
    vocabulary: mp.Vocabulary,
    timed: str | None,
    by_owner: bool = False,
) -> list[Note]:
    """The notes on the columns ignored (not the timestamp column `timed`, used to pick a
    repeated client's latest answer: the repeats note names it), as the owner's choice when
    the mapping is theirs (`by_owner`), personal or missing."""
    notes = []
    ignored = [
        c for c, t in mapping.items() if t == mp.IGNORE and c not in table.repeated and c != timed
    ]
    personal = [c for c, t in mapping.items() if t == mp.PERSONAL]
    if ignored:
        shown = ", ".join(ignored[:10]) + (
            f" and {len(ignored) - 10} more" if len(ignored) > 10 else ""
        )
        said = (
            "columns you chose to leave out"
            if by_owner
            else "columns that match no criterion, left out"
        )
        notes.append(Note("ignored", f"{said}: {shown}.", columns=tuple(ignored)))
    if personal:
        notes.append(
            Note(
                "ignored",
                "personal columns left out (never copied into any download): "
                f"{', '.join(personal)}.",
                columns=tuple(personal),
            )
        )
    missing = [c for c in vocabulary.criterion_ids if c not in mapping.values()]
    if missing:
        named = [f"{vocabulary.labels[c]} ({c})" if c in vocabulary.labels else c for c in missing]
        notes.append(
            Note(
                "columns", f"no column gives these criteria, so each counts 0: {', '.join(named)}."
            )
        )
    return notes


UNREAD_LOOKED_AT = 50  # the first cells of an unread column looked at for answers
COUNTER_ROWS = 5  # an unread column of 1, 2, 3, ... this long counts rows: an id, not answers


def unread_answers(
    table: RawTable, mapping: dict[str, str], vocabulary: mp.Vocabulary
) -> Note | None:
    """A note when fewer than half the criteria have a column and some columns left unread
    (`ignore`) hold what look like answers, so that the clients would be scored on a few
    criteria without a word; None otherwise (a form that asked only a few questions has no such
    column).

    A column looks like answers when its first filled cells (UNREAD_LOOKED_AT) are all numbers
    0..100 (with or without a percent sign), scores out of a top (9/10) or words of an answer
    scale (numbered or not). A
    column counting its rows (1, 2, 3, ... over COUNTER_ROWS rows or more) is an id, not
    answers; dates, ids, emails and comments are not answers, nor is a column whose title names
    a fact about the client or visit (`Age`, `Visits`: mapping.is_fact), which stays an ignored
    column only.
    """
    asked = {t for c, t in mapping.items() if t in vocabulary.criterion_ids and c in table.columns}
    if len(asked) * 2 >= len(vocabulary.criterion_ids):
        return None
    unread = [
        c
        for c, t in mapping.items()
        if t == mp.IGNORE and c in table.columns and c not in table.repeated
    ]
    looks = [
        c for c in unread if not mp.is_fact(c) and _answer_like(table.body[table.columns.index(c)])
    ]
    if not looks:
        return None
    text = (
        f"only {len(asked)} of {len(vocabulary.criterion_ids)} criteria have a column, and "
        f"{plural(len(looks), 'column')} not read "
        f"{'holds' if len(looks) == 1 else 'hold'} what look like answers: "
        f"{listing([quoted(c) for c in looks])}. If they answer questions, map each to its "
        "criterion; otherwise the clients are scored on "
        f"{plural(len(asked), 'criterion', 'criteria')} only."
    )
    return Note("mapping", text, columns=tuple(looks[:KEPT]), choices=(Choice("mapping"),))


def _answer_like(cells: pd.Series) -> bool:
    """The first filled cells of a column are all answers on some scale (see unread_answers)."""
    head = cells.dropna().head(UNREAD_LOOKED_AT)
    if head.empty:
        return False
    values, _ = answers(head, ".")
    if (stated := out_of(head, values)) is not None:  # "9/10": an answer, as its share of 10
        values = np.where(np.isfinite(stated), stated, values)
    words = head[np.isnan(values)].map(word_key)
    if not words.isin(ANSWER_WORDS).all():
        return False
    numbers = values[np.isfinite(values)]
    if ((numbers < 0) | (numbers > 100)).any():
        return False
    counting = numbers.size >= COUNTER_ROWS and np.array_equal(
        numbers, np.arange(1, numbers.size + 1)
    )
    return not counting


def _label_column(table: RawTable, mapping: dict[str, str], criteria: dict[str, int]) -> int | None:
    """The column whose cells may label a summary row: the client id column, else the first
    column when it is no answer column."""
    column = next((c for c, t in mapping.items() if t == mp.CLIENT), None)
    if column is not None and column in table.columns:
        return table.columns.index(column)
    return None if 0 in criteria.values() or not table.columns else 0


def _latest(
    table: RawTable, mapping: dict[str, str], keep: np.ndarray, ids: pd.Series, keep_all: bool
) -> tuple[np.ndarray, Note | None, dict[str, tuple[int, ...]], str | None]:
    """Of the kept rows, those to keep once repeated clients are down to their latest answer
    (rows.repeats), by client id, else by a respondent id column; and the title of the
    timestamp column when it was used to pick them (else None)."""
    has_id = any(t == mp.CLIENT for t in mapping.values())
    what, who = "client", ids
    if not has_id:
        position = summary.respondent_column(table.columns)
        if position is None:
            return np.ones(int(keep.sum()), dtype=bool), None, {}, None
        cells = table.body[position][keep].reset_index(drop=True)
        who = cells.map(lambda v: None if pd.isna(v) else cell_text(v).strip())
        what = "respondent"
    time = summary.timestamp_column(table.columns)
    times = None if time is None else table.body[time][keep].reset_index(drop=True)
    title = None if time is None else table.columns[time]
    kept, note, repeats = summary.repeats(who, table.body.index[keep], times, keep_all, what, title)
    used = title if note is not None and not keep_all and mapping.get(title) == mp.IGNORE else None
    return kept, note, repeats, used


def _unnamed(ids: pd.Series, rows: pd.Index, mapping: dict[str, str]) -> Note | None:
    """The one note on the rows with no client id among rows with ids, empty or written as one
    that stands for none (rows.no_id: "N/A", "-"): each is kept as a client of its own (such an
    id is never a repeat); None when every id is given, or none is (a file without ids, or a
    client id column left empty)."""
    if mp.CLIENT not in mapping.values() or not len(ids):
        return None
    empty = summary.no_id(ids)
    if not empty.any() or empty.all():
        return None
    numbers = [int(r) for r in rows[empty]]
    column = next(c for c, t in mapping.items() if t == mp.CLIENT)
    written = list(dict.fromkeys(v for v in ids[empty] if v))
    text = (
        f"{rows_text(numbers)} {'has' if len(numbers) == 1 else 'have'} no id in column "
        f"{quoted(column)}"
        + (f" (written as {listing([quoted(v) for v in written], shown=3)})" if written else "")
        + f", so {'it is' if len(numbers) == 1 else 'each is'} kept as a client of its own; "
        "give each client an id to find repeated answers."
    )
    return Note("repeats", text, tuple(numbers[:KEPT]), (column,))


def _ids(table: RawTable, mapping: dict[str, str], keep: np.ndarray) -> pd.Series:
    """Each kept row's id as text without the white space around it (" 17", "17\t" and "17"
    followed by a no-break space are one client; an id of white space alone is empty): the
    client id column, else row-<spreadsheet row>."""
    column = next((c for c, t in mapping.items() if t == mp.CLIENT), None)
    if column is None:
        return pd.Series([f"row-{r}" for r in table.body.index[keep]], dtype="str")
    cells = table.body[table.columns.index(column)][keep].reset_index(drop=True)
    if not pd.api.types.is_string_dtype(cells) or pd.api.types.is_object_dtype(cells):
        text = cells.map(lambda v: "" if pd.isna(v) else unneutralise(cell_text(v)).strip())
        return text.astype("str")
    text = cells.fillna("")
    quoted_ = text.str.startswith("'").to_numpy(dtype=bool)
    if quoted_.any():  # drop the apostrophe that writing.neutralise put before a formula
        some = text[quoted_]
        text[quoted_] = some.where(~some.str.match(_NEUTRALISED), some.str.slice(1))
    return text.str.strip()
