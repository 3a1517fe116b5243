"""Opening the store's SQLite connection with the settings that make it crash- and concurrency-safe.

Journal mode: rollback journal (`journal_mode=DELETE`), not WAL. With WAL a committed version can live
only in the `-wal` file until a checkpoint; deleting that file after a crash (a cleanup tool, a user
"tidying" the folder, a copy of the main file alone) silently loses acknowledged versions. With a
rollback journal every commit is written into the main file before `COMMIT` returns (with
synchronous=FULL, fsynced), so the main file alone always holds every acknowledged version; the
`-journal` exists only during a write and holds the *old* pages of the transaction in progress.
Cost: a commit needs about twice the fsyncs of WAL (journal, then database), and readers wait
(busy timeout) during the short exclusive phase of each commit instead of reading alongside it; for a
tumour board's few saves per minute neither is noticeable (see `make bench`). A store created by an
older abc-mdt in WAL mode is checkpointed and switched on its first writable open.

The busy timeout makes a second instance wait instead of failing at once; write transactions start
with BEGIN IMMEDIATE so two writers queue on the busy timeout instead of deadlocking. The anchor file
(anchor.py) catches what the journal mode cannot: a store file replaced by an older copy.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from guideline_db.store.errors import StoreAccessError, StoreCorruptError

SQLITE_MAGIC = b"SQLite format 3\x00"
JOURNAL_MODE = "delete"


def connect(path: Path, timeout: float, factory: type[sqlite3.Connection] = sqlite3.Connection,
            ) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None, check_same_thread=False,
                           factory=factory)
    try:
        _configure(conn, timeout)
        mode = str(conn.execute(f"PRAGMA journal_mode = {JOURNAL_MODE}").fetchone()[0]).lower()
        if mode == "wal":  # another process of an older abc-mdt still holds the store in WAL mode
            conn.execute("PRAGMA wal_checkpoint(FULL)")
        elif mode != JOURNAL_MODE:
            raise StoreAccessError(f"the case store {path} cannot use a rollback journal (journal mode {mode})",
                                   "put the store on a local disk (set ABC_MDT_DATA_DIR)")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return conn


def connect_read_only(path: Path, timeout: float) -> sqlite3.Connection:
    """A read-only connection (the store or its folder cannot be written: read-only medium, permissions).

    A store left in WAL mode in a read-only folder cannot create its shared-memory file; it is then
    opened as immutable (nothing else can be writing it there either).
    """
    uri = f"file:{quote(str(path.absolute()))}?mode=ro"
    wal = path.with_name(path.name + "-wal")
    if wal.exists() or _header_says_wal(path):
        uri += "&immutable=1"
    conn = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False)
    try:
        _configure(conn, timeout)
        conn.execute("PRAGMA query_only = ON")
    except BaseException:
        conn.close()
        raise
    return conn


def _header_says_wal(path: Path) -> bool:
    with path.open("rb") as handle:
        header = handle.read(20)
    return len(header) >= 20 and header[18] == 2


def _configure(conn: sqlite3.Connection, timeout: float) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {max(0, int(timeout * 1000))}")


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
