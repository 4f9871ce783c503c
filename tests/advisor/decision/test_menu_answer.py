"""advisor.decision.explanation: the clinic's own services, ranked in the one explanation."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.bidi import FSI, PDI
from advisor.clinic.menu import NAME, blend_fits
from advisor.decision.explanation import MENU_SOURCE, ONLY, explain
from advisor.decision.scoring import score
from tests.advisor.decision.test_explanation import weightings

SPORTS = "Sports recovery, 45 min"
STONE = "Hot stone, 90 min"


def _menu(catalog, *services: tuple[str, float]) -> pd.DataFrame:
    """A menu of (name, share of medical) blends, as the owner's page makes them."""
    return pd.DataFrame(
        [{NAME: name, **blend_fits(catalog.fits, share).to_dict()} for name, share in services]
    )


def _copy_of_types(catalog) -> pd.DataFrame:
    """A menu whose two services have exactly the two types' fits."""
    return _menu(catalog, ("Our medical", 1.0), ("Our spa", 0.0))


def test_no_menu_and_no_weights_give_no_clinic_answer(catalog):
    unwind = dict(catalog.preset_weights.loc["unwind"])
    assert explain(catalog, unwind, "medium", []).clinic is None
    assert explain(catalog, unwind, "medium", [], _menu(catalog).iloc[:0]).clinic is None
    assert explain(catalog, {}, "medium", [], _copy_of_types(catalog)).clinic is None


def test_the_services_are_ranked_with_the_same_words(catalog):
    menu = _menu(catalog, (SPORTS, 0.9), (STONE, 0.1), ("Mix", 0.5))
    exp = explain(catalog, {"relaxation": 9, "calming_ambience": 8}, "medium", [], menu)
    clinic = exp.clinic
    ranked = [(name, pct) for _, name, pct in clinic.shown]
    assert ranked == [(STONE, 93), ("Mix", 63), (SPORTS, 33)]
    assert clinic.strength == "clear" and clinic.has_leader and clinic.best == STONE
    assert clinic.verdict == (
        f"{STONE} clearly fits you best: 93% against 63% for Mix. That is a lead of 30 points."
    )
    assert [r.criterion_id for r in clinic.reasons_for] == ["calming_ambience", "relaxation"]
    assert clinic.reasons_for[0].text == (
        f"Calming ambience (you gave it 8 of 10). {STONE} fits it 9.2 of 10, and Mix 6."
    )
    assert {r.section_title for r in clinic.reasons_for} == {MENU_SOURCE}
    assert clinic.firmness.startswith(f"{STONE} stays ahead in 100 of 100 similar sets")
    assert exp.verdict.startswith("Spa massage clearly fits you best")  # the types come first


def test_too_close_to_call_says_what_would_change_it(catalog):
    menu = _menu(catalog, (SPORTS, 0.9), (STONE, 0.1), ("Mix", 0.5))
    clinic = explain(catalog, {"relaxation": 5, "pain_relief": 5}, "medium", [], menu).clinic
    assert clinic.strength == "close" and not clinic.has_leader
    assert clinic.verdict == (
        f"Too close to call between {STONE} (64%) and Mix (62%). They are within 5 points of "
        "each other. Either could suit you."
    )
    assert clinic.changes[0] == (
        "Mix would come out ahead if “Part of my care plan” mattered 1 or more to you. It is now 0."
    )


def test_none_of_three_services_fits_well(catalog):
    low = {NAME: "Low", **{c: 2.0 for c in catalog.criterion_ids}}
    menu = pd.DataFrame([low, {**low, NAME: "Lower", "relaxation": 1.0}, {**low, NAME: "Least"}])
    clinic = explain(catalog, {"relaxation": 8}, "medium", [], menu).clinic
    assert clinic.strength == "neither" and not clinic.has_leader
    # Low and Least tie exactly for first: both are named, never Low and the lower "Lower"
    assert clinic.verdict == (
        "None of these services fits you well. The best matches are Low and Least, at 20% "
        "each. All are under 60%."
    )


@pytest.mark.parametrize(
    ("weights", "strength", "verdict"),
    [
        (
            {"injury_recovery": 9},
            ONLY,
            f"This clinic lists one service here: {SPORTS}. It fits you 82%.",
        ),
        (
            {"relaxation": 9},
            "neither",
            f"This clinic lists one service here: {SPORTS}. It fits you 37%. That is under 60%, "
            "so it may not suit you well.",
        ),
    ],
)
def test_a_menu_of_one_service_reads_sensibly(catalog, weights, strength, verdict):
    clinic = explain(catalog, weights, "medium", [], _menu(catalog, (SPORTS, 0.9))).clinic
    assert (clinic.strength, clinic.verdict) == (strength, verdict)
    assert clinic.lead is None and clinic.firmness is None
    assert clinic.reasons_for == clinic.reasons_against == clinic.changes == ()
    assert clinic.best == SPORTS


def test_see_a_provider_first_replaces_the_clinics_recommendation_too(catalog):
    menu = _menu(catalog, (SPORTS, 0.9), (STONE, 0.1))
    unwind = dict(catalog.preset_weights.loc["unwind"])
    assert explain(catalog, unwind, "medium", ["blood_clot"], menu).clinic.needs_provider
    assert not explain(catalog, unwind, "medium", [], menu).clinic.needs_provider
    care = [f for f in catalog.red_flags.index if catalog.red_flags.at[f, "tier"] == "with_care"]
    assert not explain(catalog, unwind, "medium", care[:1], menu).clinic.needs_provider


def test_a_service_that_breaks_a_limit_is_left_out_and_named(catalog):
    both = {**blend_fits(catalog.fits, 0.5).to_dict(), "short_targeted": 10, "long_indulgent": 10}
    menu = pd.concat([_menu(catalog, (SPORTS, 0.9)), pd.DataFrame([{NAME: "Both", **both}])])
    clinic = explain(catalog, {"relaxation": 5}, "medium", [], menu).clinic
    assert [name for _, name, _ in clinic.shown] == [SPORTS]
    assert clinic.left_out == ("Both",)


@settings(max_examples=60, deadline=None)
@given(weightings, st.sampled_from(["high", "medium", "low"]))
def test_a_menu_of_the_two_types_gets_the_types_own_answer(catalog, weights, certainty):
    """The same scoring and the same verdict rule: only the names differ."""
    exp = explain(catalog, weights, certainty, [], _copy_of_types(catalog))
    if exp.strength is None:
        assert exp.clinic is None
        return
    clinic = exp.clinic
    renamed = {"Medical massage": "Our medical", "Spa massage": "Our spa"}
    assert [(renamed[n], p) for _, n, p in exp.shown] == [(n, p) for _, n, p in clinic.shown]
    assert (clinic.strength, clinic.lead) == (exp.strength, exp.lead)
    verdict = exp.verdict.replace("Neither type", "Neither service")
    for old, new in renamed.items():
        verdict = verdict.replace(old, new)
    assert clinic.verdict == verdict
    assert len(clinic.changes) == len(exp.changes)
    assert [r.criterion_id for r in clinic.reasons_for] == [r.criterion_id for r in exp.reasons_for]


@settings(max_examples=60, deadline=None)
@given(weightings, st.lists(st.floats(0, 1).map(lambda x: round(x, 1)), min_size=1, max_size=5))
def test_the_ranking_is_the_scoring_of_the_services(catalog, weights, shares):
    menu = _menu(catalog, *((f"Service {i}", s) for i, s in enumerate(shares)))
    exp = explain(catalog, weights, "medium", [], menu)
    if exp.strength is None:
        return
    clinic = exp.clinic
    fits = menu.set_index(NAME)[list(catalog.criterion_ids)]
    result = score(weights, fits)
    assert [(n, p) for _, n, p in clinic.shown] == [(n, round(m)) for n, m in result.ranking()]
    assert clinic.best == result.ranking()[0][0]
    if len(shares) > 1:
        assert clinic.lead == clinic.shown[0][2] - clinic.shown[1][2]
        leader, other = (fits.loc[n] for n in (clinic.shown[0][1], clinic.shown[1][1]))
        assert all(leader[r.criterion_id] > other[r.criterion_id] for r in clinic.reasons_for)


@pytest.mark.parametrize("tied", [2, 3])
def test_services_with_the_same_fits_are_tied_and_never_called_firm(catalog, tied):
    """Two (or three) services the owner profiled alike: too close to call, and the firmness
    line names every tied service instead of saying the first listed 'stays ahead'."""
    names = ["Deep tissue 60", "Deep tissue 90", "Deep tissue 120"][:tied]
    menu = _menu(catalog, *((name, 0.8) for name in names), ("Hot stone", 0.1))
    exp = explain(catalog, {"pain_relief": 9, "relaxation": 2}, "medium", [], menu)
    clinic = exp.clinic
    assert clinic.strength == "close" and clinic.lead == 0
    listed = ", ".join(names[:-1]) + f" and {names[-1]}"
    rest = "Neither one leads" if tied == 2 else "None of them leads"
    assert clinic.firmness == f"{listed} fit you just as well. {rest}."
    assert "stays ahead" not in clinic.firmness
    pct = clinic.shown[0][2]
    could = "Either could suit you" if tied == 2 else "Any of them could suit you"
    assert clinic.verdict == (
        f"Too close to call: {listed} fit you just as well, at {pct}% each. {rest}. {could}."
    )


def _profiled(catalog, **services: tuple[float, float]) -> pd.DataFrame:
    """A menu whose services fit relaxation and pain relief as given, and 4 everything else."""
    return pd.DataFrame(
        [
            {
                NAME: name,
                **dict.fromkeys(catalog.criterion_ids, 4.0),
                "relaxation": r,
                "pain_relief": p,
            }
            for name, (r, p) in services.items()
        ]
    )


def test_three_services_tied_for_first_are_all_named_in_every_sentence(catalog):
    """Three services profiled differently that come out exactly level: the verdict, the
    firmness line and each reason name all three, not only the first two."""
    menu = _profiled(catalog, A=(9.0, 5.0), B=(5.0, 9.0), C=(7.0, 7.0), D=(4.0, 4.0))
    clinic = explain(catalog, {"relaxation": 5, "pain_relief": 5}, "medium", [], menu).clinic
    assert [(name, pct) for _, name, pct in clinic.shown] == [
        ("A", 70),
        ("B", 70),
        ("C", 70),
        ("D", 40),
    ]
    assert clinic.strength == "close" and clinic.lead == 0
    assert clinic.verdict == (
        "Too close to call: A, B and C fit you just as well, at 70% each. None of them leads. "
        "Any of them could suit you."
    )
    assert clinic.firmness == "A, B and C fit you just as well. None of them leads."
    assert [r.text for r in clinic.reasons_for] == [
        "Relaxation (you gave it 5 of 10). A fits it 9 of 10, B 5 and C 7."
    ]
    assert [r.text for r in clinic.reasons_against] == [
        "Pain relief (you gave it 5 of 10) points the other way. B fits it 9 of 10, A 5 and C 7."
    ]


def test_services_tied_for_first_under_60_are_all_named_as_the_best_matches(catalog):
    menu = _profiled(catalog, A=(5.0, 3.0), B=(3.0, 5.0), C=(4.0, 4.0))
    clinic = explain(catalog, {"relaxation": 5, "pain_relief": 5}, "medium", [], menu).clinic
    assert clinic.strength == "neither"
    assert clinic.verdict == (
        "None of these services fits you well. The best matches are A, B and C, at 40% each. "
        "All are under 60%."
    )


ARABIC, HEBREW = "تدليك علاجي", "עיסוי רפואי"


def _isolated_everywhere(text: str, name: str) -> bool:
    """Each time `name` is in `text`, it sits between FSI and PDI."""
    parts = text.split(name)
    return all(p.endswith(FSI) for p in parts[:-1]) and all(p.startswith(PDI) for p in parts[1:])


@pytest.mark.parametrize(
    "weights",
    [
        {"relaxation": 9, "calming_ambience": 8},
        {"relaxation": 5, "pain_relief": 5},
        {"relaxation": 5, "pain_relief": 6},
    ],
)
def test_right_to_left_names_are_isolated_in_every_sentence_and_kept_as_typed(catalog, weights):
    """An Arabic and a Hebrew service: every sentence holds them between FSI and PDI, so the
    figures and words around them keep their places; the ranking keeps them as typed."""
    menu = _menu(catalog, (ARABIC, 0.3), (HEBREW, 0.1), ("Mix", 0.9))
    clinic = explain(catalog, weights, "medium", [], menu).clinic
    assert {name for _, name, _ in clinic.shown} == {ARABIC, HEBREW, "Mix"}
    sentences = [
        clinic.verdict,
        *(r.text for r in clinic.reasons_for + clinic.reasons_against),
        *clinic.changes,
        clinic.firmness,
    ]
    assert any(ARABIC in s for s in sentences)  # every case names the Arabic service
    for sentence in sentences:
        assert _isolated_everywhere(sentence, ARABIC) and _isolated_everywhere(sentence, HEBREW)
        assert FSI not in sentence.replace(f"{FSI}{ARABIC}", "").replace(f"{FSI}{HEBREW}", "")


def test_a_right_to_left_verdict_reads_in_order(catalog):
    menu = _menu(catalog, (ARABIC, 0.9), (HEBREW, 0.1))
    clinic = explain(catalog, {"relaxation": 9, "calming_ambience": 8}, "medium", [], menu).clinic
    assert clinic.verdict == (
        f"{FSI}{HEBREW}{PDI} clearly fits you best: 93% against 33% for {FSI}{ARABIC}{PDI}. "
        "That is a lead of 60 points."
    )
    assert clinic.best == clinic.leader_name == HEBREW
    one = explain(catalog, {"relaxation": 9}, "medium", [], _menu(catalog, (ARABIC, 0.1))).clinic
    assert one.verdict.startswith(f"This clinic lists one service here: {FSI}{ARABIC}{PDI}. ")
