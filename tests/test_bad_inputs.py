"""Every bad input in tests/corpus, through every path a user takes, gets its expected answer.

Files go through the survey and menu readers, both uploaders on Position my clinic and the command
line; share links through the parser and Find my massage; typed names through the service
designer, a menu CSV and the exported menu; a damaged data/ folder through the loader and the
app's start. No path may end in a traceback, lose what the user had, or render markup.

`CASE_COUNT` is the number of bad inputs, `RUN_COUNT` the number of (input, path) runs that must
each end in a clear answer; `python -m tests.test_bad_inputs` prints them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from advisor.catalog import load_catalog
from advisor.cli import EXIT_USAGE, main
from advisor.clinic.menu import NAME, empty_menu, menu_csv, read_menu
from advisor.decision.share_link import parse_share_params, restored_weights
from advisor.errors import CatalogError, InputFileError
from advisor.figures.clinic import HEATMAP_SERVICE_WIDTH, wrapped_label
from advisor.files.notes import quoted as note_quoted
from advisor.files.reading import CLIENT_ID, read_survey
from advisor.files.writing import FORMULA_TRIGGERS, neutralise
from tests.apptest_support import (
    APP_FILE,
    in_use_line,
    refusal,
    refusal_reasons,
    state_problems,
    survey_in_use,
    survey_notes,
    survey_state,
    survey_uploader,
    texts_after,
    values,
    walk,
)
from tests.corpus.catalog import CATALOG_CASES, CatalogCase, damaged_copy
from tests.corpus.files import (
    CATALOG,
    CRITERIA,
    FILE_CASES,
    MENU,
    RESERVED,
    SURVEY,
    Expect,
    FileCase,
    csv_text,
    row,
)
from tests.corpus.links import LINK_CASES, LinkCase
from tests.corpus.names import NAME_CASES, NameCase
from ui.data import DATA_ENV
from ui.survey_mapping import KEPT as MAPPING_KEPT
from ui.widgets import escape_md

CLINIC = "app_pages/position_my_clinic.py"
FIND = "app_pages/find_my_massage.py"

# The paths each kind of input takes; every (input, path) pair is one run with a clear answer.
FILE_PATHS = ("survey reader", "survey upload", "command line", "menu reader", "menu upload")
LINK_PATHS = ("share-link parser", "Find my massage page")
NAME_PATHS = ("service designer", "menu CSV", "exported menu")
CATALOG_PATHS = ("catalog loader", "app start")
CASE_COUNT = len(FILE_CASES) + len(LINK_CASES) + len(NAME_CASES) + len(CATALOG_CASES)
RUN_COUNT = (
    len(FILE_CASES) * len(FILE_PATHS)
    + len(LINK_CASES) * len(LINK_PATHS)
    + len(NAME_CASES) * len(NAME_PATHS)
    + sum(len(CATALOG_PATHS) if case.loader else 1 for case in CATALOG_CASES)
)

# The size bound of each path, as its messages name it.
READER_LIMIT = "100 MB"
PAGE_LIMIT = "50 MB"
MENU_LIMIT = "1 MB"
NO_ROW = "no client row could be used."
IN_USE = "In use now: your survey, {clients}."
GOOD_SURVEY = csv_text(
    SURVEY, [row(SURVEY, i + 1, 3 * i + 3) for i in range(3)]
).encode()  # 3, 6, 9: plainly 0-10
GOOD_MENU = csv_text(MENU, [["Sports massage", *[6] * len(CRITERIA)]]).encode()
# What a spreadsheet would run, or markdown/HTML would render, if the text reached it raw.
MARKUP = re.compile(r"[<>&*_\[\]()#`!|~$\\:+\-.=@{}]")


def ids(cases) -> list[str]:
    return [case.id for case in cases]


def unescape(text: str) -> str:
    """Markdown text as a reader sees it: every backslash escape undone."""
    return re.sub(r"\\(.)", r"\1", text)


def refusal_text(expect: Expect, limit: str) -> str:
    assert expect.refused is not None
    return expect.refused.replace("{limit}", limit)


def assert_clear(message: str, name: str) -> None:
    """One line for a person: it names the file first, and shows no Python internals."""
    assert message.startswith(f"{name}: "), message
    assert "\n" not in message and "Traceback" not in message, message
    assert not re.search(r"np\.float|dtype|Error\b|Exception|0x[0-9a-f]{6,}", message), message


def assert_notes(problems: list[str], expect: Expect, name: str) -> None:
    """Every note expected, in order, each the exact start of one problem, and nothing else.
    A note does not name the file: whoever shows the notes names it once."""
    assert len(problems) == len(expect.notes), problems
    for problem, note in zip(problems, expect.notes, strict=True):
        assert_clear(f"{name}: {problem}", name)
        assert not problem.startswith(name), problem
        assert problem.startswith(note), (problem, note)


def test_the_corpus_is_counted() -> None:
    every = [*FILE_CASES, *LINK_CASES, *NAME_CASES, *CATALOG_CASES]
    assert len(every) == CASE_COUNT >= 70
    for table in (FILE_CASES, LINK_CASES, NAME_CASES, CATALOG_CASES):
        assert len(set(ids(table))) == len(table), "case ids must be unique"
    assert RUN_COUNT > 2 * CASE_COUNT


# --- files: the readers -------------------------------------------------------------------------

# What the kept rows must hold, where a case is about reading a value right.
SURVEY_VALUES = {
    "bom": lambda f: f[CLIENT_ID].tolist() == ["client 1", "client 2"],
    "utf16": lambda f: f[CLIENT_ID].tolist() == ["client 1", "client 2"],
    "tabs": lambda f: f[CLIENT_ID].tolist() == ["client 1", "client 2"],
    "semicolons": lambda f: f["relaxation"].tolist() == [5.5, 7.0],
    "latin1": lambda f: f[CLIENT_ID].tolist() == ["Jos\u00e9 Ni\u00f1o"],
    "quoted_newline": lambda f: f[CLIENT_ID].tolist() == ["client 1", "two\nlines"],
    "criterion_twice": lambda f: f["relaxation"].tolist() == [5.0],  # the first column's 5, not 9
    "unclosed_quote": lambda f: f[CLIENT_ID].tolist() == ["client 1"],
}


@pytest.mark.parametrize("case", FILE_CASES, ids=ids(FILE_CASES))
def test_survey_reader(case: FileCase) -> None:
    name = f"{case.id}.csv"
    expect = case.expect(SURVEY)
    if expect.refused is not None:
        with pytest.raises(InputFileError) as caught:
            read_survey(case.data(SURVEY), CRITERIA, name=name)
        assert_clear(str(caught.value), name)
        assert str(caught.value).startswith(f"{name}: {refusal_text(expect, READER_LIMIT)}")
        return
    imported = read_survey(case.data(SURVEY), CRITERIA, name=name)
    assert imported.rows_kept == expect.kept
    assert_notes(imported.problems, expect, name)
    values_ = imported.frame[list(CRITERIA)].to_numpy(dtype=float)
    answered = values_[~np.isnan(values_)]  # NaN: a blank answer, in no average
    assert ((answered >= 0) & (answered <= 10)).all()
    if case.id in SURVEY_VALUES:
        assert SURVEY_VALUES[case.id](imported.frame), imported.frame


@pytest.mark.parametrize("case", FILE_CASES, ids=ids(FILE_CASES))
def test_menu_reader(case: FileCase) -> None:
    name = f"{case.id}.csv"
    expect = case.expect(MENU)
    if expect.refused is not None:
        with pytest.raises(InputFileError) as caught:
            read_menu(case.data(MENU), CRITERIA, RESERVED, name=name)
        assert_clear(str(caught.value), name)
        assert str(caught.value).startswith(f"{name}: {refusal_text(expect, MENU_LIMIT)}")
        return
    imported = read_menu(case.data(MENU), CRITERIA, RESERVED, name=name)
    assert len(imported.menu) == expect.kept
    assert_notes(imported.problems, expect, name)
    assert imported.menu[NAME].map(len).between(1, 60).all()
    fits = imported.menu[list(CRITERIA)]
    assert fits.apply(lambda c: c.between(0, 10)).all().all()
    assert (fits == fits.round(1)).all().all()  # one decimal kept


# --- files: the command line --------------------------------------------------------------------


@pytest.mark.parametrize("case", FILE_CASES, ids=ids(FILE_CASES))
def test_command_line(case: FileCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / f"{case.id}.csv"
    path.write_bytes(case.data(SURVEY))
    out = tmp_path / "scored.csv"
    code = main(["score", str(path), "-o", str(out)])
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    expect = case.expect(SURVEY)
    warnings = [line.removeprefix("warning: ") for line in lines if line.startswith("warning: ")]
    errors = [line.removeprefix("error: ") for line in lines if line.startswith("error: ")]
    assert len(warnings) + len(errors) == len(lines), lines  # nothing but warnings and errors
    if expect.refused is not None:
        assert code == EXIT_USAGE
        assert warnings == [] and len(errors) == 1
        assert_clear(errors[0], str(path))
        assert errors[0].startswith(f"{path}: {refusal_text(expect, READER_LIMIT)}")
        assert not out.exists() and captured.out == ""
        return
    if warnings:  # the file named once, then one line per note
        assert warnings[0] == f"{path}: {len(warnings) - 1} note" + (
            ":" if len(warnings) == 2 else "s:"
        )
        warnings = warnings[1:]
    assert_notes(warnings, expect, str(path))
    if expect.kept == 0:
        assert code == EXIT_USAGE
        assert errors == [f"{path}: no client row could be used, so nothing was written."]
        assert not out.exists()
        return
    assert code == 0 and errors == []
    clients = f"{expect.kept:,} client" + ("" if expect.kept == 1 else "s")
    assert captured.out.startswith(f"Scored {clients} into {out} (best match: ")
    scored = pd.read_csv(out)
    assert len(scored) == expect.kept
    assert pd.api.types.is_numeric_dtype(scored["match_Medical massage"])


# --- files: the uploaders on Position my clinic -------------------------------------------------


def _clinic_session() -> AppTest:
    at = AppTest.from_file(str(APP_FILE), default_timeout=60)
    at.run()
    at.switch_page(CLINIC).run()
    assert not at.exception
    return at


@pytest.fixture(scope="module")
def survey_page():
    """One visitor's session, shared by the upload tests (each starts from a good upload)."""
    at = _clinic_session()
    yield at
    assert state_problems(at) == []


@pytest.fixture(scope="module")
def menu_page():
    at = _clinic_session()
    yield at
    assert state_problems(at) == []


def table_values(at: AppTest, column: str) -> list[str] | None:
    """The one-column table of notes (AppTest does not keep a dataframe's key), or None."""
    for node in walk(at.main):
        if type(node).__name__ == "Dataframe" and list(node.value.columns) == [column]:
            return node.value[column].tolist()
    return None


def mapping_refusal(at: AppTest) -> str | None:
    """The mapping step's refusal (a file whose columns match no criterion waits there)."""
    errors = [e for e in at.error if e.value == "This mapping cannot be used yet:"]
    if not errors:
        return None
    found = texts_after(at, lambda n: type(n).__name__ == "Error" and "mapping" in n.value)
    return found[0].removesuffix(" " + MAPPING_KEPT)


@pytest.mark.parametrize("case", FILE_CASES, ids=ids(FILE_CASES))
def test_survey_upload_on_the_page(case: FileCase, survey_page: AppTest) -> None:
    at = survey_page
    uploader = survey_uploader(at)
    uploader.set_value(("good.csv", GOOD_SURVEY, "text/csv")).run()
    assert in_use_line(at) == [IN_USE.format(clients="3 clients")]
    name = f"{case.id}.csv"
    survey_uploader(at).set_value((name, case.data(SURVEY), "text/csv")).run()
    if survey_state(at).pending is not None and not at.error:
        at.button(key="sm_confirm_mapping").click().run()  # the owner confirms the proposal
    assert not at.exception, [e.value for e in at.exception]
    expect = case.expect(SURVEY)
    if expect.refused is not None or expect.kept == 0:
        message = refusal(at) or mapping_refusal(at)
        assert message is not None, values(at.text)
        assert_clear(message, name)
        if expect.refused is not None:
            assert message.startswith(f"{name}: {refusal_text(expect, PAGE_LIMIT)}")
            assert refusal_reasons(at) == []
        else:
            assert message == f"{name}: {NO_ROW}"
            assert_notes(refusal_reasons(at), expect, name)
        # nothing is lost: the last good upload is still the one in use
        assert in_use_line(at) == [IN_USE.format(clients="3 clients")]
        assert survey_in_use(at).name == "good.csv"
        return
    assert values(at.error) == []
    clients = f"{expect.kept:,} client" + ("" if expect.kept == 1 else "s")
    assert in_use_line(at) == [IN_USE.format(clients=clients)]
    assert len(survey_in_use(at).frame) == expect.kept
    assert_notes(survey_notes(at) or [], expect, name)


@pytest.mark.parametrize("case", FILE_CASES, ids=ids(FILE_CASES))
def test_menu_upload_on_the_page(case: FileCase, menu_page: AppTest) -> None:
    at = menu_page
    at.file_uploader(key="pc_menu_upload").set_value(("good-menu.csv", GOOD_MENU, "text/csv")).run()
    assert at.session_state["pc_menu"][NAME].tolist() == ["Sports massage"]
    name = f"{case.id}.csv"
    at.file_uploader(key="pc_menu_upload").set_value((name, case.data(MENU), "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    expect = case.expect(MENU)
    if expect.refused is not None:
        assert values(at.error) == ["This menu file could not be used; your menu stays as it was."]
        message = texts_after(at, lambda n: type(n).__name__ == "Error")[0]
        assert_clear(message, name)
        assert message.startswith(f"{name}: {refusal_text(expect, MENU_LIMIT)}")
        assert at.session_state["pc_menu"][NAME].tolist() == ["Sports massage"]  # kept
        return
    assert values(at.error) == []
    assert len(at.session_state["pc_menu"]) == expect.kept
    assert_notes(table_values(at, "Problem") or [], expect, name)


# --- share links --------------------------------------------------------------------------------


def assert_inert_notice(notice: str) -> None:
    """A notice quotes only plain ASCII words and numbers of the link, never markup."""
    for quoted in re.findall(r"'([^']*)'", notice):
        assert re.fullmatch(r"-?[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)*(?:\.[0-9]+)?", quoted), notice
    assert not re.search(r"[<>&*`\[\]\\|~$]|__|www\.|https?:", notice), notice


@pytest.mark.parametrize("case", LINK_CASES, ids=ids(LINK_CASES))
def test_share_link_parser(case: LinkCase) -> None:
    state = parse_share_params(case.params, CATALOG)
    assert tuple(state.notices) == case.notices
    assert state.weights == case.weights
    assert state.flags == case.flags
    for notice in state.notices:
        assert_inert_notice(notice)


@pytest.mark.parametrize("case", LINK_CASES, ids=ids(LINK_CASES))
def test_share_link_on_the_find_page(case: LinkCase, open_page) -> None:
    at = open_page(FIND, query=case.params)  # fails on any exception
    notices = [w for w in values(at.warning) if w.startswith("Share link: ")]
    assert notices == [f"Share link: {notice}" for notice in case.notices]
    expected = restored_weights(parse_share_params(case.params, CATALOG), CATALOG)
    assert {cid: at.slider(key=f"w_{cid}").value for cid in CRITERIA} == expected
    assert values(at.title) == ["Find my massage"]
    ticked = (
        [f for f in CATALOG.red_flags.index if at.checkbox(key=f"flag_{f}").value]
        if (at.session_state["fm_screen"] == "some")
        else []
    )
    assert ticked == (case.flags or [])
    assert at.query_params.get("safety") == (
        None if case.flags is None else ",".join(case.flags) or "none"
    )


# --- names the owner types ----------------------------------------------------------------------


def text_elements(at: AppTest) -> list[str]:
    """Every text the page renders as markdown: bodies, alerts, captions, labels."""
    texts = []
    for node in walk(at.main):
        kind = type(node).__name__
        if kind in ("Markdown", "Caption", "Success", "Info", "Warning", "Error", "Title"):
            texts.append(node.value)
        elif kind in ("Header", "Subheader", "Exception"):
            texts.append(str(node.value))
        elif kind in ("Expander", "Status", "Metric"):
            texts.append(node.label)
    return texts


def assert_never_markup(at: AppTest, name: str) -> None:
    """The name is shown only as inert text: no element may render HTML, markdown gets it
    escaped, plotly gets < > & as entities."""
    flags = [
        node.proto.allow_html
        for node in walk(at.main)
        if getattr(node, "proto", None) is not None and hasattr(node.proto, "allow_html")
    ]
    assert flags and not any(flags)
    texts = text_elements(at)
    plain = [node.value for node in walk(at.main) if type(node).__name__ == "Text"]
    # it is shown: as escaped markdown, or as plain text (st.text never reads markup)
    assert any(escape_md(name) in text for text in texts) or any(name in t for t in plain)
    if MARKUP.search(name):
        raw = [text for text in texts if name in text]
        assert raw == [], raw
    charts = {el.key: json.loads(el.proto.spec) for el in at.get("plotly_chart")}
    heatmap = charts["heatmap_chart"]["data"][0]
    # escaped, in short lines for a phone (services are the heatmap's rows)
    assert wrapped_label(name, HEATMAP_SERVICE_WIDTH) in heatmap["y"]
    if re.search(r"[<>&]", name):
        for key, fig in charts.items():
            assert name not in json.dumps(fig, ensure_ascii=False), key


def exported_names(data: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    return [line[0] for line in rows[1:]]


def add_service(at: AppTest, name: str) -> AppTest:
    # set_value, not input: the browser cuts typing at max_chars, a crafted client need not
    at.text_input(key="pc_new_name").set_value(name)
    at.selectbox(key="pc_new_start").select("medical").run()
    return at.button(key="pc_add_service").click().run()


@pytest.mark.parametrize("case", NAME_CASES, ids=ids(NAME_CASES))
def test_name_in_the_service_designer(case: NameCase, open_page, downloads) -> None:
    at = add_service(open_page(CLINIC), case.name)
    assert not at.exception
    menu = at.session_state["pc_menu"]
    if case.refused_in_the_designer is not None:
        assert values(at.error) == [case.refused_in_the_designer]
        assert menu.empty
        return
    assert values(at.error) == []
    assert menu[NAME].tolist() == [case.typed.strip()]
    assert_never_markup(at, case.typed)
    # the download offered is the menu, with a formula made inert by one apostrophe
    (exported,) = exported_names(downloads["clinic-menu.csv"])
    assert exported == neutralise(case.typed.strip())
    assert not exported.startswith(FORMULA_TRIGGERS)


@pytest.mark.parametrize("case", NAME_CASES, ids=ids(NAME_CASES))
def test_name_in_a_menu_csv(case: NameCase) -> None:
    data = csv_text(MENU, [[case.name, *[4] * len(CRITERIA)], row(MENU, 2)]).encode()
    imported = read_menu(data, CRITERIA, RESERVED, name="menu.csv")
    if case.refused is not None:
        named = f"the service named {note_quoted(case.name)}" if case.name.strip() else "a service"
        left_out = f"{named} was left out: {case.refused}"
        assert imported.problems == [left_out]
        assert imported.menu[NAME].tolist() == ["Service 2"]
    else:
        assert imported.problems == []
        assert imported.menu[NAME].tolist() == [case.name.strip(), "Service 2"]


@pytest.mark.parametrize("case", NAME_CASES, ids=ids(NAME_CASES))
def test_name_in_the_exported_menu(case: NameCase) -> None:
    """Exported, no cell starts a formula; read back, the name is the same; or it is refused."""
    menu = empty_menu(CRITERIA)
    menu.loc[0] = [case.name, *[4] * len(CRITERIA)]
    data = menu_csv(menu)
    (exported,) = exported_names(data)
    assert not exported.startswith(FORMULA_TRIGGERS)
    assert exported == neutralise(case.name)
    if case.refused is not None:
        with pytest.raises(InputFileError) as caught:
            read_menu(data, CRITERIA, RESERVED, name="clinic-menu.csv")
        named = f"the service named {note_quoted(case.name)}" if case.name.strip() else "a service"
        left_out = f"{named} was left out: {case.refused}"
        assert str(caught.value) == f"clinic-menu.csv: no usable service in the file. {left_out}"
        assert caught.value.reasons == [left_out]
    else:
        again = read_menu(data, CRITERIA, RESERVED, name="clinic-menu.csv")
        assert again.menu[NAME].tolist() == [case.name.strip()]


# --- a damaged catalog --------------------------------------------------------------------------


def assert_problems(problems: list[str], case: CatalogCase) -> None:
    assert len(problems) == len(case.problems), problems
    for problem, expected in zip(problems, case.problems, strict=True):
        assert problem.startswith(expected), (problem, expected)


@pytest.mark.parametrize("case", CATALOG_CASES, ids=ids(CATALOG_CASES))
def test_catalog_loader(case: CatalogCase, tmp_path: Path) -> None:
    folder = damaged_copy(case, tmp_path)
    if not case.loader:
        assert load_catalog(folder).criterion_ids == CRITERIA  # only the app reads this file
        return
    with pytest.raises(CatalogError) as caught:
        load_catalog(folder)
    assert_problems(caught.value.problems, case)


@pytest.mark.parametrize("case", CATALOG_CASES, ids=ids(CATALOG_CASES))
def test_app_with_a_damaged_catalog_shows_one_error_page(
    case: CatalogCase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_ENV, str(damaged_copy(case, tmp_path)))
    at = AppTest.from_file(str(APP_FILE), default_timeout=30)
    for page in (None, CLINIC):  # the start page, then the page that reads the sample survey
        if page is None:
            at.run()
        else:
            at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        assert values(at.title) == ["Massage Advisor cannot start"]
        (error,) = values(at.error)
        assert error.startswith("The app's data catalog is damaged, so no page can be shown.")
        (code,) = values(at.code)
        assert_problems(code.split("\n"), case)
        assert at.get("plotly_chart") == []


def summary() -> str:
    return (
        f"{CASE_COUNT} bad inputs ({len(FILE_CASES)} files, {len(LINK_CASES)} share links, "
        f"{len(NAME_CASES)} names, {len(CATALOG_CASES)} damaged catalogs) through "
        f"{RUN_COUNT} input-and-path runs, each with its expected clear message"
    )


if __name__ == "__main__":
    print(summary())
