"""Position my clinic in a real browser: your clients and the answer on a phone's first two
screens, a survey upload, the scored download, a bad file, Enter in the name field, and file
names shown as plain text."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

import advisor
from advisor.decision.scoring import score
from tests.browser.support import (
    EXCEPTION,
    PLOTLY_CHART,
    expect,
    save_screenshot,
    wait_for_app,
    wait_for_idle,
)

pytestmark = pytest.mark.browser

SURVEY_UPLOADER = "Upload your client survey"
PHONE_HEIGHT = 844
# client ids a spreadsheet would run as formulas, and one plain id
CLIENT_IDS = ["=HYPERLINK(1)", "+cmd", "@x", "-1+2", "plain client 5"]
RELAXATION = [10, 8, 5, 9, 7]


@pytest.fixture
def relaxation_survey(tmp_path: Path, app_catalog: advisor.Catalog) -> Path:
    """Five clients who weight relaxation only: spa massage serves every one of them best."""
    for weight in RELAXATION:
        ranking = score({"relaxation": weight}, app_catalog.fits).ranking()
        assert ranking[0][0] == "spa" and round(ranking[0][1]) == 100  # the test's premise
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["client_id", *app_catalog.criterion_ids])
    for client, weight in zip(CLIENT_IDS, RELAXATION, strict=True):
        writer.writerow(
            [client, *(weight if cid == "relaxation" else 0 for cid in app_catalog.criterion_ids)]
        )
    path = tmp_path / "relaxed-clients.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def first_sentence(page) -> str:
    """The answer's first sentence (it opens with who the clients are)."""
    text = page.locator('[data-testid="stText"]').filter(
        has_text=re.compile(r"^(Made-up sample clients|Of your \d+ clients)")
    )
    expect(text).to_have_count(1)
    return text.inner_text().strip()


def best_served(page) -> tuple[str, str]:
    """The service printed first on the client-mix chart, and its share."""
    chart = page.locator(PLOTLY_CHART).filter(has_text="is the best match for")
    expect(chart).to_have_count(1)
    title = chart.locator(".gtitle").first.text_content()
    match = re.match(r"(.+?) is the best match for (\d+%)", title)
    assert match, title
    return f"Best served by {match.group(1)}", match.group(2)


def survey_input(page):
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text=SURVEY_UPLOADER)
    expect(uploader).to_have_count(1)
    return uploader.locator('input[type="file"]')


def upload_survey(page, files) -> None:
    survey_input(page).set_input_files(files)
    page.wait_for_timeout(300)  # the upload starts a run; let it begin before waiting on it
    wait_for_idle(page)
    wait_for_app(page)


@pytest.mark.timeout(120)
def test_survey_upload_changes_the_mix_and_download_is_safe(
    open_in_browser, relaxation_survey, app_catalog
):
    page = open_in_browser("clinic", "desktop")
    expect(page.get_by_text("made up for this example")).to_be_visible()
    assert first_sentence(page).startswith("Made-up sample clients, not yours")
    sample_label, sample_value = best_served(page)
    assert (sample_label, sample_value) != ("Best served by Spa massage", "100%")

    upload_survey(page, relaxation_survey)

    success = page.locator('[data-testid="stAlertContentSuccess"]')
    expect(success).to_contain_text(f"In use now: your survey, {len(CLIENT_IDS)} clients")
    assert first_sentence(page) == (
        f"Of your {len(CLIENT_IDS)} clients in {relaxation_survey.name}, Spa massage is the "
        "best match for 100%."
    )
    label, value = best_served(page)
    assert (label, value) == ("Best served by Spa massage", "100%")
    assert (label, value) != (sample_label, sample_value)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    save_screenshot(page, "clinic-uploaded-desktop")

    button = page.locator('[data-testid="stDownloadButton"]').filter(
        has_text="Download the scored survey (.csv)"
    )
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=20_000) as download_info:
        button.locator("button, a").first.click()
    download = download_info.value
    assert download.suggested_filename == "scored-survey.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))

    assert len(rows) == len(CLIENT_IDS)
    ids = [row["client_id"] for row in rows]
    assert ids == ["'=HYPERLINK(1)", "'+cmd", "'@x", "'-1+2", "plain client 5"]
    for row, weight in zip(rows, RELAXATION, strict=True):
        # the criteria come back as whole numbers, the matches as numbers, nothing neutralised
        assert row["relaxation"] == str(weight)
        for cid in app_catalog.criterion_ids:
            assert re.fullmatch(r"\d+", row[cid]), f"{cid}: {row[cid]!r}"
        match_columns = [column for column in row if column.startswith("match_")]
        assert match_columns, f"no match columns in {list(row)}"
        for column in match_columns:
            assert re.fullmatch(r"\d+(\.\d+)?", row[column]), f"{column}: {row[column]!r}"
            assert 0 <= float(row[column]) <= 100
        assert float(row["match_Spa massage"]) == 100
        assert row["best_match"] == "Spa massage"


@pytest.mark.timeout(120)
def test_bad_upload_names_the_file_and_keeps_the_data(open_in_browser, relaxation_survey):
    page = open_in_browser("clinic", "phone")
    upload_survey(page, relaxation_survey)
    success = page.locator('[data-testid="stAlertContentSuccess"]')
    expect(success).to_contain_text("In use now: your survey")
    assert best_served(page) == ("Best served by Spa massage", "100%")

    garbage = b"\x00\x01\x02\x03PK\x03\x04\xff\xfe\x00binary garbage\x00" * 64
    upload_survey(page, {"name": "bad.csv", "mimeType": "text/csv", "buffer": garbage})

    error = page.locator('[data-testid="stAlertContentError"]')
    expect(error).to_have_count(1)
    expect(error).to_contain_text("the survey in use stays as it was")
    reason = page.locator('[data-testid="stText"]').filter(has_text="bad.csv")
    expect(reason.first).to_be_visible()
    # the survey uploaded before is still the one in use, and nothing crashed
    expect(success).to_contain_text(f"In use now: your survey, {len(CLIENT_IDS)} clients")
    assert best_served(page) == ("Best served by Spa massage", "100%")
    expect(page.locator(EXCEPTION)).to_have_count(0)
    error.scroll_into_view_if_needed()
    save_screenshot(page, "clinic-bad-upload-phone")


def _overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.timeout(120)
def test_map_labels_never_overlap_on_a_phone(open_in_browser, app_catalog):
    page = open_in_browser("clinic", "phone")
    page.get_by_text("The positioning map: an illustration").click()
    page.wait_for_timeout(300)
    wait_for_idle(page)
    wait_for_app(page)
    chart = page.locator(PLOTLY_CHART).filter(has_text=re.compile(r"services and \d+ segments"))
    expect(chart).to_have_count(1)
    chart.scroll_into_view_if_needed()
    labels = chart.locator("g.scatterlayer text")
    expect(labels).to_have_count(len(app_catalog.segments) + len(app_catalog.types))
    boxes = [(label.text_content(), label.bounding_box()) for label in labels.all()]
    texts = sorted(text for text, _ in boxes)
    assert texts == ["1", "2", "3", "4", "5", "6", "A", "B"]
    clashes = [
        (a, b)
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if _overlap(box_a, box_b)
    ]
    assert clashes == []
    key = page.locator('[data-testid="stDataFrame"]').filter(has_text="Referred patients")
    expect(key.first).to_be_visible()
    save_screenshot(page, "clinic-map-phone")


@pytest.mark.timeout(180)
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_url_like_service_name_is_never_a_link(open_in_browser, app_catalog, tmp_path, size):
    name = "Visit www.example.invalid today"
    menu = tmp_path / "menu.csv"
    menu.write_text(
        # fits of 5 keep every service limit: a service that breaks one is never scored
        "name," + ",".join(app_catalog.criterion_ids) + "\n" + name + ",5" * 13 + "\n",
        encoding="utf-8",
    )
    page = open_in_browser("clinic", size)
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Upload a menu")
    uploader.locator('input[type="file"]').set_input_files(menu)
    page.wait_for_timeout(300)
    wait_for_idle(page)
    wait_for_app(page)
    last_change = page.locator('[data-testid="stText"]').filter(has_text="Your last change")
    expect(last_change).to_contain_text(name)
    assert page.locator("a", has_text="example.invalid").count() == 0
    assert page.locator('a[href*="example.invalid"]').count() == 0
    expect(page.locator(EXCEPTION)).to_have_count(0)
    save_screenshot(page, f"clinic-url-name-{size}")


def _bottom(box: dict) -> float:
    return box["y"] + box["height"]


@pytest.mark.timeout(180)
@pytest.mark.parametrize("survey", [None, "form"])
def test_the_upload_step_and_the_first_sentence_are_on_a_phones_first_two_screens(
    open_in_browser, tmp_path, survey
):
    page = open_in_browser("clinic", "phone")
    if survey is not None:
        from tests.corpus.form_export import form_export

        path = tmp_path / "form-export-40.csv"
        path.write_bytes(form_export())
        upload_survey(page, path)
        page.get_by_role("button", name="Confirm the mapping").click()
        page.wait_for_timeout(300)
        wait_for_idle(page)
        wait_for_app(page)
    page.locator('[data-testid="stMain"]').evaluate("main => main.scrollTo(0, 0)")
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text=SURVEY_UPLOADER)
    sentence = page.locator('[data-testid="stText"]').filter(
        has_text=re.compile(r"^(Made-up sample clients|Of your \d+ clients)")
    )
    expect(sentence).to_have_count(1)
    assert _bottom(uploader.bounding_box()) <= 2 * PHONE_HEIGHT
    assert _bottom(sentence.bounding_box()) <= 2 * PHONE_HEIGHT
    expect(page.locator(EXCEPTION)).to_have_count(0)


@pytest.mark.timeout(120)
def test_enter_in_the_service_name_adds_nothing(open_in_browser):
    page = open_in_browser("clinic", "desktop")
    name = page.get_by_label(re.compile("Service name"))
    name.fill("Deep tissue")
    name.press("Enter")
    page.wait_for_timeout(500)
    wait_for_idle(page)
    wait_for_app(page)
    # nothing was added: no what-if yet, no heatmap row, no "needs a name" on the next add
    expect(
        page.locator('[data-testid="stText"]').filter(has_text="Your last change")
    ).to_have_count(0)
    expect(page.locator('[data-testid="stAlertContentError"]')).to_have_count(0)
    add = page.get_by_role("button", name=re.compile("Add service"))
    expect(add).to_be_disabled()  # until the start is chosen
    expect(page.get_by_text("Blend: how much medical")).to_have_count(0)
    assert name.input_value() == "Deep tissue"  # what was typed is kept


@pytest.mark.timeout(180)
@pytest.mark.parametrize(
    "name", ["www.example.invalid.csv", "**b** [x](javascript:alert(1)) $x$.csv"]
)
def test_a_survey_file_name_is_plain_text(open_in_browser, relaxation_survey, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(relaxation_survey.read_bytes())
    page = open_in_browser("clinic", "desktop")
    upload_survey(page, path)
    main = page.locator('[data-testid="stMain"]')
    expect(main.locator('[data-testid="stText"]').filter(has_text=name).first).to_be_visible()
    assert main.locator("a", has_text="example.invalid").count() == 0
    assert main.locator('a[href*="example.invalid"], a[href^="javascript"]').count() == 0
    assert main.locator(".katex, .katex-display").count() == 0  # no $x$ drawn as math
    strong = [s.inner_text() for s in main.locator("strong").all()]
    assert "b" not in strong
    expect(page.locator(EXCEPTION)).to_have_count(0)
