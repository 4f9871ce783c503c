"""Several Massage Advisor instances behind nginx on this machine, with one shared database.

`python deploy/cluster.py start` (what `make cluster` runs) starts, in a run directory:
a throw-away PostgreSQL cluster made with Debian's tools (unless DATABASE_URL is given),
N `streamlit run app.py` instances sharing one cookie secret and one DATABASE_URL, nginx
with a generated configuration (deploy/nginx.conf.template) and a watcher that polls every
instance's /_stcore/health and takes a dead or hung one out of nginx, but never all of the live
ones at once (it fails open: see `out_of_rotation`). Each process's id goes in a pid file;
`stop` ends exactly those processes (checking each pid is still the process it started) and
removes the throw-away database. deploy/README.md says why each setting is there.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from advisor.files.reading import UPLOAD_LIMIT_MB  # noqa: E402

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
ERROR_PAGE_DIR = Path(__file__).parent
DEFAULT_RUN_DIR = Path(tempfile.gettempdir()) / "massage-advisor-cluster"
NGINX = "/usr/sbin/nginx"
STARTUP_TIMEOUT_S = 60
WATCH_INTERVAL_S = 1.0
CHECK_TIMEOUT_S = 1.0
FAILS_BEFORE_DOWN = 2  # checks in a row that time out or fail before a live instance is taken out
PANIC_THRESHOLD = 0.5  # fewer answering instances than this share of all: take no live one out
OK, REFUSED, FAILED = "ok", "refused", "failed"  # what one health check found
# Which sites may show the app in a frame (CSP frame-ancestors): only this one unless set.
FRAME_ANCESTORS_VARIABLE = "MASSAGE_ADVISOR_FRAME_ANCESTORS"
DEFAULT_FRAME_ANCESTORS = "'self'"
FRAME_SOURCE = re.compile(r"'self'|'none'|https://(\*\.)?[A-Za-z0-9.-]+(:[0-9]{1,5})?")


class ClusterError(RuntimeError):
    """A part of the cluster could not start or stop; the message says which and why."""


@dataclass
class State:
    """What a running cluster is made of, kept in <run dir>/cluster.json."""

    run_dir: str
    port: int
    instance_ports: list[int]
    database_url: str
    pg_data: str | None = None
    down: list[int] = field(default_factory=list)
    fail_open: bool = False  # the watcher keeps failing instances in: too few answer
    frame_ancestors: str = DEFAULT_FRAME_ANCESTORS  # the sites that may frame the app
    environment: dict[str, str] = field(default_factory=dict)  # set on every instance
    checked_at: float = 0.0  # time.time() of the watcher's last round of health checks

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def save(self) -> None:
        """Write cluster.json whole (a reader never sees half of it)."""
        partial = Path(self.run_dir, "cluster.json.new")
        partial.write_text(json.dumps(asdict(self), indent=2))
        partial.replace(Path(self.run_dir, "cluster.json"))

    @classmethod
    def load(cls, run_dir: Path) -> State:
        path = run_dir / "cluster.json"
        if not path.is_file():
            raise ClusterError(f"no cluster in {run_dir}: {path.name} is missing")
        return cls(**json.loads(path.read_text()))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def check(port: int, timeout_s: float = 2.0) -> str:
    """One health check of http://127.0.0.1:<port>/_stcore/health: OK when it answers 200 'ok'
    within timeout_s, REFUSED when nothing listens on the port (the process is gone), FAILED
    otherwise (it accepted the connection but answered late, or something other than 'ok')."""
    url = f"http://127.0.0.1:{port}/_stcore/health"
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            return OK if response.status == 200 and response.read().strip() == b"ok" else FAILED
    except urllib.error.URLError as error:
        refused = getattr(error.reason, "errno", None) == errno.ECONNREFUSED
        return REFUSED if refused else FAILED
    except ConnectionRefusedError:
        return REFUSED
    except OSError:  # a timeout while reading, a connection reset
        return FAILED


def healthy(port: int, timeout_s: float = 2.0) -> bool:
    """True when http://127.0.0.1:<port>/_stcore/health answers 200 'ok' within timeout_s."""
    return check(port, timeout_s) == OK


def _wait_until(check, what: str, timeout_s: float = STARTUP_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    raise ClusterError(f"{what} did not come up within {timeout_s:.0f} s")


# --- PostgreSQL: a throw-away cluster with Debian's tools -------------------------------------


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts[-3])
    if not found:
        raise ClusterError(
            "PostgreSQL's initdb is not installed (apt-get install postgresql), "
            "and DATABASE_URL is not set"
        )
    return found[-1].parent


def _as_postgres() -> list[str]:
    """initdb and postgres refuse to run as root: as root, run them as the postgres user."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _pg_ctl(pg_data: str, *args: str) -> None:
    command = [*_as_postgres(), str(_pg_bin() / "pg_ctl"), "-D", f"{pg_data}/data", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise ClusterError(f"pg_ctl {args[-1]} failed: {(done.stderr or done.stdout).strip()}")


def start_postgres() -> tuple[str, str]:
    """A fresh PostgreSQL cluster in its own temporary directory on a free port.

    Returns (database URL, the directory). Raises ClusterError when initdb is missing or fails.
    """
    pg_data = tempfile.mkdtemp(prefix="massage-advisor-pg-")
    if os.geteuid() == 0:
        shutil.chown(pg_data, "postgres", "postgres")
    initdb = [*_as_postgres(), str(_pg_bin() / "initdb"), "-D", f"{pg_data}/data"]
    done = subprocess.run(
        [*initdb, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise ClusterError(f"initdb failed: {done.stderr.strip()}")
    port = free_port()
    with Path(pg_data, "data", "postgresql.conf").open("a") as conf:
        conf.write(f"port = {port}\nlisten_addresses = '127.0.0.1'\n")
        conf.write(f"unix_socket_directories = '{pg_data}'\n")
    _pg_ctl(pg_data, "-l", f"{pg_data}/postgres.log", "-w", "start")
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", pg_data


def restart_postgres(state: State, pause_s: float = 0.0) -> None:
    """Stop the throw-away PostgreSQL (fast: open transactions roll back), wait, start it."""
    if state.pg_data is None:
        raise ClusterError("this cluster uses a DATABASE_URL it did not start: not restarting it")
    _pg_ctl(state.pg_data, "-m", "fast", "-w", "stop")
    time.sleep(pause_s)
    _pg_ctl(state.pg_data, "-l", f"{state.pg_data}/postgres.log", "-w", "start")


def stop_postgres(state: State) -> None:
    if state.pg_data is None or not Path(state.pg_data).is_dir():
        return
    with contextlib.suppress(ClusterError):
        _pg_ctl(state.pg_data, "-m", "fast", "-w", "stop")
    shutil.rmtree(state.pg_data, ignore_errors=True)


# --- processes we start, and stop by pid file -------------------------------------------------


def _pid_file(state: State, name: str) -> Path:
    return Path(state.run_dir, f"{name}.pid")


def _ours(pid: int, marker: str) -> bool:
    """True when pid is alive and its command line still contains marker (not a reused pid)."""
    try:
        return marker in Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return False


def _stop_pid(state: State, name: str, marker: str, sig: int = signal.SIGTERM) -> None:
    """Send sig to the process in <name>.pid if it is still ours; wait up to 10 s, then kill."""
    path = _pid_file(state, name)
    if not path.is_file():
        return
    pid = int(path.read_text().strip())
    if _ours(pid, marker):
        os.kill(pid, sig)
        deadline = time.monotonic() + 10
        while _ours(pid, marker) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _ours(pid, marker):
            os.kill(pid, signal.SIGKILL)
    path.unlink(missing_ok=True)


def _spawn(state: State, name: str, command: list[str], env: dict[str, str]) -> int:
    with Path(state.run_dir, f"{name}.log").open("a") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    _pid_file(state, name).write_text(f"{process.pid}\n")
    return process.pid


def instance_env(state: State) -> dict[str, str]:
    """The environment every instance shares: this process's, with state.environment on top,
    the same cookie secret and the same database."""
    env = {k: v for k, v in os.environ.items() if k != "MASSAGE_ADVISOR_DATA"}
    env.update(state.environment)
    env["STREAMLIT_SERVER_COOKIE_SECRET"] = Path(state.run_dir, "cookie-secret").read_text()
    env["DATABASE_URL"] = state.database_url
    env["PYTHONUNBUFFERED"] = "1"
    return env


def start_instance(state: State, index: int) -> None:
    """`streamlit run app.py` on instance index's port; returns once its health check is ok."""
    port = state.instance_ports[index]
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    _spawn(state, f"instance-{index}", command, instance_env(state))
    _wait_until(lambda: healthy(port), f"instance {index} on port {port}")


def instance_pid(state: State, index: int) -> int:
    return int(_pid_file(state, f"instance-{index}").read_text().strip())


def stop_instance(state: State, index: int, sig: int = signal.SIGTERM) -> None:
    """Stop instance index (SIGKILL for a crash); no-op when it is not running."""
    _stop_pid(state, f"instance-{index}", f"--server.port {state.instance_ports[index]}", sig)


# --- nginx and the health watcher -------------------------------------------------------------


def frame_ancestors(value: str | None) -> str:
    """The CSP frame-ancestors sources from MASSAGE_ADVISOR_FRAME_ANCESTORS: `'self'` when unset.

    value: space-separated sources, each `'self'`, `'none'` or an https origin such as
    `https://www.riverside.example` (docs/embed.md). Raises ClusterError naming the first
    source that is none of these, so a typo never opens or silently closes the frame.
    """
    sources = (value or "").split()
    if not sources:
        return DEFAULT_FRAME_ANCESTORS
    for source in sources:
        if not FRAME_SOURCE.fullmatch(source):
            raise ClusterError(
                f"{FRAME_ANCESTORS_VARIABLE}: {source!r} is not 'self', 'none' or an https "
                "origin such as https://www.example.com"
            )
    return " ".join(sources)


def nginx_config(state: State) -> str:
    """The nginx configuration for state: every instance, `down` for those the watcher took out.

    max_fails=0 turns nginx's passive checks off: they fail closed (when every server has
    failed once, nginx answers 502 until fail_timeout passes), so only the watcher, which fails
    open, takes instances out. A refused request still goes on to the next instance at once.
    """
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=0" + (" down;" if index in state.down else ";")
        for index, port in enumerate(state.instance_ports)
    )
    fields = {
        "@USER@": "user root;" if os.geteuid() == 0 else "",
        "@SERVERS@": servers,
        "@LISTEN@": f"127.0.0.1:{state.port}",
        "@UPLOAD_MB@": str(UPLOAD_LIMIT_MB),
        "@ERROR_ROOT@": str(ERROR_PAGE_DIR),
        "@FRAME_ANCESTORS@": state.frame_ancestors,
    }
    text = TEMPLATE.read_text()
    for name, value in fields.items():
        text = text.replace(name, value)
    return text


def _nginx(state: State, *args: str) -> None:
    run_dir = state.run_dir
    command = [NGINX, "-p", f"{run_dir}/", "-c", f"{run_dir}/nginx.conf", "-e", "nginx-error.log"]
    done = subprocess.run([*command, *args], capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise ClusterError(f"nginx {' '.join(args)} failed: {done.stderr.strip()}")


def write_nginx_config(state: State) -> None:
    Path(state.run_dir, "nginx.conf").write_text(nginx_config(state))


def start_nginx(state: State) -> None:
    if not Path(NGINX).is_file():
        raise ClusterError("nginx is not installed (apt-get install nginx)")
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        Path(state.run_dir, "tmp", sub).mkdir(parents=True, exist_ok=True)
    write_nginx_config(state)
    _nginx(state, "-t", "-q")
    _nginx(state)
    _wait_until(lambda: Path(state.run_dir, "nginx.pid").is_file(), "nginx")


def reload_nginx(state: State) -> None:
    """Write the configuration for state.down and have nginx load it (no request is dropped)."""
    write_nginx_config(state)
    _nginx(state, "-s", "reload")


def out_of_rotation(checks: list[str], fails: list[int]) -> tuple[list[int], bool]:
    """The instances to take out of nginx, and whether the cluster is failing open.

    checks: each instance's latest health check (OK, REFUSED or FAILED); fails: how many checks
    in a row each has failed or been refused. An instance that refuses connections is dead and
    goes out at once (nothing listens: sending it visitors only costs a retry). One that accepts
    but fails FAILS_BEFORE_DOWN checks in a row is hung or slow and goes out too, unless fewer
    than PANIC_THRESHOLD of all instances answered their latest check: then every live instance
    stays in (fail open), because a slow instance still answers in the end, while taking them all
    out turns a slowdown into an outage. Returns (sorted indices, True when failing open).
    """
    dead = {i for i, found in enumerate(checks) if found == REFUSED}
    slow = {i for i, count in enumerate(fails) if i not in dead and count >= FAILS_BEFORE_DOWN}
    answering = checks.count(OK)
    fail_open = bool(slow) and answering < PANIC_THRESHOLD * len(checks)
    return sorted(dead if fail_open else dead | slow), fail_open


def watch(run_dir: Path) -> None:
    """Check every instance's /_stcore/health each second (all at once, CHECK_TIMEOUT_S each),
    take out of nginx what `out_of_rotation` says, put back an instance that answers again, and
    log every change. Runs until stopped."""
    state = State.load(run_dir)
    ports = state.instance_ports
    fails = [0] * len(ports)
    with ThreadPoolExecutor(max_workers=len(ports)) as pool:
        while True:
            checks = list(pool.map(lambda port: check(port, CHECK_TIMEOUT_S), ports))
            fails = [0 if found == OK else n + 1 for found, n in zip(checks, fails, strict=True)]
            down, fail_open = out_of_rotation(checks, fails)
            if fail_open != state.fail_open:
                _log_fail_open(fail_open, checks)
            changed = down != state.down
            state.down, state.fail_open, state.checked_at = down, fail_open, time.time()
            if changed:
                reload_nginx(state)
                why = ", ".join(
                    f"{i} {'refused' if checks[i] == REFUSED else 'hung'}" for i in down
                )
                print(
                    f"{time.strftime('%H:%M:%S')} down: {down or 'none'} {why}".rstrip(), flush=True
                )
            state.save()  # after any reload: cluster.json says what nginx already does
            time.sleep(WATCH_INTERVAL_S)


def _log_fail_open(fail_open: bool, checks: list[str]) -> None:
    now = time.strftime("%H:%M:%S")
    if fail_open:
        failing = [i for i, found in enumerate(checks) if found == FAILED]
        print(
            f"{now} fail open: instances {failing} fail their health checks and too few others "
            "answer; keeping every live instance in nginx (visitors wait rather than see the "
            "unavailable page)",
            flush=True,
        )
    else:
        print(f"{now} fail open over: enough instances answer again", flush=True)


def start_watcher(state: State) -> None:
    command = [sys.executable, str(Path(__file__).resolve()), "watch", "--run-dir", state.run_dir]
    _spawn(state, "watcher", command, dict(os.environ))


# --- the whole cluster ------------------------------------------------------------------------


def start(
    run_dir: Path = DEFAULT_RUN_DIR,
    instances: int = 2,
    port: int = 8080,
    watcher: bool = True,
    database_url: str | None = None,
    environment: dict[str, str] | None = None,
) -> State:
    """Start PostgreSQL (unless database_url is given), the instances, nginx and the watcher.

    environment: variables set on every instance on top of this process's (e.g. the owner's
    passcode hash), kept in cluster.json for instances started later. Raises ClusterError,
    after stopping whatever it started, when a part does not come up or run_dir already holds
    a cluster.
    """
    if (run_dir / "cluster.json").exists():
        raise ClusterError(f"a cluster already runs from {run_dir}: stop it first")
    framers = frame_ancestors(os.environ.get(FRAME_ANCESTORS_VARIABLE))
    run_dir.mkdir(parents=True, exist_ok=True)
    secret = Path(run_dir, "cookie-secret")
    secret.write_text(secrets.token_hex(32))
    secret.chmod(0o600)
    database_url, pg_data = (database_url, None) if database_url else start_postgres()
    ports = [free_port() for _ in range(instances)]
    state = State(str(run_dir), port, ports, database_url, pg_data, environment=environment or {})
    state.frame_ancestors = framers
    state.save()
    try:
        for index in range(instances):
            start_instance(state, index)
        start_nginx(state)
        if watcher:
            start_watcher(state)
    except (ClusterError, OSError):
        stop(run_dir)
        raise
    return state


def stop(run_dir: Path = DEFAULT_RUN_DIR) -> None:
    """Stop the watcher, nginx, every instance and the throw-away PostgreSQL started from
    run_dir, then remove run_dir. Processes are found by their pid files only."""
    state = State.load(run_dir)
    _stop_pid(state, "watcher", "cluster.py watch")
    _stop_pid(state, "nginx", "nginx: master", signal.SIGQUIT)
    for index in range(len(state.instance_ports)):
        stop_instance(state, index)
    stop_postgres(state)
    shutil.rmtree(run_dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop", "watch"])
    parser.add_argument("--run-dir", type=Path, default=DEFAULT_RUN_DIR)
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--port", type=int, default=int(os.environ.get("CLUSTER_PORT", 8080)))
    args = parser.parse_args(argv)
    try:
        if args.action == "start":
            database_url = os.environ.get("DATABASE_URL")
            state = start(args.run_dir, args.instances, args.port, database_url=database_url)
            print(f"{len(state.instance_ports)} instances behind nginx on {state.url}")
            print(f"database: {state.database_url}; stop with `make cluster-stop`")
        elif args.action == "stop":
            stop(args.run_dir)
            print(f"stopped the cluster in {args.run_dir}")
        else:
            watch(args.run_dir)
    except ClusterError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
