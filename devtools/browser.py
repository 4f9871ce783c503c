"""Headless Chromium at a served app: how it is launched, and how to tell a page is ready.

The browser tests (tests/browser/support.py), the benchmarks (bench/latency/, bench/memory.py)
and scripts/ (screenshot.py, clinic_shots.py) all drive the app this way; the selectors are
Streamlit's own test ids.
"""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

IDLE_APP = '[data-testid="stApp"][data-test-script-state="notRunning"]'
STATUS_WIDGET = '[data-testid="stStatusWidget"]'
SKELETON = '[data-testid="stSkeleton"]'
PLOTLY_CHART = '[data-testid="stPlotlyChart"]'

# Ready, for page.wait_for_function: the script run is over, no status widget, no grey
# placeholder for an element not drawn yet, and every plotly chart has drawn its SVG.
READY = f"""() =>
  document.querySelector('{IDLE_APP}')
  && !document.querySelector('{STATUS_WIDGET}')
  && !document.querySelector('{SKELETON}')
  && [...document.querySelectorAll('{PLOTLY_CHART}')].every(
       c => c.querySelector('.main-svg'))"""
