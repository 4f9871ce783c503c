"""Share links: plain query parameters that restore every weight, the preset, the certainty and the
answer to the safety screen.

A link looks like `?preset=unwind&certainty=medium&safety=none&relaxation=9&pain_relief=2...`.
`safety` is `none` (none of the safety items apply) or the ticked item ids joined by commas
(`safety=pregnancy_later,blood_thinners`); a link without it (every link made before the screen
existed) leaves the screen unanswered. Every `safety` value of a link counts, so a ticked item
is never undone by a `none` beside it. An unknown item is named in a notice and ignored; when no
known item is left, the screen stays unanswered rather than read as "none apply", also when the
link says `none` beside the unknown item. Keys and the ids in values are read in any case, a key
also with spaces around it or a trailing `[]` (`Safety=`, `safety[]=`), and items may be split
by commas or semicolons, so a ticked item is not lost to how a link was retyped or
rewritten (and `none` beside it under another spelling cannot turn the answer green). Parsing
never fails: anything malformed is dropped, and a notice names the parameter. Tracking
parameters that sites and mail tools add when a link is shared (`fbclid`, `gclid`, `utm_*` and
the like) say nothing about the person's choices, so they are dropped without a notice. Notices
never echo raw text from the link, only ids the catalog knows or a safe, shortened form, so a
crafted link cannot inject markup into the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from advisor.catalog import Catalog
from advisor.decision.sensitivity import CERTAINTY_BANDS

MAX_PARAMS = 40
MAX_VALUE_LENGTH = 16
# A value a notice may quote: ASCII words joined by single _ or -, with an optional decimal
# part. Nothing markdown would turn into emphasis (__x__), a link (www.site.com) or code.
_SAFE = re.compile(r"^-?[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)*(?:\.[0-9]+)?$")
_SAFE_LENGTH = 30
PRESET = "preset"
CERTAINTY = "certainty"
SAFETY = "safety"
NONE_APPLY = "none"
MAX_SAFETY_LENGTH = 1000  # every item id of a long screen, joined by commas
BLANK_PRESET = "blank"
# Click and campaign ids added by ad, social and mail platforms (Facebook, Google, Microsoft,
# Mailchimp, Instagram, HubSpot, Marketo, Yandex, TikTok, X, LinkedIn), and every utm_* field.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "mc_eid", "mc_cid",
        "igshid", "igsh", "_hsenc", "_hsmi", "mkt_tok", "yclid", "ttclid", "twclid", "li_fat_id",
        "srsltid", "_ga", "_gl", "ref_src",
    }
)  # fmt: skip


def is_tracking(key: str) -> bool:
    """True for a parameter a site adds to track a shared link (never one of ours)."""
    key = key.lower()
    return key in TRACKING_PARAMS or key.startswith("utm_")


@dataclass
class ShareState:
    """What a link restores; a None field means the link did not set it."""

    weights: dict[str, int] = field(default_factory=dict)
    preset: str | None = None
    certainty: str | None = None
    flags: list[str] | None = None  # the safety screen: None unanswered, [] none apply
    notices: list[str] = field(default_factory=list)


def _shown(text: str) -> str:
    if not text:
        return "an empty value"
    if len(text) <= _SAFE_LENGTH and _SAFE.fullmatch(text):
        return f"'{text}'"
    return "a value that cannot be shown"


def _last(values: str | Iterable[str], key: str, notices: list[str]) -> str:
    if isinstance(values, str):
        return values
    values = list(values)
    if len(values) > 1:
        notices.append(f"Parameter {key} appears {len(values)} times; the last one is used.")
    return values[-1] if values else ""


def parse_share_params(params: Mapping[str, str | Iterable[str]], catalog: Catalog) -> ShareState:
    """Read a share link's query parameters; malformed parts are ignored with a notice.

    The safety screen's answer is read first and whole: every `safety` value in the link
    counts (a ticked item in one never gives way to `none` in another), and the cap on the
    number of parameters never drops it.
    """
    state = ShareState()
    criteria = set(catalog.criterion_ids)
    unknown: list[str] = []
    params = _by_our_key(params)
    if SAFETY in params:
        state.flags = _safety(_every(params[SAFETY]), catalog, state.notices)
    ours = [(k, v) for k, v in params.items() if not is_tracking(k) and k != SAFETY]
    for index, (key, values) in enumerate(ours):
        if index >= MAX_PARAMS:
            state.notices.append(
                f"The link has more than {MAX_PARAMS} parameters; the rest were ignored."
            )
            break
        if key not in criteria and key not in (PRESET, CERTAINTY):
            unknown.append(key)
            continue
        _read_one(state, key, _last(values, key, state.notices).strip(), catalog)
    if unknown:
        state.notices.append(_unknown_notice(unknown))
    return state


def _by_our_key(params: Mapping[str, str | Iterable[str]]) -> dict[str, list[str]]:
    """Every value of the link under its key as the app writes it: lower case, no spaces around,
    no trailing `[]` (a form's way of sending a list), so `Safety`, ` safety ` and `safety[]`
    all count as `safety` and a ticked item under one of them is never lost."""
    merged: dict[str, list[str]] = {}
    for key, values in params.items():
        ours = key.strip().removesuffix("[]").strip().casefold()
        merged.setdefault(ours, []).extend([values] if isinstance(values, str) else values)
    return merged


def _unknown_notice(unknown: Sequence[str]) -> str:
    """ "2 unknown parameters in the link were ignored: 'foo', 'bar'." (five named at most;
    a name that cannot be shown safely is counted, not quoted)."""
    named = [f"'{k}'" for k in unknown if len(k) <= _SAFE_LENGTH and _SAFE.fullmatch(k)][:5]
    rest = len(unknown) - len(named)
    text = (
        f"{len(unknown)} unknown parameter{'s' if len(unknown) > 1 else ''} in the link "
        f"{'were' if len(unknown) > 1 else 'was'} ignored"
    )
    if not named:
        return text + "."
    return f"{text}: {', '.join(named)}" + (f" and {rest} more." if rest else ".")


def _every(values: str | Iterable[str]) -> str:
    """Every value of a repeated parameter, joined by commas."""
    return values if isinstance(values, str) else ",".join(values)


def _read_one(state: ShareState, key: str, value: str, catalog: Catalog) -> None:
    """One preset, certainty or weight parameter into `state` (a notice when it is malformed)."""
    if len(value) > MAX_VALUE_LENGTH:
        state.notices.append(f"Parameter {key} is too long and was ignored.")
    elif key == PRESET:
        if value.casefold() in catalog.presets.index or value.casefold() == BLANK_PRESET:
            state.preset = value.casefold()
        else:
            state.notices.append(f"Preset {_shown(value)} is not known and was ignored.")
    elif key == CERTAINTY:
        if value.casefold() in CERTAINTY_BANDS:
            state.certainty = value.casefold()
        else:
            state.notices.append(
                f"Certainty {_shown(value)} is not one of {', '.join(CERTAINTY_BANDS)}; "
                "it was ignored."
            )
    elif re.fullmatch(r"\d{1,2}", value) and 0 <= int(value) <= 10:
        state.weights[key] = int(value)
    else:
        state.notices.append(
            f"Parameter {key} must be a whole number from 0 to 10, not {_shown(value)}; "
            "it was ignored."
        )


def _safety(value: str, catalog: Catalog, notices: list[str]) -> list[str] | None:
    """The ticked safety items of a link's `safety` value ([] for none apply), or None when the
    screen must be asked again: no known answer, or "none" beside an item the app does not
    know (which may have been a ticked item, so "none apply" cannot be trusted)."""
    if len(value) > MAX_SAFETY_LENGTH:
        notices.append(f"Parameter {SAFETY} is too long and was ignored.")
        return None
    parts = [part.strip().casefold() for part in re.split(r"[,;]", value) if part.strip()]
    if not parts:
        notices.append(f"Parameter {SAFETY} is empty and was ignored.")
    known = [part for part in parts if part in catalog.red_flags.index]
    strange = [part for part in parts if part != NONE_APPLY and part not in known]
    for part in strange:
        notices.append(f"Safety item {_shown(part)} is not known and was ignored.")
    if known and NONE_APPLY in parts:
        notices.append(
            "The link says both that none of the safety items apply and that some do; the "
            "ticked items were kept."
        )
    if known:
        return [fid for fid in catalog.red_flags.index if fid in known]
    if NONE_APPLY in parts and strange:
        notices.append(
            "The link says none of the safety items apply, but also names one the app does "
            "not know; please answer the safety question again."
        )
        return None
    return [] if NONE_APPLY in parts else None


def share_params(
    weights: Mapping[str, float],
    preset: str | None,
    certainty: str,
    flags: Sequence[str] | None = None,
) -> dict[str, str]:
    """The query parameters that restore this state: preset, certainty, the safety screen's
    answer (left out while it is unanswered, `flags` None) and every weight."""
    params = {PRESET: preset or BLANK_PRESET, CERTAINTY: certainty}
    if flags is not None:
        params[SAFETY] = ",".join(flags) if flags else NONE_APPLY
    params.update({cid: str(int(round(value))) for cid, value in weights.items()})
    return params


def restored_weights(state: ShareState, catalog: Catalog) -> dict[str, int]:
    """Every criterion's weight: the preset's (if any), overridden by the link's own values."""
    base = {cid: 0 for cid in catalog.criterion_ids}
    if state.preset and state.preset != BLANK_PRESET:
        base.update({cid: int(v) for cid, v in catalog.preset_weights.loc[state.preset].items()})
    base.update(state.weights)
    return base
