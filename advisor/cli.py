"""The command line: `python -m advisor match crit=value ...` and `python -m advisor score`.

`match --menu MENU.csv` also ranks a clinic's own services (a menu file as the owner's page
downloads and uploads it, read by advisor.clinic.menu.read_menu) from the same explanation.

Bad arguments or files print one line on stderr and exit with code 2, never a traceback. What
the survey reader decided or found (advisor.files.reading: the header, the sheet, the scale, rows
left out) is printed on stderr as one line naming the file, then one line per note, each
starting "warning: " and naming its choices by their flags (notes.COMMAND_LINE); `--header-row`,
`--sheet`, `--scale`, `--keep-repeats` and `--mapping` decide otherwise. Each thing is said once:
the columns ignored and the personal ones are named in the "Columns read" lines with the result
(with why), not again as warnings (`told_by_mapping`).
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from advisor.bidi import isolate
from advisor.catalog import Catalog, load_catalog
from advisor.clinic.answer import Clients, clinic_answer
from advisor.clinic.design import Brief, design_service, service_name
from advisor.clinic.menu import read_menu
from advisor.clinic.positioning import DEFAULT_UNSERVED_THRESHOLD
from advisor.clinic.survey import score_survey
from advisor.decision.explanation import (
    AFTER_CLEARED,
    NEITHER_ADVICE,
    NOT_MEDICAL_ADVICE,
    Explanation,
    MenuAnswer,
    NextStep,
    Reason,
    explain,
)
from advisor.decision.sensitivity import CERTAINTY_BANDS, DEFAULT_CERTAINTY
from advisor.errors import AdvisorError, ArgumentError, InputFileError
from advisor.files.mapping import IGNORE, PERSONAL, ROLES, apply_saved, read_mapping
from advisor.files.notes import COMMAND_LINE, Note, plural
from advisor.files.reading import SurveyImport, apply_mapping, check_size, read_table
from advisor.files.scales import AUTO, SCALES
from advisor.files.template import vocabulary
from advisor.files.writing import to_csv_bytes

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise ArgumentError(f"{message} (see python -m advisor --help)")


def parse_weights(pairs: Sequence[str], catalog: Catalog) -> dict[str, float]:
    """`crit=value` pairs into weights from 0 to 10 with at most one decimal (the answer says
    "you gave it 2.5 of 10", never "0.0" for 0.04); every fault names the argument."""
    weights: dict[str, float] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep:
            raise ArgumentError(f"argument {pair!r}: expected criterion=value, e.g. relaxation=8")
        if key not in catalog.criterion_ids:
            raise ArgumentError(
                f"argument {pair!r}: unknown criterion {key!r}; known: "
                + ", ".join(catalog.criterion_ids)
            )
        if key in weights:
            raise ArgumentError(f"argument {pair!r}: criterion {key!r} is given twice")
        try:
            value = float(raw.replace("_", "x"))  # float() would read "1_0" as 10
        except ValueError:
            raise ArgumentError(f"argument {pair!r}: {raw!r} is not a number") from None
        if not 0 <= value <= 10:
            raise ArgumentError(f"argument {pair!r}: the value must be from 0 to 10")
        if round(value, 1) != value:  # the answer shows a weight to one decimal, no finer
            raise ArgumentError(
                f"argument {pair!r}: use at most one decimal (like 7 or 2.5); the answer shows "
                "weights no finer than that"
            )
        weights[key] = value
    return weights


UNANSWERED = (
    "Safety check: not answered. Add --flag ID for each item that applies to you now, or "
    "--none-apply if none do (python -m advisor match --help lists them)."
)


def _screen(args: argparse.Namespace, catalog: Catalog) -> list[str] | None:
    """The safety screen's answer from --flag and --none-apply: None when neither is given."""
    unknown = sorted(set(args.flag) - set(catalog.red_flags.index))
    if unknown:
        raise ArgumentError(
            f"--flag {unknown[0]!r}: not a known safety item; known: "
            + ", ".join(catalog.red_flags.index)
        )
    if args.flag and args.none_apply:
        raise ArgumentError("--none-apply: cannot be given with --flag; give one or the other")
    return args.flag or ([] if args.none_apply else None)


def _safety_lines(exp: Explanation) -> list[str]:
    safety = exp.safety
    if not safety.answered:
        return [UNANSWERED, ""]
    if not safety.ticked:
        return [safety.summary, ""]
    headline, body = exp.safety_note
    lines = [f"{headline} {body}"]
    for f in safety.ticked:
        lines += [
            f"  - {f.label}: {f.guidance}",
            f"    Tell your therapist: {f.tell_therapist}",
            f"    Look for: {f.look_for}",
            f"    (source: {f.source_name}, {f.source_url})",
        ]
    return [*lines, "", f"{AFTER_CLEARED}:"] if exp.needs_provider else [*lines, ""]


def _menu(path: Path | None, catalog: Catalog):
    """The --menu file's services (None without --menu); what the reader left out or set is
    printed as warnings naming the file. Raises InputFileError when no service can be used."""
    if path is None:
        return None
    reserved = [catalog.type_name(t) for t in catalog.type_ids]
    imported = read_menu(_read_bytes(path), catalog.criterion_ids, reserved, name=str(path))
    print_notes(str(path), [Note("menu", problem) for problem in imported.problems])
    return imported.menu


def _ranking_lines(shown: tuple[tuple[str, str, int], ...]) -> list[str]:
    """One line per option; a name is isolated (advisor.bidi.isolate) and padded by its own
    length, so the figures stay in one column."""
    width = max(20, *(len(name) for _, name, _ in shown))
    return [
        f"  {n}. {isolate(name)}{' ' * (width - len(name))} {pct:4d}%"
        for n, (_, name, pct) in enumerate(shown, 1)
    ]


def _clinic_lines(clinic: MenuAnswer | None, source: str) -> list[str]:
    """The clinic's services, after the types' answer: the same verdict words, reasons and
    what would change it; "for after a provider has cleared you" when an item needs one."""
    lines = ["", f"At this clinic ({source}):"]
    if clinic is None:
        return [*lines, "  No service on the menu can be ranked: each breaks a service limit."]
    if clinic.needs_provider:
        lines.append(f"{AFTER_CLEARED}:")
    lines += [clinic.verdict, *_ranking_lines(clinic.shown)]
    sections = [
        (
            f"What points to {isolate(clinic.leader_name)}:",
            [_sourced(r) for r in clinic.reasons_for],
        ),
        ("What points the other way:", [_sourced(r) for r in clinic.reasons_against]),
        ("What would change it:", list(clinic.changes)),
        ("How firm it is:", [clinic.firmness] if clinic.firmness else []),
        ("Not ranked (it breaks a service limit):", [isolate(n) for n in clinic.left_out]),
    ]
    for title, items in sections:
        if items:
            lines += ["", title, *(f"  - {item}" for item in items)]
    return lines


def _match(args: argparse.Namespace, catalog: Catalog) -> str:
    flags = _screen(args, catalog)
    weights = parse_weights(args.weights, catalog)
    menu = _menu(args.menu, catalog)
    exp = explain(catalog, weights, args.certainty, flags, menu)
    lines = [*_safety_lines(exp), exp.verdict]
    if exp.strength == "neither":
        lines.append(NEITHER_ADVICE)
    lines.append(NOT_MEDICAL_ADVICE)
    if exp.strength is None:
        return "\n".join(lines)
    lines += ["", "Ranking:", *_ranking_lines(exp.shown)]
    sections = [
        (f"What points to {exp.leader_name}:", [_sourced(r) for r in exp.reasons_for]),
        ("What points the other way:", [_sourced(r) for r in exp.reasons_against]),
        ("What would change the answer:", list(exp.changes) or [NO_CHANGE]),
        ("How firm it is:", [exp.firmness or ""]),
        (f"Next steps for {exp.leader_name}:", [_sourced(s) for s in exp.next_steps]),
    ]
    for title, items in sections:
        if items:
            lines += ["", title, *(f"  - {item}" for item in items)]
    if exp.health_note:
        lines += ["", f"Health first: {exp.health_note}"]
    if menu is not None:
        lines += _clinic_lines(exp.clinic, args.menu.name)
    return "\n".join(lines)


NO_CHANGE = "none: no single priority moved anywhere from 0 to 10 would change the order."


def _sourced(item: Reason | NextStep) -> str:
    text = f"{item.heading}: {item.text}" if isinstance(item, NextStep) else item.text
    return f"{text} (source: {item.section_title})"


def _read_bytes(path: Path) -> bytes:
    try:
        check_size(path.stat().st_size, str(path))  # before reading a huge file into memory
        return path.read_bytes()
    except OSError as exc:
        raise ArgumentError(f"{path}: cannot be read ({exc.strerror})") from None


def _mapping_lines(mapping: dict[str, str], reasons: dict[str, str], catalog: Catalog) -> list:
    """Every column and what it is read as, with why: the one place the command line names the
    columns ignored and the personal ones (`told_by_mapping`)."""
    lines = ["Columns read:"]
    for column, target in mapping.items():
        shown = target if target in ROLES else f"{target} ({catalog.criterion_label(target)})"
        why = [reasons[column]] if column in reasons else []
        if target == PERSONAL:
            why.append("never copied into any output")
        lines.append(f"  {column!r} -> {shown}" + (f"  [{'; '.join(why)}]" if why else ""))
    return lines


def told_by_mapping(note: Note, mapping: dict[str, str]) -> bool:
    """The note is the reader's on columns ignored or personal (kind "ignored") and every column
    it names is in the mapping's lines, so the command line does not say them twice."""
    return note.kind == "ignored" and all(
        mapping.get(c) in (IGNORE, PERSONAL) for c in note.columns
    )


def _score(args: argparse.Namespace, catalog: Catalog) -> str:
    path: Path = args.survey
    if args.output.resolve() == path.resolve():
        raise ArgumentError(
            f"{args.output}: is the survey itself; writing the scored survey there would replace "
            "the owner's file (and drop its personal columns). Choose another -o file."
        )
    words = vocabulary(catalog)
    table = read_table(
        _read_bytes(path), words, name=str(path), sheet=args.sheet, header_rows=args.header_row
    )
    if args.sheet is not None and table.sheet is None:
        table.notes.append(
            Note("sheet", f"--sheet {args.sheet} was ignored: a CSV or text file has no sheets.")
        )
    mapping = table.proposed()
    reasons = {p.column: p.reason for p in table.proposal}
    scale = args.scale
    if args.mapping is not None:
        saved, saved_scale = read_mapping(_read_bytes(args.mapping), str(args.mapping), words)
        mapping, notes = apply_saved(table.proposal, saved)
        table.notes.extend(notes)
        reasons = {c: "from the mapping file" for c in mapping if c in saved}
        scale = saved_scale if scale == AUTO else scale
    imported = apply_mapping(
        table,
        mapping,
        words,
        scale,
        keep_repeats=args.keep_repeats,
        by_owner=args.mapping is not None,
    )
    if imported.timestamp is not None:
        reasons[imported.timestamp] = "not scored, but its times picked each client's latest answer"
    # the columns are listed with the result, unless they are the app's own or none is scored
    listed = bool(imported.rows_kept) and not (
        table.columns == list(mapping) and all(t == c for c, t in mapping.items())
    )
    shown = [n for n in imported.notes if not (listed and told_by_mapping(n, mapping))]
    print_notes(imported.source, shown)
    if not imported.rows_kept:
        raise InputFileError(f"{path}: no client row could be used, so nothing was written.")
    names = {t: catalog.type_name(t) for t in catalog.type_ids}
    scored = score_survey(imported.frame, catalog.fits, catalog.segment_weights, names)
    try:
        args.output.write_bytes(to_csv_bytes(scored))
    except OSError as exc:
        raise ArgumentError(f"{args.output}: cannot be written ({exc.strerror})") from None
    counts = scored["best_match"].value_counts()
    shares = ", ".join(f"{k} {v:,}" for k, v in counts.items())
    clients = f"{len(scored):,} client" + ("" if len(scored) == 1 else "s")
    lines = [f"Scored {clients} into {args.output} (best match: {shares})."]
    if listed:  # not the app's own columns
        lines += _mapping_lines(mapping, reasons, catalog)
    if args.answer:
        lines += ["", "The answer:", *_answer(imported, path.name, names, catalog, args.threshold)]
    return "\n".join(lines)


def _answer(
    imported: SurveyImport, name: str, names: dict[str, str], catalog: Catalog, threshold: float
) -> list[str]:
    """The owner's answer about the survey's clients with medical and spa: the same
    ClinicAnswer, and so the same sentences, as the page and its report."""
    brief = Brief(
        imported.frame,
        catalog.fits,
        catalog.fits,
        catalog.criteria_by_dimension(),
        catalog.service_limits,
        threshold=threshold,
    )
    design = design_service(brief)
    asked = tuple(c for c in catalog.criterion_ids if c in imported.mapping.values())
    answer = clinic_answer(
        imported.frame,
        catalog.fits,
        names,
        catalog,
        threshold,
        Clients(name, False, asked),
        design,
        service_name(design, list(names.values()), catalog),
    )
    return [f"  {sentence}" for sentence in answer.sentences]


def print_notes(source: str, notes: list[Note]) -> None:
    """The notes on stderr: one line naming the file (said once), then one line per note."""
    if not notes:
        return
    print(f"warning: {source}: {plural(len(notes), 'note')}:", file=sys.stderr)
    for note in notes:
        print(f"warning: {note.worded(COMMAND_LINE)}", file=sys.stderr)


def header_rows(text: str) -> list[int]:
    """`--header-row`: one row number, or two for a question row over a row of labels ("1,2"
    or "1-2")."""
    parts = re.split(r"(?<=\d)\s*[-,]\s*", text.strip())
    try:
        rows = [int(p) for p in parts]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a row number (such as 3, or 1,2 for two header rows)"
        ) from None
    if not rows or len(rows) > 2 or min(rows) < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give one row number from 1, or two (such as 1,2)"
        )
    return list(range(min(rows), max(rows) + 1))


def percent(text: str) -> float:
    """`--threshold`: a percentage from 0 to 100 (the page's slider covers the same range)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage from 0 to 100 (such as 70)")
    return value


def build_parser(catalog: Catalog) -> argparse.ArgumentParser:
    """The command line's parser; the red flags it lists are the catalog's (red_flags.csv)."""
    parser = _Parser(
        prog="python -m advisor",
        description="Medical or spa massage: rank the types for a set of priorities, "
        "or score a client survey.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    match = commands.add_parser(
        "match",
        help="rank the massage types for the given priorities",
        description="Rank the massage types. Give priorities as criterion=value (0..10, at "
        "most one decimal); criteria left out count as 0.",
    )
    match.add_argument("weights", nargs="*", metavar="criterion=value")
    match.add_argument(
        "--certainty",
        choices=sorted(CERTAINTY_BANDS),
        default=DEFAULT_CERTAINTY,
        help="how sure you are of your priorities: sets how far each priority is nudged when "
        "checking how firm the answer is (default: medium)",
    )
    match.add_argument(
        "--flag",
        action="append",
        default=[],
        metavar="ITEM",
        help="a safety item that applies to you now (repeatable): "
        + ", ".join(catalog.red_flags.index),
    )
    match.add_argument(
        "--none-apply",
        action="store_true",
        help="none of the safety items (--flag) apply to you now; without this or a --flag, "
        "the answer is never called a firm fit",
    )
    match.add_argument(
        "--menu",
        type=Path,
        metavar="MENU.csv",
        help="a clinic's menu file (as Position my clinic downloads it): also rank its services",
    )
    survey = commands.add_parser(
        "score",
        help="score a client survey (CSV, text or workbook)",
        description="Add one match column per type and best_match to a client survey. Columns "
        "named by criterion id, the app's label (alone or in brackets) or a template question "
        "are mapped automatically, and the mapping is printed; other columns need --mapping.",
    )
    survey.add_argument("survey", type=Path, metavar="FILE")
    survey.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.csv")
    survey.add_argument(
        "--mapping",
        type=Path,
        metavar="MAP",
        help="a mapping file saved on the page (which column answers which criterion)",
    )
    survey.add_argument(
        "--scale",
        choices=[AUTO, *SCALES],
        default=AUTO,
        help="the answer scale (default: recognised from the answers; a mapping file's "
        "scale is used unless this is given)",
    )
    survey.add_argument(
        "--sheet",
        metavar="NAME",
        help="the workbook sheet (default: the sheet whose columns match the criteria best)",
    )
    survey.add_argument(
        "--header-row",
        type=header_rows,
        metavar="N",
        help="the row that holds the questions, as the file numbers it (default: found among "
        "the first 30 rows); two rows such as 1,2 for a question row over a row of labels",
    )
    survey.add_argument(
        "--keep-repeats",
        action="store_true",
        help="score every answer of a client who answered more than once (default: the "
        "latest, by the timestamp column where there is one)",
    )
    survey.add_argument(
        "--answer",
        action="store_true",
        help="also print the clinic owner's answer about these clients (as on the page)",
    )
    survey.add_argument(
        "--threshold",
        type=percent,
        default=DEFAULT_UNSERVED_THRESHOLD,
        metavar="PERCENT",
        help="for --answer: a client whose best match is under this is unserved (default: 70)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        catalog = load_catalog()
        args = build_parser(catalog).parse_args(argv)
        output = _match(args, catalog) if args.command == "match" else _score(args, catalog)
    except AdvisorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(output)
    return 0
