"""A clinic's own services: validated names and fits, blends, and the menu CSV.

A menu CSV has a column naming each service and one fit column (0..10) per criterion id. It is
read by the same forgiving reader as a survey, then checked like the catalog: names present,
unique, not too long, not taken by a catalog type. A booking system's export reads as it comes:
the name column is found under the names such systems use (`name`, `servicename`, `Service
Name`, `service`, `treatment`: advisor.files.mapping.MENU_NAMES), and its other columns (codes,
price, duration, description) are ignored with one note. A blank fit is a faulty cell (a service
is described on every criterion), and a name given twice is reported by the name check.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from advisor.bidi import isolate
from advisor.clinic.design import limit_problems
from advisor.errors import AdvisorError, InputFileError
from advisor.files.notes import quoted
from advisor.files.reading import MEGABYTE, read_survey
from advisor.files.writing import to_csv_bytes

NAME = "name"
MAX_SERVICES = 10
MAX_NAME_LENGTH = 60
MENU_LIMIT_MB = 1
MAX_MENU_BYTES = MENU_LIMIT_MB * MEGABYTE
OWN_PREFIX = "own:"
FIT_DECIMALS = 1
NO_MATCH = "none"  # the best match of a client with no priorities (advisor.decision.scoring)


def check_name(name: str, taken: Iterable[str], reserved: Iterable[str] = ()) -> str | None:
    """Why a service name is not acceptable, or None when it is: `taken` are the menu's other
    names, `reserved` the names of the massage types the app compares."""
    clean = name.strip()
    if not clean:
        return "A service needs a name."
    if len(clean) > MAX_NAME_LENGTH:
        return (
            f"A service name can be at most {MAX_NAME_LENGTH} characters "
            f"(this one has {len(clean):,})."
        )
    if _same_name_key(clean) == NO_MATCH:
        return (
            f'"{NO_MATCH}" is what the scored survey writes for a client with no best match; '
            "give the service another name."
        )
    if _same_name_key(clean) in {_same_name_key(t) for t in reserved}:
        return "That is the name of a massage type the app compares; give the service its own."
    if _same_name_key(clean) in {_same_name_key(t) for t in taken}:
        return "That name is already on the menu."
    if any(_invisible(char) for char in clean):
        return (
            "A service name cannot contain control characters or invisible formatting "
            "characters (such as a right-to-left override)."
        )
    return None


def _same_name_key(name: str) -> str:
    """Names that look the same compare equal: case, width and any run of spaces (a no-break
    space too) do not make a name new."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


# Joiners that emoji sequences (e.g. a person getting a massage, woman) are built with.
_EMOJI_JOINERS = {"\u200c", "\u200d"}


def _invisible(char: str) -> bool:
    """A control, format (bidi overrides, zero-width space), surrogate or separator character.

    Visible text in any script is allowed, as are the two joiners emoji need and other spaces
    (a no-break space pasted from a document).
    """
    if char in _EMOJI_JOINERS:
        return False
    return unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}


def blend_fits(fits: pd.DataFrame, medical_share: float) -> pd.Series:
    """Fits of a blend: medical_share of medical plus the rest of spa, to one decimal (exact
    for whole-number parents and 10% steps, so the blend is truly the same mix everywhere)."""
    share = min(max(float(medical_share), 0.0), 1.0)
    mixed = share * fits.loc["medical"] + (1 - share) * fits.loc["spa"]
    return mixed.round(FIT_DECIMALS)


@dataclass
class MenuImport:
    menu: pd.DataFrame
    problems: list[str] = field(default_factory=list)


def read_menu(
    data: bytes, criterion_ids: Sequence[str], reserved: Iterable[str], name: str = "menu.csv"
) -> MenuImport:
    """Read a menu CSV; rows with a bad name or fit are left out and reported. `problems` are
    the notes' plain sentences (without the file's name)."""
    imported = read_survey(
        data,
        criterion_ids,
        name=name,
        max_bytes=MAX_MENU_BYTES,
        max_rows=MAX_SERVICES * 10,
        id_column=NAME,
        id_required=True,
        scale="0-10",
        keep_repeats=True,
        blanks=False,
    )
    problems = list(imported.problems)
    reserved, taken = list(reserved), []
    keep = []
    for position, service in enumerate(imported.frame[NAME].astype(str)):
        why = check_name(service, taken, reserved)
        if why:  # named by the name itself: the frame no longer knows its spreadsheet row
            named = f"the service named {quoted(service)}" if service.strip() else "a service"
            problems.append(f"{named} was left out: {why}")
            continue
        if len(keep) >= MAX_SERVICES:
            problems.append(f"only the first {MAX_SERVICES} services are kept.")
            break
        keep.append(position)
        taken.append(service)
    menu = imported.frame.iloc[keep].reset_index(drop=True)
    menu[NAME] = menu[NAME].str.strip()
    for column in criterion_ids:
        menu[column] = menu[column].round(FIT_DECIMALS)
    if menu.empty:
        raise InputFileError(
            " ".join([f"{name}: no usable service in the file.", *problems[:3]]), problems
        )
    return MenuImport(menu, problems)


class SavedMenuError(AdvisorError):
    """A saved menu that no longer loads (a criterion added since it was saved, a damaged row);
    the message names the service and the fault, for the owner."""


def menu_from_saved(
    rows: Sequence[tuple[str, object]], criterion_ids: Sequence[str], reserved: Iterable[str]
) -> pd.DataFrame:
    """The saved menu as the page ranks it: rows of (name, fits by criterion id) in menu order,
    checked as a menu file's are (names by check_name, every criterion present with a fit from
    0 to 10). Nothing is defaulted: a service without a fit for a criterion (one added since the
    menu was saved) or with a damaged one stops the whole menu.

    Raises SavedMenuError naming the first faulty service, its position and the criterion."""
    reserved, taken = list(reserved), []
    records = []
    for position, (name, fits) in enumerate(rows, 1):
        where = f"service {position}"
        if not isinstance(name, str):
            raise SavedMenuError(f"{where} has no name.")
        why = check_name(name, taken, reserved)
        if why:
            raise SavedMenuError(f"{where} ({isolate(repr(name))}): {why}")
        where = f"{where} ({isolate(repr(name))})"
        if not isinstance(fits, Mapping):
            raise SavedMenuError(f"{where}: its fits are damaged; save the menu again.")
        record: dict[str, object] = {NAME: name.strip()}
        for criterion in criterion_ids:
            value = fits.get(criterion)
            if value is None:
                raise SavedMenuError(
                    f"{where} has no fit for {criterion!r}, a criterion added since the menu "
                    "was saved; set it in the table and the menu is saved again."
                )
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise SavedMenuError(f"{where}: the fit for {criterion!r} is not a number.")
            if not 0 <= value <= 10:
                raise SavedMenuError(f"{where}: the fit for {criterion!r} is not from 0 to 10.")
            record[criterion] = float(value)
        taken.append(name)
        records.append(record)
    return pd.DataFrame(records, columns=[NAME, *criterion_ids])


def menu_csv(menu: pd.DataFrame) -> bytes:
    return to_csv_bytes(menu)


def empty_menu(criterion_ids: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {NAME: pd.Series(dtype=object), **{c: pd.Series(dtype=int) for c in criterion_ids}}
    )


def services(catalog_fits: pd.DataFrame, menu: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """All services as one fits frame (catalog types, then the menu) and their display names.

    A service's id is derived from its name (unique on a menu), so the same service keeps its
    id when others are added or removed: the what-if can follow it.
    """
    criteria = list(catalog_fits.columns)
    ids = [f"{OWN_PREFIX}{name}" for name in menu[NAME].astype(str)]
    own = pd.DataFrame(menu[criteria].to_numpy(dtype=float), index=ids, columns=criteria)
    names = dict(zip(ids, menu[NAME].astype(str), strict=True))
    return pd.concat([catalog_fits, own]), names


def deliverable(
    fits: pd.DataFrame, limits: pd.DataFrame, names: Mapping[str, str]
) -> tuple[pd.DataFrame, list[str]]:
    """The services of `fits` (services x criteria) that keep every service limit, and the
    names of those left out: a service that cannot be delivered as set is never scored.

    limits: the rows of data/service_limits.csv; names: service id -> display name.
    """
    keep = [not limit_problems(row, limits) for row in fits.to_dict("records")]
    left_out = [names.get(s, s) for s, ok in zip(fits.index, keep, strict=True) if not ok]
    return fits[keep], left_out


def is_uniform_blend(fits: pd.Series, parents: pd.DataFrame, tolerance: float = 0.5) -> bool:
    """True when a service's fits are one mix of medical and spa on every criterion (within
    `tolerance` points, the rounding of `blend_fits`), 0 < mix < 1.

    Such a service's match is that mix of the two parents' matches, so it can never be the
    best match for anyone (DESIGN.md: the match is linear in the fits).
    """
    medical = parents.loc["medical"].to_numpy(dtype=float)
    spa = parents.loc["spa"].to_numpy(dtype=float)
    values = fits.reindex(parents.columns).to_numpy(dtype=float)
    delta = medical - spa
    share = float(np.dot(values - spa, delta) / np.dot(delta, delta))
    if not 0 < share < 1:
        return False
    return bool(np.abs(values - (spa + share * delta)).max() <= tolerance)
