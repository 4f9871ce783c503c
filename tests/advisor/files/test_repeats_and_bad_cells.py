"""Issue 23's last rules on rows: repeated clients dated by a timestamp whose day/month order is
decided once per column, rows of one client without a time, ids with spaces around them or none,
and cells that cannot be read on the scale (text, out of range, inf), which count as blank."""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from advisor.files.reading import CLIENT_ID
from advisor.files.rows import times_of
from tests.advisor.files.test_kinds import PROPERTY, assert_same, clean, csv_bytes, grids, read

HEADER = ["Timestamp", CLIENT_ID, *clean([[0] * 13])[0][1:]]


def answers(value: int) -> list[int]:
    return [value] * 13


def stamped(*rows: tuple[str, str, int]) -> bytes:
    """A survey with a Timestamp column: (time, client id, every answer)."""
    return csv_bytes([HEADER, *([t, c, *answers(v)] for t, c, v in rows)])


def kept(imported) -> dict[str, float]:
    return dict(zip(imported.frame[CLIENT_ID], imported.frame["relaxation"], strict=True))


def repeats_note(imported) -> str:
    (note,) = [n.text for n in imported.notes if n.kind == "repeats"]
    return note


# --- 1. the day/month order of a timestamp, once per column -------------------------------------


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        # 02:50 two hours east of UTC is 00:50 UTC; 02:10 one hour east is 01:10 UTC (the night
        # the clocks went back): the second row is the later answer
        ("2025/10/26 2:50:00 AM GMT+2", "2025/10/26 2:10:00 AM GMT+1"),
        ("2025-10-26 02:50 UTC+02:00", "2025-10-26 02:10 UTC+01:00"),
        ("Sun Oct 26 2025 02:50:00 GMT+0200 (CEST)", "Sun Oct 26 2025 02:10:00 GMT+0100 (CET)"),
        ("26/10/2025 09:00 GMT-5", "26/10/2025 15:30 GMT+1"),  # 14:00 and 14:30 UTC
    ],
)
def test_a_gmt_offset_is_east_of_utc_as_forms_write_it(earlier: str, later: str) -> None:
    """pandas reads "GMT+2" the POSIX way round (2 hours west); a form means 2 hours east."""
    imported = read(stamped((earlier, "G-1", 2), (later, "G-1", 8)), scale="0-10")
    assert kept(imported) == {"G-1": 8.0}
    imported = read(stamped((later, "G-1", 8), (earlier, "G-1", 2)), scale="0-10")
    assert kept(imported) == {"G-1": 8.0}


def test_the_day_month_order_is_decided_once_for_the_whole_column() -> None:
    # 13/04 can only be day first, so 03/05 is 3 May (not 5 March): row 3 is the latest
    imported = read(
        stamped(("13/04/2026 10:00", "C-1", 2), ("03/05/2026 10:00", "C-1", 8)), scale="0-10"
    )
    assert kept(imported) == {"C-1": 8.0}
    assert repeats_note(imported) == (
        "1 client answered more than once: 'C-1' (row 2 and row 3); the latest answer is kept "
        "(by 'Timestamp'; dates read day first, as the column shows); to score every answer, "
        "choose keep all."
    )


def test_a_right_to_left_client_id_is_isolated_in_the_repeats_note() -> None:
    """The id is quoted between FSI and PDI (advisor.bidi), so "(row 2 and row 3)" stays after
    it rather than being pulled to its left."""
    arabic = "تدليك"
    imported = read(
        stamped(("2026-06-10 10:00", arabic, 2), ("2026-06-12 10:00", arabic, 8)), scale="0-10"
    )
    assert kept(imported) == {arabic: 8.0}
    assert repeats_note(imported) == (
        f"1 client answered more than once: \u2068'{arabic}'\u2069 (row 2 and row 3); the latest "
        "answer is kept (by 'Timestamp'); to score every answer, choose keep all."
    )


def test_a_month_first_column_is_read_month_first() -> None:
    # 04/13 can only be month first, so 05/03 is 3 May: row 2 is the latest
    imported = read(
        stamped(("05/03/2026", "C-1", 8), ("04/13/2026", "C-1", 2), ("01/02/2026", "C-2", 5)),
        scale="0-10",
    )
    assert kept(imported) == {"C-1": 8.0, "C-2": 5.0}
    assert "dates read month first, as the column shows" in repeats_note(imported)


def test_an_order_no_date_shows_is_said_in_the_note() -> None:
    imported = read(stamped(("04/03/2026", "C-1", 8), ("03/04/2026", "C-1", 2)), scale="0-10")
    assert kept(imported) == {"C-1": 8.0}  # 3 April after 4 March
    assert repeats_note(imported) == (
        "1 client answered more than once: 'C-1' (row 2 and row 3); the latest answer is kept "
        "(by 'Timestamp'; dates read month first (04/03/2026 as 3 April 2026), since no date "
        "shows the order); to score every answer, choose keep all."
    )


def test_iso_dates_and_date_times_of_a_workbook_need_no_order() -> None:
    imported = read(
        stamped(("2026-04-13T10:00:00Z", "C-1", 2), ("2026-05-03 09:00", "C-1", 8)), scale="0-10"
    )
    assert kept(imported) == {"C-1": 8.0}
    assert "dates read" not in repeats_note(imported)


def test_times_of_reads_every_numeric_date_in_one_order() -> None:
    import pandas as pd

    cells = pd.Series(["03/04/2026", "13/04/2026 10:00", "2026-04-03", "4.5.26", "", None])
    read_ = times_of(cells, np.ones(len(cells), dtype=bool))
    assert read_.day_first is True and read_.assumed is False
    assert read_.stamps.tolist()[:4] == [
        pd.Timestamp("2026-04-03"),
        pd.Timestamp("2026-04-13 10:00"),
        pd.Timestamp("2026-04-03"),
        pd.Timestamp("2026-05-04"),
    ]
    assert read_.stamps.iloc[4:].isna().all()


dates = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))


@PROPERTY
@given(
    times=st.lists(dates, min_size=2, max_size=5, unique=True),
    day_first=st.booleans(),
    sep=st.sampled_from("/.-"),
)
@example(times=[dt.date(2026, 4, 13), dt.date(2026, 5, 3)], day_first=True, sep="/")
def test_the_latest_date_is_kept_in_either_order(times, day_first, sep) -> None:
    def written(day: dt.date) -> str:
        first, second = (day.day, day.month) if day_first else (day.month, day.day)
        return f"{first:02d}{sep}{second:02d}{sep}{day.year}"

    # another client's date shows the order (a day over 12)
    other = written(dt.date(2025, 12, 25))
    # answers 10, 9, 8...: falling, so that no row is the sum of the rows above (a summary)
    rows = [(written(d), "C-1", 10 - i) for i, d in enumerate(times)] + [(other, "C-2", 5)]
    imported = read(stamped(*rows), scale="0-10")
    assert kept(imported) == {"C-1": float(10 - int(np.argmax(times))), "C-2": 5.0}
    order = "day first" if day_first else "month first"
    assert f"dates read {order}, as the column shows" in repeats_note(imported)


# --- 2. rows of one client without a time ------------------------------------------------------


def test_a_row_with_a_time_beats_a_row_without_and_the_note_says_so() -> None:
    imported = read(
        stamped(("2026-06-12 10:00", "C-1", 8), ("", "C-1", 2), ("2026-06-01", "C-2", 5)),
        scale="0-10",
    )
    assert kept(imported) == {"C-1": 8.0, "C-2": 5.0}
    assert repeats_note(imported) == (
        "1 client answered more than once: 'C-1' (row 2 and row 3); the latest answer is kept "
        "(by 'Timestamp'); row 3 of 'C-1' has no time that can be read, so row 2, which has "
        "one, is kept; to score every answer, choose keep all."
    )


def test_among_rows_without_a_time_the_last_is_kept() -> None:
    imported = read(
        stamped(("soon", "C-1", 8), ("", "C-1", 2), ("2026-06-01", "C-2", 5), ("", "C-2", 7)),
        scale="0-10",
    )
    assert kept(imported) == {"C-1": 2.0, "C-2": 5.0}
    assert repeats_note(imported) == (
        "2 clients answered more than once: 'C-1' (row 2 and row 3) and 'C-2' (row 4 and "
        "row 5); the latest answer of each is kept (by 'Timestamp'); no row of 'C-1' has a "
        "time that can be read, so the last, row 3, is kept and row 5 of 'C-2' has no time "
        "that can be read, so row 4, which has one, is kept; to score every answer, choose "
        "keep all."
    )


# --- 4. client ids -----------------------------------------------------------------------------


def test_spaces_around_an_id_are_no_part_of_it() -> None:
    lines = [
        [CLIENT_ID, "relaxation"],
        [" 17", 2],
        ["17", 8],
        ["18 ", 5],
    ]
    imported = read(csv_bytes(lines), scale="0-10")
    assert kept(imported) == {"17": 8.0, "18": 5.0}
    assert imported.repeats == {"17": (2, 3)}


@pytest.mark.parametrize("space", ["\u00a0", "\u3000", "\t", "\u2003"])
def test_any_white_space_around_an_id_is_no_part_of_it(space: str) -> None:
    """A no-break space (a spreadsheet's), an ideographic space, a tab: still the same client."""
    lines = [[CLIENT_ID, "relaxation"], [f"C-7{space}", 2], [f"{space}C-7", 8], ["K-1", 5]]
    imported = read(csv_bytes(lines), scale="0-10")
    assert kept(imported) == {"C-7": 8.0, "K-1": 5.0}
    assert imported.repeats == {"C-7": (2, 3)}


def test_an_empty_id_among_ids_is_named_and_kept_as_its_own_client() -> None:
    lines = [[CLIENT_ID, "relaxation"], ["A", 2], ["", 8], ["  ", 4], ["B", 5]]
    imported = read(csv_bytes(lines), scale="0-10")
    assert imported.frame[CLIENT_ID].tolist() == ["A", "", "", "B"]
    assert imported.frame["relaxation"].tolist() == [2.0, 8.0, 4.0, 5.0]
    (note,) = [n for n in imported.notes if n.kind == "repeats"]
    assert note.text == (
        "rows 3 and 4 have no id in column 'client_id', so each is kept as a client of its own; "
        "give each client an id to find repeated answers."
    )
    assert note.rows == (3, 4)


def test_a_file_without_any_id_needs_no_note() -> None:
    lines = [[CLIENT_ID, "relaxation"], ["", 2], ["", 8]]
    assert [n for n in read(csv_bytes(lines), scale="0-10").notes if n.kind == "repeats"] == []


# --- 3 and 5. cells that cannot be read count as blank -----------------------------------------

JUNK = st.sampled_from(
    ["x", "n/a", "11", "-1", "10.5", "inf", "-inf", "Infinity", "NaN", "5 stars"]
)


@PROPERTY
@given(grid=grids, data=st.data())
def test_bad_cells_count_as_blank(grid, data) -> None:
    header, rows, weights = clean(grid)
    bad = np.array(
        data.draw(
            st.lists(
                st.lists(st.booleans(), min_size=13, max_size=13),
                min_size=len(rows),
                max_size=len(rows),
            )
        )
    )
    bad[:, 0] &= ~bad[:, 1:].all(axis=1)  # every client has an answer that can be read
    lines = [header] + [
        [r[0], *[data.draw(JUNK) if b else v for v, b in zip(r[1:], bs, strict=True)]]
        for r, bs in zip(rows, bad, strict=True)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        imported = read(csv_bytes(lines), scale="0-10")
    assert_same(imported, np.where(bad, np.nan, weights), [r[0] for r in rows])
    assert imported.rows_dropped == 0
    notes = [n.text for n in imported.notes if n.kind == "faults"]
    assert len(notes) == int(bad.any())  # one note for all of them
    if bad.any():
        count = int(bad.sum())
        assert notes[0].startswith(f"{count} answer{'s' if count > 1 else ''} could not be read")


@pytest.mark.parametrize("cell", ["inf", "-inf", "Infinity", "-Infinity"])
def test_inf_under_clients_is_no_summary_and_raises_no_warning(cell: str) -> None:
    lines = [
        [CLIENT_ID, "relaxation", "wellbeing"],
        ["A", 2, 3],
        ["B", 4, 5],
        ["C", 6, 7],
        ["D", cell, 9],
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        imported = read(csv_bytes(lines), scale="0-10")
    assert imported.frame[CLIENT_ID].tolist() == ["A", "B", "C", "D"]
    assert np.isnan(imported.frame["relaxation"].iloc[3])
    assert imported.frame["wellbeing"].tolist() == [3.0, 5.0, 7.0, 9.0]


def test_a_client_with_no_readable_answer_is_left_out_and_named_once() -> None:
    lines = [[CLIENT_ID, "relaxation", "wellbeing"], ["A", "x", "inf"], ["B", 4, 5]]
    imported = read(csv_bytes(lines), scale="0-10")
    assert imported.frame[CLIENT_ID].tolist() == ["B"]
    assert imported.problems[-1] == "row 2 has no answer that could be read; it was left out."
    assert sum("row 2" in p for p in imported.problems) == 2  # the cells, and the row once
