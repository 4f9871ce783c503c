"""Memory of one app instance while visitors come and go: its RSS, read from /proc.

One `streamlit run app.py` (closed sessions reaped after --ttl seconds, not Streamlit's default
two minutes), then, reading VmRSS (and the peak, VmHWM, reset before each step) of its process:
1. idle, before any visitor; then once one visitor has loaded the pages' libraries;
2. 1, 10 and 50 visitors on Find my massage (protocol-level, bench/capacity.py's Visitor: each
   opens the page and moves a slider once), while they are there;
3. an owner uploading a survey of 10,000, 100,000 and 1,000,000 rows on Position my clinic
   (headless Chromium, the file from bench/survey_files.py's generator), while it is open (once
   the page's run is over);
4. after every visitor has left, and after Streamlit has reaped the closed sessions;
5. three rounds of four owners (10,000, 100,000, 100,000 and 1,000,000 rows), each round
   measured after they leave and are reaped: whether anything creeps up.

With --probe, the server runs under a small wrapper that answers SIGUSR1 by writing what holds
memory: Streamlit's own byte counts of every cache and session state (its stats manager), the
pandas frames alive, RSS after a full gc.collect() and after glibc's malloc_trim(0) (memory the
allocator holds but Python has freed); with --tracemalloc also the top allocation sites.

    .venv/bin/python bench/memory.py [--probe] [--tracemalloc] [--ttl 5] [--label NAME]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from advisor.catalog import load_catalog  # noqa: E402
from advisor.files.reading import UPLOAD_LIMIT_MB  # noqa: E402
from bench.capacity import PAGES, Visitor  # noqa: E402
from bench.survey_files import write_csv  # noqa: E402
from deploy.cluster import free_port, healthy  # noqa: E402
from devtools.browser import CHROMIUM, CHROMIUM_ARGS, IDLE_APP, STATUS_WIDGET  # noqa: E402

OUT = ROOT / "bench" / "out"
SIZES = (10_000, 100_000, 1_000_000)
ROUND = (10_000, 100_000, 100_000, 1_000_000)
UPLOAD_TIMEOUT_MS = 600_000

# The wrapper the server runs under with --probe: Streamlit's command line, plus a SIGUSR1
# handler that writes what holds memory to the file named by MEMORY_PROBE_OUT.
PROBE = r"""
import ctypes, gc, json, os, signal, sys, tracemalloc, weakref

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

def probe(signum, frame):
    try:
        found = measure()
    except Exception as error:  # the server must go on whatever the probe meets
        found = {"probe_error": repr(error)}
    with open(os.environ["MEMORY_PROBE_OUT"], "w") as out:
        json.dump(found, out)

def measure():
    import pandas as pd
    from streamlit.runtime import Runtime
    found = {"rss_mb": rss_mb()}
    stats = {}
    for family, items in Runtime.instance().stats_mgr.get_stats().items():
        for stat in items:
            name = getattr(stat, "cache_name", "") or getattr(stat, "category_name", "")
            key = f"{family}:{name}"
            stats[key] = stats.get(key, 0) + getattr(stat, "byte_length", 0)
    found["streamlit_stats_mb"] = {k: round(v / 2**20, 1) for k, v in sorted(stats.items())}
    found["sessions"] = len(Runtime.instance()._session_mgr.list_sessions())
    frames = [o for o in gc.get_objects() if isinstance(o, pd.DataFrame)]
    sizes = sorted((int(f.memory_usage(deep=False).sum()) for f in frames), reverse=True)
    found["frames_alive"] = len(frames)
    found["frames_mb"] = round(sum(sizes) / 2**20, 1)
    found["largest_frames_mb"] = [round(s / 2**20, 1) for s in sizes[:5]]
    if sessions_gone():
        big = [weakref.ref(f) for f in largest(frames, 2)]
        del frames, sizes
        found["holders_of_largest_frames"] = [holders(r()) for r in big if r() is not None]
        found["uploaded_files_mb_by_session"] = uploaded_files()
    else:
        del frames
    gc.collect()
    found["rss_after_gc_mb"] = rss_mb()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    found["rss_after_malloc_trim_mb"] = rss_mb()
    if tracemalloc.is_tracing():
        current, peak = tracemalloc.get_traced_memory()
        found["python_traced_mb"] = round(current / 2**20, 1)
        top = tracemalloc.take_snapshot().statistics("lineno")[:8]
        found["top_sites"] = [f"{s.size / 2**20:.1f} MB {s.traceback[0]}" for s in top]
    return found

def sessions_gone():
    from streamlit.runtime import Runtime
    return not Runtime.instance()._session_mgr.list_sessions()

def largest(frames, count):
    return sorted(frames, key=lambda f: -int(f.memory_usage(deep=False).sum()))[:count]

def describe(holder, child):
    # what holder is, and where in it the child sits
    kind = type(holder).__module__ + "." + type(holder).__qualname__
    if isinstance(holder, dict):
        keys = [repr(k)[:60] for k, v in holder.items() if v is child][:3]
        return f"{kind} at key {', '.join(keys)}"
    name = getattr(holder, "__qualname__", None) or getattr(holder, "__name__", None)
    return f"{kind} {name or ''}".strip()

def holders(target, depth=8):
    # the chain of objects holding target, up to depth, skipping this probe's own frames
    import inspect
    chain, child, seen = [], target, {id(target)}
    for _ in range(depth):
        refs = [r for r in gc.get_referrers(child)
                if id(r) not in seen and not inspect.isframe(r)]
        if not refs:
            chain.append("(no further holder: a cycle or a C-level reference)")
            break
        seen.add(id(refs))  # this list holds child too: never report it
        holder = refs[0]
        more = f" (+{len(refs) - 1} more)" if len(refs) > 1 else ""
        chain.append(describe(holder, child) + more)
        seen.add(id(holder))
        child = holder
    return chain

def uploaded_files():
    from streamlit.runtime import Runtime
    manager = Runtime.instance()._uploaded_file_mgr
    files = getattr(manager, "file_storage", {})
    return {str(sid)[:8]: round(sum(len(f.data) for f in by_id.values()) / 2**20, 1)
            for sid, by_id in files.items()}

signal.signal(signal.SIGUSR1, probe)
from streamlit.web.cli import main
sys.argv = ["streamlit", *sys.argv[1:]]
main()
"""


def rss_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of process pid in MB, from /proc/<pid>/status."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def reset_peak(pid: int) -> None:
    """Start VmHWM again from the current RSS (writing 5 to /proc/<pid>/clear_refs)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def serve(log_dir: Path, ttl_s: int, probe: bool, trace: bool) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on a free port (under the probe wrapper when asked), once healthy."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{log_dir / 'memory.sqlite3'}",
        "MEMORY_PROBE_OUT": str(log_dir / "probe.json"),
    }
    if trace:
        env["PYTHONTRACEMALLOC"] = "1"
    head = [sys.executable, "-c", PROBE] if probe else [sys.executable, "-m", "streamlit"]
    command = [
        *head, "run", "app.py", "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false", "--server.disconnectedSessionTTL", str(ttl_s),
    ]  # fmt: skip
    log = (log_dir / "server.log").open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while not healthy(port):
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError(f"the server did not start: see {log_dir / 'server.log'}")
        time.sleep(0.3)
    return process, f"http://127.0.0.1:{port}"


def ask_probe(process: subprocess.Popen, log_dir: Path) -> dict | None:
    """What holds memory, from the probe wrapper (None when the server runs without it)."""
    out = log_dir / "probe.json"
    out.unlink(missing_ok=True)
    process.send_signal(signal.SIGUSR1)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if out.is_file() and out.stat().st_size:
            time.sleep(0.2)
            return json.loads(out.read_text())
        time.sleep(0.2)
    return None


def survey_files(folder: Path, sizes: set[int]) -> dict[int, Path]:
    """A survey CSV per size from bench/survey_files.py's generator (semicolons, Windows-1252,
    decimal commas), with as many criteria as keep the largest under the upload bound."""
    criteria = list(load_catalog().criterion_ids)
    # about 17 bytes of client id and line end and 3.6 per value: the largest file must fit
    keep = min(len(criteria), int((UPLOAD_LIMIT_MB * 2**20 / max(sizes) - 17) / 3.6) - 1)
    paths = {}
    for rows in sorted(sizes):
        path = folder / f"survey-{rows}.csv"
        write_csv(path, rows, criteria[:keep])
        size_mb = path.stat().st_size / 2**20
        assert size_mb < UPLOAD_LIMIT_MB, f"{path.name} is {size_mb:.1f} MB"
        paths[rows] = path
    print(f"surveys: {keep} of {len(criteria)} criteria; sizes {sorted(sizes)}", flush=True)
    return paths


class Bench:
    """The server, its measurements, and the visitors that come and go."""

    def __init__(self, args) -> None:
        self.args = args
        self.log_dir = Path(tempfile.mkdtemp(prefix="memory-"))
        self.process, self.url = serve(self.log_dir, args.ttl, args.probe, args.tracemalloc)
        self.port = int(self.url.rsplit(":", 1)[1])
        self.rows: list[dict] = []

    def record(self, step: str, probe: bool = False) -> None:
        rss, peak = rss_mb(self.process.pid)
        row = {"step": step, "rss_mb": round(rss), "peak_mb": round(peak)}
        if probe and self.args.probe:
            row["probe"] = ask_probe(self.process, self.log_dir)
        self.rows.append(row)
        print(json.dumps(row), flush=True)
        reset_peak(self.process.pid)

    def reaped(self, step: str) -> None:
        """Wait for the closed sessions to be reaped (Streamlit's TTL, and a margin for the app's
        reaper, ui/memory.py, which lets go of them within two of its looks), then record."""
        time.sleep(self.args.ttl + 10)
        self.record(step, probe=True)

    async def find_visitors(self, count: int) -> list[Visitor]:
        _name, _script, page_name, query, label = PAGES[1]
        crowd = [Visitor(self.port, page_name, query) for _ in range(count)]
        for visitor in crowd:
            await visitor.open()
            await visitor.move(label)
        return crowd

    def find_step(self, count: int) -> None:
        async def run() -> None:
            crowd = await self.find_visitors(count)
            self.record(f"{count} Find visitor(s) on the page")
            for visitor in crowd:
                await visitor.close()

        asyncio.run(run())

    def upload(self, browser, path: Path, rows: int):
        """An owner's browser tab on Position my clinic with the survey uploaded and shown."""
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        context.set_default_timeout(UPLOAD_TIMEOUT_MS)
        page = context.new_page()
        page.goto(f"{self.url}/clinic", wait_until="domcontentloaded")
        page.locator("h1").first.wait_for(state="visible")
        uploader = page.locator('[data-testid="stFileUploader"]').filter(
            has_text="Upload your client survey"
        )
        uploader.locator('input[type="file"]').set_input_files(path)
        # the in-use line: a success, or a warning when some criteria have no column (these
        # surveys give 8 of 13)
        in_use = '[data-testid="stAlertContentSuccess"], [data-testid="stAlertContentWarning"]'
        page.locator(in_use).filter(has_text=f"{rows:,} clients").wait_for(state="visible")
        # the survey is in use from the top of the run; its answer is computed under it: measure
        # once the run is over (its transients show in the step's peak)
        page.locator(IDLE_APP).wait_for(state="attached")
        page.locator(STATUS_WIDGET).wait_for(state="detached")
        return context

    def run(self) -> list[dict]:
        from playwright.sync_api import sync_playwright

        self.record("idle, no visitor yet")
        asyncio.run(self._warm())
        self.reaped("after the first visitor has loaded the libraries, and left")
        for count in (1, 10, 50):
            self.find_step(count)
        self.reaped("Find visitors gone and reaped")
        sizes, owners = self.args.sizes, self.args.round
        files = survey_files(self.log_dir, set(sizes) | set(owners))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for rows in sizes:
                context = self.upload(browser, files[rows], rows)
                self.record(f"one owner, {rows:,}-row survey open", probe=rows == max(sizes))
                context.close()
                self.record(f"that owner left ({rows:,} rows)")
            self.reaped("owners gone and reaped")
            for number in range(1, self.args.rounds + 1):
                contexts = [self.upload(browser, files[rows], rows) for rows in owners]
                opened = ", ".join(f"{rows:,}" for rows in owners)
                self.record(f"round {number}: {len(owners)} owners open ({opened} rows)")
                for context in contexts:
                    context.close()
                self.reaped(f"round {number}: owners gone and reaped")
            browser.close()
        return self.rows

    async def _warm(self) -> None:
        for _name, script, page_name, query, _label in PAGES:
            if script == "app.py":
                visitor = Visitor(self.port, page_name, query)
                await visitor.open()
                await visitor.close()
        self.record("one visitor has opened every page")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def report(rows: list[dict]) -> str:
    """The RSS table, then what the probe found at each reaped step."""
    lines = ["| step | RSS | peak during the step |", "|---|---|---|"]
    lines += [f"| {r['step']} | {r['rss_mb']} MB | {r['peak_mb']} MB |" for r in rows]
    for row in rows:
        if row.get("probe"):
            lines += ["", f"what holds memory, {row['step']}:", json.dumps(row["probe"], indent=1)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="latest")
    parser.add_argument("--ttl", type=int, default=5, help="server.disconnectedSessionTTL, s")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of four owners")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="one owner")
    parser.add_argument("--round", type=int, nargs="+", default=list(ROUND), help="a round")
    parser.add_argument("--probe", action="store_true", help="ask the server what holds memory")
    parser.add_argument("--tracemalloc", action="store_true", help="with --probe: top sites")
    args = parser.parse_args()
    load_before = os.getloadavg()
    bench = Bench(args)
    try:
        rows = bench.run()
    finally:
        bench.stop()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"memory-{args.label}.json").write_text(json.dumps(rows, indent=2))
    text = report(rows)
    (OUT / f"memory-{args.label}.md").write_text(text + "\n")
    print(f"\nload average before: {load_before}, {os.cpu_count()} CPUs\n{text}")


if __name__ == "__main__":
    main()
