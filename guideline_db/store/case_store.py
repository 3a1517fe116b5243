"""`CaseStore`: the local SQLite store of cases — immutable versions, audit log, drafts, import/export.

Why one facade: the GUI and the CLI both save, list, sign and export through this class (never through
SQL of their own), so every change is versioned, chained and audited the same way. Every public method
takes the store's lock and translates SQLite/OS failures into `StoreError` with a hint, so callers
catch one exception type and never show a traceback. The object may be used from a worker thread.
"""

from __future__ import annotations

import contextlib
import functools
import getpass
import json
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from guideline_db.case_io import CaseFileError, case_to_json, clip, parse_case, quote, read_case_file
from guideline_db.case_model import Case
from guideline_db.store import anchor, audit, backup, derived, schema
from guideline_db.store import subtype as subtypes
from guideline_db.store import versions as history
from guideline_db.store.anchor import AuditHead
from guideline_db.store.concurrency import refuse_stale
from guideline_db.store.connection import (
    check_file_header,
    connect,
    connect_read_only,
    read_snapshot,
    write_transaction,
)
from guideline_db.store.errors import (
    CaseImportError,
    CaseNotFoundError,
    StoreAccessError,
    StoreCorruptError,
    StoredCaseInvalidError,
    StoreReadOnlyError,
    StoreUsageError,
    VersionConflictError,
    translate,
    translated,
)
from guideline_db.store.paths import (
    PROC_MOUNTS,
    create_private_file,
    default_store_path,
    ensure_private_dir,
    refuse_network_filesystem,
    refuse_read_only,
)
from guideline_db.store.permissions import is_writable, tighten_permissions
from guideline_db.store.pseudonym import pseudonymise_case
from guideline_db.store.records import (
    AuditEntry,
    AuditReport,
    CaseSummary,
    DraftInfo,
    ExportResult,
    RestoreResult,
    VersionInfo,
)
from guideline_db.store.search import build_query
from guideline_db.store.selection import configured_store_url, open_server

DEFAULT_TIMEOUT = 5.0
DEFAULT_LIST_LIMIT = 500
SAVE_STATUSES = ("draft", "decided")
EVENT_ACTIONS = ("exported", "printed")
MAX_KEY_LENGTH = 256
ANCHOR_HINT = ("run abc-mdt cases verify-audit to see what is missing, then restore the newest verified backup "
               "(abc-mdt cases restore BACKUP.db)")

T = TypeVar("T")


def _guarded(method: Callable[..., T]) -> Callable[..., T]:
    """Run a public method under the store lock, with SQLite/OS errors translated to StoreError."""

    @functools.wraps(method)
    def wrapper(self: CaseStore, *args: Any, **kwargs: Any) -> T:
        with self._lock, translated(self.path):
            if self._conn is None:
                raise StoreUsageError("the case store is closed")
            return method(self, *args, **kwargs)

    return wrapper


def _required_text(name: str, value: object, max_length: int = 200) -> str:
    if not isinstance(value, str) or not value.strip():
        raise StoreUsageError(f"{name} must be a non-empty text")
    if len(value) > max_length:
        raise StoreUsageError(f"{name} is longer than {max_length} characters")
    return value.strip()


class CaseStore:
    """An open case store. Use `CaseStore.open()`; close it (or use `with`) when done."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, user: str,
                 clock: Callable[[], datetime] | None, read_only: bool = False) -> None:
        self._conn: sqlite3.Connection | None = conn
        self.path = path
        self.user = user
        self.read_only = read_only
        self._clock = clock
        self._lock = threading.RLock()
        self._secret: str | None = None
        self.anchor_warning: str | None = None  # set when the anchor file could not be written

    # ----------------------------------------------------------------- opening and closing

    @classmethod
    def open(cls, path: Path | str | None = None, *, timeout: float = DEFAULT_TIMEOUT,
             mounts_file: Path | None = PROC_MOUNTS, user: str | None = None,
             connection_factory: type[sqlite3.Connection] = sqlite3.Connection,
             clock: Callable[[], datetime] | None = None, read_only: bool | None = False) -> CaseStore:
        """Open (creating if needed) the store at `path`, default `default_store_path()`.

        `timeout` is how long a write waits for another instance before StoreInUseError; `mounts_file`
        is the mount table consulted for the network-filesystem refusal (None skips the check);
        `connection_factory` and `clock` exist for tests (fault injection, fixed timestamps).
        `read_only=True` opens an existing store for reading only (list, verify, backup of a store on a
        read-only medium); `None` does so only when the store or its folder is not writable.
        """
        if path is None and (url := configured_store_url()) is not None:  # issue 18: the hospital's server
            return open_server(url, read_only=bool(read_only), clock=clock, timeout=timeout)
        store_path = Path(path) if path is not None else default_store_path()
        with translated(store_path):
            refuse_network_filesystem(store_path, mounts_file)
            if read_only is None:
                read_only = store_path.exists() and not is_writable(store_path)
            if read_only:
                return cls._open_read_only(store_path, timeout, user, clock)
            ensure_private_dir(store_path.parent)
            if not create_private_file(store_path):
                check_file_header(store_path)
            refuse_read_only(store_path)
            tighten_permissions(store_path, anchor.anchor_path(store_path))
            conn = connect(store_path, timeout, connection_factory)
            store = cls(conn, store_path, user=user or login_name(), clock=clock)
            try:
                store._prepare()
            except BaseException:
                store.close()
                raise
        return store

    @classmethod
    def _open_read_only(cls, store_path: Path, timeout: float, user: str | None,
                        clock: Callable[[], datetime] | None) -> CaseStore:
        if not store_path.is_file():
            raise StoreAccessError(f"there is no case store at {store_path}",
                                   "check the path (--store or ABC_MDT_DATA_DIR)")
        check_file_header(store_path)
        conn = connect_read_only(store_path, timeout)
        store = cls(conn, store_path, user=user or login_name(), clock=clock, read_only=True)
        try:
            schema.state(conn)
        except BaseException:
            store.close()
            raise
        return store

    def _prepare(self) -> None:
        assert self._conn is not None
        if schema.state(self._conn) == "empty":
            with self._write() as conn:
                if schema.state(conn) == "empty":   # another instance may have created it meanwhile
                    schema.initialise(conn, self._now())

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that first checks the store against its anchor file and, once committed,
        moves the anchor to the new head (so a store that lost history is never written on top of)."""
        if self.read_only:
            raise StoreReadOnlyError(f"the case store {self.path} is open read-only; nothing was changed")
        with write_transaction(self.conn) as conn:
            problem = self._anchor_problem(conn)
            if problem is not None:
                raise StoreCorruptError(f"the case store {self.path} disagrees with its anchor file: {problem}; "
                                        "nothing was saved", ANCHOR_HINT)
            yield conn
        self._write_anchor_file()

    def _write_anchor_file(self) -> None:
        """After every commit: the chain's head into the anchor file (a failure is a warning, never a lost save)."""
        try:
            anchor.write_anchor(self.path, anchor.head_of(self.conn), self._now())
            self.anchor_warning = None
        except OSError as exc:
            self.anchor_warning = (f"the anchor file {anchor.anchor_path(self.path)} could not be written: "
                                   f"{exc.strerror or exc}")

    def _anchor_problem(self, conn: sqlite3.Connection) -> str | None:
        try:
            head = anchor.read_anchor(self.path)
        except ValueError as exc:
            return str(exc)
        if head is None or head.entries == 0:
            return None
        if schema.state(conn) == "empty":
            return (f"the store is empty but its anchor file holds {head.entries} audit entries "
                    "(the store file was replaced or deleted)")
        return anchor.check_head(conn, head)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                conn, self._conn = self._conn, None
                conn.close()

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        """The SQLite connection, for diagnostics and tests: writing through it bypasses the audit trail."""
        if self._conn is None:
            raise StoreUsageError("the case store is closed")
        return self._conn

    def _now(self) -> str:
        moment = self._clock() if self._clock else datetime.now(UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def _actor(self, claimed: str, name: str = "author") -> str:
        """Who is recorded as the author, actor or signer of what a public method writes.

        Why a hook: on this PC's store nobody authenticates the person, so the recorded name is the one the
        caller gives (validated); the hospital server knows who logged in and records that role instead
        (PgCaseStore._actor), so every path that names a person goes through here and nowhere else."""
        return _required_text(name, claimed)

    # ----------------------------------------------------------------- versions

    @_guarded
    def save_version(self, case: Case, author: str, status: str = "draft", *,
                     expected_version: int | None = None, subtype: str | None = None) -> VersionInfo:
        """Save `case` as a new immutable version. Saving unchanged content and status is a no-op
        that returns the latest version (so a double click or a re-import adds no noise).
        `expected_version` (the version the editor opened, 0 for a new case) refuses a save over a newer
        version with VersionConflictError naming its author and time (concurrency.py).
        `subtype` (the caller's evaluation has it) fills the list column without running the engine again;
        without it the store computes it (subtype.py)."""
        author, status = self._check_save(case, author, status)
        if subtype is not None:
            subtypes.remember(case, subtype)
        with self._write() as conn:
            refuse_stale(conn, case.case_id, expected_version)
            return self._save(case, author, status)

    @_guarded
    def save_many(self, cases: Iterable[Case], author: str, status: str = "draft") -> list[VersionInfo]:
        """Save several cases in one transaction (bulk import, benchmarks): all or nothing."""
        items = list(cases)
        for case in items:
            author, status = self._check_save(case, author, status)
        with self._write():
            return [self._save(case, author, status) for case in items]

    def _check_save(self, case: Case, author: str, status: str) -> tuple[str, str]:
        if not isinstance(case, Case):
            raise StoreUsageError(f"expected a Case, got {type(case).__name__}")
        if status == "signed":
            raise StoreUsageError("a version becomes signed only through mark_signed()")
        if status not in SAVE_STATUSES:
            raise StoreUsageError(f"status must be one of {', '.join(SAVE_STATUSES)}, not {status!r}")
        return self._actor(author), status

    def _latest_row(self, case_id: str) -> sqlite3.Row | None:
        return history.latest_row(self.conn, case_id)

    def _save(self, case: Case, author: str, status: str, *, action: str | None = None, detail: str = "",
              pdf_sha256: str | None = None, signs_version: int | None = None, note: str = "") -> VersionInfo:
        """Append the next version of `case` (versions.append_version); the caller holds the transaction."""
        return history.append_version(self.conn, case, author, status, self._now(), action=action, detail=detail,
                                       pdf_sha256=pdf_sha256, signs_version=signs_version, note=note)

    @_guarded
    def list_cases(self, search: str = "", limit: int | None = DEFAULT_LIST_LIMIT) -> list[CaseSummary]:
        """Cases matching `search` (ID, hospital ID, name or diagnosis; any case), most recently changed
        first, at most `limit` (None: all). Fast enough to run on every keystroke with 100,000 cases."""
        if limit is not None and (not isinstance(limit, int) or limit < 1):
            raise StoreUsageError("limit must be a positive integer or None")
        sql, args = build_query(search, limit)
        return [history.case_summary(row) for row in self.conn.execute(sql, args)]

    @_guarded
    def versions(self, case_id: str) -> list[VersionInfo]:
        """Every version of a case, oldest first."""
        rows = self.conn.execute("SELECT * FROM case_versions WHERE case_id = ? ORDER BY version",
                                 (case_id,)).fetchall()
        if not rows:
            raise CaseNotFoundError(f"no case {quote(case_id)} in the store")
        return [history.version_info(row) for row in rows]

    @_guarded
    def load(self, case_id: str, version: int | None = None) -> tuple[Case, VersionInfo]:
        """A stored version (default: the latest) as a validated Case; its content hash is checked."""
        return self._load(case_id, version)

    def _version_row(self, case_id: str, version: int | None) -> sqlite3.Row:
        if version is None:
            row = self._latest_row(case_id)
        else:
            row = self.conn.execute("SELECT * FROM case_versions WHERE case_id = ? AND version = ?",
                                    (case_id, version)).fetchone()
        if row is None:
            which = f"version {version} of case {quote(case_id)}" if version is not None else f"case {quote(case_id)}"
            raise CaseNotFoundError(f"no {which} in the store")
        return row

    def _load(self, case_id: str, version: int | None) -> tuple[Case, VersionInfo]:
        row = self._version_row(case_id, version)
        if audit.sha256_text(row["case_json"]) != row["sha256"]:
            raise StoreCorruptError(f"version {row['version']} of case {case_id} was altered outside abc-mdt: "
                                    "its content does not match its recorded hash")
        try:
            case = parse_case(json.loads(row["case_json"]))
        except (CaseFileError, ValueError) as exc:
            problems = exc.problems if isinstance(exc, CaseFileError) else [str(exc)]
            raise StoredCaseInvalidError(f"version {row['version']} of case {case_id} no longer validates: "
                                         f"{problems[0]}", problems) from None
        return case, history.version_info(row)

    # ----------------------------------------------------------------- drafts

    @_guarded
    def autosave_draft(self, key: str, text: str) -> None:
        """Keep the editor's text exactly as typed (invalid JSON or an invalid case included); durable on return."""
        key = _required_text("draft key", key, MAX_KEY_LENGTH)
        if not isinstance(text, str):
            raise StoreUsageError("draft text must be a str")
        with self._write() as conn:
            conn.execute("INSERT INTO drafts (key, text, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE "
                         "SET text = excluded.text, updated_at = excluded.updated_at", (key, text, self._now()))

    @_guarded
    def load_draft(self, key: str) -> str | None:
        row = self.conn.execute("SELECT text FROM drafts WHERE key = ?", (key,)).fetchone()
        return None if row is None else row["text"]

    @_guarded
    def discard_draft(self, key: str) -> bool:
        """Remove a draft; True if there was one."""
        with self._write() as conn:
            return conn.execute("DELETE FROM drafts WHERE key = ?", (key,)).rowcount > 0

    @_guarded
    def list_drafts(self) -> list[DraftInfo]:
        """Drafts newest first (the GUI offers them for recovery after a crash)."""
        rows = self.conn.execute("SELECT key, updated_at, length(text) AS chars FROM drafts "
                                 "ORDER BY updated_at DESC, key").fetchall()
        return [DraftInfo(row["key"], row["updated_at"], row["chars"]) for row in rows]

    # ----------------------------------------------------------------- audit, signing

    @_guarded
    def record_event(self, case_id: str | None, action: str, actor: str, detail: str = "",
                     version: int | None = None) -> AuditEntry:
        """Record something done with a case outside the store (printed, exported by the GUI)."""
        if action == "signed":
            raise StoreUsageError("record a signature with mark_signed(), which also keeps the PDF hash")
        if action not in EVENT_ACTIONS:
            raise StoreUsageError(f"action must be one of {', '.join(EVENT_ACTIONS)} (versions record "
                                  f"their own entries), not {action!r}")
        actor = self._actor(actor, "actor")
        with self._write() as conn:
            if case_id is not None:
                self._version_row(case_id, version)
            now = self._now()
            entry_id = audit.append_entry(conn, at=now, actor=actor, action=action, case_id=case_id,
                                          version=version, detail=str(detail), ref_hash=None)
        return AuditEntry(entry_id, now, actor, action, case_id, version, str(detail))

    @_guarded
    def mark_signed(self, case_id: str, version: int, pdf_sha256: str, signer: str, meaning: str) -> VersionInfo:
        """Record that `signer` signed the PDF (hash `pdf_sha256`) made from `version`: a new version
        with status 'signed' holding the same content and the PDF hash, and a 'signed' audit entry.

        Refused (VersionConflictError) when the case changed after `version`: the PDF would not show
        the current record. Co-signing the same content again is allowed.
        """
        pdf = pdf_sha256.lower() if isinstance(pdf_sha256, str) else ""
        if not re.fullmatch(r"[0-9a-f]{64}", pdf):
            raise StoreUsageError("pdf_sha256 must be the 64-hex-digit SHA-256 of the signed PDF")
        signer, meaning = _required_text("signer", signer), _required_text("meaning", meaning, 500)
        author = self._actor(signer, "signer")
        by = f" by {signer}" if signer != author else ""   # the certificate's name, when not the recorded one
        with self._write():
            case, signed = self._load(case_id, version)
            latest = self._latest_row(case_id)
            assert latest is not None
            if latest["sha256"] != signed.sha256:
                raise VersionConflictError(
                    f"version {version} of case {case_id} is not the current content (latest is version "
                    f"{latest['version']}, changed: {', '.join(json.loads(latest['changed_fields'])) or '-'})")
            return self._save(case, author, "signed", action="signed", pdf_sha256=pdf, signs_version=version,
                              note=meaning, detail=f"signed version {version} ({meaning}){by}; PDF sha256 {pdf}")

    @_guarded
    def audit_entries(self, case_id: str | None = None) -> list[AuditEntry]:
        """The audit log, oldest first; of one case when `case_id` is given."""
        sql = "SELECT id, at, actor, action, case_id, version, detail FROM audit_log"
        rows = (self.conn.execute(sql + " WHERE case_id = ? ORDER BY id", (case_id,)) if case_id is not None
                else self.conn.execute(sql + " ORDER BY id"))
        return [AuditEntry(*row) for row in rows]

    @_guarded
    def audit_head(self) -> AuditHead:
        """The audit chain's head now (entry count and hash of the last entry).

        For files made from the store (signed PDFs): embed `head.token()` so that a later
        `abc-mdt cases verify-audit --against FILE` can prove the history it was made from is intact.
        """
        return anchor.head_of(self.conn)

    @_guarded
    def verify_audit(self, against: Iterable[Path | str] = ()) -> AuditReport:
        """Recompute every hash chain, the case list and search index from the versions, check the
        append-only triggers, and check that the chain still holds the head recorded in the anchor file
        and in each file of `against` (backups, export manifests, signed PDFs). The report names the
        first broken link and every anchor the chain no longer contains."""
        sources = [Path(item) for item in against]
        with read_snapshot(self.conn) as conn:
            report = audit.verify(conn)
            problems, checked = self._anchor_findings(conn, sources)
        if not self.read_only and (issue := derived.search_index_problem(self.conn)) is not None:
            problems.insert(0, issue)
        elif self.read_only:
            checked.append("search index internals not checked (store opened read-only)")
        return AuditReport(report.ok and not problems, report.versions_checked, report.entries_checked,
                           report.link, tuple(problems), tuple(checked))

    def _anchor_findings(self, conn: sqlite3.Connection, sources: list[Path]) -> tuple[list[str], list[str]]:
        problems: list[str] = []
        checked: list[str] = []
        anchor_file = anchor.anchor_path(self.path)
        try:
            head = anchor.read_anchor(self.path)
        except ValueError as exc:
            problems.append(str(exc))
            head = None
        if head is None and not problems:
            checked.append(f"no anchor file {anchor_file.name} (a store made before anchors, or it was deleted)")
        elif head is not None:
            if (issue := anchor.check_head(conn, head)) is not None:
                problems.append(f"store behind its anchor file {anchor_file.name}: {issue}")
            else:
                checked.append(f"anchor file {anchor_file.name}: {head.short()} present")
        for source in sources:
            try:
                heads = anchor.heads_in(source)
            except (ValueError, OSError) as exc:
                problems.append(f"{source}: {exc.strerror if isinstance(exc, OSError) else exc}")
                continue
            for item in heads:
                if (issue := anchor.check_head(conn, item)) is not None:
                    problems.append(f"anchored head from {source}: {issue}")
                else:
                    checked.append(f"{source.name}: {item.short()} present")
        return problems, checked

    @_guarded
    def check_integrity(self) -> list[str]:
        """SQLite's own page-level check: an empty list when the file is sound, else its findings."""
        try:
            rows = [row[0] for row in self.conn.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            if isinstance(translate(exc), StoreCorruptError):
                return [str(exc)]  # too damaged for the check to finish: that is the finding
            raise
        return [] if rows == ["ok"] else rows

    @_guarded
    def counts(self) -> dict[str, int]:
        conn = self.conn
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("cases", "case_versions", "audit_log", "drafts")}

    # ----------------------------------------------------------------- import, export

    def _pseudonym_secret(self) -> str:
        if self._secret is None:
            row = self.conn.execute("SELECT value FROM store_meta WHERE key = 'pseudonym_secret'").fetchone()
            if row is None:
                raise StoreCorruptError("the case store has lost its pseudonym key (store_meta)")
            self._secret = row["value"]
        return self._secret

    def _export_text(self, case: Case, pseudonymise: bool) -> tuple[str, tuple[str, ...]]:
        if not pseudonymise:
            return case_to_json(case) + "\n", ("identifiable: nothing replaced",)
        result = pseudonymise_case(case, self._pseudonym_secret())
        return case_to_json(result.case) + "\n", result.actions

    @_guarded
    def export_case(self, case_id: str, pseudonymise: bool = False, *, version: int | None = None,
                    pseudonymise_case_id: bool = True, actor: str | None = None) -> str:
        """The case as a case-format JSON file's text, recorded as 'exported' in the audit log.

        Pseudonymised (see pseudonym.py): keyed case-ID and identifier pseudonyms, dates shifted by a
        per-case offset, names and IDs scrubbed from free text. Prefer `export_case_to()`, which records
        the export only once the file is written and writes the manifest beside it.
        (`pseudonymise_case_id` is kept for callers of the old API: the case ID is always replaced.)
        """
        who = self._actor(actor or self.user, "actor")
        case, info = self._load(case_id, version)
        text, actions = self._export_text(case, pseudonymise)
        with self._write() as conn:
            audit.append_entry(conn, at=self._now(), actor=who, action="exported", case_id=case_id,
                               version=info.version, detail=_export_detail(pseudonymise, text), ref_hash=None)
        return text

    @_guarded
    def export_case_to(self, case_id: str, dest: Path | str, pseudonymise: bool = False, *,
                       version: int | None = None, actor: str | None = None) -> ExportResult:
        """Write the case to `dest` (0600, atomically) with a manifest `dest.manifest.json` beside it
        (what was done, the export's SHA-256, the audit head at that moment), then record 'exported'.
        A failed write records nothing; a failed audit write removes the files again."""
        target = Path(dest).absolute()
        if not target.parent.is_dir():
            raise StoreUsageError(f"cannot write {target}: folder {target.parent} does not exist")
        who = self._actor(actor or self.user, "actor")
        case, info = self._load(case_id, version)
        text, actions = self._export_text(case, pseudonymise)
        head = anchor.head_of(self.conn)
        digest = audit.sha256_text(text)
        manifest_path = target.with_name(target.name + anchor.MANIFEST_SUFFIX)
        manifest = {"export": target.name, "sha256": digest, "pseudonymised": pseudonymise,
                    "what_was_done": list(actions), "version": info.version, "audit_head": head.to_dict(),
                    "store": str(self.path), "exported_at": self._now()}
        if not pseudonymise:
            manifest["case_id"] = case_id
        written: list[Path] = []
        try:
            for path, content in ((target, text), (manifest_path, json.dumps(manifest, indent=2) + "\n")):
                write_private_text(path, content)
                written.append(path)
            with self._write() as conn:
                audit.append_entry(conn, at=self._now(), actor=who, action="exported",
                                   case_id=case_id, version=info.version, ref_hash=None,
                                   detail=_export_detail(pseudonymise, text) + f" to {clip(target.name, 120)}")
        except BaseException:
            for path in written:
                with contextlib.suppress(OSError):
                    path.unlink()
            raise
        return ExportResult(target, manifest_path, digest, head, pseudonymise, actions)

    @_guarded
    def import_case_file(self, path: Path | str, author: str, status: str = "draft") -> VersionInfo:
        """Validate a case-format file and save it as a new version ('imported' in the audit log).
        An existing case ID gets a new version; nothing is overwritten."""
        file_path = Path(path)
        try:
            read = read_case_file(file_path)  # read once: the hash recorded is of the bytes validated
        except CaseFileError as exc:
            more = f" (+{len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
            raise CaseImportError(f"{clip(str(file_path), 200)}: {exc.problems[0]}{more}", exc.problems) from None
        author, status = self._check_save(read.case, author, status)
        with self._write():
            info = self._save(read.case, author, status, action="imported",
                              detail=f"from {clip(file_path.name, 120)} (sha256 {read.sha256})")
        return info

    # ----------------------------------------------------------------- backup, restore

    @_guarded
    def backup(self, dest: Path | str) -> Path:
        """A consistent single-file copy of the store (SQLite online backup; safe while others write).

        The copy holds the audit head of that moment (so it anchors the chain: verify-audit --against).
        A store opened read-only is backed up without a 'backed_up' audit entry (it cannot be written).
        """
        target = backup.backup_store(self.conn, self.path, Path(dest))
        if not self.read_only:
            with self._write() as conn:
                audit.append_entry(conn, at=self._now(), actor=self.user, action="backed_up", case_id=None,
                                   version=None, detail=f"to {target}", ref_hash=None)
        return target

    @classmethod
    def restore(cls, src: Path | str, dest: Path | str | None = None, *, mounts_file: Path | None = PROC_MOUNTS,
                user: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> RestoreResult:
        """Replace the store at `dest` (default path) with the backup `src`, after checking the backup's
        integrity, audit chains, derived tables and triggers; whatever state the current store is in
        (damaged, not a database, behind its anchor) it is first kept aside with its anchor file."""
        store_path = Path(dest) if dest is not None else default_store_path()
        with translated(store_path):
            refuse_network_filesystem(store_path, mounts_file)
            ensure_private_dir(store_path.parent)
            previous, source_hash = backup.restore_store(Path(src), store_path, timeout=timeout)
            old_anchor = anchor.anchor_path(store_path)
            if old_anchor.exists():
                if previous is not None:
                    os.replace(old_anchor, anchor.anchor_path(previous))
                else:
                    old_anchor.unlink()
        with cls.open(store_path, mounts_file=mounts_file, user=user, timeout=timeout) as store:
            kept = f"; previous store kept at {previous}" if previous else ""
            with translated(store_path), store._lock, store._write() as conn:
                audit.append_entry(conn, at=store._now(), actor=store.user, action="restored", case_id=None,
                                   version=None, detail=f"from {Path(src).name} (sha256 {source_hash}){kept}",
                                   ref_hash=None)
            counts = store.counts()
        return RestoreResult(store_path, previous, source_hash, counts["cases"], counts["case_versions"])


def _export_detail(pseudonymise: bool, text: str) -> str:
    return f"{'pseudonymised' if pseudonymise else 'identifiable'} (sha256 {audit.sha256_text(text)})"


def write_private_text(path: Path, text: str) -> None:
    """Write atomically, readable by the owner only (exports and manifests carry patient data)."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)
    create_private_file(temp)
    try:
        with temp.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers/services: still record something
        return "unknown"
