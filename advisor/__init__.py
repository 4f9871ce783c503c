"""Massage Advisor's domain: medical or spa massage, and for whom. It never imports Streamlit.

The package is cut by what a newcomer asks about, each subpackage one family:

- `catalog`: every fact the app knows, read from data/ and validated (criteria, types, fits);
  `catalog_checks` runs its table of checks and reports every fault at once; `catalog_cache`
  keeps a checked catalog until its files change; `errors` holds the errors a person is shown.
- `decision/`: the decision model for one client: `scoring` (the one scoring function),
  `sensitivity` (tipping points, robustness), `explanation` (what a client is told),
  `share_link` (links that restore a weighting), `takeaway` (the summary to keep) and
  `elicitation` (the short questionnaire that sets the weights from best-worst choices).
- `clinic/`: the clinic owner's analysis: `answer` (the owner's answer, built once), `menu`
  (the clinic's own services), `positioning` (segments, the map, client mix, what-if), `design`
  (a service for the gap), `survey` (the scored-survey format) and `report` (the PDF).
- `files/`: the survey reader and writer, files people bring and take: `reading` (the bounded,
  forgiving reader) with `dialect` (encodings, delimiters), `cells`, `workbook` (.xlsx, .xls,
  .ods), `headers`, `titles`, `rows` (summary rows, repeats), `answers` (cells onto weights),
  `scales`, `mapping` (columns onto criteria) and `notes` (what it decided); `template` (the
  survey template) and `writing` (spreadsheet-safe CSV out).
- `figures/`: plotly figure builders: `style` (palette, titles), `client` and `clinic`.
- `answers/`: the opt-in answers clients choose to send: `store` (SQLAlchemy, alembic
  `migrations/`) and the owner's `passcode`.
- `about`: who made it, who pays, conflicts, dates (the deployment's setting); `printing`: what
  the two PDFs share (the font in `fonts/`); `dates`: dates in words, for pages and PDFs;
  `bidi`: a name someone typed, isolated where a sentence holds it (right-to-left names).
- `cli`: the command line, `python -m advisor`.

Glossary (multi-criteria decision analysis terms where one exists):

- criterion: one thing a person may care about (13, e.g. `relaxation`); ids are public.
- weight: how much a person cares about a criterion, 0..10 (a slider, a survey answer).
- alternative: what is being chosen between; here a massage *type* (medical, spa) or a clinic's
  *service*. type: an alternative from the source article; service: any alternative on a
  clinic's menu, the two types included.
- fit: how well an alternative serves a criterion, 0..10 (an editorial score, with its reason).
- match: an alternative's weighted-average fit as a percentage (the score of DESIGN.md).
- contribution: the points one criterion adds to a match; a match's contributions add up to it.
- margin: the points between the top two matches; under 5 points it is a tie.
- tipping point: the weight of one criterion, all others held, at which the top two would tie.
- robustness: the share of nearby weightings (each weight moved within a band) that keep the
  same leader; the sensitivity analysis of a result.
- segment: a client persona of a clinic, a weight vector with a share of a typical client base.
- share: a fraction of clients (0..1): of a segment in the typical base, or of a survey's
  clients whose best match is a service.
- answers: the opt-in feature; a client may send their weights, and the owner sees them.
"""

from advisor.catalog import Catalog, load_catalog
from advisor.decision.scoring import MatchResult, match_matrix, score
from advisor.errors import AdvisorError, ArgumentError, CatalogError, InputFileError

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
