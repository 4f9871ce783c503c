"""What the two PDFs share: the bundled font and what the font cannot print.

Both the client's one-page answer (advisor.decision.takeaway) and the clinic report
(advisor.clinic.report) are drawn on a PdfPage. It embeds DejaVu Sans from advisor/fonts/ (its
licence is beside it), so Latin, Greek, Cyrillic, Hebrew and Arabic letters print; the font's
widths and glyph ids are read once a process, and each page prints as if it had read them
itself. Text with a right-to-left letter or a combining mark is shaped (uharfbuzz), so that
Arabic and Hebrew read right to left with their letters joined; other text is not (shaping costs
ten times the time).
A character the font has no letter for (Chinese, Japanese and Korean characters, emoji) is
printed as NOT_PRINTED, never dropped or turned into "?", and the page records it: the caller
says so in words (advisor.clinic.report does, for the names an owner typed).
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

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


@cache
def _read_faces() -> dict[str, TTFFont]:
    """Both faces of the font as fpdf2 reads them (widths, glyph ids, metrics), by font key,
    once per process: reading a face costs tens of milliseconds, and the take-away may draw
    several pages to print one."""
    pdf = FPDF()
    for style, name in FONT_FILES.items():
        pdf.add_font(FONT, style, str(FONT_DIR / name))
    for face in pdf.fonts.values():
        face.ttfont.close()
        del face.ttfont  # 6 MB of parsed tables: each page opens the file for itself
    return dict(pdf.fonts)


def _face_for(pdf: FPDF, read: TTFFont) -> TTFFont:
    """`read` for one document, as fpdf2's add_font would make it: what never changes is
    shared (the widths and glyph ids by character, the metrics); what a document fills in is
    its own: the letters it uses and lacks, and the font file, which writing the PDF cuts down
    to those letters in place."""
    face = copy.copy(read)
    face.i = len(pdf.fonts) + 1
    face.cw = copy.copy(read.cw)  # a defaultdict: looking up a missing letter adds it
    face.ttfont = TTFont(read.ttffile, recalcTimestamp=False, lazy=True)
    face.missing_glyphs = []
    face.biggest_size_pt = 0
    face.subset = SubsetMap(face)
    return face


class PdfPage(FPDF):
    """An A4 fpdf2 document in the bundled font (family FONT, styles "" and "B"), with text
    shaping. Every character the font cannot print is drawn as NOT_PRINTED and kept in
    `unprinted`."""

    def __init__(self) -> None:
        super().__init__(format="A4")
        for key, read in _read_faces().items():
            self.fonts[key] = _face_for(self, read)
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
