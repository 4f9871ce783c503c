"""Which column of an owner's file answers which criterion: the proposal, checks, and the file.

A mapping sends each column (by its header text) to a criterion id or to one of three roles:
`ignore` (not a criterion: timestamps, comments), `personal` (names, emails, phone numbers: never
copied anywhere) or `client_id` (the column that names each client). The proposal tries, per
column: the criterion id, the app's own label (any case), a label or id inside brackets at the end
of a longer question (`How important is each of these to you? [Relaxation]`), the wording of the
app's own template question, then words that mark personal data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from advisor.errors import InputFileError

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
_CLIENT_NAMES = {"client_id", "client id", "client", "clientid", "customer id", "customer_id"}


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


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", str(text).casefold()).split())


def _criterion(text: str, vocabulary: Vocabulary) -> str | None:
    """The criterion whose id or label `text` is, in any case, or None."""
    key = _key(text)
    for cid in vocabulary.criterion_ids:
        if key in (cid, cid.replace("_", " ")) or key == _key(vocabulary.labels.get(cid, cid)):
            return cid
    return None


def _propose_one(column: str, vocabulary: Vocabulary) -> tuple[str, str]:
    key = _key(column)
    if key == vocabulary.id_column or (vocabulary.id_column == CLIENT and key in _CLIENT_NAMES):
        return CLIENT, "names each client"
    if key in vocabulary.criterion_ids:
        return key, "the criterion id"
    if (cid := _criterion(column, vocabulary)) is not None:
        return cid, "the app's label for the criterion"
    bracket = _BRACKET.search(column)
    if bracket and (cid := _criterion(bracket.group(1), vocabulary)) is not None:
        return cid, "the criterion named in brackets"
    for cid, question in vocabulary.questions.items():
        if _words(column) == _words(question):
            return cid, "the survey template's question"
    if _PERSONAL.search(column):
        return PERSONAL, "looks personal (a name, email or phone number)"
    return IGNORE, "matches no criterion"


def propose(columns: Sequence[str], vocabulary: Vocabulary) -> list[Proposal]:
    """The proposed target of every column, in file order; a criterion or the client id that an
    earlier column already takes is proposed as `ignore`, saying which column has it."""
    taken: dict[str, str] = {}
    proposals = []
    for column in columns:
        target, reason = _propose_one(column, vocabulary)
        if target not in (IGNORE, PERSONAL) and target in taken:
            reason = f"column {taken[target]!r} already has this"
            target = IGNORE
        elif target not in (IGNORE, PERSONAL):
            taken[target] = column
        proposals.append(Proposal(column, target, reason))
    return proposals


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


def read_mapping(data: bytes, name: str, vocabulary: Vocabulary) -> tuple[dict[str, str], str]:
    """A mapping file's columns and scale; InputFileError naming the file and the fault."""
    if len(data) > MAX_MAPPING_BYTES:
        raise InputFileError(f"{name}: a mapping file is small; this one is too big to be one.")
    try:
        content = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        # RecursionError: brackets nested thousands deep, which no saved mapping has
        raise InputFileError(
            f"{name}: not a mapping file the app saved ({exc.__class__.__name__}); "
            "download the mapping again from the page."
        ) from None
    if not isinstance(content, dict) or content.get("kind") != MAPPING_KIND:
        raise InputFileError(
            f"{name}: not a mapping file the app saved; download the mapping from the page."
        )
    columns = content.get("columns")
    if not isinstance(columns, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
    ):
        raise InputFileError(f"{name}: 'columns' must map each column's header to a target.")
    problems = [p for p in check(columns, vocabulary) if p != NO_CRITERION]
    if problems:
        raise InputFileError(f"{name}: {problems[0]}")
    scale = content.get("scale", "auto")
    return dict(columns), scale if isinstance(scale, str) else "auto"


def apply_saved(
    proposals: Sequence[Proposal], saved: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """The saved mapping laid on this file's columns, and notes on what did not fit.

    A column the saved mapping does not name keeps its proposal; a saved column this file does
    not have is named in a note.
    """
    mapping = {}
    notes = []
    for proposal in proposals:
        if proposal.column in saved:
            mapping[proposal.column] = saved[proposal.column]
        else:
            mapping[proposal.column] = proposal.target
            notes.append(
                f"column {proposal.column!r} is not in the mapping file; it is read as proposed."
            )
    absent = [c for c in saved if c not in mapping]
    if absent:
        notes.append(
            "the mapping file names columns this file does not have: "
            + ", ".join(map(repr, absent[:10]))
            + "."
        )
    return mapping, notes
