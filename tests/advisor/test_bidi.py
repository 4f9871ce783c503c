"""advisor.bidi: a name someone typed, isolated where it is set into a sentence."""

from __future__ import annotations

import pytest

from advisor.bidi import FSI, PDI, isolate, isolate_file_name, needs_isolation

ARABIC = "تدليك علاجي"
HEBREW = "עיסוי רפואי"


@pytest.mark.parametrize(
    ("name", "isolated"),
    [
        ("Hot stone, 90 min", "Hot stone, 90 min"),  # left to right: as typed
        ("Massage 60", "Massage 60"),
        ("Café crème!", "Café crème!"),
        (ARABIC, f"{FSI}{ARABIC}{PDI}"),
        (HEBREW, f"{FSI}{HEBREW}{PDI}"),
        (f"Deep {HEBREW} 60", f"{FSI}Deep {HEBREW} 60{PDI}"),  # mixed: its first letter leads
        ("٣٠ min", f"{FSI}٣٠ min{PDI}"),  # Arabic-Indic digits
        # directional controls are dropped inside: a stray PDI cannot close the isolate early,
        # a right-to-left override cannot reach past it
        (f"Spa{PDI}\u202eevil", f"{FSI}Spaevil{PDI}"),
        (f"{ARABIC}\u202b!", f"{FSI}{ARABIC}!{PDI}"),
    ],
)
def test_only_a_name_that_could_reorder_its_sentence_is_isolated(name, isolated):
    assert isolate(name) == isolated
    assert needs_isolation(name) is (name != isolated)


def test_an_isolated_name_keeps_every_letter_in_order():
    assert isolate(ARABIC)[1:-1] == ARABIC
    assert isolate(isolate(ARABIC)) == isolate(ARABIC)  # isolating twice changes nothing


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("survey.csv", "survey.csv"),  # nothing to isolate
        ("\u0639\u0645\u0644\u0627\u0621.csv", "\u2068\u0639\u0645\u0644\u0627\u0621\u2069.csv"),
        ("\u05e1\u05e7\u05e8.v2.xlsx", "\u2068\u05e1\u05e7\u05e8.v2\u2069.xlsx"),
        ("\u05e1\u05e7\u05e8", "\u2068\u05e1\u05e7\u05e8\u2069"),  # no extension
        ("x.\u05e1\u05e7\u05e8", "\u2068x.\u05e1\u05e7\u05e8\u2069"),  # an extension not ASCII
        (".\u05e1", "\u2068.\u05e1\u2069"),  # no stem
    ],
)
def test_a_file_name_isolates_its_stem_and_keeps_its_extension_after_it(name, said) -> None:
    assert isolate_file_name(name) == said
