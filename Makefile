# abc-mdt — two commands: `make run` and `make test` (both create .venv and install first).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test bench db lint stress clean system-deps dist dist-test screenshots

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

# Builds the offline bundle first (skipped when nothing it is made from changed; `NO_DIST=1 make test` skips
# it altogether), so tests/test_dist.py runs the bundled executable instead of skipping.
test: $(STAMP) system-deps $(if $(NO_DIST),,dist)
	$(BIN)/python -m pytest -q

# Every wizard step in both languages at 1280x800, offscreen, into build/screenshots (not committed).
screenshots: $(STAMP) system-deps
	$(BIN)/python -m desktop_app.screenshots build/screenshots

lint: $(STAMP)
	$(BIN)/ruff check guideline_db reports desktop_app tests tools

db: $(STAMP)
	$(BIN)/python -m guideline_db.build

bench: $(STAMP) system-deps
	$(BIN)/python bench/run.py

# The long loops (50 SIGKILLs of a store writer, 20 of the GUI app while saving, 20,000 fuzzed files) at
# full count; `make test` runs them reduced.
stress: $(STAMP) system-deps
	ABC_MDT_STRESS=full $(BIN)/python -m pytest -q tests/test_store_crash.py tests/test_properties.py \
	  tests/gui/test_kill_during_save.py

# The offline application folder dist/abc-mdt/ (PyInstaller, packaging/abc-mdt.spec) and its tarball
# dist/abc-mdt-<version>-linux-<arch>.tar.gz (+ .sha256). What a hospital installs: docs/install.md.
VERSION := $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' guideline_db/__init__.py)
ARCH := $(shell uname -m)
TARBALL := dist/abc-mdt-$(VERSION)-linux-$(ARCH).tar.gz
DIST_STAMP := $(VENV)/.dist-installed
DIST_SOURCES := $(shell find guideline_db reports desktop_app packaging -type f -not -path '*/__pycache__/*' \
                  -not -name '*.pyc' 2>/dev/null) docs/install.md pyproject.toml

$(DIST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,dist]'
	@touch $@

$(TARBALL): $(DIST_SOURCES) $(DIST_STAMP) | system-deps
	@bash packaging/install-build-deps.sh
	rm -rf dist/abc-mdt dist/abc-mdt-*-linux-*.tar.gz*
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
	  packaging/abc-mdt.spec
	cp docs/install.md dist/abc-mdt/INSTALL.md
	tar -C dist --owner=0 --group=0 --numeric-owner -czf $@ abc-mdt
	cd dist && sha256sum $(notdir $@) > $(notdir $@).sha256
	@du -sh dist/abc-mdt $@

dist: $(TARBALL)

# The bundled executable, with an empty environment: evaluate, report + sign, verify, GUI offscreen.
dist-test: dist
	$(BIN)/python -m pytest -q tests/test_dist.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
