"""Share links: plain query parameters that restore every weight, the preset, the certainty and the
answer to the safety screen.

A link looks like `?preset=unwind&certainty=medium&safety=none&relaxation=9&pain_relief=2...`.
`safety` is `none` (none of the safety items apply) or the ticked item ids joined by commas
(`safety=pregnancy_later,blood_thinners`); a link without it (every link made before the screen
existed) leaves the screen unanswered. Every `safety` value of a link counts, so a ticked item
is never undone by a `none` beside it. An unknown item is named in a notice and ignored; when no
known item is left, the screen stays unanswered rather than read as "none apply", also when the
link says `none` beside the unknown item. Keys and the ids in values are read in any case, a key
also with spaces around it, invisible characters in it or list brackets after it (`Safety=`,
`safety[]=`, `safety[0]=`), and items may be split by commas, semicolons or spaces, also when a
tool encoded the link twice (`%252C`), so a ticked item is not lost to how a link was retyped or
rewritten (and `none` beside it under another spelling cannot turn the answer green). Any other
parameter that names a safety item or speaks of safety or flags (`blood_clot=1`,
`flags=blood_clot`) leaves the screen unanswered, with a notice: the link's own answer cannot be
trusted. Parsing never fails: anything malformed is dropped, and a notice names the
parameter; every known setting is read however many unknown parameters come with it. Tracking
parameters that sites and mail tools add when a link is shared (`fbclid`, `gclid`, `utm_*` and
the like) say nothing about the person's choices, so they are dropped without a notice. Notices
never echo raw text from the link, only ids the catalog knows or a safe, shortened form, so a
crafted link cannot inject markup into the page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote

from advisor.catalog import Catalog
from advisor.decision.sensitivity import CERTAINTY_BANDS

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
# What a tool may write after a key to send a list: `safety[]`, `safety[0]`, `safety[][]`.
_LIST_SUFFIX = re.compile(r"(?:\s*\[[^\]]*\])+$")
# Between safety items: commas, semicolons and spaces (a `+` in a link is a space).
_ITEM_SEPARATORS = re.compile(r"[,;\s]+")
UNREADABLE_ITEMS = "A safety item in the link has a form the app cannot read, so it was not used."
NONE_AND_UNKNOWN = (
    "The link says none of the safety items apply. It also names one the app does not know. "
    "Please answer the safety question again."
)
SAFETY_ELSEWHERE = (
    "seems to name a safety item, but not the way the app writes it. "
    "Please answer the safety question again."
)
BLANK_PRESET = "blank"
# Click and campaign ids added by ad, social and mail platforms (Facebook, Google, Microsoft,
# Mailchimp, Instagram, HubSpot, Marketo, Yandex, TikTok, X, LinkedIn), the share ids of X
# (`s`, `t`), YouTube and Spotify (`si`) and a referrer's `ref`, and every utm_* field.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "mc_eid", "mc_cid",
        "igshid", "igsh", "_hsenc", "_hsmi", "mkt_tok", "yclid", "ttclid", "twclid", "li_fat_id",
        "srsltid", "_ga", "_gl", "ref_src", "ref", "si", "s", "t",
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


def _quoted(text: str) -> str | None:
    """`text` in quotes when a notice may show it (plain ASCII words, short), else None."""
    if text and len(text) <= _SAFE_LENGTH and _SAFE.fullmatch(text):
        return f"'{text}'"
    return None


def _not_used(key: str, value: str) -> str:
    """The notice for a value that is empty or cannot be shown: the parameter named, the value
    not."""
    if not value:
        return f"Parameter {key} has no value in the link, so the app did not use it."
    return f"Parameter {key} has a value the app cannot read. It was not used."


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
    counts (a ticked item in one never gives way to `none` in another). Any other parameter
    whose name or value names a safety item, or whose name speaks of safety or flags (a tool's
    own way of writing the list, or an item written as a key), means the link's answer cannot
    be trusted: the screen is asked again, with a notice. Every known setting is read however
    many unknown parameters come with it; the unknown ones are counted in one notice.
    """
    state = ShareState()
    criteria = set(catalog.criterion_ids)
    unknown: list[str] = []
    params = _by_our_key(params)
    if SAFETY in params:
        state.flags = _safety(_every(params[SAFETY]), catalog, state.notices)
    ours = [(k, v) for k, v in params.items() if not is_tracking(k) and k != SAFETY]
    for key, values in ours:
        if key not in criteria and key not in (PRESET, CERTAINTY):
            unknown.append(key)
            continue
        _read_one(state, key, _last(values, key, state.notices).strip(), catalog)
    if unknown:
        state.notices.append(_unknown_notice(unknown))
    elsewhere = [key for key, values in ours if _names_safety(key, values, catalog)]
    if elsewhere:
        named = next((q for q in map(_quoted, elsewhere) if q), None)
        state.notices.append(
            f"{f'Parameter {named}' if named else 'A part of the link'} {SAFETY_ELSEWHERE}"
        )
        state.flags = None
    return state


def _decoded(text: str) -> str:
    """`text` with percent-escapes undone up to three times (a link encoded twice over by the
    tools it passed through), in lower case."""
    for _ in range(3):
        once = unquote(text)
        if once == text:
            break
        text = once
    return text.casefold()


def _names_safety(key: str, values: Sequence[str], catalog: Catalog) -> bool:
    """True when a parameter other than `safety` may carry the safety answer: its name speaks
    of safety or flags, or its name or a value holds a safety item's id."""
    if SAFETY in key or "flag" in key:
        return True
    text = _decoded(" ".join([key, *values]))
    return any(fid in text for fid in catalog.red_flags.index)


def _by_our_key(params: Mapping[str, str | Iterable[str]]) -> dict[str, list[str]]:
    """Every value of the link under its key as the app writes it: lower case, no spaces around,
    no invisible characters (a zero-width space, a stray byte-order mark), no list brackets
    after it (`[]`, `[0]`, `[][]`: a form's way of sending a list), so `Safety`, ` safety `,
    `safety[]` and `safety[0]` all count as `safety` and a ticked item under one of them is
    never lost."""
    merged: dict[str, list[str]] = {}
    for key, values in params.items():
        visible = "".join(ch for ch in key if unicodedata.category(ch) != "Cf")
        ours = _LIST_SUFFIX.sub("", visible.strip()).strip().casefold()
        merged.setdefault(ours, []).extend([values] if isinstance(values, str) else values)
    return merged


def _unknown_notice(unknown: Sequence[str]) -> str:
    """ "2 unknown parameters in the link were ignored: 'foo', 'bar'." (five named at most;
    a name that cannot be shown safely is counted, not quoted)."""
    named = [q for q in map(_quoted, unknown) if q][:5]
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
    shown = _quoted(value)
    if len(value) > MAX_VALUE_LENGTH:
        state.notices.append(f"Parameter {key} is too long and was ignored.")
    elif key == PRESET:
        if value.casefold() in catalog.presets.index or value.casefold() == BLANK_PRESET:
            state.preset = value.casefold()
        elif shown:
            state.notices.append(f"Preset {shown} is not known and was ignored.")
        else:
            state.notices.append(_not_used(key, value))
    elif key == CERTAINTY:
        if value.casefold() in CERTAINTY_BANDS:
            state.certainty = value.casefold()
        elif shown:
            state.notices.append(
                f"Certainty {shown} is not one of {', '.join(CERTAINTY_BANDS)}; it was ignored."
            )
        else:
            state.notices.append(_not_used(key, value))
    elif re.fullmatch(r"\d{1,2}", value) and 0 <= int(value) <= 10:
        state.weights[key] = int(value)
    elif shown:
        state.notices.append(
            f"Parameter {key} is {shown}. It must be a whole number from 0 to 10, "
            "so it was not used."
        )
    else:
        state.notices.append(_not_used(key, value))


def _safety(value: str, catalog: Catalog, notices: list[str]) -> list[str] | None:
    """The ticked safety items of a link's `safety` value ([] for none apply), or None when the
    screen must be asked again: no known answer, or "none" beside an item the app does not
    know (which may have been a ticked item, so "none apply" cannot be trusted). Items are
    split at commas, semicolons and spaces, after percent-escapes left in by a link encoded
    twice are undone."""
    if len(value) > MAX_SAFETY_LENGTH:
        notices.append(f"Parameter {SAFETY} is too long and was ignored.")
        return None
    parts = [part for part in _ITEM_SEPARATORS.split(_decoded(value)) if part]
    if not parts:
        notices.append(_not_used(SAFETY, ""))
    known = [part for part in parts if part in catalog.red_flags.index]
    strange = [part for part in parts if part != NONE_APPLY and part not in known]
    shown = [_quoted(part) for part in strange]
    notices += [f"Safety item {q} is not known and was ignored." for q in shown if q]
    if None in shown:
        notices.append(UNREADABLE_ITEMS)
    if known and NONE_APPLY in parts:
        notices.append(
            "The link says both that none of the safety items apply and that some do; the "
            "ticked items were kept."
        )
    if known:
        return [fid for fid in catalog.red_flags.index if fid in known]
    if NONE_APPLY in parts and strange:
        notices.append(NONE_AND_UNKNOWN)
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
