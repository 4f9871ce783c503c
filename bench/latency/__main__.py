"""`python -m bench.latency`: run the parts the command line asks for, print and save them."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from dataclasses import dataclass

import bench.latency
from advisor.catalog import load_catalog
from bench.latency.cold import cold_start
from bench.latency.crowd import CROWD_BOUND_S, crowd
from bench.latency.measures import Loads
from bench.latency.report import report
from bench.latency.reruns import bench_reruns
from bench.latency.session import Session
from bench.latency.visitors import (
    chart_step,
    echo_step,
    find_step,
    move_figures,
    open_chart,
    open_echo,
    open_find,
    visitors_in_turn,
)
from devtools.browser import CHROMIUM, CHROMIUM_ARGS
from devtools.serving import APP, ROOT, served

OUT = ROOT / "bench" / "out"
ECHO = ROOT / "bench" / "latency_echo.py"
CHART = ROOT / "bench" / "latency_chart.py"


@dataclass(frozen=True)
class Served:
    """The three servers of the browser parts: the app and the two floor pages."""

    app: tuple[str, int]  # (base URL, server process id)
    echo: tuple[str, int]
    chart: tuple[str, int]


async def moves_part(browser, servers: Served, catalog, moves: int) -> dict:
    """Part 2: one visitor on each floor page and one on Find my massage, moving in turn."""
    opened = {
        "echo": await open_echo(browser, servers.echo[0]),
        "chart": await open_chart(browser, servers.chart[0]),
        "find": await open_find(browser, servers.app[0], catalog),
    }
    steps = {"echo": echo_step, "chart": chart_step, "find": find_step(catalog)}
    results = await visitors_in_turn(opened, steps, moves)
    return {name: move_figures(result) for name, result in results.items()}


async def crowd_part(browser, servers: Served, catalog, sessions: int, moves: int) -> dict:
    """Part 4: the crowd on the two floor pages first, then on Find my massage."""
    steps = [find_step(catalog) for _ in range(sessions)]
    (echo_url, echo_pid), (chart_url, chart_pid) = servers.echo, servers.chart
    app_url, app_pid = servers.app
    crowds = {
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
    return {
        name: await crowd(opener, step, pid, sessions, moves, CROWD_BOUND_S)
        for name, (opener, step, pid) in crowds.items()
    }


async def served_parts(browser, args, catalog, log, loads: Loads) -> dict:
    """Parts 2 and 4, with the app and the floor pages served for the whole of both."""
    results: dict = {}
    with served(APP, log) as app, served(ECHO, log) as echo, served(CHART, log) as chart:
        servers = Served(app, echo, chart)
        warm = await Session.open(browser, app[0], "() => ''")  # the first run fills caches
        await warm.close()
        if "browser" in args.only:
            await loads.start("moves")
            results["moves"] = await moves_part(browser, servers, catalog, args.moves)
            loads.end("moves")
        if "crowd" in args.only:
            await loads.start("crowd")
            results |= await crowd_part(
                browser, servers, catalog, args.sessions, args.session_moves
            )
            loads.end("crowd")
    return results


async def bench_browser(args, catalog, log, loads: Loads) -> dict:
    """Every part that needs Chromium, in one browser."""
    from playwright.async_api import async_playwright

    results: dict = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            if args.only & {"browser", "crowd"}:
                results |= await served_parts(browser, args, catalog, log, loads)
            if "cold" in args.only:
                await loads.start("cold")
                results["cold"] = await cold_start(browser, args.cold, log)
                loads.end("cold")
        finally:
            await browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.latency",
        description=bench.latency.__doc__.splitlines()[0],
        epilog="Results go to bench/out/latency-LABEL.json and .txt.",
    )
    parser.add_argument("--label", default="latest", help="names bench/out/latency-LABEL.json")
    parser.add_argument(
        "--only", default="rerun,browser,cold,crowd", help="the parts to run, comma-separated"
    )
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
