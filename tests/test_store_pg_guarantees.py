# ruff: noqa: F811  (pytest fixtures imported from pg_server are test parameters here)
"""The SQLite store's guarantees on the PostgreSQL registry (a real server, pg_server.py): append-only
enforced by triggers and by grants, the authenticated actor, the same hash chain byte for byte,
optimistic concurrency naming the other writer, anchors catching a server put back to an older dump,
backup, migration both ways, configuration, and an unreachable server."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from pg_server import PgServer, engine, open_engine, pg_server, pg_url  # noqa: F401 (fixtures)
from store_helpers import edited, make_case

from guideline_db.store import (
    CaseStore,
    StoreAccessError,
    StoreCorruptError,
    StoreReadOnlyError,
    StoreUsageError,
    VersionConflictError,
)
from guideline_db.store.postgres import PgCaseStore, ServerUnreachableError
from guideline_db.store.postgres.admin import run
from guideline_db.store.postgres.migrate import pg_to_sqlite, sqlite_to_pg

PDF = "ab" * 32


def fixed_clock():
    return lambda: datetime(2024, 7, 1, 8, 0, tzinfo=UTC)


def admin_url(url: str) -> str:
    """The same database as IT's administrator (the superuser that ran server-init: owner-role member)."""
    return url.replace("tester@", "postgres@")


def history(store, li: str = "Dr Li", wang: str = "Dr Wang", zhao: str = "Prof. Zhao") -> None:
    """The same operations on any engine: create, edit, decide, sign, print, export an event."""
    case = make_case("MDT-1", name="王芳", hospital_id="H01")
    store.save_version(case, author=li)
    store.save_version(edited(case, kps=70), author=wang, expected_version=1)
    store.save_version(edited(case, kps=70), author=wang, status="decided", expected_version=2)
    store.mark_signed("MDT-1", 3, PDF, signer=zhao, meaning="chair")
    store.record_event("MDT-1", "printed", actor=li, version=4)
    store.save_version(make_case("MDT-2", name="Li Na"), author=li, expected_version=0)


def test_same_operations_give_the_same_chain_on_both_engines(tmp_path: Path, pg_url: str) -> None:
    """Under the same names: on the server every name is the role (tester), so SQLite is given it too."""
    with open_engine("sqlite", tmp_path / "a", clock=fixed_clock()) as local, \
            PgCaseStore.connect(pg_url, anchor_dir=tmp_path / "b", clock=fixed_clock()) as server:
        history(local, "tester", "tester", "tester")
        history(server, "tester", "tester", "tester")
        assert server.audit_head() == local.audit_head()
        assert server.versions("MDT-1") == local.versions("MDT-1")
        assert server.audit_entries() == local.audit_entries()
        assert server.list_cases() == local.list_cases()
        assert server.verify_audit().ok and local.verify_audit().ok


def test_a_stale_save_is_refused_with_the_other_writers_name(tmp_path: Path, engine: str) -> None:
    url = None
    if engine == "postgresql":
        from pg_server import server

        url = server().new_database(users=("tester", "dr_wang"))
    with open_engine(engine, tmp_path, url) as mine:
        case = make_case("c-1")
        first = mine.save_version(case, author="Dr Li", expected_version=0)
        other_url = url.replace("tester@", "dr_wang@") if url else None
        with open_engine(engine, tmp_path, other_url) as theirs:
            theirs.save_version(edited(case, kps=60), author="Dr Wang", expected_version=first.version)
        other = "dr_wang" if url else "Dr Wang"   # on the server: the role that logged in, not the name passed
        with pytest.raises(VersionConflictError, match=rf"changed by {other} at .* \(version 2\) after you opened "
                                                       r"version 1; nothing was saved"):
            mine.save_version(edited(case, kps=50), author="Dr Li", expected_version=1)
        with pytest.raises(VersionConflictError, match="no version 3"):
            mine.save_version(make_case("c-new"), author="Dr Li", expected_version=3)
        with pytest.raises(VersionConflictError):
            mine.save_version(edited(case, kps=40), author="Dr Li", expected_version=0)  # "new" but exists
        assert [v.author for v in mine.versions("c-1")] == (["tester", "dr_wang"] if url else ["Dr Li", "Dr Wang"])
        assert mine.save_version(edited(case, kps=50), author="Dr Li", expected_version=2).version == 3
        assert mine.verify_audit().ok


@pytest.mark.parametrize("statement", [
    "UPDATE case_versions SET author = 'someone'", "DELETE FROM case_versions", "TRUNCATE case_versions CASCADE",
    "UPDATE audit_log SET actor = 'someone'", "DELETE FROM audit_log", "UPDATE store_meta SET value = 'x'",
    "DELETE FROM cases", "UPDATE cases SET created_at = 'x'",
])
def test_users_hold_no_grant_to_rewrite_history(tmp_path: Path, pg_url: str, statement: str) -> None:
    with PgCaseStore.connect(pg_url, anchor_dir=tmp_path) as store:
        history(store)
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            store.raw.execute(statement)
        assert store.verify_audit().ok


@pytest.mark.parametrize("statement", [
    "UPDATE case_versions SET author = 'someone'", "DELETE FROM case_versions WHERE version = 2",
    "TRUNCATE audit_log", "UPDATE audit_log SET detail = 'x'", "DELETE FROM cases",
    "DELETE FROM store_meta",
])
def test_triggers_refuse_even_the_superuser(tmp_path: Path, pg_server: PgServer, pg_url: str,
                                            statement: str) -> None:
    with PgCaseStore.connect(pg_url, anchor_dir=tmp_path) as store:
        history(store)
    admin = pg_url.replace("tester@", "postgres@")
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="is refused"):
        run(admin, statement)


def test_history_rewritten_with_triggers_disabled_is_reported(tmp_path: Path, pg_url: str) -> None:
    admin = pg_url.replace("tester@", "postgres@")
    with PgCaseStore.connect(pg_url, anchor_dir=tmp_path) as store:
        history(store)
        run(admin, "ALTER TABLE case_versions DISABLE TRIGGER case_versions_append_only")
        report = store.verify_audit()
        assert not report.ok and "case_versions_append_only" in report.first_break
        run(admin, "UPDATE case_versions SET author = 'Dr Nobody' WHERE version = 2 AND case_id = 'MDT-1'")
        report = store.verify_audit()
        assert not report.ok
        assert "row_hash of case MDT-1 version 2" in report.first_break


def test_a_grant_added_behind_the_apps_back_is_reported(tmp_path: Path, pg_url: str) -> None:
    with PgCaseStore.connect(pg_url, anchor_dir=tmp_path) as store:
        history(store)
        run(pg_url.replace("tester@", "postgres@"), "GRANT UPDATE ON audit_log TO abc_mdt_user")
        report = store.verify_audit()
        assert not report.ok
        assert any("abc_mdt_user holds UPDATE on audit_log" in problem for problem in report.problems)


def test_the_audit_records_the_authenticated_role(tmp_path: Path, pg_url: str) -> None:
    with PgCaseStore.connect(pg_url, anchor_dir=tmp_path) as store:
        assert store.user == "tester"
        history(store)
        store.backup(tmp_path / "b.db")
        roles = {row[0] for row in store.raw.execute("SELECT DISTINCT db_role FROM audit_log")}
        assert roles == {"tester"}
        assert store.audit_entries()[-1].actor == "tester"   # backed_up: the role, not a login name
        # a client claiming another role in db_role is overruled by the trigger (actor: test_store_pg_actor.py)
        store.raw.execute("INSERT INTO drafts (key, text, updated_at) VALUES ('k', 't', 'now')")
        with store.raw.transaction():
            store.raw.execute("SELECT pg_advisory_xact_lock(%s)", (0x41424D43,))
            store.raw.execute("INSERT INTO audit_log (id, at, actor, action, detail, prev_hash, entry_hash, db_role) "
                              "VALUES (1000, 'x', 'tester', 'printed', '', 'x', 'x', 'postgres')")
        assert store.raw.execute("SELECT db_role FROM audit_log WHERE id = 1000").fetchone()[0] == "tester"


def test_a_server_put_back_to_an_older_dump_is_refused(tmp_path: Path, pg_server: PgServer,
                                                       pg_url: str) -> None:
    database = pg_url.split("/")[3].split("?")[0]
    dump = tmp_path / "registry.dump"
    admin = pg_server.url(database)
    with PgCaseStore.connect(pg_url, anchor_dir=tmp_path) as store:
        history(store)
    subprocess.run([str(pg_server.bin / "pg_dump"), "-Fc", "-f", str(dump), admin], check=True)
    with PgCaseStore.connect(pg_url, anchor_dir=tmp_path) as store:
        store.save_version(make_case("MDT-3"), author="Dr Li")
        head = store.audit_head()
    run(pg_server.admin, f'DROP DATABASE "{database}" WITH (FORCE)')
    run(pg_server.admin, f'CREATE DATABASE "{database}"')
    subprocess.run([str(pg_server.bin / "pg_restore"), "-d", admin, str(dump)], check=True)
    with PgCaseStore.connect(pg_url, anchor_dir=tmp_path) as store:
        assert store.audit_head().entries == head.entries - 1
        with pytest.raises(StoreCorruptError, match="disagrees with this PC's anchor file.*entries were lost"):
            store.save_version(make_case("MDT-4"), author="Dr Li")
        report = store.verify_audit()
        assert not report.ok and "store behind its anchor file" in report.problems[0]
        assert store.list_cases()  # still readable
    with PgCaseStore.connect(pg_url, anchor_dir=tmp_path / "other-pc") as fresh:  # a PC that never saw entry 8
        assert fresh.verify_audit().ok


def test_backup_is_a_verified_sqlite_store_that_anchors_the_server(tmp_path: Path, pg_url: str) -> None:
    with PgCaseStore.connect(pg_url, anchor_dir=tmp_path) as store:
        history(store)
        backup = store.backup(tmp_path / "backup.db")
        assert store.audit_entries()[-1].action == "backed_up"
        assert store.verify_audit([backup]).ok
        with pytest.raises(StoreUsageError, match="never overwrites"):
            store.backup(backup)
        server_versions = store.versions("MDT-1")
    restored = CaseStore.restore(backup, tmp_path / "pc" / "cases.sqlite", mounts_file=None, user="it")
    assert restored.versions == 5
    with CaseStore.open(tmp_path / "pc" / "cases.sqlite", mounts_file=None) as local:
        assert local.versions("MDT-1") == server_versions
        assert local.verify_audit().ok
        assert local.load("MDT-1")[0].patient.name == "王芳"


def test_migration_to_the_server_and_back_keeps_every_version_and_entry(tmp_path: Path, pg_url: str) -> None:
    with open_engine("sqlite", tmp_path) as local:
        history(local)
        local.autosave_draft("editor", "{half typed")
        exported = local.export_case("MDT-1", pseudonymise=True)
        before = (local.audit_entries(), local.versions("MDT-1"), local.list_cases(), local.audit_head())
        with PgCaseStore.connect(admin_url(pg_url), anchor_dir=tmp_path / "a") as server:   # IT migrates
            result = sqlite_to_pg(local, server)
            assert (result.versions, result.entries) == (5, 7)
            entries = server.audit_entries()
            assert entries[:-1] == before[0]
            assert entries[-1].action == "restored" and before[3].token() in entries[-1].detail
            assert server.versions("MDT-1") == before[1] and server.list_cases() == before[2]
            assert server.load_draft("editor") == "{half typed"
            assert server.export_case("MDT-1", pseudonymise=True) == exported   # same pseudonym key
            assert server.verify_audit().ok
            with pytest.raises(StoreUsageError, match="never merges"):
                sqlite_to_pg(local, server)
            back = pg_to_sqlite(server, tmp_path / "back.sqlite")
            assert back.entries == 9   # + the pseudonymised export on the server, + restored
            server_entries = server.audit_entries()
    with CaseStore.open(tmp_path / "back.sqlite", mounts_file=None) as returned:
        assert returned.audit_entries()[:-1] == server_entries
        assert returned.versions("MDT-1") == before[1]
        assert returned.verify_audit().ok


def test_migrate_command_line(tmp_path: Path, pg_url: str) -> None:
    from guideline_db.cli import main

    store_file = tmp_path / "data" / "cases.sqlite"
    with open_engine("sqlite", tmp_path) as local:
        history(local)
    assert main(["cases", "migrate", "--store", str(store_file), "--to", pg_url]) == 1   # a clinician may not
    assert main(["cases", "migrate", "--store", str(store_file), "--to", admin_url(pg_url)]) == 0
    assert main(["cases", "migrate", "--from", pg_url, "--to", str(tmp_path / "copy.sqlite")]) == 0
    assert main(["cases", "migrate", "--store", str(store_file), "--to", admin_url(pg_url)]) == 1   # not empty
    with CaseStore.open(tmp_path / "copy.sqlite", mounts_file=None) as copy:
        assert copy.verify_audit().ok and copy.counts()["case_versions"] == 5


def test_configuration_selects_the_server(tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ABC_MDT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ABC_MDT_STORE_URL", pg_url)
    with CaseStore.open() as store:
        assert isinstance(store, PgCaseStore) and store.user == "tester"
        history(store)
    config = tmp_path / "config"
    config.mkdir()
    monkeypatch.setenv("ABC_MDT_CONFIG_DIR", str(config))
    monkeypatch.delenv("ABC_MDT_STORE_URL")
    (config / "settings.json").write_text(f'{{"store_url": "{pg_url}"}}')
    with CaseStore.open() as store:
        assert isinstance(store, PgCaseStore) and store.counts()["case_versions"] == 5
    with_password = pg_url.replace("tester@", "tester:secret@")
    (config / "settings.json").write_text(f'{{"store_url": "{with_password}"}}')
    with pytest.raises(StoreUsageError, match="holds a password in clear"):
        CaseStore.open()
    (config / "settings.json").write_text("{}")
    with CaseStore.open() as store:
        assert type(store) is CaseStore


def test_an_unreachable_server_says_so_and_the_pc_keeps_its_copies(tmp_path: Path, pg_server: PgServer,
                                                                    ) -> None:
    from guideline_db.store.postgres.offline import OfflineCache

    url = pg_server.new_database(users=("tester", "dr_wang"))
    cache_file = tmp_path / "offline-cache.sqlite"
    with PgCaseStore.connect(url, anchor_dir=tmp_path, offline_cache=cache_file) as store:
        history(store)
        case, info = store.load("MDT-1")
    gone = url.replace(f"host={pg_server.socket_dir}", f"host={tmp_path}")  # no server listens there
    with pytest.raises(ServerUnreachableError, match="unreachable") as caught:
        PgCaseStore.connect(gone, anchor_dir=tmp_path, timeout=1)
    assert "read-only" in caught.value.hint and "pushed when the server is back" in caught.value.hint
    with pytest.raises(StoreAccessError, match="refused the login") as refused:   # reachable, wrong login
        PgCaseStore.connect(url.replace("tester@", "nobody@"), anchor_dir=tmp_path, timeout=1)
    assert not isinstance(refused.value, ServerUnreachableError)
    with OfflineCache(cache_file) as cache:
        assert [c.case_id for c in cache.cached_cases("王")] == ["MDT-1"]
        copy, cached = cache.load("MDT-1")
        assert copy == case and cached.version == info.version == 4
        cache.save_pending(edited(copy, kps=50), author="Dr Li")
        cache.save_pending(edited(copy, kps=40), author="Dr Li")
        cache.save_pending(make_case("MDT-9"), author="Dr Li")
    with PgCaseStore.connect(url.replace("tester@", "dr_wang@"), anchor_dir=tmp_path / "w") as other:
        other.save_version(edited(case, kps=90), author="Dr Wang")   # meanwhile on another PC
    with PgCaseStore.connect(url, anchor_dir=tmp_path, offline_cache=cache_file) as store:
        result = store.offline_cache.push(store)
        assert [info.case_id for info in result.pushed] == ["MDT-9"]
        assert [item.case_id for item, _ in result.conflicts] == ["MDT-1", "MDT-1"]
        assert "changed by dr_wang" in result.conflicts[0][1]   # the role that saved meanwhile
        assert len(store.offline_cache.pending()) == 2
        assert store.load("MDT-1")[0].patient.kps == 90 and store.verify_audit().ok


def test_the_configured_server_unreachable_names_the_offline_copy(tmp_path: Path, pg_server: PgServer,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from guideline_db.store.selection import open_offline_cache, open_server

    url = pg_server.new_database()
    with open_server(url, data_dir=tmp_path) as store:
        history(store)
        store.load("MDT-1")
        store.load("MDT-2")
    with open_offline_cache(tmp_path) as cache:
        cache.save_pending(make_case("MDT-5"), author="Dr Li")
    monkeypatch.setenv("ABC_MDT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ABC_MDT_STORE_URL", url.replace(f"host={pg_server.socket_dir}", f"host={tmp_path}"))
    with pytest.raises(ServerUnreachableError) as caught:
        CaseStore.open(timeout=1)
    assert "read-only copy of the 2 cases it last opened and 1 local saves waiting" in str(caught.value)
    assert caught.value.offline_cache == tmp_path / "offline-cache.sqlite"


def test_search_gives_the_same_cases_on_both_engines_whichever_plan(tmp_path: Path, pg_url: str) -> None:
    """Both of the server's search plans (walk the newest cases / fetch through the trigram index and sort)
    against SQLite's FTS5, on 600 synthetic cases, for common and rare words and small and no limits."""
    from guideline_db.store.bench import QUERIES, populate

    with open_engine("sqlite", tmp_path) as local, \
            PgCaseStore.connect(admin_url(pg_url), anchor_dir=tmp_path) as server:
        populate(local, 600)
        sqlite_to_pg(local, server)
        for query in (*QUERIES, "bench", "h000", "hr", "wang", "王 li", "de novo"):
            for limit in (1, 7, 60, 500, None):
                expected = [case.case_id for case in local.list_cases(query, limit=limit)]
                assert [case.case_id for case in server.list_cases(query, limit=limit)] == expected, (query, limit)


def test_an_open_store_carries_on_after_the_server_restarts(tmp_path: Path, pg_server: PgServer) -> None:
    url = pg_server.new_database()
    with PgCaseStore.connect(url, anchor_dir=tmp_path) as store:
        history(store)
        pg_server.stop("fast")
        try:
            with pytest.raises(ServerUnreachableError):
                store.list_cases()
        finally:
            pg_server.start()
        assert [case.case_id for case in store.list_cases()] == ["MDT-2", "MDT-1"]   # a read reconnects
        store.save_version(make_case("MDT-3"), author="Dr Li")
        assert store.verify_audit().ok


def test_a_reader_role_reads_and_verifies_but_cannot_save(tmp_path: Path, pg_server: PgServer) -> None:
    from pg_server import PASSWORD

    from guideline_db.store.postgres.admin import add_user

    url = pg_server.new_database()
    with PgCaseStore.connect(url, anchor_dir=tmp_path) as store:
        history(store)
    add_user(pg_server.admin, "reviewer", password=PASSWORD, read_only=True)
    with pg_server.passfile.open("a") as handle:
        handle.write(f"*:*:*:reviewer:{PASSWORD}\n")
    with PgCaseStore.connect(url.replace("tester@", "reviewer@"), anchor_dir=tmp_path / "r") as reader:
        assert len(reader.list_cases("王")) == 1 and reader.verify_audit().ok
        with pytest.raises(StoreAccessError, match="refused: permission denied"):
            reader.save_version(make_case("MDT-9"), author="Dr Wu")
        assert reader.counts()["case_versions"] == 5
    with PgCaseStore.connect(url, anchor_dir=tmp_path, read_only=True) as read_only, \
            pytest.raises(StoreReadOnlyError):
        read_only.autosave_draft("k", "text")


def test_without_postgresql_the_tests_skip_saying_why(monkeypatch: pytest.MonkeyPatch) -> None:
    import pg_server as module

    monkeypatch.setattr(module.glob, "glob", lambda pattern: [])
    monkeypatch.setattr(module.shutil, "which", lambda name: None)
    with pytest.raises(pytest.skip.Exception, match="install Debian's postgresql package"):
        module.PgServer()
