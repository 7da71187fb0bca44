# lightrig — the only two commands a new machine needs are `make run` and `make test`.
# Both create .venv and install what they need; nothing else is installed by hand.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PRESET ?= rembrandt

.PHONY: run test check lint typecheck unit services bench docs format clean

# --- environments -----------------------------------------------------------------------------
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "lightrig needs Python >= 3.11, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# runtime only, for `make run`
$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

# runtime + the local-inference extra + test and lint tools, for `make test`
$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,local,llm]'
	@touch $@ $(VENV)/.run-installed

# --- the two commands -------------------------------------------------------------------------
run: $(VENV)/.run-installed
	$(BIN)/lightrig demo --preset $(PRESET)

test: check unit

# PostgreSQL and Redis for the tests, when installed here but stopped (CI runs this first)
services:
	scripts/services-up

# --- parts of `make test` ---------------------------------------------------------------------
check: lint typecheck

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests benchmarks docs
	$(BIN)/ruff format --check src tests benchmarks docs

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

# regenerate the pictures the README shows
docs: $(VENV)/.dev-installed
	$(BIN)/python docs/contact_sheet.py

format: $(VENV)/.dev-installed
	$(BIN)/ruff format src tests benchmarks docs
	$(BIN)/ruff check --fix src tests benchmarks docs

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis out
