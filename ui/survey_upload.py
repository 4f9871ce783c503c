"""Your clients, the first step of Position my clinic: upload a survey, get the template, or try
the page with the made-up sample. This module owns the survey's state and hands the page the
survey in use.

The state is one `SurveyState` under one session key (`pc_survey_state`); no other module reads
or writes it. It holds:

- `survey`: the survey in use (a `SurveyInUse`: frame, name, mapping, notes, content hash), or
  None while the sample is in use (the sample is shared by every visitor, cached once);
- `pending`: an upload waiting for the owner's choices (the mapping step, or a sheet): its bytes
  and the table read from them, dropped as soon as the owner confirms or another file comes;
- `data`: the bytes of a survey in use that was read at once (its columns were the criterion
  ids), kept zlib-compressed (a survey's CSV shrinks about 3 times: 45 MB to 14 MB for a million
  rows) only while its answer scale can still be changed; dropped when another file or the
  sample replaces it.

Once the owner's session has ended (past reconnecting), ui.memory's reaper lets go of all three,
and of every cache entry computed from the survey.

The uploader itself is made anew (a new key) once it has handed over a file, and Streamlit's
own copy of the file is dropped (ui.memory): the page holds at most one copy of an upload.
Weights are held as float32, as the reader makes them (0..10 with the precision the match is
shown at; the scored download rounds them). A file that cannot be used leaves the survey in use
as it was and says why, in plain text.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from advisor.catalog import Catalog
from advisor.clinic.answer import Clients
from advisor.errors import InputFileError
from advisor.files import mapping as mp
from advisor.files.headers import HEAD_ROWS
from advisor.files.notes import Note
from advisor.files.reading import (
    MEGABYTE,
    UPLOAD_LIMIT_MB,
    RawTable,
    SurveyImport,
    apply_mapping,
    read_table,
)
from advisor.files.scales import AUTO, SCALES
from advisor.files.template import questions_csv, questions_text, template_xlsx, vocabulary
from advisor.files.workbook import WORKBOOK_SUFFIXES
from advisor.files.writing import to_csv_bytes
from ui import memory
from ui.data import sample_survey
from ui.state import declare
from ui.survey_mapping import HEADER_ROW, KEEP_REPEATS, SCALE, SHEET, mapping_step, page_text
from ui.widgets import on_demand

SAMPLE_NAME = "the made-up sample"
UPLOAD_TYPES = ["csv", "txt", "tsv", *(s.lstrip(".") for s in WORKBOOK_SUFFIXES)]
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATE_KEY = "pc_survey_state"
NOT_USED = "This file could not be used; the survey in use stays as it was."

STATE = declare(
    __name__,
    owned=(
        STATE_KEY,
        "pc_survey_upload_*",
        "pc_use_sample",
        "pc_template_box",
        "pc_sheet_*",
        "pc_header_row_*",
        "pc_header_labels_*",
        "pc_keep_repeats_*",
        "pc_scale_read_*",
    ),
    kept=("pc_template_box",),
)


@dataclass(frozen=True)
class SurveyInUse:
    """The survey the page shows: `frame` is client_id plus one float32 weight (0..10) per
    criterion; `mapping` is the confirmed mapping (None when the file was read at once or for
    the sample) and `scale` the answer scale it was read on; `notes` what was left out,
    counted as 0 or rescaled; `asked` the criteria the file asked about; `key` a hash of the
    frame's content, which every cached result of the page is keyed on."""

    frame: pd.DataFrame
    name: str
    mapping: dict[str, str] | None
    scale: str
    notes: tuple[str, ...]
    asked: tuple[str, ...]
    key: str
    sample: bool = False

    @property
    def clients(self) -> Clients:
        return Clients(self.name, self.sample, self.asked)


@dataclass
class Pending:
    """An upload waiting for the owner: its bytes (for another sheet or header row), the table
    read from them, the mapping proposed or laid over from a saved file, and the scale and
    whether to keep a client's repeated answers, as chosen so far.
    `version` keys its widgets, so a new upload or a laid-over mapping starts them afresh."""

    data: bytes
    table: RawTable
    mapping: dict[str, str]
    scale: str = AUTO
    version: int = 0
    keep_repeats: bool = False
    mapping_seen: str | None = None
    mapping_notes: list[Note] = field(default_factory=list)
    mapping_error: str | None = None

    def lay_over(self, mapping: dict[str, str], notes: list[Note], scale: str) -> None:
        """A saved mapping file laid over the proposal: its mapping, notes and scale."""
        self.mapping, self.mapping_notes, self.mapping_error = mapping, notes, None
        self.scale = scale if scale in SCALES else AUTO
        self.version += 1


@dataclass
class SurveyState:
    """Everything of the survey step, under one session key (see the module's docstring)."""

    survey: SurveyInUse | None = None
    pending: Pending | None = None
    data: bytes | None = None
    uploads: int = 0
    error: str | None = None
    reasons: tuple[str, ...] = ()
    version: int = 0

    def next_version(self) -> int:
        self.version += 1
        return self.version


def _state() -> SurveyState:
    if STATE_KEY not in st.session_state:
        st.session_state[STATE_KEY] = SurveyState()
    return st.session_state[STATE_KEY]


def content_key(frame: pd.DataFrame) -> str:
    """A hash of a frame's columns and values (row order included), as hex."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr(list(frame.columns)).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def compact(frame: pd.DataFrame, criteria: tuple[str, ...]) -> pd.DataFrame:
    """The frame with its weight columns as float32 (half the memory of float64)."""
    return frame.astype({c: np.float32 for c in criteria if c in frame.columns})


def in_use(
    imported: SurveyImport, name: str, mapping: dict[str, str] | None, criteria: tuple[str, ...]
) -> SurveyInUse:
    """The survey in use made from what was read."""
    frame = compact(imported.frame, criteria)
    mapped = set(imported.mapping.values())
    asked = tuple(c for c in criteria if c in mapped)
    return SurveyInUse(
        frame=frame,
        name=name,
        mapping=mapping,
        scale=imported.scale.key,
        notes=tuple(page_text(note) for note in imported.notes),
        asked=asked,
        key=content_key(frame),
    )


@st.cache_data(max_entries=4, show_spinner=False)
def _sample(data_dir: str, _catalog: Catalog) -> SurveyInUse:
    """The made-up sample as a survey in use, hashed once per catalog (keyed by its folder)."""
    criteria = _catalog.criterion_ids
    frame = compact(sample_survey(_catalog), criteria)
    return SurveyInUse(frame, SAMPLE_NAME, None, "0-10", (), criteria, content_key(frame), True)


@st.cache_resource(max_entries=4, show_spinner=False)
def _vocabulary(_catalog: Catalog, data_dir: str) -> mp.Vocabulary:
    """What the reader recognises, once per catalog (keyed by its data folder): making it
    costs about 20 ms, which every rerun of the page would pay."""
    return vocabulary(_catalog)


def _template(catalog: Catalog) -> None:
    box = on_demand("No survey yet? The template: 13 questions to ask", "pc_template_box")
    if box is None:
        return
    with box:
        st.markdown(
            "Ask each client these questions, answered from 0 (not important at all) to 10 "
            "(most important). A spreadsheet with one row per client and the columns "
            "`client_id` and the criterion ids (as in the template) reads at once; a form "
            "tool's own export (whole questions as headers, 1-5 or 1-7 ratings, words such as "
            "*Very important*) is read after you check how its columns are mapped."
        )
        left, middle = st.columns(2)
        left.download_button(
            "Template workbook (.xlsx)",
            partial(template_xlsx, catalog),
            file_name="survey-template.xlsx",
            mime=XLSX_MIME,
            icon=":material/download:",
            on_click="ignore",
        )
        middle.download_button(
            "Questions (.csv)",
            partial(questions_csv, catalog),
            file_name="survey-questions.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
        )
        st.caption("The questions as text, to paste into a form builder:")
        st.code(questions_text(catalog), language=None)


def _use(
    state: SurveyState,
    imported: SurveyImport,
    name: str,
    mapping: dict[str, str] | None,
    criteria: tuple[str, ...],
    data: bytes | None,
) -> bool:
    """Put what was read in use, keeping `data` (the file's bytes, when its scale can still be
    changed) compressed; False (and the survey in use kept) when no row could be used."""
    if not imported.rows_kept:
        refusal = imported.refusal()
        state.error, state.reasons = str(refusal), tuple(page_text(r) for r in refusal.reasons)
        return False
    state.survey = in_use(imported, name, mapping, criteria)
    kept = None if data is None else zlib.compress(data, 1)  # level 1: about 0.5 s for 45 MB
    state.pending, state.data, state.error, state.reasons = None, kept, None, ()
    return True


def _read(
    state: SurveyState,
    data: bytes,
    name: str,
    words: mp.Vocabulary,
    sheet: str | None = None,
    header_rows: tuple[int, ...] | None = None,
) -> bool:
    """Read an upload (its `sheet` and `header_rows`, or those the reader finds): straight into
    use when its columns are the criterion ids, else into the mapping step. False when nothing
    could be used (state.error and state.reasons say why; the survey in use stays as it was)."""
    state.error, state.reasons = None, ()
    limit = UPLOAD_LIMIT_MB * MEGABYTE
    try:
        table = read_table(data, words, name, sheet, max_bytes=limit, header_rows=header_rows)
        if mp.is_exact(table.columns, words) and len(table.sheets) <= 1:
            imported = apply_mapping(table, table.proposed(), words, AUTO)
            return _use(state, imported, name, None, words.criterion_ids, data)
    except InputFileError as error:
        state.error, state.reasons = str(error), tuple(page_text(r) for r in error.reasons)
        return False
    state.pending = Pending(data, table, table.proposed(), version=state.next_version())
    return True


def _reading_choices(state: SurveyState, pending: Pending, words: mp.Vocabulary) -> None:
    """How the file is read, which the owner can change when the reader's guess is wrong: the
    sheet, the header row (and a row of labels under it), and whether a client who answered
    more than once counts once (the latest answer) or every time. A new sheet or header row
    reads the file again from its bytes; a file that cannot be read so says why and keeps the
    table as it was."""
    table = pending.table
    with st.container(border=True):
        st.caption("How the file is read (change it if a guess is wrong):")
        columns = st.columns(3 if len(table.sheets) > 1 else 2)
        if len(table.sheets) > 1:
            sheet = columns[2].selectbox(
                SHEET,
                table.sheets,
                index=table.sheets.index(table.sheet),
                key=f"pc_sheet_{pending.version}",
            )
        else:
            sheet = table.sheet
        first = columns[0].number_input(
            HEADER_ROW,
            min_value=1,
            max_value=HEAD_ROWS,
            value=table.header_rows[0],
            step=1,
            key=f"pc_header_row_{pending.version}",
            help=f"The row of the file that holds the questions, among the first {HEAD_ROWS}.",
        )
        labels = columns[1].checkbox(
            "The row under it holds labels",
            value=len(table.header_rows) > 1,
            key=f"pc_header_labels_{pending.version}",
            help="For a question row over a row of labels (a matrix question).",
        )
        pending.keep_repeats = st.checkbox(
            KEEP_REPEATS,
            value=pending.keep_repeats,
            key=f"pc_keep_repeats_{pending.version}",
            help="Otherwise the latest answer is kept (by the timestamp, where there is one).",
        )
    rows = (int(first), int(first) + 1) if labels else (int(first),)
    if sheet != table.sheet or rows != tuple(table.header_rows):
        keep = pending.keep_repeats
        if _read(state, pending.data, table.name, words, sheet, rows):
            if state.pending is not None:
                state.pending.keep_repeats = keep
        else:
            pending.version = state.next_version()  # the choices show the table in use again
        st.rerun()


def _upload(state: SurveyState, words: mp.Vocabulary) -> None:
    """The uploader; a file it receives is read, and the uploader is made anew (its key
    changes), so that Streamlit drops its own copy of the file."""
    upload = st.file_uploader(
        f"Upload your client survey (CSV, text or Excel workbook, up to {UPLOAD_LIMIT_MB} MB)",
        type=UPLOAD_TYPES,
        key=f"pc_survey_upload_{state.uploads}",
        help="A form tool's export as it comes, or the template filled in. One row per client.",
    )
    st.caption(
        "Refused as too big or the wrong kind? In your spreadsheet app, keep only the answer "
        "columns and save as CSV (.csv)."
    )
    if upload is not None:
        state.uploads += 1
        memory.forget_upload(upload.file_id)
        _read(state, upload.getvalue(), upload.name, words)
        st.rerun()


def survey_step(catalog: Catalog) -> SurveyInUse:
    """Draw "Your clients" (the uploader, the template, what is in use, the mapping step) and
    return the survey in use: the owner's, or the made-up sample."""
    state = _state()
    words = _vocabulary(catalog, str(catalog.data_dir))
    st.header("Your clients", anchor=False)
    _upload(state, words)
    _template(catalog)
    if state.error:
        _refusal(state)
    if state.pending is not None:
        _pending(state, state.pending, catalog, words)
    survey = state.survey or _sample(str(catalog.data_dir), catalog)
    memory.hold(None if survey.sample else survey.key, partial(_let_go, state))
    _shown(state, survey, len(catalog.criterion_ids))
    return survey


def _let_go(state: SurveyState) -> None:
    """What a session that has ended holds of its own, let go of (ui.memory's reaper calls it
    once the session cannot come back): the survey in use, an upload waiting, the bytes."""
    state.survey, state.pending, state.data = None, None, None


def _refusal(state: SurveyState) -> None:
    """Why the last file could not be used, where the owner looks: the refusal, and each
    reason with its row and column (plain text and table cells: they quote the owner's file)."""
    st.error(NOT_USED, icon=":material/error:")
    for line in (state.error, *state.reasons):
        st.text(line)


def _pending(state: SurveyState, pending: Pending, catalog: Catalog, words: mp.Vocabulary) -> None:
    st.warning(
        "Check how the columns of your file are read, change any row, then press Confirm. "
        "Until then the survey in use stays as it was.",
        icon=":material/table_edit:",
    )
    st.text(pending.table.source)  # the file (and sheet): the owner's text, never markup
    _reading_choices(state, pending, words)
    imported = mapping_step(pending, catalog, words)
    if imported is not None and _use(
        state, imported, pending.table.name, imported.mapping, words.criterion_ids, None
    ):
        st.rerun()


def _shown(state: SurveyState, survey: SurveyInUse, criteria: int) -> None:
    """What is in use: the sample, or the owner's file (its notes come under the answer); a
    warning, not a success, when some of the `criteria` have no column (each counts 0 for every
    client, which changes every answer)."""
    count = f"{len(survey.frame):,} " + ("client" if len(survey.frame) == 1 else "clients")
    if survey.sample:
        st.info(
            f"In use now: {count} made up for this example, not yours. Upload your own survey "
            "above to see the answer about your clients.",
            icon=":material/science:",
        )
        return
    notes = len(survey.notes)
    said = f"{notes} note" + ("s" if notes != 1 else "") + " on how it was read, under the answer"
    left, right = st.columns([3, 1], vertical_alignment="center")
    text = f"In use now: your survey, {count}" + (f" ({said})." if notes else ".")
    missing = criteria - len(survey.asked)
    if missing:
        left.warning(
            f"{text} {missing} of {criteria} criteria have no column, so each counts 0.",
            icon=":material/warning:",
        )
    else:
        left.success(text, icon=":material/check_circle:")
    left.text(survey.name)  # the file's name: the owner's text, never markup
    if right.button("Back to the sample", key="pc_use_sample"):
        state.survey, state.data, state.error, state.reasons = None, None, None, ()
        st.rerun()


def reading_section(catalog: Catalog) -> None:
    """How the survey in use was read, right under the answer: every note (what was left out,
    counted as 0 or rescaled), the mapping to download, and the answer scale of a file read at
    once. Nothing for the sample."""
    state = _state()
    survey = state.survey
    if survey is None or not (survey.notes or survey.mapping is not None or state.data):
        return
    st.subheader("How your survey was read", anchor=False)
    if survey.notes:
        notes = f"{len(survey.notes)} note" + ("s" if len(survey.notes) != 1 else "")
        st.warning(
            f"{notes} on your survey: what was left out, counted as 0 or rescaled.",
            icon=":material/info:",
        )
        for note in survey.notes:
            st.text(note)
    if survey.mapping is not None:
        st.download_button(
            "Download this mapping (.json), to read the next export the same way",
            mp.mapping_json(survey.mapping, survey.scale),
            file_name="survey-mapping.json",
            mime="application/json",
            icon=":material/download:",
            on_click="ignore",
        )
    if state.data is not None:
        _rescale(state, survey, _vocabulary(catalog, str(catalog.data_dir)))


def _rescale(state: SurveyState, survey: SurveyInUse, words: mp.Vocabulary) -> None:
    """The answer scale of a file read at once, which the owner can change: the file is read
    again from its bytes on the chosen scale."""
    scales = list(SCALES)
    scale = st.selectbox(
        SCALE,
        scales,
        index=scales.index(survey.scale) if survey.scale in scales else 0,
        key=f"pc_scale_read_{state.version}",
        format_func=lambda k: SCALES[k].label,
        help="Recognised from the answers; every scale is read linearly onto 0-10.",
    )
    if scale == survey.scale or state.data is None:
        return
    try:
        data = zlib.decompress(state.data)
        table = read_table(data, words, survey.name, max_bytes=UPLOAD_LIMIT_MB * MEGABYTE)
        imported = apply_mapping(table, table.proposed(), words, scale)
    except InputFileError as error:
        st.text(str(error))
        return
    if _use(state, imported, survey.name, None, words.criterion_ids, data):
        st.rerun()


def scored_download(make: Callable[[], pd.DataFrame]) -> None:
    """The scored-survey download: the file is made only when the owner presses the button."""
    st.download_button(
        "Download the scored survey (.csv)",
        lambda: to_csv_bytes(make()),
        file_name="scored-survey.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
