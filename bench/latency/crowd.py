"""Part 4: many visitors moving sliders at once on one page."""

from __future__ import annotations

import asyncio
import contextlib
import time

from bench.latency.measures import cpu_by_part, summary
from bench.latency.session import Session

CROWD_BOUND_S = 240  # the most a crowd may take to open its pages, then again to move


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
