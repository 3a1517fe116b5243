"""When the case server is unreachable: the cases this PC last opened (read-only) and local drafts that
are pushed, with a conflict check, when the server is back.

Why a separate small SQLite file and not a second case store: the server holds the record; what a PC
keeps is a copy of what it showed (so a board can still read a case during a network outage) and
what a clinician typed meanwhile. Neither is history: a copy is replaced by the next open, a pending
save becomes a real version only when the server accepts it. A pending save names the version it was
based on, so pushing it is an `expected_version` save: if someone else saved that case on the server
meanwhile, the push is refused with their name and the local draft is kept for the clinician to merge.

The cache file lives in the PC's data folder (0600, like the SQLite store): it holds patient data.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from guideline_db.case_io import CaseFileError, canonical_case_json, parse_case, quote
from guideline_db.case_model import Case
from guideline_db.store.errors import (
    CaseNotFoundError,
    StoreCorruptError,
    StoreError,
    VersionConflictError,
    translated,
)
from guideline_db.store.paths import create_private_file, ensure_private_dir
from guideline_db.store.records import VersionInfo
from guideline_db.store.search import index_text, normalise
from guideline_db.store.subtype import subtype_of

DDL = """
CREATE TABLE IF NOT EXISTS opened (
    case_id TEXT PRIMARY KEY, version INTEGER NOT NULL, author TEXT NOT NULL, created_at TEXT NOT NULL,
    status TEXT NOT NULL, sha256 TEXT NOT NULL, case_json TEXT NOT NULL, search_text TEXT NOT NULL,
    opened_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending (
    id INTEGER PRIMARY KEY, case_id TEXT NOT NULL, base_version INTEGER NOT NULL, author TEXT NOT NULL,
    status TEXT NOT NULL, case_json TEXT NOT NULL, saved_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS drafts (
    key TEXT PRIMARY KEY, text TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY, case_id TEXT, action TEXT NOT NULL, actor TEXT NOT NULL, detail TEXT NOT NULL,
    version INTEGER, at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class CachedCase:
    case_id: str
    version: int
    author: str
    created_at: str
    status: str
    opened_at: str


@dataclass(frozen=True)
class PendingSave:
    id: int
    case_id: str
    base_version: int
    author: str
    status: str
    saved_at: str


@dataclass
class PushResult:
    pushed: list[VersionInfo] = field(default_factory=list)
    conflicts: list[tuple[PendingSave, str]] = field(default_factory=list)
    drafts: int = 0
    events: int = 0

    def summary(self) -> str:
        lines = [f"{len(self.pushed)} local save(s) pushed to the server"]
        lines += [f"kept locally: case {item.case_id}: {message}" for item, message in self.conflicts]
        return "\n".join(lines)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class OfflineCache:
    """The PC's copy of the cases it opened from the server, and its saves waiting for the server."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        with translated(self.path):
            ensure_private_dir(self.path.parent)
            create_private_file(self.path)
            self._conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False, timeout=5)
            try:
                self._conn.row_factory = sqlite3.Row
                self._conn.execute("PRAGMA synchronous = FULL")
                self._conn.executescript(DDL)
            except BaseException:
                self._conn.close()
                raise

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> OfflineCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- what the PC last opened (written by PgCaseStore.load)
    def remember(self, case: Case, info: VersionInfo) -> None:
        self._conn.execute(
            "INSERT INTO opened VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (case_id) DO UPDATE SET "
            "version = excluded.version, author = excluded.author, created_at = excluded.created_at, "
            "status = excluded.status, sha256 = excluded.sha256, case_json = excluded.case_json, "
            "search_text = excluded.search_text, opened_at = excluded.opened_at WHERE excluded.version >= version",
            (info.case_id, info.version, info.author, info.created_at, info.status, info.sha256,
             canonical_case_json(case), index_text(case, subtype_of(case)), _now()))

    def cached_cases(self, search: str = "") -> list[CachedCase]:
        """The copies, most recently opened first; `search` words must all occur (as in the case list)."""
        terms = normalise(search).split()
        rows = self._conn.execute("SELECT * FROM opened ORDER BY opened_at DESC").fetchall()
        return [CachedCase(row["case_id"], row["version"], row["author"], row["created_at"], row["status"],
                           row["opened_at"]) for row in rows if all(term in row["search_text"] for term in terms)]

    def load(self, case_id: str) -> tuple[Case, CachedCase]:
        """The copy of a case (read-only: the server holds the record)."""
        row = self._conn.execute("SELECT * FROM opened WHERE case_id = ?", (case_id,)).fetchone()
        pending = self._conn.execute("SELECT * FROM pending WHERE case_id = ? ORDER BY id DESC LIMIT 1",
                                     (case_id,)).fetchone()
        if row is None:
            raise CaseNotFoundError(f"case {quote(case_id)} was not opened on this PC: no offline copy",
                                    "open it again when the case server is reachable")
        text = pending["case_json"] if pending is not None else row["case_json"]
        return parse_case(json.loads(text)), CachedCase(row["case_id"], row["version"], row["author"],
                                                        row["created_at"], row["status"], row["opened_at"])

    # ---- saves made offline
    def save_pending(self, case: Case, author: str, status: str = "draft",
                     base_version: int | None = None) -> PendingSave:
        """Keep a save for the server; `base_version` defaults to the version of this PC's copy (0: new)."""
        if base_version is None:
            row = self._conn.execute("SELECT version FROM opened WHERE case_id = ?", (case.case_id,)).fetchone()
            base_version = row["version"] if row else 0
        now = _now()
        cursor = self._conn.execute(
            "INSERT INTO pending (case_id, base_version, author, status, case_json, saved_at) VALUES (?, ?, ?, ?, ?, ?)",
            (case.case_id, base_version, author, status, canonical_case_json(case), now))
        return PendingSave(int(cursor.lastrowid or 0), case.case_id, base_version, author, status, now)

    def pending(self) -> list[PendingSave]:
        return [PendingSave(row["id"], row["case_id"], row["base_version"], row["author"], row["status"],
                            row["saved_at"]) for row in self._conn.execute("SELECT * FROM pending ORDER BY id")]

    def pending_case(self, pending_id: int) -> Case:
        """The content of one pending save (to open it in the editor after a conflict)."""
        row = self._conn.execute("SELECT case_json FROM pending WHERE id = ?", (pending_id,)).fetchone()
        if row is None:
            raise CaseNotFoundError(f"local save {pending_id} is no longer kept on this PC")
        return parse_case(json.loads(row["case_json"]))

    def drop_pending(self, pending_id: int) -> None:
        """Forget one pending save (after the clinician took its content into the editor)."""
        self._conn.execute("DELETE FROM pending WHERE id = ?", (pending_id,))

    # ---- autosaved form drafts and audit events made offline (moved to the server with the saves)
    def autosave_draft(self, key: str, text: str) -> None:
        self._conn.execute("INSERT INTO drafts VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET text = excluded.text, "
                           "updated_at = excluded.updated_at", (key, text, _now()))

    def load_draft(self, key: str) -> str | None:
        row = self._conn.execute("SELECT text FROM drafts WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row["text"])

    def discard_draft(self, key: str) -> None:
        self._conn.execute("DELETE FROM drafts WHERE key = ?", (key,))

    def drafts(self) -> list[tuple[str, str, str]]:
        """(key, text, updated_at) of every draft, oldest first."""
        return [(row["key"], row["text"], row["updated_at"])
                for row in self._conn.execute("SELECT * FROM drafts ORDER BY updated_at")]

    def record_event(self, case_id: str | None, action: str, actor: str, detail: str, version: int | None) -> str:
        """An 'exported'/'printed' event kept for the server's audit log; returns when it was recorded."""
        now = _now()
        self._conn.execute("INSERT INTO events (case_id, action, actor, detail, version, at) VALUES (?, ?, ?, ?, ?, ?)",
                           (case_id, action, actor, detail, version, now))
        return now

    def events(self) -> list[sqlite3.Row]:
        return self._conn.execute("SELECT * FROM events ORDER BY id").fetchall()

    def push(self, store: Any) -> PushResult:
        """Save every pending save on the server with its base version as `expected_version`.

        Several offline saves of one case are pushed in order: the first is checked against its base, each
        next one against the version the previous push created. A refused push (someone else saved the case
        meanwhile, named in the message) is kept, and so are the later saves of that case.
        """
        result = PushResult()
        next_base: dict[str, int] = {}
        blocked: set[str] = set()
        for item in self.pending():
            if item.case_id in blocked:
                result.conflicts.append((item, "an earlier local save of this case was refused"))
                continue
            row = self._conn.execute("SELECT case_json FROM pending WHERE id = ?", (item.id,)).fetchone()
            try:
                case = parse_case(json.loads(row["case_json"]))
            except (CaseFileError, ValueError) as exc:   # edited behind the app's back: kept, never sent
                blocked.add(item.case_id)
                why = exc.problems[0] if isinstance(exc, CaseFileError) else str(exc)
                result.conflicts.append((item, f"this local save is damaged ({why}): it was not sent"))
                continue
            try:
                info = store.save_version(case, item.author, item.status,
                                          expected_version=next_base.get(item.case_id, item.base_version))
            except VersionConflictError as exc:
                blocked.add(item.case_id)
                result.conflicts.append((item, exc.message))
                continue
            except StoreError:
                raise  # server gone again: everything not yet pushed stays pending
            self._conn.execute("DELETE FROM pending WHERE id = ?", (item.id,))
            next_base[item.case_id] = info.version
            result.pushed.append(info)
            self.remember(case, info)
        self._push_drafts_and_events(store, result)
        return result

    def _push_drafts_and_events(self, store: Any, result: PushResult) -> None:
        """Drafts go to the server's drafts (a newer one there is kept: it was typed later elsewhere) and offline
        events into its audit log, with the offline time in the detail (the server stamps its own time)."""
        local = self.drafts()
        on_server = {draft.key: draft.updated_at for draft in store.list_drafts()} if local else {}
        for key, text, updated_at in local:
            if on_server.get(key, "") < updated_at:
                store.autosave_draft(key, text)
            self.discard_draft(key)
            result.drafts += 1
        for row in self.events():
            detail = f"{row['detail']} (offline, {row['at']})".strip()
            try:
                store.record_event(row["case_id"], row["action"], row["actor"], detail, version=row["version"])
            except CaseNotFoundError:   # a case that was never saved on the server: recorded without the case
                store.record_event(None, row["action"], row["actor"], f"case {row['case_id']}: {detail}")
            self._conn.execute("DELETE FROM events WHERE id = ?", (row["id"],))
            result.events += 1


def _located(method: Any) -> Any:
    """An offline cache edited or damaged behind the app's back (not a database, a copy that is not a case) ends
    in a StoreError naming the file, never a traceback (errors.translated)."""
    @functools.wraps(method)
    def wrapper(self: OfflineCache, *args: Any, **kwargs: Any) -> Any:
        with translated(self.path):
            try:
                return method(self, *args, **kwargs)
            except CaseFileError as exc:
                raise StoreCorruptError(f"the offline copy {self.path} holds a case abc-mdt cannot read "
                                        f"({exc.problems[0]})", "open the case again when the case server is "
                                        "reachable: that replaces the copy") from exc

    return wrapper


for _name in ("remember", "cached_cases", "load", "save_pending", "pending", "pending_case", "drop_pending",
              "autosave_draft", "load_draft", "discard_draft", "drafts", "record_event", "events", "push"):
    setattr(OfflineCache, _name, _located(getattr(OfflineCache, _name)))
