"""Part 3: cold start, from launching the server to the Start page's heading on screen."""

from __future__ import annotations

import asyncio
import time

from bench.latency.measures import summary
from bench.latency.session import VIEWPORT
from devtools.serving import APP, launch, stop, wait_healthy


async def cold_start(browser, repeats: int, log) -> dict:
    """Launch the server, poll its health, open the Start page: until the h1 is visible."""
    totals, health = [], []
    for _ in range(repeats):
        context = await browser.new_context(viewport=VIEWPORT)
        page = await context.new_page()
        start = time.monotonic()
        process, url = launch(APP, log)
        try:
            await asyncio.to_thread(wait_healthy, process, url, poll_s=0.02)
            healthy_at = time.monotonic()
            await page.goto(url, wait_until="commit")
            await page.locator("h1").first.wait_for(state="visible", timeout=60_000)
            totals.append((time.monotonic() - start) * 1000)
            health.append((healthy_at - start) * 1000)
        finally:
            await context.close()
            stop(process)
    return {"to_h1_ms": summary(totals), "to_health_ms": summary(health)}
