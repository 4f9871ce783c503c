"""Client mix on Position my clinic: who each service serves best, and what clients ask for."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial

import pandas as pd
import streamlit as st

from advisor.catalog import Catalog
from advisor.clinic.positioning import (
    DEFAULT_UNSERVED_THRESHOLD,
    ClientMix,
    average_priorities,
    client_mix,
    typical_base,
)
from advisor.clinic.survey import scored_survey
from advisor.figures.clinic import (
    nearest_segment_table,
    priorities_chart,
    shares_chart,
    shares_table,
)
from ui.clinic_memo import frame_key, memo
from ui.state import declare
from ui.survey_upload import scored_download
from ui.widgets import chart_with_table

STATE = declare(
    __name__,
    owned=("pc_threshold", "pc_nearest_table", "shares_*", "priorities_*"),
    kept=("pc_threshold",),
)


@dataclass(frozen=True)
class MixView:
    """The client mix and what the summary needs from this section."""

    mix: ClientMix
    survey_key: int
    yours: pd.Series
    typical: pd.Series

    @property
    def threshold(self) -> float:
        return self.mix.threshold


def _threshold() -> int:
    st.session_state.setdefault("pc_threshold", int(DEFAULT_UNSERVED_THRESHOLD))
    return st.slider(
        "Unserved below this best match (%)",
        0,
        100,
        step=5,
        key="pc_threshold",
        help="A client whose best service matches less than this is counted as unserved.",
    )


def _asked(catalog: Catalog) -> list[str]:
    """The criteria the survey in use asked about: all of them for the sample."""
    asked = set(st.session_state.get("pc_survey_asked") or ())
    if st.session_state.get("pc_survey") is None or not asked:
        return list(catalog.criterion_ids)
    return [cid for cid in catalog.criterion_ids if cid in asked]


def mix_section(
    catalog: Catalog, survey: pd.DataFrame, fits: pd.DataFrame, names: dict[str, str]
) -> MixView:
    """Threshold, shares, priorities and nearest segments; the mix is computed once per
    change of the survey, the menu or the threshold."""
    threshold = _threshold()
    survey_key = frame_key(survey)
    base_key = (survey_key, frame_key(fits))
    mix = replace(
        memo("mix", base_key, lambda: client_mix(survey, fits, catalog.segment_weights)),
        threshold=threshold,
    )  # the matches and segments do not depend on the threshold: only the unserved flag does
    mix_key = (*base_key, threshold)
    segment_names = dict(catalog.segments["label"])
    shares_now = mix.shares()
    top = shares_now.idxmax()
    metrics = st.columns(3)
    metrics[0].metric("Clients", f"{mix.clients:,}")
    metrics[1].metric("Share of the top service", f"{shares_now.max() * 100:.0f}%")
    metrics[2].metric(f"Unserved (under {threshold}%)", f"{mix.unserved_share() * 100:.0f}%")
    st.text(f"Top service: {names.get(top, top)}")
    if mix.without_priorities:
        st.info(
            f"{mix.without_priorities:,} of your {mix.clients:,} clients gave every priority 0, "
            "so no service is their best match: they count in the total of clients, but not as "
            "unserved, and no designed service is made for them.",
            icon=":material/info:",
        )
    chart_with_table(
        memo("shares_chart", (mix_key, tuple(names.items())), lambda: shares_chart(mix, names)),
        partial(shares_table, mix, names),
        "shares",
    )

    st.subheader("What your clients ask for", anchor=False)
    average = memo(
        "priorities",
        survey_key,
        lambda: average_priorities(survey, catalog.segment_weights, segment_names),
    )
    typical = typical_base(catalog.segment_weights, catalog.segments["share"])
    asked = _asked(catalog)
    if len(asked) < len(catalog.criterion_ids):
        # a criterion the survey never asked about reads as 0: comparing it would say the
        # clients care less about it, which they were never asked
        average, typical = average.loc[asked], typical[asked]
        st.info(
            f"Your survey asked about {len(asked)} of the {len(catalog.criterion_ids)} "
            "priorities, so only those are compared with a typical client base here and in "
            "the answer above. The others count as 0 in every match.",
            icon=":material/filter_alt:",
        )
    labels = {cid: catalog.criterion_label(cid) for cid in catalog.criterion_ids}
    chart_with_table(
        memo("priorities_chart", survey_key, lambda: priorities_chart(average, typical, labels)),
        lambda: average.rename(index=labels).round(1).reset_index(names="Criterion"),
        "priorities",
    )
    st.subheader("Nearest segment per client", anchor=False)
    st.dataframe(
        memo(
            "nearest",
            base_key,
            lambda: nearest_segment_table(mix, catalog.segments["share"], segment_names),
        ),
        hide_index=True,
        key="pc_nearest_table",
    )
    scored_download(partial(scored_survey, survey, mix, names))
    return MixView(mix, survey_key, average["Your clients"], typical)
