"""ui.clinic_designer: the designed service's promise in plain words."""

from __future__ import annotations

import pandas as pd

from advisor.clinic.design import Design
from ui.clinic_designer import _promise

NAMES = {"medical": "Medical massage", "spa": "Spa massage"}


def test_the_points_taken_add_up_to_the_share_won():
    # 38.3 + 0.5 = 38.8, printed 39: each part alone would say 38 and 0
    design = Design(
        mixes={},
        fits=pd.Series(dtype=float),
        objective="most_clients",
        wins=233,
        clients=600,
        taken_from=pd.Series({"medical": 0.005, "spa": 0.38333}),
        best_share=0.4,
    )
    assert _promise(design, NAMES, 70) == (
        "It would be the best match for 40% of your clients, and beat every service you have by "
        "more than 1 match point (on the 0-100 match score) for 39% of your clients: 38 "
        "percentage points of your clients from Spa massage and 1 percentage point from Medical "
        "massage."
    )
