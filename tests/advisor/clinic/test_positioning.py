"""advisor.clinic.positioning: axis positions, segments, client mix, what-if and typical base.

Most cases use two criteria x, y and small menus, so each number can be checked by hand with
M = 100 * sum(w * f) / (10 * sum(w)):

    fits      x   y        weights (1, 3):  a = 100*10/40 = 25,    b = 100*28/40 = 70
    a        10   0        weights (2, 1):  a = 100*20/30 = 66.67, b = 100*16/30 = 53.33
    b         4   8        weights (0, 1):  a = 0,                 b = 80
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from advisor.catalog import Catalog
from advisor.clinic.positioning import (
    WhatIf,
    average_priorities,
    axis_positions,
    best_per_segment,
    client_mix,
    nearest_segments,
    percentage_points,
    rounded_parts,
    segment_matrix,
    typical_base,
    what_if,
    what_if_text,
)

FITS = pd.DataFrame([[10, 0], [4, 8]], index=["a", "b"], columns=["x", "y"])
SEGMENTS = pd.DataFrame([[1, 0], [1, 1]], index=["s1", "s2"], columns=["x", "y"])
SURVEY = pd.DataFrame({"client_id": ["p", "q", "r", "s"], "x": [1, 2, 0, 0], "y": [3, 1, 0, 1]})
NAMES = {"a": "medical", "b": "spa", "c": "Hybrid"}


def with_service(fits: pd.DataFrame, service: str, x: float, y: float) -> pd.DataFrame:
    return pd.concat([fits, pd.DataFrame([[x, y]], index=[service], columns=fits.columns)])


# --- axis positions -----------------------------------------------------------------------------


def test_the_axes_cover_distinct_criteria(catalog: Catalog) -> None:
    therapeutic, experience = catalog.map_axes
    assert (therapeutic.id, experience.id) == ("therapeutic", "experience")
    assert len(therapeutic.criteria) == 8
    assert len(experience.criteria) == 5
    assert not set(therapeutic.criteria) & set(experience.criteria)


def test_axis_positions_are_the_means_of_each_axis_criteria(catalog: Catalog) -> None:
    therapeutic, experience = catalog.map_axes
    # Therapeutic criteria 0..7: mean 3.5. Experience criteria 10, 8, 6, 4, 2: mean 6.
    row = {c: float(i) for i, c in enumerate(therapeutic.criteria)}
    row |= {c: 10.0 - 2 * i for i, c in enumerate(experience.criteria)}
    flat = {c: 5.0 for c in row}
    frame = pd.DataFrame([row, flat], index=["ramp", "flat"])
    positions = axis_positions(frame, catalog.map_axes)
    assert positions.to_dict("index") == {
        "ramp": {"therapeutic": 3.5, "experience": 6.0},
        "flat": {"therapeutic": 5.0, "experience": 5.0},
    }


def test_the_catalog_types_sit_on_opposite_sides(catalog: Catalog) -> None:
    positions = axis_positions(catalog.fits, catalog.map_axes)
    assert positions.at["medical", "therapeutic"] > positions.at["spa", "therapeutic"]
    assert positions.at["spa", "experience"] > positions.at["medical", "experience"]


# --- segments -----------------------------------------------------------------------------------


def test_segment_matrix_by_hand() -> None:
    segments = pd.DataFrame([[1, 3], [2, 1]], index=["s1", "s2"], columns=["x", "y"])
    matrix = segment_matrix(segments, FITS)
    assert list(matrix.columns) == ["a", "b"]
    assert matrix.round(2).to_dict("index") == {
        "s1": {"a": 25.0, "b": 70.0},
        "s2": {"a": 66.67, "b": 53.33},
    }
    assert best_per_segment(matrix).to_dict() == {"s1": "b", "s2": "a"}


def test_segment_matrix_uses_only_the_fits_criteria() -> None:
    segments = pd.DataFrame({"share": [0.9], "x": [1], "y": [3]}, index=["s1"])
    assert segment_matrix(segments, FITS).loc["s1"].tolist() == [25.0, 70.0]


@pytest.mark.parametrize(
    ("client", "nearest"),
    [
        # cos with s1 = (1, 0) and s2 = (1, 1)
        ((2, 4), "s2"),  # s1 2/sqrt(20) = 0.45, s2 6/(sqrt(20)*sqrt(2)) = 0.95
        ((5, 10), "s2"),  # the same direction as (2, 4): the scale does not matter
        ((5, 1), "s1"),  # s1 5/sqrt(26) = 0.98, s2 6/(sqrt(26)*sqrt(2)) = 0.83
        ((3, 0), "s1"),  # s1 1.0, s2 0.71
        ((0, 1), "s2"),  # s1 0, s2 0.71
        ((0, 0), "none"),  # no weights: no direction
    ],
)
def test_nearest_segments(client: tuple[float, float], nearest: str) -> None:
    weights = np.array([client], dtype=float)
    assert nearest_segments(weights, SEGMENTS).tolist() == [nearest]


# --- client mix ---------------------------------------------------------------------------------


def test_client_mix_by_hand() -> None:
    # p (1, 3): best b 70; q (2, 1): best a 66.67; r (0, 0): none; s (0, 1): best b 80.
    mix = client_mix(SURVEY, FITS, SEGMENTS, threshold=70.0)
    assert mix.clients == 4
    assert mix.best.tolist() == ["b", "a", "none", "b"]
    assert mix.best_score.round(2).tolist()[:2] == [70.0, 66.67]
    assert np.isnan(mix.best_score.iloc[2])
    assert mix.best_score.iloc[3] == 80.0
    assert mix.shares().to_dict() == {"a": 0.25, "b": 0.5}  # r has no best match
    # 70 is not under the threshold of 70; 66.67 is; no weights count as unserved.
    # r gave every priority 0: no match at all, so not unserved but counted apart
    assert mix.unserved.tolist() == [False, True, False, False]
    assert mix.without_priorities == 1
    assert mix.unserved_share() == 0.25
    # nearest: p s2 (0.32 vs 0.89), q s2 (0.89 vs 0.95), r none, s s2 (0 vs 0.71)
    assert mix.nearest_segment.tolist() == ["s2", "s2", "none", "s2"]
    assert mix.segment_shares().to_dict() == {"s2": 0.75, "none": 0.25}


def test_client_mix_of_an_empty_survey() -> None:
    mix = client_mix(SURVEY.iloc[:0], FITS, SEGMENTS)
    assert mix.clients == 0
    assert mix.shares().tolist() == [0.0, 0.0]
    assert mix.unserved_share() == 0.0


def test_average_priorities() -> None:
    # Your clients: x (1+2+0+0)/4 = 0.75, y (3+1+0+1)/4 = 1.25.
    table = average_priorities(SURVEY, SEGMENTS, {"s1": "Seg one", "s2": "Seg two"})
    assert list(table.columns) == ["Your clients", "Seg one", "Seg two"]
    assert table.to_dict("index") == {
        "x": {"Your clients": 0.75, "Seg one": 1, "Seg two": 1},
        "y": {"Your clients": 1.25, "Seg one": 0, "Seg two": 1},
    }


# --- what-if ------------------------------------------------------------------------------------


def test_what_if_adding_a_service() -> None:
    # c = (0, 10): p (1, 3) c = 100*30/40 = 75 > b 70; q stays a; s (0, 1) c = 100 > b 80.
    result = what_if(SURVEY, FITS, with_service(FITS, "c", 0, 10))
    assert result.before.to_dict() == {"a": 0.25, "b": 0.5}
    assert result.after.to_dict() == {"a": 0.25, "b": 0.0, "c": 0.5}
    assert result.change.to_dict() == {"a": 0.0, "b": -50.0, "c": 50.0}
    assert result.flows.at["b", "c"] == 0.5
    assert result.flows.at["a", "a"] == 0.25
    assert what_if_text(result, NAMES) == (
        "Hybrid would become best match for 50% of your clients. It would take 50 percentage "
        "points of your clients from spa."
    )


def test_what_if_changing_a_service() -> None:
    # b = (10, 10) matches 100 for everyone with weights: p, q and s all go to b.
    after = FITS.copy()
    after.loc["b"] = [10, 10]
    result = what_if(SURVEY, FITS, after)
    assert result.change.to_dict() == {"a": -25.0, "b": 25.0}
    assert what_if_text(result, NAMES) == (
        "spa would grow from 50% to 75% of your clients as best match. It would take 25 "
        "percentage points of your clients from medical."
    )


def test_what_if_without_a_move() -> None:
    result = what_if(SURVEY, FITS, FITS)
    assert result.change.tolist() == [0.0, 0.0]
    assert what_if_text(result, NAMES) == "The change would not move any client's best match."


def test_what_if_text_names_every_source_over_half_a_point() -> None:
    # c takes 30 points from a and 20 from b; 0.4 points from d are under half a point: unsaid.
    result = WhatIf(
        before=pd.Series({"a": 0.5, "b": 0.496, "d": 0.004}),
        after=pd.Series({"a": 0.2, "b": 0.296, "c": 0.504, "d": 0.0}),
        flows=pd.DataFrame(
            {"a": [0.2, 0.0, 0.0], "b": [0.0, 0.296, 0.0], "c": [0.3, 0.2, 0.004]},
            index=["a", "b", "d"],
        ),
    )
    assert what_if_text(result, NAMES) == (
        "Hybrid would become best match for 50% of your clients. It would take 30 percentage "
        "points of your clients from medical and 20 percentage points from spa."
    )


def test_the_parts_of_a_new_services_share_add_up_to_it_as_printed() -> None:
    """The field case: a salon menu's service takes 38.3 points from spa and 0.5 from medical,
    39% in all (38.8). Each part rounded alone says 38 and 0; the part rounded furthest down
    makes up the point: 38 and 1."""
    result = WhatIf(
        before=pd.Series({"a": 0.56, "b": 0.44}),
        after=pd.Series({"a": 0.555, "b": 0.05667, "c": 0.38833}),
        flows=pd.DataFrame(
            {"a": [0.555, 0.0], "b": [0.0, 0.05667], "c": [0.005, 0.38333]}, index=["a", "b"]
        ),
    )
    assert what_if_text(result, NAMES) == (
        "Hybrid would become best match for 39% of your clients. It would take 38 percentage "
        "points of your clients from spa and 1 percentage point from medical."
    )


def test_the_salon_menu_of_the_field_case_adds_up(catalog: Catalog) -> None:
    from pathlib import Path

    from advisor.clinic.menu import read_menu, services
    from advisor.files.reading import read_survey

    data = Path("/work/shared/cases/salontrac-service-menu.csv").read_bytes()
    menu = read_menu(data, catalog.criterion_ids, ["Medical massage", "Spa massage"]).menu
    fits, own = services(catalog.fits, menu)
    names = {s: catalog.display_name(s, own) for s in fits.index}
    survey = read_survey(
        (catalog.data_dir / "sample_survey.csv").read_bytes(), catalog.criterion_ids
    ).frame
    assert what_if_text(what_if(survey, catalog.fits, fits), names) == (
        "Hot stone ritual 90 would become best match for 39% of your clients. It would take 38 "
        "percentage points of your clients from Spa massage and 1 percentage point from Medical "
        "massage."
    )


def test_a_service_that_grows_and_loses_says_both() -> None:
    # b keeps 40, takes 25.4 from a and loses 10.3 to c: 50.3 before, 65.4 after
    result = WhatIf(
        before=pd.Series({"a": 0.497, "b": 0.503}),
        after=pd.Series({"a": 0.243, "b": 0.654, "c": 0.103}),
        flows=pd.DataFrame(
            {"a": [0.243, 0.0], "b": [0.254, 0.4], "c": [0.0, 0.103]}, index=["a", "b"]
        ),
    )
    assert what_if_text(result, NAMES) == (
        "spa would grow from 50% to 65% of your clients as best match. It would take 25 "
        "percentage points of your clients from medical and lose 10 percentage points to Hybrid. "
        "Hybrid would become best match for 10% of your clients. It would take 10 percentage "
        "points of your clients from spa."
    )


def test_a_move_under_one_point_is_said_as_such() -> None:
    result = WhatIf(
        before=pd.Series({"a": 0.502, "b": 0.498}),
        after=pd.Series({"a": 0.498, "b": 0.502}),
        flows=pd.DataFrame({"a": [0.498, 0.0], "b": [0.004, 0.498]}, index=["a", "b"]),
    )
    assert what_if_text(result, NAMES) == (
        "The change would move the best match of less than 1% of your clients."
    )


PART = re.compile(r"(\d+) percentage points?(?: of your clients)? (from|to) ")


@settings(max_examples=200, deadline=None)
@given(
    counts=st.lists(st.integers(0, 40), min_size=9, max_size=9),
    new=st.lists(st.integers(0, 40), min_size=3, max_size=3),
)
def test_the_parts_always_add_up_to_the_shares_printed(counts: list, new: list) -> None:
    """Random moves of clients among a, b and c (and into a new d): for every service named,
    its share before plus what it takes minus what it loses is its share after, as printed."""
    moves = np.array(counts).reshape(3, 3)
    moves = np.hstack([moves, np.array(new)[:, None]])
    total = max(int(moves.sum()), 1)
    flows = pd.DataFrame(moves / total, index=list("abc"), columns=list("abcd"))
    result = WhatIf(flows.sum(axis=1), flows.sum(axis=0), flows)
    text = what_if_text(result, dict.fromkeys("abcd", "x"))
    if not text.startswith("x would "):
        assert "would not move" in text or "less than 1%" in text, text
        return
    for part in re.split(r"(?=x would )", text)[1:]:
        opening = re.match(r"x would (?:become best match for|grow from (\d+)% to) (\d+)%", part)
        before, after = int(opening[1] or 0), int(opening[2])
        moved = sum(int(n) * (-1 if how == "to" else 1) for n, how in PART.findall(part))
        assert before + moved == after, part


@given(
    parts=st.lists(
        st.floats(-100, 100, allow_nan=False).filter(lambda v: abs(v) > 1e-6),
        min_size=1,
        max_size=8,
    ),
    shift=st.sampled_from([-1, 0, 1]),
)
def test_rounded_parts_add_up_and_keep_their_signs(parts: list, shift: int) -> None:
    """A total within a point of the parts' sum (a share rounded apart from its parts) and of
    1 or more (a share that grows, so its parts add up to more than 0: rounding never prints a
    share that shrank as grown): always made up, each part within 2 of its value."""
    total = round(sum(parts)) + shift
    assume(total >= 1 and sum(parts) > 0)
    shown = rounded_parts(parts, total)
    assert sum(shown) == total
    for value, whole in zip(parts, shown, strict=True):
        assert whole * value >= 0 and abs(whole - value) < 2, (value, whole)


@pytest.mark.parametrize(
    ("points", "first", "text"),
    [
        (12.0, True, "12 percentage points of your clients"),
        (6.4, False, "6 percentage points"),
        (1.2, True, "1 percentage point of your clients"),
        (0.6, False, "1 percentage point"),
    ],
)
def test_percentage_points_say_of_what(points: float, first: bool, text: str) -> None:
    assert percentage_points(points, first) == text


def test_what_if_text_joins_several_gains() -> None:
    result = WhatIf(
        before=pd.Series({"a": 1.0, "b": 0.0, "c": 0.0}),
        after=pd.Series({"a": 0.0, "b": 0.6, "c": 0.4}),
        flows=pd.DataFrame({"b": [0.6], "c": [0.4]}, index=["a"]),
    )
    assert what_if_text(result, NAMES) == (
        "spa would become best match for 60% of your clients. It would take 60 percentage points "
        "of your clients from medical. Hybrid would become best match for 40% of your clients. "
        "It would take 40 percentage points of your clients from medical."
    )


# --- typical base -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        ({"s1": 0.25, "s2": 0.75}, {"x": 1.0, "y": 0.75}),  # x 0.25*1 + 0.75*1, y 0.75*1
        ({"s2": 1.0}, {"x": 1.0, "y": 1.0}),  # a missing segment counts 0
        ({"s1": 0.5, "elsewhere": 0.5}, {"x": 0.5, "y": 0.0}),  # an unknown segment is ignored
        ({}, {"x": 0.0, "y": 0.0}),
    ],
)
def test_typical_base(shares: dict[str, float], expected: dict[str, float]) -> None:
    assert typical_base(SEGMENTS, pd.Series(shares, dtype=float)).to_dict() == expected


def test_what_if_text_isolates_right_to_left_names() -> None:
    """The services' names are the owner's: an Arabic and a Hebrew one sit between FSI and PDI,
    so the percentages after them keep their places."""
    names = {"a": "تدليك علاجي", "b": "עיסוי רפואי", "c": "Hybrid"}
    result = what_if(SURVEY, FITS, with_service(FITS, "c", 10, 10))
    assert what_if_text(result, names) == (
        "Hybrid would become best match for 75% of your clients. It would take 50 percentage "
        "points of your clients from \u2068עיסוי רפואי\u2069 and 25 percentage points from "
        "\u2068تدليك علاجي\u2069."
    )
