"""One case store, one abc-mdt window: a second instance is told so and opens read-only.

Why a lock file beside the store (QLockFile): two windows on one store each believed their copy of
a case was current, and the older one saved over the newer (age 60 → 59) without a word. The lock
names the process holding it; a stale lock left by a killed app is taken over (QLockFile checks that
the holder is alive). The save path also checks the store's version number (store_actions), so a
change made by the command line or a read-only window is never overwritten either.
"""

from __future__ import annotations

from pathlib import Path

from desktop_app.qt import QLockFile

LOCK_NAME = "abc-mdt-window.lock"


class InstanceLock:
    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / LOCK_NAME
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)          # only a dead holder makes it stale, never its age

    def acquire(self) -> bool:
        """True when this window now holds the store; False when another live abc-mdt does."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return self._lock.tryLock(100)

    def holder(self) -> str:
        """'process 1234 on host' of the other instance (empty when unknown)."""
        info = self._lock.getLockInfo()          # (pid, host, app); PySide drops the bool result
        if not info or not isinstance(info, tuple) or len(info) < 2 or not info[0]:
            return ""
        return f"{info[0]} @ {info[1]}"

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()
