"""What a decision aid owes its reader about itself: who made it, who pays for it, any conflict of
interest, how it is kept up to date, and the date of every source (IPDASi v4.0, items 2.2.1-2.2.3
and 2.3.1).

Who made and funds a copy of the app is a setting of whoever runs it (an independent tool, or the
clinic that serves it to its clients): `deployment(settings)` checks the values it is given (the
UI reads them from Streamlit secrets `[deployment]` or the MASSAGE_ADVISOR_* environment
variables) and falls back to DEFAULT, with a message naming the setting, for any bad one. The
update policy and the list of sources are built from the catalog (data/reviews.csv,
data/article.csv, data/experience.csv, data/red_flags.csv). Every text here is shown to clients,
so it is written at reading grade 8 or lower.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from advisor.catalog import Catalog
from advisor.dates import MONTHS, date_words

SETTING_KEYS = ("made_by", "funded_by", "conflicts", "contact")
ENV_PREFIX = "MASSAGE_ADVISOR_"  # MASSAGE_ADVISOR_MADE_BY, _FUNDED_BY, _CONFLICTS, _CONTACT
MAX_SETTING_LENGTH = 300
REVIEW_MONTHS = 12


@dataclass(frozen=True)
class Deployment:
    """Who made this copy of the app, who pays for it, any conflict of interest, and where to
    report an error ("" when no contact is given). Plain text: never markup."""

    made_by: str
    funded_by: str
    conflicts: str
    contact: str = ""


DEFAULT = Deployment(
    made_by="The Massage Advisor project. It is a free, independent, open-source tool.",
    funded_by="No clinic, spa or maker of massage products pays for it.",
    conflicts="None that we know of. We gain nothing from the type you choose.",
)
SET_BY = "Whoever runs a copy of the app sets these lines, so a clinic that runs it names itself."
LABELS = {
    "made_by": "Made by",
    "funded_by": "Paid for by",
    "conflicts": "Conflicts of interest",
    "contact": "To report an error",
}


def _problem(key: str, value: object) -> str | None:
    """Why `value` cannot be the setting `key`, in words; None when it can."""
    if not isinstance(value, str):
        return "is not text (put it in quotes)"
    if not value.strip():
        return "is empty"
    if len(value) > MAX_SETTING_LENGTH:
        return f"is {len(value)} characters long; at most {MAX_SETTING_LENGTH} fit"
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in value):
        return "holds a control character"
    return None


def deployment(settings: Mapping[str, object]) -> tuple[Deployment, list[str]]:
    """The deployment from `settings` (keys of SETTING_KEYS, each plain text of at most
    MAX_SETTING_LENGTH characters), and a message for each setting that was refused.

    A missing key keeps DEFAULT's value silently (that is the default's purpose); a bad value
    (not text, empty, too long, a control character) keeps DEFAULT's value with a message naming
    the setting, and an unknown key is named and ignored. Whitespace is collapsed.
    """
    chosen: dict[str, str] = {}
    problems = []
    for key, value in settings.items():
        if key not in SETTING_KEYS:
            problems.append(
                f"Setting {key!r} is not known and is ignored. The settings are: "
                f"{', '.join(SETTING_KEYS)}."
            )
            continue
        why = _problem(key, value)
        if why is not None:
            problems.append(f"Setting {key!r} {why}, so the default is used.")
            continue
        chosen[key] = " ".join(str(value).split())
    return replace(DEFAULT, **chosen), problems


def who_made_it(made: Deployment) -> list[tuple[str, str]]:
    """(label, text) lines of who made it, who pays and any conflict, as every page shows them."""
    return [(LABELS[key], getattr(made, key)) for key in ("made_by", "funded_by", "conflicts")]


def footer(made: Deployment, catalog: Catalog) -> str:
    """One line for the foot of a page or the PDF: who made it, who pays, conflicts, review date."""
    lines = " ".join(f"{label}: {text}" for label, text in who_made_it(made))
    return f"{lines} Data last reviewed on {review_date(catalog)}."


def review_date(catalog: Catalog) -> str:
    """When the data were last reviewed, in words (e.g. "5 December 2026")."""
    return date_words(date.fromisoformat(catalog.last_reviewed))


def next_review(catalog: Catalog) -> date:
    """The date by which the data are due for their next review: REVIEW_MONTHS after the last."""
    last = date.fromisoformat(catalog.last_reviewed)
    month = last.month - 1 + REVIEW_MONTHS
    year, month = last.year + month // 12, month % 12 + 1
    return last.replace(year=year, month=month, day=min(last.day, 28))


def update_policy(made: Deployment, catalog: Catalog, today: date | None = None) -> list[str]:
    """The update policy in plain sentences: how often, what starts a review, how to report an
    error, and whether the data are overdue (today after next_review)."""
    due = next_review(catalog)
    lines = [
        f"We check all the data at least once every {REVIEW_MONTHS} months. The last check was "
        f"on {review_date(catalog)}. The next is due by {date_words(due)}.",
        "We also check at once if a source changes or goes away. We check if health advice on "
        "massage changes, or if someone tells us of an error.",
    ]
    if made.contact:
        lines.append(f"To report an error, contact: {made.contact}")
    else:
        lines.append(
            "To report an error, tell whoever runs this copy of the app. This copy does not "
            "name a contact yet; whoever runs it can add one."
        )
    if (today or date.today()) > due:
        lines.append(f"This check is overdue: it was due by {date_words(due)}.")
    return lines


@dataclass(frozen=True)
class Source:
    """One public source the app rests on, and what it is used for."""

    used_for: str
    name: str
    url: str
    read_at: str
    source_date: str
    read_on: str

    def dates(self) -> str:
        """E.g. "2019; read on 5 December 2026" or "undated; read on ...", saying what was not
        recorded."""
        own = "its date was not recorded"
        if self.source_date:
            own = source_date_words(self.source_date)
        if not self.read_on:
            return f"{own}; the day it was read was not recorded"
        return f"{own}; read on {date_words(date.fromisoformat(self.read_on))}"

    def copy_note(self) -> str:
        """How it was read: "" for the source's own page, else that it was a copy, and where."""
        if not self.read_at or self.read_at == self.url:
            return ""
        own = "" if self.url else " We did not read its own page."
        return f"We read it through a copy at {self.read_at}.{own}"


def source_date_words(text: str) -> str:
    """A source's date as written in data ("2011-07-05", "2011-07", "2011", "undated") in words."""
    parts = text.split("-")
    if len(parts) == 3:
        return date_words(date.fromisoformat(text))
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return text


def sources(catalog: Catalog) -> list[Source]:
    """Every public source in the catalog, each once (by name and address), in the order: the
    article, the red flags' sources, the facts on what a session is like."""
    article = catalog.article
    found = [
        Source(
            "The facts about the two types",
            str(article["title"]),
            "",
            "",
            str(article["source_date"]),
            str(article["read_on"]),
        )
    ]
    flags = catalog.red_flags
    for _, row in flags.iterrows():
        found.append(
            Source(
                "Safety advice",
                str(row["source_name"]),
                str(row["source_url"]),
                str(row.get("read_at", "")),
                str(row.get("source_date", "")),
                str(row.get("read_on", "")),
            )
        )
    questions = catalog.questions["question"]
    for _, row in catalog.experience.iterrows():
        if row["source_name"]:
            found.append(
                Source(
                    f"What people ask: {questions[row['question']]}",
                    str(row["source_name"]),
                    str(row["source_url"]),
                    str(row["read_at"]),
                    str(row["source_date"]),
                    str(row["read_on"]),
                )
            )
    return _merged(found)


def _merged(found: list[Source]) -> list[Source]:
    """One entry per source (name and address), its uses joined."""
    merged: dict[tuple[str, str, str], Source] = {}
    for source in found:
        key = (source.name, source.url, source.read_at)
        if key in merged:
            old = merged[key]
            if source.used_for not in old.used_for:
                merged[key] = replace(old, used_for=f"{old.used_for}; {source.used_for}")
        else:
            merged[key] = source
    return list(merged.values())
