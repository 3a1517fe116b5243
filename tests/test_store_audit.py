"""Append-only history: triggers refuse UPDATE/DELETE; hash chains reveal edits made behind the app's back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from store_helpers import edited, make_case, open_store

from guideline_db.store import CaseNotFoundError, CaseStore, StoreCorruptError, StoreUsageError


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    with open_store(tmp_path) as store:
        case = make_case("a-1", name="Wang Fang")
        store.save_version(case, author="Dr A")
        store.save_version(edited(case, kps=70), author="Dr B")
        store.save_version(make_case("a-2"), author="Dr A", status="decided")
        store.record_event("a-1", "printed", "Dr B", detail="2 copies")
        return store.path


def raw(path: Path) -> sqlite3.Connection:
    """A connection that is not the app: what someone with the sqlite3 shell could do."""
    return sqlite3.connect(path, isolation_level=None)


@pytest.mark.parametrize("statement", [
    "UPDATE case_versions SET author = 'mallory'",
    "DELETE FROM case_versions WHERE version = 2",
    "UPDATE audit_log SET detail = 'nothing happened'",
    "DELETE FROM audit_log",
    "UPDATE store_meta SET value = 'x' WHERE key = 'pseudonym_secret'",
    "DELETE FROM cases",
])
def test_triggers_refuse_rewriting_history(store_path: Path, statement: str) -> None:
    conn = raw(store_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only|are kept"):
        conn.execute(statement)
    conn.close()


def test_intact_store_verifies(store_path: Path) -> None:
    with CaseStore.open(store_path, mounts_file=None) as store:
        report = store.verify_audit()
    assert report.ok and report.first_break is None
    assert (report.versions_checked, report.entries_checked) == (3, 4)
    assert report.summary().splitlines()[0] == "audit chains intact: 3 case versions and 4 audit entries verified"


def tamper(path: Path, trigger: str, statement: str) -> None:
    conn = raw(path)
    conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    conn.execute(statement)
    conn.close()


def verify(path: Path):
    with CaseStore.open(path, mounts_file=None) as store:
        return store.verify_audit()


def test_edited_case_content_is_reported(store_path: Path) -> None:
    tamper(store_path, "case_versions_no_update",
           "UPDATE case_versions SET case_json = replace(case_json, '\"kps\": 70', '\"kps\": 90') "
           "WHERE case_id = 'a-1' AND version = 2")
    report = verify(store_path)
    assert not report.ok
    assert report.link is not None
    assert (report.link.table, report.link.row) == ("case_versions", 2)
    assert "sha256 of the case JSON of case a-1 version 2" in report.first_break
    assert "expected" in report.first_break and "found" in report.first_break
    with CaseStore.open(store_path, mounts_file=None) as store, pytest.raises(StoreCorruptError, match="altered"):
        store.load("a-1", version=2)


def test_edited_version_metadata_is_reported(store_path: Path) -> None:
    tamper(store_path, "case_versions_no_update", "UPDATE case_versions SET author = 'Dr Z' WHERE id = 1")
    report = verify(store_path)
    assert (report.link.table, report.link.row) == ("case_versions", 1)
    assert "row_hash of case a-1 version 1" in report.link.what


def test_deleted_middle_version_is_reported(store_path: Path) -> None:
    with CaseStore.open(store_path, mounts_file=None) as store:
        store.save_version(edited(store.load("a-1")[0], kps=60), author="Dr C")
    tamper(store_path, "case_versions_no_delete", "DELETE FROM case_versions WHERE case_id = 'a-1' AND version = 2")
    report = verify(store_path)
    assert report.link.table == "case_versions"
    assert "version number of case a-1" in report.link.what
    assert (report.link.expected, report.link.found) == ("2", "3")


def test_deleted_latest_version_is_reported_through_the_audit_log(store_path: Path) -> None:
    tamper(store_path, "case_versions_no_delete", "DELETE FROM case_versions WHERE case_id = 'a-1' AND version = 2")
    report = verify(store_path)
    assert report.link.table == "audit_log"
    assert report.link.found == "no such version"


def test_edited_audit_entry_is_reported(store_path: Path) -> None:
    tamper(store_path, "audit_log_no_update", "UPDATE audit_log SET actor = 'nobody' WHERE id = 4")
    report = verify(store_path)
    assert (report.link.table, report.link.row) == ("audit_log", 4)
    assert "entry_hash of the 'printed' entry" in report.link.what


def test_deleted_audit_entry_is_reported(store_path: Path) -> None:
    tamper(store_path, "audit_log_no_delete", "DELETE FROM audit_log WHERE id = 2")
    report = verify(store_path)
    assert (report.link.table, report.link.row) == ("audit_log", 3)
    assert "prev_hash" in report.link.what


def test_deleted_last_audit_entry_of_a_version_is_reported(store_path: Path) -> None:
    tamper(store_path, "audit_log_no_delete", "DELETE FROM audit_log WHERE id = 4")
    report = verify(store_path)  # the 'printed' entry created no version: the anchor file shows it
    assert not report.ok
    assert any("behind its anchor file" in p and "holds 4" in p for p in report.problems), report.problems
    tamper(store_path, "audit_log_no_delete", "DELETE FROM audit_log WHERE id = 3")
    report = verify(store_path)
    assert (report.link.table, report.link.what) == ("case_versions", "audit entry for case a-2 version 1")


def test_edited_case_list_status_is_reported(store_path: Path) -> None:
    conn = raw(store_path)
    conn.execute("UPDATE cases SET status = 'signed' WHERE case_id = 'a-2'")
    conn.close()
    report = verify(store_path)
    assert report.link.table == "cases"
    assert (report.link.what, report.link.expected, report.link.found) == (
        "status of case a-2 in the case list", "decided", "signed")


def test_record_event(store_path: Path) -> None:
    with CaseStore.open(store_path, mounts_file=None) as store:
        entry = store.record_event("a-1", "exported", "Dr B", detail="USB stick", version=2)
        assert (entry.action, entry.case_id, entry.version, entry.detail) == ("exported", "a-1", 2, "USB stick")
        assert store.audit_entries("a-1")[-1] == entry
        with pytest.raises(StoreUsageError, match="mark_signed"):
            store.record_event("a-1", "signed", "Dr B")
        with pytest.raises(StoreUsageError, match="action"):
            store.record_event("a-1", "deleted", "Dr B")
        with pytest.raises(StoreUsageError, match="actor"):
            store.record_event("a-1", "printed", "")
        with pytest.raises(CaseNotFoundError):
            store.record_event("zzz", "printed", "Dr B")
        with pytest.raises(CaseNotFoundError):
            store.record_event("a-1", "printed", "Dr B", version=7)
        assert store.verify_audit().ok
