"""Issue 23, the hostile trial of stop 33: exports of other tools than the field cases. Star
ratings, keycap digits, UTF-16 written without a byte-order mark, a form's Progress column, a
hand-edited mapping saved by Notepad or with a title's case changed, summary rows labelled
"Avg." or in another language, percentages among answers 0-10, and a header row repeated in
the body. Each test asserts the value worked out by hand."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pandas as pd
import pytest

from advisor.cli import main
from advisor.clinic.menu import read_menu
from advisor.files.mapping import apply_saved, propose, read_mapping
from advisor.files.reading import read_survey
from advisor.files.template import vocabulary
from tests.advisor.files.tool_exports import CATALOG, CRITERIA
from tests.apptest_support import survey_in_use, survey_notes, survey_uploader

WORDS = vocabulary(CATALOG)
PAGE = "app_pages/position_my_clinic.py"


def read(data: bytes, name: str = "s.csv", **kwargs):
    return read_survey(data, CRITERIA, name=name, vocabulary=WORDS, **kwargs)


def csv_text(rows: list[list[object]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", delimiter=delimiter).writerows(rows)
    return buffer.getvalue()


def csv_bytes(rows: list[list[object]]) -> bytes:
    return csv_text(rows).encode()


def problems(imported) -> list[str]:
    """The notes but the one on criteria no column gives (these files ask 2 or 3 of 13)."""
    return [n for n in imported.problems if not n.startswith("no column gives these criteria")]


def by_id(imported, column: str) -> dict[str, float]:
    return imported.frame.set_index(imported.frame.columns[0])[column].to_dict()


# --- star ratings drawn as filled and empty stars (a form tool's 1-5 stars) -------------------

STARS = [
    ["Submission Date", "Client ID", "Relaxation", "Pain relief", "Wellbeing"],
    ["Jun 10, 2025", "J-1", "★★★★☆", "★☆☆☆☆", "★★★★★"],
    ["Jun 11, 2025", "J-2", "★★☆☆☆", "★★★★★", "★★★☆☆"],
]


def test_stars_are_read_as_a_score_out_of_the_stars_drawn() -> None:
    imported = read(csv_bytes(STARS))
    assert by_id(imported, "relaxation") == {"J-1": 8.0, "J-2": 4.0}
    assert by_id(imported, "pain_relief") == {"J-1": 2.0, "J-2": 10.0}
    assert by_id(imported, "wellbeing") == {"J-1": 10.0, "J-2": 6.0}  # five of five: 10
    assert [n.kind for n in imported.notes if n.kind in ("faults", "no_answers")] == []
    (note,) = [n for n in imported.notes if "out of a top" in n.text]
    assert note.text == (
        "6 answers are written as a score out of a top, such as '★★★★☆' and '★★☆☆☆'. They are "
        "in 3 columns: 'Relaxation', 'Pain relief' and 'Wellbeing'. Each is read on the scale "
        "it gives, as a share of 10: ★★★★☆ = 8 and ★★☆☆☆ = 4."
    )


def test_filled_stars_alone_show_no_top_and_stay_unread() -> None:
    rows = [["client_id", "relaxation", "pain_relief"], ["a", "★★★★", 7], ["b", "★★", 3]]
    imported = read(csv_bytes(rows))
    assert np.isnan(imported.frame["relaxation"]).all()
    assert imported.frame["pain_relief"].tolist() == [7.0, 3.0]
    assert "'★★★★' (row 2, column 'relaxation')" in problems(imported)[1]


def test_stars_on_the_page_are_scored(open_page) -> None:
    at = open_page(PAGE)
    survey_uploader(at).set_value(("jotform.csv", csv_bytes(STARS), "text/csv")).run()
    at.button(key="sm_confirm_mapping").click().run()
    assert not at.exception
    frame = survey_in_use(at).frame.set_index("client_id")
    assert frame.loc["J-1", ["relaxation", "pain_relief", "wellbeing"]].tolist() == [8, 2, 10]
    assert any(n.startswith("6 answers are written as a score out of") for n in survey_notes(at))


# --- keycap emoji digits ----------------------------------------------------------------------


def test_keycap_digits_are_the_digits_they_draw() -> None:
    rows = [["client_id", "relaxation", "pain_relief"]]
    rows += [["a", "4\ufe0f\u20e3", "2\ufe0f\u20e3"], ["b", "\U0001f51f", "0\u20e3"]]
    imported = read(csv_bytes(rows))
    assert imported.frame["relaxation"].tolist() == [4.0, 10.0]
    assert imported.frame["pain_relief"].tolist() == [2.0, 0.0]
    assert problems(imported) == []


# --- UTF-16 written without a byte-order mark ---------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(codec: str, tmp_path) -> None:
    text = csv_text([["client_id", "relaxation", "pain_relief"], ["Zoë", 9, 2], ["Ünal", 3, 8]])
    data = text.replace(",", "\t").encode(codec)
    imported = read(data, name="unicode.txt")
    assert by_id(imported, "relaxation") == {"Zoë": 9.0, "Ünal": 3.0}
    assert by_id(imported, "pain_relief") == {"Zoë": 2.0, "Ünal": 8.0}
    path = tmp_path / "unicode.txt"
    path.write_bytes(data)
    assert main(["score", str(path), "-o", str(tmp_path / "out.csv")]) == 0
    assert pd.read_csv(tmp_path / "out.csv")["client_id"].tolist() == ["Zoë", "Ünal"]


def test_binary_data_with_zero_bytes_everywhere_is_still_refused() -> None:
    with pytest.raises(Exception, match="not a text CSV file"):
        read(bytes(range(256)) * 4)


# --- a form tool's Progress column is no answer -------------------------------------------------


def test_a_progress_column_is_no_weak_mapping() -> None:
    rows = [["ResponseId", "Progress", "Relaxation", "Pain relief"]]
    rows += [["R_1", 100, 9, 2], ["R_2", 100, 3, 9], ["R_3", 100, 5, 5]]
    imported = read(csv_bytes(rows))
    assert [n for n in imported.notes if n.kind == "mapping"] == []
    assert imported.frame["relaxation"].tolist() == [9.0, 3.0, 5.0]


# --- hand-edited mapping files --------------------------------------------------------------------

SAVED = {
    "kind": "massage-advisor survey mapping",
    "version": 1,
    "scale": "0-10",
    "columns": {"Client ID": "client_id", "relaxing is my main goal": "relaxation"},
}


def test_a_mapping_title_edited_only_in_case_still_fits_its_column() -> None:
    columns = ["Client ID", "Relaxing is my main goal", "Pain"]
    mapping, notes = apply_saved(propose(columns, WORDS), SAVED["columns"])
    assert mapping["Relaxing is my main goal"] == "relaxation"
    assert [n.text for n in notes] == [
        "1 column not in the mapping file, read as proposed: 'Pain'."
    ]


def test_a_case_only_fit_is_not_made_when_two_columns_differ_only_in_case() -> None:
    columns = ["Client ID", "Relaxing is my main goal", "RELAXING IS MY MAIN GOAL"]
    mapping, notes = apply_saved(propose(columns, WORDS), SAVED["columns"])
    assert mapping["Relaxing is my main goal"] != "relaxation"
    assert mapping["RELAXING IS MY MAIN GOAL"] != "relaxation"
    assert "'relaxing is my main goal'" in notes[-1].text  # named as not in this file


def test_a_mapping_saved_by_notepad_as_unicode_is_read() -> None:
    data = json.dumps(SAVED, indent=1).encode("utf-16")  # with its byte-order mark
    columns, scale = read_mapping(data, "m.json", WORDS)
    assert columns == SAVED["columns"] and scale == "0-10"


# --- summary rows labelled "Avg.", "Ø" or in another language ----------------------------------


@pytest.mark.parametrize("label", ["Avg.", "Ø", "Mittelwert", "Moyenne:", "TOTAAL", "Gesamt"])
def test_summary_rows_of_other_spellings_are_left_out_and_named(label: str) -> None:
    rows = [["client_id", "relaxation", "pain_relief"]]
    rows += [["a", 8, 2], ["b", 3, 9], [label, 5.5, 5.5]]
    imported = read(csv_bytes(rows))
    assert imported.frame["client_id"].tolist() == ["a", "b"]
    (note,) = [n for n in imported.notes if n.kind == "summary_rows"]
    assert note.text == (
        "1 row sums up the clients above rather than answers, so it was left out: "
        f"row 4 ('{label}')."
    )


# --- percentages among answers 0-10 --------------------------------------------------------------

MIXED = [["client_id", "relaxation", "pain_relief"], ["a", "80%", 7], ["b", "30 %", 3]]


def test_percentages_among_answers_0_to_10_are_read_as_they_state() -> None:
    imported = read(csv_bytes(MIXED))
    assert imported.scale.key == "0-10"
    assert imported.frame["relaxation"].tolist() == [8.0, 3.0]
    assert imported.frame["pain_relief"].tolist() == [7.0, 3.0]
    assert [n for n in imported.notes if n.kind == "faults"] == []
    (note,) = [n for n in imported.notes if "percentages" in n.text]
    assert note.text == (
        "2 answers are written as percentages, such as '80%' and '30 %'. They are in 1 column: "
        "'relaxation'. Each is read on the scale it gives, as a share of 10: 80% = 8 and "
        "30 % = 3."
    )


def test_a_scale_the_owner_chose_is_kept_to_for_percentages() -> None:
    imported = read(csv_bytes(MIXED), scale="0-10")
    assert np.isnan(imported.frame["relaxation"]).all()
    assert "'80%' (row 2, column 'relaxation')" in problems(imported)[0]


# --- the header row again in the body -------------------------------------------------------------


def test_a_repeated_header_row_is_left_out_with_one_note(tmp_path, capsys) -> None:
    rows = [["client_id", "relaxation", "pain_relief"], ["a", 8, 2], ["b", 3, 9]]
    rows += [["Client_ID", " Relaxation", "pain_relief"], ["c", 5, 5], ["d", 1, 7]]
    imported = read(csv_bytes(rows))
    assert imported.frame["client_id"].tolist() == ["a", "b", "c", "d"]
    assert imported.frame["pain_relief"].tolist() == [2.0, 9.0, 5.0, 7.0]
    assert problems(imported) == [
        "row 4 repeats the header row, so it was left out (a file pasted together from two "
        "exports, or a second table under the first)."
    ]
    path = tmp_path / "pasted.csv"
    path.write_bytes(csv_bytes(rows))
    assert main(["score", str(path), "-o", str(tmp_path / "out.csv")]) == 0
    assert "could not be read" not in capsys.readouterr().err


def test_a_row_with_one_answer_beside_titles_is_no_repeated_header() -> None:
    rows = [["client_id", "relaxation", "pain_relief"], ["a", 8, 2], ["b", "relaxation", 9]]
    imported = read(csv_bytes(rows))
    assert imported.frame["client_id"].tolist() == ["a", "b"]
    assert imported.frame["pain_relief"].tolist() == [2.0, 9.0]


# --- the id column when a bare "Client" or "Name" comes first --------------------------------


def test_a_menu_service_name_column_wins_over_a_bare_name_column() -> None:
    fits = {c: [10 - i % 11, i % 11] for i, c in enumerate(CRITERIA)}
    rows = [["Name", "Service Name", *CRITERIA]]
    rows += [["Anna (therapist)", "Clinical 60", *(f[0] for f in fits.values())]]
    rows += [["Ben (therapist)", "Spa 90", *(f[1] for f in fits.values())]]
    imported = read_menu(csv_bytes(rows), CRITERIA, reserved=[], name="booking.csv")
    assert imported.menu["name"].tolist() == ["Clinical 60", "Spa 90"]
    assert imported.menu["relaxation"].tolist() == [9.0, 1.0]
    assert imported.problems == ["columns that match no criterion, left out: Name."]


def test_a_client_id_column_wins_over_a_bare_client_column_of_names() -> None:
    rows = [["Client", "Client ID", "relaxation"], ["Ann Lee", "C-1", 9], ["Bo Kim", "C-2", 3]]
    imported = read(csv_bytes(rows))
    assert imported.frame["client_id"].tolist() == ["C-1", "C-2"]
    assert imported.mapping["Client"] == "ignore"


# --- a score out of a top with a decimal comma ------------------------------------------------


def test_a_score_out_of_a_top_with_a_decimal_comma_is_read() -> None:
    rows = [["client_id", "relaxation", "pain_relief"], ["a", "7,5/10", "8"], ["b", "3/10", "2,5"]]
    imported = read(csv_text(rows, ";").encode())
    assert imported.frame["relaxation"].tolist() == [7.5, 3.0]
    assert imported.frame["pain_relief"].tolist() == [8.0, 2.5]
    assert [n for n in imported.notes if n.kind == "faults"] == []


# --- a forms tool's workbook: ID, Completion time, Client number --------------------------------


@pytest.mark.parametrize("title", ["Client number", "Patient no.", "customer_ref", "Client #"])
def test_a_client_number_column_names_the_client_and_finds_repeats(title: str) -> None:
    rows = [["ID", "Completion time", "Relaxation", "Pain relief", title]]
    rows += [[1, "2025-06-10 09:05", 4, 2, "C-1"], [2, "2025-06-11 09:05", 1, 5, "C-2"]]
    rows += [[3, "2025-06-12 09:05", 5, 5, "C-1"]]
    imported = read(csv_bytes(rows))
    assert by_id(imported, "relaxation") == {"C-2": 0.0, "C-1": 10.0}  # 1-5: 1 = 0, 5 = 10
    assert by_id(imported, "pain_relief") == {"C-2": 10.0, "C-1": 10.0}
    (note,) = [n for n in imported.notes if n.kind == "repeats"]
    assert note.text.startswith("1 client answered more than once: 'C-1' (row 2 and row 4)")
    assert [n for n in imported.notes if n.kind == "mapping"] == []  # 'ID' is no answer


# --- ids that stand for no id -------------------------------------------------------------------


def test_ids_that_stand_for_no_id_are_never_repeats() -> None:
    rows = [["client_id", "relaxation", "pain_relief"]]
    rows += [["N/A", 9, 2], ["n/a", 3, 8], ["-", 5, 5], ["-", 1, 1], ["C-1", 2, 2]]
    imported = read(csv_bytes(rows))
    assert imported.frame["relaxation"].tolist() == [9.0, 3.0, 5.0, 1.0, 2.0]  # 5 clients
    assert [n for n in imported.notes if n.text.startswith("2 clients answered")] == []
    (note,) = [n for n in imported.notes if n.kind == "repeats"]
    assert note.text == (
        "rows 2, 3, 4 and 1 more have no id in column 'client_id' (written as 'N/A', 'n/a' and "
        "'-'), so each is kept as a client of its own; give each client an id to find repeated "
        "answers."
    )
    (formula,) = [n for n in imported.notes if "apostrophe" in n.text]
    assert formula.text.startswith(
        "1 client id in column 'client_id' starts with =, +, - or @: '-'. "
    )


# --- characters that draw nothing, copied from a web page -------------------------------------


def test_zero_width_characters_are_no_part_of_an_answer() -> None:
    rows = [["client_id", "relaxation", "pain_relief", "wellbeing"]]
    rows += [
        ["a", 9, "\xa0", "\u200b"],
        ["b", 3, 8, "\u200b7"],
        ["c", " 5 ", "\t", "\ufeff4\u200e"],
    ]
    imported = read(csv_bytes(rows))
    assert by_id(imported, "wellbeing") == pytest.approx(
        {"a": np.nan, "b": 7.0, "c": 4.0}, nan_ok=True
    )
    assert [n for n in imported.notes if n.kind == "faults"] == []
    (blank,) = [n for n in imported.notes if n.kind == "blanks"]
    assert blank.text.startswith("3 answers were left blank by 2 clients (row 2 (2) and row 4 (1))")


# --- an OpenDocument sheet of percentages -----------------------------------------------------


def ods_bytes(rows: list[list[object]]) -> bytes:
    """An .ods whose float cells are percentages (value-type percentage, as LibreOffice saves
    a cell formatted 0%), the first row repeated twice over an empty column to test spans."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Antworten")
    for values in rows:
        row = TableRow()
        for value in values:
            if isinstance(value, float):
                cell = TableCell(valuetype="percentage", value=value)
                cell.addElement(P(text=f"{value:.0%}"))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            row.addElement(cell)
        row.addElement(TableCell(numbercolumnsrepeated=3))  # empty cells to the right
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    doc.write(buffer)
    return buffer.getvalue()


def test_an_ods_of_percentage_cells_is_read_on_0_to_1() -> None:
    rows = [["client_id", "relaxation", "pain_relief"], ["a", 0.9, 0.2], ["b", 0.3, 0.85]]
    imported = read(ods_bytes(rows), name="answers.ods")
    assert imported.scale.key == "0-1"
    assert by_id(imported, "relaxation") == {"a": 9.0, "b": 3.0}
    assert by_id(imported, "pain_relief") == pytest.approx({"a": 2.0, "b": 8.5})
