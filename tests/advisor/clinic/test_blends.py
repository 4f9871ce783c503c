"""Why even blends win nobody."""

from __future__ import annotations

import pandas as pd
import pytest

from advisor.clinic.menu import blend_fits, is_uniform_blend
from advisor.clinic.positioning import client_mix
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
