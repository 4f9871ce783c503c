"""Reading grade of every text a client reads: the data, the explanation, the pages and the PDF.

IPDAS asks a decision aid to read at grade 8 or lower. This module gathers every client-facing
text, measures it with textstat's Flesch-Kincaid grade, and reports the worst. The readability
test (tests/test_readability.py) asserts on it; `python -m devtools.readability` prints the
figures (overall grade, the worst blocks and sentences) for a note.

The unit judged is a **block**: one text as the client meets it (a data cell, one sentence the
explanation builds, one paragraph, caption or notice on a page, one sentence of the PDF). A block
of MIN_WORDS words or more must read at MAX_GRADE or lower on its own. A shorter block (a label,
a heading, "Range of motion") is not judged alone: Flesch-Kincaid is 0.39 x words per sentence
+ 11.8 x syllables per word - 15.59, so in four words one long word moves the grade by several
points ("Therapist's Training and Credentials" reads 12.5, "Range of motion" 1.3). The short
blocks of one origin are pooled, each as its own sentence, and the pool must read at MAX_GRADE
or lower.

What is measured is the prose: markdown marks, web addresses, Streamlit icon codes, citations
in brackets ("(source: Treatment Focus)"), a closing "Source: ..." and the Method page's list of
sources are taken out first, since a citation is a reference to look up, not a sentence to read.
Names are not prose either (the types' names, the criteria's labels: NOT_CLIENT_TEXT says why);
they are judged inside the sentences that use them.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from pathlib import Path

import numpy as np
import textstat

ROOT = Path(__file__).resolve().parent.parent
MAX_GRADE = 8.0
MIN_WORDS = 15
CLIENT_PAGES = (
    "app_pages/start.py",
    "app_pages/compare.py",
    "app_pages/find_my_massage.py",
    "app_pages/method.py",
)
# A page's elements whose text a client reads (AppTest's names for them).
PAGE_ELEMENTS = ("markdown", "caption", "text", "info", "warning", "error", "success")
# An expander whose label starts so holds the technical account, written for experts.
EXPERT_LABEL = "For experts"
# A container with this key holds a reference list: names, dates and addresses, not prose.
CITATION_KEYS = ("source_list",)
# Text columns of data/*.csv a client reads (on Start, Compare, Find my massage, Method or the
# PDF). Every other text column is listed in NOT_CLIENT_TEXT with the reason: the readability
# test fails on a column in neither, so a new column is a decision, not an oversight.
CLIENT_TEXT = {
    "criteria.csv": ("help",),
    "types.csv": ("summary", "session_length", "session_setting", "session_provider"),
    "type_descriptions.csv": ("text",),
    "common_ground.csv": ("text",),
    "profiles.csv": ("rationale",),
    "presets.csv": ("label", "description"),
    "red_flags.csv": ("label", "guidance", "tell_therapist", "look_for"),
    "next_steps.csv": ("heading", "text"),
    "survey_questions.csv": ("question",),
    "questions.csv": ("question",),
    "experience.csv": ("text",),
    "article.csv": ("kind",),
    "reviews.csv": ("what",),
    "ipdas.csv": ("criterion", "where", "note"),
}
NOT_CLIENT_TEXT = {
    # Names are not prose: two to four words whose grade is their syllables alone. They are
    # read in the sentences that use them (the explanation's reasons, the pages), judged there.
    "types.csv": {"name": "the options' names (Medical massage, Spa massage)"},
    "criteria.csv": {
        "label": "the criteria's names; clinics' survey exports use them as column headers "
        "(shared/cases/limesurvey-code-and-text-semicolon.csv), so they stay as they are"
    },
    "sections.csv": {"title": "the article's own section titles, quoted as citations"},
    "dimensions.csv": {
        "label": "the names of the article's four dimensions, after its sections",
        **dict.fromkeys(
            ("medical_trait", "spa_trait", "medical_name", "spa_name", "mix_name"),
            "the service designer's words: clinic owners' page",
        ),
    },
    "axes.csv": dict.fromkeys(
        ("label", "meaning"), "the positioning map: clinic owners' page and the experts' section"
    ),
    "segments.csv": {
        "label": "clinic owners' page",
        "description": "clinic owners' page",
        "share_source": "clinic owners' page",
    },
    "service_limits.csv": {"reason": "clinic owners' page"},
    "manifest.csv": {"description": "the data files' table, in the section for experts"},
    "red_flags.csv": {
        "source_name": "a citation: a publisher and page title",
        "short": "names of one to five words (pregnancy, blood clots), read in the one sentence "
        "that lists them under the safety question, judged there as page text",
    },
    "experience.csv": {"source_name": "a citation: a publisher and page title"},
    "article.csv": {"title": "the article's own title, quoted as a citation"},
}

# Explanation fields that hold ids, names or citations rather than sentences. Type names and
# section titles are data (types.csv, sections.csv), judged or listed there.
NOT_PROSE_FIELDS = frozenset(
    {
        "result", "robustness", "certainty", "strength", "shown", "leader_name", "flag_id",
        "criterion_id", "source_name", "source_url", "section_title", "tier", "left_out",
    }
)  # fmt: skip


_MARKDOWN = re.compile(r"(\*\*|__|\*|`|^#+\s|^\s*[-|]\s?|\\(?=[^\s\w]))", re.M)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"\b(?:https?://|www\.)\S+")
_ICON = re.compile(r":material/[a-z_]+:")
_CITATION = re.compile(r"\s*\((?:source|sources)\b[^()]*(?:\([^()]*\)[^()]*)*\)", re.I)
_SOURCE_LINE = re.compile(r"(?:^|\s)\*?Sources?:.*$", re.S)  # "Source: ..." to the end
_TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]+\|[\s:|-]*$", re.M)
_PIECE = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*+]|\d+\.|\|)\s)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(]?[A-Z0-9])")


@dataclass(frozen=True)
class Block:
    """One text as a client meets it, with where it comes from (a file and column, a page, an
    explanation field or the PDF), after clean()."""

    origin: str
    text: str

    @property
    def words(self) -> int:
        return textstat.lexicon_count(self.text)

    @property
    def grade(self) -> float:
        return grade(self.text)


@dataclass(frozen=True)
class Finding:
    """A judged unit (a block, or the pool of an origin's short blocks) and its grade."""

    origin: str
    text: str
    grade: float
    words: int


def grade(text: str) -> float:
    """Flesch-Kincaid grade of `text` (textstat), rounded to one decimal."""
    return round(float(textstat.flesch_kincaid_grade(text)), 1)


def clean(text: str) -> str:
    """The prose of `text`: markdown, web addresses, icon codes and bracketed citations out."""
    text = _TABLE_RULE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _URL.sub("", text)
    text = _ICON.sub("", text)
    text = _CITATION.sub("", text)
    text = _SOURCE_LINE.sub("", text)
    text = _MARKDOWN.sub("", text)
    return " ".join(text.replace("|", " ").split())


def sentences(text: str) -> list[str]:
    """`text` cut into sentences at ., ! or ? followed by a capital or a digit."""
    return [part for part in _SENTENCE_END.split(text) if part.strip()]


def pieces(text: str) -> list[str]:
    """`text` cut into the paragraphs, list items and table rows a reader meets one by one."""
    return [part for part in _PIECE.split(text) if part.strip()]


def list_items(text: str) -> list[str] | None:
    """The items of `text` when it is a list written as a sentence ("Relaxation 7, Pain relief
    2, ..."): four or more parts between commas or semicolons, two in three of them six words
    or fewer. None for prose. A list is read item by item, so its items are judged as short
    texts (Flesch-Kincaid would take it for one very long sentence)."""
    parts = [part.strip() for part in re.split(r"[,;]\s+", text) if part.strip()]
    short = sum(1 for part in parts if len(part.split()) <= 6)
    return parts if len(parts) >= 4 and 3 * short >= 2 * len(parts) else None


def blocks(origin: str, texts: Iterable[str]) -> list[Block]:
    """Each paragraph, list item or table row of `texts` as a Block of `origin`, cleaned, a list
    written as a sentence cut into its items; empty ones and repeats left out."""
    seen: dict[str, Block] = {}
    for text in texts:
        for piece in pieces(text):
            cleaned = clean(piece)
            for item in list_items(cleaned) or [cleaned]:
                if re.search(r"[A-Za-z]", item) and item not in seen:
                    seen[item] = Block(origin, item)
    return list(seen.values())


# --- gathering -------------------------------------------------------------------------------


def text_columns(data_dir: Path) -> dict[str, tuple[str, ...]]:
    """Per data file, its columns holding words (not ids, numbers, dates or addresses): every
    filled cell has a word and a space, and at least one cell is filled."""
    found = {}
    for path in sorted(data_dir.glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        if not rows:
            continue
        words = tuple(
            column
            for column in rows[0]
            if column not in ("id", "type_id", "criterion_id", "file", "version", "updated")
            and not column.endswith(("_url", "_id", "_date", "_on"))
            and any(row[column] for row in rows)
            and all(re.search(r"[A-Za-z]{3,}.*\s", row[column]) for row in rows if row[column])
        )
        if words:
            found[path.name] = words
    return found


def data_blocks(data_dir: Path) -> list[Block]:
    """Every cell of CLIENT_TEXT's columns."""
    found = []
    for name, columns in CLIENT_TEXT.items():
        with (data_dir / name).open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        for column in columns:
            found += blocks(f"data/{name}, column {column}", (row[column] for row in rows))
    return found


def _strings(value: object) -> Iterator[tuple[str, str]]:
    """(field name, text) of every str in an Explanation, in nested dataclasses and tuples too,
    leaving out NOT_PROSE_FIELDS."""
    if is_dataclass(value):
        for item in fields(value):
            if item.name not in NOT_PROSE_FIELDS:
                for name, text in _strings(getattr(value, item.name)):
                    yield (name or item.name), text
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield "", value


def weightings(catalog, count: int = 300, seed: int = 21) -> list[dict[str, float]]:
    """The presets, one criterion at a time, and `count` seeded random weightings (some sparse)."""
    ids = catalog.criterion_ids
    found = [dict(row) for _, row in catalog.preset_weights.iterrows()]
    found += [{cid: 10 if cid == one else 0 for cid in ids} for one in ids]
    rng = np.random.default_rng(seed)
    for _ in range(count):
        values = rng.integers(0, 11, len(ids)) * (rng.random(len(ids)) < rng.uniform(0.2, 1))
        found.append(dict(zip(ids, values.astype(float).tolist(), strict=True)))
    return found


def sample_menus(catalog) -> list:
    """No menu, a menu of one service and a menu of three (blends of the two types, named as a
    clinic might name them), for the explanations to rank."""
    import pandas as pd

    from advisor.clinic.menu import NAME, blend_fits

    made = [
        {NAME: name, **blend_fits(catalog.fits, share).to_dict()}
        for name, share in (("Sports massage", 0.9), ("Hot stone", 0.1), ("Deep tissue", 0.6))
    ]
    return [None, pd.DataFrame(made[:1]), pd.DataFrame(made)]


def explanations(catalog, count: int = 300) -> Iterator:
    """Explanations over many weightings, every certainty, no, one and every red flag, and no
    menu, a menu of one service or of three (sample_menus)."""
    from advisor.decision.explanation import explain
    from advisor.decision.sensitivity import CERTAINTY_BANDS

    flags = list(catalog.red_flags.index)
    flag_sets = [[], *([f] for f in flags), flags]
    certainties = itertools.cycle(CERTAINTY_BANDS)
    menus = itertools.cycle(sample_menus(catalog))
    for index, weights in enumerate(weightings(catalog, count)):
        flagged = flag_sets[index % len(flag_sets)]
        yield explain(catalog, weights, next(certainties), flagged, next(menus))


def explanation_blocks(catalog, count: int = 300) -> list[Block]:
    """Every distinct text any of `explanations` holds, by field (data cells it quotes too)."""
    by_field: dict[str, list[str]] = {}
    for exp in explanations(catalog, count):
        for name, text in _strings(exp):
            by_field.setdefault(name, []).append(text)
    found = []
    for name, texts in by_field.items():
        found += blocks(f"explanation: {name}", texts)
    return found


def _skipped(node) -> bool:
    """An expander for experts, or a container holding a reference list."""
    label = getattr(node, "label", None)
    key = getattr(node, "key", None) if type(node).__name__ == "Block" else None
    return (isinstance(label, str) and label.startswith(EXPERT_LABEL)) or (
        isinstance(key, str) and key.endswith(CITATION_KEYS)
    )


def _page_texts(node, skip: bool = False) -> Iterator[str]:
    if _skipped(node):
        return
    kind = getattr(node, "type", None)
    if kind in PAGE_ELEMENTS or type(node).__name__.lower() in PAGE_ELEMENTS:
        value = getattr(node, "value", None)
        if isinstance(value, str):
            yield value
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for index in sorted(children):
            yield from _page_texts(children[index], skip)


# How each client page is opened: the page, and the share-link query of each state tried.
PAGE_STATES = (
    ("app_pages/start.py", {}),
    ("app_pages/compare.py", {}),
    ("app_pages/method.py", {}),
    ("app_pages/find_my_massage.py", {}),
    ("app_pages/find_my_massage.py", {"preset": "unwind"}),
    ("app_pages/find_my_massage.py", {"preset": "injury", "certainty": "low"}),
    ("app_pages/find_my_massage.py", {"preset": "blank", "relaxation": "5", "pain_relief": "5"}),
)


def page_blocks(states: Iterable[tuple[str, dict]] = PAGE_STATES) -> list[Block]:
    """The text of every markdown, caption, text and notice on the client pages (AppTest), each
    page in the states of `states`, leaving out expanders marked for experts."""
    from streamlit.testing.v1 import AppTest

    found = []
    for page, query in states:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        if page != "app_pages/start.py":
            at.switch_page(page).run()
        if at.exception:
            raise RuntimeError(f"{page}: {[e.value for e in at.exception]}")
        found += blocks(f"page {Path(page).stem}", _page_texts(at.main))
    return found


def pdf_paragraphs(pdf: bytes) -> list[str]:
    """The text of a one-page PDF as the paragraphs it prints (pypdf): a new paragraph where the
    font or size changes, a line starts with "- " (a bullet), or the gap above a line is wider
    than one line; the lines of one paragraph are joined."""
    from pypdf import PdfReader

    lines: list[tuple[str, str, float, float]] = []

    def visit(text, _cm, tm, font, size) -> None:
        if text.strip():
            lines.append((text.strip(), str(font and font.get("/BaseFont")), size, tm[5]))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    paragraphs: list[list[str]] = []
    previous = None
    for text, font, size, y in lines:
        same_line = previous is not None and abs(previous[3] - y) < 0.5
        joined = (
            previous is not None
            and (font, size) == previous[1:3]
            and not text.startswith("- ")
            and (same_line or 0 < previous[3] - y <= 1.6 * size)
        )
        if joined:
            paragraphs[-1].append(text)
        else:
            paragraphs.append([text])
        previous = (text, font, size, y)
    return [" ".join(parts) for parts in paragraphs]


def pdf_blocks(catalog, count: int = 40) -> list[Block]:
    """Each paragraph of the take-away PDF for a spread of explanations."""
    from advisor.decision.takeaway import takeaway_pdf

    link = "https://massage-advisor.example/find?preset=blank"
    texts = []
    for exp in explanations(catalog, count):
        texts += pdf_paragraphs(takeaway_pdf(catalog, exp, link, date(2026, 12, 5)))
    return blocks("PDF take-away", texts)


def gather(catalog, data_dir: Path, pages: bool = True) -> list[Block]:
    """Every client-facing block: data, explanation, PDF and (unless pages=False) pages."""
    found = data_blocks(data_dir) + explanation_blocks(catalog) + pdf_blocks(catalog)
    return found + (page_blocks() if pages else [])


# --- judging ---------------------------------------------------------------------------------


def judge(found: Iterable[Block]) -> list[Finding]:
    """Every judged unit, worst first: each block of MIN_WORDS words or more alone, and per
    origin the pool of its shorter blocks (each as its own sentence)."""
    findings = []
    short: dict[str, list[str]] = {}
    for block in found:
        if block.words >= MIN_WORDS:
            findings.append(Finding(block.origin, block.text, block.grade, block.words))
        else:
            text = block.text if block.text[-1] in ".!?" else block.text + "."
            short.setdefault(block.origin, []).append(text)
    for origin, texts in short.items():
        pooled = " ".join(texts)
        findings.append(
            Finding(f"{origin} (its {len(texts)} short texts pooled)", pooled, grade(pooled),
                    textstat.lexicon_count(pooled))
        )  # fmt: skip
    return sorted(findings, key=lambda f: -f.grade)


def worst_sentences(findings: Iterable[Finding], limit: int = 10) -> list[Finding]:
    """The hardest sentences inside the failing blocks (pools are listed whole), worst first."""
    found = [
        Finding(f.origin, s, grade(s), textstat.lexicon_count(s))
        for f in findings
        if f.grade > MAX_GRADE and "pooled)" not in f.origin
        for s in sentences(f.text)
    ]
    return sorted(found, key=lambda f: -f.grade)[:limit]


def overall(found: Iterable[Block]) -> float:
    """Flesch-Kincaid grade of every block together, each ending a sentence."""
    return grade(" ".join(b.text if b.text[-1] in ".!?" else b.text + "." for b in found))


def report(found: list[Block], limit: int = 12) -> str:
    """The figures in words: overall grade, units judged and failing, the worst of each."""
    findings = judge(found)
    failing = [f for f in findings if f.grade > MAX_GRADE]
    lines = [
        f"Flesch-Kincaid grade, all client text together: {overall(found)}",
        f"Blocks: {len(found)}; units judged: {len(findings)} (blocks of {MIN_WORDS}+ words, "
        f"and each origin's short texts pooled); over grade {MAX_GRADE:g}: {len(failing)}",
        "",
        "By origin (grade of all its text together, units over the limit):",
    ]
    by_origin: dict[str, list[Block]] = {}
    for block in found:
        by_origin.setdefault(block.origin, []).append(block)
    for origin, group in sorted(by_origin.items()):
        over = sum(1 for f in failing if f.origin.startswith(origin))
        lines.append(f"  {overall(group):5.1f}  {over:3d}  {origin}")
    lines += ["", f"Worst units (of {len(findings)}):"]
    lines += [f"  {f.grade:5.1f}  {f.origin}: {f.text[:150]}" for f in findings[:limit]]
    if failing:
        lines += ["", "Worst sentences in the failing units:"]
        lines += [
            f"  {f.grade:5.1f}  {f.origin}: {f.text[:150]}" for f in worst_sentences(failing, limit)
        ]
    return "\n".join(lines)


def main() -> None:
    import argparse

    from advisor.catalog import DATA_DIR, load_catalog

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pages", action="store_true", help="skip the pages (AppTest)")
    parser.add_argument("--worst", type=int, default=12, help="how many worst units to list")
    args = parser.parse_args()
    catalog = load_catalog()
    print(report(gather(catalog, DATA_DIR, pages=not args.no_pages), args.worst))


if __name__ == "__main__":
    main()
