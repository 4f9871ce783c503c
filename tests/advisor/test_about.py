"""advisor.about: who made this copy and who pays (a checked setting with an honest default), the
update policy and its dates, and every public source with its own date and the day it was read."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.about import (
    DEFAULT,
    MAX_SETTING_LENGTH,
    Source,
    deployment,
    footer,
    next_review,
    source_date_words,
    sources,
    update_policy,
    who_made_it,
)

CLINIC = {
    "made_by": "Riverside Physio",
    "funded_by": "Riverside Physio",
    "conflicts": "We offer medical massage, so we gain if you choose it.",
    "contact": "info@riverside.example",
}


def test_the_default_says_who_made_it_and_that_no_clinic_pays():
    made, problems = deployment({})
    assert made == DEFAULT and problems == []
    assert who_made_it(made) == [
        ("Made by", "The Massage Advisor project. It is a free, independent, open-source tool."),
        ("Paid for by", "No clinic, spa or maker of massage products pays for it."),
        (
            "Conflicts of interest",
            "None that we know of. We gain nothing from the type you choose.",
        ),
    ]
    assert made.contact == ""


def test_a_clinic_names_itself_and_its_conflict():
    made, problems = deployment(CLINIC)
    assert problems == []
    assert made.made_by == "Riverside Physio"
    assert made.conflicts == "We offer medical massage, so we gain if you choose it."
    assert made.contact == "info@riverside.example"


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"made_by": ""}, "Setting 'made_by' is empty, so the default is used."),
        (
            {"funded_by": 3},
            "Setting 'funded_by' is not text (put it in quotes), so the default is used.",
        ),
        (
            {"conflicts": "x" * (MAX_SETTING_LENGTH + 1)},
            "Setting 'conflicts' is 301 characters long; at most 300 fit, so the default is used.",
        ),
        (
            {"made_by": "A\x07B"},
            "Setting 'made_by' holds a control character, so the default is used.",
        ),
        (
            {"made_bye": "Riverside"},
            "Setting 'made_bye' is not known and is ignored. The settings are: made_by, "
            "funded_by, conflicts, contact.",
        ),
    ],
)
def test_a_bad_setting_is_named_and_the_default_kept(settings, problem):
    made, problems = deployment({**settings, "funded_by": settings.get("funded_by", "Us")})
    assert problems == [problem]
    assert made.made_by == DEFAULT.made_by or "made_by" not in settings
    assert made.conflicts == DEFAULT.conflicts


def test_whitespace_is_collapsed():
    made, _ = deployment({"made_by": "  Riverside \n Physio  "})
    assert made.made_by == "Riverside Physio"


@given(st.dictionaries(st.sampled_from(["made_by", "funded_by", "x"]), st.text(max_size=400)))
def test_any_settings_give_a_whole_deployment_and_a_message_per_refusal(settings):
    made, problems = deployment(settings)
    for key in ("made_by", "funded_by", "conflicts"):
        value = getattr(made, key)
        assert value.strip() and len(value) <= MAX_SETTING_LENGTH
        assert value == " ".join(value.split())

    def refused(key: str, value: str) -> bool:
        control = any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in value)
        too_long = len(value) > MAX_SETTING_LENGTH
        return key == "x" or not value.strip() or too_long or control

    assert len(problems) == sum(refused(k, v) for k, v in settings.items())


def test_the_footer_says_who_made_it_and_when_the_data_were_reviewed(catalog):
    assert catalog.last_reviewed == "2026-12-05"
    assert footer(DEFAULT, catalog).endswith("Data last reviewed on 5 December 2026.")
    assert footer(deployment(CLINIC)[0], catalog).startswith("Made by: Riverside Physio ")


def test_the_update_policy_gives_the_interval_the_dates_and_how_to_report(catalog):
    assert next_review(catalog) == date(2027, 12, 5)
    lines = update_policy(DEFAULT, catalog, today=date(2026, 12, 6))
    assert lines[0] == (
        "We check all the data at least once every 12 months. The last check was on "
        "5 December 2026. The next is due by 5 December 2027."
    )
    assert "someone tells us of an error" in lines[1]
    assert lines[2].startswith("To report an error, tell whoever runs this copy of the app.")
    assert len(lines) == 3  # not overdue
    clinic = update_policy(deployment(CLINIC)[0], catalog, today=date(2026, 12, 6))
    assert clinic[2] == "To report an error, contact: info@riverside.example"


def test_overdue_data_say_so(catalog):
    lines = update_policy(DEFAULT, catalog, today=date(2027, 12, 6))
    assert lines[-1] == "This check is overdue: it was due by 5 December 2027."


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2011-07-05", "5 July 2011"),
        ("2011-07", "July 2011"),
        ("2019", "2019"),
        ("undated", "undated"),
    ],
)
def test_a_sources_own_date_in_words(text, words):
    assert source_date_words(text) == words


def test_every_source_is_listed_once_with_its_dates(catalog):
    found = sources(catalog)
    article = found[0]
    assert article.used_for == "The facts about the two types"
    assert article.dates() == "undated; read on 28 November 2026"
    named = {s.name for s in found}
    sourced = set(catalog.experience.loc[catalog.experience["source_name"] != "", "source_name"])
    assert sourced <= named
    assert set(catalog.red_flags["source_name"]) <= named
    keys = [(s.name, s.url, s.read_at) for s in found]
    assert len(keys) == len(set(keys))
    mayo = next(s for s in found if s.name.startswith("Mayo Clinic Press"))
    assert "What people ask: Will it hurt?" in mayo.used_for
    assert "What people ask: Who gives it?" in mayo.used_for


def test_a_copy_is_said_to_be_a_copy():
    own = Source("x", "NCCIH: page", "https://nccih.example/p", "", "undated", "2026-12-05")
    assert own.copy_note() == ""
    copy = replace(own, read_at="https://copy.example/p")
    assert copy.copy_note() == "We read it through a copy at https://copy.example/p."
    unseen = replace(copy, url="")
    assert unseen.copy_note().endswith("We did not read its own page.")
    unknown = replace(own, source_date="", read_on="")
    assert unknown.dates() == "its date was not recorded; the day it was read was not recorded"
