"""advisor.errors: every fault a user can cause is an AdvisorError with a message for a person."""

from __future__ import annotations

import pytest

from advisor.errors import AdvisorError, ArgumentError, CatalogError, InputFileError


@pytest.mark.parametrize(
    ("problems", "message"),
    [
        (
            ["data/types.csv: row 2, column id: missing."],
            "data/types.csv: row 2, column id: missing.",
        ),
        (["first", "second"], "first (and 1 more)"),
        (["first", "second", "third"], "first (and 2 more)"),
        ([], "the catalog could not be loaded"),
    ],
)
def test_catalog_error_message_names_the_first_problem(problems: list[str], message: str) -> None:
    error = CatalogError(problems)
    assert str(error) == message
    assert error.problems == problems


def test_catalog_error_keeps_its_own_copy_of_the_problems() -> None:
    problems = ["first"]
    error = CatalogError(problems)
    problems.append("later")
    assert error.problems == ["first"]


@pytest.mark.parametrize("error_type", [CatalogError, InputFileError, ArgumentError])
def test_every_error_is_an_advisor_error(error_type: type[AdvisorError]) -> None:
    assert issubclass(error_type, AdvisorError)
    assert issubclass(AdvisorError, Exception)
