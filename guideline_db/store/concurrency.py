"""Optimistic concurrency on save, shared by both engines (SQLite store and the PostgreSQL registry).

Why optimistic: an editor opens version N, the clinician types for minutes, then saves. Holding a lock
that long would block every other PC; instead the save names the version it was based on
(`expected_version`) and is refused — with the other writer's name and time — when someone else saved a
newer version meanwhile. `expected_version=0` means "this case must not exist yet"; None skips the check
(imports, scripts, the old API). The caller holds the write transaction, so the check and the append are
atomic.
"""

from __future__ import annotations

from typing import Any

from guideline_db.case_io import quote
from guideline_db.store import versions as history
from guideline_db.store.errors import StoreUsageError, VersionConflictError

STALE_HINT = "reload the case to see the other change, then apply yours to the latest version and save again"


def refuse_stale(conn: Any, case_id: str, expected_version: int | None) -> None:
    """Raise VersionConflictError unless the latest version of `case_id` is `expected_version`."""
    if expected_version is None:
        return
    if isinstance(expected_version, bool) or not isinstance(expected_version, int) or expected_version < 0:
        raise StoreUsageError("expected_version must be a version number (0 for a new case) or None")
    latest = history.latest_row(conn, case_id)
    current = latest["version"] if latest is not None else 0
    if current == expected_version:
        return
    if latest is None:
        raise VersionConflictError(f"case {quote(case_id)} has no version {expected_version} to save over: "
                                   "it is not in the store; nothing was saved", STALE_HINT)
    raise VersionConflictError(
        f"case {quote(case_id)} was changed by {latest['author']} at {latest['created_at']} (version "
        f"{current}) after you opened version {expected_version}; nothing was saved", STALE_HINT)
