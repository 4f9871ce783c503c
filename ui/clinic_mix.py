"""Client mix on Position my clinic: the charts behind the answer, from the same ClinicAnswer.

How the clients split by best service at the threshold, which segments they are closest to
against a typical client base, what the unserved clients' best service misses, and (on
demand) their priorities beside a typical base; then the scored survey to download.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from advisor.catalog import Catalog
from advisor.clinic.positioning import DEFAULT_UNSERVED_THRESHOLD, client_mix
from advisor.clinic.survey import scored_survey
from advisor.figures.clinic import (
    misses_chart,
    misses_table,
    priorities_chart,
    priorities_table,
    segments_table,
    shares_chart,
    shares_table,
)
from advisor.files.notes import plural
from ui.clinic_answer import Answered, made
from ui.state import declare
from ui.survey_upload import SurveyInUse, scored_download
from ui.widgets import chart, chart_with_table, number_table, on_demand

THRESHOLD = "pc_threshold"

STATE = declare(
    __name__,
    owned=(
        THRESHOLD,
        "pc_segments_mix_table",
        "pc_priorities_box",
        "shares_*",
        "misses_*",
        "priorities_*",
    ),
    kept=(THRESHOLD, "pc_priorities_box"),
)


def threshold_value() -> int:
    """The threshold the page is at: the slider's value, which the answer at the top needs
    before the slider is drawn below it."""
    return int(st.session_state.setdefault(THRESHOLD, int(DEFAULT_UNSERVED_THRESHOLD)))


def _threshold() -> None:
    threshold_value()
    st.slider(
        "Unserved below this best match (%)",
        0,
        100,
        step=5,
        key=THRESHOLD,
        help="A client whose best service matches less than this is counted as unserved.",
    )


def mix_section(
    catalog: Catalog, survey: SurveyInUse, answered: Answered, fits: pd.DataFrame
) -> None:
    """Threshold, the split by best service, nearest segments, what the unserved miss, the
    priorities on demand, and the scored download."""
    answer = answered.answer
    names = answer.names
    labels = {cid: catalog.criterion_label(cid) for cid in catalog.criterion_ids}
    st.header("Client mix", anchor=False)
    _threshold()
    split = answer.split
    if split.without_priorities:
        st.info(
            f"{split.without_priorities:,} of your {plural(split.total, 'client')} gave every "
            "priority 0, so no service is their best match: they count in the total of clients, "
            "but not as unserved, and no designed service is made for them.",
            icon=":material/info:",
        )
    chart_with_table(
        made("shares", answered, partial(shares_chart, split, names)),
        partial(shares_table, split, names),
        "shares",
    )
    st.subheader("The segments your clients are closest to", anchor=False)
    st.caption(
        "Each client is placed in the segment whose priorities point the same way as theirs. "
        "A typical client base's shares follow AMTA's 2015 consumer survey; the split within "
        "medical and within other reasons is assumed (see Segment fit, below)."
    )
    number_table(
        made("segments", answered, partial(segments_table, answer)), "pc_segments_mix_table"
    )
    if split.unserved:
        chart_with_table(
            made("misses", answered, partial(misses_chart, answer, labels)),
            partial(misses_table, answer, labels),
            "misses",
        )
    _priorities(catalog, answered, labels)
    scored_download(
        partial(_scored, survey.frame, fits, catalog, names, answer.threshold),
    )


def _priorities(catalog: Catalog, answered: Answered, labels: dict[str, str]) -> None:
    """Your clients' average priorities beside a typical base, made only while open."""
    priorities = answered.answer.priorities
    box = on_demand("Your clients' priorities beside a typical client base", "pc_priorities_box")
    if box is None:
        return
    with box:
        if len(priorities) < len(catalog.criterion_ids):
            # a criterion the survey never asked about reads as 0: comparing it would say the
            # clients care less about it, which they were never asked
            st.info(
                f"Your survey asked about {len(priorities)} of the "
                f"{len(catalog.criterion_ids)} priorities, so only those are compared with a "
                "typical client base. The others count as 0 in every match.",
                icon=":material/filter_alt:",
            )
        chart(
            made("priorities", answered, partial(priorities_chart, priorities, labels)),
            "priorities",
        )
        number_table(priorities_table(priorities, labels), "priorities_table")


def _scored(
    survey: pd.DataFrame,
    fits: pd.DataFrame,
    catalog: Catalog,
    names: dict[str, str],
    threshold: float,
) -> pd.DataFrame:
    """The scored survey, made when the owner presses the download button."""
    mix = client_mix(survey, fits, catalog.segment_weights, threshold)
    return scored_survey(survey, mix, names)
