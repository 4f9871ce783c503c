"""Capacity of one app instance, measured in the server, driven by protocol-light visitors.

Each visitor is a websocket client speaking Streamlit's own protocol (streamlit.proto BackMsg
and ForwardMsg over /_stcore/stream), the way the browser does: it opens a page with a
rerun_script BackMsg, learns the sliders from the deltas, and moves one by sending the widget
states (and the fragment id, for a slider inside a fragment) in another rerun_script. An
interaction ends with the server's script_finished message. No browser is started, so the
visitors' own CPU (reported beside every figure) does not compete with the server's.

Three figures, the first two beside the floor measured in the same run (bench/latency_echo.py,
one slider whose value is echoed):
1. server CPU per interaction, per page: utime + stime of the streamlit process from
   /proc/<pid>/stat, over sequential interactions of one visitor, divided by their number;
2. interactions per second one instance sustains at p95 under 1 s: many visitors move sliders
   at a rising offered rate; the highest rate whose p95 stays under 1 s, with no errors;
3. overload: twice that rate on Find my massage, with more visitors arriving during it and
   every visitor pressing "Send my anonymous priorities" once: what a visitor waits (p50, p95,
   longest), whether anything errors (a move or an opening not finished within a minute, a
   closed websocket, an exception, an answer that could not be sent), how many "busy" notices
   the app gave, and the answers confirmed to visitors against the rows the store holds.

Run: .venv/bin/python bench/capacity.py [--label NAME]   (results in bench/out/)
     .venv/bin/python bench/capacity.py --overload-only --rate R   (figure 3 alone, at 2 x R)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from advisor.answers.store import AnswerStore  # noqa: E402
from deploy.cluster import CHECK_TIMEOUT_S, free_port, healthy  # noqa: E402

OUT = ROOT / "bench" / "out"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
P95_TARGET_S = 1.0
GIVE_UP_S = 60.0  # a visitor who waits longer than this for a move or a page has given up
SEND = "Send my anonymous priorities"
SENT = ("Sent, thank you.", "Updated: the clinic now has")
# (name, script, page name, query string, label of the slider moved; None: no slider)
PAGES = [
    ("echo (floor)", "bench/latency_echo.py", "", "", "Value"),
    ("Find my massage", "app.py", "find", "preset=unwind&certainty=high", "Pain relief"),
    ("Position my clinic", "app.py", "clinic", "", "Unserved below this best match (%)"),
    ("Compare", "app.py", "compare", "", None),
    ("Start", "app.py", "", "", None),
    ("Method and sources", "app.py", "method", "", None),
]


@dataclass
class Slider:
    widget_id: str
    value: float
    low: float
    high: float
    step: float
    fragment_id: str


@dataclass
class Visitor:
    """One websocket session on one page: open it, then move one slider back and forth, or
    press a button. Each run's alerts (kind, text) and exceptions are kept in `alerts`."""

    port: int
    page: str
    query: str
    sliders: dict[str, Slider] = field(default_factory=dict)
    buttons: dict[str, tuple[str, str]] = field(default_factory=dict)  # label: (id, fragment)
    alerts: list[tuple[str, str]] = field(default_factory=list)
    ws: websockets.ClientConnection | None = None

    async def open(self) -> float:
        """Connect and run the page; seconds until script_finished."""
        self.ws = await websockets.connect(
            f"ws://127.0.0.1:{self.port}/_stcore/stream",
            subprotocols=["streamlit"],
            max_size=None,
        )
        return await self._rerun(fragment_id="")

    async def move(self, label: str) -> float:
        """Move the slider labelled label one step (bouncing at its ends); seconds to finish."""
        slider = self.sliders[label]
        step = slider.step if slider.value < slider.high else -slider.step
        slider.value = min(max(slider.value + step, slider.low), slider.high)
        return await self._rerun(slider.fragment_id)

    async def press(self, label: str) -> float:
        """Press the button labelled label (a click, as the browser sends it); seconds to finish."""
        widget_id, fragment_id = self.buttons[label]
        return await self._rerun(fragment_id, trigger=widget_id)

    async def _rerun(self, fragment_id: str, trigger: str | None = None) -> float:
        message = BackMsg()
        state = message.rerun_script
        state.page_name, state.query_string, state.fragment_id = self.page, self.query, fragment_id
        for slider in self.sliders.values():
            widget = state.widget_states.widgets.add()
            widget.id = slider.widget_id
            widget.double_array_value.data.append(slider.value)
        if trigger is not None:
            widget = state.widget_states.widgets.add()
            widget.id, widget.trigger_value = trigger, True
        self.alerts = []
        started = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        await self._until_finished()
        return time.perf_counter() - started

    async def _until_finished(self) -> None:
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await self.ws.recv())
            kind = forward.WhichOneof("type")
            if kind == "script_finished":
                return
            if kind != "delta":
                continue
            element = forward.delta.new_element
            shown = element.WhichOneof("type")
            if shown == "slider":
                self._learn(element.slider, forward.delta.fragment_id)
            elif shown == "button":
                self.buttons[element.button.label] = (element.button.id, forward.delta.fragment_id)
            elif shown == "alert":
                self.alerts.append((Alert.Format.Name(element.alert.format), element.alert.body))
            elif shown == "exception":
                self.alerts.append(("EXCEPTION", element.exception.message))

    def _learn(self, element, fragment_id: str) -> None:
        if element.label in self.sliders:
            return
        value = (element.value if element.set_value else element.default)[0]
        self.sliders[element.label] = Slider(
            element.id, value, element.min, element.max, element.step or 1, fragment_id
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


def cpu_seconds(pid: int) -> float:
    """utime + stime of process pid (all its threads), from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def serve(script: str, log_dir: Path) -> tuple[subprocess.Popen, int]:
    """`streamlit run script` on a free port, waited on until healthy."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{log_dir / 'bench.sqlite3'}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=(log_dir / f"{Path(script).stem}.log").open("w"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 90
    while not healthy(port):
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError(f"{script} did not start: see {log_dir}")
        time.sleep(0.3)
    return process, port


async def cpu_per_interaction(pid: int, port: int, page: tuple, repeats: int) -> dict:
    """Median wall time and mean server CPU per open and per slider move, one visitor at a time."""
    name, _script, page_name, query, label = page
    result = {"page": name}
    for action in ("open", "move") if label else ("open",):
        visitor = Visitor(port, page_name, query)
        await visitor.open()
        walls, cpu_before, client_before = [], cpu_seconds(pid), time.process_time()
        for _ in range(repeats):
            if action == "open":
                await visitor.close()
                visitor = Visitor(port, page_name, query)
                walls.append(await visitor.open())
            else:
                walls.append(await visitor.move(label))
        result[action] = {
            "server_cpu_ms": 1000 * (cpu_seconds(pid) - cpu_before) / repeats,
            "client_cpu_ms": 1000 * (time.process_time() - client_before) / repeats,
            "median_ms": 1000 * statistics.median(walls),
        }
        await visitor.close()
    return result


async def load_level(
    server: tuple[int, int], page: tuple, visitors: int, rate: float, seconds: float
) -> dict:
    """`visitors` sessions moving one slider at `rate` moves per second in all, for `seconds`.

    Each visitor moves every visitors/rate seconds (random phase); a visitor whose last move is
    not finished waits for it, as a person at a browser does.
    """
    pid, port = server
    _name, _script, page_name, query, label = page
    crowd = [Visitor(port, page_name, query) for _ in range(visitors)]
    for visitor in crowd:
        await visitor.open()
    latencies: list[float] = []
    errors = 0
    interval = visitors / rate
    stop_at = time.perf_counter() + seconds
    client_before, server_before = time.process_time(), cpu_seconds(pid)

    async def _run(visitor: Visitor) -> None:
        nonlocal errors
        next_at = time.perf_counter() + random.uniform(0, interval)
        while next_at < stop_at:
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            try:
                latencies.append(await asyncio.wait_for(visitor.move(label), timeout=10))
            except (TimeoutError, websockets.WebSocketException):
                errors += 1
                return
            next_at += interval

    started = time.perf_counter()
    await asyncio.gather(*(_run(v) for v in crowd))
    elapsed = time.perf_counter() - started
    server_cpu = cpu_seconds(pid) - server_before
    for visitor in crowd:
        await visitor.close()
    ordered = sorted(latencies) or [math.inf]
    return {
        "offered_per_s": rate,
        "done_per_s": len(latencies) / elapsed,
        "p50_ms": 1000 * ordered[len(ordered) // 2],
        "p95_ms": 1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
        "errors": errors,
        "server_cpu_ms": 1000 * server_cpu / max(1, len(latencies)),
        "server_cpu_share": server_cpu / elapsed,
        "client_cpu_ms": 1000 * (time.process_time() - client_before) / max(1, len(latencies)),
        "loadavg_1min": os.getloadavg()[0],
    }


async def sustained(server: tuple[int, int], page: tuple, visitors: int, seconds: float) -> dict:
    """Raise the offered rate by half each step until p95 reaches 1 s, or the instance no
    longer keeps up (completes under 80% of what is offered: the visitors wait on it, so p95
    alone would not rise). The figure is the most moves per second done at p95 under 1 s."""
    rate, levels = 2.0, []
    while True:
        level = await load_level(server, page, visitors, rate, seconds)
        levels.append(level)
        print(f"  {page[0]}: {json.dumps(level)}", flush=True)
        if level["p95_ms"] >= 1000 * P95_TARGET_S or level["errors"]:
            break
        if level["done_per_s"] < 0.8 * rate:
            break
        rate *= 1.5
    good = [lv for lv in levels if lv["p95_ms"] < 1000 * P95_TARGET_S and not lv["errors"]]
    best = max(good, key=lambda lv: lv["done_per_s"]) if good else None
    return {"page": page[0], "best": best, "levels": levels}


async def overload(
    server: tuple[int, int], db_url: str, visitors: int, rate: float, seconds: float
) -> dict:
    """Find my massage at `rate` moves per second (twice what one instance sustains), and what
    the visitors meet.

    Three quarters of the visitors are on the page when it starts; the rest arrive one by one
    during its first half and open the page while the instance is overloaded. Each visitor moves
    a slider every visitors/rate seconds (waiting for its last move, as a person does), and
    presses Send once, at a random moment. A visitor who waits over GIVE_UP_S for anything has
    given up (an error) and leaves. Answers confirmed ("Sent, thank you.") are compared with
    the rows the instance's store gained.
    """
    pid, port = server
    _name, _script, page_name, query, label = PAGES[1]
    store = AnswerStore(db_url)
    stored_before = store.count()
    interval = visitors / rate
    late = visitors // 4
    crowd = [Visitor(port, page_name, query) for _ in range(visitors)]
    for visitor in crowd[: visitors - late]:
        await visitor.open()
    moves: list[float] = []
    opens: list[float] = []
    presses: list[float] = []
    errors: dict[str, int] = {}
    tally = {"busy": 0, "confirmed": 0}
    started = time.perf_counter()
    stop_at = started + seconds
    server_before = cpu_seconds(pid)

    def error(kind: str) -> None:
        errors[kind] = errors.get(kind, 0) + 1

    def read(visitor: Visitor, pressed: bool) -> None:
        texts = [text for _kind, text in visitor.alerts]
        tally["busy"] += sum("busy" in text.lower() for text in texts)
        if any(kind == "EXCEPTION" for kind, _text in visitor.alerts):
            error("exception on the page")
        if any("could not be sent" in text for text in texts):
            error("answer not sent")
        elif pressed and any(text.startswith(SENT) for text in texts):
            tally["confirmed"] += 1
        elif pressed:
            error("send not confirmed")

    async def _run(visitor: Visitor, arrive_at: float | None) -> None:
        try:
            if arrive_at is not None:
                await asyncio.sleep(max(0.0, arrive_at - time.perf_counter()))
                opens.append(await asyncio.wait_for(visitor.open(), GIVE_UP_S))
                read(visitor, pressed=False)
            next_at = time.perf_counter() + random.uniform(0, interval)
            send_at = random.uniform(next_at, stop_at)
            while next_at < stop_at:
                await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
                pressed = next_at >= send_at and SEND in visitor.buttons
                if pressed:
                    presses.append(await asyncio.wait_for(visitor.press(SEND), GIVE_UP_S))
                    send_at = math.inf
                else:
                    moves.append(await asyncio.wait_for(visitor.move(label), GIVE_UP_S))
                read(visitor, pressed)
                next_at = max(next_at + interval, time.perf_counter())
            if send_at != math.inf and SEND in visitor.buttons:  # its moment fell at the end
                presses.append(await asyncio.wait_for(visitor.press(SEND), GIVE_UP_S))
                read(visitor, pressed=True)
        except TimeoutError:
            error(f"gave up after {GIVE_UP_S:.0f} s")
        except websockets.WebSocketException:
            error("connection closed")

    async def _health() -> None:  # what the cluster's watcher would see meanwhile
        loop = asyncio.get_running_loop()
        while time.perf_counter() < stop_at:
            before = time.perf_counter()
            answered = await loop.run_in_executor(None, healthy, port, GIVE_UP_S)
            health.append(time.perf_counter() - before if answered else math.inf)
            await asyncio.sleep(0.5)

    health: list[float] = []
    arrivals = [None] * (visitors - late) + [
        started + (n + 1) * seconds / 2 / (late + 1) for n in range(late)
    ]
    await asyncio.gather(_health(), *(_run(v, at) for v, at in zip(crowd, arrivals, strict=True)))
    elapsed = time.perf_counter() - started
    server_cpu = cpu_seconds(pid) - server_before
    for visitor in crowd:
        await visitor.close()
    stored = store.count() - stored_before
    store.engine.dispose()
    return {
        "offered_per_s": rate,
        "visitors": visitors,
        "arrived_during": late,
        "done_per_s": (len(moves) + len(presses)) / elapsed,
        "move": _spread(moves),
        "open_while_overloaded": _spread(opens),
        "send": _spread(presses),
        "health_check": _spread(health),
        "health_checks_over_1s": sum(wait > CHECK_TIMEOUT_S for wait in health),
        "errors": errors,
        "busy_notices": tally["busy"],
        "answers_confirmed": tally["confirmed"],
        "answers_stored": stored,
        "server_cpu_share": server_cpu / elapsed,
        "loadavg_1min": os.getloadavg()[0],
    }


def _spread(seconds: list[float]) -> dict:
    """Count, p50, p95 and longest of a list of waits, in milliseconds."""
    ordered = sorted(seconds) or [math.nan]
    return {
        "count": len(seconds),
        "p50_ms": 1000 * ordered[len(ordered) // 2],
        "p95_ms": 1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
        "max_ms": 1000 * ordered[-1],
    }


def instances_table(rates: dict[str, float], think_s: float, crowds: list[int]) -> list[dict]:
    """Instances needed for each crowd of concurrent visitors, each moving a slider every
    think_s seconds, for each named rate (moves per second one instance sustains)."""
    return [
        {"visitors": n, **{name: math.ceil(n / (rate * think_s)) for name, rate in rates.items()}}
        for n in crowds
    ]


async def measure(args) -> dict:
    log_dir = Path(tempfile.mkdtemp(prefix="capacity-"))
    scripts = ("app.py",) if args.overload_only else ("bench/latency_echo.py", "app.py")
    servers = {script: serve(script, log_dir) for script in scripts}
    db_url = f"sqlite:///{log_dir / 'bench.sqlite3'}"
    try:
        for _name, script, page_name, query, _label in PAGES:  # warm every page once
            if script in servers:
                warm = Visitor(servers[script][1], page_name, query)
                await warm.open()
                await warm.close()
        app = (servers["app.py"][0].pid, servers["app.py"][1])
        if args.overload_only:
            rate = 2 * args.rate
            crowd = overload_crowd(args, rate)
            return {"overload": await overload(app, db_url, crowd, rate, args.overload_seconds)}
        cpu = [
            await cpu_per_interaction(servers[p[1]][0].pid, servers[p[1]][1], p, args.repeats)
            for p in PAGES
        ]
        for row in cpu:
            print(json.dumps(row), flush=True)
        loads = [
            await sustained(
                (servers[p[1]][0].pid, servers[p[1]][1]), p, args.visitors, args.seconds
            )
            for p in PAGES[:2]
        ]
        best = loads[1]["best"]
        over = None
        if best is not None:
            rate = 2 * best["done_per_s"]
            crowd = overload_crowd(args, rate)
            over = await overload(app, db_url, crowd, rate, args.overload_seconds)
            print(f"  overload: {json.dumps(over)}", flush=True)
    finally:
        for process, _port in servers.values():
            process.terminate()
            process.wait(timeout=20)
    rates = {"measured": best["done_per_s"] if best else math.nan,
             "cpu_bound": 1000 / cpu[1]["move"]["server_cpu_ms"]}  # fmt: skip
    table = instances_table(rates, args.think, args.crowds)
    return {
        "cpu": cpu, "load": loads, "overload": over, "rates": rates, "think_s": args.think,
        "table": table,
    }  # fmt: skip


def overload_crowd(args, rate: float) -> int:
    """Visitors at the overload: --overload-visitors, or as many as move a slider every
    --overload-think seconds each at that rate (people, not a few very fast clients)."""
    return args.overload_visitors or max(4, math.ceil(rate * args.overload_think))


def overload_report(over: dict | None) -> str:
    """The overload figures as a markdown table, or a line saying why there are none."""
    if over is None:
        return "overload: not measured (no sustained rate was found)"
    errors = ", ".join(f"{n} {kind}" for kind, n in over["errors"].items()) or "none"
    rows = [
        ("offered (twice the sustained rate)", f"{over['offered_per_s']:.1f} moves/s"),
        ("done", f"{over['done_per_s']:.1f} moves/s"),
        ("visitors (arrived during the overload)",
         f"{over['visitors']} ({over['arrived_during']})"),
    ]  # fmt: skip
    waits = [
        ("a move", "move"),
        ("opening the page while overloaded", "open_while_overloaded"),
        ("pressing Send", "send"),
        ("/_stcore/health", "health_check"),
    ]
    for name, key in waits:
        spread = over[key]
        figures = f"{spread['p50_ms']:.0f} / {spread['p95_ms']:.0f} / {spread['max_ms']:.0f} ms"
        rows.append((f"{name}: p50 / p95 / longest ({spread['count']})", figures))
    rows += [
        ("health checks over the watcher's 1 s", str(over["health_checks_over_1s"])),
        ("errors", errors),
        ("busy notices shown", str(over["busy_notices"])),
        ("answers confirmed to visitors / rows stored",
         f"{over['answers_confirmed']} / {over['answers_stored']}"),
        ("server CPU (share of a core); load average",
         f"{over['server_cpu_share']:.0%}; {over['loadavg_1min']:.1f}"),
    ]  # fmt: skip
    return "\n".join(["| overload, Find my massage | |", "|---|---|"]
                     + [f"| {name} | {value} |" for name, value in rows])  # fmt: skip


def report(results: dict) -> str:
    """The results as markdown tables."""
    floor = results["cpu"][0]
    lines = ["| page, interaction | server CPU | wall, median | visitor's CPU | floor (echo) |",
             "|---|---|---|---|---|"]  # fmt: skip
    for row in results["cpu"]:
        for action in ("open", "move"):
            if action in row:
                figure, base = row[action], floor[action]
                lines.append(
                    f"| {row['page']}, {action} | {figure['server_cpu_ms']:.1f} ms "
                    f"| {figure['median_ms']:.1f} ms | {figure['client_cpu_ms']:.1f} ms "
                    f"| {base['server_cpu_ms']:.1f} ms CPU, {base['median_ms']:.1f} ms |"
                )
    lines += [
        "",
        "| page | moves/s at p95 < 1 s | p50 | p95 | server CPU per move (share of a core) "
        "| visitor's CPU per move | load average |",
        "|---|---|---|---|---|---|---|",
    ]
    for load in results["load"]:
        best = load["best"]
        if best is None:
            lines.append(f"| {load['page']} | not reached at 2/s | | | | | |")
            continue
        lines.append(
            f"| {load['page']} | {best['done_per_s']:.1f} | {best['p50_ms']:.0f} ms "
            f"| {best['p95_ms']:.0f} ms | {best['server_cpu_ms']:.1f} ms "
            f"({best['server_cpu_share']:.0%}) | {best['client_cpu_ms']:.2f} ms "
            f"| {best['loadavg_1min']:.1f} |"
        )
    rates = results["rates"]
    lines += ["", f"| concurrent visitors (a move every {results['think_s']:.0f} s) "
              f"| instances at the measured {rates['measured']:.1f} moves/s "
              f"| instances at one core's {rates['cpu_bound']:.0f} moves/s |",
              "|---|---|---|"]  # fmt: skip
    lines += [f"| {r['visitors']} | {r['measured']} | {r['cpu_bound']} |" for r in results["table"]]
    return "\n".join([*lines, "", overload_report(results["overload"])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="latest")
    parser.add_argument("--repeats", type=int, default=30, help="interactions per CPU figure")
    parser.add_argument("--visitors", type=int, default=40, help="sessions in the load test")
    parser.add_argument("--seconds", type=float, default=12.0, help="length of each load level")
    parser.add_argument(
        "--think", type=float, default=10.0, help="seconds between a visitor's moves"
    )
    parser.add_argument("--crowds", type=int, nargs="+", default=[10, 50, 100, 500, 1000])
    parser.add_argument("--overload-visitors", type=int, help="sessions at 2x (else by think)")
    parser.add_argument(
        "--overload-think", type=float, default=5.0, help="seconds between a visitor's moves at 2x"
    )
    parser.add_argument("--overload-seconds", type=float, default=40.0, help="length at 2x")
    parser.add_argument(
        "--overload-only", action="store_true", help="only the overload, at twice --rate"
    )
    parser.add_argument(
        "--rate", type=float, help="moves/s one instance sustains (--overload-only)"
    )
    args = parser.parse_args()
    if args.overload_only and not args.rate:
        parser.error("--overload-only needs --rate (moves per second one instance sustains)")
    load_before = os.getloadavg()
    results = asyncio.run(measure(args))
    results["loadavg_before"] = load_before
    results["cpus"] = os.cpu_count()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"capacity-{args.label}.json").write_text(json.dumps(results, indent=2))
    text = overload_report(results["overload"]) if args.overload_only else report(results)
    (OUT / f"capacity-{args.label}.md").write_text(text + "\n")
    print(f"\nload average before: {load_before}, {os.cpu_count()} CPUs\n{text}")


if __name__ == "__main__":
    main()
