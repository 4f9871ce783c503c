"""What the reader decided and what it found wrong, as notes a person reads where they look.

A note is one plain sentence in the reader's own words (never with the file's name: whoever shows
the notes names the file once), plus the user text it is about kept apart as plain data: the
spreadsheet rows, the column headers and the other values (ids, cells, sheet names) it names. A
page can show `text` through an element that does not parse markdown, or build its own table from
the parts. Notes of one kind are one note: a count and the first few places (`listing`).

A note that tells the owner how to decide otherwise names the choice (`Choice`: the header row,
the sheet, the scale, keeping repeats, the mapping), not a place to make it: each reader words it
for where the owner is (`Note.worded`), the command line by its flags (COMMAND_LINE) and the page
by its own controls, so one rule makes one note for both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from advisor.bidi import isolate

SHOWN = 3  # places named in a note's sentence; the rest are counted
KEPT = 100  # places kept in a note's data, for a page's table


# The choices a note can name, and the command line's flag for each (advisor.cli's arguments).
FLAGS = {
    "header_row": "--header-row",
    "sheet": "--sheet",
    "scale": "--scale",
    "keep_repeats": "--keep-repeats",
    "mapping": "--mapping",
}
CONTROLS = tuple(FLAGS)


@dataclass(frozen=True)
class Choice:
    """A choice the owner can make to decide otherwise: `control` is one of CONTROLS, `setting`
    the value to choose there (a scale's key such as "1-5"), or empty."""

    control: str
    setting: str = ""


@dataclass(frozen=True)
class Wording:
    """How one place names the owner's choices in a note: `where` opens the brackets ("command
    line"), `name` names one choice as the owner finds it there (a flag, a control's label)."""

    where: str
    name: Callable[[Choice], str]


def _flag(choice: Choice) -> str:
    flag = FLAGS[choice.control]
    return f"{flag} {choice.setting}" if choice.setting else flag


COMMAND_LINE = Wording("command line", _flag)


@dataclass(frozen=True)
class Note:
    """One note. `kind` names the rule or check that made it (see KINDS in reading.py's docstring:
    header, sheet, scale, summary_rows, repeats, blanks, no_answers, faults, ignored, columns,
    mapping, text); `rows` are spreadsheet rows (the header row counts), `columns` and `values` user
    text quoted in `text`, each at most KEPT long. `choices` are how the owner can decide otherwise,
    which `text` says in words but names no place for (see `worded`)."""

    kind: str
    text: str
    rows: tuple[int, ...] = ()
    columns: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()

    def __str__(self) -> str:
        return self.text

    def worded(self, wording: Wording) -> str:
        """The sentence with where to make its choices, as `wording` names them: "...; choose
        keep all (command line: --keep-repeats)." The text alone when it names no choice."""
        return with_choices(self.text, self.choices, wording)


def with_choices(text: str, choices: Sequence[Choice], wording: Wording) -> str:
    """`text` (a sentence, its full stop kept last) with its `choices` named in brackets before
    the full stop, as `wording` names them; several are alternatives ("--mapping or --sheet")."""
    if not choices:
        return text
    body, stop = (text[:-1], ".") if text.endswith(".") else (text, "")
    names = [wording.name(c) for c in choices]
    named = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"{body} ({wording.where}: {named}){stop}"


def listing(places: Sequence[str], total: int | None = None, shown: int = SHOWN) -> str:
    """The first `shown` places, then "and N more" for the rest of `total` (default: all):
    "row 4, row 7 and row 9" or "row 4, row 7, row 9 and 12 more"."""
    total = len(places) if total is None else total
    head = list(places[:shown])
    rest = total - len(head)
    if rest > 0:
        return ", ".join(head) + f" and {rest:,} more"
    if len(head) <= 1:
        return "".join(head)
    return ", ".join(head[:-1]) + " and " + head[-1]


def rows_text(rows: Sequence[int]) -> str:
    """ "row 4" or "rows 2 and 4" or "rows 2, 4, 9 and 3 more"."""
    label = "row" if len(rows) == 1 else "rows"
    return f"{label} {listing([str(r) for r in rows])}"


def plural(count: int, one: str, many: str | None = None) -> str:
    """ "1 cell", "3 cells" (or the given plural)."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def quoted(text: object, limit: int = 60) -> str:
    """User text in a note's sentence: in quotes, about `limit` characters; a longer one keeps
    its start and its end (where a matrix question names its row: "... [Pain relief]"), each cut
    between words, never inside one (a single long word is cut where it must be). Right-to-left
    text is isolated (advisor.bidi.isolate), so it cannot reorder the sentence around it."""
    value = str(text)
    if len(value) > limit:
        half = (limit - 1) // 2
        start, end = (
            _words_cut(value[:half], value[half]),
            _words_cut(value[-half:][::-1], value[-half - 1])[::-1],
        )
        value = start.rstrip() + " \u2026 " + end.lstrip()
    return isolate(repr(value))


def _words_cut(kept: str, next_char: str) -> str:
    """`kept`, whose end is a cut (`quoted` passes the tail reversed), without the word the cut
    split: up to its last space, when `next_char` goes on that word and there is such a space."""
    if next_char.isspace() or not kept.strip() or " " not in kept.strip():
        return kept
    return kept.rsplit(" ", 1)[0]
