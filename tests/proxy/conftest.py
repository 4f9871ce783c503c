"""Fixtures for the tests through nginx: one cluster (throw-away PostgreSQL, two instances,
nginx, the health watcher) for the whole session, and headless Chromium.

Every test here is marked `proxy` and `browser` (so `-m "not browser"` leaves them out too).
Without nginx, PostgreSQL's initdb or Chromium they skip with a reason, except on CI (CI=true),
where a missing piece fails the run instead.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.answers.passcode import hash_passcode
from advisor.answers.store import AnswerStore
from deploy import cluster
from deploy.cluster import State
from tests.browser.support import _missing
from tests.proxy.support import PASSCODE, restore


@pytest.fixture(scope="session")
def proxy_cluster(chromium_executable: str) -> Iterator[State]:
    """Two instances behind nginx on a free port, on their own throw-away PostgreSQL."""
    if not Path(cluster.NGINX).is_file():
        _missing("nginx not installed: apt-get install nginx")
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        _missing("PostgreSQL's initdb not installed: apt-get install postgresql")
    # The cluster's own database and passcode hash go to its instances only: this process's
    # environment, which every later test inherits, stays as it was.
    owner_hash = hash_passcode(PASSCODE, iterations=1_000)
    run_dir = Path(tempfile.mkdtemp(prefix="massage-advisor-proxy-test-"))
    shutil.rmtree(run_dir)
    try:
        yield cluster.start(
            run_dir,
            instances=2,
            port=cluster.free_port(),
            environment={"MASSAGE_ADVISOR_OWNER_HASH": owner_hash},
        )
    finally:
        if (run_dir / "cluster.json").exists():
            logs = Path(__file__).resolve().parents[2] / "artifacts" / "proxy-tests"
            shutil.copytree(run_dir, logs, dirs_exist_ok=True, ignore=shutil.ignore_patterns("tmp"))
            cluster.stop(run_dir)


@pytest.fixture
def up(proxy_cluster: State) -> State:
    """The cluster from a known start (support.restore: both instances answering and in nginx)
    with no answers stored."""
    restore(proxy_cluster)
    AnswerStore(proxy_cluster.database_url).delete_all()
    return proxy_cluster
