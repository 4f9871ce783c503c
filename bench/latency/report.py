"""The figures of a run as the lines printed and saved in bench/out/latency-<label>.txt."""

from __future__ import annotations

import math

from bench.latency.visitors import TURN


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
        lines.append(
            f"Slider to chart in Chromium (keyboard, {n} moves each, the pages in turns of {TURN}):"
        )
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
            f"{c['to_health_ms']['median'] / 1000:.2f} s); a one-heading page (floor) "
            f"{c['floor_to_h1_ms']['median'] / 1000:.2f} s: {c['ratio_to_floor']:.2f}x floor"
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
