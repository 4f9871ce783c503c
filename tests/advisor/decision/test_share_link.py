"""advisor.decision.share_link: tracking parameters that sites add are dropped without a notice."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
    assert state.notices == ["1 unknown parameter in the link was ignored."]


def test_tracking_parameters_do_not_count_towards_the_parameter_limit(catalog):
    link = {f"utm_{i}": "x" for i in range(100)} | OURS
    state = parse_share_params(link, catalog)
    assert state.notices == [] and state.preset == "unwind"


@given(st.dictionaries(st.sampled_from(["fbclid", "gclid", "utm_source", "utm_a"]), st.text()))
def test_any_tracking_values_leave_the_state_unchanged(catalog, tracking):
    assert parse_share_params({**OURS, **tracking}, catalog) == parse_share_params(OURS, catalog)
