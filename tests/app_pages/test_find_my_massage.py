"""Find my massage (AppTest): presets, sliders, share links, safety notes, ties and downloads."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlencode, urlsplit

import numpy as np
import pytest
from pypdf import PdfReader

from advisor.decision.explanation import explain
from advisor.decision.scoring import score
from advisor.decision.sensitivity import tipping_points
from advisor.decision.share_link import share_params
from advisor.decision.takeaway import result_csv
from tests.apptest_support import (
    block_by_key,
    figure,
    figures,
    numbers,
    position,
    title_of,
    tree,
    values,
    walk,
)

PAGE = "app_pages/find_my_massage.py"
PRESETS = ["injury", "chronic_pain", "unwind", "treat_myself", "mobility", "doctor_referral"]
RED_FLAGS = [
    "pregnancy_later", "pregnancy_early", "pregnancy_high_risk", "blood_clot", "blood_thinners",
    "bleeding_or_low_platelets", "cancer_treatment_now", "cancer_history_lymphoedema",
    "recent_surgery", "fever_or_infection", "skin_problem_in_area", "fragile_bones",
    "fresh_injury", "injury_red_signs", "heart_or_bp_not_controlled", "numb_areas",
    "varicose_veins", "unexplained_pain",
]  # fmt: skip
PROVIDER_FIRST = [
    "pregnancy_early", "pregnancy_high_risk", "blood_clot", "bleeding_or_low_platelets",
    "cancer_treatment_now", "recent_surgery", "fever_or_infection", "fragile_bones",
    "injury_red_signs", "heart_or_bp_not_controlled", "unexplained_pain",
]  # fmt: skip


def answer_screen(at, flags: list[str]):
    """Answer the safety question: "None of these apply to me" for [], else "Yes, one or
    more" and a tick on each item."""
    at.segmented_control(key="fm_screen").set_value("some" if flags else "none").run()
    for flag in flags:
        at.checkbox(key=f"flag_{flag}").check()
    return at.run()


def sliders(at, catalog) -> dict[str, int]:
    return {cid: at.slider(key=f"w_{cid}").value for cid in catalog.criterion_ids}


def set_weights(at, weights: dict[str, int]):
    for cid, weight in weights.items():
        at.slider(key=f"w_{cid}").set_value(weight)
    return at.run()


def match_numbers(at) -> dict[str, float]:
    """The match chart as {type name: match %}, in the chart's order (best first)."""
    (trace,) = figure(at, "match_chart")["data"]
    return dict(zip(trace["y"], numbers(trace["x"]).tolist(), strict=True))


def expected_matches(weights, catalog) -> dict[str, float]:
    result = score(weights, catalog.fits)
    return {catalog.type_name(t): m for t, m in result.ranking()}


COIN_FLIP = {"relaxation": 5, "pain_relief": 5, "wellbeing": 3}
# The field case shared/cases/share-link-facebook-fbclid-utm.txt: a link a social site rewrote.
FACEBOOK_LINK = (
    "/find?preset=unwind&certainty=low&relaxation=9&pain_relief=2"
    "&fbclid=IwAR0xYzExampleToken123&utm_source=facebook&utm_medium=social"
)


def share_notices(at) -> list[str]:
    return [w for w in values(at.warning) if w.startswith("Share link: ")]


def test_the_catalog_presets_and_flags_are_the_ones_tested(catalog):
    assert list(catalog.presets.index) == PRESETS
    assert list(catalog.red_flags.index) == RED_FLAGS
    flags = catalog.red_flags
    assert list(flags.index[flags["tier"] == "provider_first"]) == PROVIDER_FIRST


def test_blank_start_invites_and_draws_no_chart(open_page, catalog):
    at = open_page(PAGE)
    assert at.selectbox(key="fm_preset").value == "blank"
    assert at.segmented_control(key="fm_certainty").value == "medium"
    assert set(sliders(at, catalog).values()) == {0}
    (info,) = values(at.info)
    assert info.startswith("**No recommendation yet.**")
    assert at.get("plotly_chart") == []
    assert values(at.success) == []
    assert at.get("download_button") == []
    assert block_by_key(at, "safety_note") is None
    assert values(at.error) == []


def test_what_each_priority_means_is_made_only_when_opened(open_page, catalog):
    at = open_page(PAGE)
    meanings = [m for m in values(at.markdown) if m.startswith("- **")]
    assert meanings == []  # closed: a slider move does not resend it
    at.session_state["fm_meanings"] = True
    at.run()
    (meanings,) = [m for m in values(at.markdown) if m.startswith("- **")]
    lines = meanings.splitlines()
    assert len(lines) == len(catalog.criterion_ids)
    label = catalog.criterion_label("relaxation")
    help_text = catalog.criteria.at["relaxation", "help"]
    assert f"- **{label}**: {help_text}" in lines


@pytest.mark.parametrize("preset", PRESETS)
def test_choosing_a_preset_sets_every_slider(open_page, catalog, preset):
    at = open_page(PAGE)
    at.selectbox(key="fm_preset").select(preset).run()
    expected = {cid: int(w) for cid, w in catalog.preset_weights.loc[preset].items()}
    assert sliders(at, catalog) == expected
    assert str(catalog.presets.at[preset, "description"]) in values(at.caption)
    got = match_numbers(at)
    assert list(got) == list(expected_matches(expected, catalog))
    np.testing.assert_allclose(
        list(got.values()), list(expected_matches(expected, catalog).values())
    )
    # and the URL now carries the whole state
    assert at.query_params["preset"] == preset
    assert at.query_params["relaxation"] == str(expected["relaxation"])


def test_back_to_blank_clears_every_slider(open_page, catalog):
    at = open_page(PAGE)
    at.selectbox(key="fm_preset").select("unwind").run()
    assert any(sliders(at, catalog).values())
    at.selectbox(key="fm_preset").select("blank").run()
    assert set(sliders(at, catalog).values()) == {0}
    assert values(at.info)[0].startswith("**No recommendation yet.**")
    assert at.get("plotly_chart") == []


def test_moving_a_slider_rescores_the_match_chart(open_page, catalog):
    at = open_page(PAGE)
    at.selectbox(key="fm_preset").select("unwind").run()
    before = match_numbers(at)
    set_weights(at, {"pain_relief": 10, "health_condition": 8, "relaxation": 2})
    weights = sliders(at, catalog)
    assert (weights["pain_relief"], weights["health_condition"], weights["relaxation"]) == (
        10,
        8,
        2,
    )
    after = match_numbers(at)
    expected = expected_matches(weights, catalog)
    assert list(after) == list(expected)
    np.testing.assert_allclose(list(after.values()), list(expected.values()))
    assert after != before
    # the contributions are drawn only once their expander is open (a lazy expander) ...
    assert "contrib_chart" not in figures(at)
    at.session_state["fm_contributions"] = True
    at.run()
    # ... and then show the same model: points per weighted criterion, per type
    result = score(weights, catalog.fits)
    frame = result.contribution_frame()
    frame = frame[result.weights > 0]
    contrib = figure(at, "contrib_chart")["data"]
    assert [t["name"] for t in contrib] == ["Medical massage", "Spa massage"]
    for trace, type_id in zip(contrib, ("medical", "spa"), strict=True):
        assert trace["y"] == [catalog.criterion_label(c) for c in frame.index]
        np.testing.assert_allclose(numbers(trace["x"]), frame[type_id].to_numpy())
        assert numbers(trace["x"]).sum() == pytest.approx(result.match_of(type_id))
    exp = explain(catalog, weights, "medium")
    assert exp.strength == "clear" and not exp.safety.answered
    assert values(at.success) == []  # never green before the safety question is answered
    assert exp.verdict in values(at.info)
    # the match chart's numbers as a table, once asked for
    at.session_state["match_numbers"] = True
    at.run()
    (table,) = [d.value for d in at.dataframe if "Match (%)" in d.value.columns]
    assert table["Massage type"].tolist() == list(after)
    np.testing.assert_allclose(table["Match (%)"], list(after.values()), atol=0.05)


def test_share_link_restores_sliders_preset_and_certainty(open_page, catalog):
    link = {"preset": "injury", "certainty": "high", "relaxation": "6", "calming_ambience": "3"}
    at = open_page(PAGE, query=link)
    expected = {cid: int(w) for cid, w in catalog.preset_weights.loc["injury"].items()}
    expected.update(relaxation=6, calming_ambience=3)
    assert expected != dict(catalog.preset_weights.loc["injury"])  # the link did change some
    assert sliders(at, catalog) == expected
    assert at.selectbox(key="fm_preset").value == "injury"
    assert at.segmented_control(key="fm_certainty").value == "high"
    assert share_notices(at) == []
    # the link the page offers restores exactly this state
    (code,) = values(at.code)
    assert code.endswith("?" + urlencode(share_params(expected, "injury", "high")))


def test_share_link_with_every_criterion_restores_every_slider(open_page, catalog):
    weights = {cid: (3 * i + 1) % 11 for i, cid in enumerate(catalog.criterion_ids)}
    link = {"preset": "blank", "certainty": "low", **{c: str(w) for c, w in weights.items()}}
    at = open_page(PAGE, query=link)
    assert sliders(at, catalog) == weights
    assert at.selectbox(key="fm_preset").value == "blank"
    assert at.segmented_control(key="fm_certainty").value == "low"
    assert share_notices(at) == []
    np.testing.assert_allclose(
        list(match_numbers(at).values()), list(expected_matches(weights, catalog).values())
    )


MALFORMED = {
    "not_a_number": ({"relaxation": "abc"}, "relaxation is 'abc'. It must be a whole number"),
    "out_of_range": ({"relaxation": "99"}, "relaxation is '99'. It must be a whole number"),
    "unknown_key": ({"massage": "1"}, "1 unknown parameter in the link was ignored: 'massage'."),
    "bad_certainty": ({"certainty": "maybe"}, "Certainty 'maybe' is not one of high, medium, low"),
    "repeated_key": ({"relaxation": ["3", "7"]}, "Parameter relaxation appears 2 times"),
    "markup_value": ({"relaxation": "<b>9</b>"}, "relaxation has a value the app cannot read"),
    "unknown_preset": ({"preset": "nap"}, "Preset 'nap' is not known and was ignored."),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_share_link_warns_and_keeps_the_valid_parts(open_page, catalog, case):
    bad, notice = MALFORMED[case]
    link = {"preset": "unwind", "certainty": "high", "wellbeing": "2", **bad}
    at = open_page(PAGE, query=link)
    assert not at.exception
    notices = share_notices(at)
    assert len(notices) == 1, notices
    assert notice in notices[0]
    assert "<b>" not in notices[0]  # a link's own text is never echoed as markup

    preset = "blank" if case == "unknown_preset" else "unwind"
    expected = {cid: 0 for cid in catalog.criterion_ids}
    if preset == "unwind":
        expected.update({cid: int(w) for cid, w in catalog.preset_weights.loc["unwind"].items()})
    expected["wellbeing"] = 2
    if case == "repeated_key":
        expected["relaxation"] = 7  # the last one wins
    assert sliders(at, catalog) == expected
    assert at.selectbox(key="fm_preset").value == preset
    assert at.segmented_control(key="fm_certainty").value == (
        "medium" if case == "bad_certainty" else "high"
    )
    assert match_numbers(at)  # the page still answers


@pytest.mark.parametrize("flag", PROVIDER_FIRST)
def test_red_flag_replaces_the_recommendation_with_the_provider_message(open_page, catalog, flag):
    at = open_page(PAGE)
    at.selectbox(key="fm_preset").select("unwind").run()
    at = answer_screen(at, [flag])
    assert values(at.success) == []  # never a green answer with a red flag ticked
    note = block_by_key(at, "safety_note")
    assert note is not None
    errors = [n.value for n in walk(note) if type(n).__name__ == "Error"]
    assert len(errors) == 1 and errors[0].startswith("**Talk to a healthcare provider first.**")
    row = catalog.red_flags.loc[flag]
    (items,) = [n.value for n in walk(note) if n.type == "markdown"]
    assert items.startswith(f"- **{row['label']}.** {row['guidance']}\n")
    assert f"  - Source: {row['source_name']}" in items
    assert not any(w.startswith("**Health first.**") for w in values(at.warning))
    nodes = tree(at)
    first_alert = position(nodes, lambda n: type(n).__name__ in ("Error", "Info", "Success"))
    assert first_alert == position(nodes, lambda n: type(n).__name__ == "Error")
    later = position(nodes, lambda n: getattr(n, "value", None) == "**For after a healthcare "
                     "provider has cleared you:**")  # fmt: skip
    chart = position(nodes, lambda n: getattr(n, "key", None) == "match_chart")
    assert position(nodes, lambda n: n is note) < later < chart


def test_a_suspected_clot_says_see_a_doctor_today(open_page):
    at = open_page(PAGE)
    at.selectbox(key="fm_preset").select("chronic_pain").run()
    at = answer_screen(at, ["blood_clot"])
    text = "\n".join(values(at.markdown))
    assert "A possible blood clot needs a doctor today, not a massage." in text
    assert values(at.success) == []


def test_red_flag_on_a_blank_start_still_shows_the_provider_message(open_page):
    at = answer_screen(open_page(PAGE), ["blood_clot"])
    assert values(at.error)[0].startswith("**Talk to a healthcare provider first.**")
    assert values(at.info)[0].startswith("**No recommendation yet.**")
    assert at.get("plotly_chart") == []


def test_health_priorities_with_real_weight_show_health_first(open_page):
    at = open_page(PAGE)
    set_weights(at, {"pain_relief": 4, "relaxation": 6})
    note = block_by_key(at, "health_note")
    assert note is not None
    warnings = [n.value for n in walk(note) if type(n).__name__ == "Warning"]
    assert len(warnings) == 1 and warnings[0].startswith("**Health first.** Pain, injury")
    assert values(at.error) == []
    nodes = tree(at)
    assert position(nodes, lambda n: n is note) < position(
        nodes, lambda n: getattr(n, "key", None) == "match_chart"
    )


@pytest.mark.parametrize(
    ("preset", "note"),
    [
        ("unwind", False),  # pain relief 1 of 44: 2% of the weight
        ("treat_myself", False),
        ("injury", True),
        ("chronic_pain", True),
        ("mobility", True),  # 17 of 55: 31%
        ("doctor_referral", True),
    ],
)
def test_health_note_follows_the_share_of_health_weight(open_page, preset, note):
    at = open_page(PAGE)
    at.selectbox(key="fm_preset").select(preset).run()
    shown = any(w.startswith("**Health first.**") for w in values(at.warning))
    assert shown is note
    assert (block_by_key(at, "health_note") is not None) is note


def test_no_safety_note_without_health_criteria_or_flags(open_page):
    at = open_page(PAGE)
    set_weights(at, {"relaxation": 8, "calming_ambience": 5, "range_of_motion": 3})
    assert block_by_key(at, "safety_note") is None
    assert not any("Health first" in w for w in values(at.warning))
    assert figure(at, "match_chart")


def test_near_tie_is_too_close_to_call(open_page, catalog):
    weights = {"range_of_motion": 5, "soothing_experience": 5, "wellbeing": 1}
    result = score(weights, catalog.fits)
    assert 0 < result.margin < 5  # a near tie, not an exact one
    at = open_page(PAGE)
    set_weights(at, weights)
    assert values(at.success) == []
    (verdict,) = [i for i in values(at.info) if "Too close" in i]
    assert verdict.startswith(
        "Too close to call between Spa massage (63%) and Medical massage (59%)"
    )
    assert (
        title_of(figure(at, "match_chart")).replace("<br>", " ")
        == "Too close to call: Spa massage 63%, Medical massage 59%"
    )


def test_coin_flip_link_is_too_close_and_names_what_points_the_other_way(open_page, catalog):
    at = open_page(PAGE, query={"preset": "blank", **{k: str(v) for k, v in COIN_FLIP.items()}})
    assert values(at.success) == []
    exp = explain(catalog, {**dict.fromkeys(catalog.criterion_ids, 0), **COIN_FLIP}, "medium")
    assert exp.strength == "close"
    assert exp.verdict in values(at.info)
    assert (
        "Move your priorities a little, and Spa massage stays ahead only in 51 of 100 similar "
        "sets of priorities. Either could suit you." in exp.verdict
    )
    (against,) = [m for m in values(at.markdown) if "points the other way." in m]
    assert against.startswith(
        "**What points the other way**\n\n- Pain relief (you gave it 5 of 10) points the other way"
    )
    assert against.endswith("*(source: Treatment Focus)*")


def test_clear_lead_is_green_and_agrees_with_its_rounded_figures(open_page, catalog):
    at = open_page(PAGE)
    at.selectbox(key="fm_preset").select("injury").run()
    assert values(at.success) == []  # not before the safety question is answered
    at = answer_screen(at, [])
    (verdict,) = values(at.success)
    assert verdict == (
        "Medical massage clearly fits you best: 88% against 24% for Spa massage. "
        "That is a lead of 64 points."
    )
    assert [t for t in figure(at, "match_chart")["data"][0]["text"]] == ["88%", "24%"]
    assert (
        title_of(figure(at, "match_chart")).replace("<br>", " ")
        == "Medical massage clearly ahead, by 64 points"
    )


def test_changes_and_firmness_come_from_the_explanation(open_page, catalog):
    weights = {"relaxation": 5, "pain_relief": 5}
    exp = explain(catalog, weights, "medium")
    assert len(exp.changes) > 3  # three shown, the rest behind "n more"
    at = open_page(PAGE)
    set_weights(at, weights)
    assert "\n".join(f"- {c}" for c in exp.changes[:3]) in values(at.markdown)
    more = [e for e in at.expander if e.label == f"{len(exp.changes) - 3} more"]
    assert len(more) == 1
    assert list(more[0].markdown) == []  # made only once opened
    at.session_state["fm_more_changes"] = True
    at.run()
    (more,) = [e for e in at.expander if e.label == f"{len(exp.changes) - 3} more"]
    assert [m.value for m in more.markdown] == ["\n".join(f"- {c}" for c in exp.changes[3:])]
    (progress,) = at.get("progress")
    assert progress.proto.text == exp.firmness
    # the bar shows the N of "in N of 100" that its text states
    assert progress.proto.value == exp.robustness.per_hundred == 32
    assert exp.firmness == (
        "Spa massage stays ahead in 32 of 100 similar sets of priorities. In each set, every "
        "priority moves up or down by up to 2 points."
    )

    at.segmented_control(key="fm_certainty").set_value("low").run()
    low = explain(catalog, weights, "low")
    assert at.get("progress")[0].proto.text == low.firmness
    assert "moves up or down by up to 3.5 points" in low.firmness


@pytest.mark.parametrize("word", ["weighting", "sample", "tipping", "robustness"])
def test_client_path_uses_plain_words(open_page, word):
    at = open_page(PAGE, query={"preset": "blank", **{k: str(v) for k, v in COIN_FLIP.items()}})
    at = answer_screen(at, ["fever_or_infection", "pregnancy_later"])
    shown = [*values(at.markdown), *values(at.info), *values(at.warning), *values(at.error)]
    shown += [p.proto.text for p in at.get("progress")]
    assert not [s for s in shown if word in s.lower()]


def test_no_tipping_point_is_said_plainly(open_page, catalog):
    at = open_page(PAGE)
    at.selectbox(key="fm_preset").select("injury").run()
    weights = sliders(at, catalog)
    assert tipping_points(score(weights, catalog.fits)) == []
    assert "No single priority, moved anywhere from 0 to 10, would change the order." in values(
        at.markdown
    )


def test_next_steps_for_medical_start_with_a_referral(open_page, catalog):
    at = open_page(PAGE)
    at.selectbox(key="fm_preset").select("doctor_referral").run()
    (steps,) = [m for m in values(at.markdown) if m.startswith("- **First step**")]
    assert "a good first step is to ask your doctor or physio for a referral" in steps
    assert "*(source: Purpose and Goal)*" in steps
    assert "**Ask about their training**" in steps


def test_tracking_parameters_are_dropped_without_a_warning(open_page, catalog):
    query = parse_qs(urlsplit(FACEBOOK_LINK).query)
    assert {"fbclid", "utm_source", "utm_medium"} <= query.keys()
    at = open_page(PAGE, query=query)
    assert values(at.warning) == [w for w in values(at.warning) if "Share link" not in w]
    assert share_notices(at) == []
    assert at.selectbox(key="fm_preset").value == "unwind"
    assert at.segmented_control(key="fm_certainty").value == "low"
    assert sliders(at, catalog)["relaxation"] == 9 and sliders(at, catalog)["pain_relief"] == 2


@pytest.mark.parametrize("change", ["slider", "goal", "flag"])
def test_link_notice_goes_once_anything_changes(open_page, change):
    at = open_page(PAGE, query={"preset": "unwind", "relaxation": "abc"})
    assert len(share_notices(at)) == 1
    at.run()  # a rerun that changes nothing keeps it
    assert len(share_notices(at)) == 1
    if change == "slider":
        set_weights(at, {"wellbeing": 1})
    elif change == "goal":
        at.selectbox(key="fm_preset").select("injury").run()
    else:
        answer_screen(at, [])
    assert share_notices(at) == []


def test_downloads_are_a_one_page_pdf_and_the_numbers(open_page, catalog, downloads):
    at = open_page(PAGE)
    at.selectbox(key="fm_preset").select("chronic_pain").run()
    at = answer_screen(at, ["fever_or_infection"])
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["My answer to print (.pdf)", "The numbers (.csv)"]
    pdf = downloads["massage-advisor-answer.pdf"]
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    weights = sliders(at, catalog)
    exp = explain(catalog, weights, "medium", ["fever_or_infection"])
    assert "TALK TO A HEALTHCARE PROVIDER FIRST." in text
    assert exp.verdict in text
    assert "Wait until you are well again" in text
    assert "safety=fever_or_infection" in text  # the PDF's "open this answer again" link
    assert downloads["massage-advisor-result.csv"] == result_csv(catalog, exp)
    assert set(figures(at)) == {"match_chart"}  # the contributions expander is closed


@pytest.mark.parametrize(("preset", "leader"), [("injury", "medical"), ("unwind", "spa")])
def test_what_to_expect_from_the_leader_with_its_downsides_and_sources(
    open_page, catalog, preset, leader
):
    at = open_page(PAGE)
    at.selectbox(key="fm_preset").select(preset).run()
    name = catalog.type_name(leader).lower()
    assert f"What to expect from {name}" in values(at.subheader)
    (asked,) = [m for m in values(at.markdown) if m.startswith("**What people ask, from public")]
    for qid, question in catalog.questions["question"].items():
        assert f"- **{question}** " in asked
        for text in catalog.experience_for(leader, qid)["text"]:
            assert text in asked
    assert "*(source: Mayo Clinic Press (Mayo Clinic Health Letter), undated)*" in asked
    assert "*No public source found.*" in asked
    (session,) = [m for m in values(at.markdown) if m.startswith("**What the article says")]
    assert catalog.types.at[leader, "session_length"] in session
