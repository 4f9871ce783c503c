"""The Streamlit theme (.streamlit/config.toml) keeps every text Streamlit derives from it at
WCAG 2.2 AA contrast (4.5:1): captions and help (textColor at 60% opacity), a selected choice
(primaryColor on a 20% tint of itself), links and buttons (primaryColor and white)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from advisor.figures.style import MIN_CONTRAST, TEXT, contrast_ratio, drawn_colour

THEME = tomllib.loads((Path(__file__).parents[1] / ".streamlit" / "config.toml").read_text())[
    "theme"
]
BACKGROUNDS = [THEME["backgroundColor"], THEME["secondaryBackgroundColor"]]


@pytest.mark.parametrize("background", BACKGROUNDS)
def test_faded_text_reads_on_both_backgrounds(background):
    # Streamlit 1.67 draws captions, help text and placeholders in textColor at 60% opacity
    assert (
        contrast_ratio(drawn_colour(THEME["textColor"], 0.6, background), background)
        >= MIN_CONTRAST
    )


def test_a_selected_choice_reads_on_its_tint():
    primary = THEME["primaryColor"]
    assert (
        contrast_ratio(primary, drawn_colour(primary, 0.2, THEME["backgroundColor"]))
        >= MIN_CONTRAST
    )


@pytest.mark.parametrize("background", BACKGROUNDS)
def test_links_and_primary_buttons_read(background):
    assert contrast_ratio(THEME["primaryColor"], background) >= MIN_CONTRAST
    assert contrast_ratio("#FFFFFF", THEME["primaryColor"]) >= MIN_CONTRAST


def test_the_figures_write_in_the_theme_text_colour():
    assert TEXT.lower() == THEME["textColor"].lower()
