"""Names a clinic owner types for a service: each is refused with a clear message, or kept and
only ever shown as inert text (never as HTML or markdown) and exported so that no spreadsheet
runs it as a formula."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.clinic.menu import MAX_NAME_LENGTH

INVISIBLE = (
    "A service name cannot contain control characters or invisible formatting characters "
    "(such as a right-to-left override)."
)


@dataclass(frozen=True)
class NameCase:
    id: str
    what: str
    name: str
    refused: str | None = None  # the exact message, or None when the name is kept

    @property
    def typed(self) -> str:
        """What the add-service text box hands to the page: the whole paste (the box has no
        length cut, so an over-long name is refused with the limit, never cut or emptied)."""
        return self.name

    @property
    def refused_in_the_designer(self) -> str | None:
        return self.refused


NAME_CASES: list[NameCase] = [
    NameCase("html_bold", "an HTML tag", "<b>Bold</b> massage"),
    NameCase("script", "a script tag", "<script>alert(1)</script>"),
    NameCase("img_onerror", "an image with an event handler", '<img src=x onerror="alert(1)">'),
    NameCase("markdown_link", "a markdown link", "[click me](javascript:alert(1))"),
    NameCase("markdown_emphasis", "markdown emphasis and code", "**Deep** _tissue_ `x` # h"),
    NameCase("html_entity", "an HTML entity", "Hot &amp; cold &#60;b&#62;"),
    NameCase("formula_equals", "a formula", '=HYPERLINK("http://example.com","x")'),
    NameCase("formula_plus", "a DDE payload", "+cmd|' /C calc'!A0"),
    NameCase("formula_minus", "a sum", "-2+3"),
    NameCase("formula_at", "an @ function", "@SUM(1+1)"),
    NameCase(
        "ten_thousand",
        "10,000 characters",
        "x" * 10_000,
        f"A service name can be at most {MAX_NAME_LENGTH} characters (this one has 10,000).",
    ),
    NameCase("emoji", "emoji, with a zero-width joiner", "\U0001f486\u200d\u2640\ufe0f Relax"),
    NameCase(
        "rtl_arabic",
        "right-to-left Arabic",
        "\u062a\u062f\u0644\u064a\u0643 \u0639\u0644\u0627\u062c\u064a",
    ),
    NameCase(
        "rtl_hebrew",
        "right-to-left Hebrew",
        "\u05e2\u05d9\u05e1\u05d5\u05d9 \u05e8\u05e4\u05d5\u05d0\u05d9",
    ),
    NameCase("rtl_override", "a right-to-left override", "Spa \u202eegassam", INVISIBLE),
    NameCase("zero_width_space", "a zero-width space", "Medical\u200bmassage", INVISIBLE),
    NameCase("control_character", "a bell character", "Bell\x07", INVISIBLE),
    NameCase(
        "lookalike_of_a_type",
        "a catalog type's name with a no-break space",
        "medical\u00a0Massage",
        "That is the name of a massage type the app compares; give the service its own.",
    ),
    NameCase("blank", "spaces only", "   ", "A service needs a name."),
]
