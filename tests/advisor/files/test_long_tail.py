"""Issue 23's long tail, as rules for any tool: a row of tool metadata under the header when few
criteria map, a weak mapping that leaves answers unread, scale hints in question titles, numbered
answer words, and decimal commas in a comma-separated file."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.files.reading import read_survey
from advisor.files.template import vocabulary
from tests.advisor.files.tool_exports import CATALOG, CRITERIA

WORDS = vocabulary(CATALOG)
PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read(data: bytes, name: str = "s.csv", **kwargs):
    return read_survey(data, CRITERIA, name=name, vocabulary=WORDS, **kwargs)


def csv_bytes(rows: list[list[object]], sep: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


# --- 1. a row of tool metadata under the header, however few criteria map ----------------------

metadata = st.fixed_dictionaries(
    {"ImportId": st.from_regex(r"[A-Za-z]{2,8}[0-9]{0,3}", fullmatch=True)},
    optional={"timeZone": st.sampled_from(["America/Denver", "UTC"])},
).map(lambda d: json.dumps(d, separators=(",", ":")))


@PROPERTY
@given(
    asked=st.lists(st.sampled_from(CRITERIA), min_size=1, max_size=2, unique=True),
    answers=st.lists(st.lists(st.integers(0, 10), min_size=2, max_size=2), min_size=1, max_size=4),
    meta=st.lists(metadata, min_size=4, max_size=4),
    blank=st.integers(0, 3),
)
def test_a_metadata_row_is_skipped_however_few_criteria_map(asked, answers, meta, blank) -> None:
    header = ["ResponseId", *asked, "Comment", "Finished"]
    row = [meta[0], *meta[1 : 1 + len(asked)], meta[2], meta[3]]
    row[blank if blank < len(row) else 0] = ""  # a cell of it may be empty
    clients = [[f"R_{i}", *a[: len(asked)], "fine", "True"] for i, a in enumerate(answers)]
    imported = read(csv_bytes([header, row, *clients]), scale="0-10")
    assert imported.rows_kept == len(answers)
    assert imported.rows_read == len(answers)  # the metadata row is under the header, not read
    for j, cid in enumerate(asked):
        assert imported.frame[cid].tolist() == [float(a[j]) for a in answers]
    assert imported.notes[0].kind == "header"
    assert imported.notes[0].text.startswith(
        "the header is row 1; skipped row 2 under it, which holds labels or tool data, not "
        "answers ("
    )
    assert 2 in imported.notes[0].rows
    assert not [n for n in imported.notes if n.kind == "faults"]


def test_a_json_looking_answer_row_that_is_not_all_json_is_kept() -> None:
    data = csv_bytes([["relaxation", "note"], ['{"a":1}', "x"], ["7", "y"]])
    imported = read(data)
    assert imported.header_rows == (1,)
    assert imported.rows_read == 2  # a row with a cell that is no JSON object is a client's row
