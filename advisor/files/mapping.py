"""Which column of an owner's file answers which criterion: the proposal, checks, and the file.

A mapping sends each column (by its header text) to a criterion id or to one of three roles:
`ignore` (not a criterion: timestamps, comments), `personal` (names, emails, phone numbers: never
copied anywhere) or `client_id` (the column that names each client, or each service on a menu).
The proposal tries, per column: the id column's names, the criterion id, the app's own label
(any case), a label or id at the end of a longer question, inside brackets (`How important is
each of these to you? [Relaxation]`) or after a separator (`... to you? - Relaxation`, `... >>
Relaxation`), the wording of the app's own template question, then words that mark personal data.
A label matches in another form of its words too (`Calm ambience` for Calming ambience: words
compared without an -ing, -ed or -s ending). A title that matches nothing is tried again without
a scale hint at its end (`scale_hint`: `Pain relief (0-10)`, `Calming ambience [1-5]`, `How
important: relaxation (1 = not, 5 = very)`); the hint is also evidence of the answer scale.

A menu's service names are found under the names booking systems use (MENU_NAMES: `name`,
`service`, `servicename`, `Service Name`, `treatment`, ... in any case, with or without spaces and
underscores); such a column is the menu's id column, never a personal one.

A mapping file edited by hand is read with care for the owner's edits: a syntax fault is named
by its line and column and what is wrong there (`json_fault`), and a column it names that the
file does not have is a note, not a refusal (`apply_saved`).
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from advisor.errors import InputFileError
from advisor.files.notes import KEPT, Note, listing, plural, quoted
from advisor.files.scales import AUTO, SCALES
from advisor.files.titles import clean_title

IGNORE = "ignore"
PERSONAL = "personal"
CLIENT = "client_id"
ROLES = (IGNORE, PERSONAL, CLIENT)
MAPPING_KIND = "massage-advisor survey mapping"
MAX_MAPPING_BYTES = 256 * 1024
NO_CRITERION = "no column is read as a criterion; choose a criterion for at least one."
_BRACKET = re.compile(r"\[([^\[\]]+)\]\s*$")
_PERSONAL = re.compile(
    r"\b(name|names|e-?mail|phone|mobile|telephone|tel|address|postcode|zip)\b", re.IGNORECASE
)
# Titles of facts about a client, a visit or the response itself (age, sex, counts, money, time
# spent, how far the form was filled in, its id), which are numbers but no rating of how much
# something matters.
_FACTS = re.compile(
    r"\b(age|aged|gender|sex|born|birth|year|years|height|weight|visits?|sessions?|bookings?"
    r"|how many|how often|how long|price|cost|spend|spent|paid|amount|duration|minutes|hours"
    r"|count|number|zip|postcode|progress|id)\b",
    re.IGNORECASE,
)
# What separates a matrix question from its row's label: "Question - Label", "Question >> Label".
_SEPARATORS = (" - ", " \u2013 ", " \u2014 ", ": ", " | ", " / ", ">>")
# A survey's client id column: a client, customer or patient (a clinic's word), alone or with
# an id, number, code or reference: `client_id`, `Client ID`, `Client number`, `Patient no.`
_CLIENT_TITLE = re.compile(
    r"^(client|customer|patient)[\s_-]*(id|number|no\.?|#|code|ref(erence)?)?$", re.IGNORECASE
)
# Id titles that may hold a person's name rather than an id: another id title comes first.
_BARE_IDS = frozenset({"client", "customer", "patient", "name"})
# A menu's id column as booking systems name it, compared without case, spaces, _ or -.
MENU_NAMES = frozenset({"name", "service", "servicename", "treatment", "treatmentname"})
# A scale hint closing a question title: "(0-10)", "[1-5]", "(1 to 7)", "(0-100%)", or its ends
# spelled out, "(1 = not, 5 = very)".
_RANGE_HINT = re.compile(
    r"\s*[(\[]\s*(\d+)\s*%?\s*(?:-|\u2013|\u2014|to)\s*(\d+)\s*%?\s*[)\]]\s*$", re.IGNORECASE
)
_ENDS_HINT = re.compile(r"\s*[(\[]\s*(\d+)\s*=[^()\[\]=]*?[,;/]\s*(\d+)\s*=[^()\[\]=]*[)\]]\s*$")
_ENDINGS = re.compile(r"(?<=\w{3})(?:ing|ed)?s?$")


@dataclass(frozen=True)
class Vocabulary:
    """What a header can be matched against: criterion ids, their labels and template questions
    (both keyed by id), and the name of the id column (`client_id`, or `name` for a menu)."""

    criterion_ids: tuple[str, ...]
    labels: Mapping[str, str] = field(default_factory=dict)
    questions: Mapping[str, str] = field(default_factory=dict)
    id_column: str = CLIENT


@dataclass(frozen=True)
class Proposal:
    """One column: its header, the proposed target, and why (plain words)."""

    column: str
    target: str
    reason: str


@functools.lru_cache(maxsize=4096)
def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", str(text).casefold()).split())


@functools.lru_cache(maxsize=4096)
def _stems(text: str) -> str:
    """A text's words without an -ing, -ed or -s ending: "calm ambience" for "Calming ambience"."""
    return " ".join(_ENDINGS.sub("", word) for word in _words(text).split())


def _criterion(text: str, vocabulary: Vocabulary) -> str | None:
    """The criterion whose id or label `text` is, in any case (its words in any form), or None."""
    key = _key(text)
    for cid in vocabulary.criterion_ids:
        if key in (cid, cid.replace("_", " ")) or key == _key(vocabulary.labels.get(cid, cid)):
            return cid
    stems = _stems(text)
    for cid in vocabulary.criterion_ids:
        if stems and stems == _stems(vocabulary.labels.get(cid, cid.replace("_", " "))):
            return cid
    return None


def _hint(title: str) -> re.Match[str] | None:
    return _RANGE_HINT.search(title) or _ENDS_HINT.search(title)


def scale_hint(title: str) -> str | None:
    """The answer scale a question title's closing hint gives (`Pain relief (1-5)` gives "1-5"),
    when it is one of SCALES' numeric ranges; else None (no hint, or one of no known scale)."""
    found = _hint(title)
    if found is None:
        return None
    key = f"{int(found.group(1))}-{int(found.group(2))}"
    return key if key in SCALES and not SCALES[key].words else None


def is_service_title(title: str) -> bool:
    """The title names a menu's services (MENU_NAMES, but not a bare `name`, which a survey
    uses for a client's name): `servicename`, `Service Name`, `Treatment`."""
    key = re.sub(r"[\s_-]+", "", _key(title))
    return key in MENU_NAMES and key != "name"


def is_client_title(title: str) -> bool:
    """The title names a survey's client id column (`client_id`, `Client ID`, `Customer ID`,
    `Client number`, `Patient no.`: _CLIENT_TITLE)."""
    return _CLIENT_TITLE.match(_key(title)) is not None


def _is_id_column(key: str, vocabulary: Vocabulary) -> bool:
    """The survey's client id column, or a menu's service name column (MENU_NAMES)."""
    if key == vocabulary.id_column:
        return True
    if vocabulary.id_column == CLIENT:
        return _CLIENT_TITLE.match(key) is not None
    return re.sub(r"[\s_-]+", "", key) in MENU_NAMES


def _propose_one(column: str, vocabulary: Vocabulary) -> tuple[str, str]:
    """A column's target and why: by its title, else by its title without a closing scale hint
    (`Pain relief (0-10)`)."""
    target, reason = _propose_title(column, vocabulary)
    found = _hint(column) if target == IGNORE else None
    if found is not None and found.start() > 0:
        bare, why = _propose_title(column[: found.start()], vocabulary)
        if bare != IGNORE:
            return bare, f"{why}, the scale hint {found.group().strip()!r} aside"
    return target, reason


def _propose_title(column: str, vocabulary: Vocabulary) -> tuple[str, str]:
    key = _key(column)
    if _is_id_column(key, vocabulary):
        return (
            CLIENT,
            "names each client" if vocabulary.id_column == CLIENT else "names each service",
        )
    if key in vocabulary.criterion_ids:
        return key, "the criterion id"
    if (cid := _criterion(column, vocabulary)) is not None:
        return cid, "the app's label for the criterion"
    bracket = _BRACKET.search(column)
    if bracket and (cid := _criterion(bracket.group(1), vocabulary)) is not None:
        return cid, "the criterion named in brackets"
    for separator in _SEPARATORS:
        tail = column.rsplit(separator, 1)[-1] if separator in column else ""
        if tail and (cid := _criterion(tail, vocabulary)) is not None:
            return cid, "the criterion named after the question"
    for cid, question in vocabulary.questions.items():
        if _words(column) == _words(question):
            return cid, "the survey template's question"
    if _PERSONAL.search(column):
        return PERSONAL, "looks personal (a name, email or phone number)"
    return IGNORE, "matches no criterion"


def is_fact(title: str) -> bool:
    """The title names a fact about the client or the visit (`Age`, `Visits this year`,
    `Price paid`, `Session length (minutes)`), whose numbers are no answer on a scale."""
    return bool(_FACTS.search(title))


def target_of(column: str, vocabulary: Vocabulary) -> str:
    """What one header text would be proposed as on its own (a criterion id or a role)."""
    return _propose_one(column, vocabulary)[0]


def propose(columns: Sequence[str], vocabulary: Vocabulary) -> list[Proposal]:
    """The proposed target of every column, in file order; a criterion or the client id that an
    earlier column already takes is proposed as `ignore`, saying which column has it. The id
    goes to the first title that names it outright (`Client ID`, `Service Name`) before a bare
    `Client` or `Name` anywhere in the file, which may hold a person's name."""
    titled = next((c for c in columns if _is_specific_id(c, vocabulary)), None)
    taken: dict[str, str] = {} if titled is None else {CLIENT: titled}
    proposals = []
    for column in columns:
        target, reason = _propose_one(column, vocabulary)
        if target == CLIENT and taken.get(CLIENT) == column:
            proposals.append(Proposal(column, target, reason))
            continue
        if target not in (IGNORE, PERSONAL) and target in taken:
            reason = f"column {taken[target]!r} already has this"
            target = IGNORE
        elif target not in (IGNORE, PERSONAL):
            taken[target] = column
        proposals.append(Proposal(column, target, reason))
    return proposals


def _is_specific_id(title: str, vocabulary: Vocabulary) -> bool:
    """The title names the id column and is not a bare `Client`, `Patient` or `Name` (_BARE_IDS)."""
    key = _key(title)
    return _is_id_column(key, vocabulary) and re.sub(r"[\s_-]+", "", key) not in _BARE_IDS


def is_exact(columns: Sequence[str], vocabulary: Vocabulary) -> bool:
    """True when every column is a criterion id or the id column, as the app's own files are."""
    known = {*vocabulary.criterion_ids, vocabulary.id_column}
    return len(set(columns)) == len(columns) and all(c in known for c in columns)


def check(mapping: Mapping[str, str], vocabulary: Vocabulary) -> list[str]:
    """What is wrong with a mapping, in plain words (empty when it can be used)."""
    problems = []
    known = {*vocabulary.criterion_ids, *ROLES}
    for column, target in mapping.items():
        if target not in known:
            problems.append(f"column {column!r}: {target!r} is not a criterion id or a role.")
    for target in [*vocabulary.criterion_ids, CLIENT]:
        columns = [c for c, t in mapping.items() if t == target]
        if len(columns) > 1:
            what = "the client id" if target == CLIENT else f"criterion {target!r}"
            problems.append(
                f"{what} is given to {len(columns)} columns ({', '.join(map(repr, columns))}); "
                "keep it on one column and set the others to not a criterion."
            )
    if not any(t in vocabulary.criterion_ids for t in mapping.values()):
        problems.append(NO_CRITERION)
    return problems


def mapping_json(mapping: Mapping[str, str], scale: str) -> bytes:
    """The mapping file: small JSON with each column's target and the answer scale."""
    return json.dumps(
        {"kind": MAPPING_KIND, "version": 1, "scale": scale, "columns": dict(mapping)},
        ensure_ascii=False,
        indent=1,
    ).encode("utf-8")


# What json reports, in plain words, with what to do there.
_JSON_FAULTS = (
    ("Expecting ',' delimiter", "a comma is missing between two entries"),
    ("Expecting ':' delimiter", "a colon is missing between a column's name and its target"),
    ("Unterminated string", 'a quote (") opens a text that is never closed'),
    ("Invalid control character", "a text holds a line break or tab; keep each text on one line"),
    ("Invalid \\escape", "a backslash starts something JSON does not know; write \\\\ for one"),
    ("Extra data", "there is more after the end of the mapping; delete it"),
    ("Expecting value", 'a value is missing here, or a text lacks its quotes (")'),
    ("Expecting property name", 'a name is missing here, or lacks its double quotes (")'),
)


def json_fault(text: str, error: json.JSONDecodeError) -> str:
    """Where a hand-edited JSON file is broken and what is wrong there, in plain words:
    "line 10, column 2: a comma after the last entry (at the end of line 9) ...".

    A trailing comma (one before a closing } or ]) is named as such: Python's json calls it a
    missing property name or value at the closing bracket, which is where the line and column
    point.
    """
    where = f"line {error.lineno}, column {error.colno}"
    before = text[: error.pos].rstrip()
    closing = text[error.pos : error.pos + 1] in ("}", "]")
    if closing and before.endswith(","):
        line = before.count("\n") + 1
        return (
            f"{where}: a comma after the last entry (at the end of line {line}) comes before "
            "the closing bracket; delete that comma"
        )
    for start, plain in _JSON_FAULTS:
        if error.msg.startswith(start):
            return f"{where}: {plain}"
    return f"{where}: {error.msg}"


_KEEP_EDITS = (
    "correct it in a text editor, save, and use the file again: your other edits are kept."
)


def read_mapping(data: bytes, name: str, vocabulary: Vocabulary) -> tuple[dict[str, str], str]:
    """A mapping file's columns and scale; InputFileError naming the file and the fault.

    It is read as UTF-8 (with or without a byte-order mark) or, by its mark, as UTF-16, as
    Windows Notepad saves "Unicode". A file edited by hand may name a column twice for one
    criterion (an old wording kept beside a new one): that is checked only once it is laid on a
    file's columns (`apply_saved`, then `check`), where a column the file does not have no
    longer counts.
    """
    if len(data) > MAX_MAPPING_BYTES:
        raise InputFileError(f"{name}: a mapping file is small; this one is too big to be one.")
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))  # Notepad's "Unicode" is UTF-16
    try:
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"{name}: byte {exc.start + 1} is not {'UTF-16' if utf16 else 'UTF-8'} text; save "
            "the file as UTF-8 in your "
            "text editor and upload it again (your edits are kept)."
        ) from None
    try:
        content = json.loads(text, object_pairs_hook=_Pairs)
    except json.JSONDecodeError as exc:
        raise InputFileError(f"{name}: {json_fault(text, exc)}; {_KEEP_EDITS}") from None
    except RecursionError:  # brackets nested thousands deep, which no saved mapping has
        raise InputFileError(
            f"{name}: not a mapping file the app saved (brackets nested too deep)."
        ) from None
    if not isinstance(content, _Pairs) or content.first("kind") != MAPPING_KIND:
        raise InputFileError(
            f'{name}: not a mapping file the app saved (it lacks "kind": '
            f'"{MAPPING_KIND}"); download the mapping from the page.'
        )
    faults = _content_faults(content, vocabulary)
    if faults:
        raise InputFileError(f"{name}: {'; '.join(faults)}; {_KEEP_EDITS}")
    return dict(content.first("columns")), content.first("scale", AUTO)


class _Pairs(list):
    """A JSON object as its (name, value) pairs in file order, so a name given twice is seen
    (json.loads would keep the last one silently)."""

    def first(self, name: str, default: object = None) -> object:
        """The value of the first entry called `name`, else `default`."""
        return next((value for key, value in self if key == name), default)


def _content_faults(content: _Pairs, vocabulary: Vocabulary) -> list[str]:
    """Every fault in a mapping file's content, in plain words (empty when it can be used)."""
    faults = [f"{key!r} is given twice; keep one" for key in _repeated(content)]
    version = content.first("version", 1)
    if version != 1:
        faults.append(
            f"'version' is {json.dumps(version)}, and this app reads version 1; download the "
            "mapping again from the page"
        )
    scale = content.first("scale", AUTO)
    if scale != AUTO and scale not in SCALES:
        faults.append(
            f"'scale' is {json.dumps(scale)}, not one of {', '.join(map(repr, SCALES))} or "
            f"{AUTO!r} (found from the answers)"
        )
    columns = content.first("columns")
    if not isinstance(columns, _Pairs):
        return [*faults, "'columns' must map each column's header to a target, inside { }"]
    return faults + _column_faults(columns, vocabulary)


def _repeated(pairs: _Pairs) -> list[str]:
    """The names given more than once in one JSON object, in file order."""
    names = [key for key, _ in pairs]
    return list(dict.fromkeys(n for n in names if names.count(n) > 1))


def _column_faults(columns: _Pairs, vocabulary: Vocabulary) -> list[str]:
    """Faults in the 'columns' object: a column given two different targets, a target that is
    not text, or not a criterion id or a role (each named, ten at most)."""
    faults = []
    for column in _repeated(columns):
        targets = list(dict.fromkeys(json.dumps(t) for c, t in columns if c == column))
        if len(targets) > 1:
            faults.append(f"column {column!r} is given {' and '.join(targets)}; keep one")
    known = {*vocabulary.criterion_ids, *ROLES}
    wrong = [
        f"column {column!r}: {json.dumps(target)} is not "
        + ("a criterion id or a role" if isinstance(target, str) else "text in quotes")
        for column, target in dict(columns).items()
        if not isinstance(target, str) or target not in known
    ]
    if wrong:
        shown = "; ".join(wrong[:10]) + (f"; and {len(wrong) - 10} more" if len(wrong) > 10 else "")
        faults.append(
            f"{shown} (a target is a criterion id such as "
            f"{json.dumps(vocabulary.criterion_ids[0])}, or {', '.join(map(json.dumps, ROLES))})"
        )
    return faults


def apply_saved(
    proposals: Sequence[Proposal], saved: Mapping[str, str]
) -> tuple[dict[str, str], list[Note]]:
    """The saved mapping laid on this file's columns, and notes on what did not fit.

    Columns are matched by their titles without formatting (`headers.clean_title`), so a
    mapping saved from the same form still fits; a title edited by hand only in its letter case
    ("relaxing is my main goal") fits the one column it names when no other title fits both. A
    column the saved mapping does not name keeps its proposal (one note names them); a saved
    column this file does not have is left out and the rest of the mapping used (one note names
    them).
    """
    fits = _saved_fits([p.column for p in proposals], list(saved))
    mapping: dict[str, str] = {}
    unnamed: list[str] = []
    for proposal in proposals:
        key = fits.get(proposal.column)
        if key is not None:
            mapping[proposal.column] = saved[key]
        else:
            mapping[proposal.column] = proposal.target
            unnamed.append(proposal.column)
    notes = []
    if unnamed:
        shown = listing([quoted(c) for c in unnamed], shown=10)
        notes.append(
            Note(
                "mapping",
                f"{plural(len(unnamed), 'column')} not in the mapping file, read as proposed: "
                f"{shown}.",
                columns=tuple(unnamed[:KEPT]),
            )
        )
    used = {clean_title(k) for k in fits.values()}
    absent = [c for c in saved if clean_title(c) not in used]
    if absent:
        notes.append(
            Note(
                "mapping",
                f"the mapping file names {plural(len(absent), 'column')} this file does not "
                f"have, left out; the rest of the mapping is used: "
                f"{listing([quoted(c) for c in absent], shown=10)}.",
                columns=tuple(absent[:KEPT]),
            )
        )
    return mapping, notes


def _saved_fits(columns: Sequence[str], keys: Sequence[str]) -> dict[str, str]:
    """Each column of the file and the saved mapping's key that names it: the key of the same
    title without formatting, else the one key of the same title in any letter case when that
    title is no other column's either."""
    by_title = {clean_title(k): k for k in keys}
    fits = {c: by_title[clean_title(c)] for c in columns if clean_title(c) in by_title}
    taken = set(fits.values())
    folded: dict[str, list[str]] = {}
    for key in keys:
        if key not in taken:
            folded.setdefault(clean_title(key).casefold(), []).append(key)
    left = [c for c in columns if c not in fits]
    counts = Counter(clean_title(c).casefold() for c in left)
    for column in left:
        fold = clean_title(column).casefold()
        if counts[fold] == 1 and len(folded.get(fold, ())) == 1:
            fits[column] = folded[fold][0]
    return fits
