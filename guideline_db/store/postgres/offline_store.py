"""`OfflineStore`: what the app works with while the hospital's case server is unreachable.

Why a store-shaped object and not a special mode in every view: the GUI talks to "the store" (save, open,
list, drafts, events). Offline, the same calls land in this PC's offline cache (offline.py): the case list
shows the copies of the cases this PC last opened, a case opens from its copy, a save becomes a *pending*
save based on the version the copy holds, drafts and print/export events are kept locally. Nothing here
pretends to be the record: versions are not numbered, the audit trail is the server's, and everything that
needs the server (signing, which records the PDF hash in the registry; import; export with its audit
entry; verify-audit) is refused with a message saying so. When the server is back, `push_to(server)`
saves the pending saves with `expected_version` — a case someone else changed meanwhile is refused with
their name and the local save kept for the clinician to compare.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from guideline_db.case_io import case_version_hash, quote
from guideline_db.case_model import Case
from guideline_db.store.errors import (
    CaseNotFoundError,
    StoreCorruptError,
    StoreReadOnlyError,
    StoreUsageError,
)
from guideline_db.store.postgres.offline import CachedCase, OfflineCache, PendingSave, PushResult
from guideline_db.store.records import AuditEntry, CaseSummary, DraftInfo, VersionInfo
from guideline_db.store.search import index_text, normalise
from guideline_db.store.subtype import subtype_of

NEEDS_SERVER_HINT = "wait until the case server is reachable again (abc-mdt reconnects by itself), then do it again"
#: the CaseStore operations that only the server can do (everything else is implemented below)
NEEDS_SERVER = {
    "mark_signed": "record a signature (the registry keeps the signed PDF's hash)",
    "import_case_file": "import a case file into the registry",
    "export_case": "export a case (the registry records the export)",
    "export_case_to": "export a case (the registry records the export)",
    "save_many": "save several cases at once",
    "verify_audit": "verify the audit trail (it is on the server)",
    "audit_head": "read the audit trail's head (it is on the server)",
    "audit_entries": "read the audit trail (it is on the server)",
    "backup": "back up the registry",
    "counts": "count the registry's cases",
    "check_integrity": "check the registry",
}


class OfflineStore:
    """The offline cache behind the case store's interface; see the module docstring."""

    offline = True
    read_only = False

    def __init__(self, cache: OfflineCache, server: str, user: str | None = None) -> None:
        from guideline_db.store.case_store import login_name

        self.cache = cache
        self.server = server            # the server's address without a password, for messages
        self.path: Path = cache.path
        self.user = user or login_name()
        self._lock = threading.RLock()

    def close(self) -> None:
        self.cache.close()

    def __enter__(self) -> OfflineStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        if name in NEEDS_SERVER:
            def refused(*_args: Any, **_kwargs: Any) -> Any:
                raise StoreReadOnlyError(f"cannot {NEEDS_SERVER[name]} while the case server {self.server} is "
                                         "unreachable; this PC works from its offline copy", NEEDS_SERVER_HINT)
            return refused
        raise AttributeError(name)

    # ---- what the PC has
    def pending(self) -> list[PendingSave]:
        with self._lock:
            return self.cache.pending()

    # ---- the case list and opening a case
    def list_cases(self, search: str = "", limit: int | None = 500) -> list[CaseSummary]:
        """The cached copies and the cases first saved offline, newest first, filtered with the server's search
        text (store/search.py: every word of `search` in the ID, hospital ID, name or diagnosis)."""
        with self._lock:
            rows: dict[str, tuple[CaseSummary, str]] = {}
            copies = {item.case_id: item for item in self.cache.cached_cases()}
            for item in reversed(self.cache.pending()):       # newest pending save first
                if item.case_id not in rows:
                    base = copies[item.case_id].version if item.case_id in copies else 0
                    rows[item.case_id] = self._summary(self.cache.pending_case(item.id), item.status,
                                                       item.saved_at, base)
            for item in copies.values():
                if item.case_id not in rows:
                    try:
                        case, _copy = self.cache.load(item.case_id)
                    except StoreCorruptError:    # listed, so it is not silently gone; opening it says what is wrong
                        rows[item.case_id] = (CaseSummary(item.case_id, None, None, "unknown", item.status,
                                                          item.opened_at, item.version, "", item.opened_at),
                                              normalise(item.case_id))
                        continue
                    rows[item.case_id] = self._summary(case, item.status, item.opened_at, item.version)
        terms = normalise(search).split()
        found = [summary for summary, text in rows.values() if all(term in text for term in terms)]
        found.sort(key=lambda row: row.updated_at, reverse=True)
        return found[:limit] if limit is not None else found

    @staticmethod
    def _summary(case: Case, status: str, when: str, version: int) -> tuple[CaseSummary, str]:
        subtype = subtype_of(case)
        return (CaseSummary(case.case_id, case.patient.hospital_id, case.patient.name, subtype, status, when,
                            version, case.presentation, when), index_text(case, subtype))

    def load(self, case_id: str, version: int | None = None) -> tuple[Case, VersionInfo]:
        """The copy (or this PC's latest pending save of it); `info.version` is the server version it is based
        on (0 for a case first saved offline), which is what the next save is checked against."""
        if version is not None:
            raise StoreReadOnlyError(f"earlier versions of case {quote(case_id)} are on the case server "
                                     f"{self.server}, which is unreachable", NEEDS_SERVER_HINT)
        with self._lock:
            try:
                case, copy = self.cache.load(case_id)
            except CaseNotFoundError:
                return self._pending_only(case_id)
            return case, self._info(case, copy)

    def _pending_only(self, case_id: str) -> tuple[Case, VersionInfo]:
        for item in reversed(self.cache.pending()):
            if item.case_id == case_id:
                case = self.cache.pending_case(item.id)
                return case, VersionInfo(case_id, item.base_version, item.saved_at, item.author, item.status, (),
                                         case_version_hash(case), note="local save, waiting for the server")
        raise CaseNotFoundError(f"case {quote(case_id)} was not opened on this PC: no offline copy",
                                "open it again when the case server is reachable")

    @staticmethod
    def _info(case: Case, copy: CachedCase) -> VersionInfo:
        return VersionInfo(copy.case_id, copy.version, copy.created_at, copy.author, copy.status, (),
                           case_version_hash(case), note=f"offline copy, opened {copy.opened_at}")

    def versions(self, case_id: str) -> list[VersionInfo]:
        """What this PC knows of the case's history: the version its copy holds (the rest is on the server)."""
        return [self.load(case_id)[1]]

    # ---- saving offline
    def save_version(self, case: Case, author: str, status: str = "draft", *, expected_version: int | None = None,
                     subtype: str | None = None) -> VersionInfo:
        """Keep the save for the server. `expected_version` (what the editor opened) becomes the version the
        push is checked against; returned as `version` so the editor's next save is checked the same way."""
        if not isinstance(case, Case):
            raise StoreUsageError(f"expected a Case, got {type(case).__name__}")
        if status not in ("draft", "decided"):
            raise StoreUsageError(f"status must be draft or decided, not {status!r}")
        with self._lock:
            item = self.cache.save_pending(case, author, status, base_version=expected_version)
        return VersionInfo(case.case_id, item.base_version, item.saved_at, author, status, (),
                           case_version_hash(case), note="local save, waiting for the server")

    # ---- drafts and events
    def autosave_draft(self, key: str, text: str) -> None:
        with self._lock:
            self.cache.autosave_draft(key, text)

    def load_draft(self, key: str) -> str | None:
        with self._lock:
            return self.cache.load_draft(key)

    def discard_draft(self, key: str) -> bool:
        with self._lock:
            found = self.cache.load_draft(key) is not None
            self.cache.discard_draft(key)
        return found

    def list_drafts(self) -> list[DraftInfo]:
        with self._lock:
            drafts = self.cache.drafts()
        return [DraftInfo(key, updated_at, len(text)) for key, text, updated_at in reversed(drafts)]

    def record_event(self, case_id: str | None, action: str, actor: str, detail: str = "",
                     version: int | None = None) -> AuditEntry:
        """Printed or exported offline: kept, and written to the server's audit log when it is back."""
        if action not in ("exported", "printed"):
            raise StoreUsageError(f"action must be exported or printed, not {action!r}")
        with self._lock:
            at = self.cache.record_event(case_id, action, actor, str(detail), version)
        return AuditEntry(0, at, actor, action, case_id, version, str(detail))

    # ---- back online
    def push_to(self, server: Any) -> PushResult:
        """Everything kept offline onto `server` (a PgCaseStore): saves with their conflict check, drafts,
        events. A save refused because the case changed on the server stays here (`pending()`)."""
        with self._lock:
            return self.cache.push(server)
