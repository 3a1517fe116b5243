# abc-mdt — two commands: `make run` and `make test` (both create .venv and install first).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test bench db lint stress clean system-deps

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || PYTHON=python3; \
	  $${PYTHON:-$(PYTHON)} -m venv $(VENV) 2>/dev/null || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

# System libraries Qt needs offscreen and the tools the tests use (poppler for pdfsig/pdftoppm).
system-deps:
	@bash tools/install-system-deps.sh

run: $(STAMP) system-deps
	QT_QPA_PLATFORM= $(BIN)/abc-mdt --demo

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check guideline_db reports desktop_app tests tools

db: $(STAMP)
	$(BIN)/python -m guideline_db.build

bench: $(STAMP) system-deps
	$(BIN)/python bench/run.py

# The long loops (50 SIGKILLs during saves, 20,000 fuzzed files) at full count; `make test` runs them reduced.
stress: $(STAMP) system-deps
	ABC_MDT_STRESS=full $(BIN)/python -m pytest -q tests/test_store_crash.py tests/test_properties.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
