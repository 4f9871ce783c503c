"""Bad survey and menu CSVs, each with what the survey reader and the menu reader must answer.

A case builds its bytes for a survey (a client_id column) or a menu (a name column); the rest of
the header is every criterion id. `Expect` says what the reader answers: a refusal, or the rows
(clients, services) it keeps and every note it makes, in order. Every message starts with the
file's name; the texts here are what follows "<file>: ".
"""

from __future__ import annotations

import csv
import io
import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from advisor.catalog import load_catalog
from advisor.clinic.menu import MAX_SERVICES, NAME
from advisor.files.reading import CLIENT_ID, MAX_ROWS

SURVEY = "survey"
MENU = "menu"
CATALOG = load_catalog()
CRITERIA: tuple[str, ...] = CATALOG.criterion_ids
RESERVED = [CATALOG.type_name(t) for t in CATALOG.type_ids]
# Over every bound the paths use (the page's 50 MB, the reader's 100 MB, a menu's 1 MB).
OVER_SIZE_BYTES = 100 * 1024 * 1024 + 1


@dataclass(frozen=True)
class Expect:
    """A refusal (the message after "<file>: ", up to `{limit}` where the path's bound goes),
    or the rows kept and every note (each an exact start of the note after "<file>: ")."""

    refused: str | None = None
    kept: int = 0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileCase:
    id: str
    what: str
    make: Callable[[str], bytes]
    survey: Expect
    menu: Expect

    def data(self, kind: str) -> bytes:
        return self.make(kind)

    def expect(self, kind: str) -> Expect:
        return self.survey if kind == SURVEY else self.menu


def id_column(kind: str) -> str:
    return CLIENT_ID if kind == SURVEY else NAME


def label(kind: str, number: int) -> str:
    return f"client {number}" if kind == SURVEY else f"Service {number}"


def csv_text(
    kind: str,
    rows: Sequence[Sequence[object]],
    sep: str = ",",
    header: Sequence[str] | None = None,
) -> str:
    """A file of the given rows under the usual header (the id column, then every criterion)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\n")
    writer.writerow(header if header is not None else [id_column(kind), *CRITERIA])
    writer.writerows(rows)
    return buffer.getvalue()


def row(kind: str, number: int, value: object = 5, **cells: object) -> list[object]:
    """A row with every criterion at `value` except the ones named."""
    return [label(kind, number), *(cells.get(c, value) for c in CRITERIA)]


def good(kind: str, n: int = 2) -> bytes:
    return csv_text(kind, [row(kind, i + 1) for i in range(n)]).encode()


def with_cell(cell: str) -> Callable[[str], bytes]:
    """A good row, then a row whose relaxation cell is `cell` (spreadsheet row 3)."""
    return lambda kind: csv_text(kind, [row(kind, 1), row(kind, 2, relaxation=cell)]).encode()


def png() -> bytes:
    """A real 1x1 PNG image: what a user sends when they pick a screenshot renamed .csv."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def bad_cell(cell: str, why: str, shown: str) -> tuple[Expect, Expect]:
    """Both readers name the cell by row and column. A survey counts it as blank and scores the
    client on the other answers; a menu leaves the service out (a fit must be read)."""
    survey = (
        "1 answer could not be read, so it counts as blank and each client is scored on the "
        f"other answers (1 {why}): '{shown}' (row 3, column 'relaxation'); expected numbers 0-10 "
        "(the app's own); correct those cells, or choose the scale the survey used",  # then
        # the place to choose it, as the command line or the page words it
    )
    detail = "cell is not a number" if why == "not a number" else "cell is outside 0..10"
    menu = (
        f"1 {detail}: '{shown}' (row 3, column 'relaxation').",
        "1 of 2 rows has a faulty cell and was left out; the other row is used.",
    )
    return Expect(kept=2, notes=survey), Expect(kept=1, notes=menu)


def _semicolons(kind: str) -> bytes:
    # a European spreadsheet's export: semicolons, and decimal commas
    rows = [row(kind, 1, "5,5"), row(kind, 2, "7")]
    return csv_text(kind, rows, sep=";").encode()


def _quoted_newline(kind: str) -> bytes:
    return csv_text(kind, [row(kind, 1), ["two\nlines", *[5] * len(CRITERIA)]]).encode()


def _duplicated_id(kind: str) -> bytes:
    column = id_column(kind)
    header = [column, column, *CRITERIA]
    return csv_text(kind, [[label(kind, 1), "other", *[5] * len(CRITERIA)]], header=header).encode()


def _criterion_twice(kind: str) -> bytes:
    header = [id_column(kind), *CRITERIA, "relaxation"]
    return csv_text(kind, [[*row(kind, 1), 9]], header=header).encode()


def _million_columns(kind: str) -> bytes:
    return (",".join([id_column(kind), *CRITERIA]) + ",x" * 1_000_000 + "\n").encode()


def _million_cells(kind: str) -> bytes:
    long_row = ",".join([label(kind, 2), *["5"] * 1_000_000])
    return (csv_text(kind, [row(kind, 1)]) + long_row + "\n").encode()


def _over_rows(kind: str) -> bytes:
    if kind == SURVEY:  # one short column, so that a million rows stay small
        return b"relaxation\n" + b"5\n" * (MAX_ROWS + 1)
    return csv_text(kind, [row(kind, i + 1) for i in range(MAX_SERVICES * 10 + 1)]).encode()


def _unclosed_quote(kind: str) -> bytes:
    text = csv_text(kind, [row(kind, 1)])
    broken = '"' + ",".join([label(kind, 2), *["5"] * len(CRITERIA)])
    return (text + broken + "\n" + ",".join(map(str, row(kind, 3))) + "\n").encode()


def _too_few_cells(kind: str) -> bytes:
    return csv_text(kind, [row(kind, 1), row(kind, 2)[:-1]]).encode()


NAN = bad_cell("NaN", "not a number", "NaN")
INF = bad_cell("inf", "not a number", "inf")  # no answer on any scale
NEGATIVE = bad_cell("-1", "outside 0..10", "-1")
ABOVE_TEN = bad_cell("10.5", "outside 0..10", "10.5")
HUGE = bad_cell("1e308", "outside 0..10", "1e+308")
TEXT = bad_cell("five", "not a number", "five")
BINARY = "this is not a text CSV file (it contains binary data); upload a CSV or an Excel workbook"
# A survey reads the missing cell as a blank answer: the client is scored on the others.
TOO_FEW_SURVEY = (
    "1 answer was left blank by 1 client (row 3 (1)); each is scored on the questions they "
    "answered, and a blank counts in no average.",
)
# A menu describes each service on every criterion: a blank fit is a faulty cell.
TOO_FEW_MENU = (
    f"1 cell is empty: (row 3, column '{CRITERIA[-1]}').",
    "1 of 2 rows has a faulty cell and was left out; the other row is used.",
)
ONE_MB = Expect(refused="the file is 2 MB, over the limit of 1 MB.")

FILE_CASES: list[FileCase] = [
    FileCase(
        "empty",
        "an empty file",
        lambda kind: b"",
        Expect(refused="the file is empty."),
        Expect(refused="the file is empty."),
    ),
    FileCase(
        "blank_lines",
        "only blank lines and spaces",
        lambda kind: b"\r\n\n   \n\t\n",
        Expect(refused="the file is empty."),
        Expect(refused="the file is empty."),
    ),
    FileCase(
        "header_only",
        "a header and no rows",
        lambda kind: csv_text(kind, []).encode(),
        Expect(kept=0),
        Expect(refused="no usable service in the file."),
    ),
    FileCase(
        "bom",
        "UTF-8 with a byte-order mark (Excel's 'CSV UTF-8')",
        lambda kind: b"\xef\xbb\xbf" + good(kind),
        Expect(kept=2),
        Expect(kept=2),
    ),
    FileCase(
        "semicolons",
        "semicolons and decimal commas (a European spreadsheet)",
        _semicolons,
        Expect(kept=2),
        Expect(kept=2),
    ),
    FileCase(
        "latin1",
        "Latin-1 text (an older Windows export)",
        lambda kind: csv_text(kind, [["Jos\u00e9 Ni\u00f1o", *[5] * len(CRITERIA)]]).encode(
            "latin-1"
        ),
        Expect(kept=1),
        Expect(kept=1),
    ),
    FileCase(
        "utf16",
        "UTF-16 with a byte-order mark (Excel's 'Unicode text', tab-separated)",
        lambda kind: csv_text(kind, [row(kind, 1), row(kind, 2)], sep="\t").encode("utf-16"),
        Expect(kept=2),
        Expect(kept=2),
    ),
    FileCase(
        "tabs",
        "tab-separated",
        lambda kind: csv_text(kind, [row(kind, 1), row(kind, 2)], sep="\t").encode(),
        Expect(kept=2),
        Expect(kept=2),
    ),
    FileCase(
        "quoted_newline",
        "a quoted cell with a line break in it",
        _quoted_newline,
        Expect(kept=2),
        Expect(
            kept=1,
            notes=(
                "the service named 'two\\nlines' was left out: A service name cannot contain "
                "control characters or invisible formatting characters (such as a right-to-left "
                "override).",
            ),
        ),
    ),
    FileCase(
        "duplicated_columns",
        "the id column twice",
        _duplicated_id,
        Expect(
            kept=1,
            notes=("the header row has column client_id more than once; the first one (column 1)",),
        ),
        Expect(
            kept=1,
            notes=("the header row has column name more than once; the first one (column 1)",),
        ),
    ),
    FileCase(
        "criterion_twice",
        "a criterion column twice, with different values",
        _criterion_twice,
        Expect(
            kept=1,
            notes=(
                "the header row has column relaxation more than once; the first one (column 3) "
                "is used.",
            ),
        ),
        Expect(
            kept=1,
            notes=(
                "the header row has column relaxation more than once; the first one (column 3) "
                "is used.",
            ),
        ),
    ),
    FileCase("nan", "NaN in a number cell", with_cell("NaN"), *NAN),
    FileCase("inf", "inf in a number cell", with_cell("inf"), *INF),
    FileCase("negative", "a negative number", with_cell("-1"), *NEGATIVE),
    FileCase("above_ten", "a number above 10", with_cell("10.5"), *ABOVE_TEN),
    FileCase("huge_number", "1e308", with_cell("1e308"), *HUGE),
    FileCase("text_in_number", "text in a number cell", with_cell("five"), *TEXT),
    FileCase(
        "too_few_cells",
        "a row with one cell fewer than the header",
        _too_few_cells,
        Expect(kept=2, notes=TOO_FEW_SURVEY),
        Expect(kept=1, notes=TOO_FEW_MENU),
    ),
    FileCase(
        "unclosed_quote",
        "a quote that never closes, with rows after it",
        _unclosed_quote,
        Expect(
            kept=1,
            notes=(
                'line 3: a quote (") opens a cell that is never closed, so this line and all '
                "after it were left out; the row before it is used.",
            ),
        ),
        Expect(
            kept=1,
            notes=(
                'line 3: a quote (") opens a cell that is never closed, so this line and all '
                "after it were left out; the row before it is used.",
            ),
        ),
    ),
    FileCase(
        "no_criterion_columns",
        "a CSV of something else entirely",
        lambda kind: f"{id_column(kind)},age,city\nAna,40,Oslo\n".encode(),
        Expect(
            refused="no column could be matched to a criterion; name the columns by criterion id"
        ),
        Expect(
            refused="no column could be matched to a criterion; name the columns by criterion id"
        ),
    ),
    FileCase(
        "million_columns",
        "a million columns in one line",
        _million_columns,
        Expect(refused="the header has 1,000,014 columns; at most 1,000 are read."),
        ONE_MB,
    ),
    FileCase(
        "million_cells",
        "a row of a million cells",
        _million_cells,
        Expect(
            kept=1,
            notes=("1 row has more cells than the header's 14 (first at line 3); it was skipped.",),
        ),
        ONE_MB,
    ),
    FileCase(
        "binary_garbage",
        "binary garbage",
        lambda kind: bytes(range(256)) * 16,
        Expect(refused=BINARY),
        Expect(refused=BINARY),
    ),
    FileCase(
        "image_renamed",
        "a PNG image renamed .csv",
        lambda kind: png(),
        Expect(refused=BINARY),
        Expect(refused=BINARY),
    ),
    FileCase(
        "over_size_bound",
        "a file over the size bound",
        lambda kind: b"relaxation\n" + b"5" * (OVER_SIZE_BYTES - 11),
        Expect(refused="the file is 100.1 MB, over the limit of {limit}."),
        Expect(refused="the file is 100.1 MB, over the limit of {limit}."),
    ),
    FileCase(
        "over_row_bound",
        "more rows than the bound",
        _over_rows,
        Expect(refused="the file has more than 1,000,000 rows, the limit."),
        Expect(refused="the file has more than 100 rows, the limit."),
    ),
    FileCase(
        "too_many_services",
        "a menu of 12 services (10 at most)",
        lambda kind: good(kind, 12),
        Expect(kept=12),
        Expect(kept=MAX_SERVICES, notes=(f"only the first {MAX_SERVICES} services are kept.",)),
    ),
]
