"""Backup with SQLite's online backup API; restore only from a verified backup, keeping the old store."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from store_helpers import edited, make_case, open_store

from guideline_db.store import CaseStore, RestoreRefusedError, StoreUsageError


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path) as opened:
        case = make_case("b-1", name="Wang Fang")
        opened.save_version(case, author="a")
        opened.save_version(edited(case, kps=70), author="a", status="decided")
        opened.save_version(make_case("b-2"), author="a")
        opened.autosave_draft("b-3", "{ unfinished")
        yield opened


def test_backup_is_a_private_standalone_copy(store: CaseStore, tmp_path: Path) -> None:
    dest = store.backup(tmp_path / "backup.db")
    assert dest == tmp_path / "backup.db"
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    assert not Path(str(dest) + "-wal").exists()
    conn = sqlite3.connect(dest)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("SELECT count(*) FROM case_versions").fetchone()[0] == 3
    assert conn.execute("SELECT text FROM drafts WHERE key = 'b-3'").fetchone()[0] == "{ unfinished"
    conn.close()
    assert store.audit_entries()[-1].action == "backed_up"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp file left


def test_backup_sees_other_writers_commits(store: CaseStore, tmp_path: Path) -> None:
    with CaseStore.open(store.path, mounts_file=None) as other:
        other.save_version(make_case("b-9"), author="other window")
    store.backup(tmp_path / "backup.db")
    with CaseStore.open(tmp_path / "backup.db", mounts_file=None) as copy:
        assert {c.case_id for c in copy.list_cases()} == {"b-1", "b-2", "b-9"}


def test_backup_refuses_the_store_itself_and_missing_folders(store: CaseStore, tmp_path: Path) -> None:
    with pytest.raises(StoreUsageError, match="store itself"):
        store.backup(store.path)
    with pytest.raises(StoreUsageError, match="does not exist"):
        store.backup(tmp_path / "no" / "such" / "backup.db")


def test_restore_replaces_the_store_and_keeps_the_previous_one(store: CaseStore, tmp_path: Path) -> None:
    backup = store.backup(tmp_path / "backup.db")
    store.save_version(make_case("after-backup"), author="a")
    path = store.path
    store.close()
    result = CaseStore.restore(backup, path, mounts_file=None, user="it-admin")
    assert (result.store_path, result.cases, result.versions) == (path, 2, 3)
    assert result.previous_copy is not None and result.previous_copy.parent == path.parent
    assert stat.S_IMODE(result.previous_copy.stat().st_mode) == 0o600
    assert "kept at" in result.summary()
    with CaseStore.open(path, mounts_file=None) as restored:
        assert {c.case_id for c in restored.list_cases()} == {"b-1", "b-2"}
        last = restored.audit_entries()[-1]
        assert (last.action, last.actor) == ("restored", "it-admin")
        assert result.source_sha256 in last.detail
        assert restored.verify_audit().ok
    with CaseStore.open(result.previous_copy, mounts_file=None) as previous:
        assert "after-backup" in {c.case_id for c in previous.list_cases()}


def test_restore_while_another_instance_has_the_store_open(store: CaseStore, tmp_path: Path) -> None:
    backup = store.backup(tmp_path / "backup.db")
    store.save_version(make_case("after-backup"), author="a")
    CaseStore.restore(backup, store.path, mounts_file=None)
    # The open instance sees the restored content, not a deleted file.
    assert {c.case_id for c in store.list_cases()} == {"b-1", "b-2"}
    store.save_version(make_case("b-10"), author="a")
    assert store.verify_audit().ok


def test_restore_refuses_a_tampered_backup(store: CaseStore, tmp_path: Path) -> None:
    backup = store.backup(tmp_path / "backup.db")
    conn = sqlite3.connect(backup, isolation_level=None)
    conn.execute("DROP TRIGGER case_versions_no_update")
    conn.execute("UPDATE case_versions SET author = 'mallory' WHERE id = 1")
    conn.close()
    with pytest.raises(RestoreRefusedError, match="broken audit chain: case_versions row 1"):
        CaseStore.restore(backup, store.path, mounts_file=None)
    assert len(store.versions("b-1")) == 2
    assert not list(store.path.parent.glob("*before-restore*"))


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty-db", "not-a-store"])
def test_restore_refuses_unusable_files(store: CaseStore, tmp_path: Path, damage: str) -> None:
    backup = store.backup(tmp_path / "backup.db")
    if damage == "truncate":
        data = backup.read_bytes()
        backup.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        backup.write_bytes(b"this is not a database" * 100)
    elif damage == "empty-db":
        backup.unlink()
        sqlite3.connect(backup).close()
        backup.write_bytes(b"")
    else:
        backup.unlink()
        conn = sqlite3.connect(backup)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
    with pytest.raises(RestoreRefusedError) as error:
        CaseStore.restore(backup, store.path, mounts_file=None)
    assert str(backup) in error.value.message
    assert "not been changed" in error.value.hint
    assert {c.case_id for c in store.list_cases()} == {"b-1", "b-2"}


def test_restore_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RestoreRefusedError, match="does not exist"):
        CaseStore.restore(tmp_path / "nothing.db", tmp_path / "cases.sqlite", mounts_file=None)


def test_restore_over_a_damaged_store(store: CaseStore, tmp_path: Path) -> None:
    backup = store.backup(tmp_path / "backup.db")
    path = store.path
    store.close()
    path.write_bytes(b"\x00garbage" * 1000)
    result = CaseStore.restore(backup, path, mounts_file=None)
    assert result.previous_copy is not None
    assert result.previous_copy.read_bytes() == b"\x00garbage" * 1000  # kept byte for byte
    with CaseStore.open(path, mounts_file=None) as restored:
        assert restored.check_integrity() == []
        assert restored.verify_audit().ok
        assert len(restored.versions("b-1")) == 2


def test_restore_into_a_new_location(store: CaseStore, tmp_path: Path) -> None:
    backup = store.backup(tmp_path / "backup.db")
    result = CaseStore.restore(backup, tmp_path / "elsewhere" / "cases.sqlite", mounts_file=None)
    assert result.previous_copy is None
    assert result.cases == 2
