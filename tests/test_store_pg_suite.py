# ruff: noqa: F811  (pytest fixtures imported from pg_server are test parameters here)
"""The store test suite against both engines: the tests of versions, drafts, signing, import/export and
search, run unchanged on the SQLite store and on the PostgreSQL registry (a real server: pg_server.py).

Each test module's own `store` fixture is replaced by one parametrised over the two engines; the
tests are the same functions (imported, not copied), so a behaviour added to one engine's tests is
checked on the other. Tests that reach into SQLite itself (file paths, PRAGMAs, the sqlite3
connection) stay SQLite-only in their own modules; the engine-specific guarantees on the server are
in test_store_pg_guarantees.py.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import pytest
import test_store_backup
import test_store_drafts
import test_store_import_export
import test_store_search
import test_store_signing
import test_store_versions
from pg_server import engine, open_engine  # noqa: F401 (fixtures)

# Tests needing something only the SQLite engine has (named, so a new one is a conscious choice).
SQLITE_ONLY = {
    "test_drafts_survive_reopening",           # reopens a store file by path
    "test_backup_sees_other_writers_commits",  # a second store opened on the same file
    "test_backup_refuses_the_store_itself_and_missing_folders",   # backing a file up onto itself
    "test_restore_replaces_the_store_and_keeps_the_previous_one",  # CaseStore.restore of a file in place
    "test_restore_while_another_instance_has_the_store_open",      # (the server: migrate, pg_dump)
}


MODULES = (test_store_versions, test_store_drafts, test_store_signing, test_store_search, test_store_import_export,
           test_store_backup)


@pytest.fixture
def store(request: pytest.FixtureRequest, engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The test's own module's `store` fixture (its setup included), on `engine`."""
    module = sys.modules[request.function.__module__]
    monkeypatch.setattr(module, "open_store", lambda folder, **kw: open_engine(engine, folder, **kw))
    yield from module.store._get_wrapped_function()(tmp_path)


def _shared(module) -> dict[str, object]:
    found = {}
    for name, function in vars(module).items():
        if not name.startswith("test_") or name in SQLITE_ONLY or not callable(function):
            continue
        params = set(inspect.signature(function).parameters)
        marked = {arg for mark in getattr(function, "pytestmark", []) if mark.name == "parametrize"
                  for arg in (mark.args[0].split(",") if isinstance(mark.args[0], str) else mark.args[0])}
        if "store" in params and params - {"store", "tmp_path"} <= {p.strip() for p in marked}:
            found[f"{name}__{module.__name__.removeprefix('test_store_')}"] = function
    return found


for _module in MODULES:
    globals().update(_shared(_module))


def test_the_suite_covers_each_module() -> None:
    shared = [name for name in globals() if name.startswith("test_") and "__" in name]
    assert sum(name.endswith("__versions") for name in shared) >= 5
    assert sum(name.endswith("__drafts") for name in shared) >= 4
    assert sum(name.endswith("__signing") for name in shared) >= 3


def test_open_engine_gives_each_engine(tmp_path: Path, engine: str) -> None:
    with open_engine(engine, tmp_path) as store:
        assert type(store).__name__ == {"sqlite": "CaseStore", "postgresql": "PgCaseStore"}[engine]
