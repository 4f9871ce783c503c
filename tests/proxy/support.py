"""Helpers for the tests through nginx: pinning a browser to an instance, reading nginx's log,
and bringing the cluster back to every instance up between tests."""

from __future__ import annotations

import os
import re
import secrets
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path

from deploy import cluster
from deploy.cluster import State

PASSCODE = "owner of the chain"
ROUTE_COOKIE = "ma_route"
LOG_LINE = re.compile(
    r'^\S+ (?P<status>\d+) "(?P<request>[^"]*)" upstream=(?P<upstream>.*?) route=(?P<route>\S+)'
)


def access_log(state: State) -> list[dict[str, str]]:
    """nginx's access log as dicts: status, request, upstream (host:port, or a list of tried
    ones separated by ', ' when nginx went on to the next instance), route."""
    lines = Path(state.run_dir, "nginx-access.log").read_text().splitlines()
    return [match.groupdict() for line in lines if (match := LOG_LINE.match(line))]


class NoLiveInstance(AssertionError):
    """nginx had no instance left to try for a request (every one `down` or sitting out a
    failure): a test's failure, except while the cluster is being brought back (restore)."""


def upstream_index(state: State, upstream: str) -> int:
    """The instance that finally answered: the last address nginx tried.

    nginx logs the upstream group's name instead of an address when it had no instance left to
    try (every one `down` or failed): that raises NoLiveInstance saying so.
    """
    last = upstream.split(", ")[-1]
    if ":" not in last:
        raise NoLiveInstance(f"nginx found no live instance (upstream={upstream!r})")
    return state.instance_ports.index(int(last.rsplit(":", 1)[1]))


def get(
    state: State, path: str = "/_stcore/health", route: str | None = None
) -> tuple[int, str, dict]:
    """(status, body, headers) of a GET through nginx, with the route cookie when given."""
    request = urllib.request.Request(f"{state.url}{path}")
    if route:
        request.add_header("Cookie", f"{ROUTE_COOKIE}={route}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def served_by(state: State, route: str) -> int:
    """The instance nginx sends a visitor with this route cookie to (one health request).

    Only the log lines written after this request count: a route asked about before has
    older lines, and nginx writes the new one just after the response has gone.
    """
    since = len(access_log(state))
    status, _body, _headers = get(state, route=route)
    lines: list[dict[str, str]] = []
    wait_for(
        lambda: lines.extend(e for e in access_log(state)[since:] if e["route"] == route) or lines,
        "the request's line in nginx's access log",
        timeout_s=5,
    )
    index = upstream_index(state, lines[-1]["upstream"])
    assert status == 200, f"instance {index} answered {status} to route {route}"
    return index


def route_to(state: State, index: int) -> str:
    """A route cookie value that nginx's consistent hash sends to instance index."""
    deadline = time.monotonic() + 20  # nginx may still be sitting out a failed instance
    while time.monotonic() < deadline:
        route = secrets.token_hex(16)
        try:
            if served_by(state, route) == index:
                return route
        except NoLiveInstance:  # both sat out after a test's failures (fail_timeout): wait
            pass
        time.sleep(0.05)
    raise AssertionError(f"no route cookie reaches instance {index} within 20 s")


def pin(context, state: State, index: int) -> str:
    """Give a browser context the route cookie of instance index; return the cookie value."""
    route = route_to(state, index)
    context.add_cookies([{"name": ROUTE_COOKIE, "value": route, "url": state.url}])
    return route


def served(state: State, route: str, since: int = 0, stream: bool = False) -> list[int]:
    """The instances that answered this visitor's requests, in log order, from log line `since`.

    nginx logs a request when it ends: a websocket (stream=True keeps only those) appears once
    it is closed, every other request at once.
    """
    return [
        upstream_index(state, entry["upstream"])
        for entry in access_log(state)[since:]
        if entry["route"] == route
        and (not stream or entry["request"].startswith("GET /_stcore/stream"))
    ]


def closed_streams(state: State, route: str, count: int) -> list[int]:
    """The instances of this visitor's websockets, once `count` of them are closed and logged."""
    wait_for(lambda: len(served(state, route, stream=True)) >= count, f"{count} websockets logged")
    return served(state, route, stream=True)


def wait_for(check, what: str, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout_s:.0f} s")


def restore(state: State) -> None:
    """Bring the cluster back to a known start, whatever the test before left: every instance
    running (thawed if a test froze it, started again if it is gone or does not answer), the
    watcher's latest round of checks made after that with none down and no fail-open, and nginx
    sending a request routed to each instance to that instance."""
    for index, port in enumerate(state.instance_ports):
        pid = _instance_pid(state, index)
        if pid is not None and _stopped(pid):
            os.kill(pid, signal.SIGCONT)
        if not cluster.healthy(port, timeout_s=5):
            cluster.stop_instance(state, index, sig=signal.SIGKILL)
            cluster.start_instance(state, index)
    ready_from = time.time()

    def settled() -> bool:
        seen = State.load(Path(state.run_dir))
        return seen.checked_at > ready_from and seen.down == [] and not seen.fail_open

    wait_for(settled, "the watcher sees every instance answer and puts them all in nginx", 60)
    for index in range(len(state.instance_ports)):
        route_to(state, index)  # nginx reaches it: the watcher's reload has taken effect


def _instance_pid(state: State, index: int) -> int | None:
    try:
        return cluster.instance_pid(state, index)
    except (OSError, ValueError):
        return None


def _stopped(pid: int) -> bool:
    """True when process pid exists and is stopped (SIGSTOP), from /proc/<pid>/stat."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] in ("T", "t")
