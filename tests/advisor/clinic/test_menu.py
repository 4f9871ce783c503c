"""advisor.clinic.menu: service names, blends, the menu CSV in and out, all services."""

from __future__ import annotations

import pandas as pd
import pytest

from advisor.catalog import Catalog
from advisor.clinic import menu
from advisor.errors import InputFileError

CRITERIA = ("x", "y")
RESERVED = ("Medical massage", "Spa massage")
RESERVED_NAME = "That is the name of a massage type the app compares; give the service its own."


def menu_bytes(*rows: str) -> bytes:
    return ("name,x,y\n" + "".join(f"{row}\n" for row in rows)).encode("utf-8")


# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "taken", "why"),
    [
        ("Hybrid", [], None),
        ("  Hybrid  ", [], None),  # spaces around a name do not count
        ("Массаж 🙂", [], None),  # any script, emoji
        ("a\u200db", [], None),  # the joiner emoji sequences need
        ("Deep\u00a0tissue", [], None),  # a no-break space pasted from a document
        ("x" * menu.MAX_NAME_LENGTH, [], None),
        ("", [], "A service needs a name."),
        ("   ", [], "A service needs a name."),
        (
            "x" * (menu.MAX_NAME_LENGTH + 1),
            [],
            "A service name can be at most 60 characters (this one has 61).",
        ),
        ("Spa massage", RESERVED, "That name is already on the menu."),
        ("SPA  MASSAGE", RESERVED, "That name is already on the menu."),  # case and spaces
        ("Ｓｐａ massage", RESERVED, "That name is already on the menu."),  # full-width letters
        ("Spa\u00a0massage", RESERVED, "That name is already on the menu."),
        (" None ", [], '"none" is what the scored survey writes for a client with no best'),
        ("Hy\u202ebrid", [], "control"),  # right-to-left override
        ("Hy\u200bbrid", [], "control"),  # zero-width space
        ("Hy\x07brid", [], "control"),  # bell
    ],
)
def test_check_name(name: str, taken: list[str], why: str | None) -> None:
    result = menu.check_name(name, taken)
    if why is None:
        assert result is None
    else:
        assert result is not None and why in result


# --- blends -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "health_condition", "relaxation"),
    [
        # medical: health_condition 10, relaxation 3; spa: health_condition 1, relaxation 10
        (1.0, 10, 3),
        (0.0, 1, 10),
        (0.3, 3.7, 7.9),  # 0.3*10 + 0.7*1 = 3.7;  0.3*3 + 0.7*10 = 7.9 (kept to one decimal)
        (0.5, 5.5, 6.5),  # (10 + 1)/2 and (3 + 10)/2
        (1.5, 10, 3),  # clamped to 1
        (-1.0, 1, 10),  # clamped to 0
    ],
)
def test_blend_fits(
    catalog: Catalog, share: float, health_condition: float, relaxation: float
) -> None:
    blend = menu.blend_fits(catalog.fits, share)
    assert list(blend.index) == list(catalog.criterion_ids)
    assert (blend.at["health_condition"], blend.at["relaxation"]) == (health_condition, relaxation)
    assert blend.between(0, 10).all()


# --- reading a menu -----------------------------------------------------------------------------


def test_read_menu_keeps_good_services_and_rounds_fits() -> None:
    imported = menu.read_menu(menu_bytes("  Hybrid ,6.5,7.44", "Sports,10,0"), CRITERIA, RESERVED)
    assert imported.problems == []
    # fits are kept to one decimal: 6.5 stays, 7.44 -> 7.4; the name is stripped.
    assert imported.menu.to_dict("records") == [
        {menu.NAME: "Hybrid", "x": 6.5, "y": 7.4},
        {menu.NAME: "Sports", "x": 10, "y": 0},
    ]


@pytest.mark.parametrize(
    ("rows", "kept", "problem"),
    [
        (
            ["Hybrid,5,5", "Spa massage,1,1"],
            ["Hybrid"],
            f"the service named 'Spa massage' was left out: {RESERVED_NAME}",
        ),
        (
            ["Hybrid,5,5", "hybrid,1,1"],
            ["Hybrid"],
            "the service named 'hybrid' was left out: That name is already on the menu.",
        ),
        (
            [f"S{i},1,1" for i in range(menu.MAX_SERVICES + 2)],
            [f"S{i}" for i in range(menu.MAX_SERVICES)],
            "only the first 10 services are kept.",
        ),
    ],
)
def test_read_menu_reports_what_it_leaves_out(
    rows: list[str], kept: list[str], problem: str
) -> None:
    imported = menu.read_menu(menu_bytes(*rows), CRITERIA, RESERVED)
    assert imported.menu[menu.NAME].tolist() == kept
    assert problem in imported.problems


def test_read_menu_without_a_usable_service_raises() -> None:
    reason = f"the service named 'Spa massage' was left out: {RESERVED_NAME}"
    with pytest.raises(InputFileError) as raised:
        menu.read_menu(menu_bytes("Spa massage,1,1"), CRITERIA, RESERVED, name="my.csv")
    assert str(raised.value) == f"my.csv: no usable service in the file. {reason}"
    assert raised.value.reasons == [reason]  # for the page to show as a list


def test_read_menu_needs_a_name_column() -> None:
    with pytest.raises(InputFileError, match="the header has no name column"):
        menu.read_menu(b"x,y\n1,2\n", CRITERIA, RESERVED)


def test_read_menu_refuses_a_file_over_one_megabyte() -> None:
    with pytest.raises(InputFileError, match="over the limit of 1 MB"):
        menu.read_menu(menu_bytes("Hybrid,5,5") + b" " * (1024 * 1024), CRITERIA, RESERVED)


# --- writing a menu and all services ------------------------------------------------------------


@pytest.mark.parametrize("name", ["Hybrid", "=SUM(A1)", "'quoted", "Deep, tissue", "Массаж"])
def test_menu_csv_reads_back_unchanged(name: str) -> None:
    table = pd.DataFrame({menu.NAME: [name, "Other"], "x": [3.0, 10.0], "y": [0.5, 7.0]})
    data = menu.menu_csv(table)
    assert not data.decode().splitlines()[1].lstrip('"').startswith("=")
    pd.testing.assert_frame_equal(menu.read_menu(data, CRITERIA, RESERVED).menu, table)


def test_empty_menu_has_the_columns_and_no_row() -> None:
    table = menu.empty_menu(CRITERIA)
    assert list(table.columns) == [menu.NAME, "x", "y"]
    assert table.empty


def test_services_puts_the_menu_after_the_catalog_types() -> None:
    catalog_fits = pd.DataFrame([[10, 0], [0, 10]], index=["medical", "spa"], columns=CRITERIA)
    table = pd.DataFrame({menu.NAME: ["Hybrid", "Sports"], "x": [5, 9], "y": [5, 1]})
    fits, names = menu.services(catalog_fits, table)
    assert list(fits.index) == [
        "medical",
        "spa",
        f"{menu.OWN_PREFIX}Hybrid",
        f"{menu.OWN_PREFIX}Sports",
    ]
    assert fits.loc["own:Sports"].tolist() == [9.0, 1.0]
    assert names == {"own:Hybrid": "Hybrid", "own:Sports": "Sports"}


def test_services_keeps_a_service_id_when_another_is_removed() -> None:
    catalog_fits = pd.DataFrame([[10, 0]], index=["medical"], columns=CRITERIA)
    both = pd.DataFrame({menu.NAME: ["Hybrid", "Sports"], "x": [5, 9], "y": [5, 1]})
    _, before = menu.services(catalog_fits, both)
    _, after = menu.services(catalog_fits, both.iloc[[1]])
    assert [k for k, v in before.items() if v == "Sports"] == list(after)


# --- a saved menu, as Find my massage loads it -------------------------------------------------

SAVED_IDS = ("relaxation", "pain_relief")
TYPES = ["Medical massage", "Spa massage"]


def test_a_saved_menu_loads_in_its_order():
    rows = [
        ("Hot stone ", {"relaxation": 9, "pain_relief": 2.5}),
        ("Sports", {"relaxation": 3, "pain_relief": 8}),
    ]
    loaded = menu.menu_from_saved(rows, SAVED_IDS, TYPES)
    assert loaded.to_dict("records") == [
        {"name": "Hot stone", "relaxation": 9.0, "pain_relief": 2.5},
        {"name": "Sports", "relaxation": 3.0, "pain_relief": 8.0},
    ]


@pytest.mark.parametrize(
    ("rows", "fault"),
    [
        (
            [("Sports", {"relaxation": 3})],
            "service 1 ('Sports') has no fit for 'pain_relief', a criterion added since the menu "
            "was saved; set it in the table and the menu is saved again.",
        ),
        (
            [
                ("A", {"relaxation": 3, "pain_relief": 1}),
                ("B", {"relaxation": "x", "pain_relief": 1}),
            ],
            "service 2 ('B'): the fit for 'relaxation' is not a number.",
        ),
        (
            [("A", {"relaxation": 11, "pain_relief": 1})],
            "service 1 ('A'): the fit for 'relaxation' is not from 0 to 10.",
        ),
        (
            [("A", {"relaxation": True, "pain_relief": 1})],
            "service 1 ('A'): the fit for 'relaxation' is not a number.",
        ),
        ([("A", "{broken")], "service 1 ('A'): its fits are damaged; save the menu again."),
        (
            [("Spa massage", {"relaxation": 1, "pain_relief": 1})],
            f"service 1 ('Spa massage'): {RESERVED_NAME}",
        ),
        ([(None, {})], "service 1 has no name."),
    ],
)
def test_a_damaged_saved_menu_names_the_service_and_the_fault(rows, fault):
    with pytest.raises(menu.SavedMenuError) as raised:
        menu.menu_from_saved(rows, SAVED_IDS, TYPES)
    assert str(raised.value) == fault


def test_a_refused_right_to_left_name_is_isolated_in_its_note() -> None:
    """A second Hebrew service of the same name: the note holds the quoted name between FSI and
    PDI, so "was left out" stays after it."""
    hebrew = "עיסוי רפואי"
    imported = menu.read_menu(menu_bytes(f"{hebrew},5,5", f"{hebrew},1,1"), CRITERIA, RESERVED)
    assert imported.problems[-1] == (
        f"the service named \u2068'{hebrew}'\u2069 was left out: That name is already on the menu."
    )


def test_every_note_on_a_menu_isolates_its_right_to_left_text_and_a_repeat_is_said_once() -> None:
    """Notes from the survey reader quote user text through notes.quoted, which isolates it: a
    faulty Arabic cell and a Hebrew name given twice. The name given twice is said once, by the
    name check, not also as a client who "answered more than once"."""
    hebrew, arabic = "עיסוי רפואי", "ممتاز"
    rows = (f"Hybrid,5,{arabic}", f"{hebrew},5,5", f"{hebrew},1,1")
    imported = menu.read_menu(menu_bytes(*rows), CRITERIA, RESERVED)
    assert imported.problems == [
        f"1 cell is not a number: \u2068'{arabic}'\u2069 (row 2, column 'y').",
        "1 of 3 rows has a faulty cell and was left out; the other 2 are used.",
        f"the service named \u2068'{hebrew}'\u2069 was left out: That name is already on the menu.",
    ]


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        (("A,x,1",), "the only row has a faulty cell and was left out."),
        (
            ("A,x,1", "B,5,5"),
            "1 of 2 rows has a faulty cell and was left out; the other row is used.",
        ),
        (
            ("A,x,1", "B,y,1", "C,5,5"),
            "2 of 3 rows have a faulty cell and were left out; the other row is used.",
        ),
        (
            ("A,x,1", "B,y,1"),
            "2 of 2 rows have a faulty cell and were left out; no other row is left.",
        ),
    ],
)
def test_rows_left_out_for_a_faulty_cell_are_counted_in_plain_english(rows, said) -> None:
    try:
        said_all = " ".join(menu.read_menu(menu_bytes(*rows), CRITERIA, RESERVED).problems)
    except InputFileError as error:  # no row left: the refusal gives the reasons
        said_all = str(error)
    assert said in said_all
