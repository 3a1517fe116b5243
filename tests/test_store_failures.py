"""Damaged, truncated, read-only, full or busy stores: one clear StoreError with a hint, never a traceback
and never a silently empty list."""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from store_helpers import edited, make_case, open_store

from guideline_db.store import (
    CaseStore,
    StoreCorruptError,
    StoreDiskFullError,
    StoreError,
    StoreInUseError,
    StoreReadOnlyError,
    StoreVersionError,
    case_store,
)


def filled_store(tmp_path: Path, cases: int = 60) -> Path:
    with open_store(tmp_path) as store:
        for i in range(cases):
            store.save_version(make_case(f"f-{i:03d}", name=f"Patient {i}", notes="x" * 500), author="a")
        return store.path  # closing checkpoints the WAL into the file


def assert_one_line_with_hint(error: StoreError, hint_word: str) -> None:
    text = str(error)
    assert "\n" not in text
    assert f"(hint: {error.hint})" in text
    assert hint_word in error.hint


def test_garbage_file(tmp_path: Path) -> None:
    path = tmp_path / "cases.sqlite"
    path.write_bytes(b"PK\x03\x04 a zip file, not a store" * 50)
    with pytest.raises(StoreCorruptError) as error:
        CaseStore.open(path, mounts_file=None)
    assert "not an SQLite database" in error.value.message and str(path) in error.value.message
    assert_one_line_with_hint(error.value, "restore")


def test_truncated_file(tmp_path: Path) -> None:
    path = filled_store(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(StoreCorruptError, match="truncated") as error:
        CaseStore.open(path, mounts_file=None)
    assert_one_line_with_hint(error.value, "backup")


def test_damaged_page_is_an_error_not_an_empty_list(tmp_path: Path) -> None:
    path = filled_store(tmp_path)
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'cases'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * page_size)
    with CaseStore.open(path, mounts_file=None) as store:
        with pytest.raises(StoreCorruptError) as error:
            store.list_cases()
        assert_one_line_with_hint(error.value, "restore")
        assert store.check_integrity() != []


class FlakyDisk(sqlite3.Connection):
    """A connection whose writes fail like a full (or read-only) disk while `failure` is set."""

    failure: str | None = None
    target = "INSERT INTO case_versions"

    def execute(self, sql: str, *args):  # type: ignore[override]
        if FlakyDisk.failure and sql.startswith(FlakyDisk.target):
            raise sqlite3.OperationalError(FlakyDisk.failure)
        return super().execute(sql, *args)


@pytest.fixture
def flaky(tmp_path: Path):
    FlakyDisk.failure, FlakyDisk.target = None, "INSERT INTO case_versions"
    with open_store(tmp_path, connection_factory=FlakyDisk) as store:
        yield store
    FlakyDisk.failure = None


def test_disk_full_during_save_rolls_back(flaky: CaseStore) -> None:
    case = make_case("full-1")
    flaky.save_version(case, author="a")
    FlakyDisk.failure = "database or disk is full"
    with pytest.raises(StoreDiskFullError) as error:
        flaky.save_version(edited(case, kps=60), author="a")
    assert_one_line_with_hint(error.value, "free some disk space")
    FlakyDisk.failure = None
    assert [v.version for v in flaky.versions("full-1")] == [1]
    assert flaky.list_cases()[0].latest_version == 1  # the case-list row was rolled back too
    assert flaky.verify_audit().ok
    assert flaky.save_version(edited(case, kps=60), author="a").version == 2


def test_disk_full_during_autosave_keeps_the_previous_draft(flaky: CaseStore) -> None:
    flaky.autosave_draft("d", "first")
    FlakyDisk.failure, FlakyDisk.target = "database or disk is full", "INSERT INTO drafts"
    with pytest.raises(StoreDiskFullError):
        flaky.autosave_draft("d", "second")
    FlakyDisk.failure = None
    assert flaky.load_draft("d") == "first"


def test_read_only_database_error_is_translated(flaky: CaseStore) -> None:
    FlakyDisk.failure = "attempt to write a readonly database"
    with pytest.raises(StoreReadOnlyError) as error:
        flaky.save_version(make_case("ro-1"), author="a")
    assert_one_line_with_hint(error.value, "writable")


def test_no_space_to_create_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(directory: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(directory))

    monkeypatch.setattr(case_store, "ensure_private_dir", full)
    with pytest.raises(StoreDiskFullError, match="full"):
        CaseStore.open(tmp_path / "d" / "cases.sqlite", mounts_file=None)


def test_read_only_medium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def read_only(path: Path) -> bool:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    monkeypatch.setattr(case_store, "create_private_file", read_only)
    with pytest.raises(StoreReadOnlyError, match="not writable"):
        CaseStore.open(tmp_path / "cases.sqlite", mounts_file=None)


def test_read_only_folder_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a non-root user sees for a read-only folder (root passes os.access, so it is simulated)."""
    path = filled_store(tmp_path, cases=1)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p) != path.parent and real_access(p, mode))
    with pytest.raises(StoreReadOnlyError) as error:
        CaseStore.open(path, mounts_file=None)
    assert str(path.parent) in error.value.message
    assert_one_line_with_hint(error.value, "ABC_MDT_DATA_DIR")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_data_folder(tmp_path: Path) -> None:
    path = filled_store(tmp_path, cases=1)
    os.chmod(path.parent, 0o500)
    try:
        with pytest.raises(StoreReadOnlyError, match="not writable"):
            CaseStore.open(path, mounts_file=None)
        with pytest.raises(StoreReadOnlyError):
            CaseStore.open(path.parent / "sub" / "cases.sqlite", mounts_file=None)
    finally:
        os.chmod(path.parent, 0o700)


def test_busy_store_times_out_with_a_clear_error(tmp_path: Path) -> None:
    with open_store(tmp_path, timeout=0.2) as store:
        holder = sqlite3.connect(store.path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        with pytest.raises(StoreInUseError) as error:
            store.save_version(make_case("busy-1"), author="a")
        assert time.monotonic() - started < 3
        assert "in use" in error.value.message
        assert_one_line_with_hint(error.value, "another abc-mdt window")
        assert store.load_draft("x") is None  # WAL: reading still works while another instance writes
        holder.execute("ROLLBACK")
        holder.close()
        assert store.save_version(make_case("busy-1"), author="a").version == 1


def test_second_instance_waits_for_the_first(tmp_path: Path) -> None:
    with open_store(tmp_path, timeout=10) as store:
        holder = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")
        release = threading.Timer(0.4, lambda: holder.execute("COMMIT"))
        release.start()
        started = time.monotonic()
        info = store.save_version(make_case("wait-1"), author="a")
        release.join()
        holder.close()
        assert info.version == 1
        assert time.monotonic() - started >= 0.3


def test_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = filled_store(tmp_path, cases=1)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreVersionError, match="newer abc-mdt") as error:
        CaseStore.open(path, mounts_file=None)
    assert_one_line_with_hint(error.value, "update abc-mdt")


def test_other_sqlite_file_is_not_taken_for_a_store(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreVersionError, match="not an abc-mdt case store"):
        CaseStore.open(path, mounts_file=None)
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["notes"]  # left untouched
    conn.close()


def test_store_missing_tables_is_damaged(tmp_path: Path) -> None:
    path = filled_store(tmp_path, cases=1)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE drafts")
    conn.commit()
    conn.close()
    with pytest.raises(StoreCorruptError, match="missing tables drafts"):
        CaseStore.open(path, mounts_file=None)
