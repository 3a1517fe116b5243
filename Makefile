# abc-mdt — two commands: `make run` and `make test`. Prerequisites: Python 3.11+ and make; everything else
# comes from tools/install-system-deps.sh (system packages, first) and requirements/*.txt (Python packages,
# pinned with hashes, installed with --require-hashes into .venv).
SHELL := /bin/bash
# The first Python >= 3.11 on PATH (3.11 is what CI runs).
PYTHON ?= $(firstword $(foreach p,python3.11 python3.12 python3.13 python3.14,$(if $(shell command -v $(p) 2>/dev/null),$(p))) python3.11)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check
export QT_QPA_PLATFORM ?= offscreen
# What tools/install-system-deps.sh installs: `make run` asks for the runtime set only.
SYSTEM_DEPS_FOR ?= run

.PHONY: run test bench db lint stress clean system-deps dist dist-test dist-check screenshots lock minimums

# One stamp per locked set (requirements/runtime.txt < test.txt < dist.txt, each a superset of the one before);
# the project itself is installed editable without build isolation, with the locked setuptools.
$(VENV)/.installed-%: requirements/%.txt pyproject.toml | system-deps
	@if [ "$$(id -u)" = 0 ] && [ -n "$${SUDO_USER:-}" ]; then \
	  echo "make: run make as $$SUDO_USER, not with sudo (it would leave a root-owned .venv);" \
	       "tools/install-system-deps.sh prints the one sudo line it needs" >&2; exit 1; fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes --no-deps -r $<
	$(PIP) install --no-deps --no-build-isolation -e .
	@touch $@

# System packages per purpose and release (Debian 12/13, Ubuntu 22.04/24.04); as non-root it prints the sudo
# line and stops. Runs before the venv step (the venv module itself is one of them).
system-deps:
	@PYTHON=$(PYTHON) bash tools/install-system-deps.sh $(SYSTEM_DEPS_FOR)

run: $(VENV)/.installed-runtime
	QT_QPA_PLATFORM= $(BIN)/abc-mdt --demo

# Builds the offline bundle first (skipped when nothing it is made from changed; `NO_DIST=1 make test` skips
# it altogether), so tests/test_dist.py runs the bundled executable instead of skipping.
test: SYSTEM_DEPS_FOR = test dist
test: $(VENV)/.installed-test $(if $(NO_DIST),,dist)
	$(BIN)/python -m pytest -q

# Every wizard step in both languages at 1280x800, offscreen, into build/screenshots (not committed).
screenshots: SYSTEM_DEPS_FOR = test
screenshots: $(VENV)/.installed-test
	$(BIN)/python -m desktop_app.screenshots build/screenshots

lint: $(VENV)/.installed-test
	$(BIN)/ruff check guideline_db reports desktop_app tests tools packaging

# The guideline database of this checkout (guideline_db/data/, committed); `abc-mdt db build --out DIR` is
# the installed program's way, and never writes into the installed package.
db: $(VENV)/.installed-runtime
	$(BIN)/python -m guideline_db.build

bench: SYSTEM_DEPS_FOR = test
bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

# The long loops at full count (`make test` runs them reduced): 50 SIGKILLs of a store writer and 20 of the
# GUI app while saving, 1,000 byte flips of live stores and 1,000 of backups, 20,000 generated bad case files,
# 3,000 hostile command lines over every CLI command; 8 clients for a minute against one PostgreSQL server.
stress: SYSTEM_DEPS_FOR = test
stress: $(VENV)/.installed-test
	ABC_MDT_STRESS=full $(BIN)/python -m pytest -q tests/test_store_crash.py tests/test_properties.py \
	  tests/test_store_damage.py tests/test_store_anchors.py tests/test_cli_no_traceback.py \
	  tests/gui/test_kill_during_save.py tests/test_store_pg_concurrency.py

# requirements/*.txt from pyproject.toml: every platform (Linux, Windows, macOS) and Python >= 3.11, every
# wheel's hash; the smaller sets are constrained by the largest so all three pin the same versions.
# uv (itself pinned with its hash in requirements/uv.txt) only resolves; pip installs.
UV_COMPILE = $(VENV)/uv/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	     --custom-compile-command 'make lock'
$(VENV)/uv/bin/uv: requirements/uv.txt
	rm -rf $(VENV)/uv && $(PYTHON) -m venv $(VENV)/uv
	$(VENV)/uv/bin/python -m pip install --quiet --require-hashes -r requirements/uv.txt

lock: $(VENV)/uv/bin/uv
	$(UV_COMPILE) --extra test --extra dist pyproject.toml requirements/build.in -o requirements/dist.txt
	$(UV_COMPILE) --extra test pyproject.toml requirements/build.in -c requirements/dist.txt -o requirements/test.txt
	$(UV_COMPILE) pyproject.toml requirements/build.in -c requirements/dist.txt -o requirements/runtime.txt

# The stated minimums, tested: the lowest versions pyproject.toml allows for its direct dependencies, in a
# throw-away venv, with the suite minus the GUI and bundle tests (pyproject.toml says when it last passed).
minimums: $(VENV)/uv/bin/uv
	rm -rf build/minimums && $(PYTHON) -m venv build/minimums
	$(VENV)/uv/bin/uv pip compile --quiet --python-version 3.11 --resolution lowest-direct --extra test \
	  pyproject.toml -o build/minimums/requirements.txt
	build/minimums/bin/python -m pip install --quiet -r build/minimums/requirements.txt
	build/minimums/bin/python -m pip install --quiet --no-deps -e .
	build/minimums/bin/python -m pytest -q -p no:cacheprovider --ignore=tests/gui --ignore=tests/test_dist.py

# The offline application folder dist/abc-mdt/ (PyInstaller, packaging/abc-mdt.spec) and its tarball
# dist/abc-mdt-<version>-linux-<arch>.tar.gz (+ .sha256). What a hospital installs: docs/install.md.
# Reproducible: the same commit and lock give the same tarball, byte for byte (`make dist-check` builds twice
# and compares): every file's mtime is SOURCE_DATE_EPOCH (default: the last commit's time), entries are sorted,
# owners are 0, gzip stores no name or time.
VERSION := $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' guideline_db/__init__.py)
ARCH := $(shell uname -m)
TARBALL := dist/abc-mdt-$(VERSION)-linux-$(ARCH).tar.gz
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 1735689600)
export SOURCE_DATE_EPOCH
DIST_SOURCES := $(shell find guideline_db reports desktop_app packaging -type f -not -path '*/__pycache__/*' \
                  -not -name '*.pyc' 2>/dev/null) docs/install.md pyproject.toml requirements/runtime.txt

$(TARBALL): SYSTEM_DEPS_FOR = dist
$(TARBALL): $(DIST_SOURCES) $(VENV)/.installed-dist
	rm -rf dist/abc-mdt dist/abc-mdt-*-linux-*.tar.gz*
	PYTHONHASHSEED=0 $(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
	  --workpath build/pyinstaller packaging/abc-mdt.spec
	cp docs/install.md dist/abc-mdt/INSTALL.md
	$(BIN)/python packaging/bundle_manifest.py dist/abc-mdt requirements/runtime.txt
	find dist/abc-mdt -exec touch -h -d @$(SOURCE_DATE_EPOCH) {} +
	tar -C dist --sort=name --mtime=@$(SOURCE_DATE_EPOCH) --owner=0 --group=0 --numeric-owner \
	  --format=gnu -cf - abc-mdt | gzip -9 -n > $@
	cd dist && sha256sum $(notdir $@) > $(notdir $@).sha256
	@du -sh dist/abc-mdt $@

dist: $(TARBALL)

# Two clean builds of the tarball must have the same SHA-256.
dist-check: $(VENV)/.installed-dist
	rm -f $(TARBALL) && $(MAKE) --no-print-directory dist && cp $(TARBALL).sha256 build/dist-check-1.sha256
	rm -f $(TARBALL) && $(MAKE) --no-print-directory dist && cp $(TARBALL).sha256 build/dist-check-2.sha256
	cat build/dist-check-1.sha256 build/dist-check-2.sha256
	cmp build/dist-check-1.sha256 build/dist-check-2.sha256 && echo "dist-check: reproducible"

# The bundled executable, with an empty environment: evaluate, report + sign, verify, GUI offscreen.
dist-test: dist
	$(BIN)/python -m pytest -q tests/test_dist.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
