"""Part 2: the three pages a visitor opens (Find my massage and the two floors), the moves
made on each (the three visitors in turn), and one visitor's figures (latency and bytes on
the wire per move)."""

from __future__ import annotations

import re
from collections.abc import Callable

from advisor.decision.scoring import score
from bench.latency.measures import summary
from bench.latency.session import TIMEOUT_MS, WATCH_CHART, WATCH_ECHO, Session

TURN = 5  # timed moves on one page before the next page's turn
SLIDER = "pain_relief"  # 1 in the unwind preset: ArrowRight makes it 2, ArrowLeft 1 again


def find_labels(catalog, weights: dict[str, int]) -> str:
    return "|".join(f"{m:.0f}%" for _, m in score(weights, catalog.fits).ranking())


def slider_thumb(page, label: str):
    name = re.escape(label)
    return page.get_by_role("slider", name=re.compile(rf"^{name}(?: {name})?$"))


async def _open(
    browser,
    url: str,
    watch: str,
    shown: str,
    slider: str,
    timeout_ms: float,
    wire: bool,
    heading: bool,
):
    """A visitor once the watched text reads `shown`, with the keyboard on the slider `slider`."""
    session = await Session.open(browser, url, watch, timeout_ms, heading=heading, wire=wire)
    await session.until("t => window.__watch() === t", shown, timeout_ms=timeout_ms)
    thumb = slider_thumb(session.page, slider)
    await thumb.focus()
    return session, thumb


async def open_find(browser, url: str, catalog, timeout_ms: float = TIMEOUT_MS, wire: bool = True):
    """A visitor on /find?preset=unwind once its match chart shows the preset's numbers,
    with the keyboard on the slider that the moves change."""
    weights = {cid: int(w) for cid, w in catalog.preset_weights.loc["unwind"].items()}
    assert weights[SLIDER] == 1
    shown = find_labels(catalog, weights)
    label = catalog.criterion_label(SLIDER)
    find = f"{url}/find?preset=unwind"
    return await _open(browser, find, WATCH_CHART, shown, label, timeout_ms, wire, heading=True)


async def open_echo(browser, url: str, timeout_ms: float = TIMEOUT_MS, wire: bool = True):
    """A visitor on the echo page (the floor) once it echoes the slider's 1."""
    return await _open(browser, url, WATCH_ECHO, "echo 1", "Value", timeout_ms, wire, heading=False)


async def open_chart(browser, url: str, timeout_ms: float = TIMEOUT_MS, wire: bool = True):
    """A visitor on the one-chart page (the floor) once its bars read 10% and 90%."""
    return await _open(
        browser, url, WATCH_CHART, "10%|90%", "Value", timeout_ms, wire, heading=False
    )


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


async def visitors_in_turn(
    opened: dict[str, tuple],
    steps: dict[str, Callable[[int], tuple[str, str]]],
    moves: int,
    block: int = TURN,
    warmup: int = 2,
) -> dict[str, dict]:
    """Several visitors, one page each, moving in turn: `warmup` untimed moves each, then
    `block` timed moves on each page in turn until each has made `moves`, so that a drift in
    the machine's speed during the run falls on the floor pages and Find my massage alike
    (docs/performance.md, Latency, 2026-12-07)."""
    runs: dict[str, list] = {name: [] for name in opened}
    made = dict.fromkeys(opened, 0)

    async def move(name: str, timed: bool) -> None:
        session, thumb = opened[name]
        key, expected = steps[name](made[name])
        made[name] += 1
        run = await session.move(thumb, key, expected)
        if timed:
            runs[name].append(run)

    for name in opened:
        for _ in range(warmup):
            await move(name, timed=False)
    for done in range(0, moves, block):
        for name in opened:
            for _ in range(min(block, moves - done)):
                await move(name, timed=True)
    results = {}
    for name, (session, _thumb) in opened.items():
        results[name] = {"runs": runs[name], "problems": await session.problems()}
        await session.close()
    return results


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
