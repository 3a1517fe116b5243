"""Opening the store's SQLite connection with the settings that make it crash- and concurrency-safe.

Why these pragmas: WAL lets a second window read while one writes and keeps committed data through a
crash; synchronous=FULL makes every commit durable before save() returns (an autosave that returned is
on disk); the busy timeout makes a second instance wait instead of failing at once; write transactions
start with BEGIN IMMEDIATE so two writers queue on the busy timeout instead of deadlocking.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from guideline_db.store.errors import StoreAccessError, StoreCorruptError

SQLITE_MAGIC = b"SQLite format 3\x00"


def connect(path: Path, timeout: float, factory: type[sqlite3.Connection] = sqlite3.Connection,
            ) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None, check_same_thread=False,
                           factory=factory)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {max(0, int(timeout * 1000))}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreAccessError(f"the case store {path} cannot use write-ahead logging (journal mode {mode})",
                                   "put the store on a local disk (set ABC_MDT_DATA_DIR)")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT; any failure (disk full at COMMIT included) rolls back everything."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise


@contextmanager
def read_snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One consistent snapshot for several SELECTs (WAL readers never block writers)."""
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")


def check_file_header(path: Path) -> None:
    """Refuse a file that is not SQLite or is shorter than its header says (a truncated copy).

    SQLite itself would open such a file and fail later on some query, or silently return only the
    rows on intact pages; checking the header first turns that into one clear error at open time.
    The size check is skipped while a WAL file holds frames: a crash during a checkpoint may leave the
    main file short, and SQLite completes it from the WAL.
    """
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise StoreCorruptError(f"the case store {path} is not an SQLite database (damaged or overwritten)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    header_valid = page_count > 0 and header[24:28] == header[92:96]
    wal = path.with_name(path.name + "-wal")
    wal_has_frames = wal.exists() and wal.stat().st_size > 32
    if header_valid and not wal_has_frames and size < page_count * page_size:
        raise StoreCorruptError(f"the case store {path} is truncated: the file has {size} bytes, "
                                f"its header says {page_count * page_size}")
