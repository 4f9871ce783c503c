"""advisor.files.dialect: decoding, line endings, Excel's `sep=` hint, the delimiter sniff."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.errors import InputFileError
from advisor.files.dialect import TextFile, _is_utf8, encoding_of, read_text, sniff_delimiter

BINARY = (
    "x.csv: this is not a text CSV file (it contains binary data); upload a CSV or an "
    "Excel workbook (.xlsx, .xls, .ods), or save the file as CSV UTF-8."
)


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        pytest.param(b"a,b\n", "a,b\n", "utf-8", id="ascii"),
        pytest.param("Zoë".encode(), "Zoë", "utf-8", id="utf-8"),
        pytest.param(b"\xef\xbb\xbfZo\xc3\xab", "Zoë", "utf-8 (with BOM)", id="utf-8-bom"),
        pytest.param("é,ü".encode("utf-16"), "é,ü", "utf-16", id="utf-16-bom"),
        # 0x93/0x94 are curly quotes and 0x80 the euro sign in Windows-1252, not UTF-8.
        pytest.param(b"\x93hi\x94 \x80", "\u201chi\u201d \u20ac", "windows-1252", id="cp1252"),
        # 0x81 is undefined in Windows-1252: only Latin-1 decodes it (as U+0081).
        pytest.param(b"a\x81", "a\x81", "latin-1", id="latin-1"),
    ],
)
def test_each_encoding_is_found_and_read(data: bytes, text: str, encoding: str) -> None:
    assert encoding_of(data, "x.csv") == encoding
    assert read_text(data, "x.csv").text == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"PK\x03\x04\x00\x00", BINARY, id="nul-bytes"),
        # UTF-16 without a BOM has NUL bytes: refused as binary, not guessed.
        pytest.param("a,b".encode("utf-16-be"), BINARY, id="utf-16-without-bom"),
        pytest.param(b"\xff\xfe" + "a\0b".encode("utf-16-le"), BINARY, id="utf-16-with-nul"),
        pytest.param(
            b"\xff\xfea",  # a BOM and one odd byte: no whole UTF-16 code unit
            "x.csv: the file starts like UTF-16 text but cannot be decoded as UTF-16; "
            "save it as CSV UTF-8.",
            id="utf-16-truncated",
        ),
    ],
)
def test_binary_data_is_refused_naming_the_file(data: bytes, message: str) -> None:
    with pytest.raises(InputFileError) as raised:
        encoding_of(data, "x.csv")
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"a,b\n1,2\n", TextFile("a,b\n1,2\n", "utf-8", ",", 0), id="comma"),
        pytest.param(b"a;b\n1,5;2\n", TextFile("a;b\n1,5;2\n", "utf-8", ";", 0), id="semicolon"),
        pytest.param(b"a\tb\n1\t2\n", TextFile("a\tb\n1\t2\n", "utf-8", "\t", 0), id="tab"),
        pytest.param(b"a;b\r1;2\r", TextFile("a;b\n1;2\n", "utf-8", ";", 0), id="mac-cr"),
        pytest.param(b"a;b\r\n1;2\r\n", TextFile("a;b\r\n1;2\r\n", "utf-8", ";", 0), id="crlf"),
        pytest.param(b"sep=;\na,b;c\n", TextFile("a,b;c\n", "utf-8", ";", 1), id="sep-hint"),
        pytest.param(b"SEP=|\r\na|b\r\n", TextFile("a|b\r\n", "utf-8", "|", 1), id="sep-crlf"),
        pytest.param(
            b"\xef\xbb\xbfsep=\t\na\tb\n",
            TextFile("a\tb\n", "utf-8 (with BOM)", "\t", 1),
            id="bom-then-sep-hint",
        ),
        pytest.param(b"sep=;\r1;2\r", TextFile("1;2\n", "utf-8", ";", 1), id="sep-hint-mac-cr"),
        pytest.param(b"single\n", TextFile("single\n", "utf-8", ",", 0), id="one-column"),
    ],
)
def test_read_text(data: bytes, expected: TextFile) -> None:
    assert read_text(data, "x.csv") == expected


def test_read_text_names_the_file_for_binary_data() -> None:
    with pytest.raises(InputFileError, match=r"^survey\.xlsx: this is not a text CSV file"):
        read_text(b"\0\0\0", "survey.xlsx")


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("a,b,c", ","),
        ("a;b;c", ";"),
        ("a\tb\tc", "\t"),
        ("", ","),
        ("only", ","),
        # quoted commas do not count: one bare comma against two semicolons
        ('"How, if at all?";b;c', ";"),
        ('"x;y;z",b,c', ","),
        # two semicolons against one comma
        ("a,b;c;d", ";"),
        # a tie goes to the first in DELIMITERS order (comma, semicolon, tab)
        ("a,b;c", ","),
        ("a;b\tc", ";"),
    ],
)
def test_sniff_delimiter(header: str, delimiter: str) -> None:
    assert sniff_delimiter(header) == delimiter


def test_read_text_with_a_head_decodes_only_the_first_lines() -> None:
    data = b"client_id;relaxation\n" + "Zoë;5\n".encode() * 10_000
    text_file = read_text(data, "x.csv", head_bytes=100)
    assert not text_file.whole
    assert text_file.text.startswith("client_id;relaxation\nZoë;5\n")
    assert len(text_file.text) < 110
    assert (text_file.delimiter, text_file.codec) == (";", "utf-8")
    assert read_text(data, "x.csv").whole


@given(st.text(max_size=200), st.integers(1, 9), st.binary(max_size=3))
def test_utf8_is_checked_a_chunk_at_a_time_as_decoding_it_whole_would(text, chunk, tail) -> None:
    """A character cut in two between chunks is still UTF-8; a bad byte anywhere is not."""
    data = text.encode("utf-8") + tail
    try:
        data.decode("utf-8")
        whole = True
    except UnicodeDecodeError:
        whole = False
    assert _is_utf8(data, chunk) is whole
