"""Find my massage (AppTest): the safety screen before the answer, its two tiers, the flags in the
share link and the downloads, "not medical advice" beside every answer, and one outcome."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader

from advisor.decision.explanation import NEITHER_ADVICE, explain
from advisor.decision.takeaway import result_csv
from tests.apptest_support import block_by_key, figure, title_of, values, walk
from tests.corpus.clients import CLIENTS, NOT_MEDICAL_ADVICE, SAFETY_CLIENTS, UNWIND, Client

PAGE = "app_pages/find_my_massage.py"
UNANSWERED = "**Safety check not answered yet:** answer the question above first."
NONE_SAID = "Safety check: you said none of the listed conditions apply to you."


def answer_screen(at, flags):
    at.segmented_control(key="fm_screen").set_value("some" if flags else "none").run()
    for flag in flags:
        at.checkbox(key=f"flag_{flag}").check()
    return at.run()


def as_client(open_page, client: Client):
    at = open_page(PAGE)
    at.selectbox(key="fm_preset").select(client.preset).run()
    return answer_screen(at, list(client.flags))


def live(at) -> str:
    (text,) = [n.value for n in walk(block_by_key(at, "live_verdict")) if n.type == "markdown"]
    return text.replace("**", "")


def link_of(at) -> dict[str, list[str]]:
    (code,) = values(at.code)
    return parse_qs(urlsplit(code).query)


@pytest.mark.parametrize("client", CLIENTS, ids=lambda c: c.id)
def test_each_client_gets_their_exact_answer(open_page, client: Client):
    at = as_client(open_page, client)
    assert not at.exception
    if client.green:
        assert values(at.success) == [client.verdict]
        assert block_by_key(at, "safety_note") is None
        assert f"{NONE_SAID} {NOT_MEDICAL_ADVICE}" in values(at.caption)
    else:
        assert values(at.success) == []  # never green for a client who ticked an item
        assert client.verdict in values(at.info)
        note = block_by_key(at, "safety_note")
        alerts = [n.value for n in walk(note) if type(n).__name__ in ("Error", "Warning")]
        assert alerts == [client.notice]
        assert [n.value for n in walk(note) if n.type == "markdown"] == [client.items]
        assert NOT_MEDICAL_ADVICE in values(at.caption)
    assert live(at) == client.live
    # the answer travels: the link on the page and the CSV carry the safety answer
    assert link_of(at)["safety"] == [",".join(client.flags) or "none"]
    assert at.query_params["safety"] == ",".join(client.flags) or "none"


@pytest.mark.parametrize("client", SAFETY_CLIENTS, ids=lambda c: c.id)
def test_the_link_opens_the_same_answer_again(open_page, client: Client):
    first = as_client(open_page, client)
    query = {key: value[0] for key, value in link_of(first).items()}
    again = open_page(PAGE, query=query)
    assert [n for n in values(again.warning) if n.startswith("Share link")] == []
    assert again.segmented_control(key="fm_screen").value == "some"
    for flag in client.flags:
        assert again.checkbox(key=f"flag_{flag}").value is True
    assert values(again.success) == []
    assert client.verdict in values(again.info)
    note = block_by_key(again, "safety_note")
    assert [n.value for n in walk(note) if n.type == "markdown"] == [client.items]
    assert live(again) == client.live


def test_the_pdf_and_the_csv_carry_the_ticked_items(open_page, catalog, downloads):
    client = SAFETY_CLIENTS[1]  # after surgery: see a provider first
    at = as_client(open_page, client)
    reader = PdfReader(io.BytesIO(downloads["massage-advisor-answer.pdf"]))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "TALK TO A HEALTHCARE PROVIDER FIRST." in text
    assert "I had surgery 6 weeks ago or less" in text
    assert "safety=recent_surgery" in text.replace(" ", "")  # its "open this answer again"
    assert NOT_MEDICAL_ADVICE in text
    weights = {cid: at.slider(key=f"w_{cid}").value for cid in catalog.criterion_ids}
    exp = explain(catalog, weights, "medium", list(client.flags))
    assert downloads["massage-advisor-result.csv"] == result_csv(catalog, exp)
    assert b"safety,recent_surgery" in downloads["massage-advisor-result.csv"]


def test_the_screen_is_before_the_answer_and_open(open_page, catalog):
    at = open_page(PAGE)
    at.selectbox(key="fm_preset").select("unwind").run()
    screen = block_by_key(at, "safety_screen")
    assert screen is not None  # a bordered box on the page, not a closed expander
    assert not [e for e in at.expander if "apply to you" in e.label]
    choice = at.segmented_control(key="fm_screen")
    assert choice.value is None
    assert choice.options == ["None of these apply to me", "Yes, one or more"]
    (summary,) = [c for c in values(at.caption) if c.startswith("Such as ")]
    assert summary == (
        "Such as pregnancy, blood clots, blood thinners, bleeding problems, cancer, surgery in "
        "the last 6 weeks, fever, wounds, weak bones, injuries, heart problems, numbness, "
        "varicose veins or unexplained pain."
    )
    assert not [c for c in at.checkbox if c.key.startswith("flag_")]  # the list opens on "Yes"
    nodes = list(walk(at.main))
    verdict = next(i for i, n in enumerate(nodes) if type(n).__name__ == "Info")
    assert nodes.index(screen) < verdict
    # unanswered: never green, and the answer says so beside the verdict
    assert values(at.success) == []
    assert f"{UNANSWERED} {NOT_MEDICAL_ADVICE}" in values(at.caption)
    assert "safety" not in at.query_params

    at.segmented_control(key="fm_screen").set_value("some").run()
    assert [c.key for c in at.checkbox if c.key.startswith("flag_")] == [
        f"flag_{f}" for f in catalog.red_flags.index
    ]
    assert values(at.success) == []  # "Yes" with nothing ticked is not an answer yet
    assert f"{UNANSWERED} {NOT_MEDICAL_ADVICE}" in values(at.caption)

    at.segmented_control(key="fm_screen").set_value("none").run()  # one tap
    assert values(at.success) == [explain(catalog, dict(catalog.preset_weights.loc["unwind"]),
                                          "medium", []).verdict]  # fmt: skip
    assert at.query_params["safety"] == "none"


def test_none_apply_clears_earlier_ticks(open_page, catalog):
    at = open_page(PAGE, query={"preset": "unwind"})
    at = answer_screen(at, ["blood_clot"])
    assert values(at.error)[0].startswith("**Talk to a healthcare provider first.**")
    at.segmented_control(key="fm_screen").set_value("none").run()
    assert values(at.error) == [] and len(values(at.success)) == 1
    at.segmented_control(key="fm_screen").set_value("some").run()
    assert [c.value for c in at.checkbox if c.key.startswith("flag_")] == [False] * 18
    assert values(at.success) == []


def test_links_made_before_the_screen_still_open_unanswered(open_page, catalog):
    at = open_page(PAGE, query={"preset": "unwind", "certainty": "high", "relaxation": "7"})
    assert [w for w in values(at.warning) if w.startswith("Share link")] == []
    assert at.slider(key="w_relaxation").value == 7
    assert at.segmented_control(key="fm_screen").value is None
    assert values(at.success) == []
    assert f"{UNANSWERED} {NOT_MEDICAL_ADVICE}" in values(at.caption)


def test_an_unknown_item_in_a_link_is_named_and_the_rest_opens(open_page, catalog):
    at = open_page(
        PAGE, query={"preset": "injury", "certainty": "low", "safety": "headache,recent_surgery"}
    )
    notices = [w for w in values(at.warning) if w.startswith("Share link")]
    assert notices == ["Share link: Safety item 'headache' is not known and was ignored."]
    assert at.selectbox(key="fm_preset").value == "injury"
    assert at.segmented_control(key="fm_certainty").value == "low"
    assert at.checkbox(key="flag_recent_surgery").value is True
    assert values(at.success) == []  # a "see a provider first" item: never green
    assert values(at.error)[0].startswith("**Talk to a healthcare provider first.**")


def test_a_ticked_item_in_a_link_is_never_undone_by_none_beside_it(open_page):
    link = "/find?preset=unwind&certainty=high&safety=fever_or_infection&safety=none"
    at = open_page(PAGE, query=parse_qs(urlsplit(link).query))
    assert at.checkbox(key="flag_fever_or_infection").value is True
    assert values(at.success) == []  # never green
    assert values(at.error)[0].startswith("**Talk to a healthcare provider first.**")


@pytest.mark.parametrize(
    "link",
    [
        "/find?preset=unwind&Safety=recent_surgery&safety=none",
        "/find?preset=unwind&safety%5B%5D=recent_surgery&safety=none",
        "/find?preset=unwind&safety=none&safety=RECENT_SURGERY",
        "/find?preset=unwind&safety=none&safety%5B0%5D=recent_surgery",  # safety[0]
        "/find?preset=unwind&safety=none&safety%5B%5D%5B%5D=recent_surgery",  # safety[][]
        "/find?preset=unwind&safety=none&safety%E2%80%8B=recent_surgery",  # a zero-width space
    ],
)
def test_a_ticked_item_under_another_case_or_as_a_list_is_never_undone_by_none(open_page, link):
    at = open_page(PAGE, query=parse_qs(urlsplit(link).query))
    assert at.checkbox(key="flag_recent_surgery").value is True
    assert values(at.success) == []  # never green
    assert values(at.error)[0].startswith("**Talk to a healthcare provider first.**")
    assert [w for w in values(at.warning) if w.startswith("Share link")] == [
        "Share link: The link says both that none of the safety items apply and that some do; "
        "the ticked items were kept."
    ]


def test_none_beside_an_unknown_item_asks_the_question_again(open_page):
    at = open_page(PAGE, query={"preset": "unwind", "safety": "none,made_up_item"})
    assert at.segmented_control(key="fm_screen").value is None
    assert values(at.success) == []
    notices = [w for w in values(at.warning) if w.startswith("Share link")]
    assert any("Please answer the safety question again" in n for n in notices)


@pytest.mark.parametrize(
    "link",
    [
        "/find?preset=unwind&certainty=high&safety=none&recent_surgery=1",
        "/find?preset=unwind&certainty=high&safety=none&flags=recent_surgery",
        "/find?preset=unwind&certainty=high&safety=none&flag_recent_surgery=true",
    ],
)
def test_a_safety_item_outside_the_safety_parameter_asks_the_question_again(open_page, link):
    at = open_page(PAGE, query=parse_qs(urlsplit(link).query))
    assert at.segmented_control(key="fm_screen").value is None
    assert values(at.success) == []  # "none" beside it is not trusted: never green
    notices = [w for w in values(at.warning) if w.startswith("Share link")]
    assert notices[-1].endswith(
        "seems to name a safety item, but not the way the app writes it. "
        "Please answer the safety question again."
    )


def test_tracking_parameters_beside_a_safety_answer_are_dropped_silently(open_page):
    link = (
        "/find?preset=unwind&certainty=low&safety=none&relaxation=9&pain_relief=2"
        "&fbclid=IwAR0xYzExampleToken123&utm_source=facebook&utm_medium=social"
    )
    at = open_page(PAGE, query=parse_qs(urlsplit(link).query))
    assert [w for w in values(at.warning) if w.startswith("Share link")] == []
    assert at.segmented_control(key="fm_screen").value == "none"
    assert values(at.success)[0].startswith("Spa massage clearly fits you best")


@pytest.mark.parametrize("preset", ["injury", "chronic_pain", "unwind", "treat_myself",
                                    "mobility", "doctor_referral", "blank"])  # fmt: skip
def test_not_medical_advice_beside_every_answer(open_page, preset):
    at = open_page(PAGE, query={"preset": preset})  # as a visitor arriving by a shared link
    (beside,) = [c for c in values(at.caption) if c.endswith(NOT_MEDICAL_ADVICE)]
    assert beside.startswith(UNANSWERED)


def test_neither_fits_well_says_what_to_ask_instead(open_page, catalog):
    at = open_page(PAGE, query={"preset": "blank", "safety": "none", "short_targeted": "7",
                                "long_indulgent": "6"})  # fmt: skip
    exp = explain(catalog, {"short_targeted": 7, "long_indulgent": 6}, "medium", [])
    assert exp.strength == "neither"
    assert values(at.success) == []
    assert f"{exp.verdict}\n\n{NEITHER_ADVICE}" in values(at.info)
    assert title_of(figure(at, "match_chart")).replace("<br>", " ") == exp.chart_title
    assert exp.chart_title == "Neither fits well: Medical massage 52%, Spa massage 52%"
    assert "What to do next" in [s.value for s in at.subheader]
    assert live(at) == "Your answer now: Neither fits well: Medical massage 52%, Spa massage 52%."


def test_the_live_verdict_follows_a_slider(open_page, catalog):
    at = open_page(PAGE, query={"preset": "unwind", "safety": "none"})
    assert live(at) == UNWIND.live
    at.slider(key="w_pain_relief").set_value(10).run()
    weights = {cid: at.slider(key=f"w_{cid}").value for cid in catalog.criterion_ids}
    exp = explain(catalog, weights, "medium", [])
    assert live(at) == f"Your answer now: {exp.headline}."
    assert live(at) != UNWIND.live


@pytest.mark.parametrize(
    ("flags", "said"),
    [
        (
            ["pregnancy_later"],
            "**You ticked 1 item:** massage with care. Spa massage clearly ahead: 96% against 30%"
            " for Medical massage. What to tell your therapist is below the list.",
        ),
        (
            ["pregnancy_later", "recent_surgery"],
            "**You ticked 2 items:** talk to a healthcare provider first. Why is below the list.",
        ),
    ],
)
def test_what_the_ticks_mean_and_the_answer_are_said_above_the_list(open_page, flags, said):
    at = open_page(PAGE, query={"preset": "treat_myself"})
    answer_screen(at, flags)
    (line,) = [m for m in values(at.markdown) if "You ticked" in m]
    assert line == f":material/health_and_safety: {said}"


def test_the_line_above_the_list_follows_a_slider(open_page):
    at = open_page(PAGE, query={"preset": "treat_myself"})
    answer_screen(at, ["pregnancy_later"])
    at.slider(key="w_clinical_setting").set_value(10)
    at.slider(key="w_relaxation").set_value(0)
    at.slider(key="w_soothing_experience").set_value(0).run()
    (line,) = [m for m in values(at.markdown) if "You ticked" in m]
    (live_line,) = [m for m in values(at.markdown) if m.startswith("**Your answer now:**")]
    headline = live_line.removeprefix("**Your answer now:** ")
    assert f"massage with care. {headline} What to tell" in line
    assert "96% against 30%" not in line
