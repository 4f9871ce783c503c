"""The client's opt-in in a real browser: nothing is stored until the button is pressed, then
exactly one answer with the stated fields, however often it is pressed."""

from __future__ import annotations

import pytest

from advisor.answers.store import STORED_FIELDS, AnswerStore
from tests.browser.support import demand_url, expect, wait_for_idle

pytestmark = pytest.mark.browser


def test_consent_stores_one_answer_with_the_stated_fields(open_in_browser):
    store = AnswerStore(demand_url())
    store.delete_all()
    page = open_in_browser("find?preset=unwind&certainty=high", "phone")
    button = page.get_by_role("button", name="Send my anonymous priorities")
    expect(button).to_be_visible()
    assert store.count() == 0  # shown a result, but nothing sent yet
    button.click()
    expect(page.get_by_text("Sent, thank you.")).to_be_visible(timeout=20_000)
    wait_for_idle(page)
    frame = store.answers()
    assert list(frame.columns) == ["id", *STORED_FIELDS]
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row["preset"], row["certainty"], row["result"]) == ("unwind", "high", "spa")
    assert row["weights"]["relaxation"] == 10
    page.get_by_role("button", name="Send my anonymous priorities").click()
    expect(page.get_by_text("Updated: the clinic now has your latest priorities")).to_be_visible(
        timeout=20_000
    )
    assert store.count() == 1
