"""The server settings the app relies on, and the upload bounds enforced again in code."""

from __future__ import annotations

import tomllib

import pytest

from advisor.clinic.menu import MAX_MENU_BYTES, MENU_LIMIT_MB
from advisor.errors import InputFileError
from advisor.files.reading import MAX_BYTES, MEGABYTE, UPLOAD_LIMIT_MB, check_size, read_survey
from tests.apptest_support import ROOT, refusal, survey_uploader, values
from tests.corpus.files import CRITERIA

CONFIG = ROOT / ".streamlit" / "config.toml"
CLINIC_SOURCE = ROOT / "ui" / "clinic_menu.py"  # the menu section of Position my clinic
UPLOAD_SOURCE = ROOT / "ui" / "survey_upload.py"
CLINIC = "app_pages/position_my_clinic.py"


@pytest.fixture(scope="module")
def config() -> dict:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


def test_xsrf_protection_is_on(config: dict) -> None:
    assert config["server"]["enableXsrfProtection"] is True
    # Streamlit turns XSRF protection off when CORS is off: keep CORS at its default (on)
    assert config["server"].get("enableCORS", True) is True


def test_visitors_never_see_error_details(config: dict) -> None:
    assert config["client"]["showErrorDetails"] == "none"


def test_the_upload_bound_is_set_and_the_page_enforces_the_same_one(config: dict) -> None:
    bound = config["server"]["maxUploadSize"]
    assert isinstance(bound, int) and 1 <= bound <= 200
    assert bound == UPLOAD_LIMIT_MB  # the page and the reader use the same constant
    assert bound * MEGABYTE <= MAX_BYTES  # the command line's bound is never the tighter one
    # the menu uploader has its own, smaller bound, the same as the menu reader's
    assert MENU_LIMIT_MB * MEGABYTE == MAX_MENU_BYTES
    assert "max_upload_size=MENU_LIMIT_MB" in CLINIC_SOURCE.read_text(encoding="utf-8")
    assert "UPLOAD_LIMIT_MB * MEGABYTE" in UPLOAD_SOURCE.read_text(encoding="utf-8")


def test_secrets_stay_out_of_git() -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".streamlit/secrets.toml" in ignored


def test_the_size_bound_names_the_file_and_rounds_up() -> None:
    check_size(50 * MEGABYTE, "exact.csv", 50 * MEGABYTE)  # at the bound: accepted
    with pytest.raises(InputFileError) as caught:
        check_size(50 * MEGABYTE + 1, "big.csv", 50 * MEGABYTE)
    assert str(caught.value) == "big.csv: the file is 50.1 MB, over the limit of 50 MB."
    with pytest.raises(
        InputFileError, match=r"^m\.csv: the file is 1\.5 MB, over the limit of 1 MB\.$"
    ):
        read_survey(b"x" * (3 * MEGABYTE // 2), CRITERIA, name="m.csv", max_bytes=MEGABYTE)


def test_a_file_one_byte_over_the_bound_is_refused_on_the_page(open_page) -> None:
    bound = UPLOAD_LIMIT_MB * MEGABYTE
    at = open_page(CLINIC)
    data = b"relaxation\n" + b"5\n" * ((bound + 1 - 11) // 2) + b"5" * ((bound + 1 - 11) % 2)
    assert len(data) == bound + 1
    survey_uploader(at).set_value(("one-byte-over.csv", data, "text/csv"))
    at.run()
    assert not at.exception
    assert refusal(at).startswith(
        "one-byte-over.csv: the file is 50.1 MB, over the limit of 50 MB."
    )
    assert any("made up" in info for info in values(at.info))  # the sample is still in use
