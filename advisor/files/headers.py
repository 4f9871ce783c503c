"""Where the header is, and what its titles say once their formatting is taken off.

Every header cell is read without its formatting first (`titles.clean_title`), then
`find_header` finds the header among the first rows of a sheet or file (HEAD_ROWS): the row
  whose cells best match criterion ids, labels and the template's questions (`mapping.
  target_of`), or a question row combined with a row of sub-labels under it (a matrix question
  whose text sits in one row, merged or not, and whose criterion labels sit in the next: "How
  important is each of these to you?" over "Relaxation" reads as "How important is each of these
  to you? [Relaxation]"). Rows above the header (a title, a scale note, question ids) are
  skipped, and so are rows right under it that hold no answers: sub-labels that survey tools
  write there (SUB_LABELS, such as SurveyMonkey's "Response") or tool metadata: a row whose
  every filled cell is a JSON object (Qualtrics' `{"ImportId":"QID1"}`), however few of its
  columns are answers, or codes that differ only in their numbers from one answer column to the
  next and recur in no row below. When no
  row matches anything, row 1 is the header, as in a file whose columns the owner maps by hand.
  The caller can give the header rows instead (`given`): then those rows are the header and the
  next row is the first answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from advisor.files import mapping as mp
from advisor.files.notes import Choice, Note, listing, quoted
from advisor.files.scales import ANSWER_WORDS, word_key
from advisor.files.titles import clean_title

HEAD_ROWS = 30  # the rows a header is looked for in
_CONTINUATION_ROWS = 3  # rows under the header that may hold sub-labels or metadata
# What survey tools write in a row of sub-labels under the header over answer columns
# (SurveyMonkey: "Response", "Open-Ended Response"; others: "Answer", "Other (please specify)").
SUB_LABELS = frozenset({"response", "open-ended response", "answer", "other (please specify)"})
_NUMBER = re.compile(r"^[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?\s*%?$")


@dataclass(frozen=True)
class Header:
    """Where the header is, by index into the rows looked at (0 = the first): `rows` taken as
    the header (two for a question row and its sub-labels), `above` and `under` skipped rows,
    `start` the first row of answers. `texts` are the header's cells, formatting taken off."""

    texts: list[str]
    rows: tuple[int, ...]
    above: tuple[int, ...]
    under: tuple[int, ...]
    start: int
    given: bool = False
    score: tuple[int, int, int] = (0, 0, 0)


def _text(cell: object) -> str:
    if cell is None or (isinstance(cell, float) and cell != cell):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _combine(top: Sequence[str], sub: Sequence[str]) -> list[str]:
    """A question row over a row of sub-labels, cell by cell: "question [label]". The question
    reaches right over empty cells (a merged cell, or a matrix question written once); a cell
    with no label under it, or a sub-label such as "Response", keeps the question alone."""
    width = max(len(top), len(sub))
    filled, last = [], ""
    for j in range(width):
        cell = top[j] if j < len(top) else ""
        last = cell or last
        filled.append(cell or last)
    texts = []
    for j in range(width):
        label = sub[j] if j < len(sub) else ""
        own = top[j] if j < len(top) else ""
        if not label or word_key(label) in SUB_LABELS:
            texts.append(own)
        elif not filled[j]:
            texts.append(label)
        else:
            texts.append(f"{filled[j]} [{label}]")
    return texts


class _Scorer:
    """How well a row of header texts matches: criteria matched, then whether the client id is
    among them, then how many cells have a title at all (what a matrix's question row adds)."""

    def __init__(self, vocabulary: mp.Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.criteria = set(vocabulary.criterion_ids)
        self.cache: dict[str, str] = {}

    def target(self, text: str) -> str:
        if text not in self.cache:
            self.cache[text] = mp.target_of(text, self.vocabulary) if text else mp.IGNORE
        return self.cache[text]

    def score(self, texts: Sequence[str]) -> tuple[int, int, int]:
        titled = [t for t in texts if t and not _NUMBER.match(t)]
        targets = {self.target(t) for t in titled}
        return len(targets & self.criteria), int(mp.CLIENT in targets), len(titled)


def find_header(
    cells: Sequence[Sequence[object]],
    vocabulary: mp.Vocabulary,
    given: Sequence[int] | None = None,
) -> Header:
    """The header among the first rows (`cells`, at most HEAD_ROWS of them; see the module
    docstring). `given` are indexes into `cells` (0-based, consecutive) chosen by the caller.

    The best match wins; on a tie a single row before a combined pair, and an earlier row
    before a later one. A pair counts only if its question row adds titles to the cells.
    """
    rows = [[clean_title(_text(c).lstrip("\ufeff")) for c in row] for row in cells]
    if given:
        texts = rows[given[0]]
        for index in given[1:]:
            texts = _combine(texts, rows[index])
        first = min(given)
        score = _Scorer(vocabulary).score(texts)
        return Header(texts, tuple(given), tuple(range(first)), (), max(given) + 1, True, score)
    scorer = _Scorer(vocabulary)
    candidates = []
    for i, row in enumerate(rows):
        candidates.append((scorer.score(row), 1, -i, (i,), row))
        if i + 1 < len(rows) and _labels_row(rows[i + 1]):
            texts = _combine(row, rows[i + 1])
            candidates.append((scorer.score(texts), 0, -i, (i, i + 1), texts))
    best = max(candidates, default=None, key=lambda c: c[:3])
    if best is None or best[0][:2] == (0, 0):
        first_filled = next((i for i, row in enumerate(rows) if any(row)), 0)
        taken, texts = (first_filled,), rows[first_filled] if rows else []
        score = scorer.score(texts)
    else:
        score, taken, texts = best[0], best[3], best[4]
    end = taken[-1] + 1
    under: list[int] = []
    positions = [j for j, t in enumerate(texts) if scorer.target(t) in scorer.criteria]
    while end < len(rows) and len(under) < _CONTINUATION_ROWS:
        if not _holds_no_answers(rows[end], rows[end + 1 :], positions):
            break
        under.append(end)
        end += 1
    return Header(texts, taken, tuple(range(taken[0])), tuple(under), end, False, score)


def _labels_row(row: Sequence[str]) -> bool:
    """A row that may hold labels under a question row: more cells of text than of numbers (a
    row of answers in numbers is never combined with the row above it)."""
    filled = [c for c in row if c]
    numbers = sum(1 for c in filled if _NUMBER.match(c))
    return len(filled) - numbers > numbers


def _holds_no_answers(
    row: Sequence[str], below: Sequence[Sequence[str]], positions: Sequence[int]
) -> bool:
    """A row under the header that holds no answers: tool metadata, a row of JSON objects only
    (`_tool_metadata`, whatever `positions` are); or a row whose answer cells (`positions`) are
    all text that no answer is: no number, no percentage, no word of an answer scale; and either
    all sub-labels survey tools write there, or (over three answer columns or more) codes that
    differ only in their numbers, different in every column and found in no row below (QID1,
    QID2, ...; not a client's answers: "lots", "x" is a client's faulty row)."""
    if _tool_metadata(row):
        return True
    cells = [row[j] if j < len(row) else "" for j in positions]
    if not cells or not all(cells):
        return False
    keys = [word_key(c) for c in cells]
    if any(_NUMBER.match(c) for c in cells) or any(k in ANSWER_WORDS for k in keys):
        return False
    if all(k in SUB_LABELS for k in keys):
        return True
    if len(cells) < 3 or len(set(keys)) < len(keys):
        return False
    if len({re.sub(r"\d+", "", key) for key in keys}) > 1:
        return False  # not codes that differ only in their numbers (QID1, QID2, ...)
    return not any(
        j < len(other) and word_key(other[j]) == key
        for other in below
        for j, key in zip(positions, keys, strict=True)
    )


def _tool_metadata(row: Sequence[str]) -> bool:
    """A row whose every filled cell is a JSON object (`{"ImportId":"QID1"}`, what a survey tool
    writes about each of its columns): never a client's answers. A row with one cell of anything
    else (a number, a word, a list) is left to the other rules."""
    filled = [c.strip() for c in row if c.strip()]
    return bool(filled) and all(_json_object(c) for c in filled)


def _json_object(text: str) -> bool:
    if not (text.startswith("{") and text.endswith("}")):
        return False
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def header_note(
    header: Header, cells: Sequence[Sequence[object]], number: Sequence[int]
) -> Note | None:
    """The one note on where the header is, or None when it is row 1 alone and nothing was
    skipped. `number` gives each row's spreadsheet row number."""
    if header.rows == (0,) and not header.above and not header.under and not header.given:
        return None
    taken = [number[i] for i in header.rows]
    label = "row" if len(taken) == 1 else "rows"
    text = f"the header is {label} {listing([str(r) for r in taken])}"
    text += " (a question row over a row of labels)" if len(taken) > 1 else ""
    text += ", as chosen" if header.given else ""
    skipped = [*header.above, *header.under]
    values: list[str] = []
    parts = []
    if header.above:
        shown = [quoted(_first_text(cells[i])) for i in header.above if _first_text(cells[i])]
        values += [_first_text(cells[i]) for i in header.above if _first_text(cells[i])]
        what = f" ({listing(shown, shown=2)})" if shown else ""
        parts.append(f"{_span([number[i] for i in header.above])} above it{what}")
    if header.under:
        shown = [quoted(_first_text(cells[i], skip_empty=True)) for i in header.under]
        values += [_first_text(cells[i], skip_empty=True) for i in header.under]
        parts.append(
            f"{_span([number[i] for i in header.under])} under it, which "
            f"{'holds' if len(header.under) == 1 else 'hold'} labels or tool data, not answers "
            f"({listing(shown, shown=2)})"
        )
    if parts:
        text += "; skipped " + " and ".join(parts)
    if not header.given:
        text += "; if that is wrong, choose the header row"
    return Note(
        "header",
        text + ".",
        tuple(taken + [number[i] for i in skipped]),
        values=tuple(values),
        choices=() if header.given else (Choice("header_row"),),
    )


def _span(rows: Sequence[int]) -> str:
    if len(rows) == 1:
        return f"row {rows[0]}"
    if list(rows) == list(range(rows[0], rows[-1] + 1)):
        return f"rows {rows[0]}-{rows[-1]}"
    return f"rows {listing([str(r) for r in rows])}"


def _first_text(row: Sequence[object], skip_empty: bool = False) -> str:
    """The first cell with text in a row, for a note; under the header, the first cell that
    differs from a blank (a sub-label, not the empty cells over an id column)."""
    for cell in row:
        text = " ".join(_text(cell).split())
        if text:
            return text
    return "" if not skip_empty else "(empty)"
