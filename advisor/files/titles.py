"""Question titles as form tools export them, without their formatting.

`clean_title` takes the formatting off a title: markdown emphasis and code marks (`*bold*`,
`**bold**`, `_italic_`, `__bold__`, backticks), HTML tags (`<strong>`, `<em>`, `<p>`, `<br>`; a
line break or paragraph end becomes a space) and HTML entities (`&amp;`, `&nbsp;`); then runs of
spaces and line breaks become one space. It leaves alone what is not formatting: an underscore
inside a word (`health_condition`), a lone asterisk (`Rate 1-5 *`), a `<` that opens no tag
(`1 < 2`). The clean title is what the owner is shown and what is matched.
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_BREAK = re.compile(r"<\s*br\s*/?\s*>|</p\s*>", re.IGNORECASE)
_MARKS = (
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"),
    re.compile(r"(?<![\w_])__(?=\S)(.+?)(?<=\S)__(?![\w_])"),
    re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"),
    re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])"),
    re.compile(r"`+([^`]+)`+"),
)
_FORMATTING = frozenset("<&*_`")


def clean_title(text: str) -> str:
    """A header cell without its formatting, on one line (see the module docstring)."""
    if _FORMATTING.isdisjoint(text):
        return " ".join(text.split())  # the common case: nothing to take off
    clean = _TAG.sub("", _BREAK.sub(" ", text))
    clean = html.unescape(clean)
    for mark in _MARKS:
        clean = mark.sub(r"\1", clean)
    return " ".join(clean.split())
