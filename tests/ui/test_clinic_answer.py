"""ui.clinic_answer: the answer is about the survey in use, with its reading notes."""

from __future__ import annotations

import pandas as pd

from advisor.clinic.answer import Clients
from ui.clinic_answer import clients_of
from ui.survey_upload import SurveyInUse

NOTES = ("header: missing criteria set to 0: Relaxation (relaxation).", "row 4 has no answers.")


def test_the_answers_clients_carry_the_notes_the_page_shows():
    survey = SurveyInUse(
        pd.DataFrame({"client_id": ["a"]}), "mine.csv", None, "0-10", NOTES, ("pain",), "k"
    )
    assert clients_of(survey) == Clients("mine.csv", False, ("pain",), NOTES)
