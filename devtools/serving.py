"""Serve a Streamlit script for a test, a benchmark or a screenshot, and stop it again.

One place starts `streamlit run` on a free port, waits for /_stcore/health to answer "ok" and
stops the server: the browser tests (tests/browser/support.py), the latency benchmark
(bench/latency/) and scripts/screenshot.py all call it. It lives in neither tests/ nor bench/
because both use it, and not in advisor/ or ui/ because the app itself never starts a server.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
STARTUP_TIMEOUT_S = 60
DATA_ENV = "MASSAGE_ADVISOR_DATA"  # ui.data's override; a served app always reads data/


class ServerError(RuntimeError):
    """A server did not start: it exited, or its health check did not answer "ok" in time."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on at the moment of asking."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    """True when `url`/_stcore/health answers 200 with the body "ok"."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


def server_env(**extra: str) -> dict[str, str]:
    """This process's environment without the data-folder override, plus `extra`."""
    env = {key: value for key, value in os.environ.items() if key != DATA_ENV}
    return {**env, "PYTHONUNBUFFERED": "1", **extra}


def launch(
    script: Path, log: IO[str], env: Mapping[str, str] | None = None
) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run script` (headless, no file watcher, no usage statistics) on a free
    port from the repository root, its output to `log`; return the process and its base URL.

    Returns at once: `wait_healthy` waits for the server to answer.
    """
    port = free_port()
    command = [
        sys.executable,  # the running interpreter: works from any virtual environment
        "-m",
        "streamlit",
        "run",
        str(script.resolve().relative_to(ROOT)),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    log.write(f"$ {' '.join(command)}\n")
    log.flush()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=dict(env) if env is not None else server_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return process, f"http://127.0.0.1:{port}"


def wait_healthy(
    process: subprocess.Popen,
    url: str,
    timeout_s: float = STARTUP_TIMEOUT_S,
    poll_s: float = 0.05,
) -> None:
    """Return once `url` is healthy; raise ServerError if the process exits or `timeout_s`
    seconds pass first (the process is left running: `stop` it)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"the server for {url} exited with code {process.returncode}")
        if healthy(url):
            return
        time.sleep(poll_s)
    raise ServerError(f"{url}/_stcore/health did not answer 'ok' within {timeout_s:.0f} s")


def stop(process: subprocess.Popen) -> None:
    """Terminate the server, and kill it if it has not gone within 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def start(
    script: Path,
    log: IO[str],
    env: Mapping[str, str] | None = None,
    timeout_s: float = STARTUP_TIMEOUT_S,
    attempts: int = 3,
) -> tuple[subprocess.Popen, str]:
    """`launch` and `wait_healthy`, trying again on another port when the server exits at once.

    A server that exits at once most likely lost its port to another process between our
    check and its start. A healthy server is watched half a second more: one that lost its
    port has exited by then. Raises ServerError when no attempt gives a server.
    """
    problem = "no attempt was made"
    for _attempt in range(attempts):
        process, url = launch(script, log, env)
        try:
            wait_healthy(process, url, timeout_s)
            time.sleep(0.5)
            if process.poll() is None:
                return process, url
            problem = f"the server for {url} exited with code {process.returncode}"
        except ServerError as error:
            problem = str(error)
            if process.poll() is None:  # it timed out: another attempt would too
                stop(process)
                break
    raise ServerError(problem)


@contextlib.contextmanager
def served(
    script: Path, log: IO[str], env: Mapping[str, str] | None = None
) -> Iterator[tuple[str, int]]:
    """`start` the script; yield its base URL and process id; stop it on exit."""
    process, url = start(script, log, env)
    try:
        yield url, process.pid
    finally:
        stop(process)
