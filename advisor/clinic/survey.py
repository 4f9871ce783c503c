"""The scored survey: one format for the page and the command line.

The survey's own columns (client_id, then one weight 0..10 per criterion, 2 decimals; never a
personal column), then one `match_<service name>` column per service (percent, 2 decimals),
`best_match` (the service name, or "none" for a client with no weight), `unserved` (True when
the best match is under the threshold; False for "none": a client with no priority is not
unserved) and `nearest_segment` (the segment id whose priorities point the same way), all from
advisor.clinic.positioning.client_mix.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from advisor.clinic.positioning import DEFAULT_UNSERVED_THRESHOLD, ClientMix, client_mix
from advisor.decision.scoring import labels_at

DECIMALS = 2


def match_column(name: str) -> str:
    """The scored survey's column for one service, by the service's display name."""
    return f"match_{name}"


def scored_survey(survey: pd.DataFrame, mix: ClientMix, names: Mapping[str, str]) -> pd.DataFrame:
    """The survey plus a match column per service, best match, unserved and nearest segment.

    `mix` is `client_mix` of this survey; `names` maps each service id to its display name.
    """
    matches = _rounded(mix.matches)
    matches.columns = [match_column(names.get(s, s)) for s in matches.columns]
    best, services = pd.factorize(mix.best)
    labels = pd.DataFrame(
        {
            "best_match": labels_at(best, [names.get(s, s) for s in services]),
            "unserved": mix.unserved.to_numpy(),
            "nearest_segment": mix.nearest_segment.array,
        },
        index=survey.index,
    )
    own = survey.drop(columns=[*matches.columns, *labels.columns], errors="ignore")
    weights = own.select_dtypes("floating").columns
    # 2 decimals, as the matches: the page holds weights as float32, the command line as
    # float64, and both write the same figures
    own[weights] = _rounded(own[weights])
    return pd.concat([own, matches, labels], axis=1)


def _rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers (float32 or float64; a missing value is NaN) as float64 to DECIMALS decimals,
    the same figures as `DataFrame.astype(float).round(DECIMALS)`: numpy rounds by multiplying,
    rounding to whole numbers and dividing, done here in place in one column-major array,
    without that way's two whole copies (a million rows: bench/survey_files.py)."""
    values = np.empty(frame.shape, order="F")
    for j in range(frame.shape[1]):
        values[:, j] = frame.iloc[:, j].to_numpy(dtype=float, na_value=np.nan)
    scale = 10.0**DECIMALS
    np.multiply(values, scale, out=values)
    np.rint(values, out=values)
    np.divide(values, scale, out=values)
    return pd.DataFrame(values, index=frame.index, columns=frame.columns, copy=False)


def score_survey(
    survey: pd.DataFrame,
    fits: pd.DataFrame,
    segment_weights: pd.DataFrame,
    names: Mapping[str, str],
    threshold: float = DEFAULT_UNSERVED_THRESHOLD,
) -> pd.DataFrame:
    """`scored_survey` of the survey against the services in `fits` (services x criteria)."""
    return scored_survey(survey, client_mix(survey, fits, segment_weights, threshold), names)
