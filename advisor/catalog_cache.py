"""A catalog that passed every check, kept on disk until a file it was read from changes.

Checking the catalog (pandera and the rules between files, advisor.catalog_checks) takes about a
third of a second, on every start of every server process: most of what the app adds to
Streamlit's own cold start. The files rarely change between starts, so the checked catalog is
pickled under a digest of everything it was made from: the bytes of every file in the data
folder, the code that reads and checks them, and the Python, pandas and numpy versions. A start
with the same digest loads it (milliseconds); any change gives a new digest, so the files are
checked again. Like Python's own .pyc files, the cache is only ever read by the user who wrote
it, from a folder of their own: $MASSAGE_ADVISOR_CACHE, else $XDG_CACHE_HOME/massage-advisor,
else ~/.cache/massage-advisor. A folder that cannot be written only costs the check's time; it
is logged, never shown to a visitor.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

CACHE_ENV = "MASSAGE_ADVISOR_CACHE"
KEEP = 16  # files kept at most (two per version of the data); the oldest go first
LOG = logging.getLogger(__name__)
T = TypeVar("T")


def cache_dir() -> Path:
    """The folder the checked catalog is kept in (see the module's docstring)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "massage-advisor"


def digest(folder: Path, code: Iterable[Path]) -> str:
    """SHA-256 (hex) of the versions in use, each file of `code` and each file in `folder`
    (name and bytes, in name order): what a checked catalog was made from."""
    hashed = hashlib.sha256(f"{sys.version}|{pd.__version__}|{np.__version__}".encode())
    for path in [*code, *sorted(p for p in folder.iterdir() if p.is_file())]:
        hashed.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return hashed.hexdigest()


def kept(key: str, build: Callable[[], T], kind: type[T]) -> T:
    """The object kept under `key` (a name such as "catalog-" and a digest), or `build()` (which
    may raise; nothing is kept then), kept under `key` for the next start. A kept file that
    cannot be read or is not a `kind` is built again and replaced."""
    path = cache_dir() / f"{key}.pickle"
    try:
        with path.open("rb") as file:
            found = pickle.load(file)
        if isinstance(found, kind):
            return found
    except FileNotFoundError:
        pass
    except Exception as error:  # a damaged or foreign file: build again and replace it
        LOG.warning("catalog cache %s not read (%s); checking the catalog again", path, error)
    built = build()
    _write(path, built)
    return built


def _write(path: Path, value: object) -> None:
    """Write atomically (a temporary file renamed over), so a reader never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(file.name, path)
        _prune(path.parent)
    except OSError as error:
        LOG.warning("catalog cache %s not written (%s); the next start checks again", path, error)


def _prune(folder: Path) -> None:
    """Keep the KEEP newest files: a folder of old data versions does not grow without end."""
    kept_files = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
    for old in kept_files[:-KEEP]:
        old.unlink(missing_ok=True)
