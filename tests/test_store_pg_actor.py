# ruff: noqa: F811  (pytest fixtures imported from pg_server are test parameters here)
"""On the PostgreSQL registry the recorded author/actor is the authenticated role (issue 18, item 2): the
app records it whatever name it is given, the actor trigger refuses any other from a client bypassing
the app, verify-audit reports a mismatch a superuser slipped in, and only IT's migration may copy
historical authors. On SQLite the claimed name is recorded as before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest
from pg_server import PgServer, pg_server  # noqa: F401 (fixtures)
from store_helpers import edited, make_case

from guideline_db.case_io import case_to_json
from guideline_db.store import CaseStore, StoreAccessError
from guideline_db.store.audit import entry_hash
from guideline_db.store.postgres import PgCaseStore
from guideline_db.store.postgres.migrate import sqlite_to_pg

PDF = "cd" * 32


def admin_of(url: str, user: str) -> str:
    """The same database as IT's administrator (the superuser that ran server-init)."""
    return url.replace(f"{user}@", "postgres@")


def raw_entry(conn: psycopg.Connection[Any], actor: str, detail: str = "by hand") -> int:
    """Append a 'printed' entry straight through psycopg, with a correct chain link and hash (as a client
    bypassing abc-mdt would): only the actor trigger stands between it and the log."""
    last = conn.execute("SELECT id, entry_hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    row = {"id": last[0] + 1, "at": "2024-07-01T08:00:00.000000Z", "actor": actor, "action": "printed",
           "case_id": None, "version": None, "detail": detail, "ref_hash": None, "prev_hash": last[1]}
    row["entry_hash"] = entry_hash(row)
    conn.execute("INSERT INTO audit_log (id, at, actor, action, case_id, version, detail, ref_hash, prev_hash, "
                 "entry_hash) VALUES (%(id)s, %(at)s, %(actor)s, %(action)s, %(case_id)s, %(version)s, "
                 "%(detail)s, %(ref_hash)s, %(prev_hash)s, %(entry_hash)s)", row)
    return row["id"]


def test_the_server_records_the_role_not_the_name_passed(tmp_path: Path, pg_server: PgServer) -> None:
    url = pg_server.new_database(users=("alice",))
    case = make_case("A-1", name="王芳")
    source = tmp_path / "import.json"
    source.write_text(case_to_json(make_case("A-3")))
    with PgCaseStore.connect(url, anchor_dir=tmp_path) as store:
        assert store.save_version(case, author="bob").author == "alice"
        store.save_many([edited(case, kps=60), make_case("A-2")], author="bob")
        store.import_case_file(source, author="bob")
        assert store.record_event("A-1", "printed", actor="bob", version=2).actor == "alice"
        store.export_case("A-1", actor="bob")
        store.export_case_to("A-1", tmp_path / "out.json", actor="bob")
        assert [v.author for v in store.versions("A-1")] == ["alice", "alice"]
        assert {entry.actor for entry in store.audit_entries()} == {"alice"}
        roles = set(store.raw.execute("SELECT author, db_role FROM case_versions UNION "
                                      "SELECT actor, db_role FROM audit_log").fetchall())
        assert roles == {("alice", "alice")}
        report = store.verify_audit()
        assert report.ok, report.summary()
        assert any("compared with the authenticated role" in line for line in report.checked)


def test_signing_records_the_role_and_keeps_the_certificate_name(tmp_path: Path, pg_server: PgServer) -> None:
    url = pg_server.new_database(users=("alice",))
    with PgCaseStore.connect(url, anchor_dir=tmp_path) as store:
        store.save_version(make_case("S-1"), author="alice", status="decided")
        signed = store.mark_signed("S-1", 1, PDF, signer="Prof. Bob Zhao", meaning="chair")
        cosigned = store.mark_signed("S-1", 1, PDF, signer="alice", meaning="co-sign")
        assert (signed.author, cosigned.author) == ("alice", "alice")
        entries = [entry for entry in store.audit_entries("S-1") if entry.action == "signed"]
        assert [entry.actor for entry in entries] == ["alice", "alice"]
        assert entries[0].detail == f"signed version 1 (chair) by Prof. Bob Zhao; PDF sha256 {PDF}"
        assert entries[1].detail == f"signed version 1 (co-sign); PDF sha256 {PDF}"   # the role: said once
        assert store.verify_audit().ok


def test_sqlite_still_records_the_name_passed(tmp_path: Path) -> None:
    with CaseStore.open(tmp_path / "cases.sqlite", mounts_file=None, user="tester") as store:
        assert store.save_version(make_case("L-1"), author=" bob ", status="decided").author == "bob"
        assert store.mark_signed("L-1", 1, PDF, signer="Prof. Bob Zhao", meaning="chair").author == "Prof. Bob Zhao"
        assert store.record_event("L-1", "printed", actor="carol").actor == "carol"
        store.export_case("L-1", actor="dave")
        store.export_case("L-1")
        entries = store.audit_entries()
        assert [entry.actor for entry in entries] == ["bob", "Prof. Bob Zhao", "carol", "dave", "tester"]
        assert entries[1].detail == f"signed version 1 (chair); PDF sha256 {PDF}"


def test_a_client_bypassing_the_app_cannot_name_another_role(tmp_path: Path, pg_server: PgServer) -> None:
    url = pg_server.new_database(users=("alice",))
    with PgCaseStore.connect(url, anchor_dir=tmp_path) as store:
        store.save_version(make_case("B-1"), author="alice")
        head = store.audit_head()
    with psycopg.connect(url) as conn:   # psql as alice, correct hashes, another name
        with pytest.raises(psycopg.errors.InsufficientPrivilege,
                           match="audit_log: actor bob is refused: the authenticated role is alice"):
            raw_entry(conn, "bob")
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege,
                           match="case_versions: author bob is refused: the authenticated role is alice"):
            conn.execute("INSERT INTO case_versions (case_id, version, created_at, author, status, changed_fields, "
                         "case_json, sha256, prev_hash, row_hash) VALUES ('B-1', 2, 'x', 'bob', 'draft', '[]', "
                         "'{}', 'x', 'x', 'x')")
    with PgCaseStore.connect(url, anchor_dir=tmp_path) as store:
        assert store.audit_head() == head and store.verify_audit().ok


def test_a_mismatch_slipped_in_by_the_superuser_is_reported(tmp_path: Path, pg_server: PgServer) -> None:
    url = pg_server.new_database(users=("alice",))
    with PgCaseStore.connect(url, anchor_dir=tmp_path) as store:
        store.save_version(make_case("M-1"), author="alice")
    with psycopg.connect(admin_of(url, "alice"), autocommit=True) as conn:   # members of the owner role may
        entry = raw_entry(conn, "alice")
    with PgCaseStore.connect(url, anchor_dir=tmp_path / "other-pc") as store:
        report = store.verify_audit()   # no migration: every row is compared
        assert not report.ok and report.link is None
        assert report.problems == (f"audit entry {entry} (printed): actor alice but the authenticated role was "
                                   "postgres",)


def test_a_migrated_history_keeps_its_authors_and_later_rows_are_compared(tmp_path: Path, pg_server: PgServer,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    url = pg_server.new_database(users=("alice",))
    with CaseStore.open(tmp_path / "pc.sqlite", mounts_file=None, user="it") as local:
        local.save_version(make_case("H-1"), author="Dr Li", status="decided")
        local.mark_signed("H-1", 1, PDF, signer="Prof. Zhao", meaning="chair")
        local.record_event("H-1", "printed", actor="Dr Wang", version=2)
        with PgCaseStore.connect(admin_of(url, "alice"), anchor_dir=tmp_path / "it") as server:
            sqlite_to_pg(local, server)
    with PgCaseStore.connect(url, anchor_dir=tmp_path / "alice") as store:
        assert [v.author for v in store.versions("H-1")] == ["Dr Li", "Prof. Zhao"]
        assert store.audit_entries()[-1].actor == "postgres"      # the 'restored' entry: IT's role
        assert store.verify_audit().ok                          # copied rows are exempt (db_role is IT's)
        store.save_version(edited(store.load("H-1")[0], kps=50), author="Dr Li")
        assert store.verify_audit().ok
        assert store.versions("H-1")[-1].author == "alice"
    monkeypatch.setattr(PgCaseStore, "_actor", CaseStore._actor)   # an owner-role client naming others
    with PgCaseStore.connect(admin_of(url, "alice"), anchor_dir=tmp_path / "it") as server:
        saved = server.save_version(make_case("H-2"), author="Dr Nobody")
        entry = server.audit_entries()[-1].id
    with PgCaseStore.connect(url, anchor_dir=tmp_path / "alice") as store:
        report = store.verify_audit()
        assert not report.ok and report.link is None
        assert report.problems == (
            f"case H-2 version {saved.version}: author Dr Nobody but the authenticated role was postgres",
            f"audit entry {entry} (created): actor Dr Nobody but the authenticated role was postgres")


def test_a_migration_by_a_clinician_is_refused_before_copying(tmp_path: Path, pg_server: PgServer,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    from guideline_db.cli import main

    url = pg_server.new_database(users=("alice",))
    store_file = tmp_path / "pc.sqlite"
    with CaseStore.open(store_file, mounts_file=None, user="it") as local:
        local.save_version(make_case("C-1"), author="Dr Li")
        with PgCaseStore.connect(url, anchor_dir=tmp_path) as server:
            with pytest.raises(StoreAccessError, match=r"refused the migration: role alice is not a member of "
                                                       r"abc_mdt_owner; migrating a store is IT's job") as caught:
                sqlite_to_pg(local, server)
            assert "server-init" in caught.value.hint
            assert server.counts() == {"cases": 0, "case_versions": 0, "audit_log": 0, "drafts": 0}
    assert main(["cases", "migrate", "--store", str(store_file), "--to", url]) == 1
    err = capsys.readouterr().err
    assert "migrating a store is IT's job" in err and "Traceback" not in err


def test_a_refused_name_is_reported_as_such_not_as_a_missing_grant() -> None:
    from psycopg import errors as pg_errors

    from guideline_db.store.postgres.store import _translate

    refused = _translate(pg_errors.InsufficientPrivilege(
        "audit_log: actor bob is refused: the authenticated role is alice"), "registry")
    assert "refused to record another person's name" in refused.message and "their own role" in refused.hint
    grant = _translate(pg_errors.InsufficientPrivilege("permission denied for table audit_log"), "registry")
    assert "abc_mdt_user" in grant.hint
