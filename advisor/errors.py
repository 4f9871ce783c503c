"""The project's own errors: every fault a user can cause ends as one of these."""

from __future__ import annotations


class AdvisorError(Exception):
    """Base of every error the advisor raises on purpose; its message is meant for a person."""


class CatalogError(AdvisorError):
    """The catalog in data/ is damaged. `problems` lists each fault with file, row and column."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        head = problems[0] if problems else "the catalog could not be loaded"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(head + more)


class InputFileError(AdvisorError):
    """An uploaded or given file cannot be read at all (size, encoding, header, row bound).

    `reasons` are what a person needs to fix it when there is more than the message: for a file
    of which no row could be used, each note on its rows and columns (advisor.files.notes.Note,
    or plain text), in order.
    """

    def __init__(self, message: str, reasons: list | tuple = ()) -> None:
        super().__init__(message)
        self.reasons = list(reasons)


class ArgumentError(AdvisorError):
    """A command-line or share-link parameter is not valid."""
