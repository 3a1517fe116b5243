"""Every failure of the case store as one `StoreError` with a message and a hint, never a raw traceback.

Why: the store holds clinical records on a hospital PC where disks fill up, folders are read-only and
files get truncated by a crash or a careless copy. The GUI and the CLI show `str(error)` — one line
that says what went wrong and what to do — and catch only `StoreError`. SQLite and OS exceptions are
translated here, in one place, so every caller reports the same situation the same way.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RESTORE_HINT = "restore the store from a backup (abc-mdt cases restore BACKUP.db)"


class StoreError(Exception):
    """A case-store operation that could not be done; `message` says what, `hint` what to do."""

    default_hint = "try again; if it keeps failing, " + RESTORE_HINT

    def __init__(self, message: str, hint: str | None = None) -> None:
        self.message = message
        self.hint = self.default_hint if hint is None else hint
        super().__init__(message)

    def __str__(self) -> str:
        return f"{self.message} (hint: {self.hint})" if self.hint else self.message


class StoreInUseError(StoreError):
    """Another abc-mdt window or process held the store longer than the busy timeout."""

    default_hint = "another abc-mdt window is saving; wait a moment and try again, or close the other window"


class StoreCorruptError(StoreError):
    """The store file is damaged, truncated or not a database at all."""

    default_hint = RESTORE_HINT


class StoreReadOnlyError(StoreError):
    """The store or its folder cannot be written (permissions, read-only medium)."""

    default_hint = "make the data folder writable, or set ABC_MDT_DATA_DIR to a writable local folder"


class StoreDiskFullError(StoreError):
    """The disk is full; the transaction was rolled back, earlier versions are intact."""

    default_hint = "free some disk space and save again; versions saved earlier are intact"


class StoreAccessError(StoreError):
    """The store file cannot be opened or read for another OS-level reason (I/O error, missing folder)."""

    default_hint = "check that the data folder exists and the disk is healthy; if the file is damaged, " + RESTORE_HINT


class NetworkFilesystemError(StoreError):
    """The store path lies on a network filesystem, where SQLite's file locking is not reliable."""

    default_hint = "set ABC_MDT_DATA_DIR to a folder on a local disk (network shares can corrupt the store)"


class StoreVersionError(StoreError):
    """The file is not an abc-mdt case store, or was written by a newer version of abc-mdt."""

    default_hint = "open it with the abc-mdt version that created it, or point ABC_MDT_DATA_DIR elsewhere"


class CaseNotFoundError(StoreError, LookupError):
    """No case (or no such version of a case) in the store."""

    default_hint = "check the case ID (abc-mdt cases list --search ...)"


class VersionConflictError(StoreError):
    """The caller acted on a version that is no longer the latest (e.g. signing a stale PDF)."""

    default_hint = "reload the case, regenerate the PDF from the latest version and sign that"


class CaseImportError(StoreError):
    """A case file that cannot be imported; `problems` holds one 'field.path: message' line each."""

    default_hint = "correct the file and import it again"

    def __init__(self, message: str, problems: list[str], hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.problems = problems


class StoredCaseInvalidError(StoreError):
    """A stored version no longer validates (e.g. the vocabulary changed); `problems` lists why."""

    default_hint = "open an older abc-mdt to export it, or load an earlier version"

    def __init__(self, message: str, problems: list[str], hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.problems = problems


class RestoreRefusedError(StoreError):
    """The backup offered for restore failed validation; the current store was left untouched."""

    default_hint = "choose another backup file; the current store has not been changed"


class StoreUsageError(StoreError, ValueError):
    """An argument the store refuses (unknown status or action, empty author...). A caller bug."""

    default_hint = ""


_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR = 5, 6, 8, 10
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB, _SQLITE_PERM = 11, 13, 14, 26, 3


def translate(exc: BaseException, path: Path | str | None = None) -> StoreError:
    """Map an sqlite3/OS exception to the StoreError subclass a user can act on."""
    if isinstance(exc, StoreError):
        return exc
    where = f" ({path})" if path else ""
    if isinstance(exc, OSError):
        return _translate_os(exc, where)
    if isinstance(exc, sqlite3.Error):
        return _translate_sqlite(exc, where)
    return StoreError(f"case store failure{where}: {exc}")


def _translate_os(exc: OSError, where: str) -> StoreError:
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StoreDiskFullError(f"the disk holding the case store is full{where}: {reason}")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreReadOnlyError(f"the case store folder is not writable{where}: {reason}")
    return StoreAccessError(f"cannot access the case store{where}: {reason}")


def _translate_sqlite(exc: sqlite3.Error, where: str) -> StoreError:
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in text or "is busy" in text:
        return StoreInUseError(f"the case store is in use by another abc-mdt window or process{where}")
    if primary == _SQLITE_FULL or "disk is full" in text:
        return StoreDiskFullError(f"the disk holding the case store is full{where}; nothing was saved")
    if primary in (_SQLITE_READONLY, _SQLITE_PERM) or "readonly" in text or "read-only" in text:
        return StoreReadOnlyError(f"the case store cannot be written{where}: {exc}")
    if (primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in text or "not a database" in text
            or "could not decode" in text or "no such table" in text or "no such column" in text):
        return StoreCorruptError(f"the case store is damaged{where}: {exc}")
    if primary in (_SQLITE_CANTOPEN, _SQLITE_IOERR) or "unable to open" in text or "disk i/o" in text:
        return StoreAccessError(f"cannot open or read the case store{where}: {exc}")
    return StoreError(f"case store failure{where}: {exc}")


# What decoding damaged rows can raise (a flipped byte in a JSON column, a NULL where text was written).
DECODING_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, UnicodeError, OverflowError,
                   RecursionError, AssertionError)


@contextmanager
def translated(path: Path | str | None = None) -> Iterator[None]:
    """Re-raise sqlite3, OS and decoding errors from the block as StoreError (the cause stays chained).

    A decoding error inside a store operation means the file holds data abc-mdt did not write: it is
    reported as damage, naming the file and the way out, not as a traceback.
    """
    try:
        yield
    except StoreError:
        raise
    except (sqlite3.Error, OSError) as exc:
        raise translate(exc, path) from exc
    except DECODING_ERRORS as exc:
        where = f" {path}" if path else ""
        text = str(exc)
        text = text if len(text) <= 80 else text[:80] + "…"
        raise StoreCorruptError(f"the case store{where} holds data abc-mdt cannot read "
                                f"({type(exc).__name__}: {text})") from exc
