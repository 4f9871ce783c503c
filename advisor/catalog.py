"""Loading and validating the catalog in data/ into one typed, read-only object.

Each file is checked by a pandera schema (types, ranges, unique ids), then the files are checked
against each other (every id a row names must exist), and the ids the code names
(REQUIRED_TYPES, REQUIRED_SECTIONS, REQUIRED_DIMENSIONS, REQUIRED_CRITERIA) must be there. Every
fault is reported with the file, the spreadsheet row (the header is row 1) and the column, and
all faults are reported at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from advisor.errors import CatalogError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SAMPLE_SURVEY_FILE = "sample_survey.csv"
SHARE_TOLERANCE = 0.005

# Ids the code relies on by name; the loader refuses a catalog without them. They are written
# here, not imported, because the modules that use them import this one.
# medical and spa: blend_fits, the Compare page's two columns, the type colours, the differences.
REQUIRED_TYPES = ("medical", "spa")
# session_lines cites these sections for a session's length, setting and therapist.
REQUIRED_SECTIONS = ("setting_environment", "therapist_training")
# The service designer (advisor.clinic.design) describes a design dimension by dimension, by id.
REQUIRED_DIMENSIONS = (
    "purpose_goal",
    "treatment_focus",
    "therapist_training",
    "setting_environment",
)
# The health criteria of the safety note (explanation.HEALTH_CRITERIA) and the criteria of the
# positioning map's two axes (positioning.AXES), which between them cover all thirteen.
REQUIRED_CRITERIA = (
    "health_condition",
    "relaxation",
    "wellbeing",
    "care_team",
    "pain_relief",
    "range_of_motion",
    "injury_recovery",
    "soothing_experience",
    "clinical_expertise",
    "clinical_setting",
    "calming_ambience",
    "short_targeted",
    "long_indulgent",
)

_ID = r"^[a-z][a-z0-9_]*$"
_DATE = r"^\d{4}-\d{2}-\d{2}$"
# A source's own date: a day, a month or a year as the page gives it, or "undated".
_SOURCE_DATE = r"^(undated|\d{4}(-\d{2}(-\d{2})?)?)$"
BOTH_TYPES = "both"  # experience.csv: a fact that holds for every type
IPDAS_GROUPS = ("qualifying", "certification", "quality")
IPDAS_STATUSES = ("met", "partly", "not met")


def _text(**kwargs) -> pa.Column:
    return pa.Column(str, pa.Check.str_length(min_value=1), **kwargs)


def _id_column() -> pa.Column:
    return pa.Column(str, pa.Check.str_matches(_ID), unique=True)


def _optional(pattern: str) -> pa.Column:
    """A cell that is empty or matches `pattern`."""
    return pa.Column(str, pa.Check.str_matches(f"^$|{pattern}"))


def _one_of(values: tuple[str, ...]) -> pa.Column:
    return pa.Column(str, pa.Check.isin(values))


def _weight_column() -> pa.Column:
    return pa.Column(float, pa.Check.in_range(0, 10), coerce=True)


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "sections.csv": pa.DataFrameSchema({"id": _id_column(), "title": _text()}, strict=True),
    "dimensions.csv": pa.DataFrameSchema(
        {"id": _id_column(), "label": _text(), "section": _text()}, strict=True
    ),
    "criteria.csv": pa.DataFrameSchema(
        {"id": _id_column(), "label": _text(), "help": _text(), "dimension": _text()},
        strict=True,
    ),
    "types.csv": pa.DataFrameSchema(
        {
            "id": _id_column(),
            "name": _text(),
            "summary": _text(),
            "summary_section": _text(),
            "session_length": _text(),
            "session_setting": _text(),
            "session_provider": _text(),
        },
        strict=True,
    ),
    "type_descriptions.csv": pa.DataFrameSchema(
        {"type_id": _text(), "dimension": _text(), "text": _text(), "section": _text()},
        strict=True,
        unique=["type_id", "dimension"],
    ),
    "common_ground.csv": pa.DataFrameSchema(
        {"id": _id_column(), "text": _text(), "section": _text()}, strict=True
    ),
    "profiles.csv": pa.DataFrameSchema(
        {
            "type_id": _text(),
            "criterion_id": _text(),
            "fit": pa.Column(int, pa.Check.in_range(0, 10), coerce=True),
            "rationale": _text(),
            "section": _text(),
        },
        strict=True,
        unique=["type_id", "criterion_id"],
    ),
    "red_flags.csv": pa.DataFrameSchema(
        {
            "id": _id_column(),
            "label": _text(),
            "guidance": _text(),
            "source_name": _text(),
            "source_url": pa.Column(str, pa.Check.str_matches(r"^https://\S+$")),
        },
        strict=True,
    ),
    "next_steps.csv": pa.DataFrameSchema(
        {"type_id": _text(), "heading": _text(), "text": _text(), "section": _text()},
        strict=True,
    ),
    "service_limits.csv": pa.DataFrameSchema(
        {
            "id": _id_column(),
            "criterion_a": _text(),
            "criterion_b": _text(),
            "max_sum": pa.Column(float, pa.Check.in_range(0, 20), coerce=True),
            "reason": _text(),
            "section": _text(),
        },
        strict=True,
    ),
    "questions.csv": pa.DataFrameSchema({"id": _id_column(), "question": _text()}, strict=True),
    "experience.csv": pa.DataFrameSchema(
        {
            "type_id": _text(),
            "question": _text(),
            "text": _text(),
            "source_name": pa.Column(str),
            "source_url": _optional(r"^https?://\S+$"),
            "read_at": _optional(r"^https?://\S+$"),
            "source_date": _optional(_SOURCE_DATE),
            "read_on": _optional(_DATE),
        },
        strict=True,
    ),
    "article.csv": pa.DataFrameSchema(
        {
            "title": _text(),
            "kind": _text(),
            "source_date": pa.Column(str, pa.Check.str_matches(_SOURCE_DATE)),
            "read_on": pa.Column(str, pa.Check.str_matches(_DATE)),
        },
        strict=True,
    ),
    "reviews.csv": pa.DataFrameSchema(
        {"date": pa.Column(str, pa.Check.str_matches(_DATE), unique=True), "what": _text()},
        strict=True,
    ),
    "ipdas.csv": pa.DataFrameSchema(
        {
            "item": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
            "group": _one_of(IPDAS_GROUPS),
            "criterion": _text(),
            "status": _one_of(IPDAS_STATUSES),
            "where": pa.Column(str),
            "note": pa.Column(str),
        },
        strict=True,
    ),
    "manifest.csv": pa.DataFrameSchema(
        {
            "file": pa.Column(str, unique=True),
            "version": pa.Column(str, pa.Check.str_matches(r"^\d+\.\d+\.\d+$")),
            "updated": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
            "description": _text(),
        },
        strict=True,
    ),
}

_PRESET_META = {"id": _id_column(), "label": _text(), "description": _text()}
_SEGMENT_META = {
    **_PRESET_META,
    "share": pa.Column(float, pa.Check.in_range(0, 1), coerce=True),
    "share_source": _text(),
}


@dataclass(frozen=True)
class Catalog:
    """Everything the app knows, validated. Frames are indexed by id, in file order."""

    sections: pd.DataFrame
    dimensions: pd.DataFrame
    criteria: pd.DataFrame
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
    def type_ids(self) -> tuple[str, ...]:
        return tuple(self.types.index)

    def fit_array(self) -> np.ndarray:
        """The fits as a (types x criteria) float array, in catalog order."""
        return self.fits.to_numpy(dtype=float)

    def section_title(self, section_id: str) -> str:
        return str(self.sections.at[section_id, "title"])

    def criterion_label(self, criterion_id: str) -> str:
        return str(self.criteria.at[criterion_id, "label"])

    def type_name(self, type_id: str) -> str:
        return str(self.types.at[type_id, "name"])

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


def _row(index: object) -> str:
    """A frame index (0-based, header excluded) as the spreadsheet row a person sees."""
    try:
        return f"row {int(index) + 2}"
    except (TypeError, ValueError):
        return "the whole file"


def _read(path: Path, problems: list[str]) -> pd.DataFrame | None:
    name = f"data/{path.name}"
    if not path.is_file():
        problems.append(f"{name}: the file is missing.")
        return None
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        problems.append(f"{name}: cannot be read as UTF-8 CSV ({str(exc).splitlines()[0]}).")
        return None


def _validate(
    frame: pd.DataFrame, schema: pa.DataFrameSchema, name: str, problems: list[str]
) -> pd.DataFrame | None:
    try:
        return schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        # A cell that is not a number also fails the dtype and range checks of its column (with
        # an internal TypeError as the "value"); report it once, as not a number.
        coerce = cases["check"].astype(str).str.startswith("coerce_dtype")
        not_numbers = set(cases.loc[coerce, "column"])
        for case in cases.itertuples(index=False):
            if case.column in not_numbers and not str(case.check).startswith("coerce_dtype"):
                continue
            column = case.column if isinstance(case.column, str) else None
            value = case.failure_case
            where = _row(case.index) if column else "header"
            col = f"column {column}" if column else f"column {value}"
            problems.append(f"data/{name}: {where}, {col}: {_describe_check(case.check, value)}.")
        return None


def _describe_check(check: object, value: object) -> str:
    text = str(check)
    if text.startswith("in_range"):
        return f"{value!r} is outside the allowed range {text.removeprefix('in_range')}"
    if text.startswith("str_length"):
        return "the cell is empty"
    if text.startswith("str_matches"):
        return f"{value!r} is not a valid id (lower-case letters, digits and _)"
    if text.startswith("field_uniqueness") or text.startswith("multiple_fields_uniqueness"):
        return f"{value!r} is a duplicate"
    if text.startswith("coerce_dtype"):
        return f"{value!r} is not a number"
    if text == "column_in_dataframe":
        return "this required column is missing"
    if text == "column_in_schema":
        return "this column is not expected"
    return f"{value!r} fails check {text}"


def _check_refs(
    frame: pd.DataFrame, column: str, known: pd.Index, name: str, what: str, problems: list[str]
) -> None:
    for index, value in frame[column].items():
        if value not in known:
            problems.append(
                f"data/{name}: {_row(index)}, column {column}: unknown {what} {value!r}."
            )


def _check_required(
    ids: pd.Index, required: tuple[str, ...], name: str, what: str, problems: list[str]
) -> None:
    """Report each id in `required` that the file `name` has no row for."""
    for missing in [i for i in required if i not in ids]:
        problems.append(
            f"data/{name}: column id: no row for {what} {missing!r}, which the app relies on."
        )


def _load_weights(
    path: Path, meta: dict[str, pa.Column], criteria: pd.Index, problems: list[str]
) -> pd.DataFrame | None:
    """A wide file of id, metadata and one 0..10 weight column per criterion."""
    raw = _read(path, problems)
    if raw is None:
        return None
    name = path.name
    for column in raw.columns:
        if column not in meta and column not in criteria:
            problems.append(f"data/{name}: header, column {column}: not a known criterion id.")
    columns = {**meta, **{cid: _weight_column() for cid in criteria}}
    schema = pa.DataFrameSchema(columns, strict="filter")
    return _validate(raw, schema, name, problems)


def _check_experience(
    experience: pd.DataFrame, types: pd.Index, questions: pd.Index, problems: list[str]
) -> None:
    """Every type has an answer to every question; a fact names its source whole (a name, an
    address, the source's date and the day it was read) or not at all (no source was found:
    the text says so)."""
    name = "experience.csv"
    _check_refs(experience, "type_id", types.append(pd.Index([BOTH_TYPES])), name, "type", problems)
    _check_refs(experience, "question", questions, name, "question", problems)
    for tid in types:
        for qid in questions:
            rows = experience[
                (experience["question"] == qid) & experience["type_id"].isin([tid, BOTH_TYPES])
            ]
            if rows.empty:
                problems.append(
                    f"data/{name}: column text: no answer for type {tid!r} to question {qid!r}."
                )
    for index, row in experience.iterrows():
        if row["source_name"]:
            missing = [c for c in ("source_date", "read_on") if not row[c]]
            if not (row["source_url"] or row["read_at"]):
                missing.append("source_url or read_at")
            if missing:
                problems.append(
                    f"data/{name}: {_row(index)}, column {missing[0]}: a fact with a source "
                    "needs its address, its date (or 'undated') and the day it was read."
                )
        elif any(row[c] for c in ("source_url", "read_at", "source_date", "read_on")):
            problems.append(
                f"data/{name}: {_row(index)}, column source_name: empty, but the row gives an "
                "address or a date: name the source, or empty the row's other source cells."
            )


def _file_versions(data_dir: Path, manifest: pd.DataFrame, problems: list[str]) -> pd.DataFrame:
    rows = []
    for index, item in manifest.iterrows():
        path = data_dir / item["file"]
        if not path.is_file():
            problems.append(
                f"data/manifest.csv: {_row(index)}, column file: {item['file']!r} does not exist."
            )
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        rows.append({**item.to_dict(), "sha256": digest})
    return pd.DataFrame(rows, columns=[*manifest.columns, "sha256"])


def _check_limits_hold(limits: pd.DataFrame, fits: pd.DataFrame) -> None:
    """Every stated trade-off must hold for the catalog's own types: they are what the service
    designer mixes, and a limit the parents break would leave it nothing to design."""
    problems = [
        f"data/service_limits.csv: {_row(index)}, column max_sum: {tid!r} has "
        f"{limit['criterion_a']} + {limit['criterion_b']} = "
        f"{fits.at[tid, limit['criterion_a']] + fits.at[tid, limit['criterion_b']]:g}, "
        f"over {limit['max_sum']:g}."
        for index, limit in limits.iterrows()
        for tid in fits.index
        if fits.at[tid, limit["criterion_a"]] + fits.at[tid, limit["criterion_b"]]
        > limit["max_sum"]
    ]
    if problems:
        raise CatalogError(problems)


def load_catalog(data_dir: Path | str = DATA_DIR) -> Catalog:
    """Read and validate every catalog file; raise CatalogError listing every fault found,
    including a missing id of REQUIRED_TYPES, REQUIRED_SECTIONS or REQUIRED_CRITERIA."""
    data_dir = Path(data_dir)
    problems: list[str] = []
    frames: dict[str, pd.DataFrame] = {}
    for name, schema in SCHEMAS.items():
        raw = _read(data_dir / name, problems)
        if raw is not None:
            valid = _validate(raw, schema, name, problems)
            if valid is not None:
                frames[name] = valid
    if problems:
        raise CatalogError(problems)

    sections = frames["sections.csv"].set_index("id", drop=False)
    dimensions = frames["dimensions.csv"].set_index("id", drop=False)
    criteria = frames["criteria.csv"].set_index("id", drop=False)
    types = frames["types.csv"].set_index("id", drop=False)
    sec = sections.index
    _check_required(sec, REQUIRED_SECTIONS, "sections.csv", "section", problems)
    _check_required(criteria.index, REQUIRED_CRITERIA, "criteria.csv", "criterion", problems)
    _check_required(types.index, REQUIRED_TYPES, "types.csv", "type", problems)
    _check_required(dimensions.index, REQUIRED_DIMENSIONS, "dimensions.csv", "dimension", problems)
    _check_refs(frames["dimensions.csv"], "section", sec, "dimensions.csv", "section", problems)
    _check_refs(
        frames["criteria.csv"], "dimension", dimensions.index, "criteria.csv", "dimension", problems
    )
    _check_refs(frames["types.csv"], "summary_section", sec, "types.csv", "section", problems)
    descriptions = frames["type_descriptions.csv"]
    _check_refs(descriptions, "type_id", types.index, "type_descriptions.csv", "type", problems)
    _check_refs(
        descriptions, "dimension", dimensions.index, "type_descriptions.csv", "dimension", problems
    )
    _check_refs(descriptions, "section", sec, "type_descriptions.csv", "section", problems)
    _check_refs(
        frames["common_ground.csv"], "section", sec, "common_ground.csv", "section", problems
    )
    next_steps = frames["next_steps.csv"]
    _check_refs(next_steps, "type_id", types.index, "next_steps.csv", "type", problems)
    _check_refs(next_steps, "section", sec, "next_steps.csv", "section", problems)
    for tid in types.index:
        if tid not in set(next_steps["type_id"]):
            problems.append(f"data/next_steps.csv: column type_id: no step for type {tid!r}.")
    profiles = frames["profiles.csv"]
    _check_refs(profiles, "type_id", types.index, "profiles.csv", "type", problems)
    _check_refs(profiles, "criterion_id", criteria.index, "profiles.csv", "criterion", problems)
    _check_refs(profiles, "section", sec, "profiles.csv", "section", problems)
    limits = frames["service_limits.csv"]
    for column in ("criterion_a", "criterion_b"):
        _check_refs(limits, column, criteria.index, "service_limits.csv", "criterion", problems)
    _check_refs(limits, "section", sec, "service_limits.csv", "section", problems)

    present = set(zip(profiles["type_id"], profiles["criterion_id"], strict=True))
    for tid in types.index:
        for cid in criteria.index:
            if (tid, cid) not in present:
                problems.append(
                    f"data/profiles.csv: column fit: no row gives the fit of type {tid!r} "
                    f"on criterion {cid!r}."
                )
    for tid in types.index:
        for dim in dimensions.index:
            if not ((descriptions["type_id"] == tid) & (descriptions["dimension"] == dim)).any():
                problems.append(
                    f"data/type_descriptions.csv: column text: no line for type {tid!r} "
                    f"on dimension {dim!r}."
                )

    _check_experience(
        frames["experience.csv"],
        types.index,
        frames["questions.csv"].set_index("id").index,
        problems,
    )
    if len(frames["article.csv"]) != 1:
        problems.append("data/article.csv: the file must have exactly one row, the article.")
    if frames["reviews.csv"].empty:
        problems.append("data/reviews.csv: no review is listed; the app shows the latest one.")

    presets = _load_weights(data_dir / "presets.csv", _PRESET_META, criteria.index, problems)
    segments = _load_weights(data_dir / "segments.csv", _SEGMENT_META, criteria.index, problems)
    if segments is not None and len(segments):
        total = float(segments["share"].sum())
        if abs(total - 1.0) > SHARE_TOLERANCE:
            problems.append(
                f"data/segments.csv: column share: the shares add up to {total:.3f}, not 1."
            )
    manifest = frames["manifest.csv"]
    versions = _file_versions(data_dir, manifest, problems)
    for name in [*SCHEMAS, "presets.csv", "segments.csv", SAMPLE_SURVEY_FILE]:
        if name == "manifest.csv":
            continue
        if name not in set(manifest["file"]):
            problems.append(f"data/manifest.csv: column file: no row for {name!r}.")
    if problems:
        raise CatalogError(problems)

    criterion_ids = list(criteria.index)
    fits = (
        profiles.pivot(index="type_id", columns="criterion_id", values="fit")
        .reindex(index=types.index, columns=criterion_ids)
        .astype(float)
    )
    fits.index.name = None
    fits.columns.name = None
    _check_limits_hold(limits, fits)
    assert presets is not None and segments is not None
    presets = presets.set_index("id", drop=False)
    segments = segments.set_index("id", drop=False)
    return Catalog(
        sections=sections,
        dimensions=dimensions,
        criteria=criteria,
        types=types,
        type_descriptions=descriptions.reset_index(drop=True),
        common_ground=frames["common_ground.csv"].set_index("id", drop=False),
        profiles=profiles.reset_index(drop=True),
        fits=fits,
        presets=presets[["id", "label", "description"]],
        preset_weights=presets[criterion_ids].astype(float),
        segments=segments[["id", "label", "description", "share", "share_source"]],
        segment_weights=segments[criterion_ids].astype(float),
        red_flags=frames["red_flags.csv"].set_index("id", drop=False),
        next_steps=next_steps.reset_index(drop=True),
        service_limits=limits.set_index("id", drop=False),
        questions=frames["questions.csv"].set_index("id", drop=False),
        experience=frames["experience.csv"].reset_index(drop=True),
        article=frames["article.csv"].iloc[0],
        reviews=frames["reviews.csv"].reset_index(drop=True),
        ipdas=frames["ipdas.csv"].reset_index(drop=True),
        versions=versions,
        data_dir=data_dir,
    )
