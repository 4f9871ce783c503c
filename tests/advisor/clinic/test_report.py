"""The positioning report: a valid PDF, its text, and user names kept as plain text."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from advisor.catalog import Catalog
from advisor.clinic.menu import services
from advisor.clinic.positioning import axis_positions, best_per_segment, client_mix, segment_matrix
from advisor.clinic.report import (
    ReportContent,
    clinic_report,
    not_printed_note,
    reading_lines,
    report_content,
    report_names,
)
from advisor.figures.clinic import map_keys, shares_table
from advisor.files.reading import read_survey

SUMMARY = ["Lead with spa massage for stressed professionals.", "The biggest gap is wellness."]


def content(
    catalog: Catalog, menu=None, source="Sample survey (synthetic)", day=date(2026, 11, 29)
) -> ReportContent:
    import pandas as pd

    survey = read_survey(
        (catalog.data_dir / "sample_survey.csv").read_bytes(), catalog.criterion_ids
    ).frame
    menu = menu if menu is not None else pd.DataFrame(columns=["name", *catalog.criterion_ids])
    fits, own = services(catalog.fits, menu)
    names = {t: catalog.display_name(t, own) for t in fits.index}
    matrix = segment_matrix(catalog.segment_weights, fits)
    mix = client_mix(survey, fits, catalog.segment_weights)
    return ReportContent(
        source=source,
        clients=len(survey),
        summary=SUMMARY,
        matrix=matrix,
        best=best_per_segment(matrix),
        service_names=names,
        segment_names=dict(catalog.segments["label"]),
        service_positions=axis_positions(fits, catalog.map_axes),
        segment_positions=axis_positions(catalog.segment_weights, catalog.map_axes),
        axes=catalog.map_axes,
        shares=catalog.segments["share"],
        keys=map_keys(fits.index, catalog.segment_weights.index),
        mix=shares_table(mix.split(), names).iloc[:, :3],
        design=["Spa massage, clinical therapist.", "Who delivers it: a clinical therapist."],
        made_on=day,
    )


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_report_is_a_pdf_holding_every_part(catalog):
    pdf = clinic_report(content(catalog))
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    for part in [
        "Made on 29 November 2026 from Sample survey (synthetic) (600 clients)",
        *SUMMARY,
        "Segment fit",
        "Positioning map",
        "1 Referred patients",
        "A Medical massage",
        "Client mix",
        "A service designed for the gap",
        "Spa massage, clinical therapist.",
    ]:
        assert part in text, part


def menu_of(catalog: Catalog, *names: str):
    import pandas as pd

    return pd.DataFrame([{"name": n, **dict.fromkeys(catalog.criterion_ids, 6.0)} for n in names])


NOTE_1 = (
    "Some characters of 1 name in this report could not be printed and show as □: the "
    "report's font has no letters for some scripts, such as Chinese, nor for emoji. The app "
    "keeps every name as it was typed."
)


@pytest.mark.parametrize(
    "name",
    [
        "Visit www.example.invalid today",
        "<b>Hot</b> stones",
        "Massage détente",
        "Массаж спины",  # Cyrillic
        "Μασάζ πλάτης",  # Greek
        "تدليك علاجي",  # Arabic, shaped: right to left, letters joined
        "עיסוי רפואי",  # Hebrew
    ],
)
def test_user_names_are_written_as_typed(catalog, name):
    pdf = clinic_report(content(catalog, menu_of(catalog, name)))
    reader = PdfReader(io.BytesIO(pdf))
    assert not any("/Annots" in page for page in reader.pages)  # no link anywhere
    text = text_of(pdf)
    assert f"C {name} " in text  # the map's key: the first own service is C
    assert "□" not in text and "could not be printed" not in text


def test_a_name_the_font_cannot_print_is_marked_and_the_report_says_so(catalog):
    pdf = clinic_report(content(catalog, menu_of(catalog, "按摩 中心", "Massage 💆 détente")))
    text = text_of(pdf)
    assert "C □□ □□ D Massage □ détente " in text
    assert "按" not in text and "?" not in text.split("Segment fit")[0]
    assert NOTE_1.replace("1 name", "2 names") in text
    # the note comes right after the date line, before the answer
    assert text.index("could not be printed") < text.index("The answer")


def test_the_survey_file_name_counts_as_a_name(catalog):
    text = text_of(clinic_report(content(catalog, source="客户.csv")))
    assert "from □□.csv (600 clients)" in text
    assert NOTE_1 in text


def test_the_note_counts_the_names_the_page_checks(catalog):
    names = {"medical": "Medical massage", "spa": "Spa massage", "own_1": "按摩"}
    assert report_names(names, "mine.csv") == [
        "Medical massage",
        "Spa massage",
        "按摩",
        "mine.csv",
    ]
    assert not_printed_note(report_names(names, "mine.csv")) == NOTE_1
    assert not_printed_note(report_names(names, "按摩")) == NOTE_1  # the same name once
    assert not_printed_note(["Спа", "Μασάζ", "تدليك"]) is None


def test_the_report_dates_like_the_take_away(catalog):
    text = text_of(clinic_report(content(catalog, day=date(2026, 12, 1))))
    assert "Made on 1 December 2026 from Sample survey (synthetic)" in text


# Layout with real menus: many long names, and a name as long as a menu allows.
EIGHT = [f"Service number {i} with a long name" for i in range(8)]
SIXTY = "Deep tissue hot stone aromatherapy back and shoulder massage"
FOOTER_TOP = 16 / 25.4 * 72  # pt above the page's bottom edge: the automatic page break


def pages_of(pdf: bytes) -> list[list[tuple[str, tuple[float, float, float, float]]]]:
    """Every printed character of each page with its box (left, bottom, right, top, in pt)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    pages = []
    for page in document:
        text = page.get_textpage()
        chars = [
            (text.get_text_range(i, 1), text.get_charbox(i)) for i in range(text.count_chars())
        ]
        pages.append([(c, box) for c, box in chars if c.strip()])
    return pages


def words_of(names) -> set[str]:
    return {word for name in names for word in name.split()}


def assert_words_whole(text: str, names) -> None:
    """No word of `names` is printed in pieces: no token of the text is the start or the end
    of such a word (e.g. "Medica" and "l" from "Medical") unless it is a word of its own."""
    words = words_of(names)
    markers = {*"ABCDEFGHIJKL0123456789", "a"}  # the map's labels, and the word "a"
    for token in {t.strip(".,:;()*") for t in text.split()} - words - markers - {""}:
        for word in words:
            assert not (word.startswith(token) or word.endswith(token)), (token, word)


def assert_laid_out(pdf: bytes) -> None:
    """No two characters overlap, and only the footer is printed below the page-break line."""
    for number, chars in enumerate(pages_of(pdf), start=1):
        low = "".join(c for c, (_, bottom, _, _) in chars if bottom < FOOTER_TOP)
        assert low == f"MassageAdvisor:positioningreport,page{number}", (number, low)
        ordered = sorted(enumerate(chars), key=lambda item: item[1][1][0])
        for at, (i, (char, (_, bottom, right, top))) in enumerate(ordered):
            for j, (other, (left2, bottom2, _, top2)) in ordered[at + 1 :]:
                if left2 >= right - 0.3:
                    break
                if abs(i - j) > 1 and min(top, top2) - max(bottom, bottom2) > 0.3:
                    raise AssertionError(f"page {number}: {char!r} overlaps {other!r}")


def spread_menu(catalog: Catalog, names):
    """Own services with different fits, so that their markers on the map do not coincide."""
    import pandas as pd

    ids = catalog.criterion_ids
    return pd.DataFrame(
        [
            {"name": n, **{c: float((3 * i + k) % 11) for k, c in enumerate(ids)}}
            for i, n in enumerate(names)
        ]
    )


def test_eight_long_named_services_fit_their_pages(catalog):
    pdf = clinic_report(content(catalog, spread_menu(catalog, EIGHT)))
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 2
    # the map moves whole to page 2, with its axis labels and the whole key
    map_page = next(page for page in pages if "Positioning map" in page)
    for part in ["Therapeutic focus (0-10)", "J Service number 7 with a long name", "services."]:
        assert part in map_page, part
    text = " ".join(pages)
    segments = list(catalog.segments["label"])
    for name in ["Medical massage", "Spa massage", *EIGHT, *segments]:
        assert name in text, name
    # the heatmap's headers are the segments, each wrapped only at a space
    for segment in segments:
        assert segment in text.split("Positioning map")[0].replace("\n", " "), segment
    assert_words_whole(text, ["Medical massage", "Spa massage", *EIGHT, *segments])
    assert_laid_out(pdf)


def test_a_name_as_long_as_allowed_wraps_in_its_cells(catalog):
    from advisor.clinic.menu import MAX_NAME_LENGTH

    assert len(SIXTY) == MAX_NAME_LENGTH
    pdf = clinic_report(content(catalog, menu_of(catalog, SIXTY)))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    text = text_of(pdf)
    assert f"C {SIXTY} " in text  # the key, whole
    assert_words_whole(text, [SIXTY, "Medical massage", "Spa massage"])
    assert_laid_out(pdf)  # the name wraps rather than run over the numbers beside it


MISSING = (
    "header: missing criteria set to 0: Range of motion (range_of_motion), Injury recovery "
    "(injury_recovery)."
)
BLANKS = "3 cells are blank; they count as 0."


def test_the_notes_on_how_the_survey_was_read_come_before_the_answer(catalog):
    text = text_of(clinic_report(replace(content(catalog), notes=(MISSING, BLANKS))))
    opening = (
        "How your survey was read The figures below rest on how your survey was read. The app "
        "made 2 notes on it: what was left out, counted as 0 or rescaled. Where a note names a "
        "choice, you make it on the Position my clinic page."
    )
    assert opening in text
    assert f"- {MISSING} - {BLANKS} The answer" in text
    assert text.index("Made on") < text.index(opening) < text.index("The answer")


def test_a_survey_read_without_a_note_has_no_reading_section(catalog):
    assert "How your survey was read" not in text_of(clinic_report(content(catalog)))


def test_one_note_is_one_note(catalog):
    assert reading_lines((BLANKS,)) == [
        "The figures below rest on how your survey was read. The app made 1 note on it: what "
        "was left out, counted as 0 or rescaled. Where a note names a choice, you make it on "
        "the Position my clinic page.",
        f"- {BLANKS}",
    ]


def test_the_report_of_an_answer_carries_its_surveys_notes(catalog):
    from advisor.clinic.answer import Clients, clinic_answer
    from advisor.clinic.design import Brief, design_service

    survey = read_survey(
        (catalog.data_dir / "sample_survey.csv").read_bytes(), catalog.criterion_ids
    ).frame.head(20)
    design = design_service(
        Brief(
            survey,
            catalog.fits,
            catalog.fits,
            catalog.criteria_by_dimension(),
            catalog.service_limits,
        )
    )
    names = {"medical": "Medical massage", "spa": "Spa massage"}
    clients = Clients("mine.csv", False, catalog.criterion_ids, (MISSING,))
    answer = clinic_answer(survey, catalog.fits, names, catalog, 70, clients, design, "New")
    assert report_content(answer, catalog, date(2026, 12, 6)).notes == (MISSING,)
    text = text_of(clinic_report(report_content(answer, catalog, date(2026, 12, 6))))
    assert "from mine.csv (20 clients)" in text and f"- {MISSING}" in text


def test_a_report_of_one_client_says_one_client(catalog):
    text = text_of(clinic_report(replace(content(catalog), clients=1)))
    assert "from Sample survey (synthetic) (1 client). Where" in text
