"""Helpers for the AppTest page tests: walk the element tree, read plotly figures, check state."""

from __future__ import annotations

import base64
import json
import pickle
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from streamlit.testing.v1 import AppTest

import advisor
from ui.state import kept_keys as declared_kept

ROOT = Path(__file__).resolve().parent.parent
APP_FILE = ROOT / "app.py"


def walk(node: Any) -> Iterator[Any]:
    """Every node under `node` (itself first), in the order the page draws them."""
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for index in sorted(children):
            yield from walk(children[index])


def tree(at: AppTest) -> list[Any]:
    """The main area's nodes in draw order."""
    return list(walk(at.main))


def position(nodes: list[Any], predicate) -> int:
    """Index of the first node matching `predicate`; fails the test when there is none."""
    for index, node in enumerate(nodes):
        if predicate(node):
            return index
    raise AssertionError("no element matches")


def block_by_key(at: AppTest, key: str) -> Any | None:
    """The container drawn with `st.container(key=key)`, or None."""
    for node in walk(at.main):
        if type(node).__name__ == "Block" and node.key == key:
            return node
    return None


def numbers(values: Any) -> np.ndarray:
    """A plotly data array as numpy: plain lists, or plotly's base64 typed arrays (bdata)."""
    if isinstance(values, dict) and "bdata" in values:
        array = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
        if "shape" in values:
            shape = tuple(int(part) for part in str(values["shape"]).split(","))
            array = array.reshape(shape)
        return array.astype(float)
    return np.asarray(values, dtype=float)


def figures(at: AppTest) -> dict[str, dict]:
    """Every plotly chart on the page, by its element key, as the figure dict (data, layout)."""
    return {el.key: json.loads(el.proto.spec) for el in at.get("plotly_chart")}


def figure(at: AppTest, key: str) -> dict:
    charts = figures(at)
    assert key in charts, f"no plotly chart {key!r}; the page has {sorted(charts)}"
    return charts[key]


def title_of(fig: dict) -> str:
    return fig["layout"]["title"]["text"]


def values(elements) -> list[str]:
    return [el.value for el in elements]


def state_problems(at: AppTest) -> list[str]:
    """Session-state keys whose values cannot be pickled (should be none: the app promises
    serialisable session state)."""
    problems = []
    for key in at.session_state:
        try:
            pickle.dumps(at.session_state[key])
        except Exception as error:  # any failure to pickle is the finding
            problems.append(f"{key}: {type(error).__name__}: {error}")
    return problems


def kept_keys(at: AppTest) -> list[str]:
    """The keys in the session that some module declared kept (ui.state)."""
    kept = declared_kept(advisor.load_catalog())
    return [key for key in at.session_state if key in kept]


# --- Position my clinic: the survey step's one state object (ui.survey_upload) ---------------

SURVEY_STATE = "pc_survey_state"


def survey_state(at: AppTest) -> Any:
    """The survey step's SurveyState (tests read it; no app module but its owner does)."""
    return at.session_state[SURVEY_STATE]


def survey_in_use(at: AppTest) -> Any:
    """The owner's SurveyInUse, or None while the made-up sample is in use."""
    return survey_state(at).survey


def texts_after(at: AppTest, predicate) -> list[str]:
    """The plain texts (st.text) drawn right after the first element matching `predicate`."""
    nodes = tree(at)
    start = position(nodes, predicate)
    found = []
    for node in nodes[start + 1 :]:
        if type(node).__name__ != "Text":
            break
        found.append(node.value)
    return found


def refusal(at: AppTest) -> str | None:
    """The plain text under the page's "could not be used" error, or None without one."""
    errors = [e for e in at.error if "could not be used" in e.value]
    if not errors:
        return None
    (text,) = texts_after(
        at, lambda n: type(n).__name__ == "Error" and "could not be used" in n.value
    )[:1]
    return text


def refusal_reasons(at: AppTest) -> list[str]:
    """The reasons listed under the refusal (row and column of each), as plain texts."""
    if refusal(at) is None:
        return []
    found = texts_after(
        at, lambda n: type(n).__name__ == "Error" and "could not be used" in n.value
    )
    return found[1:]


def survey_notes(at: AppTest) -> list[str] | None:
    """The notes on the survey in use (plain texts under their warning), or None."""
    if not [w for w in at.warning if "on your survey" in w.value]:
        return None
    return texts_after(at, lambda n: type(n).__name__ == "Warning" and "on your survey" in n.value)


def in_use_line(at: AppTest) -> list[str]:
    """The survey step's in-use lines (a success, or a warning when criteria have no column),
    without the count of notes they point to."""
    note = re.compile(r" \(\d+ notes? on how it was read, under the answer\)")
    boxes = [*at.success, *at.warning]
    return [note.sub("", s.value) for s in boxes if s.value.startswith("In use now: your")]


def survey_uploader(at: AppTest) -> Any:
    """The survey step's uploader (made anew, with a new key, after each file it takes)."""
    return at.file_uploader(key=f"pc_survey_upload_{survey_state(at).uploads}")
