"""advisor.decision.share_link: links that restore a state, never fail or echo raw text, and
drop the tracking parameters that sites add without a notice."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.catalog import Catalog
from advisor.decision import share_link
from advisor.decision.share_link import is_tracking, parse_share_params

OURS = {"preset": "unwind", "certainty": "low", "relaxation": "9", "pain_relief": "2"}


@pytest.mark.parametrize(
    "key",
    [
        "fbclid",
        "gclid",
        "msclkid",
        "mc_eid",
        "mc_cid",
        "igshid",
        "igsh",
        "yclid",
        "ttclid",
        "twclid",
        "dclid",
        "gbraid",
        "wbraid",
        "_hsenc",
        "mkt_tok",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
        "utm_id",
        "UTM_Source",
        "FBCLID",
    ],
)
def test_tracking_parameters_are_dropped_silently(catalog, key):
    state = parse_share_params({**OURS, key: "IwAR0xYzExampleToken123"}, catalog)
    assert state.notices == []
    assert state.preset == "unwind" and state.certainty == "low"
    assert state.weights == {"relaxation": 9, "pain_relief": 2}


def test_the_facebook_field_case_restores_everything_without_a_notice(catalog):
    # shared/cases/share-link-facebook-fbclid-utm.txt
    link = {
        **OURS,
        "fbclid": "IwAR0xYzExampleToken123",
        "utm_source": "facebook",
        "utm_medium": "social",
    }
    state = parse_share_params(link, catalog)
    assert (state.preset, state.certainty, state.notices) == ("unwind", "low", [])
    assert state.weights == {"relaxation": 9, "pain_relief": 2}


@pytest.mark.parametrize(
    ("key", "tracking"),
    [("relaxation", False), ("preset", False), ("utm", False), ("fb", False), ("utm_x", True)],
)
def test_is_tracking(key, tracking):
    assert is_tracking(key) is tracking


def test_an_unknown_key_beside_tracking_ones_is_still_named(catalog):
    state = parse_share_params({**OURS, "utm_source": "x", "foo": "1"}, catalog)
    assert state.notices == ["1 unknown parameter in the link was ignored: 'foo'."]


def test_tracking_parameters_do_not_count_towards_the_parameter_limit(catalog):
    link = {f"utm_{i}": "x" for i in range(100)} | OURS
    state = parse_share_params(link, catalog)
    assert state.notices == [] and state.preset == "unwind"


@given(st.dictionaries(st.sampled_from(["fbclid", "gclid", "utm_source", "utm_a"]), st.text()))
def test_any_tracking_values_leave_the_state_unchanged(catalog, tracking):
    assert parse_share_params({**OURS, **tracking}, catalog) == parse_share_params(OURS, catalog)


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
            [
                "Parameter relaxation is '11'. It must be a whole number from 0 to 10, "
                "so it was not used."
            ],
        ),
        (
            {"relaxation": "<b>"},
            {},
            None,
            None,
            ["Parameter relaxation has a value the app cannot read. It was not used."],
        ),
        (
            {"relaxation": ""},
            {},
            None,
            None,
            ["Parameter relaxation has no value in the link, so the app did not use it."],
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
        ({"utm_source": "x"}, {}, None, None, []),  # a tracking parameter: dropped silently
        (
            {"a": "1", "b": "2", "relaxation": "4"},
            {"relaxation": 4},
            None,
            None,
            ["2 unknown parameters in the link were ignored: 'a', 'b'."],
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


def test_unknown_parameters_never_crowd_out_known_settings(catalog: Catalog) -> None:
    params = {f"x{i}": "1" for i in range(45)} | {"preset": "unwind", "relaxation": "5"}
    state = share_link.parse_share_params(params, catalog)
    assert (state.preset, state.weights) == ("unwind", {"relaxation": 5})
    assert state.notices == [
        "45 unknown parameters in the link were ignored: 'x0', 'x1', 'x2', 'x3', 'x4' and 40 more."
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


# --- the safety screen: a link never turns a ticked item into "none apply" ----------------------


@pytest.mark.parametrize(
    ("values", "flags"),
    [
        (["fever_or_infection", "none"], ["fever_or_infection"]),
        (["none", "fever_or_infection"], ["fever_or_infection"]),
        (["none", "recent_surgery,blood_thinners"], ["blood_thinners", "recent_surgery"]),
        (["none", "none"], []),
        (["none,made_up_item"], None),
        (["none", "made_up_item"], None),
        (["made_up_item"], None),
    ],
)
def test_every_safety_value_of_a_link_counts(catalog, values, flags):
    state = parse_share_params({"safety": values, "relaxation": "7"}, catalog)
    assert state.flags == flags
    assert state.weights == {"relaxation": 7}


def test_none_beside_an_unknown_item_asks_the_safety_question_again(catalog):
    state = parse_share_params({"safety": "none,made_up_item"}, catalog)
    assert state.flags is None
    assert state.notices == [
        "Safety item 'made_up_item' is not known and was ignored.",
        "The link says none of the safety items apply. It also names one the app does not know. "
        "Please answer the safety question again.",
    ]


def test_many_unknown_parameters_never_drop_the_safety_answer(catalog):
    params = {f"x{i}": "1" for i in range(100)} | {"safety": "recent_surgery"}
    state = parse_share_params(params, catalog)
    assert state.flags == ["recent_surgery"]
    assert state.notices == [
        "100 unknown parameters in the link were ignored: 'x0', 'x1', 'x2', 'x3', 'x4' and 95 more."
    ]


@pytest.mark.parametrize(
    ("params", "flags"),
    [
        ({"safety": "blood_thinners,RECENT_SURGERY"}, ["recent_surgery", "blood_thinners"]),
        ({"safety": "Pregnancy_Later"}, ["pregnancy_later"]),
        ({"safety": "pregnancy_later;blood_thinners"}, ["pregnancy_later", "blood_thinners"]),
        ({"safety[]": ["recent_surgery", "blood_thinners"]}, ["blood_thinners", "recent_surgery"]),
        ({"Safety": "recent_surgery", "safety": "none"}, ["recent_surgery"]),
        ({" SAFETY[] ": "recent_surgery", "safety": "none"}, ["recent_surgery"]),
    ],
)
def test_a_safety_item_in_another_case_spacing_or_list_form_is_never_lost(catalog, params, flags):
    """A ticked item written in capitals, split by semicolons, or under `Safety` or
    `safety[]`, stays ticked; beside `none` it keeps the screen from reading as none apply."""
    state = parse_share_params(params, catalog)
    assert sorted(state.flags) == sorted(flags)
    assert not [n for n in state.notices if "not known" in n or "unknown" in n]


def test_a_preset_and_certainty_in_capitals_are_read(catalog):
    state = parse_share_params(
        {"Preset": "Unwind", "CERTAINTY": "HIGH", "Relaxation": "9"}, catalog
    )
    assert (state.preset, state.certainty, state.weights, state.notices) == (
        "unwind",
        "high",
        {"relaxation": 9},
        [],
    )


def test_a_key_given_in_two_cases_counts_as_repeated(catalog):
    state = parse_share_params({"relaxation": "3", "Relaxation": "9"}, catalog)
    assert state.weights == {"relaxation": 9}
    assert state.notices == ["Parameter relaxation appears 2 times; the last one is used."]


SAFETY_PARTS = st.sampled_from(
    ["none", "recent_surgery", "pregnancy_later", "made_up", "", " none ", "NONE"]
)


@given(values=st.lists(st.lists(SAFETY_PARTS, max_size=4).map(",".join), min_size=1, max_size=4))
def test_a_link_reads_as_none_apply_only_when_it_says_nothing_else(catalog, values):
    """Whatever the link, "none apply" ([]) only when every safety part it holds is "none"."""
    state = parse_share_params({"safety": values}, catalog)
    parts = {p.strip().casefold() for v in values for p in v.split(",") if p.strip()}
    if state.flags == []:
        assert parts == {"none"}
    if parts & {"recent_surgery", "pregnancy_later"}:
        assert state.flags and set(state.flags) == parts & {"recent_surgery", "pregnancy_later"}


@pytest.mark.parametrize(
    "extra",
    [
        {"blood_clot": "1"},  # an item as its own key
        {"flag_blood_clot": "true"},  # the page's own session key
        {"safety_items": "blood_clot"},
        {"flags": "none"},
        {"notes": "blood%5Fclot"},  # an item in another parameter's value, percent-encoded
        {"preset": "pregnancy_later"},
    ],
)
def test_a_safety_item_outside_safety_leaves_the_screen_unanswered(catalog, extra):
    for answer in ("none", "fever_or_infection"):
        state = parse_share_params({"safety": answer, "relaxation": "6"} | extra, catalog)
        assert state.flags is None, (answer, extra)
        assert state.weights == {"relaxation": 6}
        assert state.notices[-1].endswith(share_link.SAFETY_ELSEWHERE)
        assert state.notices[-1].startswith(("Parameter '", "A part of the link"))


@pytest.mark.parametrize("key", ["safety[0]", "safety[][]", "safety[ ]", "\u200bsafety\ufeff"])
def test_a_list_or_invisible_form_of_the_safety_key_keeps_its_item(catalog, key):
    state = parse_share_params({"safety": "none", key: "blood_clot"}, catalog)
    assert state.flags == ["blood_clot"]


def test_no_setting_of_a_link_is_read_as_a_safety_mention(catalog):
    """The rule above must never fire on the app's own parameters and values."""
    words = [*catalog.criterion_ids, *catalog.presets.index, "blank", "high", "medium", "low"]
    assert not [(f, w) for f in catalog.red_flags.index for w in words if f in w]
    assert not [w for w in words if "safety" in w or "flag" in w]


def test_every_link_notice_reads_at_grade_8_or_lower(catalog):
    from devtools.readability import MAX_GRADE, blocks, judge
    from tests.corpus.links import LINK_CASES

    notices = [n for case in LINK_CASES for n in parse_share_params(case.params, catalog).notices]
    assert len(notices) >= 20
    failing = [f for f in judge(blocks("link notices", notices)) if f.grade > MAX_GRADE]
    assert failing == []
