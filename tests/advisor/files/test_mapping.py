"""advisor.files.mapping: the proposal per column, the checks, the mapping file, a saved one."""

from __future__ import annotations

import json

import pytest

from advisor.errors import InputFileError
from advisor.files.mapping import (
    CLIENT,
    IGNORE,
    MAPPING_KIND,
    MAX_MAPPING_BYTES,
    NO_CRITERION,
    PERSONAL,
    Proposal,
    Vocabulary,
    apply_saved,
    check,
    is_exact,
    mapping_json,
    propose,
    read_mapping,
)

VOCABULARY = Vocabulary(
    ("relaxation", "pain_relief"),
    {"relaxation": "Relaxation", "pain_relief": "Pain relief"},
    {"relaxation": "How important is relaxation?", "pain_relief": "Is pain relief important?"},
)
FORM_QUESTION = "How important is each of these to you? [Relaxation]"
MENU = Vocabulary(("relaxation",), {"relaxation": "Relaxation"}, id_column="name")


@pytest.mark.parametrize(
    ("column", "target", "reason"),
    [
        ("client_id", CLIENT, "names each client"),
        ("Client ID", CLIENT, "names each client"),
        ("customer_id", CLIENT, "names each client"),
        ("relaxation", "relaxation", "the criterion id"),
        (" RELAXATION ", "relaxation", "the criterion id"),
        ("Pain relief", "pain_relief", "the app's label for the criterion"),
        ("pain   relief", "pain_relief", "the app's label for the criterion"),
        (FORM_QUESTION, "relaxation", "the criterion named in brackets"),
        ("Rate these [pain_relief]  ", "pain_relief", "the criterion named in brackets"),
        ("Rate these [Sleep]", IGNORE, "matches no criterion"),
        ("how important is relaxation", "relaxation", "the survey template's question"),
        ("Is pain-relief important?!", "pain_relief", "the survey template's question"),
        ("Your name", PERSONAL, "looks personal (a name, email or phone number)"),
        ("E-mail", PERSONAL, "looks personal (a name, email or phone number)"),
        ("Phone number", PERSONAL, "looks personal (a name, email or phone number)"),
        ("Post code", IGNORE, "matches no criterion"),
        ("Username", IGNORE, "matches no criterion"),
        ("Timestamp", IGNORE, "matches no criterion"),
    ],
)
def test_propose_one_column(column: str, target: str, reason: str) -> None:
    assert propose([column], VOCABULARY) == [Proposal(column, target, reason)]


@pytest.mark.parametrize(
    ("column", "target"),
    [("name", CLIENT), ("Name", CLIENT), ("client_id", IGNORE), ("Relaxation", "relaxation")],
)
def test_propose_on_a_menu_the_id_column_is_name(column: str, target: str) -> None:
    assert propose([column], MENU)[0].target == target


def test_propose_gives_each_criterion_and_the_client_id_to_the_first_column_only() -> None:
    columns = ["Client", "relaxation", "Relaxation", "client id", "Name", "Email", "Notes"]
    assert propose(columns, VOCABULARY) == [
        # a bare "Client" may hold names: the id goes to the title that names it outright
        Proposal("Client", IGNORE, "column 'client id' already has this"),
        Proposal("relaxation", "relaxation", "the criterion id"),
        Proposal("Relaxation", IGNORE, "column 'relaxation' already has this"),
        Proposal("client id", CLIENT, "names each client"),
        Proposal("Name", PERSONAL, "looks personal (a name, email or phone number)"),
        Proposal("Email", PERSONAL, "looks personal (a name, email or phone number)"),
        Proposal("Notes", IGNORE, "matches no criterion"),
    ]


@pytest.mark.parametrize(
    ("columns", "exact"),
    [
        (["client_id", "relaxation", "pain_relief"], True),
        (["pain_relief"], True),
        ([], True),
        (["client_id", "Relaxation"], False),
        (["relaxation", "relaxation"], False),
        (["name", "relaxation"], False),
    ],
)
def test_is_exact(columns: list[str], exact: bool) -> None:
    assert is_exact(columns, VOCABULARY) is exact


@pytest.mark.parametrize(
    ("mapping", "problems"),
    [
        pytest.param({"A": "relaxation", "B": CLIENT, "C": PERSONAL, "D": IGNORE}, [], id="good"),
        pytest.param(
            {"A": "relaxation", "B": "sleep"},
            ["column 'B': 'sleep' is not a criterion id or a role."],
            id="unknown-target",
        ),
        pytest.param(
            {"A": "relaxation", "B": "relaxation", "C": "relaxation"},
            [
                "criterion 'relaxation' is given to 3 columns ('A', 'B', 'C'); keep it on one "
                "column and set the others to not a criterion."
            ],
            id="criterion-twice",
        ),
        pytest.param(
            {"A": CLIENT, "B": CLIENT, "C": "pain_relief"},
            [
                "the client id is given to 2 columns ('A', 'B'); keep it on one column and set "
                "the others to not a criterion."
            ],
            id="client-twice",
        ),
        pytest.param({"A": IGNORE, "B": PERSONAL}, [NO_CRITERION], id="no-criterion"),
        pytest.param({}, [NO_CRITERION], id="empty"),
        pytest.param(
            {"A": "Relaxation"},
            ["column 'A': 'Relaxation' is not a criterion id or a role.", NO_CRITERION],
            id="label-is-not-an-id",
        ),
    ],
)
def test_check(mapping: dict[str, str], problems: list[str]) -> None:
    assert check(mapping, VOCABULARY) == problems


def test_mapping_json_reads_back() -> None:
    mapping = {"Wie wichtig ist Entspannung?": "relaxation", "E-Mail": PERSONAL}
    data = mapping_json(mapping, "1-5")
    assert json.loads(data) == {
        "kind": MAPPING_KIND,
        "version": 1,
        "scale": "1-5",
        "columns": mapping,
    }
    assert "Entspannung" in data.decode("utf-8")  # kept as written, not \u-escaped
    assert read_mapping(data, "m.json", VOCABULARY) == (mapping, "1-5")


KEEP = "; correct it in a text editor, save, and use the file again: your other edits are kept."
TARGETS = ' (a target is a criterion id such as "relaxation", or "ignore", "personal", "client_id")'


def saved(content: object) -> bytes:
    return json.dumps(content).encode("utf-8")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            {"kind": MAPPING_KIND, "columns": {"A": "relaxation"}},
            ({"A": "relaxation"}, "auto"),
            id="no-scale-is-auto",
        ),
        pytest.param(
            {"kind": MAPPING_KIND, "version": 1, "scale": "1-5", "columns": {"A": "relaxation"}},
            ({"A": "relaxation"}, "1-5"),
            id="version-1",
        ),
        pytest.param(
            {"kind": MAPPING_KIND, "scale": "importance", "columns": {"A": IGNORE}},
            ({"A": IGNORE}, "importance"),
            id="no-criterion-is-allowed",
        ),
    ],
)
def test_read_mapping(content: object, expected: tuple[dict[str, str], str]) -> None:
    assert read_mapping(saved(content), "m.json", VOCABULARY) == expected


def test_read_mapping_takes_a_utf8_bom() -> None:
    data = b"\xef\xbb\xbf" + mapping_json({"A": "relaxation"}, "auto")
    assert read_mapping(data, "m.json", VOCABULARY) == ({"A": "relaxation"}, "auto")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            b" " * (MAX_MAPPING_BYTES + 1),
            "m.json: a mapping file is small; this one is too big to be one.",
            id="too-big",
        ),
        pytest.param(
            b"{not json",
            "m.json: line 1, column 2: a name is missing here, or lacks its double quotes "
            '("); correct it in a text editor, save, and use the file again: your other edits '
            "are kept.",
            id="not-json",
        ),
        pytest.param(
            b"\x80{}",
            "m.json: byte 1 is not UTF-8 text; save the file as UTF-8 in your text editor and "
            "upload it again (your edits are kept).",
            id="not-utf8",
        ),
        pytest.param(
            saved({"kind": "something else", "columns": {}}),
            'm.json: not a mapping file the app saved (it lacks "kind": "massage-advisor '
            'survey mapping"); download the mapping from the page.',
            id="wrong-kind",
        ),
        pytest.param(
            saved([MAPPING_KIND]),
            'm.json: not a mapping file the app saved (it lacks "kind": "massage-advisor '
            'survey mapping"); download the mapping from the page.',
            id="not-an-object",
        ),
        pytest.param(
            saved({"kind": MAPPING_KIND, "columns": ["A"]}),
            "m.json: 'columns' must map each column's header to a target, inside { }" + KEEP,
            id="columns-a-list",
        ),
        pytest.param(
            saved({"kind": MAPPING_KIND, "columns": {"A": 3}}),
            "m.json: column 'A': 3 is not text in quotes" + TARGETS + KEEP,
            id="target-not-text",
        ),
        pytest.param(
            saved({"kind": MAPPING_KIND, "columns": {"A": "sleep", "B": "relaxation"}}),
            "m.json: column 'A': \"sleep\" is not a criterion id or a role" + TARGETS + KEEP,
            id="unknown-target",
        ),
        pytest.param(
            saved({"kind": MAPPING_KIND, "columns": {"A": "sleep", "B": None, "C": "ignore"}}),
            "m.json: column 'A': \"sleep\" is not a criterion id or a role; column 'B': null is "
            "not text in quotes" + TARGETS + KEEP,
            id="every-wrong-target-named",
        ),
        pytest.param(
            b'{"kind": "massage-advisor survey mapping", "columns": {"A": "relaxation", '
            b'"A": "ignore"}}',
            'm.json: column \'A\' is given "relaxation" and "ignore"; keep one' + KEEP,
            id="a-column-given-twice",
        ),
        pytest.param(
            b'{"kind": "massage-advisor survey mapping", "scale": "1-5", "scale": "1-7", '
            b'"columns": {}}',
            "m.json: 'scale' is given twice; keep one" + KEEP,
            id="a-name-given-twice",
        ),
        pytest.param(
            saved({"kind": MAPPING_KIND, "scale": 5, "columns": {"A": "relaxation"}}),
            "m.json: 'scale' is 5, not one of '0-10', '1-10', '1-5', '1-7', '0-100', '0-1', "
            "'importance', 'agreement' or 'auto' (found from the answers)" + KEEP,
            id="scale-unknown",
        ),
        pytest.param(
            saved({"kind": MAPPING_KIND, "version": 2, "columns": {"A": "relaxation"}}),
            "m.json: 'version' is 2, and this app reads version 1; download the mapping again "
            "from the page" + KEEP,
            id="a-newer-version",
        ),
        pytest.param(
            b'{"kind": "massage-advisor survey mapping", "columns": {"A": "relaxation",}}',
            "m.json: line 1, column 74: a comma after the last entry (at the end of line 1) "
            "comes before the closing bracket; delete that comma; correct it in a text editor, "
            "save, and use the file again: your other edits are kept.",
            id="trailing-comma",
        ),
        pytest.param(
            b'{"kind": "massage-advisor survey mapping",\n "columns": {"A": "relaxation" "B": 1}}',
            "m.json: line 2, column 32: a comma is missing between two entries; correct it in "
            "a text editor, save, and use the file again: your other edits are kept.",
            id="missing-comma",
        ),
    ],
)
def test_read_mapping_refuses_naming_the_file_and_the_fault(data: bytes, message: str) -> None:
    with pytest.raises(InputFileError) as raised:
        read_mapping(data, "m.json", VOCABULARY)
    assert str(raised.value) == message


def test_apply_saved_lays_the_saved_targets_on_this_files_columns() -> None:
    proposals = [
        Proposal("Q1", "relaxation", "the criterion id"),
        Proposal("Q2", IGNORE, "matches no criterion"),
        Proposal("Email", PERSONAL, "looks personal (a name, email or phone number)"),
    ]
    mapping, notes = apply_saved(proposals, {"Q1": IGNORE, "Q2": "pain_relief", "Old": CLIENT})
    assert mapping == {"Q1": IGNORE, "Q2": "pain_relief", "Email": PERSONAL}
    assert [n.text for n in notes] == [
        "1 column not in the mapping file, read as proposed: 'Email'.",
        "the mapping file names 1 column this file does not have, left out; the rest of the "
        "mapping is used: 'Old'.",
    ]
    assert [n.columns for n in notes] == [("Email",), ("Old",)]  # user text kept apart


def test_apply_saved_matches_titles_without_their_formatting() -> None:
    proposals = [Proposal("How important is relaxation?", IGNORE, "matches no criterion")]
    saved = {"How important is <b>relaxation</b>?": "relaxation"}
    assert apply_saved(proposals, saved) == ({"How important is relaxation?": "relaxation"}, [])


def test_a_hand_edited_mapping_may_name_a_criterion_twice_until_laid_on_a_file() -> None:
    columns = {"Old wording": "relaxation", "New wording": "relaxation"}
    content = {"kind": MAPPING_KIND, "columns": columns}
    assert read_mapping(saved(content), "m.json", VOCABULARY) == (columns, "auto")
    mapping, notes = apply_saved([Proposal("New wording", IGNORE, "")], columns)
    assert mapping == {"New wording": "relaxation"}
    assert check(mapping, VOCABULARY) == []
    assert "'Old wording'" in notes[0].text


def test_apply_saved_names_at_most_ten_absent_columns() -> None:
    mapping, notes = apply_saved([], {f"C{i}": IGNORE for i in range(12)})
    assert mapping == {}
    assert [n.text for n in notes] == [
        "the mapping file names 12 columns this file does not have, left out; the rest of the "
        "mapping is used: " + ", ".join(f"'C{i}'" for i in range(10)) + " and 2 more."
    ]


def test_apply_saved_with_everything_matching_has_no_notes() -> None:
    proposals = [Proposal("A", IGNORE, "matches no criterion")]
    assert apply_saved(proposals, {"A": "relaxation"}) == ({"A": "relaxation"}, [])
