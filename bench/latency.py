"""Latency benchmark: every interaction of the app beside Streamlit's own floor, in one run.

1. Server rerun (AppTest): the median time of a rerun after a widget change on every page,
   beside a one-line page with one slider (the floor) measured the same way, interleaved.
2. Slider to chart (headless Chromium): from a keypress on a focused slider of
   /find?preset=unwind to the match chart's bar labels showing the new numbers (in-page
   clocks: a keydown listener and a MutationObserver), median and 95th percentile, beside the
   same measure on two floor pages served alongside: bench/latency_echo.py (a slider whose
   value is echoed: Streamlit's floor) and bench/latency_chart.py (a slider and one small
   plotly bar chart: the floor of "move a slider, see a chart" with Streamlit and plotly).
   The same moves give the bytes the server sends per move (Playwright's websocket frames).
3. Cold start: from launching `streamlit run app.py` to the Start page's h1 visible, median.
4. Many visitors: 20 browser sessions moving sliders at once, on the echo page, on the
   one-chart page (the two floors), then on Find my massage: 95th percentile slider to chart,
   every error (exceptions on a page, JavaScript errors, closed websockets, moves whose numbers
   never appear), and the CPU each part of the machine spent per move
   (server, Chromium, this harness).

Before each part the run waits (5 minutes at most) for the 1-minute load average to fall
below 1.5, and it records the load at the start and end of each part: on a 2-core machine any
other work takes CPU from what is timed. Each figure is printed and saved in
bench/out/latency-<label>.json and .txt (git-ignored).

    python bench/latency.py [--label NAME] [--only rerun,browser,cold,crowd]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.catalog import load_catalog  # noqa: E402
from advisor.decision.scoring import score  # noqa: E402

OUT = ROOT / "bench" / "out"
APP = ROOT / "app.py"
ECHO = ROOT / "bench" / "latency_echo.py"
CHART = ROOT / "bench" / "latency_chart.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1440, "height": 900}
FLOOR_SCRIPT = 'import streamlit as st\nst.slider("Value", 0, 10, key="value")\n'
SLIDER = "pain_relief"  # 1 in the unwind preset: ArrowRight makes it 2, ArrowLeft 1 again
TIMEOUT_MS = 20_000  # a move whose numbers take longer counts as an error
CROWD_BOUND_S = 240  # the most a crowd may take to open its pages, then again to move

# Installed in every benchmarked page before its own scripts: clocks on the page's timeline.
# - keydown (capture phase): performance.now() of the last key pressed;
# - a MutationObserver on the whole document that records, whenever the watched text changes,
#   the time and the new text (the watched text: window.__watch(), set by the benchmark);
# - the websocket: the time and size of every frame sent and received;
# - window.__until(test): a promise of test()'s first truthy value, checked on every mutation,
#   so that waiting costs the page nothing (Playwright's own waits poll on animation frames,
#   which with 20 pages open takes a share of the CPU the pages are being timed on).
PAGE_CLOCKS = """
(() => {
  window.__key = 0;
  window.__changes = [];
  window.__last = null;
  window.__ws = {sent: [], recv: []};
  window.addEventListener('keydown', () => { window.__key = performance.now(); }, true);
  const size = d => d == null ? 0 : (d.byteLength ?? d.size ?? d.length ?? 0);
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message',
        e => window.__ws.recv.push([performance.now(), size(e.data)]));
      this.addEventListener('close', () => { window.__ws.closed = (window.__ws.closed || 0) + 1; });
    }
    send(data) { window.__ws.sent.push([performance.now(), size(data)]); return super.send(data); }
  };
  let waiters = [];
  window.__until = test => new Promise(resolve => {
    const check = () => { const value = test(); if (value) resolve(value); return !!value; };
    if (!check()) waiters.push(check);
  });
  const look = () => {
    if (window.__watch) {
      const text = window.__watch();
      if (text !== window.__last) {
        window.__last = text;
        window.__changes.push([performance.now(), text]);
      }
    }
    if (waiters.length) waiters = waiters.filter(check => !check());
  };
  new MutationObserver(look).observe(document, {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ['data-test-script-state'],
  });
})();
"""
WATCH_CHART = """() => {
  const chart = document.querySelector('[data-testid="stPlotlyChart"]');
  if (!chart) return '';
  return Array.from(chart.querySelectorAll('text.bartext'))
    .map(t => t.textContent.trim()).join('|');
}"""
WATCH_ECHO = """() => {
  const found = Array.from(document.querySelectorAll('[data-testid="stMarkdownContainer"]'))
    .map(e => e.textContent.trim()).find(t => t.startsWith('echo '));
  return found ?? '';
}"""
IDLE = """() => document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]')
  && !document.querySelector('[data-testid="stStatusWidget"]')"""
EXCEPTION = '[data-testid="stException"]'


# Figures ---------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `share` of them at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "median": statistics.median(values),
        "p95": percentile(values, 0.95),
        "min": min(values),
        "max": max(values),
    }


class Loads:
    """The 1-minute load average at the start and end of each part of the run. Before a part,
    wait (at most `wait_s`) for the machine to be quiet: below `below`, as other processes on
    a 2-core machine take CPU from the very thing being timed."""

    def __init__(self, below: float, wait_s: float) -> None:
        self.below, self.wait_s = below, wait_s
        self.parts: dict[str, dict[str, float]] = {}

    async def start(self, part: str) -> None:
        waited = time.monotonic()
        while os.getloadavg()[0] >= self.below and time.monotonic() - waited < self.wait_s:
            await asyncio.sleep(5)
        self.parts[part] = {
            "start": os.getloadavg()[0],
            "waited_s": round(time.monotonic() - waited),
        }

    def end(self, part: str) -> None:
        self.parts[part]["end"] = os.getloadavg()[0]


# 1. Server rerun -------------------------------------------------------------------------------


def _alternate(at, kind: str, key: str, values: list) -> Callable[[int], None]:
    def change(i: int) -> None:
        getattr(at, kind)(key=key).set_value(values[i % len(values)]).run()

    return change


def _rerun_cases():
    """(name, what is changed, setup) per page; setup returns the change to time."""
    from streamlit.testing.v1 import AppTest

    def app_page(page: str):
        at = AppTest.from_file(str(APP), default_timeout=60).run()
        at.switch_page(page).run()
        return at

    def start():
        at = app_page("app_pages/start.py")
        return lambda i: at.run()

    def compare():
        at = app_page("app_pages/compare.py")
        return lambda i: at.run()

    def find():
        at = app_page("app_pages/find_my_massage.py")
        at.selectbox(key="fm_preset").select("unwind").run()
        return _alternate(at, "slider", "w_relaxation", [3, 7])

    def clinic():
        at = app_page("app_pages/position_my_clinic.py")
        return _alternate(at, "slider", "pc_threshold", [65, 75])

    def method():
        at = app_page("app_pages/method.py")
        return _alternate(at, "multiselect", "method_types", [["medical"], ["medical", "spa"]])

    def floor():
        at = AppTest.from_string(FLOOR_SCRIPT, default_timeout=60).run()
        return _alternate(at, "slider", "value", [3, 7])

    return [
        ("floor", "one-line page, slider 'value' 3 <-> 7", floor),
        ("start", "plain rerun (no widget on the page)", start),
        ("compare", "plain rerun (no widget on the page)", compare),
        ("find", "preset unwind, slider w_relaxation 3 <-> 7", find),
        ("clinic", "slider pc_threshold 65 <-> 75", clinic),
        ("method", "multiselect method_types [medical] <-> [medical, spa]", method),
    ]


def bench_reruns(reruns: int, warmup: int = 5) -> dict:
    cases = _rerun_cases()
    changes = {name: setup() for name, _, setup in cases}
    for i in range(warmup):
        for change in changes.values():
            change(i)
    times: dict[str, list[float]] = {name: [] for name in changes}
    for i in range(reruns):  # interleaved: machine noise falls on every page alike
        for name, change in changes.items():
            start = time.perf_counter()
            change(i)
            times[name].append((time.perf_counter() - start) * 1000)
    floor = statistics.median(times["floor"])
    return {
        name: {
            "what": what,
            **summary(times[name]),
            "ratio_to_floor": statistics.median(times[name]) / floor,
        }
        for name, what, _ in cases
    }


# Serving ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def launch(script: Path, log) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script.relative_to(ROOT)),
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
    env = {k: v for k, v in os.environ.items() if k != "MASSAGE_ADVISOR_DATA"}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}"


def wait_healthy(process: subprocess.Popen, url: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server for {url} exited with code {process.returncode}")
        if healthy(url):
            return
        time.sleep(0.02)
    raise RuntimeError(f"{url} did not answer its health check within {timeout_s} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextlib.contextmanager
def served(script: Path, log) -> Iterator[tuple[str, int]]:
    """`streamlit run script` on a free port: yields its URL and process id once healthy."""
    process, url = launch(script, log)
    try:
        wait_healthy(process, url)
        yield url, process.pid
    finally:
        stop(process)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (0 once it has gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(root: int) -> set[int]:
    """Every process started, directly or not, by `root`."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def cpu_by_part(server_pid: int) -> dict[str, float]:
    """CPU seconds so far: the app's server, Chromium, and the harness (this process and
    Playwright's driver), all sharing the machine's cores."""
    others = descendants(os.getpid()) - {server_pid} - descendants(server_pid)
    chromium = set()
    for pid in others:
        with contextlib.suppress(OSError):
            if b"chrom" in Path(f"/proc/{pid}/cmdline").read_bytes():
                chromium.add(pid)
    return {
        "server": cpu_seconds(server_pid),
        "chromium": sum(cpu_seconds(pid) for pid in chromium),
        "harness": cpu_seconds(os.getpid()) + sum(cpu_seconds(pid) for pid in others - chromium),
    }


# 2. In the browser -----------------------------------------------------------------------------


class Session:
    """One visitor: a browser context on one page, with its clocks, frames and errors.

    With `wire`, Playwright counts every websocket frame the server sends (the wire figure);
    the crowd goes without, as forwarding every frame of 20 pages to this process would take
    CPU from the pages being timed (the page's own hook still counts them).
    """

    def __init__(self, page, watch: str, wire: bool) -> None:
        self.page = page
        self.watch = watch
        self.received = 0  # bytes of websocket frames from the server (Playwright's count)
        self.frames = 0
        self.errors: list[str] = []
        if wire:
            page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        page.on("pageerror", lambda error: self.errors.append(f"javascript: {error}"))

    def _frame(self, payload) -> None:
        self.frames += 1
        self.received += len(payload)

    @classmethod
    async def open(
        cls,
        browser,
        url: str,
        watch: str,
        timeout_ms: float = TIMEOUT_MS,
        heading: bool = True,
        wire: bool = True,
    ) -> Session:
        context = await browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(timeout_ms)
        page = await context.new_page()
        session = cls(page, watch, wire)
        await page.add_init_script(PAGE_CLOCKS)
        await page.goto(url, wait_until="domcontentloaded")
        if heading:
            await page.locator("h1").first.wait_for(state="visible")
        await session.idle(timeout_ms)
        await page.evaluate(f"window.__watch = {watch}; window.__last = window.__watch();")
        return session

    async def until(self, test: str, arg=None, timeout_ms: float = TIMEOUT_MS):
        """test(arg)'s first truthy value, checked in the page on every DOM change."""
        waiting = self.page.evaluate(
            "([test, arg]) => window.__until(() => eval(test)(arg))", [test, arg]
        )
        return await asyncio.wait_for(waiting, timeout_ms / 1000)

    async def idle(self, timeout_ms: float = TIMEOUT_MS) -> None:
        """Until no script run is in progress: the app says so, the status widget is gone."""
        await self.until(IDLE, timeout_ms=timeout_ms)

    async def close(self) -> None:
        await self.page.context.close()

    async def move(self, thumb, key: str, expected: str) -> dict[str, float]:
        """Press `key` on the focused slider; time it until the watched text reads `expected`."""
        before_bytes, before_frames = self.received, self.frames
        await self.page.evaluate("window.__key = 0")
        await self.page.keyboard.press(key)  # the slider has the focus, and keeps it
        key_at, changed_at = await self.until(
            """expected => {
                const key = window.__key;
                if (!key) return null;
                const hit = window.__changes.find(([t, text]) => t > key && text === expected);
                return hit ? [key, hit[0]] : null;
            }""",
            expected,
        )
        await self.idle()
        await self.page.wait_for_timeout(150)  # the last frames reach Playwright's listener
        sent, received = await self.page.evaluate(
            """key => [window.__ws.sent.filter(([t]) => t >= key),
                       window.__ws.recv.filter(([t]) => t >= key)]""",
            key_at,
        )
        first_sent = sent[0][0] if sent else key_at
        return {
            "latency_ms": changed_at - key_at,
            "key_to_send_ms": first_sent - key_at,
            "send_to_last_frame_ms": (received[-1][0] - first_sent) if received else math.nan,
            "bytes": self.received - before_bytes,
            "frames": self.frames - before_frames,
            "bytes_in_page": sum(size for _t, size in received),
            "frames_in_page": len(received),
        }

    async def problems(self) -> list[str]:
        shown = await self.page.locator(EXCEPTION).count()
        closed = await self.page.evaluate("window.__ws.closed || 0")
        return [
            *self.errors,
            *([f"{shown} exception(s) on the page"] if shown else []),
            *([f"the websocket closed {closed} time(s)"] if closed else []),
        ]


def find_labels(catalog, weights: dict[str, int]) -> str:
    return "|".join(f"{m:.0f}%" for _, m in score(weights, catalog.fits).ranking())


def slider_thumb(page, label: str):
    name = re.escape(label)
    return page.get_by_role("slider", name=re.compile(rf"^{name}(?: {name})?$"))


async def open_find(browser, url: str, catalog, timeout_ms: float = TIMEOUT_MS, wire: bool = True):
    """A visitor on /find?preset=unwind once its match chart shows the preset's numbers,
    with the keyboard on the slider that the moves change."""
    weights = {cid: int(w) for cid, w in catalog.preset_weights.loc["unwind"].items()}
    assert weights[SLIDER] == 1
    session = await Session.open(
        browser, f"{url}/find?preset=unwind", WATCH_CHART, timeout_ms, wire=wire
    )
    await session.until(
        "t => window.__watch() === t", find_labels(catalog, weights), timeout_ms=timeout_ms
    )
    thumb = slider_thumb(session.page, catalog.criterion_label(SLIDER))
    await thumb.focus()
    return session, thumb


async def open_echo(browser, url: str, timeout_ms: float = TIMEOUT_MS, wire: bool = True):
    session = await Session.open(browser, url, WATCH_ECHO, timeout_ms, heading=False, wire=wire)
    await session.until("() => window.__watch() === 'echo 1'", timeout_ms=timeout_ms)
    thumb = slider_thumb(session.page, "Value")
    await thumb.focus()
    return session, thumb


async def open_chart(browser, url: str, timeout_ms: float = TIMEOUT_MS, wire: bool = True):
    session = await Session.open(browser, url, WATCH_CHART, timeout_ms, heading=False, wire=wire)
    await session.until("() => window.__watch() === '10%|90%'", timeout_ms=timeout_ms)
    thumb = slider_thumb(session.page, "Value")
    await thumb.focus()
    return session, thumb


def chart_step(i: int) -> tuple[str, str]:
    return ("ArrowRight", "20%|80%") if i % 2 == 0 else ("ArrowLeft", "10%|90%")


def find_step(catalog) -> Callable[[int], tuple[str, str]]:
    """Move i on Find my massage: the key to press and the match chart's labels after it."""
    weights = {cid: int(w) for cid, w in catalog.preset_weights.loc["unwind"].items()}

    def step(i: int) -> tuple[str, str]:
        key, weights[SLIDER] = ("ArrowRight", 2) if i % 2 == 0 else ("ArrowLeft", 1)
        return key, find_labels(catalog, weights)

    return step


def echo_step(i: int) -> tuple[str, str]:
    return ("ArrowRight", "echo 2") if i % 2 == 0 else ("ArrowLeft", "echo 1")


async def one_visitor(opened, step, moves: int, warmup: int = 2) -> dict:
    """One visitor alone: `moves` timed moves after `warmup` untimed ones."""
    session, thumb = opened
    runs = []
    for i in range(warmup + moves):
        key, expected = step(i)
        run = await session.move(thumb, key, expected)
        if i >= warmup:
            runs.append(run)
    problems = await session.problems()
    await session.close()
    return {"runs": runs, "problems": problems}


def move_figures(result: dict) -> dict:
    runs = result["runs"]
    pick = lambda name: [r[name] for r in runs]  # noqa: E731
    return {
        "latency_ms": summary(pick("latency_ms")),
        "key_to_send_ms": summary(pick("key_to_send_ms")),
        "send_to_last_frame_ms": summary(pick("send_to_last_frame_ms")),
        "bytes_per_move": summary(pick("bytes")),
        "bytes_per_move_in_page": summary(pick("bytes_in_page")),
        "frames_per_move": summary(pick("frames")),
        "problems": result["problems"],
    }


async def crowd(opener, step, server_pid: int, sessions: int, moves: int, bound_s: float):
    """`sessions` visitors open the page; once all are in, they all move sliders at once,
    each pressing its next key as soon as its previous move is on screen and the run is over.

    Every failure counts as an error: a page that does not open, a move whose numbers do not
    appear within TIMEOUT_MS, an exception or JavaScript error on a page, a closed websocket.
    """
    runs: list[dict] = []
    errors: list[str] = []
    opened: list[Session] = []
    arrived = 0
    ready = asyncio.Event()

    async def visitor(n: int) -> None:
        nonlocal arrived
        try:
            try:
                session, thumb = await opener(bound_s * 500)
                opened.append(session)
            finally:
                arrived += 1
            await ready.wait()
            for i in range(moves):
                key, expected = step(n, i)
                runs.append(await session.move(thumb, key, expected))
            errors.extend(f"visitor {n}: {p}" for p in await session.problems())
        except Exception as error:
            first_line = str(error).splitlines()[0] if str(error) else ""
            errors.append(f"visitor {n}: {type(error).__name__}: {first_line}")

    opening = time.monotonic()
    tasks = [asyncio.create_task(visitor(n)) for n in range(sessions)]
    while arrived < sessions and time.monotonic() - opening < bound_s / 2:
        await asyncio.sleep(0.1)
    cpu_before = cpu_by_part(server_pid)
    ready.set()
    start = time.monotonic()
    _done, pending = await asyncio.wait(tasks, timeout=bound_s)
    moving_s = time.monotonic() - start
    cpu_after = cpu_by_part(server_pid)
    for task in pending:
        task.cancel()
        errors.append("a visitor did not finish within the time bound")
    for session in opened:
        with contextlib.suppress(Exception):
            await session.close()
    latencies = [r["latency_ms"] for r in runs]
    server = [r["send_to_last_frame_ms"] for r in runs]
    return {
        "sessions": sessions,
        "moves_each": moves,
        "moves_timed": len(runs),
        "latency_ms": summary(latencies) if latencies else None,
        "send_to_last_frame_ms": summary(server) if server else None,
        "errors": errors,
        "open_s": start - opening,
        "moving_s": moving_s,
        "cpu_s": {k: cpu_after[k] - cpu_before[k] for k in cpu_after},
    }


async def bench_browser(args, catalog, log, loads: Loads) -> dict:
    from playwright.async_api import async_playwright

    results: dict = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            if "browser" in args.only or "crowd" in args.only:
                with (
                    served(APP, log) as (app_url, app_pid),
                    served(ECHO, log) as (echo_url, echo_pid),
                    served(CHART, log) as (chart_url, chart_pid),
                ):
                    warm = await Session.open(browser, app_url, "() => ''")  # first run, caches
                    await warm.close()
                    if "browser" in args.only:
                        await loads.start("moves")
                        echo = await one_visitor(
                            await open_echo(browser, echo_url), echo_step, args.moves
                        )
                        chart = await one_visitor(
                            await open_chart(browser, chart_url), chart_step, args.moves
                        )
                        app = await one_visitor(
                            await open_find(browser, app_url, catalog),
                            find_step(catalog),
                            args.moves,
                        )
                        results["moves"] = {
                            "find": move_figures(app),
                            "echo": move_figures(echo),
                            "chart": move_figures(chart),
                        }
                        loads.end("moves")
                    if "crowd" in args.only:
                        await loads.start("crowd")
                        steps = [find_step(catalog) for _ in range(args.sessions)]
                        crowds = {  # the two floors first, then the app
                            "crowd_echo": (
                                lambda t: open_echo(browser, echo_url, t, wire=False),
                                lambda _n, i: echo_step(i),
                                echo_pid,
                            ),
                            "crowd_chart": (
                                lambda t: open_chart(browser, chart_url, t, wire=False),
                                lambda _n, i: chart_step(i),
                                chart_pid,
                            ),
                            "crowd": (
                                lambda t: open_find(browser, app_url, catalog, t, wire=False),
                                lambda n, i: steps[n](i),
                                app_pid,
                            ),
                        }
                        for name, (opener, step, pid) in crowds.items():
                            results[name] = await crowd(
                                opener,
                                step,
                                pid,
                                args.sessions,
                                args.session_moves,
                                CROWD_BOUND_S,
                            )
                        loads.end("crowd")
            if "cold" in args.only:
                await loads.start("cold")
                results["cold"] = await cold_start(browser, args.cold, log)
                loads.end("cold")
        finally:
            await browser.close()
    return results


async def cold_start(browser, repeats: int, log) -> dict:
    """Launch the server, poll its health, open the Start page: until the h1 is visible."""
    totals, health = [], []
    for _ in range(repeats):
        context = await browser.new_context(viewport=VIEWPORT)
        page = await context.new_page()
        start = time.monotonic()
        process, url = launch(APP, log)
        try:
            await asyncio.to_thread(wait_healthy, process, url)
            healthy_at = time.monotonic()
            await page.goto(url, wait_until="commit")
            await page.locator("h1").first.wait_for(state="visible", timeout=60_000)
            totals.append((time.monotonic() - start) * 1000)
            health.append((healthy_at - start) * 1000)
        finally:
            await context.close()
            stop(process)
    return {"to_h1_ms": summary(totals), "to_health_ms": summary(health)}


# Report ----------------------------------------------------------------------------------------


def report(results: dict) -> str:
    lines = []
    if "load" in results:
        parts = ", ".join(
            f"{part} {load['start']:.1f} -> {load.get('end', math.nan):.1f}"
            for part, load in results["load"].items()
        )
        lines.append(
            f"{results['when']}, {results['cpus']} CPUs; 1-minute load average at the start "
            f"and end of each part: {parts}"
        )
    if "rerun" in results:
        r = results["rerun"]
        n = r["floor"]["n"]
        lines.append(f"Server rerun after a widget change (AppTest, median of {n}, interleaved):")
        for name, row in r.items():
            lines.append(
                f"  {name:8s} {row['median']:7.1f} ms  p95 {row['p95']:7.1f} ms  "
                f"{row['ratio_to_floor']:5.1f}x floor   {row['what']}"
            )
    if "moves" in results:
        m = results["moves"]
        n = m["find"]["latency_ms"]["n"]
        lines.append(f"Slider to chart in Chromium (keyboard, {n} moves each):")
        for name in ("echo", "chart", "find"):
            if name not in m:
                continue
            row = m[name]
            lat, bts = row["latency_ms"], row["bytes_per_move"]
            lines.append(
                f"  {name:5s} median {lat['median']:6.1f} ms  p95 {lat['p95']:6.1f} ms  "
                f"(key->send {row['key_to_send_ms']['median']:.1f} ms, send->last frame "
                f"{row['send_to_last_frame_ms']['median']:.1f} ms)  "
                f"{bts['median'] / 1000:6.1f} KB/move in {row['frames_per_move']['median']:.0f} "
                f"frames  problems: {row['problems'] or 'none'}"
            )
        ratio = m["find"]["latency_ms"]["median"] / m["echo"]["latency_ms"]["median"]
        lines.append(f"  find / echo (median)  {ratio:.1f}x")
        if "chart" in m:
            ratio = m["find"]["latency_ms"]["median"] / m["chart"]["latency_ms"]["median"]
            lines.append(f"  find / chart (median) {ratio:.1f}x")
    if "cold" in results:
        c = results["cold"]
        lines.append(
            f"Cold start, launch to Start page h1 visible (median of {c['to_h1_ms']['n']}): "
            f"{c['to_h1_ms']['median'] / 1000:.2f} s (health check answers at "
            f"{c['to_health_ms']['median'] / 1000:.2f} s)"
        )
    for name, what in (
        ("crowd_echo", "echo page (floor)"),
        ("crowd_chart", "one-chart page (floor)"),
        ("crowd", "Find my massage"),
    ):
        if name not in results:
            continue
        c = results[name]
        lat, srv = c["latency_ms"], c["send_to_last_frame_ms"]
        figure = (
            f"p95 {lat['p95']:6.0f} ms, median {lat['median']:6.0f} ms "
            f"(send->last frame median {srv['median']:.0f} ms)"
            if lat
            else "no move timed"
        )
        per_move = {k: v / max(c["moves_timed"], 1) * 1000 for k, v in c["cpu_s"].items()}
        lines.append(
            f"{c['sessions']} visitors moving at once, {what}: {figure}; "
            f"errors {len(c['errors'])}; CPU per move: Chromium {per_move['chromium']:.0f} ms, "
            f"server {per_move['server']:.0f} ms, harness {per_move['harness']:.0f} ms"
            + (f"\n    {c['errors'][:5]}" if c["errors"] else "")
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="latest", help="names bench/out/latency-LABEL.json")
    parser.add_argument("--only", default="rerun,browser,cold,crowd")
    parser.add_argument("--reruns", type=int, default=40)
    parser.add_argument("--moves", type=int, default=40)
    parser.add_argument("--cold", type=int, default=5)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--session-moves", type=int, default=10)
    parser.add_argument(
        "--quiet-below", type=float, default=1.5, help="wait for a 1-minute load below this"
    )
    parser.add_argument("--quiet-wait", type=float, default=300, help="but no longer (seconds)")
    args = parser.parse_args()
    args.only = set(args.only.split(","))

    OUT.mkdir(parents=True, exist_ok=True)
    catalog = load_catalog()
    loads = Loads(args.quiet_below, args.quiet_wait)
    results: dict = {
        "label": args.label,
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "cpus": os.cpu_count(),
        "load": loads.parts,
    }
    if "rerun" in args.only:
        asyncio.run(loads.start("rerun"))
        results["rerun"] = bench_reruns(args.reruns)
        loads.end("rerun")
        print(report({"rerun": results["rerun"]}), flush=True)
    if args.only & {"browser", "cold", "crowd"}:
        with (OUT / "latency-servers.log").open("w") as log:
            browser_results = asyncio.run(bench_browser(args, catalog, log, loads))
        results.update(browser_results)
        print(report(browser_results), flush=True)
    path = OUT / f"latency-{args.label}.json"
    path.write_text(json.dumps(results, indent=2))
    (OUT / f"latency-{args.label}.txt").write_text(report(results) + "\n")
    print(f"saved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
