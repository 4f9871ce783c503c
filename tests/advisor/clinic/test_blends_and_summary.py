"""Why even blends win nobody, and the answer-first sentences."""

from __future__ import annotations

import pandas as pd
import pytest

from advisor.clinic.menu import blend_fits, is_uniform_blend
from advisor.clinic.positioning import (
    Lift,
    average_priorities,
    axis_positions,
    best_per_segment,
    biggest_gap,
    client_mix,
    owner_summary,
    segment_matrix,
    typical_base,
)
from advisor.files.reading import read_survey


@pytest.mark.parametrize(
    ("share", "blend"), [(0.5, True), (0.3, True), (0.9, True), (1.0, False), (0.0, False)]
)
def test_blends_are_recognised(catalog, share, blend):
    assert is_uniform_blend(blend_fits(catalog.fits, share), catalog.fits) is blend


def test_a_dimension_mix_is_not_a_uniform_blend(catalog):
    fits = catalog.fits.loc["spa"].copy()
    fits["clinical_expertise"] = catalog.fits.at["medical", "clinical_expertise"]
    assert not is_uniform_blend(fits, catalog.fits)


@pytest.mark.parametrize("share", [0.1, 0.5, 0.9])
def test_a_blend_never_beats_both_parents(catalog, share):
    survey = read_survey(
        (catalog.data_dir / "sample_survey.csv").read_bytes(), catalog.criterion_ids
    ).frame
    fits = pd.concat([catalog.fits, blend_fits(catalog.fits, share).to_frame("blend").T])
    assert client_mix(survey, fits, catalog.segment_weights).shares()["blend"] == 0


def sample_summary(catalog, lift: Lift, threshold: float = 70) -> list[str]:
    """owner_summary on the sample survey with medical and spa alone."""
    survey = read_survey(
        (catalog.data_dir / "sample_survey.csv").read_bytes(), catalog.criterion_ids
    ).frame
    matrix = segment_matrix(catalog.segment_weights, catalog.fits)
    labels = dict(catalog.segments["label"])
    mix = client_mix(survey, catalog.fits, catalog.segment_weights, threshold)
    yours = average_priorities(survey, catalog.segment_weights, labels)["Your clients"]
    typical = typical_base(catalog.segment_weights, catalog.segments["share"])
    gap = biggest_gap(
        axis_positions(catalog.fits, catalog.map_axes),
        axis_positions(catalog.segment_weights, catalog.map_axes),
    )
    criteria = {c: catalog.criterion_label(c) for c in catalog.criterion_ids}
    names = {"medical": "Medical massage", "spa": "Spa massage"}
    return owner_summary(
        best_per_segment(matrix), names, labels, gap, mix, (yours, typical), criteria, lift
    )


def test_owner_summary_from_the_sample(catalog):
    sentences = sample_summary(catalog, Lift("Medical massage, mixed goal, spa room", 45))
    assert sentences == [
        "Lead with Medical massage for Referred patients, Chronic pain sufferers and Active and "
        "injured; and with Spa massage for Stressed professionals, Pamper seekers and Wellness "
        "maintainers.",
        "The biggest gap is Wellness maintainers: 3.6 points away from the nearest service, "
        "measured on the map's 0-10 axes; 10% of your clients are closest to them, and 10% of "
        "all your clients match no service at 70% or more.",
        'Your clients rate "Relaxation" lower than a typical client base (5.3 against 6.1 out '
        "of 10; the typical base's segment shares follow the AMTA 2012 consumer survey, their "
        "split within medical and other reasons is assumed).",
        "The one change that would serve the most unserved clients: add Medical massage, mixed "
        "goal, spa room, which would lift 45 of your 58 unserved clients to 70% or more. This "
        'proposal uses the aim "Lift the most unserved clients above the threshold" of Design '
        "a service for the gap, below.",
    ]


def test_owner_summary_names_its_aim_when_nothing_lifts(catalog):
    sentences = sample_summary(catalog, Lift("unused", 0))
    assert sentences[3] == (
        "No service mixed from medical and spa lifts any of your 58 unserved clients to 70%: "
        "their priorities need something neither offers. This looks only at the aim "
        '"Lift the most unserved clients above the threshold" of Design a service for the gap, '
        "below."
    )


def test_owner_summary_without_unserved_clients_proposes_nothing(catalog):
    sentences = sample_summary(catalog, Lift("unused", 0), threshold=0)
    assert sentences[3] == "Every client already has a service that matches 0% or more."
