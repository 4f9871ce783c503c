"""Part 2's instrument: one visitor's page with clocks on its own timeline, and a timed move."""

from __future__ import annotations

import asyncio
import math

VIEWPORT = {"width": 1440, "height": 900}
TIMEOUT_MS = 20_000  # a move whose numbers take longer counts as an error

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
