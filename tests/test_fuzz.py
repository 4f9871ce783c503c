"""Fuzzing the three doors a stranger's input comes through: the survey and menu readers, the
share-link parser, and the CSV writer everything is exported with.

Properties: a reader raises nothing but InputFileError (an AdvisorError, with a message for a
person), and what it keeps is valid; the link parser raises nothing at all and its notices never
echo markup; an exported text cell never starts a spreadsheet formula unless neutralised by a
leading apostrophe, and numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import math
import re

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.clinic.menu import MAX_NAME_LENGTH, MAX_SERVICES, NAME, check_name, read_menu
from advisor.clinic.survey import score_survey
from advisor.decision.sensitivity import CERTAINTY_BANDS
from advisor.decision.share_link import BLANK_PRESET, CERTAINTY, PRESET, parse_share_params
from advisor.errors import AdvisorError, InputFileError
from advisor.files.reading import CLIENT_ID, read_survey
from advisor.files.writing import to_csv_bytes
from tests.corpus.files import CATALOG, CRITERIA, RESERVED

NAMES = {t: CATALOG.type_name(t) for t in CATALOG.type_ids}

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# What a spreadsheet runs as a formula when a cell starts with it (the list).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")

# --- strategies -----------------------------------------------------------------------------------

any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
nasty_text = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<b>x</b>",
        "=1+1",
        "+cmd",
        "-2",
        "@SUM(A1)",
        "\tx",
        "\rx",
        "\0x",
        "'=x",
        "\u202eabc",
        "\U0001f486\u200d\u2640\ufe0f",
        "\u062a\u062f\u0644\u064a\u0643",
        "Medical massage",
        "www.evil.co",
        "__x__",
        "[a](b)",
        '"',
        '""',
        "a\nb",
        "x" * 70,
    ]
)
number_cell = st.one_of(
    st.integers(-5, 15).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", " ", "5,5", "5.5", "1e308", "-0", "NaN", "inf", "1e309", "0x10", "٥"]),
)
header_cell = st.sampled_from(
    [*CRITERIA[:4], CLIENT_ID, NAME, "note", "", " Relaxation ", "relaxation", "=cmd", "name"]
)


@st.composite
def csv_files(draw: st.DrawFn, id_column: str) -> bytes:
    """A CSV with a plausible header and rows of good and bad cells, in varied encodings."""
    sep = draw(st.sampled_from([",", ";", "\t"]))
    header = draw(st.lists(header_cell, min_size=1, max_size=7))
    if draw(st.booleans()):
        header = [id_column, *header]
    width = len(header)
    rows = []
    for _ in range(draw(st.integers(0, 14))):
        cells = draw(
            st.lists(number_cell | nasty_text | any_text, min_size=width - 1, max_size=width + 1)
        )
        rows.append(cells)
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONE]))
    buffer = io.StringIO()
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    writer = csv.writer(
        buffer, delimiter=sep, quoting=quoting, escapechar="\\", lineterminator=newline
    )
    for cells in [header, *rows]:
        try:
            writer.writerow(cells)
        except csv.Error:
            buffer.write(sep.join(cells) + newline)
    text = buffer.getvalue()
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    return text.encode(encoding, errors="replace")


raw_bytes = st.binary(max_size=3000)


# --- the readers --------------------------------------------------------------------------------


def _check_survey(data: bytes) -> None:
    try:
        imported = read_survey(data, CRITERIA, name="fuzz.csv")
    except InputFileError as error:
        assert str(error).startswith("fuzz.csv: ") and "\n" not in str(error)
        return
    frame = imported.frame
    assert list(frame.columns) == [CLIENT_ID, *CRITERIA]
    weights = frame[list(CRITERIA)].to_numpy(dtype=float)
    answered = weights[~np.isnan(weights)]  # NaN: a blank answer
    assert not np.isinf(weights).any() and ((answered >= 0) & (answered <= 10)).all()
    # the file is named once, by whoever shows the notes; no note names it again
    assert imported.source == "fuzz.csv"
    assert not any(problem.startswith("fuzz.csv") for problem in imported.problems)
    # and the scored export of what was kept keeps its numbers numeric
    exported = pd.read_csv(
        io.BytesIO(to_csv_bytes(score_survey(frame, CATALOG.fits, CATALOG.segment_weights, NAMES)))
    )
    for column in [*CRITERIA, "match_Medical massage", "match_Spa massage"]:
        assert pd.api.types.is_numeric_dtype(exported[column]) or frame.empty, column


def _check_menu(data: bytes) -> None:
    try:
        imported = read_menu(data, CRITERIA, RESERVED, name="fuzz-menu.csv")
    except InputFileError as error:
        assert str(error).startswith("fuzz-menu.csv: ")
        return
    menu = imported.menu
    assert 1 <= len(menu) <= MAX_SERVICES
    names = menu[NAME].tolist()
    for position, name in enumerate(names):
        assert 1 <= len(name) <= MAX_NAME_LENGTH
        assert check_name(name, [*RESERVED, *names[:position]]) is None
    fits = menu[list(CRITERIA)]
    assert fits.apply(lambda c: c.between(0, 10)).all().all()
    assert (fits == fits.round(1)).all().all()  # one decimal kept
    assert not any(problem.startswith("fuzz-menu.csv") for problem in imported.problems)


@FUZZ
@given(data=raw_bytes)
def test_survey_reader_on_raw_bytes(data: bytes) -> None:
    _check_survey(data)


@FUZZ
@given(data=csv_files(CLIENT_ID))
def test_survey_reader_on_structured_csv(data: bytes) -> None:
    _check_survey(data)


@FUZZ
@given(data=raw_bytes)
def test_menu_reader_on_raw_bytes(data: bytes) -> None:
    _check_menu(data)


@FUZZ
@given(data=csv_files(NAME))
def test_menu_reader_on_structured_csv(data: bytes) -> None:
    _check_menu(data)


# --- share links --------------------------------------------------------------------------------

link_key = st.one_of(st.sampled_from([*CRITERIA, PRESET, CERTAINTY]), any_text, nasty_text)
link_value = st.one_of(
    st.integers(-20, 30).map(str),
    st.sampled_from([*CATALOG.presets.index, BLANK_PRESET, *CERTAINTY_BANDS]),
    any_text,
    nasty_text,
)
links = st.dictionaries(link_key, st.lists(link_value, max_size=3), max_size=50)
# A notice may quote only ASCII words and numbers: nothing markdown or HTML would act on.
QUOTED = re.compile(r"-?[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)*(?:\.[0-9]+)?")


@FUZZ
@given(params=links)
def test_share_link_parser_never_fails_and_never_echoes_markup(
    params: dict[str, list[str]],
) -> None:
    state = parse_share_params(params, CATALOG)  # nothing may escape
    assert set(state.weights) <= set(CRITERIA)
    assert all(isinstance(w, int) and 0 <= w <= 10 for w in state.weights.values())
    assert state.preset in (None, BLANK_PRESET, *CATALOG.presets.index)
    assert state.certainty in (None, *CERTAINTY_BANDS)
    for notice in state.notices:
        for quoted in re.findall(r"'([^']*)'", notice):
            assert QUOTED.fullmatch(quoted), notice
        assert not re.search(r"[<>&*`\[\]\\|~$]|__|www\.|https?:", notice), notice
        assert notice.isascii() and notice.isprintable()


# --- exports ------------------------------------------------------------------------------------

text_cell = st.one_of(
    any_text,
    nasty_text,
    st.builds(lambda t, rest: t + rest, st.sampled_from((*TRIGGERS, "'", "''=")), any_text),
)
number = st.one_of(
    st.integers(-(10**6), 10**6).map(float),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.just(math.nan),
)


@st.composite
def frames(draw: st.DrawFn) -> tuple[pd.DataFrame, list[str], list[str]]:
    n = draw(st.integers(0, 8))
    text_columns = draw(st.lists(text_cell, min_size=1, max_size=3, unique=True))
    number_columns = draw(
        st.lists(
            st.sampled_from(["relaxation", "match_spa", "-score", "=n", "count"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    text_columns = [f"t{i}:{c}" for i, c in enumerate(text_columns)]
    columns = {
        c: pd.Series(draw(st.lists(text_cell, min_size=n, max_size=n)), dtype=object)
        for c in text_columns
    }
    for column in number_columns:
        columns[column] = pd.Series(draw(st.lists(number, min_size=n, max_size=n)), dtype=float)
    return pd.DataFrame(columns), text_columns, number_columns


def _neutralised_or_plain(cell: str) -> bool:
    return cell.startswith("'") or not cell.startswith(TRIGGERS)


@FUZZ
@given(drawn=frames())
def test_exported_text_never_starts_a_formula_and_numbers_stay_numbers(drawn) -> None:
    frame, text_columns, number_columns = drawn
    data = to_csv_bytes(frame)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    header, body = rows[0], rows[1:]
    assert len(header) == len(frame.columns) and len(body) == len(frame)
    assert all(_neutralised_or_plain(cell) for cell in header)
    positions = {column: i for i, column in enumerate(frame.columns)}
    for line in body:
        for column in text_columns:
            assert _neutralised_or_plain(line[positions[column]]), line[positions[column]]
        for column in number_columns:
            cell = line[positions[column]]
            assert cell == "" or math.isfinite(float(cell)), cell  # a number, or empty for NaN
    back = pd.read_csv(io.BytesIO(data), keep_default_na=True)
    for column in number_columns:
        series = back.iloc[:, positions[column]]
        assert pd.api.types.is_numeric_dtype(series) or series.isna().all(), column
        np.testing.assert_allclose(
            series.to_numpy(dtype=float), frame[column].to_numpy(dtype=float), rtol=1e-12
        )


def test_every_reader_error_is_an_advisor_error() -> None:
    assert issubclass(InputFileError, AdvisorError)
