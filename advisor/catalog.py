"""Loading and validating the catalog in data/ into one typed, read-only object.

What the catalog must hold is two tables below: TABLES (the files, what a row of each is called,
the column that names a row) and CHECKS (one row per rule a column must keep: its format, the
file it refers to, the ids the code relies on). `advisor.catalog_checks` runs them all at once:
each file through a pandera schema, then the rules between files, and every fault found is
reported together with the file, the spreadsheet row (the header is row 1) and the column.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from advisor import catalog_cache, catalog_checks
from advisor.catalog_checks import (
    COVERS,
    DATE,
    DATE_OR_EMPTY,
    EVERY,
    FILES,
    GROUPS,
    HAS,
    ID,
    LIMITS,
    LINK,
    NUMBER,
    ONE_OF,
    OPTIONAL,
    PAIRS,
    REF,
    REF_OR,
    ROWS,
    SOURCE_DATE,
    SOURCED,
    SUMS_TO,
    TEXT,
    UNIQUE,
    VERSION,
    WHOLE,
    Check,
    Table,
    fit_table,
    run_checks,
)
from advisor.errors import CatalogError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SAMPLE_SURVEY_FILE = "sample_survey.csv"
CODE = (Path(__file__), Path(catalog_checks.__file__))  # what a kept catalog was checked by

# The only ids the code names: the two types it compares (the designer mixes medical with
# spa, the colours, the Compare page's columns) and the two dimensions whose sections a session's
# facts cite and whose mixes decide who delivers a designed service and where. Every other group,
# axis and piece of wording the code uses is a column of data/ (see data/README.md).
TYPES_NAMED = ("medical", "spa")
DIMENSIONS_NAMED = ("setting_environment", "therapist_training")
PLOTS = ("x", "y")  # the positioning map's two axes, in axes.csv's plot column
YES_NO = ("yes", "no")
# The safety screen's two tiers (red_flags.csv): see a provider first, or massage with care.
TIERS = ("provider_first", "with_care")
ITEMS_PER_SCREEN = 4  # criteria on each screen of the priorities questionnaire
BOTH_TYPES = "both"  # experience.csv: a fact that holds for every type
IPDAS_GROUPS = ("qualifying", "certification", "quality")
IPDAS_STATUSES = ("met", "partly", "not met")

# Which files there are, what one row of each is called, and the column that names a row.
TABLES = (
    Table("sections.csv", "section"),
    Table("dimensions.csv", "dimension"),
    Table("criteria.csv", "criterion"),
    Table("axes.csv", "axis"),
    Table("types.csv", "type"),
    Table("type_descriptions.csv", "type description", key=None),
    Table("common_ground.csv", "point"),
    Table("profiles.csv", "fit", key=None),
    Table("presets.csv", "preset"),
    Table("segments.csv", "segment"),
    Table("red_flags.csv", "red flag"),
    Table("next_steps.csv", "next step", key=None),
    Table("service_limits.csv", "limit"),
    Table("survey_questions.csv", "question", key="criterion_id"),
    Table("questionnaire.csv", "screen", key=None),
    Table("questions.csv", "question"),
    Table("experience.csv", "fact", key=None),
    Table("article.csv", "article", key=None),
    Table("reviews.csv", "review", key=None),
    Table("ipdas.csv", "standard", key="item"),
    Table("manifest.csv", "file", key="file"),
)
CATALOG_FILES = tuple(t.file for t in TABLES)

# What every column must hold: one row per rule, read as "in file, column must be rule (ref)".
# Every column of every file has a format rule (ID, TEXT, LINK, WHOLE, NUMBER, ...); a column
# not listed here is refused. data/README.md says the same in words.
CHECKS = (
    Check("sections.csv", "id", ID),
    Check("sections.csv", "title", TEXT),
    Check("dimensions.csv", "id", ID),
    Check("dimensions.csv", "label", TEXT),
    Check("dimensions.csv", "section", REF, "sections.csv"),
    Check("dimensions.csv", "medical_trait", TEXT),
    Check("dimensions.csv", "spa_trait", TEXT),
    Check("dimensions.csv", "medical_name", TEXT),
    Check("dimensions.csv", "spa_name", TEXT),
    Check("dimensions.csv", "mix_name", TEXT),
    Check("dimensions.csv", "id", HAS, DIMENSIONS_NAMED),
    Check("criteria.csv", "id", ID),
    Check("criteria.csv", "label", TEXT),
    Check("criteria.csv", "help", TEXT),
    Check("criteria.csv", "dimension", REF, "dimensions.csv"),
    Check("criteria.csv", "axis", REF, "axes.csv"),
    Check("criteria.csv", "axis", EVERY, "axes.csv"),
    Check("criteria.csv", "health", ONE_OF, YES_NO),
    Check("criteria.csv", "health", HAS, ("yes",)),
    Check("axes.csv", "id", ID),
    Check("axes.csv", "label", TEXT),
    Check("axes.csv", "plot", ONE_OF, PLOTS),
    Check("axes.csv", "plot", UNIQUE),
    Check("axes.csv", "plot", HAS, PLOTS),
    Check("axes.csv", "meaning", TEXT),
    Check("types.csv", "id", ID),
    Check("types.csv", "name", TEXT),
    Check("types.csv", "summary", TEXT),
    Check("types.csv", "summary_section", REF, "sections.csv"),
    Check("types.csv", "session_length", TEXT),
    Check("types.csv", "session_setting", TEXT),
    Check("types.csv", "session_provider", TEXT),
    Check("types.csv", "id", HAS, TYPES_NAMED),
    Check("type_descriptions.csv", "type_id", REF, "types.csv"),
    Check("type_descriptions.csv", "dimension", REF, "dimensions.csv"),
    Check("type_descriptions.csv", "text", PAIRS, ("type_id", "dimension")),
    Check("type_descriptions.csv", "section", REF, "sections.csv"),
    Check("common_ground.csv", "id", ID),
    Check("common_ground.csv", "text", TEXT),
    Check("common_ground.csv", "section", REF, "sections.csv"),
    Check("profiles.csv", "type_id", REF, "types.csv"),
    Check("profiles.csv", "criterion_id", REF, "criteria.csv"),
    Check("profiles.csv", "fit", WHOLE, (0, 10)),
    Check("profiles.csv", "fit", PAIRS, ("type_id", "criterion_id")),
    Check("profiles.csv", "rationale", TEXT),
    Check("profiles.csv", "section", REF, "sections.csv"),
    Check("presets.csv", "id", ID),
    Check("presets.csv", "label", TEXT),
    Check("presets.csv", "description", TEXT),
    Check("presets.csv", "{criteria.csv}", NUMBER, (0, 10)),
    Check("segments.csv", "id", ID),
    Check("segments.csv", "label", TEXT),
    Check("segments.csv", "description", TEXT),
    Check("segments.csv", "share", NUMBER, (0, 1)),
    Check("segments.csv", "share", SUMS_TO, 1),
    Check("segments.csv", "share_source", TEXT),
    Check("segments.csv", "{criteria.csv}", NUMBER, (0, 10)),
    Check("red_flags.csv", "id", ID),
    Check("red_flags.csv", "tier", ONE_OF, TIERS),
    Check("red_flags.csv", "tier", HAS, TIERS),
    Check("red_flags.csv", "label", TEXT),
    Check("red_flags.csv", "short", TEXT),
    Check("red_flags.csv", "guidance", TEXT),
    Check("red_flags.csv", "tell_therapist", TEXT),
    Check("red_flags.csv", "look_for", TEXT),
    Check("red_flags.csv", "source_name", TEXT),
    Check(
        "red_flags.csv",
        "source_name",
        SOURCED,
        (("source_url", "read_at"), ("source_date", "read_on")),
    ),
    Check("red_flags.csv", "source_url", LINK),
    Check("red_flags.csv", "read_at", LINK),
    Check("red_flags.csv", "source_date", SOURCE_DATE),
    Check("red_flags.csv", "read_on", DATE),
    Check("next_steps.csv", "type_id", REF, "types.csv"),
    Check("next_steps.csv", "type_id", EVERY, "types.csv"),
    Check("next_steps.csv", "heading", TEXT),
    Check("next_steps.csv", "text", TEXT),
    Check("next_steps.csv", "section", REF, "sections.csv"),
    Check("service_limits.csv", "id", ID),
    Check("service_limits.csv", "criterion_a", REF, "criteria.csv"),
    Check("service_limits.csv", "criterion_b", REF, "criteria.csv"),
    Check("service_limits.csv", "max_sum", NUMBER, (0, 20)),
    Check("service_limits.csv", "max_sum", LIMITS, "profiles.csv"),
    Check("service_limits.csv", "reason", TEXT),
    Check("service_limits.csv", "section", REF, "sections.csv"),
    Check("survey_questions.csv", "criterion_id", ID),
    Check("survey_questions.csv", "criterion_id", REF, "criteria.csv"),
    Check("survey_questions.csv", "criterion_id", EVERY, "criteria.csv"),
    Check("survey_questions.csv", "question", TEXT),
    Check("questionnaire.csv", "screen", WHOLE, (1, 99)),
    Check("questionnaire.csv", "screen", GROUPS, ("criterion_id", ITEMS_PER_SCREEN)),
    Check("questionnaire.csv", "criterion_id", REF, "criteria.csv"),
    Check("questionnaire.csv", "criterion_id", EVERY, "criteria.csv"),
    Check("questions.csv", "id", ID),
    Check("questions.csv", "question", TEXT),
    Check("experience.csv", "type_id", REF_OR, ("types.csv", BOTH_TYPES)),
    Check("experience.csv", "type_id", COVERS, ("question", BOTH_TYPES)),
    Check("experience.csv", "question", REF, "questions.csv"),
    Check("experience.csv", "text", TEXT),
    Check("experience.csv", "source_name", OPTIONAL),
    Check(
        "experience.csv",
        "source_name",
        SOURCED,
        (("source_url", "read_at"), ("source_date", "read_on")),
    ),
    Check("experience.csv", "source_url", LINK),
    Check("experience.csv", "read_at", LINK),
    Check("experience.csv", "source_date", SOURCE_DATE),
    Check("experience.csv", "read_on", DATE_OR_EMPTY),
    Check("article.csv", "title", TEXT),
    Check("article.csv", "title", ROWS, (1, 1)),
    Check("article.csv", "kind", TEXT),
    Check("article.csv", "source_date", SOURCE_DATE),
    Check("article.csv", "source_date", TEXT),
    Check("article.csv", "read_on", DATE),
    Check("reviews.csv", "date", DATE),
    Check("reviews.csv", "date", UNIQUE),
    Check("reviews.csv", "date", ROWS, (1, None)),
    Check("reviews.csv", "what", TEXT),
    Check("ipdas.csv", "item", TEXT),
    Check("ipdas.csv", "item", UNIQUE),
    Check("ipdas.csv", "group", ONE_OF, IPDAS_GROUPS),
    Check("ipdas.csv", "criterion", TEXT),
    Check("ipdas.csv", "status", ONE_OF, IPDAS_STATUSES),
    Check("ipdas.csv", "where", OPTIONAL),
    Check("ipdas.csv", "note", OPTIONAL),
    Check("manifest.csv", "file", UNIQUE),
    Check("manifest.csv", "file", FILES, (SAMPLE_SURVEY_FILE,)),
    Check("manifest.csv", "version", VERSION),
    Check("manifest.csv", "updated", DATE),
    Check("manifest.csv", "description", TEXT),
)


@dataclass(frozen=True)
class Axis:
    """One axis of the positioning map: the mean of some criteria, on 0..10."""

    id: str
    label: str
    criteria: tuple[str, ...]
    meaning: str


@dataclass(frozen=True)
class Catalog:
    """Everything the app knows, validated. Frames are indexed by id, in file order."""

    sections: pd.DataFrame
    dimensions: pd.DataFrame
    criteria: pd.DataFrame
    axes: pd.DataFrame
    types: pd.DataFrame
    type_descriptions: pd.DataFrame
    common_ground: pd.DataFrame
    profiles: pd.DataFrame
    fits: pd.DataFrame
    presets: pd.DataFrame
    preset_weights: pd.DataFrame
    segments: pd.DataFrame
    segment_weights: pd.DataFrame
    red_flags: pd.DataFrame
    next_steps: pd.DataFrame
    service_limits: pd.DataFrame
    survey_questions: pd.DataFrame
    questionnaire: pd.DataFrame
    questions: pd.DataFrame
    experience: pd.DataFrame
    article: pd.Series
    reviews: pd.DataFrame
    ipdas: pd.DataFrame
    versions: pd.DataFrame
    data_dir: Path

    @cached_property
    def criterion_ids(self) -> tuple[str, ...]:
        """The criterion ids in catalog order (made once: pages ask on every rerun)."""
        return tuple(self.criteria.index)

    @cached_property
    def health_criteria(self) -> tuple[str, ...]:
        """The health, pain and injury criteria (criteria.csv `health` = yes), in catalog order:
        the health note counts the weight a person puts on them."""
        return tuple(self.criteria.index[self.criteria["health"] == "yes"])

    @cached_property
    def map_axes(self) -> tuple[Axis, Axis]:
        """The positioning map's x and y axes (axes.csv), each with its criteria."""
        x, y = (self.axes.index[self.axes["plot"] == plot][0] for plot in PLOTS)
        return self._axis(x), self._axis(y)

    def _axis(self, axis_id: str) -> Axis:
        row = self.axes.loc[axis_id]
        criteria = tuple(self.criteria.index[self.criteria["axis"] == axis_id])
        return Axis(axis_id, str(row["label"]), criteria, str(row["meaning"]))

    @cached_property
    def screens(self) -> tuple[tuple[str, ...], ...]:
        """The priorities questionnaire's screens in screen order, each ITEMS_PER_SCREEN
        criterion ids in the order shown (questionnaire.csv, a fixed balanced design)."""
        by_screen = self.questionnaire.groupby("screen", sort=True)["criterion_id"]
        return tuple(tuple(ids) for _, ids in by_screen)

    @cached_property
    def screen_items(self) -> tuple[tuple[int, ...], ...]:
        """The same screens as positions (0-based) in the catalog's criterion order."""
        index = {c: i for i, c in enumerate(self.criterion_ids)}
        return tuple(tuple(index[c] for c in screen) for screen in self.screens)

    @cached_property
    def type_ids(self) -> tuple[str, ...]:
        return tuple(self.types.index)

    def fit_array(self) -> np.ndarray:
        """The fits as a (types x criteria) float array, in catalog order."""
        return self.fits.to_numpy(dtype=float)

    @cached_property
    def _words(self) -> dict[str, dict[str, str]]:
        """Section titles, criterion labels and type names by id, as plain dicts: the
        explanation and the charts ask for them hundreds of times a run, and a dict lookup
        costs about a hundredth of pandas' `.at` (KeyError for an unknown id, as `.at`)."""
        return {
            "section": self.sections["title"].astype(str).to_dict(),
            "criterion": self.criteria["label"].astype(str).to_dict(),
            "type": self.types["name"].astype(str).to_dict(),
        }

    def section_title(self, section_id: str) -> str:
        return self._words["section"][section_id]

    def criterion_label(self, criterion_id: str) -> str:
        return self._words["criterion"][criterion_id]

    def type_name(self, type_id: str) -> str:
        return self._words["type"][type_id]

    def display_name(self, service_id: str, names: Mapping[str, str] | None = None) -> str:
        """The one way an id becomes the name a person reads: `names` first (a clinic's own
        services), then the catalog's type name, else the id as given."""
        if names and service_id in names:
            return names[service_id]
        if service_id in self.types.index:
            return self.type_name(service_id)
        return service_id

    @cached_property
    def _reasons(self) -> dict[tuple[str, str], tuple[str, str]]:
        return {
            (row.type_id, row.criterion_id): (row.rationale, self.section_title(row.section))
            for row in self.profiles.itertuples(index=False)
        }

    def fit_reason(self, type_id: str, criterion_id: str) -> tuple[str, str]:
        """(rationale, source section title) of a type's fit on a criterion, from profiles.csv;
        a dict lookup built once per catalog (the page asks for several on every rerun).
        Raises KeyError for an unknown pair."""
        return self._reasons[(type_id, criterion_id)]

    @cached_property
    def _steps(self) -> dict[str, tuple[tuple[str, str, str], ...]]:
        steps: dict[str, list[tuple[str, str, str]]] = {tid: [] for tid in self.types.index}
        for row in self.next_steps.itertuples(index=False):
            steps[row.type_id].append((row.heading, row.text, self.section_title(row.section)))
        return {tid: tuple(rows) for tid, rows in steps.items()}

    def steps_for(self, type_id: str) -> tuple[tuple[str, str, str], ...]:
        """(heading, text, source section title) of each next step for a type, in file order,
        from next_steps.csv; () for an id that is not a catalog type."""
        return self._steps.get(type_id, ())

    @property
    def last_reviewed(self) -> str:
        """The date (YYYY-MM-DD) of the latest review in reviews.csv."""
        return str(self.reviews["date"].max())

    def experience_for(self, type_id: str, question: str) -> pd.DataFrame:
        """The facts of experience.csv answering `question` for `type_id` (its own rows and the
        rows for both types), in file order."""
        rows = self.experience
        return rows[(rows["question"] == question) & rows["type_id"].isin([type_id, BOTH_TYPES])]

    def criteria_by_dimension(self) -> dict[str, list[str]]:
        """Criterion ids grouped by dimension id, both in catalog order."""
        groups: dict[str, list[str]] = {dim: [] for dim in self.dimensions.index}
        for cid, dim in self.criteria["dimension"].items():
            groups[dim].append(cid)
        return groups


def load_catalog(data_dir: Path | str = DATA_DIR) -> Catalog:
    """Read every catalog file and run every row of CHECKS; raise CatalogError listing every
    fault found (file, row, column), or return the catalog.

    A catalog that passed is kept on disk (advisor.catalog_cache) and returned as it was while
    no file in `data_dir`, nor the code that checks them, has changed."""
    data_dir = Path(data_dir)
    try:
        key = catalog_cache.digest(data_dir, CODE)
    except OSError:  # a missing folder or an unreadable file: the checks name it
        return _checked(data_dir)
    found = catalog_cache.kept(f"catalog-{key}", lambda: _checked(data_dir), Catalog)
    return found if found.data_dir == data_dir else replace(found, data_dir=data_dir)


def _checked(data_dir: Path) -> Catalog:
    frames, problems = run_checks(data_dir, TABLES, CHECKS)
    if problems:
        raise CatalogError(problems)
    by_key = {
        t.file.removesuffix(".csv"): frames[t.file].set_index(t.key, drop=False)
        if t.key
        else frames[t.file].reset_index(drop=True)
        for t in TABLES
    }
    presets, segments = by_key.pop("presets"), by_key.pop("segments")
    article = by_key.pop("article").iloc[0]
    versions = _file_versions(data_dir, by_key.pop("manifest"))
    weights = list(by_key["criteria"].index)
    fits = fit_table(by_key["profiles"]).reindex(index=by_key["types"].index, columns=weights)
    return Catalog(
        **by_key,
        fits=fits,
        presets=presets.drop(columns=weights),
        preset_weights=presets[weights].astype(float),
        segments=segments.drop(columns=weights),
        segment_weights=segments[weights].astype(float),
        article=article,
        versions=versions,
        data_dir=data_dir,
    )


def _file_versions(data_dir: Path, manifest: pd.DataFrame) -> pd.DataFrame:
    """The manifest's rows, each with the first 12 hex digits of its file's SHA-256."""
    digests = [hashlib.sha256((data_dir / f).read_bytes()).hexdigest()[:12] for f in manifest.file]
    return manifest.reset_index(drop=True).assign(sha256=digests)
