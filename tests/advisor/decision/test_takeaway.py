"""advisor.decision.takeaway: a valid one-page PDF holding the answer, and the numbers as CSV."""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from advisor.about import deployment
from advisor.catalog import Catalog
from advisor.dates import date_words
from advisor.decision.explanation import Explanation, explain
from advisor.decision.takeaway import (
    LAYOUTS,
    MAX_ONE_PAGE_ITEMS,
    _draw,
    result_csv,
    result_frame,
    takeaway_pdf,
)
from tests.advisor.test_catalog import DESIGN_CRITERIA

LINK = "https://clinic.example/find_my_massage?preset=blank&certainty=medium&relaxation=5"
DAY = date(2026, 11, 29)
ALL_FLAGS = [  # every item of the safety screen (data/red_flags.csv), in its order
    "pregnancy_later", "pregnancy_early", "pregnancy_high_risk", "blood_clot", "blood_thinners",
    "bleeding_or_low_platelets", "cancer_treatment_now", "cancer_history_lymphoedema",
    "recent_surgery", "fever_or_infection", "skin_problem_in_area", "fragile_bones",
    "fresh_injury", "injury_red_signs", "heart_or_bp_not_controlled", "numb_areas",
    "varicose_veins", "unexplained_pain",
]  # fmt: skip
FLAGS = ["recent_surgery", "fresh_injury", "blood_clot", "fever_or_infection", "numb_areas"]
CRITERIA = list(DESIGN_CRITERIA)  # the catalog's criteria, in their order


def read(pdf: bytes) -> tuple[int, str]:
    """Page count and the text of the first page, whitespace collapsed."""
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), " ".join(reader.pages[0].extract_text().split())


@pytest.mark.parametrize(
    ("weights", "flags", "expected"),
    [
        ("injury", [], ["Medical massage clearly fits you best: 88% against 24%", "88%", "24%"]),
        (
            {"relaxation": 5, "pain_relief": 5, "wellbeing": 3},
            [],
            ["Too close to call between Spa massage (71%)", "What points the other way"],
        ),
        (
            "chronic_pain",
            ["fever_or_infection"],
            ["TALK TO A HEALTHCARE PROVIDER FIRST.", "Wait until you"],
        ),
        ("chronic_pain", FLAGS, ["TALK TO A HEALTHCARE PROVIDER FIRST.", "needs a doctor today"]),
        ("doctor_referral", FLAGS, ["For after a healthcare provider has cleared you:"]),
        ({cid: 10 for cid in ["relaxation", "pain_relief"]}, FLAGS, ["Source: NHS"]),
        ("treat_myself", ["pregnancy_later"], ["MASSAGE WITH CARE.", "trained in massage for"]),
        ("injury", None, ["Safety check: not answered yet."]),
        (
            {"short_targeted": 7, "long_indulgent": 6},
            [],
            ["Neither type fits you well", "Tell a therapist what you need"],
        ),
    ],
)
def test_pdf_is_one_page_with_the_answer(catalog, weights, flags, expected):
    if isinstance(weights, str):
        weights = dict(catalog.preset_weights.loc[weights])
    exp = explain(catalog, weights, "medium", flags)
    pages, text = read(takeaway_pdf(catalog, exp, LINK, DAY))
    assert pages == 1
    assert exp.verdict in text
    for words in [*expected, "Notes from your therapist", "Made on 29 November 2026", LINK]:
        assert words in text
    assert "This tool compares kinds of massage. It is not medical advice." in text
    assert "Medical and Orthopedic Massage — What is the difference" in text


def test_pdf_reasons_next_steps_and_priorities(catalog):
    exp = explain(catalog, dict(catalog.preset_weights.loc["doctor_referral"]), "high")
    _, text = read(takeaway_pdf(catalog, exp, LINK, DAY))
    assert "How sure I am of my priorities: Very sure." in text
    assert exp.reasons_for[0].text in text
    assert "(Source: Purpose and Goal)" in text
    assert "First step: A doctor or other health worker often asks for medical massage" in text
    assert "Part of my care plan 10" in text
    assert exp.firmness in text


def test_pdf_without_priorities_invites_to_set_them(catalog):
    pages, text = read(takeaway_pdf(catalog, explain(catalog, {}, "medium"), LINK, DAY))
    assert pages == 1 and "No recommendation yet" in text


@settings(max_examples=25, deadline=None)
@given(
    st.dictionaries(st.sampled_from(CRITERIA), st.integers(0, 10)),
    st.lists(st.sampled_from(ALL_FLAGS), unique=True, max_size=MAX_ONE_PAGE_ITEMS),
)
def test_pdf_always_fits_one_page(catalog, weights, flags):
    # the share link grows with the priorities set: every one of them is in it
    link = f"{LINK}&" + "&".join(f"{cid}={w}" for cid, w in weights.items())
    pages, _ = read(takeaway_pdf(catalog, explain(catalog, weights, "low", flags), link, DAY))
    assert pages == 1


def test_every_item_ticked_runs_onto_a_second_sheet_and_says_each(catalog):
    weights = {cid: 10 - i % 4 for i, cid in enumerate(CRITERIA)}
    exp = explain(catalog, weights, "low", ALL_FLAGS)
    reader = PdfReader(io.BytesIO(takeaway_pdf(catalog, exp, LINK, DAY)))
    assert len(reader.pages) == 2
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for label in catalog.red_flags["label"]:
        assert label in text


def test_the_longest_page_uses_smaller_type_rather_than_a_second_sheet(catalog):
    # every safety item, every priority set and a share link of three lines
    assert list(catalog.criterion_ids) == CRITERIA
    assert list(catalog.red_flags.index) == ALL_FLAGS
    weights = {cid: 10 - i % 4 for i, cid in enumerate(CRITERIA)}
    link = f"{LINK}&" + "&".join(f"{cid}={w}" for cid, w in weights.items())
    exp = explain(catalog, weights, "low", FLAGS)
    pages, text = read(takeaway_pdf(catalog, exp, link, DAY))
    assert pages == 1
    assert LAYOUTS[4] == (1, 7.0, 3, True) and LAYOUTS[3] == (1, 7.5, 3, True)
    pages = [_draw(catalog, exp, link, DAY, layout).page_no() for layout in LAYOUTS]
    assert pages == [2, 2, 2, 2, 1, 1, 1]
    assert exp.reasons_for[0].text in text and exp.reasons_for[1].text not in text


@pytest.mark.parametrize(
    ("day", "words"), [(date(2026, 12, 1), "1 December 2026"), (date(2027, 1, 9), "9 January 2027")]
)
def test_the_take_away_dates_like_the_clinic_report(catalog, day, words):
    _, text = read(takeaway_pdf(catalog, explain(catalog, {"relaxation": 5}, "medium"), LINK, day))
    assert f"Made on {words}. How sure I am of my priorities: Fairly sure." in text
    assert date_words(day) == words


def test_the_firmness_line_is_the_pages(catalog):
    exp = explain(catalog, {"relaxation": 5, "pain_relief": 5, "wellbeing": 3}, "medium")
    _, text = read(takeaway_pdf(catalog, exp, LINK, DAY))
    assert (
        "- Spa massage stays ahead in 51 of 100 similar sets of priorities. In each set, every "
        "priority moves up or down by up to 2 points." in text
    )


def test_csv_keeps_the_numbers(catalog):
    exp = explain(catalog, {"relaxation": 5, "pain_relief": 5}, "medium")
    frame = pd.read_csv(io.BytesIO(result_csv(catalog, exp)))
    total = frame[frame["criterion_id"] == "total"].iloc[0]
    assert total["points_spa"] == pytest.approx(exp.result.match_of("spa"), abs=1e-4)
    assert total["points_medical"] == pytest.approx(exp.result.match_of("medical"), abs=1e-4)


@pytest.mark.parametrize(
    ("flags", "safety"),
    [(None, "not answered"), ([], "none"), (["blood_thinners", "recent_surgery"],
     "blood_thinners,recent_surgery")],
)  # fmt: skip
def test_csv_carries_the_outcome_and_the_safety_answer(catalog, flags, safety):
    exp = explain(catalog, {"relaxation": 9, "pain_relief": 2}, "medium", flags)
    frame = pd.read_csv(io.BytesIO(result_csv(catalog, exp)), keep_default_na=False)
    answers = frame.set_index("criterion_id").loc[["outcome", "safety"], "criterion"]
    assert answers.tolist() == ["spa", safety]


# The numbers as a table: relaxation 9 and pain relief 2 (total 11) give medical
# 100*(9*3 + 2*9)/110 = 40.9 and spa 100*(9*10 + 2*3)/110 = 87.3.
@pytest.fixture
def exp(catalog: Catalog) -> Explanation:
    return explain(catalog, {"relaxation": 9, "pain_relief": 2}, "medium", [])


def test_result_frame(catalog: Catalog, exp: Explanation) -> None:
    frame = result_frame(catalog, exp)
    assert list(frame.columns) == [
        "criterion_id",
        "criterion",
        "weight",
        "fit_medical",
        "points_medical",
        "fit_spa",
        "points_spa",
    ]
    assert len(frame) == len(catalog.criterion_ids) + 3
    relaxation = frame.set_index("criterion_id").loc["relaxation"]
    # 3*9*10/11 = 24.5455 and 10*9*10/11 = 81.8182
    assert relaxation[
        ["weight", "fit_medical", "points_medical", "fit_spa", "points_spa"]
    ].tolist() == [
        9.0,
        3.0,
        24.5455,
        10.0,
        81.8182,
    ]
    total = frame.iloc[-3]
    assert frame["criterion_id"].tolist()[-2:] == ["outcome", "safety"]
    assert frame["criterion"].tolist()[-2:] == ["spa", "none"]
    assert (total["criterion_id"], total["criterion"], total["weight"]) == (
        "total",
        "Match (%)",
        11.0,
    )
    assert (total["points_medical"], total["points_spa"]) == (40.9091, 87.2727)
    assert np.isnan(total["fit_medical"])


def test_the_points_add_up_to_the_match(catalog: Catalog, exp: Explanation) -> None:
    frame = result_frame(catalog, exp)
    for type_id in exp.result.type_ids:
        points = frame[f"points_{type_id}"]
        assert points.iloc[:-3].sum() == pytest.approx(points.iloc[-3], abs=1e-3)


def test_result_csv_reads_back_as_the_frame(catalog: Catalog, exp: Explanation) -> None:
    read_back = pd.read_csv(io.BytesIO(result_csv(catalog, exp)))
    frame = result_frame(catalog, exp)
    pd.testing.assert_frame_equal(read_back, frame, check_dtype=False)


def test_the_pdf_says_who_made_it_who_pays_and_when_the_data_were_reviewed(catalog):
    exp = explain(catalog, {"relaxation": 5}, "medium")
    _, text = read(takeaway_pdf(catalog, exp, LINK, DAY))
    assert (
        "Made by: The Massage Advisor project. It is a free, independent, open-source tool. "
        "Paid for by: No clinic, spa or maker of massage products pays for it. Conflicts of "
        "interest: None that we know of. We gain nothing from the type you choose. Data last "
        "reviewed on 5 December 2026." in text
    )
    clinic, _ = deployment(
        {"made_by": "Riverside Physio", "conflicts": "We offer medical massage."}
    )
    _, text = read(takeaway_pdf(catalog, exp, LINK, DAY, made=clinic))
    assert "Made by: Riverside Physio Paid for by: No clinic" in text
    assert "Conflicts of interest: We offer medical massage." in text
    # also on the page of an answer with no priorities yet
    empty = explain(catalog, {}, "medium")
    _, text = read(takeaway_pdf(catalog, empty, LINK, DAY, made=clinic))
    assert "Made by: Riverside Physio" in text and "Data last reviewed on 5 December 2026." in text


@pytest.mark.parametrize("flags", [[], ["blood_clot"]])
def test_pdf_names_the_clinics_best_service_and_whose_menu_it_is(catalog, flags):
    from advisor.about import Deployment
    from advisor.clinic.menu import NAME, blend_fits

    menu = pd.DataFrame(
        [
            {NAME: "Sports recovery", **blend_fits(catalog.fits, 0.9).to_dict()},
            {NAME: "Hot stone", **blend_fits(catalog.fits, 0.1).to_dict()},
        ]
    )
    exp = explain(catalog, dict(catalog.preset_weights.loc["unwind"]), "medium", flags, menu)
    made = Deployment("Riverside Physio, which offers medical massage", "Riverside", "None.")
    pages, text = read(takeaway_pdf(catalog, exp, LINK, DAY, made))
    assert pages == 1
    clinic = text.split("At this clinic ", 1)[1]
    assert clinic.startswith(
        ("For after a healthcare provider has cleared you: " if flags else "")
        + "Hot stone clearly fits you best:"
    )
    assert exp.clinic.verdict in clinic
    (_, _, first), (_, _, second) = exp.clinic.shown
    assert f"Hot stone {first}%; Sports recovery {second}%." in clinic
    assert (
        "The services and how well each fits are set by whoever runs this copy: Riverside "
        "Physio, which offers medical massage" in clinic
    )


ARABIC, HEBREW = "تدليك علاجي", "עיסוי רפואי"


def test_right_to_left_service_names_keep_the_pdf_sentences_in_order(catalog, monkeypatch):
    """An Arabic and a Hebrew service on the PDF: the renderer's bidi pass (fpdf2's, before
    shaping) reads each isolated name as one right-to-left run and nothing else, so the
    figures, brackets and words after a name keep their places; one page, every letter printed
    (the isolates draw nothing)."""
    from fpdf.bidi import BidiParagraph
    from fpdf.enums import TextDirection

    from advisor.about import Deployment
    from advisor.clinic.menu import NAME, blend_fits
    from advisor.printing import PdfPage

    drawn: list[str] = []
    normalize = PdfPage.normalize_text

    def recording(self, text: str) -> str:
        drawn.append(text)
        return normalize(self, text)

    monkeypatch.setattr(PdfPage, "normalize_text", recording)
    shares = [(ARABIC, 0.3), (HEBREW, 0.1), ("Mix", 0.9)]
    menu = pd.DataFrame([{NAME: n, **blend_fits(catalog.fits, s).to_dict()} for n, s in shares])
    exp = explain(catalog, {"relaxation": 5, "pain_relief": 5}, "medium", [], menu)
    pages, _ = read(takeaway_pdf(catalog, exp, LINK, DAY, Deployment("Riverside", "R", "None.")))
    assert pages == 1
    named = {t for t in drawn if ARABIC in t or HEBREW in t}
    assert exp.clinic.verdict in named
    assert f"\u2068{HEBREW}\u2069 64%; \u2068{ARABIC}\u2069 64%; Mix 60%." in named
    for text in named:
        runs = BidiParagraph(text).get_bidi_fragments()
        assert {chars for chars, way in runs if way == TextDirection.RTL} <= {ARABIC, HEBREW}


def test_a_page_that_shows_fewer_reasons_says_so_and_how_many(catalog):
    # five items ticked: the page has room for one reason a side, and says how many there are
    weights = {cid: 10 - i % 4 for i, cid in enumerate(CRITERIA)}
    exp = explain(catalog, weights, "low", FLAGS)
    assert (len(exp.reasons_for), len(exp.reasons_against)) == (3, 3)
    _, text = read(takeaway_pdf(catalog, exp, LINK, DAY))
    assert exp.reasons_for[0].text in text and exp.reasons_for[1].text not in text
    line = "To fit on one page, this shows the top reason of 3. The link below shows them all."
    assert text.count(line) == 2


def test_a_page_with_room_for_every_reason_says_nothing_more(catalog):
    exp = explain(catalog, dict(catalog.preset_weights.loc["doctor_referral"]), "high")
    _, text = read(takeaway_pdf(catalog, exp, LINK, DAY))
    assert all(r.text in text for r in exp.reasons_for)
    assert "To fit on one page" not in text
