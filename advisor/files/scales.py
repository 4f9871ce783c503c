"""Answer scales: numbers on 0-10, 1-10, 1-5, 1-7 or 0-100, fractions 0-1, or the words of a
5-point scale, onto 0-10.

Percentages are read two ways, each a scale the owner can also choose: "0-100" is a slider from 0
to 100 or a cell written as text such as `80%` (the reader takes off the percent sign), read as
80 = 8; "0-1" is a fraction such as 0.8 that a workbook shows as 80% through a percentage number
format, read as 0.8 = 8.

Every scale is mapped linearly: its lowest answer is 0, its highest 10. The words are the anchors
of 5-point importance and agreement scales as form tools write them; each anchor is among those
listed by Vagias, W. M. (2006), "Likert-type scale response anchors", Clemson University (as
published by Marquette University, https://www.marquette.edu/student-affairs/assessment-likert-scales.php),
plus "Not important" as form tools also write it. Words are matched whole, in any case; any other
word is reported, never guessed. A word some tools number (`5 - Very important`, `1. Not at all
important`, `3: Moderately important`, `4) Very important`, `2 = Slightly important`) is read as
the word alone; `out_of_step` finds the numbers that do not follow the words' order.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

AUTO = "auto"


@dataclass(frozen=True)
class Scale:
    """A scale: its key (what a flag or a mapping file names), its plain label, its ends, and
    for a word scale each word's level (1 = lowest)."""

    key: str
    label: str
    low: int
    high: int
    words: Mapping[str, int] = field(default_factory=dict)

    def to_weights(self, values: np.ndarray) -> np.ndarray:
        """Answers (numbers on this scale, or word levels) as weights 0..10, linearly."""
        return (values - self.low) * (10.0 / (self.high - self.low))

    def note(self, met: Collection[str] = ()) -> str:
        """The sentence that states how answers are read. On a word scale, each level by every
        word `met` in the answers (as word_key gives them; "Not at all important = 0, Not
        important = 0"), or by its first word when none was met."""
        if self.words:
            reading = ", ".join(
                f"{word.capitalize()} = {self.to_weights(np.float64(level)):g}"
                for level in range(self.low, self.high + 1)
                for word in self._named(level, met)
            )
            return f"answers are {self.label}; read as {reading}."
        if self.key in PERCENT_NOTES:
            return PERCENT_NOTES[self.key]
        return f"answers run {self.low}-{self.high}; read as {self.low} = 0 and {self.high} = 10."

    def _named(self, level: int, met: Collection[str]) -> list[str]:
        """The words of `level` met in the answers, else its first word."""
        words = [w for w, at in self.words.items() if at == level]
        return [w for w in words if w in met] or words[:1]


IMPORTANCE = {
    "not at all important": 1,
    "not important": 1,
    "slightly important": 2,
    "moderately important": 3,
    "very important": 4,
    "extremely important": 5,
}
AGREEMENT = {
    "strongly disagree": 1,
    "disagree": 2,
    "neither agree nor disagree": 3,
    "neither agree or disagree": 3,
    "neutral": 3,
    "agree": 4,
    "strongly agree": 5,
}
SCALES: dict[str, Scale] = {
    s.key: s
    for s in (
        Scale("0-10", "numbers 0-10 (the app's own)", 0, 10),
        Scale("1-10", "numbers 1-10", 1, 10),
        Scale("1-5", "numbers 1-5", 1, 5),
        Scale("1-7", "numbers 1-7", 1, 7),
        Scale("0-100", "numbers 0-100 (sliders, or percentages such as 80%)", 0, 100),
        Scale("0-1", "fractions 0-1 (a percentage format shows 0.8 as 80%)", 0, 1),
        Scale(
            "importance",
            "importance words (Not at all important ... Extremely important)",
            1,
            5,
            IMPORTANCE,
        ),
        Scale(
            "agreement", "agreement words (Strongly disagree ... Strongly agree)", 1, 5, AGREEMENT
        ),
    )
}
OWN = SCALES["0-10"]
# Every word of every word scale, as word_key compares them.
ANSWER_WORDS = frozenset(word for scale in SCALES.values() for word in scale.words)
PERCENT_NOTES = {
    "0-100": "answers run 0-100 (sliders or percentages); read as 0 = 0 and 100 = 10, so 80 "
    "or 80% is 8.",
    "0-1": "answers are fractions shown as percentages (a percentage number format); read as "
    "0% = 0 and 100% = 10, so 0.8 (80%) is 8.",
}


# A number before an answer word, as tools write the level: "5 - ", "1. ", "3: ", "4) ", "2 = ".
NUMBERED = re.compile(r"^(\d+)\s*[-\u2013\u2014.:)=]\s*(?=[^\W\d_])")


def word_key(text: str) -> str:
    """How an answer word is compared: case, runs of spaces and a number before the word (see
    NUMBERED) do not count."""
    return NUMBERED.sub("", " ".join(str(text).split()).casefold(), count=1)


def out_of_step(cells: pd.Series, scale: Scale) -> np.ndarray:
    """Of answer cells on a word `scale`, the positions of those whose number before the word
    ("5 - Very important") does not follow the words' order on the scale.

    Numbers that are the words' levels shifted by one amount (0-4 for a 1-5 scale) follow it, and
    so does a cell with no number or a word the scale does not know; when they differ, the cells
    whose shift is not the most common one are out of step (the word is what is read).
    """
    if pd.api.types.is_numeric_dtype(cells):
        return np.array([], dtype=int)
    text = cells.astype("string").str.strip()
    numbered = text.str.match(NUMBERED.pattern).fillna(False).to_numpy(dtype=bool)
    if not numbered.any():
        return np.array([], dtype=int)
    some = text[numbered]
    numbers = pd.to_numeric(some.str.extract(NUMBERED.pattern, expand=False), errors="coerce")
    levels = pd.to_numeric(some.map(lambda t: scale.words.get(word_key(t))), errors="coerce")
    shift = (numbers - levels).dropna()
    if shift.nunique() <= 1:
        return np.array([], dtype=int)
    usual = shift.mode().iloc[0]
    off = shift.index[shift != usual]
    return np.flatnonzero(cells.index.isin(off))


def recognise(
    columns: Sequence[np.ndarray],
    words: Mapping[str, int],
    percent_signs: int = 0,
    percent_format: bool = False,
) -> Scale:
    """The scale the answers are on.

    `columns` hold the numeric answers of each criterion column (NaN for others); `words`
    counts each word answer (by `word_key`); `percent_signs` counts the numbers written with a
    percent sign (`80%`); `percent_format` says most numbers are cells in a percentage number
    format (a workbook's `0%`). The kind most answers are wins: the word scale that knows the
    most words when they outnumber the numbers, else the numbers, so that one stray word among
    numbers (or number among words) is reported as a faulty cell, not taken for the scale.

    Numbers: fractions 0..1 in a percentage format are 0-1; numbers most of which carry a percent
    sign are 0-100; whole numbers whose lowest is 1 and highest 5, 7 or 10 are that 1-N scale;
    numbers 0..100 of which at least three, and at least a quarter, are over 10 (so a stray 11
    among answers 0-10 is a faulty cell, not a slider) are 0-100; anything else is 0-10.
    """
    low, high, count = np.inf, -np.inf, 0
    for values in columns:
        finite = np.isfinite(values)
        numbers = int(finite.sum())
        if numbers:  # no copy when every answer is a number
            some = values if numbers == values.size else values[finite]
            count += numbers
            low, high = min(low, some.min()), max(high, some.max())
    if words:
        known = {
            key: sum(n for w, n in words.items() if w in s.words)
            for key, s in SCALES.items()
            if s.words
        }
        best = max(known, key=lambda key: known[key])
        if known[best] > count:
            return SCALES[best]
    if not count:
        return OWN
    if percent_format and low >= 0 and high <= 1:
        return SCALES["0-1"]
    if percent_signs * 2 > count and low >= 0 and high <= 100:
        return SCALES["0-100"]
    if low == 1 and high in (5, 7, 10) and all(_whole(v) for v in columns):
        return SCALES[f"1-{int(high)}"]
    if low >= 0 and 10 < high <= 100:
        over_ten = sum(int(np.count_nonzero((v > 10) & np.isfinite(v))) for v in columns)
        if over_ten >= 3 and over_ten * 4 >= count:
            return SCALES["0-100"]
    return OWN


def _whole(values: np.ndarray) -> bool:
    """Every answer in `values` that is a number is a whole number (NaN left out)."""
    finite = values[np.isfinite(values)]
    return bool(np.array_equal(finite, np.rint(finite)))
