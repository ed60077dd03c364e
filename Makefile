# The README's two commands. Each does its own set-up, idempotently:
# a .venv with the packages, and a Chromium (see scripts/ensure-browser.sh).
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BROWSER_STAMP := $(VENV)/.browser

.PHONY: setup demo test test-fast lint bench clean

setup: $(STAMP) $(BROWSER_STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

$(BROWSER_STAMP): $(STAMP) scripts/ensure-browser.sh
	bash scripts/ensure-browser.sh $(BIN)/python > $(BROWSER_STAMP)
	@echo "Chromium: $$(cat $(BROWSER_STAMP))"

demo: setup
	$(BIN)/crm-robot demo

lint: setup
	$(BIN)/ruff check .

# Lint, formatting, types and the layers first: each takes seconds and says exactly what is wrong.
# Three test workers on two cores: an end-to-end test waits on its browser and CRM part of the
# time, and a third worker fills those waits (measured: 589 s against 632 s with two workers).
TEST_WORKERS ?= 3
test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

# The unit tests alone, in well under a minute: no browser and no crm_sim server (the tests that
# need one are marked e2e; tests/conftest.py fails one that starts a server without the mark).
test-fast: setup
	$(BIN)/python -m pytest -n 2 -m "not e2e"

bench: setup
	mkdir -p bench/results
	$(BIN)/python bench/capture.py | tee bench/results/capture.json
	$(BIN)/python bench/compare.py | tee bench/results/compare.json
	$(BIN)/python bench/compare.py --conversion | tee bench/results/compare-conversion.json
	$(BIN)/python bench/convert.py | tee bench/results/convert.json
	$(BIN)/python bench/scheduled.py | tee bench/results/scheduled.json
	$(BIN)/python bench/doctor.py | tee bench/results/doctor.json
	$(BIN)/python bench/chart.py bench/results docs/images/benchmarks.png

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
