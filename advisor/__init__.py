"""Massage Advisor's domain: catalog, scoring, sensitivity, surveys, share links and figures.

Plain Python, pandas, numpy and plotly; it never imports Streamlit, so every piece is testable
without a server. `advisor.scoring.match_matrix` is the one scoring function behind the pages,
the command line and the benchmarks.
"""

from advisor.catalog import Catalog, load_catalog
from advisor.errors import AdvisorError, ArgumentError, CatalogError, InputFileError
from advisor.scoring import MatchResult, match_matrix, score

__all__ = [
    "AdvisorError",
    "ArgumentError",
    "Catalog",
    "CatalogError",
    "InputFileError",
    "MatchResult",
    "load_catalog",
    "match_matrix",
    "score",
]
