"""What the two PDFs share: the bundled font and what the font cannot print.

Both the client's one-page answer (advisor.decision.takeaway) and the clinic report
(advisor.clinic.report) are drawn on a PdfPage. It embeds DejaVu Sans from advisor/fonts/ (its
licence is beside it), so Latin, Greek, Cyrillic, Hebrew and Arabic letters print. Text with a
right-to-left letter or a combining mark is shaped (uharfbuzz), so that Arabic and Hebrew read
right to left with their letters joined; other text is not (shaping costs ten times the time).
A character the font has no letter for (Chinese, Japanese and Korean characters, emoji) is
printed as NOT_PRINTED, never dropped or turned into "?", and the page records it: the caller
says so in words (advisor.clinic.report does, for the names an owner typed).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF

FONT_DIR = Path(__file__).parent / "fonts"
FONT = "dejavu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
NOT_PRINTED = "□"  # what stands in for a character the font cannot print
FONT_LACKS = "has no letters for some scripts, such as Chinese, nor for emoji"


@cache
def _printable() -> frozenset[int]:
    """The code points both faces of the font (regular and bold) have a letter for."""
    faces = [set(TTFont(FONT_DIR / name).getBestCmap()) for name in FONT_FILES.values()]
    return frozenset(set.intersection(*faces))


def _prints(char: str) -> bool:
    # line breaks and invisible format characters (a zero-width joiner) draw nothing anyway
    return ord(char) in _printable() or char in "\n\r" or unicodedata.category(char) == "Cf"


def needs_shaping(text: str) -> bool:
    """True when `text` has a right-to-left letter (Arabic, Hebrew) or a combining mark: only
    shaping draws those right (in order, joined, marks placed on their letter)."""
    return any(
        unicodedata.bidirectional(c) in ("R", "AL") or unicodedata.category(c) in ("Mn", "Mc")
        for c in text
    )


def unprintable(text: str) -> str:
    """The characters of `text` that the PDFs' font cannot print, each once, in order of first
    appearance ("" when every character prints)."""
    return "".join(dict.fromkeys(c for c in text if not _prints(c)))


def names_not_printed(names: Iterable[str]) -> list[str]:
    """The names, each once and in order, that have at least one character the font cannot
    print: what the PDF and the page offering it both tell the reader about."""
    return [name for name in dict.fromkeys(names) if unprintable(name)]


class PdfPage(FPDF):
    """An A4 fpdf2 document in the bundled font (family FONT, styles "" and "B"), with text
    shaping. Every character the font cannot print is drawn as NOT_PRINTED and kept in
    `unprinted`."""

    def __init__(self) -> None:
        super().__init__(format="A4")
        for style, name in FONT_FILES.items():
            self.add_font(FONT, style, str(FONT_DIR / name))
        self.set_text_shaping(True)
        self._shaping = self.text_shaping
        self.set_text_shaping(False)
        self.unprinted: set[str] = set()

    def normalize_text(self, text: str) -> str:
        """Every text fpdf2 measures or draws passes here first, so this is where shaping is
        switched on for that text when it needs it (needs_shaping), and where unprintable
        characters become NOT_PRINTED (fpdf2 would otherwise leave a blank, with a warning only
        in the server's log)."""
        self.text_shaping = self._shaping if needs_shaping(text) else None
        missing = unprintable(text)
        if not missing:
            return text
        self.unprinted.update(missing)
        return "".join(NOT_PRINTED if c in missing else c for c in text)
