"""Text files as spreadsheets and form tools write them: encoding, line endings, `sep=`, delimiter.

Encodings are tried in this order: UTF-16 or UTF-8 by their byte-order mark, UTF-8, then
Windows-1252 (what Excel writes on Western-European Windows: curly quotes and the euro sign live
in bytes 0x80-0x9F, which Latin-1 reads as invisible control characters), then Latin-1, which
decodes any byte. A first line `sep=;` (Excel's delimiter hint) is honoured and left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.errors import InputFileError

DELIMITERS = (",", ";", "\t")
_SEP_HINT = re.compile(r"^\ufeff?sep=(.)\s*$", re.IGNORECASE)
_QUOTED = re.compile(r'"[^"]*"')
_SNIFF_CHARS = 8192


@dataclass(frozen=True)
class TextFile:
    """A decoded text file: `text` without any `sep=` line, and how it was read.

    `skipped_lines` is 1 when a `sep=` line was left out (so that row numbers still count the
    file's own lines), else 0.
    """

    text: str
    encoding: str
    delimiter: str
    skipped_lines: int


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The text of `data` and the encoding it was read in; InputFileError for binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputFileError(
                f"{name}: the file starts like UTF-16 text but cannot be decoded as UTF-16; "
                "save it as CSV UTF-8."
            ) from None
        if "\0" in text[:_SNIFF_CHARS]:
            raise InputFileError(_binary(name))
        return text, "utf-16"
    if b"\0" in data[:_SNIFF_CHARS]:
        raise InputFileError(_binary(name))
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8 (with BOM)"
    for encoding in ("utf-8", "windows-1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _binary(name: str) -> str:
    return (
        f"{name}: this is not a text CSV file (it contains binary data); upload a CSV or an "
        "Excel workbook (.xlsx, .xls, .ods), or save the file as CSV UTF-8."
    )


def read_text(data: bytes, name: str) -> TextFile:
    """Decode `data`, make bare carriage returns line ends, honour `sep=`, find the delimiter."""
    text, encoding = decode(data, name)
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")  # an old Mac file: every line ends in a bare CR
    first, _, rest = text.partition("\n")
    hint = _SEP_HINT.match(first.rstrip("\r"))
    if hint:
        return TextFile(rest, encoding, hint.group(1), 1)
    return TextFile(text, encoding, sniff_delimiter(first), 0)


def sniff_delimiter(header_line: str) -> str:
    """The delimiter used most often in the header line outside quotes (a comma if none)."""
    bare = _QUOTED.sub("", header_line)
    counts = {sep: bare.count(sep) for sep in DELIMITERS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","
