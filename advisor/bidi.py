"""A name someone typed, set inside a sentence so that its direction cannot spill over it.

A clinic's service name may be written right to left (Arabic "تدليك علاجي", Hebrew "עיסוי
רפואי"). Set as it is into a left-to-right sentence, the Unicode bidirectional algorithm lets
it pull its neighbours along: "تدليك علاجي: 64%" shows the figure and the colon on the wrong
side, and a comma or the next word can jump across the name. `isolate` wraps such a name in
FIRST STRONG ISOLATE (U+2068) ... POP DIRECTIONAL ISOLATE (U+2069): inside, the name keeps its
own direction; outside, the sentence treats it as one neutral word. Browsers, the PDF's shaper
(fpdf2 with uharfbuzz, advisor.printing) and bidi-aware terminals honour the pair and draw
nothing for it.

Only a name that can disturb its sentence is wrapped: one with a right-to-left letter, an
Arabic-Indic digit or a directional control character. Any other name is returned as it is,
so a left-to-right name reads, copies and prints exactly as typed. The directional controls a
name may hold are dropped inside the wrapper: an unpaired one (a stray U+2069, say) would
otherwise close the wrapper early and let the rest of the name spill out again.

Every sentence that embeds a name someone typed takes it through `isolate`: the explanation's
sentences (advisor.decision.explanation), the pages, the PDFs and the command line. A name
shown alone (a chart label, a table cell, a CSV field) is left as typed.
"""

from __future__ import annotations

import unicodedata

FSI = "\u2068"  # FIRST STRONG ISOLATE: the name's own first letter sets its direction
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE: ends the isolate
# embeddings, overrides, isolates and their ends: invisible, and able to reorder what follows
CONTROLS = frozenset(("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"))
DISTURBING = frozenset(("R", "AL", "AN")) | CONTROLS


def needs_isolation(text: str) -> bool:
    """True when `text` has a right-to-left letter, an Arabic-Indic digit or a directional
    control: set into a left-to-right sentence as it is, it could reorder its neighbours."""
    return any(unicodedata.bidirectional(c) in DISTURBING for c in text)


def isolate(name: str) -> str:
    """`name` ready to set into a sentence: wrapped in FSI ... PDI (its directional controls
    dropped) when it needs_isolation, else unchanged."""
    if not needs_isolation(name):
        return name
    kept = "".join(c for c in name if unicodedata.bidirectional(c) not in CONTROLS)
    return f"{FSI}{kept}{PDI}"


def isolate_file_name(name: str) -> str:
    """A file's name ready to set into a sentence: its stem through `isolate`, its extension
    (ASCII letters and digits after the last dot, such as "csv") after the isolate, so that
    "عملاء.csv" reads as the file shows it, on the page and in the PDF alike (fpdf2 draws an
    isolate whose last letters are Latin out of order: ".عملاءcsv"). A name without such an
    extension goes through `isolate` whole."""
    stem, dot, extension = name.rpartition(".")
    if not (dot and stem and extension.isascii() and extension.isalnum()):
        return isolate(name)
    return f"{isolate(stem)}.{extension}"
