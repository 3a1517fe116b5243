"""Backup and restore of the case store with SQLite's online backup API.

Why the backup API rather than copying the file: a copy taken while another window writes can mix
pages of two transactions, and misses what is still in the WAL file. The backup API copies one
consistent snapshot, and restoring *into* the live store through it lets other open connections see
the restored content instead of keeping a deleted file open. A restore never starts before the backup
passed SQLite's integrity check and the audit-chain verification, and the current store is copied
aside first, so a wrong restore can itself be undone.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from guideline_db.store import audit, derived, schema
from guideline_db.store.connection import check_file_header
from guideline_db.store.errors import (
    DECODING_ERRORS,
    RestoreRefusedError,
    StoreCorruptError,
    StoreError,
    StoreInUseError,
    StoreUsageError,
    translate,
    translated,
)
from guideline_db.store.paths import create_private_file, fsync_path

_BUSY_CODES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED as reported to the progress callback


def _fsync(path: Path) -> None:
    """Flush a file (or a directory entry) to disk, so a finished backup survives a power cut (on Windows
    too: paths.fsync_path)."""
    fsync_path(path)


def _same_file(a: Path, b: Path) -> bool:
    return a.absolute().resolve() == b.absolute().resolve()


def _copy_with_backup_api(source: sqlite3.Connection, target_path: Path,
                          progress: Callable[[int, int, int], object] | None = None) -> None:
    """Copy `source` into the file `target_path` and make the copy a standalone single file."""
    target = sqlite3.connect(str(target_path), isolation_level=None)
    try:
        source.backup(target, progress=progress)
        target.execute("PRAGMA journal_mode = DELETE")  # no -wal/-shm beside a backup file
        result = target.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise StoreCorruptError(f"the copy written to {target_path} failed its check: {result}")
    finally:
        target.close()


def backup_store(conn: sqlite3.Connection, store_path: Path, dest: Path) -> Path:
    """Write a consistent copy of the open store to `dest` (atomically: a temp file, then rename)."""
    dest = dest.absolute()
    if _same_file(dest, store_path):
        raise StoreUsageError("the backup file must not be the store itself")
    if not dest.parent.is_dir():
        raise StoreUsageError(f"the backup folder {dest.parent} does not exist")
    temp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex}.tmp")
    with translated(dest):
        create_private_file(temp)
        try:
            _copy_with_backup_api(conn, temp)
            _fsync(temp)
            os.replace(temp, dest)
            _fsync(dest.parent)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
    return dest


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _stage(src: Path, staged: Path) -> None:
    """Copy the backup into a private staging file, opening the backup read-only."""
    try:
        check_file_header(src)
        source = sqlite3.connect(f"file:{quote(str(src.absolute()))}?mode=ro", uri=True)
        try:
            _copy_with_backup_api(source, staged)
        finally:
            source.close()
    except (StoreError, sqlite3.Error, *DECODING_ERRORS) as exc:
        reason = exc.message if isinstance(exc, StoreError) else f"{type(exc).__name__}: {str(exc)[:80]}"
        raise RestoreRefusedError(f"{src} is not a usable case-store backup: {reason}") from None


def _validate(staged: Path, src: Path) -> None:
    """Integrity check, schema check, audit-chain verification (which recomputes the case list and search
    index from the versions and checks the triggers) and FTS5's own index check of the staged copy."""
    conn = sqlite3.connect(str(staged), isolation_level=None)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise RestoreRefusedError(f"{src} fails SQLite's integrity check: {problems[0]}")
        if schema.state(conn) != "current":
            raise RestoreRefusedError(f"{src} is an empty database, not a case-store backup")
        report = audit.verify(conn)
        if not report.ok:
            raise RestoreRefusedError(f"{src} has a broken audit chain: {report.first_break}")
        problem = derived.search_index_problem(conn)
        if problem is not None:
            raise RestoreRefusedError(f"{src}: {problem}")
    except StoreError as exc:
        if isinstance(exc, RestoreRefusedError):
            raise
        raise RestoreRefusedError(f"{src} cannot be restored: {exc.message}") from None
    except sqlite3.Error as exc:
        raise RestoreRefusedError(f"{src} is not a usable case-store backup: {exc}") from None
    except DECODING_ERRORS as exc:  # a damaged row: text that is not UTF-8, JSON that does not parse
        raise RestoreRefusedError(f"{src} holds data abc-mdt cannot read ({type(exc).__name__}: "
                                  f"{str(exc)[:80]})") from None
    finally:
        conn.close()


def _keep_previous(store_path: Path) -> Path:
    """Copy the current store aside (backup API; a raw file copy if it is too damaged for that)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    copy = store_path.with_name(f"{store_path.stem}.before-restore-{stamp}{store_path.suffix}")
    create_private_file(copy)
    try:
        current = sqlite3.connect(str(store_path), isolation_level=None)
        try:
            _copy_with_backup_api(current, copy)
        finally:
            current.close()
    except (sqlite3.DatabaseError, StoreCorruptError):
        # A damaged store is kept byte for byte (with its WAL), for forensics or manual recovery.
        shutil.copyfile(store_path, copy)
        wal = store_path.with_name(store_path.name + "-wal")
        if wal.exists():
            wal_copy = copy.with_name(copy.name + "-wal")
            create_private_file(wal_copy)
            shutil.copyfile(wal, wal_copy)
    _fsync(copy)
    return copy


def _deadline(seconds: float) -> Callable[[int, int, int], None]:
    """A backup progress callback that gives up when the destination stays busy (Python would retry forever)."""
    end = time.monotonic() + seconds

    def progress(status: int, remaining: int, total: int) -> None:
        if status in _BUSY_CODES and time.monotonic() > end:
            raise TimeoutError("case store busy")

    return progress


def _replace_file(staged: Path, store_path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            store_path.with_name(store_path.name + suffix).unlink()
    os.replace(staged, store_path)
    _fsync(store_path.parent)


def _install(staged: Path, store_path: Path, timeout: float) -> None:
    """Write the staged copy into the store: through the backup API when the store is a healthy database
    (other connections stay valid), by renaming the file over it when the store is damaged."""
    if not store_path.exists() or store_path.stat().st_size == 0:
        _replace_file(staged, store_path)
        return
    try:
        source = sqlite3.connect(str(staged), isolation_level=None)
        target = sqlite3.connect(str(store_path), timeout=timeout, isolation_level=None)
        try:
            same_pages = (source.execute("PRAGMA page_size").fetchone()[0]
                          == target.execute("PRAGMA page_size").fetchone()[0])
            if same_pages:
                source.backup(target, progress=_deadline(timeout))
        finally:
            source.close()
            target.close()
    except TimeoutError:
        raise StoreInUseError("the case store is in use by another abc-mdt window; nothing was restored") from None
    except sqlite3.Error as exc:
        if not isinstance(translate(exc), StoreCorruptError):
            raise
        same_pages = False
    if not same_pages:
        _replace_file(staged, store_path)


def restore_store(src: Path, store_path: Path, *, timeout: float) -> tuple[Path | None, str]:
    """Validate `src`, keep the current store aside, install `src`. Returns (copy kept, sha256 of src)."""
    if not src.is_file():
        raise RestoreRefusedError(f"the backup file {src} does not exist")
    if store_path.exists() and _same_file(src, store_path):
        raise StoreUsageError("cannot restore the store from itself")
    source_hash = file_sha256(src)
    staged = store_path.with_name(f".restore-{uuid.uuid4().hex}{store_path.suffix}")
    create_private_file(staged)
    try:
        _stage(src, staged)
        _validate(staged, src)
        previous = None
        if store_path.exists() and store_path.stat().st_size > 0:
            previous = _keep_previous(store_path)
        _install(staged, store_path, timeout)
    finally:
        with contextlib.suppress(FileNotFoundError):
            staged.unlink()
    return previous, source_hash
