"""advisor.printing: the PDFs' date, their bundled font, and what it cannot print."""

from __future__ import annotations

import io
from dataclasses import fields
from datetime import UTC, date, datetime

import pandas as pd
import pytest
from fpdf.enums import XPos, YPos
from fpdf.fonts import TTFFont
from pypdf import PdfReader

from advisor import printing
from advisor.catalog import Catalog
from advisor.dates import date_words
from advisor.printing import (
    FONT,
    FONT_DIR,
    NOT_PRINTED,
    PdfPage,
    names_not_printed,
    needs_shaping,
    unprintable,
)


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (date(2026, 11, 29), "29 November 2026"),
        (date(2026, 12, 1), "1 December 2026"),
        (date(2027, 1, 9), "9 January 2027"),
        (date(2028, 2, 29), "29 February 2028"),
        (date(2026, 5, 31), "31 May 2026"),
    ],
)
def test_one_date_format(day, words):
    assert date_words(day) == words


def test_the_font_and_its_licence_are_bundled():
    assert sorted(p.name for p in FONT_DIR.iterdir()) == [
        "DejaVuSans-Bold.ttf",
        "DejaVuSans.ttf",
        "LICENSE",
        "README.md",
    ]
    licence = (FONT_DIR / "LICENSE").read_text(encoding="utf-8")
    assert "Bitstream Vera Fonts Copyright" in licence and "Arev Fonts Copyright" in licence


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Massage détente, 10 € – “deep”", ""),
        ("Массаж спины", ""),  # Cyrillic
        ("Μασάζ", ""),  # Greek
        ("تدليك علاجي", ""),  # Arabic
        ("שלום", ""),  # Hebrew
        ("按摩中心 按摩", "按摩中心"),  # Chinese: each character once, in order
        ("\U0001f486\u200d\u2640\ufe0f Relax", "\U0001f486"),  # the joiner draws nothing anyway
        ("", ""),
    ],
)
def test_unprintable_characters(text, missing):
    assert unprintable(text) == missing


def test_names_not_printed_keeps_each_name_once_in_order():
    names = ["Спа", "按摩", "Relax 💆", "按摩", "Spa massage"]
    assert names_not_printed(names) == ["按摩", "Relax 💆"]
    assert names_not_printed(["Spa", "Μασάζ"]) == []


@pytest.mark.parametrize(
    ("text", "shaped"),
    [
        ("Spa massage", False),
        ("Массаж", False),
        ("تدليك", True),
        ("שלום", True),
        ("é", False),
        ("e\u0301", True),
    ],
)
def test_only_right_to_left_text_and_combining_marks_are_shaped(text, shaped):
    assert needs_shaping(text) is shaped


def _page_text(lines: list[str]) -> tuple[PdfPage, str]:
    pdf = PdfPage()
    pdf.add_page()
    pdf.set_font(FONT, "", 12)
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    reader = PdfReader(io.BytesIO(bytes(pdf.output())))
    return pdf, reader.pages[0].extract_text()


def test_a_page_prints_other_scripts_and_marks_what_it_cannot():
    pdf, text = _page_text(["Массаж спины", "Μασάζ", "تدليك علاجي", "Spa 按摩 💆"])
    lines = text.splitlines()
    assert lines[:3] == ["Массаж спины", "Μασάζ", "تدليك علاجي"]
    assert lines[3] == f"Spa {NOT_PRINTED * 2} {NOT_PRINTED}"
    assert pdf.unprinted == {"按", "摩", "💆"}


def test_every_catalog_text_prints_in_the_pdf_font(catalog: Catalog):
    """The take-away prints only catalog text (and the ASCII share link): none of it may need
    the □ stand-in."""
    frames = [getattr(catalog, f.name) for f in fields(catalog)]
    frames = [frame for frame in frames if isinstance(frame, (pd.DataFrame, pd.Series))]
    assert len(frames) == 24  # every frame of the catalog, and the article's row
    texts = [str(v) for frame in frames for v in frame.astype(str).to_numpy().ravel()]
    assert len(texts) > 600
    assert "".join(unprintable(t) for t in texts) == ""


# Latin in both faces, text that is shaped (Arabic, Hebrew, a combining mark) and letters the
# font lacks: everything a page's font records about what it printed
MIXED = ["Massage détente, 10 €", "تدليك علاجي", "שלום", "e\u0301", "Spa 按摩 💆"]


def _drawn(pdf: PdfPage, lines: list[str]) -> bytes:
    pdf.set_creation_date(datetime(2026, 12, 5, tzinfo=UTC))
    pdf.add_page()
    for style in ("", "B"):
        pdf.set_font(FONT, style, 12)
        for line in lines:
            pdf.multi_cell(0, 6, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def test_a_page_prints_byte_for_byte_as_with_the_font_added_by_fpdf2(monkeypatch):
    # pages in turn, the second with other letters: nothing one page used shows in another
    first, other, again = (_drawn(PdfPage(), t) for t in (MIXED, ["Μασάζ", "Массаж"], MIXED))

    def added(pdf: PdfPage, read: TTFFont) -> TTFFont:
        pdf.add_font(FONT, read.fontkey.removeprefix(FONT), str(read.ttffile))
        return pdf.fonts[read.fontkey]

    monkeypatch.setattr(printing, "_face_for", added)
    assert _drawn(PdfPage(), MIXED) == first == again
    assert _drawn(PdfPage(), ["Μασάζ", "Массаж"]) == other


def test_a_new_page_does_not_read_the_font_file_again(monkeypatch):
    PdfPage()  # the faces are read once a process: here, or by an earlier page

    def read_again(*args, **kwargs):
        raise AssertionError("the font file was read again")

    monkeypatch.setattr(TTFFont, "__init__", read_again)
    assert _drawn(PdfPage(), MIXED).startswith(b"%PDF")
