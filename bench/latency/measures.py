"""Figures of a part: percentiles, the machine's load before and after it, CPU per process."""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import statistics
import time
from pathlib import Path


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
