# Massage Advisor: `make run` serves the app, `make test` runs every test. Both build .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= $(or $(STREAMLIT_SERVER_PORT),8501)
# Memory for large arrays, for every process make starts (the app, its instances, the
# benchmarks and the tests; docs/performance.md, Survey files). numpy asks Linux for huge pages
# for every large array, and where memory is fragmented (a server that has run for a while) the
# kernel stops to compact it first: reading a 1,000,000-row survey took 2.1-2.4 s, not 1.4-1.8 s.
# pyarrow's default pool (mimalloc) is slow to grow in a fresh process: the same read took
# 1.92-1.98 s, against 1.64-1.70 s in jemalloc's pool, which also hands memory back when freed.
export NUMPY_MADVISE_HUGEPAGE := 0
export ARROW_DEFAULT_MEMORY_POOL := jemalloc

.PHONY: run test test-fast lint format bench bench-latency bench-capacity screenshot cluster \
	cluster-stop sample-survey questionnaire passcode-hash clean

# Serve the app on http://localhost:$(PORT) (STREAMLIT_SERVER_PORT overrides 8501).
run: $(VENV)/.run-installed
	$(BIN)/streamlit run app.py --server.port $(PORT)

# Lint, then every test: unit, property, AppTest, browser and proxy tests, in a random order
# (pytest-randomly prints the seed; `pytest --randomly-seed=N` repeats that order).
test: lint
	$(BIN)/pytest

# The fast tier: unit, property and AppTest tests (no server, no browser, no nginx), on every
# core with pytest-xdist (worksteal: an idle worker takes tests queued for a busy one, so the
# slowest tests drawn last do not hold the run); `make test` still runs everything.
test-fast: $(VENV)/.dev-installed
	$(BIN)/pytest -m "not browser" -n auto --dist worksteal

# The checks `make test` runs first: lint and formatting.
lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Format the code in place.
format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Benchmarks: batch scoring against its baselines, and a million-row survey CSV.
bench: $(VENV)/.dev-installed
	$(BIN)/python bench/batch_scoring.py

# Latency of every interaction (reruns, slider to chart, cold start, wire, 20 visitors) beside Streamlit's floor.
bench-latency: $(VENV)/.dev-installed
	$(BIN)/python -m bench.latency

# Remake docs/find-my-massage.png, the README's screenshot (headless Chromium at 1440x900).
screenshot: $(VENV)/.dev-installed
	$(BIN)/python -m scripts.screenshot

# Server CPU per interaction per page, and moves per second one instance sustains at p95 < 1 s.
bench-capacity: $(VENV)/.dev-installed
	$(BIN)/python bench/capacity.py

# Two app instances behind nginx on http://127.0.0.1:8080 (CLUSTER_PORT), on DATABASE_URL or a
# throw-away PostgreSQL; `make cluster-stop` stops exactly what it started (deploy/README.md).
cluster: $(VENV)/.run-installed
	$(BIN)/python deploy/cluster.py start

cluster-stop: $(VENV)/.run-installed
	$(BIN)/python deploy/cluster.py stop

# Remake data/sample_survey.csv from its seed.
sample-survey: $(VENV)/.run-installed
	$(BIN)/python scripts/make_sample_survey.py

# Remake data/questionnaire.csv, the questionnaire's fixed design (seeded: the same file).
questionnaire: $(VENV)/.run-installed
	$(BIN)/python scripts/make_questionnaire.py

# Make the owner passcode's salted hash for Streamlit secrets (asks for the passcode twice).
passcode-hash: $(VENV)/.run-installed
	$(BIN)/python -m advisor.answers.passcode

# Remove the virtual environment and caches.
clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis artifacts

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed
