"""Position my clinic (AppTest): heatmap, service designer, client mix, uploads, no HTML."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

from advisor.clinic.design import Brief, design_service
from advisor.clinic.menu import blend_fits, services
from advisor.clinic.positioning import (
    DEFAULT_UNSERVED_THRESHOLD,
    client_mix,
    segment_matrix,
)
from advisor.clinic.survey import scored_survey
from advisor.figures.clinic import wrapped_label
from advisor.figures.style import plain_label
from advisor.files.reading import read_survey
from advisor.files.writing import to_csv_bytes
from tests.apptest_support import ROOT, figure, figures, numbers, position, tree, values, walk

PAGE = "app_pages/position_my_clinic.py"
SAMPLE = ROOT / "data" / "sample_survey.csv"
GOOD_SURVEY = b"client_id,relaxation,pain_relief\nc1,10,0\nc2,0,10\nc3,5,5\n"
BAD_UPLOADS = {
    "binary": (b"\x00\x01\x02garbage", "not a text CSV file"),
    "empty": (b"", "the file is empty"),
    "no_usable_row": (b"relaxation\nabc\n", "no row could be used; the previous data is kept"),
}


def sample_frame(catalog) -> pd.DataFrame:
    return read_survey(SAMPLE.read_bytes(), catalog.criterion_ids, name="sample").frame


def heatmap(at) -> tuple[list[str], list[str], np.ndarray]:
    """The service labels (the rows), the segment labels (the columns) and the matches as
    segments x services, like the segment matrix."""
    (trace,) = figure(at, "heatmap_chart")["data"]
    assert trace["type"] == "heatmap"
    return trace["y"], trace["x"], numbers(trace["z"]).T


def shares(at) -> dict[str, float]:
    """The client-mix chart as {service label: % of clients} (a long label wraps with <br>)."""
    (trace,) = figure(at, "shares_chart")["data"]
    labels = [label.replace("<br>", " ") for label in trace["y"]]
    return dict(zip(labels, numbers(trace["x"]).tolist(), strict=True))


def expected_shares(
    survey, fits, names, catalog, threshold=DEFAULT_UNSERVED_THRESHOLD
) -> dict[str, float]:
    mix = client_mix(survey, fits, catalog.segment_weights, threshold)
    return {plain_label(names[s]): v * 100 for s, v in mix.shares().items()}


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def add_service(at, name: str, start: str = "blend", blend: int = 50):
    at.text_input(key="pc_new_name").input(name)
    at.selectbox(key="pc_new_start").select(start)
    at.slider(key="pc_new_blend").set_value(blend)
    (submit,) = [b for b in at.button if b.proto.form_id == "pc_add_service"]
    return submit.click().run()


def upload_survey(at, name: str, data: bytes):
    return at.file_uploader(key="pc_survey_upload").set_value((name, data, "text/csv")).run()


def type_names(catalog) -> dict[str, str]:
    return {t: catalog.type_name(t) for t in catalog.type_ids}


def test_defaults_use_the_synthetic_sample(open_page, catalog):
    at = open_page(PAGE)
    sample = sample_frame(catalog)
    # the last note is the owner view saying it is off (tests/ui/test_owner_answers.py)
    info, invitation, passcode = values(at.info)
    assert passcode.startswith("The owner view (collected answers")
    assert "**synthetic sample survey**" in info
    assert invitation.startswith("Add a service under **Your services**")
    assert f"({len(sample):,} made-up clients" in info
    assert metrics(at)["Clients"] == f"{len(sample):,}"
    assert at.session_state["pc_survey"] is None  # the sample is not copied into the session
    got = shares(at)
    want = expected_shares(sample, catalog.fits, type_names(catalog), catalog)
    assert got.keys() == want.keys()
    np.testing.assert_allclose([got[k] for k in want], list(want.values()))
    top = max(want, key=want.get)
    assert metrics(at)["Share of the top service"] == f"{want[top]:.0f}%"
    assert f"Top service: {top}" in values(at.text)
    assert set(figures(at)) == {
        "heatmap_chart",
        "map_chart",
        "shares_chart",
        "priorities_chart",
    }  # no what-if chart until the menu has changed


def test_heatmap_equals_the_segment_matrix(open_page, catalog):
    at = open_page(PAGE)
    x, y, z = heatmap(at)
    matrix = segment_matrix(catalog.segment_weights, catalog.fits)
    assert x == [wrapped_label(catalog.type_name(t)) for t in matrix.columns]
    assert [label.replace("<br>", " ").strip() for label in y] == [
        catalog.segments.at[s, "label"] for s in matrix.index
    ]
    assert y[0] == "Referred<br>patients"
    assert z.shape == (len(catalog.segments), 2)
    np.testing.assert_allclose(z, matrix.to_numpy())


@pytest.mark.parametrize(
    ("start", "blend", "medical_share"),
    [("blend", 30, 0.3), ("medical", 50, 1.0), ("spa", 80, 0.0)],
)
def test_adding_a_service_adds_a_heatmap_column_and_moves_the_mix(
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
    assert not np.allclose(z[:, 2], 0)

    after = shares(at)
    want = expected_shares(
        sample_frame(catalog), all_fits, {**type_names(catalog), **own_names}, catalog
    )
    assert after.keys() == want.keys() == {"Medical massage", "Spa massage", "Deep tissue"}
    np.testing.assert_allclose([after[k] for k in want], list(want.values()))
    assert len(before) == 2
    assert sum(after.values()) == pytest.approx(100)
    # a copy of a catalog type never beats it (ties go to the catalog type), and a blend is
    # the same mix of the two parents' matches, so it never beats both
    assert after == {**before, "Deep tissue": 0.0}


@pytest.mark.parametrize(
    ("name", "problem"),
    [("", "A service needs a name."), ("  medical MASSAGE ", "That name is already on the menu.")],
)
def test_a_bad_service_name_is_refused(open_page, catalog, name, problem):
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


def test_html_in_a_service_name_is_never_rendered_as_html(open_page):
    at = open_page(PAGE)
    add_service(at, "<b>x</b>")
    assert at.session_state["pc_menu"]["name"].tolist() == ["<b>x</b>"]
    x, _, _ = heatmap(at)
    assert x[-1] == "&lt;b&gt;x&lt;/b&gt;"  # plotly gets an escaped label, shows the text
    for key, fig in figures(at).items():
        assert "<b>x</b>" not in str(fig["data"]), key
        assert "<b>x</b>" not in str(fig["layout"]), key
    texts = [
        (type(node).__name__, node.value)
        for node in walk(at.main)
        if type(node).__name__ in ("Markdown", "Caption", "Success", "Info", "Warning", "Error")
    ]
    assert not [t for t in texts if "<b>x</b>" in t[1]]
    assert not [m.label for m in at.metric if "<b>x</b>" in m.label]
    # no element on the page may render HTML
    allow_html = [
        node.proto.allow_html
        for node in walk(at.main)
        if hasattr(node, "proto") and node.proto is not None and hasattr(node.proto, "allow_html")
    ]
    assert allow_html and not any(allow_html)


def test_uploaded_survey_replaces_the_sample(open_page, catalog):
    at = open_page(PAGE)
    upload_survey(at, "mine.csv", GOOD_SURVEY)
    assert values(at.error) == []
    assert values(at.success) == [r"Showing mine\.csv: 3 clients."]
    assert not any("synthetic" in i for i in values(at.info))
    assert metrics(at)["Clients"] == "3"
    assert at.session_state["pc_survey_name"] == "mine.csv"
    survey = read_survey(GOOD_SURVEY, catalog.criterion_ids, name="mine.csv").frame
    pd.testing.assert_frame_equal(at.session_state["pc_survey"], survey)
    got = shares(at)
    want = expected_shares(survey, catalog.fits, type_names(catalog), catalog)
    assert got == pytest.approx(want)
    assert got == pytest.approx({"Spa massage": 200 / 3, "Medical massage": 100 / 3})
    assert values(at.warning)[-1].startswith(r"1 note on mine\.csv")


def test_clients_without_priorities_are_named_and_not_counted_unserved(open_page, catalog):
    header = ",".join(["client_id", *catalog.criterion_ids])
    rows = [
        "a," + ",".join(["0"] * len(catalog.criterion_ids)),
        "b," + ",".join(["10"] * len(catalog.criterion_ids)),
        "c," + ",".join(["0"] * len(catalog.criterion_ids)),
        "d," + ",".join(["1"] * len(catalog.criterion_ids)),
    ]
    at = open_page(PAGE)
    upload_survey(at, "zeros.csv", ("\n".join([header, *rows]) + "\n").encode())
    assert metrics(at)["Clients"] == "4"
    assert (
        "2 of your 4 clients gave every priority 0, so no service is their best match: they "
        "count in the total of clients, but not as unserved, and no designed service is made "
        "for them." in values(at.info)
    )
    mix = client_mix(at.session_state["pc_survey"], catalog.fits, catalog.segment_weights, 70)
    best = mix.best_score
    assert mix.unserved.tolist() == [False, best.iloc[1] < 70, False, best.iloc[3] < 70]
    assert mix.without_priorities == 2


@pytest.mark.parametrize("bad", list(BAD_UPLOADS))
def test_bad_upload_keeps_the_last_good_survey(open_page, bad):
    data, message = BAD_UPLOADS[bad]
    at = open_page(PAGE)
    upload_survey(at, "mine.csv", GOOD_SURVEY)
    good = shares(at)
    upload_survey(at, "broken.csv", data)
    assert not at.exception
    (error,) = values(at.error)
    assert re.sub(r"\\(.)", r"\1", error).startswith("broken.csv")
    assert re.sub(r"\\(.)", r"\1", message) in re.sub(r"\\(.)", r"\1", error)
    assert error.endswith("The data shown below is still the last file that could be read.")
    assert values(at.success) == [r"Showing mine\.csv: 3 clients."]
    assert metrics(at)["Clients"] == "3"
    assert shares(at) == good


def test_bad_first_upload_keeps_the_sample(open_page, catalog):
    at = open_page(PAGE)
    upload_survey(at, "broken.csv", b"\x00\x01\x02garbage")
    assert len(values(at.error)) == 1
    assert any("synthetic" in i for i in values(at.info))
    assert metrics(at)["Clients"] == f"{len(sample_frame(catalog)):,}"


def test_back_to_the_sample_after_an_upload(open_page, catalog):
    at = open_page(PAGE)
    upload_survey(at, "mine.csv", GOOD_SURVEY)
    at.button(key="pc_use_sample").click().run()
    assert not at.exception
    assert any("synthetic" in i for i in values(at.info))
    assert metrics(at)["Clients"] == f"{len(sample_frame(catalog)):,}"
    assert at.session_state["pc_survey"] is None


def test_uploaded_menu_becomes_services(open_page, catalog):
    columns = ",".join(catalog.criterion_ids)
    rows = "\n".join(
        f"{name}," + ",".join(str(v) for v in fits)
        for name, fits in [("Hot stones", [2] * 13), ("Rehab", [9] * 13)]
    )
    at = open_page(PAGE)
    at.file_uploader(key="pc_menu_upload").set_value(
        ("menu.csv", f"name,{columns}\n{rows}\n".encode(), "text/csv")
    ).run()
    assert values(at.error) == []
    assert at.session_state["pc_menu"]["name"].tolist() == ["Hot stones", "Rehab"]
    x, _, z = heatmap(at)
    assert x == [
        wrapped_label(n) for n in ["Medical massage", "Spa massage", "Hot stones", "Rehab"]
    ]
    np.testing.assert_allclose(z[:, 2], 20.0)  # a flat fit of 2 matches 20% for everyone
    np.testing.assert_allclose(z[:, 3], 90.0)


def test_bad_menu_upload_keeps_the_menu(open_page):
    at = open_page(PAGE)
    add_service(at, "Sports massage")
    at.file_uploader(key="pc_menu_upload").set_value(
        ("menu.csv", b"name,relaxation\nMedical massage,5\n", "text/csv")
    ).run()
    (error,) = values(at.error)
    assert "no usable service in the file" in error
    assert at.session_state["pc_menu"]["name"].tolist() == ["Sports massage"]


def test_threshold_sets_the_unserved_share(open_page, catalog):
    at = open_page(PAGE)
    threshold = int(DEFAULT_UNSERVED_THRESHOLD)
    assert at.slider(key="pc_threshold").value == threshold
    assert f"Unserved (under {threshold}%)" in metrics(at)
    at.slider(key="pc_threshold").set_value(90).run()
    mix = client_mix(sample_frame(catalog), catalog.fits, catalog.segment_weights, 90)
    assert mix.unserved_share() > 0
    assert metrics(at)["Unserved (under 90%)"] == f"{mix.unserved_share() * 100:.0f}%"


def test_scored_survey_download_matches_the_scoring(open_page, catalog, downloads):
    at = open_page(PAGE)
    upload_survey(at, "mine.csv", GOOD_SURVEY)
    survey = read_survey(GOOD_SURVEY, catalog.criterion_ids, name="mine.csv").frame
    mix = client_mix(survey, catalog.fits, catalog.segment_weights, DEFAULT_UNSERVED_THRESHOLD)
    expected = to_csv_bytes(scored_survey(survey, mix, type_names(catalog)))
    assert downloads["scored-survey.csv"] == expected
    assert b"c1" in expected and b"c3" in expected
    assert downloads["clinic-menu.csv"].startswith(
        b"name," + ",".join(catalog.criterion_ids).encode()
    )


RAW_HTML = ("unsafe_allow_html", "st.html(", "components.html(", "components.v1", "st.iframe(")
# The one exception: Find my massage's copy button, a constant string with no user or link text
# in it (it copies the page's own address), checked by the test below.
ALLOWED = {"ui/find_details.py: st.iframe(", "ui/find_answer.py: st.html("}


def test_no_code_renders_raw_html():
    """No page, UI helper or domain module may render HTML: st.markdown escapes it by default."""
    pages = sorted((ROOT / "app_pages").glob("*.py"))
    assert len(pages) >= 5  # the pages live in app_pages/ (pages/ would be Streamlit's own)
    files = [ROOT / "app.py", *pages]
    for folder in ("ui", "advisor"):
        files += sorted((ROOT / folder).rglob("*.py"))
    assert len(files) >= 25
    offenders = [
        f"{path.relative_to(ROOT)}: {pattern}"
        for path in files
        for pattern in RAW_HTML
        if pattern in path.read_text(encoding="utf-8")
    ]
    assert [o for o in offenders if o not in ALLOWED] == []


def test_the_copy_button_html_is_a_constant():
    from ui import find_details

    source = (ROOT / "ui" / "find_details.py").read_text(encoding="utf-8")
    assert source.count("st.iframe(") == 1
    assert "st.iframe(COPY_BUTTON, height=52)" in source
    assert "{" not in find_details.COPY_BUTTON.replace("{margin:0}", "").split("<script>")[0]


def test_the_only_html_is_the_live_verdicts_constant_style():
    from ui import find_answer

    source = (ROOT / "ui" / "find_answer.py").read_text(encoding="utf-8")
    assert source.count("st.html(") == 1
    assert "st.html(LIVE_STYLE)" in source
    style = find_answer.LIVE_STYLE
    assert style.startswith("<style>") and style.endswith("</style>")
    assert "<" not in style[len("<style>") : -len("</style>")]  # a style sheet, nothing else


def test_the_answer_comes_before_the_first_chart(open_page):
    at = open_page(PAGE)
    nodes = tree(at)
    answer = position(nodes, lambda n: type(n).__name__ == "Text" and n.value.startswith("Lead"))
    chart = position(nodes, lambda n: getattr(n, "type", None) == "plotly_chart")
    assert answer < chart
    sentences = [t for t in values(at.text)][:4]
    assert sentences[0] == (
        "Lead with Medical massage for Referred patients, Chronic pain sufferers and Active and "
        "injured; and with Spa massage for Stressed professionals, Pamper seekers and Wellness "
        "maintainers."
    )
    assert sentences[1] == (
        "The biggest gap is Wellness maintainers: 3.6 points away from the nearest service, "
        "measured on the map's 0-10 axes; 10% of your clients are closest to them, and 10% of "
        "all your clients match no service at 70% or more."
    )
    assert sentences[3] == (
        "The one change that would serve the most unserved clients: add Medical massage, mixed "
        "goal, spa room, which would lift 45 of your 58 unserved clients to 70% or more. This "
        'proposal uses the aim "Lift the most unserved clients above the threshold" of Design a '
        "service for the gap, below."
    )


OTHER_AIM = (
    'The answer at the top of the page uses the other aim, "Lift the most unserved clients above '
    'the threshold", so it proposes a different service: Medical massage, mixed goal, spa room. '
    "Pick that aim above to see it here."
)


def test_the_designer_says_when_the_answer_uses_the_other_aim(open_page):
    at = open_page(PAGE)
    assert at.radio(key="pc_design_objective").value == "most_clients"
    assert OTHER_AIM in values(at.text)
    nodes = tree(at)
    note = position(nodes, lambda n: type(n).__name__ == "Text" and n.value == OTHER_AIM)
    aim = position(nodes, lambda n: getattr(n, "key", None) == "pc_design_objective")
    assert aim < note  # right under the choice of aim
    assert (
        "It would be the best match for 30% of your clients, and beat every service you have by "
        "more than 1 match point (on the 0-100 match score) for 30% of your clients: 27 "
        "percentage points of your clients from Spa massage and 3 percentage points from Medical "
        "massage."
    ) in values(at.text)

    at.radio(key="pc_design_objective").set_value("lift_unserved").run()
    assert not at.exception
    texts = values(at.text)
    assert not [t for t in texts if "uses the other aim" in t]
    assert texts[3].endswith(
        'This proposal uses the aim "Lift the most unserved clients above the threshold" of '
        "Design a service for the gap, below."
    )
    assert (
        "It would lift 45 clients who are unserved today to 70% or more (8% of your clients: 4 "
        "percentage points of your clients from Spa massage and 3 percentage points from Medical "
        "massage), and be the best match for 14% of your clients."
    ) in texts
    # the summary's proposal is the one the designer now shows
    assert "Medical massage, mixed goal, spa room. Who delivers it" in " ".join(texts)


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
    assert design.best_share == pytest.approx(0.3033, abs=1e-4)
    assert f"Added to your menu: {name}." in values(at.text)
    # the section says the proposal now shown is the next one, for the gap that is left
    assert any(s.startswith("The designed service is on your menu now") for s in values(at.success))
    assert "The next proposal" in [h.value for h in at.subheader]
    assert (
        "Your last change to the menu: Spa massage, clinical therapist would become best match "
        "for 30% of your clients, taking 27 percentage points of your clients from Spa massage "
        "and 3 percentage points from Medical massage."
    ) in values(at.text)


def test_an_even_blend_that_wins_nobody_is_explained(open_page):
    at = open_page(PAGE)
    add_service(at, "Half and half", "blend", 50)
    assert shares(at)["Half and half"] == 0
    assert any(i.startswith("A blend of medical and spa") for i in values(at.info))


def test_a_url_like_service_name_is_plain_text(open_page, catalog):
    at = open_page(PAGE)
    columns = ",".join(catalog.criterion_ids)
    at.file_uploader(key="pc_menu_upload").set_value(
        (
            "menu.csv",
            f"name,{columns}\nVisit www.example.invalid today,{',9' * 13}\n".replace(
                ",,", ","
            ).encode(),
            "text/csv",
        )
    ).run()
    assert at.session_state["pc_menu"]["name"].tolist() == ["Visit www.example.invalid today"]
    markup = [
        node.value
        for node in walk(at.main)
        if type(node).__name__ in ("Markdown", "Caption", "Success", "Info", "Warning", "Error")
    ]
    assert not [m for m in markup if "example.invalid" in m]
    assert any("Visit www.example.invalid today" in t for t in values(at.text))


def test_a_pasted_name_over_the_limit_is_refused_and_kept(open_page):
    at = open_page(PAGE)
    long_name = "A" * 61
    add_service(at, long_name)
    assert values(at.error) == ["A service name can be at most 60 characters (this one has 61)."]
    assert at.text_input(key="pc_new_name").value == long_name
    assert at.session_state["pc_menu"].empty


def test_the_report_is_a_pdf_with_the_answer(open_page, downloads):
    at = open_page(PAGE)
    pdf = downloads["clinic-positioning-report.pdf"]
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert len(reader.pages) >= 2
    for sentence in values(at.text)[:4]:
        assert " ".join(sentence.split())[:60] in text
    assert "Positioning map" in text and "Client mix" in text
    assert "Spa massage, clinical therapist" in text


def test_a_name_the_pdf_cannot_print_is_announced_before_the_download(open_page, downloads):
    at = open_page(PAGE)
    add_service(at, "按摩 *中心*")
    assert at.session_state["pc_menu"]["name"].tolist() == ["按摩 *中心*"]
    notices = [i for i in values(at.info) if "cannot be printed" in i]
    # the name stays inert text: its markdown characters are escaped, so it shows as typed
    assert notices == [
        "Some characters of “按摩 \\*中心\\*” cannot be printed in the PDF report: its font has "
        "no letters for some scripts, such as Chinese, nor for emoji. They show there as □, and "
        "the report says so; the app keeps every name as typed."
    ]
    reader = PdfReader(io.BytesIO(downloads["clinic-positioning-report.pdf"]))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Some characters of 1 name in this report could not be printed and show as □" in text
    assert "□□ *□□*" in text


def test_names_in_other_alphabets_need_no_notice(open_page, downloads):
    at = open_page(PAGE)
    add_service(at, "Массаж спины")
    add_service(at, "تدليك علاجي")
    assert not [i for i in values(at.info) if "cannot be printed" in i]
    reader = PdfReader(io.BytesIO(downloads["clinic-positioning-report.pdf"]))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Массаж спины" in text and "تدليك علاجي" in text
    assert "could not be printed" not in text
