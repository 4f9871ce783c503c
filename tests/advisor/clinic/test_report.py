"""The positioning report: a valid PDF, its text, and user names kept as plain text."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from advisor.catalog import Catalog
from advisor.clinic.menu import services
from advisor.clinic.positioning import axis_positions, best_per_segment, client_mix, segment_matrix
from advisor.clinic.report import ReportContent, clinic_report
from advisor.figures.clinic import map_keys, shares_table
from advisor.files.reading import read_survey

SUMMARY = ["Lead with spa massage for stressed professionals.", "The biggest gap is wellness."]


def content(catalog: Catalog, menu=None) -> ReportContent:
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
        source="Sample survey (synthetic)",
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
        made_on=date(2026, 11, 29),
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


@pytest.mark.parametrize(
    "name", ["Visit www.example.invalid today", "<b>Hot</b> stones", "Massage 💆 détente 按摩"]
)
def test_user_names_are_written_as_typed(catalog, name):
    import pandas as pd

    menu = pd.DataFrame([{"name": name, **dict.fromkeys(catalog.criterion_ids, 6.0)}])
    pdf = clinic_report(content(catalog, menu))
    reader = PdfReader(io.BytesIO(pdf))
    assert not any("/Annots" in page for page in reader.pages)  # no link anywhere
    assert name.split()[0] in text_of(pdf)
