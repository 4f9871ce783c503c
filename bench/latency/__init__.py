"""Latency benchmark: every interaction of the app beside Streamlit's own floor, in one run.

1. Server rerun (AppTest): the median time of a rerun after a widget change on every page,
   beside a one-line page with one slider (the floor) measured the same way, interleaved.
2. Slider to chart (headless Chromium): from a keypress on a focused slider of
   /find?preset=unwind to the match chart's bar labels showing the new numbers (in-page
   clocks: a keydown listener and a MutationObserver), median and 95th percentile, beside the
   same measure on two floor pages served alongside: bench/latency_echo.py (a slider whose
   value is echoed: Streamlit's floor) and bench/latency_chart.py (a slider and one small
   plotly bar chart: the floor of "move a slider, see a chart" with Streamlit and plotly).
   The three pages are moved in turns of 5 moves, so that they share the machine's drifts.
   The same moves give the bytes the server sends per move (Playwright's websocket frames).
3. Cold start: from launching `streamlit run app.py` to the Start page's h1 visible, median.
4. Many visitors: 20 browser sessions moving sliders at once, on the echo page, on the
   one-chart page (the two floors), then on Find my massage: 95th percentile slider to chart,
   every error (exceptions on a page, JavaScript errors, closed websockets, moves whose numbers
   never appear), and the CPU each part of the machine spent per move
   (server, Chromium, this harness).

Before each part the run waits (5 minutes at most) for the 1-minute load average to fall
below 1.5, and it records the load at the start and end of each part: on a 2-core machine any
other work takes CPU from what is timed. Each figure is printed and saved in
bench/out/latency-<label>.json and .txt (git-ignored).

One module a job: reruns (1), session and visitors (2: the page's clocks, one visitor's
moves), cold (3), crowd (4), measures (percentiles, load, CPU), report (the printed figures);
__main__ runs the parts the command line asks for. Servers start through devtools.serving,
as in the browser tests.

    python -m bench.latency [--label NAME] [--only rerun,browser,cold,crowd]
"""
