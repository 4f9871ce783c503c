"""advisor.decision.share_link: links that restore a state, and never fail or echo raw text."""

from __future__ import annotations

import pytest

from advisor.catalog import Catalog
from advisor.decision import share_link


@pytest.mark.parametrize(
    ("params", "weights", "preset", "certainty", "notices"),
    [
        (
            {"preset": "unwind", "certainty": "low", "relaxation": "9", "pain_relief": "2"},
            {"relaxation": 9, "pain_relief": 2},
            "unwind",
            "low",
            [],
        ),
        ({"preset": "blank"}, {}, "blank", None, []),
        ({"relaxation": " 7 "}, {"relaxation": 7}, None, None, []),  # spaces around are dropped
        (
            {"relaxation": "11"},
            {},
            None,
            None,
            ["Parameter relaxation must be a whole number from 0 to 10, not '11'; it was ignored."],
        ),
        (
            {"relaxation": "<b>"},
            {},
            None,
            None,
            [
                "Parameter relaxation must be a whole number from 0 to 10, "
                "not a value that cannot be shown; it was ignored."
            ],
        ),
        (
            {"relaxation": ""},
            {},
            None,
            None,
            [
                "Parameter relaxation must be a whole number from 0 to 10, "
                "not an empty value; it was ignored."
            ],
        ),
        (
            {"relaxation": "1" * 17},
            {},
            None,
            None,
            ["Parameter relaxation is too long and was ignored."],
        ),
        (
            {"preset": "spa_day"},
            {},
            None,
            None,
            ["Preset 'spa_day' is not known and was ignored."],
        ),
        (
            {"certainty": "sure"},
            {},
            None,
            None,
            ["Certainty 'sure' is not one of high, medium, low; it was ignored."],
        ),
        (
            {"relaxation": ["3", "8"]},
            {"relaxation": 8},
            None,
            None,
            ["Parameter relaxation appears 2 times; the last one is used."],
        ),
        ({"utm_source": "x"}, {}, None, None, ["1 unknown parameter in the link was ignored."]),
        (
            {"a": "1", "b": "2", "relaxation": "4"},
            {"relaxation": 4},
            None,
            None,
            ["2 unknown parameters in the link were ignored."],
        ),
    ],
)
def test_parse_share_params(
    catalog: Catalog,
    params: dict,
    weights: dict[str, int],
    preset: str | None,
    certainty: str | None,
    notices: list[str],
) -> None:
    state = share_link.parse_share_params(params, catalog)
    assert (state.weights, state.preset, state.certainty) == (weights, preset, certainty)
    assert state.notices == notices


def test_parse_share_params_reads_at_most_forty_parameters(catalog: Catalog) -> None:
    params = {f"x{i}": "1" for i in range(share_link.MAX_PARAMS)} | {"relaxation": "5"}
    state = share_link.parse_share_params(params, catalog)
    assert state.weights == {}
    assert state.notices == [
        "The link has more than 40 parameters; the rest were ignored.",
        "40 unknown parameters in the link were ignored.",
    ]


@pytest.mark.parametrize(
    ("preset", "expected_preset"), [("unwind", "unwind"), (None, "blank"), ("", "blank")]
)
def test_share_params(preset: str | None, expected_preset: str) -> None:
    params = share_link.share_params({"relaxation": 8.6, "pain_relief": 2.0}, preset, "high")
    assert params == {
        "preset": expected_preset,
        "certainty": "high",
        "relaxation": "9",
        "pain_relief": "2",
    }


def test_a_link_restores_what_made_it(catalog: Catalog) -> None:
    weights = {cid: i % 11 for i, cid in enumerate(catalog.criterion_ids)}
    state = share_link.parse_share_params(
        share_link.share_params(weights, "injury", "low"), catalog
    )
    assert state.notices == []
    assert (state.preset, state.certainty) == ("injury", "low")
    assert share_link.restored_weights(state, catalog) == weights


def test_restored_weights_start_from_the_preset(catalog: Catalog) -> None:
    unwind = {cid: int(w) for cid, w in catalog.preset_weights.loc["unwind"].items()}
    state = share_link.ShareState(weights={"pain_relief": 7}, preset="unwind")
    assert share_link.restored_weights(state, catalog) == unwind | {"pain_relief": 7}
    blank = share_link.restored_weights(share_link.ShareState(preset="blank"), catalog)
    assert blank == dict.fromkeys(catalog.criterion_ids, 0)
