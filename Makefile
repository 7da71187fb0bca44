# lightrig — the only two commands a new machine needs are `make run` and `make test`.
# `make run` serves the REST API on http://127.0.0.1:8000 with the embedded defaults.
# Both create .venv and install what they need; nothing else is installed by hand.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PRESET ?= rembrandt
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run demo test check lint typecheck unit services browser bench docs format clean

# --- environments -----------------------------------------------------------------------------
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "lightrig needs Python >= 3.11, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# the core, the REST server with its records, and the face-landmark model, for `make run`
$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[server,faces]'
	$(BIN)/python -m lightrig.render.numba_cache  # kernels compiled at install, not at first use
	@touch $@

# every extra (server, fleet, s3, llm, local, faces, mcp) + test and lint tools, for `make test`
$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,all]'
	$(BIN)/python -m lightrig.render.numba_cache
	@touch $@ $(VENV)/.run-installed

# --- the two commands -------------------------------------------------------------------------
run: $(VENV)/.run-installed
	$(BIN)/lightrig serve --host $(HOST) --port $(PORT)

# the command-line tour of one preset: analysis, FIBO prompt, preview and diagram
demo: $(VENV)/.run-installed
	$(BIN)/lightrig demo --preset $(PRESET)

test: check browser unit

# PostgreSQL and Redis for the tests, when installed here but stopped (CI runs this first)
services:
	scripts/services-up

# Debian's Chromium (the studio's browser tests) and pdftoppm (the plot's test), when missing
browser:
	scripts/browser-up

# --- parts of `make test` ---------------------------------------------------------------------
check: lint typecheck

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests benchmarks docs examples comfyui
	$(BIN)/ruff format --check src tests benchmarks docs examples comfyui

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy

unit: $(VENV)/.dev-installed
	$(BIN)/python -m pytest

# --- conveniences -----------------------------------------------------------------------------
bench: $(VENV)/.dev-installed
	$(BIN)/python benchmarks/core.py
	$(BIN)/python benchmarks/render.py
	$(BIN)/python benchmarks/batch.py
	$(BIN)/python benchmarks/store.py
	$(BIN)/python benchmarks/api.py
	$(BIN)/python benchmarks/fleet.py
	$(BIN)/python benchmarks/verify.py
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/directions.py
	$(BIN)/python benchmarks/rating.py
	$(BIN)/python benchmarks/load.py

# regenerate the pictures the README shows
docs: $(VENV)/.dev-installed browser
	$(BIN)/python docs/contact_sheet.py
	$(BIN)/python docs/subjects.py
	$(BIN)/python docs/studio_screenshots.py
	$(BIN)/python docs/lighting_plot.py

format: $(VENV)/.dev-installed
	$(BIN)/ruff format src tests benchmarks docs examples comfyui
	$(BIN)/ruff check --fix src tests benchmarks docs examples comfyui

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis out
