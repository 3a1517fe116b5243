# ruff: noqa: F811  (pytest fixtures imported from pg_server are test parameters here)
"""The `abc-mdt cases` commands with the server configured, IT's server-init/server-user, and the bench
rows of issue 18 at a small count (same search results on both engines; timings only in `make bench`)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pg_server import PgServer, pg_server, pg_url  # noqa: F401
from store_helpers import make_case

from guideline_db.cli import main
from guideline_db.store.postgres import PgCaseStore
from guideline_db.store.postgres.admin import run

ROOT = Path(__file__).resolve().parent.parent


def test_cases_commands_use_the_configured_server(tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ABC_MDT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ABC_MDT_STORE_URL", pg_url)
    with PgCaseStore.connect(pg_url, anchor_dir=tmp_path / "data") as store:
        store.save_version(make_case("MDT-7", name="王芳"), author="Dr Li")
    assert main(["cases", "list", "--search", "王"]) == 0
    assert "MDT-7" in capsys.readouterr().out
    assert main(["cases", "backup", str(tmp_path / "b.db")]) == 0
    assert main(["cases", "verify-audit", "--against", str(tmp_path / "b.db")]) == 0
    assert "audit chains intact" in capsys.readouterr().out
    assert not (tmp_path / "data" / "cases.sqlite").exists()      # nothing went to a local store


def test_an_unreachable_configured_server_is_one_line_not_a_traceback(tmp_path: Path, pg_server: PgServer,
                                                                       monkeypatch: pytest.MonkeyPatch,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ABC_MDT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ABC_MDT_STORE_URL", f"postgresql://tester@/none?host={tmp_path}&port=5432")
    assert main(["cases", "list"]) == 1
    err = capsys.readouterr().err
    assert "unreachable" in err and "Traceback" not in err and err.count("\n") == 1


def test_server_init_and_server_user(tmp_path: Path, pg_server: PgServer) -> None:
    run(pg_server.admin, 'CREATE DATABASE "it_made"')
    admin = pg_server.url("it_made")
    assert main(["cases", "server-init", admin]) == 0
    assert main(["cases", "server-user", admin, "dr_new"]) == 0
    assert main(["cases", "server-user", admin, "viewer", "--read-only"]) == 0
    assert run(admin, "SELECT pg_has_role('dr_new', 'abc_mdt_user', 'MEMBER'), "
                      "pg_has_role('viewer', 'abc_mdt_reader', 'MEMBER'), "
                      "pg_has_role('viewer', 'abc_mdt_user', 'MEMBER'), "
                      "has_table_privilege('abc_mdt_user', 'case_versions', 'UPDATE'), "
                      "has_table_privilege('abc_mdt_reader', 'drafts', 'INSERT')") == [(True, True, False, False, False)]
    assert main(["cases", "server-init", admin]) == 1      # tables exist: refused, one line


def test_bench_rows_for_both_engines_at_a_small_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    from bench_pg import QUERIES, bench_store_engines

    rows = bench_store_engines(n=300, search_repeat=1, saves=2)   # raises if the engines list different cases
    names = [row["name"] for row in rows]
    for query in QUERIES:
        assert f"store engines: search '{query}' in 300 — sqlite" in names
        assert f"store engines: search '{query}' in 300 — postgresql" in names
    assert rows[-1]["baseline"] == "save on SQLite" and rows[-1]["runs"] == 2
    assert "bench_pg" in sys.modules


def test_open_store_takes_a_file_or_a_server_url(tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from guideline_db.store import CaseStore, open_store

    monkeypatch.setenv("ABC_MDT_DATA_DIR", str(tmp_path / "data"))
    with open_store(tmp_path / "local.sqlite", mounts_file=None) as local:
        assert type(local) is CaseStore
    with open_store(pg_url) as server:
        assert isinstance(server, PgCaseStore) and server.user == "tester"
        assert server.offline_cache is not None and server.offline_cache.path.parent == tmp_path / "data"


def test_bench_says_not_measured_without_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    import pg_server as module

    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    from bench_pg import bench_store_engines

    monkeypatch.setattr(module, "_SERVER", None)
    monkeypatch.setattr(module.glob, "glob", lambda pattern: [])
    monkeypatch.setattr(module.shutil, "which", lambda name: None)
    assert bench_store_engines(n=10) == [{"name": "store engines: not measured", "error": module.INSTALL_HINT}]
