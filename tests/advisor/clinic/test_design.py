"""The service designer: against the exhaustive 10% search, the limits, and itself."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.catalog import Catalog
from advisor.clinic.design import (
    MARGIN,
    TOLERANCE,
    Brief,
    Design,
    _within_limits,
    delivery,
    design_service,
    dimension_fits,
    exhaustive_search,
    grid,
    limit_problems,
    plain_words,
    service_name,
)
from advisor.decision.scoring import match_matrix
from advisor.files.reading import read_survey


@pytest.fixture(scope="module")
def sample(catalog: Catalog) -> pd.DataFrame:
    data = (catalog.data_dir / "sample_survey.csv").read_bytes()
    return read_survey(data, catalog.criterion_ids).frame


def _design(catalog: Catalog, survey: pd.DataFrame, menu: pd.DataFrame | None = None, **kw):
    return design_service(
        Brief(
            survey,
            catalog.fits if menu is None else menu,
            catalog.fits,
            catalog.criteria_by_dimension(),
            catalog.service_limits,
            **kw,
        )
    )


def test_sample_design_is_spa_with_a_clinically_trained_therapist(catalog, sample):
    design = _design(catalog, sample)
    assert design.mixes == {
        "purpose_goal": 0.0,
        "treatment_focus": 0.0,
        "therapist_training": 1.0,
        "setting_environment": 0.0,
    }
    assert design.wins == 173
    assert design.share == pytest.approx(173 / 600)
    assert design.taken_from.round(4).to_dict() == {"medical": 0.0317, "spa": 0.2567}
    assert design.fits["clinical_expertise"] == 10
    assert design.fits["calming_ambience"] == 10


def test_every_even_blend_wins_nobody(catalog, sample):
    blend = dimension_fits(catalog.fits, catalog.criteria_by_dimension(), np.array([[0.5] * 4]))
    matches = match_matrix(sample[list(catalog.fits.columns)].to_numpy(float), blend)[:, 0]
    best = np.nanmax(
        match_matrix(
            sample[list(catalog.fits.columns)].to_numpy(float), catalog.fits.to_numpy(float)
        ),
        axis=1,
    )
    assert not (matches > best).any()


def test_grid_search_agrees_with_scoring_every_design(catalog, sample):
    """The linear shortcut of the search gives the same wins as scoring each design in full."""
    groups = catalog.criteria_by_dimension()
    survey = sample.iloc[:120]
    mixes = grid(0.5, 4)
    fits = dimension_fits(catalog.fits, groups, mixes)
    weights = survey[list(catalog.fits.columns)].to_numpy(float)
    best = np.nanmax(match_matrix(weights, catalog.fits.to_numpy(float)), axis=1)
    wins = (match_matrix(weights, fits) > best[:, None] + MARGIN).sum(axis=0)
    found, found_wins = exhaustive_search(
        Brief(survey, catalog.fits, catalog.fits, groups, catalog.service_limits), step=0.5
    )
    assert found_wins == wins.max()
    assert found.tolist() == mixes[int(np.argmax(wins))].tolist()


def test_best_of_both_is_refused(catalog, sample):
    profile = catalog.fits.max(axis=0)  # the better of the two fits on every criterion
    problems = limit_problems(profile, catalog.service_limits)
    assert len(problems) == 4
    assert problems[0].startswith("short_targeted + long_indulgent = 17, over 11:")
    design = _design(catalog, sample)
    assert limit_problems(design.fits, catalog.service_limits) == []
    assert not design.fits.equals(profile)


@pytest.mark.parametrize(("objective", "wins"), [("most_clients", 173), ("lift_unserved", 45)])
def test_objectives(catalog, sample, objective, wins):
    assert _design(catalog, sample, objective=objective, threshold=70).wins == wins


def test_unknown_objective_is_refused(catalog, sample):
    with pytest.raises(ValueError, match="objective must be one of most_clients, lift_unserved"):
        _design(catalog, sample, objective="cheapest")


def test_ten_thousand_distinct_clients_in_under_two_seconds(catalog):
    """Clients drawn like the sample survey (segment weights plus noise), seeded; the best of
    three runs, as the machine is shared."""
    rng = np.random.default_rng(7)
    segments = catalog.segment_weights.to_numpy(float)
    drawn = segments[rng.choice(len(segments), 10_000, p=catalog.segments["share"].to_numpy())]
    weights = np.clip(np.rint(drawn + rng.normal(0, 1.5, drawn.shape)), 0, 10)
    survey = pd.DataFrame(weights, columns=list(catalog.criterion_ids))
    times = []
    for _ in range(3):
        start = time.perf_counter()
        design = _design(catalog, survey)
        times.append(time.perf_counter() - start)
    assert min(times) < 2.0
    assert design.clients == 10_000 and design.wins > 0


surveys = st.integers(min_value=5, max_value=60).flatmap(
    lambda n: st.lists(
        st.lists(st.integers(0, 10), min_size=13, max_size=13), min_size=n, max_size=n
    )
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=surveys, objective=st.sampled_from(["most_clients", "lift_unserved"]))
def test_never_worse_than_the_exhaustive_search_and_within_limits(catalog, rows, objective):
    survey = pd.DataFrame(rows, columns=list(catalog.criterion_ids))
    groups = catalog.criteria_by_dimension()
    _, baseline = exhaustive_search(
        Brief(survey, catalog.fits, catalog.fits, groups, catalog.service_limits, objective, 60.0)
    )
    design = _design(catalog, survey, objective=objective, threshold=60.0)
    assert design.wins >= baseline
    assert limit_problems(design.fits, catalog.service_limits) == []
    again = _design(catalog, survey, objective=objective, threshold=60.0)
    assert again.mixes == design.mixes and again.wins == design.wins
    assert again.fits.equals(design.fits)


@pytest.mark.parametrize(
    ("mixes", "name"),
    [
        ((0.0, 0.0, 1.0, 0.0), "Spa massage, clinical therapist"),
        ((1.0, 1.0, 1.0, 1.0), "Medical massage"),
        ((0.1, 1.0, 1.0, 0.0), "Medical massage, mixed goal, spa room"),
        ((0.5, 0.5, 0.5, 0.5), "Mixed massage, every dimension mixed"),
    ],
)
def test_service_names_are_short_and_plain(catalog, mixes, name):
    design = Design(
        dict(zip(catalog.dimensions.index, mixes, strict=True)),
        pd.Series(dtype=float),
        "most_clients",
        0,
        1,
        pd.Series(dtype=float),
        0.0,
    )
    assert service_name(design, [], catalog) == name
    assert len(name) <= 60
    assert service_name(design, [name.upper()], catalog) == f"{name} (2)"


def test_the_design_in_plain_words(catalog, sample):
    design = _design(catalog, sample)
    words = plain_words(design, catalog)
    assert words["Taken from"].tolist() == [
        "Spa massage",
        "Spa massage",
        "Medical massage",
        "Spa massage",
    ]
    assert delivery(design, catalog) == (
        "Who delivers it: a therapist with extra training to check and treat health problems "
        "and injuries. They often work with doctors and other health workers. Where: a spa or "
        "wellness centre made calm and special, with dim lights, soft music and scented oils. "
        "How long: usually longer, with no rush."
    )
    mixed = Design(
        {**design.mixes, "purpose_goal": 0.6},
        design.fits,
        "most_clients",
        0,
        1,
        design.taken_from,
        0.0,
    )
    assert plain_words(mixed, catalog)["Taken from"][0] == "a mix (60% medical, 40% spa)"


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=surveys, objective=st.sampled_from(["most_clients", "lift_unserved"]))
def test_the_pruned_search_finds_the_best_of_every_design(catalog, rows, objective):
    """Branch and bound skips designs; scoring all 14,641 in full finds no better one."""
    survey = pd.DataFrame(rows, columns=list(catalog.criterion_ids))
    groups = catalog.criteria_by_dimension()
    weights = survey.to_numpy(float)
    fits = dimension_fits(catalog.fits, groups, grid(0.1, 4))
    matches = np.nan_to_num(match_matrix(weights, fits), nan=-np.inf)
    best_now = np.nanmax(
        np.nan_to_num(match_matrix(weights, catalog.fits.to_numpy(float)), nan=-np.inf), axis=1
    )
    if objective == "most_clients":  # by more than the margin, beyond float rounding
        won = matches > best_now[:, None] + MARGIN + TOLERANCE
    else:
        won = (matches >= 60.0 - TOLERANCE) & (best_now < 60.0)[:, None]
    won &= _within_limits(fits, list(catalog.fits.columns), catalog.service_limits)[None, :]
    found, wins = exhaustive_search(
        Brief(survey, catalog.fits, catalog.fits, groups, catalog.service_limits, objective, 60.0)
    )
    assert wins == won.sum(axis=0).max()
    position = int(np.flatnonzero((grid(0.1, 4) == found).all(axis=1))[0])
    assert won[:, position].sum() == wins
