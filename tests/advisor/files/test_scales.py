"""advisor.files.scales: each scale onto 0-10, its note, and which scale answers are on."""

from __future__ import annotations

import numpy as np
import pytest

from advisor.files.scales import AGREEMENT, IMPORTANCE, OWN, SCALES, recognise, word_key

NAN = np.nan


@pytest.mark.parametrize(
    ("key", "answers", "weights"),
    [
        ("0-10", [0, 5, 10], [0, 5, 10]),
        # 1-10: (x - 1) * 10/9
        ("1-10", [1, 5.5, 10], [0, 5, 10]),
        # 1-5: (x - 1) * 10/4 = (x - 1) * 2.5
        ("1-5", [1, 2, 3, 4, 5], [0, 2.5, 5, 7.5, 10]),
        # 1-7: (x - 1) * 10/6
        ("1-7", [1, 4, 7], [0, 5, 10]),
        ("importance", [1, 3, 5], [0, 5, 10]),
        ("agreement", [2, 4], [2.5, 7.5]),
    ],
)
def test_to_weights_is_linear_from_lowest_0_to_highest_10(
    key: str, answers: list[float], weights: list[float]
) -> None:
    result = SCALES[key].to_weights(np.array(answers, dtype=float))
    np.testing.assert_allclose(result, weights)


def test_to_weights_keeps_missing_answers_missing() -> None:
    result = SCALES["1-5"].to_weights(np.array([NAN, 3.0]))
    assert np.isnan(result[0]) and result[1] == 5.0


@pytest.mark.parametrize(
    ("key", "note"),
    [
        ("0-10", "answers run 0-10; read as 0 = 0 and 10 = 10."),
        ("1-10", "answers run 1-10; read as 1 = 0 and 10 = 10."),
        ("1-5", "answers run 1-5; read as 1 = 0 and 5 = 10."),
        ("1-7", "answers run 1-7; read as 1 = 0 and 7 = 10."),
        (
            "importance",
            "answers are importance words (Not at all important ... Extremely important); read "
            "as Not at all important = 0, Slightly important = 2.5, Moderately important = 5, "
            "Very important = 7.5, Extremely important = 10.",
        ),
        (
            "agreement",
            "answers are agreement words (Strongly disagree ... Strongly agree); read as "
            "Strongly disagree = 0, Disagree = 2.5, Neither agree nor disagree = 5, "
            "Agree = 7.5, Strongly agree = 10.",
        ),
    ],
)
def test_note_states_how_answers_are_read(key: str, note: str) -> None:
    assert SCALES[key].note() == note


def test_the_scales_and_their_ends() -> None:
    ends = {key: (s.low, s.high) for key, s in SCALES.items()}
    assert ends == {
        "0-10": (0, 10),
        "1-10": (1, 10),
        "1-5": (1, 5),
        "1-7": (1, 7),
        "0-100": (0, 100),
        "0-1": (0, 1),
        "importance": (1, 5),
        "agreement": (1, 5),
    }
    assert OWN is SCALES["0-10"]
    assert set(IMPORTANCE.values()) == set(AGREEMENT.values()) == {1, 2, 3, 4, 5}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Very important", "very important"),
        ("  VERY   important ", "very important"),
        ("Neither\tagree\nnor disagree", "neither agree nor disagree"),
        (7, "7"),
        ("", ""),
    ],
)
def test_word_key_ignores_case_and_runs_of_spaces(text: object, key: str) -> None:
    assert word_key(text) == key


@pytest.mark.parametrize(
    ("numbers", "words", "key"),
    [
        pytest.param([1, 3, 5], {}, "1-5", id="1-5"),
        pytest.param([1, 7, NAN], {}, "1-7", id="1-7-with-missing"),
        pytest.param([1, 10], {}, "1-10", id="1-10"),
        pytest.param([0, 5, 10], {}, "0-10", id="lowest-0"),
        pytest.param([1, 4], {}, "0-10", id="1-4-is-no-scale"),
        pytest.param([2, 5], {}, "0-10", id="lowest-2"),
        pytest.param([1, 2.5, 5], {}, "0-10", id="not-whole"),
        pytest.param([1, 6], {}, "0-10", id="highest-6"),
        pytest.param([], {}, "0-10", id="no-answers"),
        pytest.param([NAN, NAN], {}, "0-10", id="all-missing"),
        pytest.param([NAN], {"very important": 3}, "importance", id="importance"),
        pytest.param([NAN], {"agree": 2, "neutral": 1}, "agreement", id="agreement"),
        # 'not important' is an importance anchor; 'agree' an agreement one: 3 against 1.
        pytest.param([NAN], {"not important": 3, "agree": 1}, "importance", id="most-known-wins"),
        pytest.param(
            [NAN], {"agree": 2, "very important": 1}, "agreement", id="agreement-outnumbers"
        ),
        # A tie goes to the first word scale: importance.
        pytest.param([NAN], {"agree": 1, "very important": 1}, "importance", id="tie"),
        # Words no scale knows: the numbers decide.
        pytest.param([1, 5], {"often": 4}, "1-5", id="unknown-words-then-numbers"),
        pytest.param([NAN], {"often": 4}, "0-10", id="unknown-words-only"),
        # The kind most answers are wins: one word among numbers is a faulty cell, not the scale.
        pytest.param([1, 3, 5, 2], {"very important": 1}, "1-5", id="stray-word-among-numbers"),
        pytest.param([4], {"very important": 2, "agree": 1}, "importance", id="words-outnumber"),
        pytest.param([1, 5], {"agree": 2}, "1-5", id="tie-goes-to-numbers"),
        # sliders 0-100: at least three answers, and a quarter, over 10
        pytest.param([0, 35, 80, 100, 5], {}, "0-100", id="slider"),
        pytest.param([0, 5, 11, 10], {}, "0-10", id="one-stray-11-is-a-fault"),
        pytest.param([20, 40, 101], {}, "0-10", id="over-100-is-no-slider"),
    ],
)
def test_recognise(numbers: list[float], words: dict[str, int], key: str) -> None:
    assert recognise([np.array(numbers, dtype=float)], words).key == key


@pytest.mark.parametrize(
    ("numbers", "signs", "formatted", "key"),
    [
        pytest.param([90, 20, 72.5], 3, False, "0-100", id="percent-signs"),
        pytest.param([9, 2, 7], 3, False, "0-100", id="small-percentages-are-still-percent"),
        pytest.param([9, 2, 7], 1, False, "0-10", id="one-sign-in-three"),
        pytest.param([0.9, 0.2, 1.0], 0, True, "0-1", id="percentage-format"),
        pytest.param([0.9, 0.2, 3], 0, True, "0-10", id="format-but-not-fractions"),
        pytest.param([0.9, 0.2, 1.0], 0, False, "0-10", id="fractions-without-format"),
    ],
)
def test_recognise_percentages(numbers: list[float], signs: int, formatted: bool, key: str) -> None:
    assert recognise([np.array(numbers, dtype=float)], {}, signs, formatted).key == key


def test_percentage_scales_read_onto_0_to_10() -> None:
    assert SCALES["0-100"].to_weights(np.array([0.0, 80.0, 100.0])).tolist() == [0, 8, 10]
    assert SCALES["0-1"].to_weights(np.array([0.0, 0.8, 1.0])).tolist() == [0, 8, 10]
    assert "80% is 8" in SCALES["0-100"].note()
    assert "0.8 (80%) is 8" in SCALES["0-1"].note()
