"""Bad share links: the query parameters of a link, and the notices the parser must give.

A link never fails: the good parts are restored and every bad part gets a notice. A notice never
quotes text a browser or markdown would treat as markup; it names the parameter and says the app
cannot read its value instead. `weights` lists the weights the link does restore.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.decision.share_link import SAFETY_ELSEWHERE, UNREADABLE_ITEMS

Params = dict[str, str | list[str]]


def whole_number(key: str, shown: str) -> str:
    return (
        f"Parameter {key} is {shown}. It must be a whole number from 0 to 10, so it was not used."
    )


def unreadable(key: str) -> str:
    return f"Parameter {key} has a value the app cannot read. It was not used."


def empty(key: str) -> str:
    return f"Parameter {key} has no value in the link, so the app did not use it."


@dataclass(frozen=True)
class LinkCase:
    id: str
    what: str
    params: Params
    notices: tuple[str, ...]
    weights: dict[str, int] = field(default_factory=dict)
    flags: list[str] | None = None  # the safety answer the link restores: None unanswered


LINK_CASES: list[LinkCase] = [
    LinkCase(
        "safety_unknown_item",
        "an unknown safety item beside a known one: named, and the known one kept",
        {"safety": "headache,pregnancy_later", "relaxation": "6"},
        ("Safety item 'headache' is not known and was ignored.",),
        {"relaxation": 6},
        ["pregnancy_later"],
    ),
    LinkCase(
        "safety_only_unknown",
        "only an unknown safety item: the question stays unanswered, not 'none apply'",
        {"safety": "headache", "wellbeing": "4"},
        ("Safety item 'headache' is not known and was ignored.",),
        {"wellbeing": 4},
        None,
    ),
    LinkCase(
        "safety_markup",
        "markup as a safety item",
        {"safety": "<img src=x onerror=alert(1)>"},
        (UNREADABLE_ITEMS,),
    ),
    LinkCase(
        "safety_none_and_item",
        "'none' beside a ticked item: the item wins",
        {"safety": "none,recent_surgery"},
        (
            "The link says both that none of the safety items apply and that some do; the "
            "ticked items were kept.",
        ),
        {},
        ["recent_surgery"],
    ),
    LinkCase(
        "safety_empty",
        "an empty safety answer",
        {"safety": " , "},
        (empty("safety"),),
    ),
    LinkCase(
        "safety_huge",
        "a safety answer of 100 KB",
        {"safety": "none," * 25_000},
        ("Parameter safety is too long and was ignored.",),
    ),
    LinkCase(
        "garbage_value",
        "percent-garbage and markup characters as a value",
        {"relaxation": "%zz;<>&'\"", "wellbeing": "4"},
        (unreadable("relaxation"),),
        {"wellbeing": 4},
    ),
    LinkCase(
        "garbage_key",
        "a key of garbage",
        {"%%%<b>": "1", "wellbeing": "4"},
        ("1 unknown parameter in the link was ignored.",),
        {"wellbeing": 4},
    ),
    LinkCase(
        "unknown_keys",
        "tracking and unknown keys: tracking ones go without a word",
        {"utm_source": "mail", "foo": "1", "fbclid": "x", "relaxation": "6"},
        ("1 unknown parameter in the link was ignored: 'foo'.",),
        {"relaxation": 6},
    ),
    LinkCase(
        "repeated_key",
        "a key three times",
        {"relaxation": ["3", "7", "9"]},
        ("Parameter relaxation appears 3 times; the last one is used.",),
        {"relaxation": 9},
    ),
    LinkCase(
        "negative",
        "a negative weight",
        {"relaxation": "-3", "wellbeing": "2"},
        (whole_number("relaxation", "'-3'"),),
        {"wellbeing": 2},
    ),
    LinkCase(
        "above_ten",
        "a weight above 10",
        {"relaxation": "1000000"},
        (whole_number("relaxation", "'1000000'"),),
    ),
    LinkCase(
        "huge",
        "a 20-digit weight",
        {"relaxation": "9" * 20},
        ("Parameter relaxation is too long and was ignored.",),
    ),
    LinkCase(
        "fraction",
        "a fraction",
        {"relaxation": "7.5"},
        (whole_number("relaxation", "'7.5'"),),
    ),
    LinkCase(
        "empty_value",
        "a key with no value",
        {"relaxation": ""},
        (empty("relaxation"),),
    ),
    LinkCase(
        "unicode_value",
        "an emoji preset and a full-width certainty",
        {"preset": "\U0001f486", "certainty": "\uff48\uff49\uff47\uff48"},
        (
            unreadable("preset"),
            unreadable("certainty"),
        ),
    ),
    LinkCase(
        "unicode_key",
        "a key in another script",
        {"relajaci\u00f3n": "5", "\u0627\u0633\u062a\u0631\u062e\u0627\u0621": "5"},
        ("2 unknown parameters in the link were ignored.",),
    ),
    LinkCase(
        "unicode_digit",
        "an Arabic-Indic digit five: a digit, read as 5",
        {"relaxation": "\u0665"},
        (),
        {"relaxation": 5},
    ),
    LinkCase(
        "markup_value",
        "HTML as the certainty",
        {"certainty": "<b>hi</b>"},
        (unreadable("certainty"),),
    ),
    LinkCase(
        "autolink_value",
        "a web address as the preset (markdown would make it a link)",
        {"preset": "www.evil.co"},
        (unreadable("preset"),),
    ),
    LinkCase(
        "emphasis_value",
        "markdown emphasis as the preset",
        {"preset": "__x__"},
        (unreadable("preset"),),
    ),
    LinkCase(
        "link_100kb_value",
        "a link of 100 KB in one value",
        {"relaxation": "9" * 100_000, "wellbeing": "3"},
        ("Parameter relaxation is too long and was ignored.",),
        {"wellbeing": 3},
    ),
    LinkCase(
        "link_100kb_key",
        "a link of 100 KB in one key",
        {"k" * 100_000: "1", "wellbeing": "3"},
        ("1 unknown parameter in the link was ignored.",),
        {"wellbeing": 3},
    ),
    LinkCase(
        "many_params",
        # Streamlit itself drops a query string of more than 1,000 parameters before the page
        # sees it (the page then opens blank, without a notice)
        "1,000 parameters, the last a weight",
        {f"p{i}": "1" for i in range(999)} | {"relaxation": "4"},
        (
            "999 unknown parameters in the link were ignored: 'p0', 'p1', 'p2', 'p3', 'p4' "
            "and 994 more.",
        ),
        {"relaxation": 4},
    ),
    LinkCase(
        "safety_indexed_key",
        "a safety item under `safety[0]` (a form library's list) beside `safety=none`: kept",
        {"safety": "none", "safety[0]": "blood_clot"},
        (
            "The link says both that none of the safety items apply and that some do; the "
            "ticked items were kept.",
        ),
        {},
        ["blood_clot"],
    ),
    LinkCase(
        "safety_zero_width_key",
        "a zero-width space in the key of a ticked item",
        {"safety": "none", "safety\u200b": "blood_clot"},
        (
            "The link says both that none of the safety items apply and that some do; the "
            "ticked items were kept.",
        ),
        {},
        ["blood_clot"],
    ),
    LinkCase(
        "safety_plus_and_double_encoded",
        "items joined by a space (a `+`) and by a comma encoded twice",
        {"safety": "blood_clot fever_or_infection%252Cfresh_injury"},
        (),
        {},
        ["blood_clot", "fever_or_infection", "fresh_injury"],
    ),
    LinkCase(
        "safety_item_as_key",
        "a ticked item written as its own key beside `safety=none`: asked again",
        {"safety": "none", "blood_clot": "1", "relaxation": "6"},
        (
            "1 unknown parameter in the link was ignored: 'blood_clot'.",
            f"Parameter 'blood_clot' {SAFETY_ELSEWHERE}",
        ),
        {"relaxation": 6},
        None,
    ),
    LinkCase(
        "safety_under_another_name",
        "the answer under a name of another tool (`flags`) beside `safety=none`: asked again",
        {"safety": "none", "flags": "none"},
        (
            "1 unknown parameter in the link was ignored: 'flags'.",
            f"Parameter 'flags' {SAFETY_ELSEWHERE}",
        ),
        {},
        None,
    ),
    LinkCase(
        "share_ids",
        "share ids of X, YouTube and a referrer: dropped without a word",
        {"ref": "twitter", "si": "abc", "s": "09", "t": "1", "relaxation": "3"},
        (),
        {"relaxation": 3},
    ),
]
