"""advisor.files: the forgiving, bounded CSV reader, batch scoring, the spreadsheet-safe writer."""

from __future__ import annotations

import io
import string
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from advisor.catalog import DATA_DIR, SAMPLE_SURVEY_FILE, Catalog
from advisor.clinic.survey import score_survey
from advisor.errors import InputFileError
from advisor.files.notes import COMMAND_LINE
from advisor.files.reading import CLIENT_ID, SurveyImport, read_survey
from advisor.files.rows import SUMMARY_LABELS
from advisor.files.writing import to_csv_bytes
from tests.corpus.files import CRITERIA

PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def survey_text(rows: list[list[object]], sep: str = ",", header: list[str] | None = None) -> str:
    """A survey CSV as text: client_id and every criterion unless another header is given."""
    header = header if header is not None else [CLIENT_ID, *CRITERIA]
    lines = [sep.join(header)] + [sep.join(str(cell) for cell in row) for row in rows]
    return "\n".join(lines) + "\n"


def row(client: str, value: object = 5, **cells: object) -> list[object]:
    """One survey row: every criterion at `value` except the ones named."""
    return [client, *(cells.get(c, value) for c in CRITERIA)]


def read(text: str | bytes, **kwargs) -> SurveyImport:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_survey(data, CRITERIA, **kwargs)


def problems_text(imported: SurveyImport) -> str:
    """The notes, each after the file's name (a note itself never names the file)."""
    return "\n".join(f"{imported.source}: {p}" for p in imported.worded(COMMAND_LINE))


# --- the sample survey --------------------------------------------------------------------------


def test_the_sample_survey_reads_without_a_problem(catalog: Catalog) -> None:
    data = (DATA_DIR / SAMPLE_SURVEY_FILE).read_bytes()
    imported = read_survey(data, catalog.criterion_ids, name=SAMPLE_SURVEY_FILE)
    assert imported.problems == []
    assert imported.rows_read == imported.rows_kept >= 500
    assert imported.rows_dropped == 0
    assert list(imported.frame.columns) == [CLIENT_ID, *catalog.criterion_ids]
    expected = pd.read_csv(DATA_DIR / SAMPLE_SURVEY_FILE)
    assert imported.frame[CLIENT_ID].tolist() == expected[CLIENT_ID].tolist()
    np.testing.assert_array_equal(
        imported.frame[list(CRITERIA)].to_numpy(), expected[list(CRITERIA)].to_numpy(dtype=float)
    )


def test_a_survey_s_weights_are_float32_and_a_menu_s_fits_float64() -> None:
    imported = read(survey_text([row("Ana", 7.25), row("Ben", 3.33), row("Cy", "")]))
    weights = imported.frame[list(CRITERIA)]
    assert set(weights.dtypes) == {np.dtype(np.float32)}  # half the memory of float64
    assert weights[CRITERIA[0]].tolist() == [np.float32(7.25), np.float32(3.33)]
    menu = read_survey(
        survey_text([row("Hybrid", 3.33)], header=["name", *CRITERIA]).encode(),
        CRITERIA,
        id_column="name",
        blanks=False,
    )
    assert menu.frame[CRITERIA[0]].tolist() == [3.33]  # a menu's fits keep float64


# --- encodings and delimiters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter", "client", "first_value"),
    [
        pytest.param(
            survey_text([row("Ana", 5)]).encode("utf-8"), "utf-8", ",", "Ana", 5.0, id="plain"
        ),
        pytest.param(
            b"\xef\xbb\xbf" + survey_text([row("Ana", 5)]).encode("utf-8"),
            "utf-8 (with BOM)",
            ",",
            "Ana",
            5.0,
            id="bom",
        ),
        pytest.param(
            survey_text([row("Ana", "5,5")], sep=";").encode("utf-8"),
            "utf-8",
            ";",
            "Ana",
            5.5,
            id="semicolon-decimal-comma",
        ),
        pytest.param(
            survey_text([row("José Müller", 7)]).encode("latin-1"),
            "windows-1252",
            ",",
            "José Müller",
            7.0,
            id="latin-1",
        ),
        pytest.param(
            survey_text([row("Ana", 2.5)], sep="\t").encode("utf-8"),
            "utf-8",
            "\t",
            "Ana",
            2.5,
            id="tabs",
        ),
        pytest.param(
            survey_text([row("Zoë", 3)]).replace("\n", "\r\n").encode("utf-8"),
            "utf-8",
            ",",
            "Zoë",
            3.0,
            id="crlf-and-utf8-text",
        ),
        pytest.param(
            survey_text(
                [row("Ana", 4)], header=[CLIENT_ID.upper(), *(" " + c for c in CRITERIA)]
            ).encode("utf-8"),
            "utf-8",
            ",",
            "Ana",
            4.0,
            id="header-case-and-spaces",
        ),
    ],
)
def test_encodings_and_delimiters(
    data: bytes, encoding: str, delimiter: str, client: str, first_value: float
) -> None:
    imported = read(data)
    assert imported.problems == []
    assert imported.encoding == encoding
    assert imported.delimiter == delimiter
    assert imported.rows_kept == 1
    assert imported.frame.at[0, CLIENT_ID] == client
    assert imported.frame.loc[0, list(CRITERIA)].tolist() == [first_value] * len(CRITERIA)


def test_columns_in_another_order_are_put_in_catalog_order() -> None:
    header = [*reversed(CRITERIA), CLIENT_ID]
    values = list(range(len(CRITERIA)))  # long_indulgent = 0 ... health_condition = 12 % 11
    values = [v % 11 for v in values]
    imported = read(survey_text([[*values, "Ana"]], header=header))
    assert imported.problems == []
    assert list(imported.frame.columns) == [CLIENT_ID, *CRITERIA]
    assert imported.frame.loc[0, list(CRITERIA)].tolist() == [float(v) for v in reversed(values)]


# --- header problems ----------------------------------------------------------------------------


def test_unknown_column_is_reported_and_ignored() -> None:
    header = [CLIENT_ID, *CRITERIA, "favourite_oil"]
    imported = read(survey_text([[*row("Ana", 5), "lavender"]], header=header))
    assert imported.problems == ["columns that match no criterion, left out: favourite_oil."]
    assert "favourite_oil" not in imported.frame.columns
    assert imported.rows_kept == 1


def test_a_column_the_owner_chose_to_leave_out_is_said_as_their_choice_not_unknown() -> None:
    from advisor.files import mapping as mp
    from advisor.files.reading import apply_mapping, read_table

    header = [CLIENT_ID, *CRITERIA, "Timestamp"]
    text = survey_text([[*row("Ana", 5), "2025-06-10"]], header=header).encode()
    words = mp.Vocabulary(tuple(CRITERIA))
    table = read_table(text, words, "form.csv")
    mapping = {**table.proposed(), "Timestamp": mp.IGNORE}
    imported = apply_mapping(table, mapping, words, by_owner=True)
    assert imported.problems == ["columns you chose to leave out: Timestamp."]
    assert apply_mapping(table, mapping, words).problems == [
        "columns that match no criterion, left out: Timestamp."
    ]


def test_many_unknown_columns_are_summarised() -> None:
    extra = [f"extra{i}" for i in range(12)]
    header = [*CRITERIA, *extra]
    imported = read(survey_text([[5] * len(header)], header=header))
    assert "extra0" in problems_text(imported)
    assert "and 2 more" in problems_text(imported)
    assert "extra11" not in problems_text(imported)


def test_missing_criterion_is_reported_and_set_to_zero() -> None:
    header = [CLIENT_ID, *(c for c in CRITERIA if c != "care_team")]
    imported = read(survey_text([["Ana", *([6] * 12)]], header=header))
    assert imported.problems == ["no column gives these criteria, so each counts 0: care_team."]
    assert imported.frame.at[0, "care_team"] == 0.0
    assert imported.frame.at[0, "relaxation"] == 6.0


def test_duplicate_column_is_reported_and_the_first_is_used() -> None:
    header = [CLIENT_ID, *CRITERIA, "relaxation"]
    imported = read(survey_text([[*row("Ana", 5), 9]], header=header))
    assert any(
        "the header row has column relaxation more than once" in p and "column 3" in p
        for p in imported.problems
    )
    assert imported.frame.at[0, "relaxation"] == 5.0


def test_without_client_id_rows_are_named_after_their_spreadsheet_row() -> None:
    imported = read(survey_text([[5] * 13, ["x"] * 13, [6] * 13], header=list(CRITERIA)))
    assert imported.frame[CLIENT_ID].tolist() == ["row-2", "row-4"]


@pytest.mark.parametrize(
    ("data", "match"),
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"  \n\n \r\n", "empty", id="blank-lines"),
        pytest.param(
            b"name,age\nAna,40\n", "no column could be matched to a criterion", id="no-criteria"
        ),
        pytest.param(b"\x00\x01\x02relaxation\n5\n", "binary", id="binary"),
        pytest.param(b"PK\x03\x04" + b"\x00" * 50, "cannot be read as a workbook", id="zip-file"),
        pytest.param(
            ",".join(f"c{i}" for i in range(1001)).encode() + b"\n",
            "1,001 columns",
            id="too-many-columns",
        ),
    ],
)
def test_unusable_files_raise_input_file_error(data: bytes, match: str) -> None:
    with pytest.raises(InputFileError, match=match) as caught:
        read(data, name="upload.csv")
    assert str(caught.value).startswith("upload.csv: ")


def test_header_only_gives_an_empty_frame(catalog: Catalog) -> None:
    imported = read(survey_text([]))
    assert imported.problems == []
    assert imported.rows_read == imported.rows_kept == imported.rows_dropped == 0
    assert list(imported.frame.columns) == [CLIENT_ID, *CRITERIA]
    assert len(imported.frame) == 0
    names = {t: catalog.type_name(t) for t in catalog.type_ids}
    scored = score_survey(imported.frame, catalog.fits, catalog.segment_weights, names)
    assert len(scored) == 0
    assert "best_match" in scored.columns


def test_header_only_with_a_repeated_column() -> None:
    """Found by hypothesis: pandas raised IndexError on this header with no rows."""
    imported = read("health_condition,health_condition,client_id")
    assert len(imported.frame) == 0
    assert "the header row has column health_condition more than once" in problems_text(imported)


def test_header_only_without_a_final_newline() -> None:
    imported = read(",".join([CLIENT_ID, *CRITERIA]))
    assert len(imported.frame) == 0
    assert list(imported.frame.columns) == [CLIENT_ID, *CRITERIA]


# --- bounds -------------------------------------------------------------------------------------


def test_file_over_max_bytes_is_refused() -> None:
    data = survey_text([row(f"c{i}", 5) for i in range(50)]).encode()
    with pytest.raises(InputFileError, match="over the limit"):
        read(data, max_bytes=len(data) - 1)
    assert read(data, max_bytes=len(data)).rows_kept == 50


def test_rows_over_max_rows_are_refused() -> None:
    text = survey_text([row(f"c{i}", 5) for i in range(11)])
    with pytest.raises(InputFileError, match="more than 10 rows"):
        read(text, max_rows=10)
    assert read(text, max_rows=11).rows_kept == 11


# --- faulty cells -------------------------------------------------------------------------------


UNREAD_FIX = (
    "; expected numbers 0-10 (the app's own); correct those cells, or choose the scale the "
    "survey used."
)


def unread_note(count: int, why: str, places: str, cli: bool = False) -> str:
    """The one note on answers that cannot be read (answers.unreadable_note), on 0-10: its
    text, or with `cli` as the command line words it (where to choose the scale)."""
    they = "it counts" if count == 1 else "they count"
    text = (
        f"{count} answer{'s' if count != 1 else ''} could not be read, so {they} as blank and "
        f"each client is scored on the other answers ({why}): {places}{UNREAD_FIX}"
    )
    return text.removesuffix(".") + " (command line: --scale)." if cli else text


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ("lots", "1 not a number"),
        ("11", "1 outside 0..10"),
        ("-1", "1 outside 0..10"),
        ("10.5", "1 outside 0..10"),
        ("nan", "1 not a number"),
        ("inf", "1 not a number"),
        ("-inf", "1 not a number"),
        ("Infinity", "1 not a number"),
        ("-Infinity", "1 not a number"),
        ("5 stars", "1 not a number"),
    ],
)
def test_a_faulty_cell_counts_as_blank_and_the_client_is_scored_on_the_rest(
    cell: str, why: str
) -> None:
    rows = [row("Ana", 5), row("Ben", 5, pain_relief=cell), row("Cy", 7)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # inf once raised a RuntimeWarning in rows.py
        imported = read(survey_text(rows))
    shown = cell.replace("Infinity", "inf")  # read as a number, shown as one
    assert unread_note(1, why, f"'{shown}' (row 3, column 'pain_relief')") in imported.problems
    assert imported.frame[CLIENT_ID].tolist() == ["Ana", "Ben", "Cy"]
    ben = imported.frame.iloc[1]
    assert np.isnan(ben["pain_relief"])  # no weight, in no average
    assert ben[[c for c in CRITERIA if c != "pain_relief"]].tolist() == [5.0] * 12
    assert imported.rows_read == 3
    assert imported.rows_dropped == 0
    assert imported.rows_kept == 3
    assert "faulty cell and were left out" not in problems_text(imported)


def test_out_of_range_numbers_are_shown_as_written() -> None:
    imported = read(survey_text([row("Ana", 5), row("Ben", 5, relaxation=11)]))
    message = next(p for p in imported.problems if "row 3" in p)
    assert message == unread_note(1, "1 outside 0..10", "'11' (row 3, column 'relaxation')")


def test_several_faulty_cells_in_several_rows() -> None:
    rows = [
        row("Ana", 5, wellbeing="x"),
        row("Ben", 5),
        row("Cy", 5, care_team="", long_indulgent=12),
        row("Di", 10),
    ]
    imported = read(survey_text(rows))
    assert imported.problems == [
        unread_note(
            2,
            "1 not a number, 1 outside 0..10",
            "'x' (row 2, column 'wellbeing') and '12' (row 4, column 'long_indulgent')",
        ),
        "1 answer was left blank by 1 client (row 4 (1)); each is scored on the questions "
        "they answered, and a blank counts in no average.",
    ]
    assert imported.frame[CLIENT_ID].tolist() == ["Ana", "Ben", "Cy", "Di"]
    assert imported.rows_dropped == 0
    weights = imported.frame.set_index(CLIENT_ID)
    assert np.isnan(weights.loc["Ana", "wellbeing"]) and weights.loc["Ana", "relaxation"] == 5
    assert np.isnan(weights.loc["Cy", "care_team"]) and np.isnan(
        weights.loc["Cy", "long_indulgent"]
    )
    assert weights.loc["Cy"].count() == 11


def test_faulty_cells_are_listed_up_to_a_bound() -> None:
    rows = [row(f"c{i}", "x") for i in range(30)]
    imported = read(survey_text(rows))
    (listed,) = [p for p in imported.problems if ", column " in p]
    assert listed == unread_note(
        390,
        "390 not numbers",
        "'x' (row 2, column 'health_condition'), 'x' (row 2, column 'relaxation'), 'x' (row 2, "
        "column 'wellbeing') and 387 more",
    )
    (note,) = [n for n in imported.notes if n.kind == "faults" and n.columns]
    assert len(note.rows) == 100 and note.values[:1] == ("x",)  # kept for a page's table
    # no client has an answer that can be read: each is left out, all named in one note
    assert imported.problems[-1] == (
        "30 rows have no answer that could be read and were left out: rows 2, 3, 4 and 27 more."
    )
    assert imported.rows_kept == 0
    assert imported.rows_dropped == 30


def test_a_row_with_too_few_cells_is_reported() -> None:
    text = survey_text([row("Ana", 5)]) + "Ben,1,8\n" + survey_text([row("Cy", 3)]).split("\n")[1]
    imported = read(text)
    # the cells the row lacks are blank answers: Ben is scored on the two he gave
    assert imported.frame[CLIENT_ID].tolist() == ["Ana", "Ben", "Cy"]
    assert imported.problems == [
        "11 answers were left blank by 1 client (row 3 (11)); each is scored on the questions "
        "they answered, and a blank counts in no average."
    ]
    ben = imported.frame.iloc[1]
    assert ben["health_condition"] == 1.0 and ben["relaxation"] == 8.0
    assert ben[list(CRITERIA[2:])].isna().all()


@pytest.mark.parametrize(
    ("rows", "kept", "reported"),
    [
        pytest.param(
            [[*row("Ana", 5), 9], row("Ben", 5)],
            ["Ben"],
            "1 row has more cells than the header's 14: row 2.",
            id="first-row",
        ),
        pytest.param(
            [row("Ana", 5), [*row("Ben", 5), 9], row("Cy", 5)],
            ["Ana", "Cy"],
            "1 row has more cells than the header's 14: row 3.",
            id="middle",
        ),
        pytest.param(
            [row("Ana", 5), [*row("Ben", 5), 9, 9, 9], row("Cy", 5)],
            ["Ana", "Cy"],
            "1 row has more cells than the header's 14 (first at line 3)",
            id="three-extra",
        ),
        pytest.param(
            [[*row("Ana", 5), 9, 9, 9], row("Ben", 5)],
            ["Ben"],
            "1 row has more cells than the header's 14: row 2.",
            id="first-row-three-extra",
        ),
    ],
)
def test_a_row_with_too_many_cells_is_reported_and_skipped(
    rows: list[list[object]], kept: list[str], reported: str
) -> None:
    imported = read(survey_text(rows))
    assert imported.frame[CLIENT_ID].tolist() == kept
    assert reported in problems_text(imported)
    # the kept rows hold their own values, not cells shifted from the long row
    assert (imported.frame[list(CRITERIA)] == 5.0).all().all()


def test_too_many_cells_with_an_unknown_column_keeps_the_good_rows() -> None:
    header = [CLIENT_ID, *CRITERIA, "note"]
    rows = [[*row("Ana", 5), "hi", "extra"], [*row("Ben", 6), "ok"]]
    imported = read(survey_text(rows, header=header))
    assert imported.frame[CLIENT_ID].tolist() == ["Ben"]
    assert "more cells than the header" in problems_text(imported)


def test_a_trailing_delimiter_on_every_line_is_harmless() -> None:
    text = survey_text([row("Ana", 5), row("Ben", 6)]).replace("\n", ",\n")
    imported = read(text)
    assert imported.frame[CLIENT_ID].tolist() == ["Ana", "Ben"]
    assert imported.frame["relaxation"].tolist() == [5.0, 6.0]


def test_blank_lines_are_skipped() -> None:
    text = survey_text([row("Ana", 5)]) + "\n\n" + survey_text([row("Ben", 6)]).split("\n")[1]
    imported = read(text)
    assert imported.frame[CLIENT_ID].tolist() == ["Ana", "Ben"]


@pytest.mark.parametrize("after", ["", "Dan," + ",".join(["1"] * 13) + "\n"])
def test_an_unclosed_quote_is_reported_not_silently_swallowed(after: str) -> None:
    """The rows before the quote are kept, with or without lines after it (these once lost
    the whole file)."""
    text = survey_text([row("Ana", 5)]) + '"Ben,' + ",".join(["5"] * 13) + "\n" + after
    imported = read(text)
    assert imported.problems == [
        'line 3: a quote (") opens a cell that is never closed, so this line and '
        "all after it were left out; the row before it is used."
    ]
    assert imported.frame[CLIENT_ID].tolist() == ["Ana"]


# --- properties of the reader and writer --------------------------------------------------------

client_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=20,
)
formula_text = st.builds(
    lambda prefix, rest: prefix + rest,
    st.sampled_from(["=", "+", "-", "@", "'", "'="]),
    client_text,
)
survey_values = st.floats(min_value=0, max_value=10) | st.integers(0, 10).map(float)


@st.composite
def surveys(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(min_value=0, max_value=12))
    # an id that labels a summary row (Total, Average...) is left out by design (rows.py)
    plain = (formula_text | client_text).filter(
        lambda t: t.strip().rstrip(":").strip().casefold() not in SUMMARY_LABELS
    )
    ids = draw(st.lists(plain, min_size=n, max_size=n))
    values = draw(arrays(np.float64, (n, len(CRITERIA)), elements=survey_values))
    frame = pd.DataFrame(values, columns=list(CRITERIA))
    frame.insert(0, CLIENT_ID, pd.Series(ids, dtype=object))
    return frame


def one_client(client_id: str) -> pd.DataFrame:
    frame = pd.DataFrame(np.zeros((1, len(CRITERIA))), columns=list(CRITERIA))
    frame.insert(0, CLIENT_ID, pd.Series([client_id], dtype=object))
    return frame


@PROPERTY
@given(frame=surveys())
@example(frame=one_client("\ufeff"))  # pandas dropped a byte-order mark where it began reading
def test_export_then_import_gives_the_same_survey(frame: pd.DataFrame) -> None:
    imported = read(to_csv_bytes(frame), keep_repeats=True)  # ids drawn may repeat
    assert [n for n in imported.notes if n.kind not in ("repeats", "scale")] == []
    assert imported.rows_dropped == 0
    assert list(imported.frame.columns) == [CLIENT_ID, *CRITERIA]
    # white space around an id is no part of it (" 17" and "17" are one client)
    assert imported.frame[CLIENT_ID].tolist() == [c.strip() for c in frame[CLIENT_ID]]
    # a survey's weights are float32: the written figures, to float32's nearest
    np.testing.assert_array_equal(
        imported.frame[list(CRITERIA)].to_numpy(), frame[list(CRITERIA)].to_numpy(np.float32)
    )


@pytest.mark.parametrize(
    "client",
    [
        "=1+1",
        "+31 6 1234",
        "-5",
        "@SUM(A1)",
        "\tTab",
        "'=already",
        "''-twice",
        "'plain",
        "'",
        "=",
        "\n=x",
        "a\rb",
        "\r",
        "line\r\nbreak",
        "two\nlines",
    ],
)
def test_export_then_import_keeps_formula_like_client_ids(client: str) -> None:
    frame = pd.DataFrame([row(client, 4)], columns=[CLIENT_ID, *CRITERIA])
    data = to_csv_bytes(frame)
    first_cell = data.decode().splitlines()[1].split(",")[0].lstrip('"')
    assert not first_cell.startswith(("=", "+", "-", "@")), "a spreadsheet would run this"
    imported = read(data)
    # as written, but for the white space around it, which is no part of an id
    assert imported.frame[CLIENT_ID].tolist() == [client.strip()]


@PROPERTY
@given(data=st.binary(max_size=2000))
def test_reader_raises_only_input_file_error_on_arbitrary_bytes(data: bytes) -> None:
    _check_read(data)


def _check_read(data: bytes) -> None:
    """Reading `data` gives a clean import, or one InputFileError of one line naming the file."""
    try:
        imported = read(data)
    except InputFileError as error:
        assert str(error).startswith("survey.csv: ")
        assert "\n" not in str(error)
        return
    _check_import(imported)


def _check_import(imported: SurveyImport) -> None:
    frame = imported.frame
    assert list(frame.columns) == [CLIENT_ID, *CRITERIA]
    values = frame[list(CRITERIA)].to_numpy(dtype=float)
    answered = values[~np.isnan(values)]  # NaN is a blank answer
    assert ((answered >= 0) & (answered <= 10)).all()
    assert not np.isnan(values).all(axis=1).any() or not len(values)  # no row without answers
    assert imported.rows_kept == len(frame) == imported.rows_read - imported.rows_dropped
    assert all(isinstance(v, str) for v in frame[CLIENT_ID])
    assert imported.source == "survey.csv"
    for problem in imported.problems:
        assert not problem.startswith("survey.csv")  # the file is named once, by the page
        assert "np.float64" not in problem


header_cell = st.sampled_from([*CRITERIA, CLIENT_ID, "note", "", "Relaxation ", "relaxation"])
data_cell = st.one_of(
    st.integers(-3, 13).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", " ", "x", "5,5", "5.5", '"5"', '"', "nan", "inf", "1e309", "-0", "=1"]),
    st.text(alphabet=string.printable, max_size=6),
)


@st.composite
def csv_texts(draw: st.DrawFn) -> bytes:
    sep = draw(st.sampled_from([",", ";", "\t"]))
    header = draw(st.lists(header_cell, min_size=1, max_size=8))
    width = len(header)
    rows = draw(
        st.lists(st.lists(data_cell, min_size=max(0, width - 2), max_size=width + 2), max_size=12)
    )
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(sep.join(cells) for cells in [header, *rows])
    if draw(st.booleans()):
        text += newline
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1"]))
    return text.encode(encoding, errors="replace")


@PROPERTY
@given(data=csv_texts())
def test_reader_raises_only_input_file_error_on_structured_random_csv(data: bytes) -> None:
    _check_read(data)


@PROPERTY
@given(data=csv_texts(), max_rows=st.integers(min_value=1, max_value=5))
def test_reader_keeps_its_row_bound(data: bytes, max_rows: int) -> None:
    try:
        imported = read(data, max_rows=max_rows)
    except InputFileError:
        return
    assert imported.rows_read <= max_rows


def test_reader_reads_from_a_frame_written_by_pandas_itself() -> None:
    frame = pd.DataFrame([row("Ana", 3), row("Ben", 8)], columns=[CLIENT_ID, *CRITERIA])
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    imported = read(buffer.getvalue())
    assert imported.frame[CLIENT_ID].tolist() == ["Ana", "Ben"]
    assert imported.frame["relaxation"].tolist() == [3.0, 8.0]


# --- the fast read: pandas reads the bytes, text columns stay as written -------------------------


@pytest.mark.parametrize("sep", [",", ";"])
def test_client_ids_that_look_like_numbers_keep_their_zeros(sep: str) -> None:
    # pandas would read 007 as the number 7; a text column it typed as numbers is read again
    imported = read(survey_text([row("007"), row("0042"), row("12")], sep=sep))
    assert imported.frame[CLIENT_ID].tolist() == ["007", "0042", "12"]
    assert imported.problems == []


def test_a_header_longer_than_the_decoded_head_is_read_whole() -> None:
    # more than HEAD_BYTES of header: read_text decodes the whole file to find its end
    notes = [f"note {i} " + "x" * 60_000 for i in range(20)]
    text = survey_text([[*row("a", 7), *[""] * 20]], header=[CLIENT_ID, *CRITERIA, *notes])
    assert len(text.splitlines()[0]) > 1024 * 1024
    imported = read(text)
    assert imported.frame[CLIENT_ID].tolist() == ["a"]
    assert imported.frame["relaxation"].tolist() == [7.0]


def test_a_file_mixing_utf8_into_windows_1252_is_read_with_a_note() -> None:
    # one row pasted from a UTF-8 source into a Windows-1252 export: Zoë is C3 AB
    data = survey_text([row("\u201eAnna\u201c"), row("Zo\u00eb")], sep=";").encode("cp1252")
    data = data.replace(b"Zo\xeb", "Zoë".encode())
    imported = read(data)
    assert imported.encoding == "windows-1252"
    assert imported.frame[CLIENT_ID].tolist() == ["\u201eAnna\u201c", "Zo\u00c3\u00ab"]
    assert (
        "survey.csv: the file mixes two encodings: it was read as windows-1252, but some text "
        "(first on line 3) is written in UTF-8" in problems_text(imported)
    )


def test_a_pure_windows_1252_file_gets_no_mixed_encoding_note() -> None:
    data = survey_text([row("Ren\u00e9e \u20ac")], sep=";").encode("cp1252")
    imported = read(data)
    assert imported.frame[CLIENT_ID].tolist() == ["Ren\u00e9e \u20ac"]
    assert "mixes two encodings" not in problems_text(imported)


def test_one_word_among_numbers_is_a_faulty_cell_not_the_scale() -> None:
    rows = [row("a", 1), row("b", 5), row("c", 3), row("d", 2, relaxation="Very important")]
    imported = read(survey_text(rows))
    assert imported.scale.key == "1-5"
    # d is scored on the other answers; the word counts as blank
    assert imported.frame[CLIENT_ID].tolist() == ["a", "b", "c", "d"]
    assert imported.frame["relaxation"].tolist()[:3] == [0.0, 10.0, 5.0]
    assert np.isnan(imported.frame["relaxation"].iloc[3])
    assert imported.frame["pain_relief"].tolist() == [0.0, 10.0, 5.0, 2.5]
    (note,) = [p for p in imported.problems if "could not be read" in p]
    assert note == (
        "1 answer could not be read, so it counts as blank and each client is scored on the "
        "other answers (1 not a number): 'Very important' (row 5, column 'relaxation'); expected "
        "numbers 1-5; correct those cells, or choose the scale the survey used."
    )


@pytest.mark.parametrize(
    ("answers", "note"),
    [
        # a 1-5 survey in which nobody answered 1
        pytest.param([2, 5, 3, 4], "answers run 2-5", id="no-one-answered-1"),
        # a 1-5 survey with one stray 0
        pytest.param([1, 5, 0, 3], "answers run 0-5", id="a-stray-0"),
        # a 1-7 survey in which nobody answered 1
        pytest.param([2, 7, 4, 6], "answers run 2-7", id="a-1-7-survey"),
    ],
)
def test_answers_topping_out_at_5_or_7_say_how_they_were_read(answers, note) -> None:
    rows = [row(f"c{i}", value) for i, value in enumerate(answers)]
    imported = read(survey_text(rows))
    assert imported.scale.key == "0-10"
    high = int(max(answers))
    assert problems_text(imported) == (
        f"survey.csv: {note}, read on the app's own 0-10 scale ({high} = {high}); if the survey "
        f"asked 1-{high}, choose that scale (command line: --scale 1-{high})."
    )
    assert imported.frame["relaxation"].tolist() == [float(a) for a in answers]


def test_answers_over_7_or_all_alike_need_no_scale_note() -> None:
    assert read(survey_text([row("a", 2), row("b", 9)])).problems == []
    assert read(survey_text([row("a", 5), row("b", 5)])).problems == []
    assert read(survey_text([row("a", 2.5), row("b", 5)])).problems == []  # half points


def test_rows_after_blank_lines_keep_their_spreadsheet_numbers() -> None:
    # line 1 header, 2 blank, 3 a, 4 b (empty answer), 5 c (11: out of range)
    imported = read(b"client_id,relaxation\n\na,5\nb,\nc,11\n")
    assert imported.frame[CLIENT_ID].tolist() == ["a"]
    text = problems_text(imported)
    assert "survey.csv: 1 empty row left out (row 2)." in text
    assert (
        "survey.csv: "
        + unread_note(1, "1 outside 0..10", "'11' (row 5, column 'relaxation')", cli=True)
        in text
    )
    # b left it blank, c's only answer cannot be read: both named once
    assert (
        "survey.csv: 2 rows have no answer that could be read and were left out: rows 4 and 5."
    ) in text
    assert imported.rows_dropped == 2


def test_rows_named_after_their_row_count_blank_lines() -> None:
    header = ",".join(CRITERIA)
    imported = read(f"{header}\n\n{','.join(['5'] * 13)}\n".encode())
    assert imported.frame[CLIENT_ID].tolist() == ["row-3"]


def test_a_first_client_who_answered_n_a_is_reported_not_skipped_as_sub_labels() -> None:
    imported = read(b"client_id,relaxation,pain_relief\nAnna,n/a,n/a\nBen,5,3\nCara,6,2\n")
    assert imported.frame[CLIENT_ID].tolist() == ["Ben", "Cara"]
    text = problems_text(imported)
    assert "sub-labels" not in text
    assert (
        "survey.csv: "
        + unread_note(
            2,
            "2 not numbers",
            "'n/a' (row 2, column 'relaxation') and 'n/a' (row 2, column 'pain_relief')",
            cli=True,
        )
        in text
    )
    assert "survey.csv: row 2 has no answer that could be read; it was left out." in text


def test_a_utf8_file_with_bad_bytes_says_so() -> None:
    data = b"\xef\xbb\xbfclient_id,relaxation\n007,5\n\xff\xfe08,6\n"
    imported = read(data)
    assert imported.frame[CLIENT_ID].tolist() == ["007", "\ufffd\ufffd08"]
    assert (
        "the file says it is UTF-8, but some bytes are not (first on line 3); they "
        "show as \ufffd. Check the client ids there, or save the file again as CSV UTF-8."
    ) in imported.problems


def test_a_first_client_with_different_junk_answers_is_reported_not_skipped() -> None:
    # distinct texts in every answer column are tool metadata only when they are codes that
    # differ in their numbers (QID1, QID2, ...): a client's "lots", "x", "nope" is a faulty row
    imported = read(b"client_id,relaxation,pain_relief,wellbeing\nA,lots,x,nope\nB,5,3,2\n")
    assert imported.header_rows == (1,) and imported.notes[0].kind != "header"
    assert imported.frame[CLIENT_ID].tolist() == ["B"]
    text = problems_text(imported)
    assert "3 answers could not be read, so they count as blank" in text
    assert "(3 not numbers): 'lots' (row 2, column 'relaxation')" in text
    assert "row 2 has no answer that could be read; it was left out." in text
