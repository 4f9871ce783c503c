"""Text files as spreadsheets and form tools write them: encoding, line endings, `sep=`, delimiter.

Encodings are tried in this order: UTF-16 or UTF-8 by their byte-order mark, UTF-8, then
Windows-1252 (what Excel writes on Western-European Windows: curly quotes and the euro sign live
in bytes 0x80-0x9F, which Latin-1 reads as invisible control characters), then Latin-1, which
decodes any byte. A first line `sep=;` (Excel's delimiter hint) is honoured and left out.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from advisor.errors import InputFileError

DELIMITERS = (",", ";", "\t")
_SEP_HINT = re.compile(r"^\ufeff?sep=(.)\s*$", re.IGNORECASE)
_QUOTED = re.compile(r'"[^"]*"')
_SNIFF_CHARS = 8192


@dataclass(frozen=True)
class TextFile:
    """A decoded text file: `text` without any `sep=` line, and how it was read.

    `skipped_lines` is 1 when a `sep=` line was left out (so that row numbers still count the
    file's own lines), else 0. `codec` is the Python codec that decodes the file's bytes as
    `encoding` says (what pandas is given to read the bytes itself). `whole` is False when
    `text` is only the file's first lines (see `read_text`'s `head_bytes`). `notes` say what a
    reader should check (a file mixing two encodings), without the file's name.
    """

    text: str
    encoding: str
    delimiter: str
    skipped_lines: int
    codec: str = field(default="utf-8", compare=False)
    whole: bool = field(default=True, compare=False)
    notes: tuple[str, ...] = field(default=(), compare=False)


CODECS = {
    "utf-8": "utf-8",
    "utf-8 (with BOM)": "utf-8-sig",
    "utf-16": "utf-16",
    "windows-1252": "cp1252",
    "latin-1": "latin-1",
}
# The five bytes Windows-1252 leaves undefined: a file holding one is read as Latin-1.
_CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
# UTF-8's two- and three-byte letters and punctuation (é is C3 A9, the curly quote E2 80 9C).
_UTF8_SEQUENCE = re.compile(rb"[\xc2\xc3][\x80-\xbf]|\xe2[\x80-\x82][\x80-\xbf]")


def encoding_of(data: bytes, name: str) -> str:
    """The encoding `data` is read in (a key of CODECS); InputFileError for binary data."""
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
        return "utf-16"
    if b"\0" in data[:_SNIFF_CHARS]:
        raise InputFileError(_binary(name))
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8 (with BOM)"
    if _is_utf8(data):
        return "utf-8"
    if any(byte in data for byte in _CP1252_UNDEFINED):
        return "latin-1"
    return "windows-1252"


def utf16_marked(data: bytes) -> bytes:
    """`data` with a UTF-16 byte-order mark put in front when it is UTF-16 text written without
    one (Excel's "Unicode Text" from some tools, or a script's utf-16-le): in its first bytes
    every zero byte sits in the same half of each two-byte unit (the high byte of a Latin
    letter, digit or delimiter), at least half the units have one, and they decode to two or
    more lines of printable text (tabs aside). Anything else is returned as it is (a binary
    file is refused later as binary)."""
    head = data[:_SNIFF_CHARS]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or len(data) % 2 or b"\0" not in head:
        return data
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if min(even, odd) or max(even, odd) * 2 < len(head) // 2:
        return data
    codec, mark = ("utf-16-le", b"\xff\xfe") if odd else ("utf-16-be", b"\xfe\xff")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return data
    lines = text[:_SNIFF_CHARS].splitlines()
    return (
        mark + data
        if len(lines) > 1 and all(line.replace("\t", "").isprintable() for line in lines)
        else data
    )


def _is_utf8(data: bytes, chunk: int = 1024 * 1024) -> bool:
    """Whether `data` is UTF-8 throughout, checked a megabyte at a time: a file that is not
    stops at its first such byte (a Windows-1252 file of 66 MB: 0.1 ms, not the 60 ms of
    decoding it whole), and no copy of the whole file is made as text."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), chunk):
            decoder.decode(view[start : start + chunk])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def mixed_encodings(data: bytes, encoding: str) -> str | None:
    """A note when a file read as Windows-1252 or Latin-1 also holds UTF-8 letters: a file
    put together from two sources, whose accented letters will show garbled (é as Ã©)."""
    if encoding not in ("windows-1252", "latin-1"):
        return None
    if not any(lead in data for lead in (b"\xc2", b"\xc3", b"\xe2")):
        return None  # the cheap test first: none of UTF-8's usual lead bytes
    found = _UTF8_SEQUENCE.search(data)
    if found is None:
        return None
    line = data.count(b"\n", 0, found.start()) + 1
    return (
        f"the file mixes two encodings: it was read as {encoding}, but some text (first "
        f"on line {line}) is written in UTF-8, so its accented letters and quotes show garbled "
        "(such as Ã© for é). Check the client ids, or save the file again as CSV UTF-8."
    )


def _bad_utf8(data: bytes, encoding: str) -> str | None:
    """A note when a file that says it is UTF-8 (its byte-order mark) holds bytes that are not:
    they are read as the replacement character, shown as �."""
    if encoding != "utf-8 (with BOM)":
        return None
    try:
        data[3:].decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start + 3) + 1
        return (
            f"the file says it is UTF-8, but some bytes are not (first on line {line}); "
            "they show as �. Check the client ids there, or save the file again as CSV UTF-8."
        )
    return None


def _binary(name: str) -> str:
    return (
        f"{name}: this is not a text CSV file (it contains binary data); upload a CSV or an "
        "Excel workbook (.xlsx, .xls, .ods), or save the file as CSV UTF-8."
    )


def read_text(data: bytes, name: str, head_bytes: int | None = None) -> TextFile:
    """Decode `data`, make bare carriage returns line ends, honour `sep=`, find the delimiter.

    With `head_bytes`, only about that many bytes from the start are decoded (whole lines, at
    least the header), for a reader that hands the bytes to pandas and needs only the header.
    """
    encoding = encoding_of(data, name)
    codec = CODECS[encoding]
    notes = tuple(n for n in (mixed_encodings(data, encoding), _bad_utf8(data, encoding)) if n)
    whole = head_bytes is None or len(data) <= head_bytes or codec == "utf-16"
    text = data.decode(codec, errors="replace") if whole else _head(data, codec, head_bytes)
    if not whole and "\n" not in text and "\r" not in text:
        text, whole = data.decode(codec, errors="replace"), True  # the header is longer
    if "\n" not in text and "\r" in text:
        text = text.replace("\r", "\n")  # an old Mac file: every line ends in a bare CR
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    hint = _SEP_HINT.match(first.rstrip("\r"))
    if hint:
        rest = text[end + 1 :] if end >= 0 else ""
        return TextFile(rest, encoding, hint.group(1), 1, codec, whole, notes)
    return TextFile(text, encoding, sniff_delimiter(text[:_SNIFF_CHARS]), 0, codec, whole, notes)


def _head(data: bytes, codec: str, head_bytes: int) -> str:
    """The first `head_bytes` of `data` decoded, without a character cut in two."""
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    return decoder.decode(data[:head_bytes], final=False)


def sniff_delimiter(text: str, lines: int = 20) -> str:
    """The delimiter of the first `lines` lines of `text` (outside quotes): the one that splits
    the most lines into the same number of cells (a header and its rows), then the one used
    most often in such a line, then the first in DELIMITERS order; a comma if none is used.

    So a title line above the header ("Survey, summer 2025") or decimal commas in a semicolon
    file's answers do not decide it, and a lone header line is split by its most used one.
    """
    rows = [line for line in _QUOTED.sub("", text).split("\n")[:lines] if line.strip()]
    best, best_key = ",", (0, 0)
    for sep in DELIMITERS:
        counts = [line.count(sep) for line in rows]
        used = [c for c in counts if c]
        if not used:
            continue
        common = max(set(used), key=lambda c: (used.count(c), c))
        key = (used.count(common), common)
        if key > best_key:
            best, best_key = sep, key
    return best
