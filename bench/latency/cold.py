"""Part 3: cold start, from launching the server to the Start page's heading on screen, beside
the same for a page with one heading (bench/latency_title.py): Streamlit's own start, the floor.

The two are launched in turn, repeat by repeat, so machine noise falls on both alike; the ratio
of the medians is the figure that holds across machines."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bench.latency.measures import summary
from bench.latency.session import VIEWPORT
from devtools.serving import APP, ROOT, launch, stop, wait_healthy

FLOOR = ROOT / "bench" / "latency_title.py"


async def _launch_to_h1(browser, script: Path, log) -> tuple[float, float]:
    """Launch `script`'s server, poll its health, open its first page until the h1 is visible:
    (ms to the h1, ms to a healthy server), both from the launch."""
    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    start = time.monotonic()
    process, url = launch(script, log)
    try:
        await asyncio.to_thread(wait_healthy, process, url, poll_s=0.02)
        healthy_at = time.monotonic()
        await page.goto(url, wait_until="commit")
        await page.locator("h1").first.wait_for(state="visible", timeout=60_000)
        return (time.monotonic() - start) * 1000, (healthy_at - start) * 1000
    finally:
        await context.close()
        stop(process)


async def cold_start(browser, repeats: int, log) -> dict:
    """`repeats` cold starts of the floor page and of the app, in turn: medians and the ratio."""
    app, floor = [], []
    for _ in range(repeats):
        floor.append(await _launch_to_h1(browser, FLOOR, log))
        app.append(await _launch_to_h1(browser, APP, log))
    result = {
        "to_h1_ms": summary([h1 for h1, _ in app]),
        "to_health_ms": summary([health for _, health in app]),
        "floor_to_h1_ms": summary([h1 for h1, _ in floor]),
    }
    result["ratio_to_floor"] = result["to_h1_ms"]["median"] / result["floor_to_h1_ms"]["median"]
    return result
