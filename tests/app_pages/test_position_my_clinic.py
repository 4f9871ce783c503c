"""Position my clinic (AppTest): your clients first, the answer about them agreeing with every
chart, one proposal, the menu row that Enter cannot add to, uploads, and no markup."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

from advisor.clinic.design import Brief, design_service
from advisor.clinic.menu import blend_fits, services
from advisor.clinic.positioning import DEFAULT_UNSERVED_THRESHOLD, client_mix, segment_matrix
from advisor.clinic.survey import scored_survey
from advisor.figures.clinic import wrapped_label
from advisor.figures.style import plain_label
from advisor.files.reading import read_survey
from advisor.files.writing import to_csv_bytes
from tests.advisor.files.test_field_cases import BEST as FIELD_BEST
from tests.advisor.files.test_field_cases import CASES as FIELD_CASES
from tests.apptest_support import (
    ROOT,
    figure,
    figures,
    in_use_line,
    numbers,
    position,
    refusal,
    refusal_reasons,
    survey_in_use,
    survey_state,
    survey_uploader,
    tree,
    values,
    walk,
)
from tests.corpus.form_export import form_export

PAGE = "app_pages/position_my_clinic.py"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAMPLE = ROOT / "data" / "sample_survey.csv"
GOOD_SURVEY = b"client_id,relaxation,pain_relief\nc1,10,0\nc2,0,10\nc3,5,5\n"
# its in-use line: a warning, as 11 of the 13 criteria have no column
IN_USE_TWO_CRITERIA = (
    "In use now: your survey, 3 clients. 11 of 13 criteria have no column, so each counts 0."
)
BAD_UPLOADS = {
    "binary": (b"\x00\x01\x02garbage", "not a text CSV file"),
    "empty": (b"", "the file is empty"),
    "no_usable_row": (b"relaxation\nabc\n", "no client row could be used."),
}
MARKUP_ELEMENTS = ("Markdown", "Caption", "Success", "Info", "Warning", "Error")


def sample_frame(catalog) -> pd.DataFrame:
    return read_survey(SAMPLE.read_bytes(), catalog.criterion_ids, name="sample").frame


def heatmap(at) -> tuple[list[str], list[str], np.ndarray]:
    """The service labels (the rows), the segment labels (the columns) and the matches as
    segments x services, like the segment matrix."""
    (trace,) = figure(at, "heatmap_chart")["data"]
    assert trace["type"] == "heatmap"
    return trace["y"], trace["x"], numbers(trace["z"]).T


def shares(at) -> dict[str, float]:
    """The client-mix chart as {service label: % of clients}: its two stacked traces (matched
    at or above the threshold, and unserved) added up."""
    served, unserved = figure(at, "shares_chart")["data"]
    labels = [label.replace("<br>", " ") for label in served["y"]]
    total = numbers(served["x"]) + numbers(unserved["x"])
    return dict(zip(labels, total.tolist(), strict=True))


def printed_shares(at) -> dict[str, str]:
    """The client-mix chart's printed shares, {service label: "56%"}."""
    _, unserved = figure(at, "shares_chart")["data"]
    labels = [label.replace("<br>", " ") for label in unserved["y"]]
    return dict(zip(labels, unserved["text"], strict=True))


def expected_shares(
    survey, fits, names, catalog, threshold=DEFAULT_UNSERVED_THRESHOLD
) -> dict[str, float]:
    mix = client_mix(survey, fits, catalog.segment_weights, threshold)
    return {plain_label(names[s]): v * 100 for s, v in mix.shares().items()}


def answer(at) -> list[str]:
    """The answer's sentences: the plain texts under the heading "The answer"."""
    nodes = tree(at)
    start = position(nodes, lambda n: type(n).__name__ == "Header" and n.value == "The answer")
    sentences = []
    for node in nodes[start + 1 :]:
        if type(node).__name__ != "Text":
            break
        sentences.append(node.value)
    return sentences


def add_service(at, name: str, start: str = "blend", blend: int = 50):
    at.text_input(key="pc_new_name").input(name)
    at.selectbox(key="pc_new_start").select(start).run()
    if start == "blend":
        at.slider(key="pc_new_blend").set_value(blend)
    return at.button(key="pc_add_service").click().run()


def upload_survey(at, name: str, data: bytes):
    return survey_uploader(at).set_value((name, data, "text/csv")).run()


def type_names(catalog) -> dict[str, str]:
    return {t: catalog.type_name(t) for t in catalog.type_ids}


def markup_texts(at) -> list[str]:
    return [node.value for node in walk(at.main) if type(node).__name__ in MARKUP_ELEMENTS]


# --- your clients first, and the answer about them ----------------------------------------------


def test_the_page_opens_with_your_clients_then_the_answer(open_page):
    at = open_page(PAGE)
    headers = [h.value for h in at.header]
    assert headers[:3] == ["Your clients", "The answer", "Client mix"]
    nodes = tree(at)
    uploader = position(nodes, lambda n: str(getattr(n, "key", "")).startswith("pc_survey_upload"))
    first = position(nodes, lambda n: type(n).__name__ == "Text" and "Made-up" in n.value)
    chart = position(nodes, lambda n: getattr(n, "type", None) == "plotly_chart")
    assert uploader < first < chart
    # the template and the sample are offered in the same step
    assert any("made up for this example" in i for i in values(at.info))


def test_the_sample_answer_says_first_that_it_is_about_made_up_clients(open_page, catalog):
    at = open_page(PAGE)
    sentences = answer(at)
    assert sentences[0].startswith("Made-up sample clients, not yours: of these 600, ")
    assert survey_in_use(at) is None  # the sample is not copied into the session
    printed = printed_shares(at)
    assert sentences[0] == (
        "Made-up sample clients, not yours: of these 600, Medical massage is the best match "
        f"for {printed['Medical massage']} and Spa massage for {printed['Spa massage']}."
    )
    want = expected_shares(sample_frame(catalog), catalog.fits, type_names(catalog), catalog)
    got = shares(at)
    np.testing.assert_allclose([got[k] for k in want], list(want.values()))


def test_sample_first_then_an_upload_and_the_first_sentence_describes_the_upload(open_page):
    at = open_page(PAGE)
    assert answer(at)[0].startswith("Made-up sample clients")
    upload_survey(at, "mine.csv", GOOD_SURVEY)
    assert not at.exception
    first = answer(at)[0]
    assert first == (
        "Of your 3 clients in mine.csv, Spa massage is the best match for 67% and Medical "
        "massage for 33%."
    )
    assert "made-up" not in " ".join(answer(at)).casefold()
    assert printed_shares(at) == {"Spa massage": "67%", "Medical massage": "33%"}


def test_a_real_shaped_form_export_is_mapped_and_answered(open_page, catalog):
    at = open_page(PAGE)
    upload_survey(at, "form-export-40.csv", form_export())
    assert survey_state(at).pending is not None  # waiting for the owner's mapping
    at.button(key="sm_confirm_mapping").click().run()
    assert not at.exception
    survey = survey_in_use(at)
    assert survey.name == "form-export-40.csv" and len(survey.asked) == 13
    sentences = answer(at)
    assert sentences[0].startswith(f"Of your {len(survey.frame)} clients in form-export-40.csv")
    # one copy of the upload: its bytes and table are dropped once the survey is in use
    state = survey_state(at)
    assert state.pending is None and state.data is None
    assert survey.frame[list(catalog.criterion_ids)].dtypes.eq(np.float32).all()


def test_the_unserved_sentence_and_the_chart_agree_and_name_no_segment(open_page, catalog):
    at = open_page(PAGE)
    at.slider(key="pc_threshold").set_value(80).run()
    mix = client_mix(sample_frame(catalog), catalog.fits, catalog.segment_weights, 80)
    unserved = int(mix.unserved.sum())
    (sentence,) = [s for s in answer(at) if "unserved" in s]
    assert sentence.startswith(f"{unserved} of them ({unserved / 600 * 100:.0f}%) are unserved")
    title = figure(at, "shares_chart")["layout"]["title"]["text"].replace("<br>", " ")
    assert f"{unserved / 600 * 100:.0f}% are unserved (under 80%)" in title
    for label in catalog.segments["label"]:
        assert label not in sentence
    misses = figure(at, "misses_chart")["data"][0]
    first = misses["y"][0].replace("<br>", " ")
    assert f"misses most, in match points on average: {first} ({misses['text'][0]})" in sentence


def test_no_sentence_rests_on_the_map(open_page):
    at = open_page(PAGE)
    add_service(at, "Sports recovery", "medical")
    text = " ".join(answer(at))
    assert "gap is" not in text and "points away" not in text and "map" not in text


# --- one proposal -------------------------------------------------------------------------------


@pytest.mark.parametrize("aim", ["most_clients", "lift_unserved"])
def test_the_designer_shows_the_one_service_the_answer_proposes(open_page, aim):
    at = open_page(PAGE)
    at.radio(key="pc_design_objective").set_value(aim).run()
    proposal = answer(at)[-1]
    assert proposal.startswith("One new service would serve a meaningful share better: ")
    name = proposal.removeprefix("One new service would serve a meaningful share better: ")
    name = name.split(" (see Design")[0]
    shown = [t for t in values(at.text) if t.startswith(f"{name}. Who delivers it")]
    assert len(shown) == 1
    assert not [t for t in values(at.text) if "uses the other aim" in t]


def test_no_proposal_when_no_design_serves_a_meaningful_share(open_page):
    at = open_page(PAGE)
    at.radio(key="pc_design_objective").set_value("lift_unserved").run()
    at.slider(key="pc_threshold").set_value(0).run()
    assert answer(at)[-1].startswith("Your menu already serves these clients")
    assert any(i.startswith("Your menu already serves these clients") for i in values(at.info))
    assert not [b for b in at.button if b.key == "clinic_design_add"]


def test_a_designed_service_is_added_and_wins_what_it_promised(open_page, catalog):
    at = open_page(PAGE)
    design = design_service(
        Brief(
            sample_frame(catalog),
            catalog.fits,
            catalog.fits,
            catalog.criteria_by_dimension(),
            catalog.service_limits,
        )
    )
    promise = next(t for t in values(at.text) if t.startswith("It would be the best match"))
    assert promise.startswith(f"It would be the best match for {design.best_share * 100:.0f}%")
    at.button(key="clinic_design_add").click().run()
    assert not at.exception
    (name,) = at.session_state["pc_menu"]["name"].tolist()
    assert name == "Spa massage, clinical therapist"
    assert shares(at)[name] == pytest.approx(design.best_share * 100)
    assert f"Added to your menu: {name}." in values(at.text)
    assert "The next proposal" in [h.value for h in at.subheader] or any(
        i.startswith("Your menu already serves") for i in values(at.info)
    )


def test_a_service_that_cannot_be_delivered_is_marked_and_never_scored(open_page, catalog):
    columns = ",".join(catalog.criterion_ids)
    rows = "\n".join(
        f"{name}," + ",".join(str(v) for v in fits)
        for name, fits in [("Hot stones", [2] * 13), ("Rehab", [9] * 13)]
    )
    at = open_page(PAGE)
    at.file_uploader(key="pc_menu_upload").set_value(
        ("menu.csv", f"name,{columns}\n{rows}\n".encode(), "text/csv")
    ).run()
    assert at.session_state["pc_menu"]["name"].tolist() == ["Hot stones", "Rehab"]
    x, _, z = heatmap(at)
    assert x == [wrapped_label(n) for n in ["Medical massage", "Spa massage", "Hot stones"]]
    np.testing.assert_allclose(z[:, 2], 20.0)  # a flat fit of 2 matches 20% for everyone
    assert "Rehab" not in shares(at)
    assert any("Row 2 cannot be delivered as set" in w for w in values(at.warning))
    assert any(w.startswith("Not scored here") for w in values(at.warning))
    assert "Rehab" in values(at.text)  # named, as plain text, under the what-if's warning
    what_if = figure(at, "whatif_chart")["data"]
    assert not any("Rehab" in label for trace in what_if for label in trace["y"])
    assert "Rehab" not in " ".join(answer(at))


def test_a_first_menu_is_said_once_in_the_what_if(open_page, catalog):
    """A menu uploaded onto medical and spa alone: the last change is the whole menu, so one
    sentence says it (two identical sentences were shown)."""
    columns = ",".join(catalog.criterion_ids)
    fits = ",".join(["5"] * 13)
    at = open_page(PAGE)
    at.file_uploader(key="pc_menu_upload").set_value(
        ("menu.csv", f"name,{columns}\nEven,{fits}\n".encode(), "text/csv")
    ).run()
    said = [t for t in values(at.text) if t.startswith("Your last change") or "alone:" in t]
    assert len(said) == 1
    assert said[0].startswith("Your last change, your menu against medical and spa alone: ")


# --- the add-service row: Enter never adds ------------------------------------------------------


def test_the_add_row_is_not_a_form_and_adds_only_on_the_button(open_page):
    at = open_page(PAGE)
    assert not [b for b in at.button if b.proto.form_id]  # Enter submits a form: there is none
    at.text_input(key="pc_new_name").input("Deep tissue").run()  # typed, then Enter
    assert at.session_state["pc_menu"].empty
    assert at.button(key="pc_add_service").disabled  # until the start is chosen
    assert values(at.error) == []
    add_service(at, "Deep tissue", "medical")
    assert at.session_state["pc_menu"]["name"].tolist() == ["Deep tissue"]
    assert values(at.error) == []


def test_the_blend_slider_shows_only_for_a_blend(open_page):
    at = open_page(PAGE)
    assert not [s for s in at.slider if s.key == "pc_new_blend"]
    for start, shown in [("medical", False), ("spa", False), ("blend", True)]:
        at.selectbox(key="pc_new_start").select(start).run()
        assert bool([s for s in at.slider if s.key == "pc_new_blend"]) is shown, start


@pytest.mark.parametrize(
    ("start", "blend", "medical_share"),
    [("blend", 30, 0.3), ("medical", 50, 1.0), ("spa", 80, 0.0)],
)
def test_adding_a_service_adds_a_heatmap_row_and_moves_the_mix(
    open_page, catalog, start, blend, medical_share
):
    at = open_page(PAGE)
    before = shares(at)
    add_service(at, "Deep tissue", start, blend)
    assert values(at.error) == []
    fits_row = blend_fits(catalog.fits, medical_share)
    menu = at.session_state["pc_menu"]
    assert menu["name"].tolist() == ["Deep tissue"]
    assert menu.iloc[0][list(catalog.criterion_ids)].tolist() == fits_row.tolist()
    all_fits, own_names = services(catalog.fits, menu)
    x, _, z = heatmap(at)
    assert x == [wrapped_label(n) for n in ["Medical massage", "Spa massage", "Deep tissue"]]
    np.testing.assert_allclose(z, segment_matrix(catalog.segment_weights, all_fits).to_numpy())
    after = shares(at)
    want = expected_shares(
        sample_frame(catalog), all_fits, {**type_names(catalog), **own_names}, catalog
    )
    assert after.keys() == want.keys() == {"Medical massage", "Spa massage", "Deep tissue"}
    np.testing.assert_allclose([after[k] for k in want], list(want.values()))
    # a copy of a catalog type never beats it, and a blend never beats both
    assert after == pytest.approx({**before, "Deep tissue": 0.0})


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "A service needs a name."),
        (
            "  medical MASSAGE ",
            "That is the name of a massage type the app compares; give the service its own.",
        ),
    ],
)
def test_a_bad_service_name_is_refused(open_page, name, problem):
    at = open_page(PAGE)
    add_service(at, name)
    assert values(at.error) == [problem]
    assert at.session_state["pc_menu"].empty
    assert heatmap(at)[0] == ["Medical<br>massage", "Spa massage"]


def test_a_duplicate_of_an_own_service_is_refused(open_page):
    at = open_page(PAGE)
    add_service(at, "Sports massage")
    add_service(at, "sports massage")
    assert values(at.error) == ["That name is already on the menu."]
    assert at.session_state["pc_menu"]["name"].tolist() == ["Sports massage"]


def test_a_pasted_name_over_the_limit_is_refused_and_kept(open_page):
    at = open_page(PAGE)
    long_name = "A" * 61
    add_service(at, long_name)
    assert values(at.error) == ["A service name can be at most 60 characters (this one has 61)."]
    assert at.text_input(key="pc_new_name").value == long_name
    assert at.session_state["pc_menu"].empty


def test_an_even_blend_that_wins_nobody_is_explained(open_page):
    at = open_page(PAGE)
    add_service(at, "Half and half", "blend", 50)
    assert shares(at)["Half and half"] == 0
    assert any(i.startswith("A blend of medical and spa") for i in values(at.info))


# --- user text is plain text --------------------------------------------------------------------


def test_html_in_a_service_name_is_never_rendered_as_html(open_page):
    at = open_page(PAGE)
    add_service(at, "<b>x</b>")
    assert at.session_state["pc_menu"]["name"].tolist() == ["<b>x</b>"]
    x, _, _ = heatmap(at)
    assert x[-1] == "&lt;b&gt;x&lt;/b&gt;"  # plotly gets an escaped label, shows the text
    for key, fig in figures(at).items():
        assert "<b>x</b>" not in str(fig["data"]), key
        assert "<b>x</b>" not in str(fig["layout"]), key
    assert not [t for t in markup_texts(at) if "<b>x</b>" in t]
    allow_html = [
        node.proto.allow_html
        for node in walk(at.main)
        if hasattr(node, "proto") and node.proto is not None and hasattr(node.proto, "allow_html")
    ]
    assert allow_html and not any(allow_html)


@pytest.mark.parametrize(
    "name", ["www.example.invalid.csv", "**b** [x](javascript:alert(1)) $x$.csv"]
)
def test_a_file_name_is_plain_text_never_a_link_bold_or_math(open_page, name):
    at = open_page(PAGE)
    upload_survey(at, name, GOOD_SURVEY)
    assert not at.exception
    stem = name.removesuffix(".csv")
    assert not [t for t in markup_texts(at) if stem in t or "example.invalid" in t]
    assert name in values(at.text)  # shown as typed, in an element that parses nothing
    assert any(name in sentence for sentence in answer(at))
    upload_survey(at, "broken " + name, b"")  # a refusal names the file too
    assert refusal(at) is not None and refusal(at).startswith("broken " + name)
    assert not [t for t in markup_texts(at) if stem in t or "example.invalid" in t]


def test_a_url_like_service_name_is_plain_text(open_page, catalog):
    at = open_page(PAGE)
    columns = ",".join(catalog.criterion_ids)
    fits = ",".join(["5"] * 13)  # keeps every service limit
    at.file_uploader(key="pc_menu_upload").set_value(
        ("menu.csv", f"name,{columns}\nVisit www.example.invalid today,{fits}\n".encode(), "x")
    ).run()
    assert at.session_state["pc_menu"]["name"].tolist() == ["Visit www.example.invalid today"]
    assert not [m for m in markup_texts(at) if "example.invalid" in m]
    assert any(
        t.startswith("Your last change") and "Visit www.example.invalid today" in t
        for t in values(at.text)
    )


def test_no_code_renders_raw_html():
    """No page, UI helper or domain module may render HTML: st.markdown escapes it by default."""
    raw = ("unsafe_allow_html", "st.html(", "components.html(", "components.v1", "st.iframe(")
    allowed = {
        "ui/find_details.py: st.iframe(",
        "ui/find_answer.py: st.html(",
        "ui/widgets.py: st.html(",
    }
    pages = sorted((ROOT / "app_pages").glob("*.py"))
    assert len(pages) >= 5
    files = [ROOT / "app.py", *pages]
    for folder in ("ui", "advisor"):
        files += sorted((ROOT / folder).rglob("*.py"))
    offenders = [
        f"{path.relative_to(ROOT)}: {pattern}"
        for path in files
        for pattern in raw
        if pattern in path.read_text(encoding="utf-8")
    ]
    assert [o for o in offenders if o not in allowed] == []


def test_the_copy_button_html_is_a_constant():
    from ui import find_details

    source = (ROOT / "ui" / "find_details.py").read_text(encoding="utf-8")
    assert source.count("st.iframe(") == 1
    assert "st.iframe(COPY_BUTTON, height=52)" in source
    assert "{" not in find_details.COPY_BUTTON.replace("{margin:0}", "").split("<script>")[0]


def test_the_embed_style_is_a_constant():
    """ui/widgets.py renders one fixed style sheet as HTML (hiding the page links in an embed);
    nothing a person typed can reach it."""
    from ui import widgets

    source = (ROOT / "ui" / "widgets.py").read_text(encoding="utf-8")
    assert source.count("st.html(") == 1
    assert "st.html(EMBEDDED_NAV_STYLE)" in source
    assert widgets.EMBEDDED_NAV_STYLE == (
        "<style>.streamlit-embedded .st-key-page_nav { display: none; }</style>"
    )


def test_no_ui_module_but_its_owner_touches_the_survey_state():
    owner = ROOT / "ui" / "survey_upload.py"
    others = [p for p in (ROOT / "ui").glob("*.py") if p != owner] + [
        *(ROOT / "app_pages").glob("*.py")
    ]
    old_keys = re.compile(r"pc_survey\b|pc_table|pc_read_table|pc_upload|pc_mapping|pc_survey_")
    for path in others:
        assert not old_keys.search(path.read_text(encoding="utf-8")), path.name
    assert not (ROOT / "ui" / "clinic_memo.py").exists()


# --- uploads ------------------------------------------------------------------------------------


def test_uploaded_survey_replaces_the_sample(open_page, catalog):
    at = open_page(PAGE)
    upload_survey(at, "mine.csv", GOOD_SURVEY)
    assert values(at.error) == []
    assert in_use_line(at) == [IN_USE_TWO_CRITERIA]
    assert "mine.csv" in values(at.text)
    assert not any("made up" in i for i in values(at.info))
    survey = survey_in_use(at)
    assert survey.name == "mine.csv"
    read = read_survey(GOOD_SURVEY, catalog.criterion_ids, name="mine.csv").frame
    pd.testing.assert_frame_equal(
        survey.frame, read.astype({c: np.float32 for c in catalog.criterion_ids})
    )
    assert shares(at) == pytest.approx({"Spa massage": 200 / 3, "Medical massage": 100 / 3})
    assert "1 note on your survey: what was left out, counted as 0 or rescaled." in values(
        at.warning
    )
    assert not [s for s in values(at.success) if s.startswith("In use now")]  # 11 count 0


def test_clients_without_priorities_are_named_and_not_counted_unserved(open_page, catalog):
    header = ",".join(["client_id", *catalog.criterion_ids])
    rows = [
        "a," + ",".join(["0"] * 13),
        "b," + ",".join(["10"] * 13),
        "c," + ",".join(["0"] * 13),
        "d," + ",".join(["1"] * 13),
    ]
    at = open_page(PAGE)
    upload_survey(at, "zeros.csv", ("\n".join([header, *rows]) + "\n").encode())
    assert (
        "2 of your 4 clients gave every priority 0, so no service is their best match: they "
        "count in the total of clients, but not as unserved, and no designed service is made "
        "for them." in values(at.info)
    )
    assert "2 gave every priority 0, so no service is their best match" in answer(at)[0]


@pytest.mark.parametrize("bad", list(BAD_UPLOADS))
def test_bad_upload_keeps_the_last_good_survey_and_says_why(open_page, bad):
    data, message = BAD_UPLOADS[bad]
    at = open_page(PAGE)
    upload_survey(at, "mine.csv", GOOD_SURVEY)
    good = shares(at)
    upload_survey(at, "broken.csv", data)
    assert not at.exception
    assert [e for e in values(at.error) if "could not be used" in e] == [
        "This file could not be used; the survey in use stays as it was."
    ]
    assert refusal(at).startswith("broken.csv")
    assert message in refusal(at)
    assert in_use_line(at) == [IN_USE_TWO_CRITERIA]
    assert survey_in_use(at).name == "mine.csv"
    assert shares(at) == good


def test_a_refused_file_shows_its_reasons_by_row_and_column(open_page):
    at = open_page(PAGE)
    upload_survey(at, "words.csv", b"client_id,relaxation\na,abc\nb,xyz\n")
    assert refusal(at) == "words.csv: no client row could be used."
    reasons = refusal_reasons(at)
    assert any("row 2" in r and "relaxation" in r for r in reasons), reasons


def test_bad_first_upload_keeps_the_sample(open_page):
    at = open_page(PAGE)
    upload_survey(at, "broken.csv", b"\x00\x01\x02garbage")
    assert refusal(at) is not None
    assert survey_in_use(at) is None
    assert answer(at)[0].startswith("Made-up sample clients")


def test_back_to_the_sample_after_an_upload(open_page):
    at = open_page(PAGE)
    upload_survey(at, "mine.csv", GOOD_SURVEY)
    at.button(key="pc_use_sample").click().run()
    assert not at.exception
    assert survey_in_use(at) is None and survey_state(at).data is None
    assert answer(at)[0].startswith("Made-up sample clients")


def test_bad_menu_upload_keeps_the_menu(open_page):
    at = open_page(PAGE)
    add_service(at, "Sports massage")
    at.file_uploader(key="pc_menu_upload").set_value(
        ("menu.csv", b"name,relaxation\nMedical massage,5\n", "text/csv")
    ).run()
    assert values(at.error) == ["This menu file could not be used; your menu stays as it was."]
    assert any("no usable service in the file" in t for t in values(at.text))
    assert at.session_state["pc_menu"]["name"].tolist() == ["Sports massage"]


def test_threshold_sets_the_unserved_share(open_page, catalog):
    at = open_page(PAGE)
    assert at.slider(key="pc_threshold").value == int(DEFAULT_UNSERVED_THRESHOLD)
    at.slider(key="pc_threshold").set_value(90).run()
    mix = client_mix(sample_frame(catalog), catalog.fits, catalog.segment_weights, 90)
    share = f"{mix.unserved_share() * 100:.0f}%"
    title = figure(at, "shares_chart")["layout"]["title"]["text"].replace("<br>", " ")
    assert f"{share} are unserved (under 90%)" in title
    assert f"({share}) are unserved: no service on your menu matches them 90%" in answer(at)[2]


def test_scored_survey_download_matches_the_scoring(open_page, catalog, downloads):
    at = open_page(PAGE)
    upload_survey(at, "mine.csv", GOOD_SURVEY)
    survey = read_survey(GOOD_SURVEY, catalog.criterion_ids, name="mine.csv").frame
    mix = client_mix(survey, catalog.fits, catalog.segment_weights, DEFAULT_UNSERVED_THRESHOLD)
    expected = to_csv_bytes(scored_survey(survey, mix, type_names(catalog)))
    assert downloads["scored-survey.csv"] == expected
    assert b"c1" in expected and b"c3" in expected


def test_float32_weights_write_the_same_scored_download(open_page, catalog, downloads):
    """The page holds weights as float32; the download's figures are those of float64."""
    at = open_page(PAGE)
    data = form_export()
    upload_survey(at, "form.csv", data)
    at.button(key="sm_confirm_mapping").click().run()
    survey = survey_in_use(at).frame
    wide = survey.astype({c: float for c in catalog.criterion_ids})
    names = type_names(catalog)
    mix = client_mix(wide, catalog.fits, catalog.segment_weights, DEFAULT_UNSERVED_THRESHOLD)
    assert downloads["scored-survey.csv"] == to_csv_bytes(scored_survey(wide, mix, names))


# --- the report ---------------------------------------------------------------------------------


def test_the_report_is_a_pdf_with_the_same_answer(open_page, downloads):
    at = open_page(PAGE)
    pdf = downloads["clinic-positioning-report.pdf"]
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for sentence in answer(at):
        assert " ".join(sentence.split())[:60] in text
    assert "Positioning map" in text and "Client mix" in text
    assert "Spa massage, clinical therapist" in text
    assert "amtamassage.org" in text and "2015" in text  # where the typical base comes from


def test_a_name_the_pdf_cannot_print_is_announced_before_the_download(open_page, downloads):
    at = open_page(PAGE)
    add_service(at, "按摩 *中心*")
    notices = [i for i in values(at.info) if "cannot be printed" in i]
    assert notices == [
        "Some characters of 1 name cannot be printed in the PDF report: its font has no "
        "letters for some scripts, such as Chinese, nor for emoji. They show there as □, and "
        "the report says so; the app keeps every name as typed."
    ]
    assert "“按摩 *中心*”" in values(at.text)  # the name itself as plain text
    reader = PdfReader(io.BytesIO(downloads["clinic-positioning-report.pdf"]))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Some characters of 1 name in this report could not be printed and show as □" in text


def test_names_in_other_alphabets_need_no_notice(open_page, downloads):
    at = open_page(PAGE)
    add_service(at, "Массаж спины")
    add_service(at, "تدليك علاجي")
    assert not [i for i in values(at.info) if "cannot be printed" in i]
    reader = PdfReader(io.BytesIO(downloads["clinic-positioning-report.pdf"]))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Массаж спины" in text and "تدليك علاجي" in text
    assert "could not be printed" not in text


def test_the_only_html_is_the_live_verdicts_constant_style():
    from ui import find_answer

    source = (ROOT / "ui" / "find_answer.py").read_text(encoding="utf-8")
    assert source.count("st.html(") == 1
    assert "st.html(LIVE_STYLE)" in source
    style = find_answer.LIVE_STYLE
    assert style.startswith("<style>") and style.endswith("</style>")
    assert "<" not in style[len("<style>") : -len("</style>")]  # a style sheet, nothing else


def test_the_segments_table_shows_every_share_to_one_decimal(open_page):
    """17.0 next to 23.8, never 17 next to 23.8: one format for the whole table."""
    import json

    at = open_page(PAGE)
    (table,) = [d for d in at.dataframe if "Typical base (%)" in d.value.columns]
    formats = {
        column: config["type_config"]["format"]
        for column, config in json.loads(table.proto.columns).items()
        if "type_config" in config
    }
    assert formats == {"Your clients (%)": "%.1f", "Typical base (%)": "%.1f"}


# --- every field case of issue 23 through the page (their right values: test_field_cases) ----


@pytest.mark.parametrize("case", list(FIELD_BEST))
def test_every_field_case_gets_its_right_answer_on_the_page(open_page, case):
    at = open_page(PAGE)
    mime = XLSX_MIME if case.endswith(".xlsx") else "text/csv"
    survey_uploader(at).set_value((case, (FIELD_CASES / case).read_bytes(), mime)).run()
    if survey_state(at).pending is not None:  # the owner confirms the suggested mapping
        at.button(key="sm_confirm_mapping").click().run()
    assert not at.exception
    best = FIELD_BEST[case]
    assert survey_in_use(at).frame["client_id"].tolist() == list(best)
    counts = pd.Series(list(best.values())).value_counts()
    first = answer(at)[0]
    n = len(best)
    assert first.startswith(f"Of your {n} client{'s' if n > 1 else ''} in {case}, ")
    for name, count in counts.items():
        assert f"{name} is the best match for {round(100 * count / n)}%" in first or (
            f"{name} for {round(100 * count / n)}%" in first
        )
