"""Issue 23's kinds of fault, as rules that hold for any file: generated exports of other tools
(tool_exports.py), and one property per kind: a clean grid written with a title above, with
formatting in its titles, on 0-100 or as percentages, with a summary row, with a repeated client
or with blanks reads back to the same weights as the clean grid (blanks aside)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from advisor.clinic.menu import NAME, read_menu
from advisor.files.reading import CLIENT_ID, read_survey
from advisor.files.template import vocabulary
from tests.advisor.files.tool_exports import (
    CATALOG,
    CRITERIA,
    LABELS,
    QUESTIONS,
    SURVEYS,
    booking_menu,
    frame_weights,
)

WORDS = vocabulary(CATALOG)
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read(data: bytes, name: str = "g.csv", **kwargs):
    return read_survey(data, CRITERIA, name=name, vocabulary=WORDS, **kwargs)


@pytest.mark.parametrize("tool", list(SURVEYS))
def test_another_tools_export_reads_back_its_answers(tool: str) -> None:
    export = SURVEYS[tool]()
    imported = read(export.data, export.name)
    assert imported.frame[CLIENT_ID].tolist() == export.ids
    np.testing.assert_allclose(frame_weights(imported.frame), export.weights, equal_nan=True)
    assert len({n.kind for n in imported.notes}) == len(imported.notes)  # one note per kind...
    assert all(not p.startswith(export.name) for p in imported.problems)


def test_the_exports_decisions_are_each_one_note() -> None:
    kinds = {
        tool: [n.kind for n in read(make().data, make().name).notes]
        for tool, make in SURVEYS.items()
    }
    assert kinds["qualtrics"][0] == "header"  # rows 1 and 3 skipped, row 2 the header
    assert "repeats" in kinds["jotform"] and "blanks" in kinds["jotform"]
    assert kinds["zoho"][0] == "header"  # a question row over a row of labels
    assert kinds["numbers"][:2] == ["sheet", "summary_rows"] and "scale" in kinds["numbers"]
    assert {"header", "summary_rows", "scale", "no_answers"} <= set(kinds["sliders"])


def test_a_booking_systems_menu_in_another_shape() -> None:
    data, names, fits = booking_menu()
    menu = read_menu(data, CRITERIA, ["Medical massage", "Spa massage"], "menu.csv")
    assert menu.menu[NAME].tolist() == names
    np.testing.assert_array_equal(menu.menu[CRITERIA].to_numpy(dtype=float), fits)
    assert menu.problems == [
        "columns that match no criterion, left out: Price (\u20ac), Duration (min), Description."
    ]


# --- properties --------------------------------------------------------------------------------

grids = st.integers(1, 6).flatmap(
    lambda n: st.lists(
        st.lists(st.integers(0, 10), min_size=13, max_size=13), min_size=n, max_size=n
    )
)


def clean(grid: list[list[int]]) -> tuple[list[str], list[list[object]], np.ndarray]:
    header = [CLIENT_ID, *CRITERIA]
    rows: list[list[object]] = [[f"C-{i}", *row] for i, row in enumerate(grid)]
    return header, rows, np.array(grid, dtype=float)


def csv_bytes(lines: list[list[object]], sep: str = ",") -> bytes:
    return "".join(sep.join(str(c) for c in line) + "\n" for line in lines).encode()


def xlsx_bytes(lines: list[list[object]], percent: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    for line in lines:
        sheet.append(line)
    if percent:
        for cells in sheet.iter_rows(min_col=2):
            for cell in cells:
                if isinstance(cell.value, float):
                    cell.number_format = "0%"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def assert_same(imported, weights: np.ndarray, ids: list[str]) -> None:
    assert imported.frame[CLIENT_ID].tolist() == ids
    np.testing.assert_allclose(frame_weights(imported.frame), weights, equal_nan=True)


@PROPERTY
@given(
    grid=grids,
    title=st.lists(st.text("abc XYZ-:", min_size=1), max_size=3),
    workbook=st.booleans(),
    blank_line=st.booleans(),
)
@example(grid=[[0] * 13], title=[" "], workbook=True, blank_line=False)  # calamine: " " is ""
def test_a_title_above_the_header(grid, title, workbook, blank_line) -> None:
    header, rows, weights = clean(grid)
    above = [[t] for t in title] + ([[""]] if blank_line and title else [])
    lines = [*above, header, *rows]
    data = xlsx_bytes(lines) if workbook else csv_bytes(lines)
    imported = read(data, "g.xlsx" if workbook else "g.csv", scale="0-10")
    assert_same(imported, weights, [r[0] for r in rows])


MARKS = [
    "*{}*",
    "_{}_",
    "**{}**",
    "__{}__",
    "`{}`",
    "<strong>{}</strong>",
    "<em>{}</em><br>",
    "<p>{}</p>",
    "{}",
]


@PROPERTY
@given(
    grid=grids,
    marks=st.lists(st.sampled_from(MARKS), min_size=13, max_size=13),
    words=st.lists(st.sampled_from(["label", "question"]), min_size=13, max_size=13),
)
def test_formatting_in_the_titles(grid, marks, words) -> None:
    _, rows, weights = clean(grid)
    titles = [
        mark.format(LABELS[c] if word == "label" else QUESTIONS[c]).replace("&", "&amp;")
        for c, mark, word in zip(CRITERIA, marks, words, strict=True)
    ]
    imported = read(csv_bytes([["Client ID", *[f'"{t}"' for t in titles]], *rows]), scale="0-10")
    assert_same(imported, weights, [r[0] for r in rows])
    assert "missing criteria" not in " ".join(imported.problems)


@PROPERTY
@given(grid=grids, form=st.sampled_from(["slider", "percent-text", "percent-format"]))
def test_on_0_100_or_as_percentages(grid, form) -> None:
    header, rows, weights = clean(grid)
    if form == "slider":
        lines = [header, *[[r[0], *[v * 10 for v in r[1:]]] for r in rows]]
        imported = read(csv_bytes(lines), scale="0-100")
    elif form == "percent-text":
        lines = [header, *[[r[0], *[f"{v * 10}%" for v in r[1:]]] for r in rows]]
        imported = read(csv_bytes(lines))
        assert imported.scale.key == "0-100"
    else:
        lines = [header, *[[r[0], *[v / 10 for v in r[1:]]] for r in rows]]
        imported = read(xlsx_bytes(lines, percent=True), "g.xlsx")
        assert imported.scale.key == "0-1"
    assert_same(imported, weights, [r[0] for r in rows])


@PROPERTY
@given(
    grid=grids.filter(lambda g: len(g) >= 3),
    label=st.sampled_from(
        ["Average", "MEAN", "total:", "TOTAL:", "Sum", "median", "Count", "n =", "N", "Responses"]
    ),
    stat=st.sampled_from(["mean", "sum", "count"]),
    workbook=st.booleans(),
)
def test_a_summary_row(grid, label, stat, workbook) -> None:
    header, rows, weights = clean(grid)
    values = {
        "mean": weights.mean(axis=0),
        "sum": weights.sum(axis=0),
        "count": np.full(13, float(len(grid))),
    }[stat]
    lines = [header, *rows, [label, *values.round(2).tolist()]]
    data = xlsx_bytes(lines) if workbook else csv_bytes(lines)
    imported = read(data, "g.xlsx" if workbook else "g.csv", scale="0-10")
    assert_same(imported, weights, [r[0] for r in rows])
    (note,) = [n for n in imported.notes if n.kind == "summary_rows"]
    assert note.rows == (len(rows) + 2,)


@PROPERTY
@given(grid=grids.filter(lambda g: len(g) >= 3), workbook=st.booleans())
def test_a_client_who_answers_like_the_average_is_a_client(grid, workbook) -> None:
    # an unlabelled last row is a summary only when it holds a value no client could give; a
    # client whose whole answers equal the columns' means (zeros under zeros, say) stays
    header, rows, weights = clean(grid)
    means = weights.mean(axis=0)
    last = np.where(means == np.rint(means), means, np.floor(means))
    lines = [header, *rows, ["last", *last.tolist()]]
    data = xlsx_bytes(lines) if workbook else csv_bytes(lines)
    imported = read(data, "g.xlsx" if workbook else "g.csv", scale="0-10")
    assert_same(imported, np.vstack([weights, last]), [*(r[0] for r in rows), "last"])
    assert [n for n in imported.notes if n.kind == "summary_rows"] == []


@PROPERTY
@given(
    grid=grids,
    which=st.integers(0, 5),
    earlier=st.lists(st.integers(0, 10), min_size=13, max_size=13),
    first=st.booleans(),
)
def test_a_repeated_client(grid, which, earlier, first) -> None:
    header, rows, weights = clean(grid)
    which %= len(rows)
    stamped = [["Timestamp", *header]] + [
        [f"2025-06-{10 + i:02d} 10:00:00", *r] for i, r in enumerate(rows)
    ]
    again = ["2025-06-01 08:00:00", rows[which][0], *earlier]  # an earlier answer, same id
    lines = [stamped[0], again, *stamped[1:]] if first else [*stamped, again]
    imported = read(csv_bytes(lines), scale="0-10")
    assert_same(imported, weights, [r[0] for r in rows])
    assert imported.repeats[rows[which][0]] != ()
    every = read(csv_bytes(lines), scale="0-10", keep_repeats=True)
    assert every.rows_kept == len(rows) + 1


@PROPERTY
@given(grid=grids, data=st.data())
def test_blanks(grid, data) -> None:
    header, rows, weights = clean(grid)
    blank = np.array(
        data.draw(
            st.lists(
                st.lists(st.booleans(), min_size=13, max_size=13),
                min_size=len(rows),
                max_size=len(rows),
            )
        )
    )
    blank[:, 0] &= ~blank[:, 1:].all(axis=1)  # every client answers something
    lines = [header] + [
        [r[0], *["" if b else v for v, b in zip(r[1:], bs, strict=True)]]
        for r, bs in zip(rows, blank, strict=True)
    ]
    imported = read(csv_bytes(lines), scale="0-10")
    expected = np.where(blank, np.nan, weights)
    assert_same(imported, expected, [r[0] for r in rows])
    notes = [n for n in imported.notes if n.kind == "blanks"]
    assert len(notes) == int(blank.any())
    if blank.any():
        assert notes[0].text.startswith(f"{int(blank.sum())} answer")


def test_a_named_client_whose_answers_add_up_to_the_column_above_is_a_client() -> None:
    # c4 answers 5 and 5 after 1, 1, 1, 2: the sum of the column above, yet a client's own
    lines = [["client_id", "relaxation", "wellbeing", "Timestamp"]]
    lines += [[f"c{i}", v, v, f"2026-06-{10 + i} 09:00"] for i, v in enumerate([1, 1, 1, 2, 5])]
    imported = read(csv_bytes(lines))
    assert imported.rows_kept == 5
    assert [n for n in imported.notes if n.kind == "summary_rows"] == []


def test_a_row_of_sums_with_no_id_is_left_out_as_a_summary() -> None:
    lines = [["client_id", "relaxation", "wellbeing"]]
    lines += [[f"c{i}", v, v] for i, v in enumerate([1, 1, 1, 2])]
    lines += [["", 5, 5]]
    imported = read(csv_bytes(lines))
    assert imported.rows_kept == 4
    (note,) = [n for n in imported.notes if n.kind == "summary_rows"]
    assert note.text == (
        "1 row sums up the clients above rather than answers, so it was left out: "
        "row 6 ('the sum of the column above')."
    )
