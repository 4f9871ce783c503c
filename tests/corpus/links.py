"""Bad share links: the query parameters of a link, and the notices the parser must give.

A link never fails: the good parts are restored and every bad part gets a notice. A notice never
quotes text a browser or markdown would treat as markup; it says "a value that cannot be shown"
instead. `weights` lists the weights the link does restore.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.decision.share_link import MAX_PARAMS

Params = dict[str, str | list[str]]

NOT_SHOWN = "a value that cannot be shown"


def whole_number(key: str, shown: str) -> str:
    return f"Parameter {key} must be a whole number from 0 to 10, not {shown}; it was ignored."


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
        (f"Safety item {NOT_SHOWN} is not known and was ignored.",),
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
        ("Parameter safety is empty and was ignored.",),
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
        (whole_number("relaxation", NOT_SHOWN),),
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
        (whole_number("relaxation", "an empty value"),),
    ),
    LinkCase(
        "unicode_value",
        "an emoji preset and a full-width certainty",
        {"preset": "\U0001f486", "certainty": "\uff48\uff49\uff47\uff48"},
        (
            f"Preset {NOT_SHOWN} is not known and was ignored.",
            f"Certainty {NOT_SHOWN} is not one of high, medium, low; it was ignored.",
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
        (f"Certainty {NOT_SHOWN} is not one of high, medium, low; it was ignored.",),
    ),
    LinkCase(
        "autolink_value",
        "a web address as the preset (markdown would make it a link)",
        {"preset": "www.evil.co"},
        (f"Preset {NOT_SHOWN} is not known and was ignored.",),
    ),
    LinkCase(
        "emphasis_value",
        "markdown emphasis as the preset",
        {"preset": "__x__"},
        (f"Preset {NOT_SHOWN} is not known and was ignored.",),
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
        "1,000 parameters",
        {f"p{i}": "1" for i in range(1000)},
        (
            f"The link has more than {MAX_PARAMS} parameters; the rest were ignored.",
            f"{MAX_PARAMS} unknown parameters in the link were ignored: 'p0', 'p1', 'p2', 'p3', "
            f"'p4' and {MAX_PARAMS - 5} more.",
        ),
    ),
]
