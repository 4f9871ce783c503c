"""advisor.files.writing: spreadsheet-safe CSV (neutralise, unneutralise, to_csv_bytes)."""

from __future__ import annotations

import pandas as pd
import pytest

from advisor.files.reading import CLIENT_ID
from advisor.files.writing import is_formula, neutralise, to_csv_bytes, unneutralise


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ana", "Ana"),
        ("", ""),
        ("a=b", "a=b"),
        ("'=x", "''=x"),
        ("''+x", "'''+x"),
        ("'plain", "'plain"),
        ("'", "'"),
        (5, 5),
        (None, None),
    ],
)
def test_neutralise(value: object, expected: object) -> None:
    assert neutralise(value) == expected


def test_to_csv_bytes_neutralises_text_and_keeps_numbers() -> None:
    frame = pd.DataFrame(
        {
            CLIENT_ID: ['=HYPERLINK("x")', "Ana"],
            "relaxation": [5.0, 7.0],
            "wellbeing": [2.5, -1.0],
            "match_spa": [12.34, 99.99],
        }
    )
    text = to_csv_bytes(frame).decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "client_id,relaxation,wellbeing,match_spa"
    assert lines[1] == '"\'=HYPERLINK(""x"")",5,2.5,12.34'
    assert lines[2] == "Ana,7,-1.0,99.99"
    assert text.endswith("\n")
    assert "\r" not in text


def test_to_csv_bytes_neutralises_a_formula_header() -> None:
    text = to_csv_bytes(pd.DataFrame({"=cmd": ["a"]})).decode()
    assert text.splitlines()[0] == "'=cmd"


def test_to_csv_bytes_does_not_change_the_frame() -> None:
    frame = pd.DataFrame({CLIENT_ID: ["=x"], "relaxation": [5.0]})
    to_csv_bytes(frame)
    assert frame.at[0, CLIENT_ID] == "=x"
    assert frame["relaxation"].dtype == float


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1", True),
        ("+1", True),
        ("-1", True),
        ("@x", True),
        ("\tx", True),
        ("\rx", True),
        ("\nx", True),
        ("\0x", True),
        ("'=1", True),  # a formula behind an apostrophe of our own making
        ("''-1", True),
        ("Ana", False),
        ("a=b", False),
        ("'plain", False),
        ("", False),
        ("'", False),
    ],
)
def test_is_formula(value: str, expected: bool) -> None:
    assert is_formula(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("'=SUM(A1)", "=SUM(A1)"),
        ("''=x", "'=x"),  # only one apostrophe comes off
        ("'+1", "+1"),
        ("'plain", "'plain"),  # not before a formula: an apostrophe the person typed
        ("'", "'"),
        ("=x", "=x"),
        ("Ana", "Ana"),
        ("", ""),
    ],
)
def test_unneutralise(value: str, expected: str) -> None:
    assert unneutralise(value) == expected


@pytest.mark.parametrize(
    "value", ["=1+1", "'=x", "''-y", "'plain", "'", "", "Ana", "@a", "\tTab", "a=b"]
)
def test_unneutralise_undoes_neutralise(value: str) -> None:
    assert unneutralise(neutralise(value)) == value


def test_to_csv_bytes_ends_lines_with_crlf_when_a_cell_holds_a_carriage_return() -> None:
    # The cell "a\rb" must be quoted so that a reader keeps it one cell: lines end with \r\n.
    data = to_csv_bytes(pd.DataFrame({CLIENT_ID: ["a\rb", "c"], "relaxation": [1.0, 2.0]}))
    assert data == b'client_id,relaxation\r\n"a\rb",1\r\nc,2\r\n'


def test_to_csv_bytes_keeps_a_column_with_a_missing_value_as_floats() -> None:
    # 5.0 is written "5" only when every value is whole and present: with a NaN it stays "5.0".
    data = to_csv_bytes(pd.DataFrame({"id": ["a", "b"], "relaxation": [5.0, float("nan")]}))
    assert data == b"id,relaxation\na,5.0\nb,\n"
