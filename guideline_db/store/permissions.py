"""Patient-data files are readable by their owner only, and are tightened when found wider.

Why: the store, its journal, its anchor, backups and exports hold identifiable clinical records. Files
the app creates are 0600 from the start (paths.create_private_file); a store copied in with 0644 (a
restore by hand, an older version, a permissive umask) is tightened the next time it is opened.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

COMPANION_SUFFIXES = ("-journal", "-wal", "-shm")


def is_writable(store_path: Path) -> bool:
    """Whether the store file and its folder can be written (SQLite needs both for its journal)."""
    return os.access(store_path, os.W_OK) and os.access(store_path.parent, os.W_OK)


def tighten(path: Path) -> bool:
    """chmod 0600 when group or others have any access; True if the mode was changed."""
    if os.name == "nt":
        return False
    with contextlib.suppress(FileNotFoundError):
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700 | 0o600)
            return True
    return False


def tighten_permissions(store_path: Path, *others: Path) -> list[Path]:
    """Tighten the store, its -journal/-wal/-shm companions and `others` (its anchor file)."""
    paths = [store_path, *(store_path.with_name(store_path.name + s) for s in COMPANION_SUFFIXES), *others]
    return [path for path in paths if tighten(path)]
