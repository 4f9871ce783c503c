"""The positioning report: a valid PDF, its text, and user names kept as plain text."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from advisor.catalog import Catalog
from advisor.clinic.menu import services
from advisor.clinic.positioning import axis_positions, best_per_segment, client_mix, segment_matrix
from advisor.clinic.report import ReportContent, clinic_report, not_printed_note, report_names
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
        service_positions=axis_positions(fits),
        segment_positions=axis_positions(catalog.segment_weights),
        shares=catalog.segments["share"],
        keys=map_keys(fits.index, catalog.segment_weights.index),
        mix=shares_table(mix, names).iloc[:, :3],
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
