"""`PgCaseStore`: the case store's public API on a hospital's PostgreSQL server.

Why a subclass of CaseStore: every operation the GUI and CLI use (save, list, load, drafts, sign, audit,
export, import) is the same code as on SQLite — the same version rows, the same hash chain, the same
audit entries — running on a psycopg connection that speaks the SQLite modules' SQL (compat.py). What
differs is only what a server does differently: the write transaction (an advisory lock instead of
BEGIN IMMEDIATE), search (pg_trgm LIKE instead of FTS5 MATCH, same results), the trigger and grant checks
of verify-audit, backup (a verified single-file SQLite copy, restorable anywhere) and errors
(an unreachable server is `ServerUnreachableError`, with the offline fallback as hint).

The connection comes from a psycopg pool (one checked out per open store, replaced transparently when
the server restarted). The password is never in abc-mdt's settings: the URL names the server and the
database, and libpq takes the secret from ~/.pgpass, a service file (`service=abc_mdt`) or a client
certificate (`sslcert`/`sslkey` in the service file); see docs/hospital-server.md.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import psycopg_pool
from psycopg import errors as pg_errors

from guideline_db.case_model import Case
from guideline_db.store import anchor, audit, derived
from guideline_db.store import versions as history
from guideline_db.store.case_store import ANCHOR_HINT, DEFAULT_LIST_LIMIT, CaseStore
from guideline_db.store.errors import (
    StoreAccessError,
    StoreCorruptError,
    StoreError,
    StoreInUseError,
    StoreReadOnlyError,
    StoreUsageError,
    StoreVersionError,
)
from guideline_db.store.postgres import schema as pg_schema
from guideline_db.store.postgres.compat import Connection
from guideline_db.store.postgres.offline import OfflineCache
from guideline_db.store.records import AuditReport, ChainBreak, RestoreResult, VersionInfo
from guideline_db.store.search import _WORD, SUMMARY_COLUMNS, WORD_MARK, normalise

OFFLINE_HINT = ("check the network cable or Wi-Fi, or ask IT whether the case server is running; meanwhile "
                "abc-mdt offers the cases last opened on this PC (read-only) and keeps new work as a local "
                "draft that is pushed when the server is back")
READS = frozenset({"versions", "load", "load_draft", "list_drafts", "audit_entries", "audit_head", "counts",
                   "list_cases", "verify_audit", "check_integrity"})
LOGIN_REFUSED = ("authentication failed", "no password supplied", "does not exist", "certificate",
                 "no pg_hba.conf entry", "permission denied for database")


class ServerUnreachableError(StoreAccessError):
    """The case server cannot be reached (network down, server stopped, wrong address).

    `offline_cache` and `url` (set when opened through the configuration): this PC's offline copy to offer
    instead, and the server to try again.
    """

    default_hint = OFFLINE_HINT
    offline_cache: Path | None = None
    url: str | None = None       # the server's URL (set with offline_cache): what the GUI keeps trying


def display_url(url: str) -> str:
    """The URL without a password (for messages and the log)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _translate(exc: BaseException, where: str) -> StoreError:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, pg_errors.LockNotAvailable | pg_errors.QueryCanceled):
        return StoreInUseError(f"the case server {where} is busy: another PC is saving ({first})")
    if isinstance(exc, pg_errors.InsufficientPrivilege) and "the authenticated role is" in first:
        return StoreAccessError(f"the case server {where} refused to record another person's name: {first}",
                                "every version and audit entry names the database role that logged in; log in "
                                "as that person (their own role) to work in their name")
    if isinstance(exc, pg_errors.InsufficientPrivilege):
        return StoreAccessError(f"the case server {where} refused: {first}",
                                "ask IT to make your database role a member of abc_mdt_user")
    if isinstance(exc, pg_errors.ReadOnlySqlTransaction):
        return StoreReadOnlyError(f"the case server {where} is open read-only; nothing was changed")
    if isinstance(exc, psycopg.OperationalError) and any(sign in str(exc) for sign in LOGIN_REFUSED):
        return StoreAccessError(f"the case server {where} refused the login: {first}",
                                "check your database role and its password in ~/.pgpass (or the service file "
                                "or certificate IT set up); docs/hospital-server.md")
    if isinstance(exc, psycopg.OperationalError | psycopg_pool.PoolTimeout | psycopg.InterfaceError):
        return ServerUnreachableError(f"the case server {where} is unreachable: {first}")
    return StoreCorruptError(f"the case server {where} failed: {first}",
                             "run abc-mdt cases verify-audit; if it reports damage, ask IT to restore the "
                             "newest pg_dump")


def _pg_guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    """psycopg errors as StoreError. A read that finds its connection dropped (the server restarted, the
    network blinked) is run once more on a fresh one; a write is never repeated (it may have committed)."""
    retry = method.__name__ in READS

    @functools.wraps(method)
    def wrapper(self: PgCaseStore, *args: Any, **kwargs: Any) -> Any:
        for attempt in (1, 2):
            try:
                return method(self, *args, **kwargs)
            except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
                dropped = self._raw is not None and (self._raw.broken or self._raw.closed)
                if not (retry and dropped and attempt == 1 and isinstance(exc, psycopg.OperationalError)):
                    raise _translate(exc, self.display) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper


def like_patterns(search: str) -> list[str]:
    """The LIKE patterns of a search: the FTS5 phrases of search.match_expression, as substrings."""
    def like(text: str) -> str:
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

    patterns = []
    for term in normalise(search).split():
        if len(term) >= 3:
            patterns.append(like(term))
        else:
            patterns.extend(like(WORD_MARK + token) for token in _WORD.findall(term))
    return patterns


def build_pg_query(search: str, limit: int | None) -> tuple[str, list[object]]:
    patterns = like_patterns(search)
    limit_sql, limit_args = (" LIMIT ?", [limit]) if limit is not None else ("", [])
    if not patterns:
        return f"SELECT {SUMMARY_COLUMNS} FROM cases c ORDER BY c.seq DESC{limit_sql}", limit_args
    where = " AND ".join("f.search_text LIKE ?" for _ in patterns)
    return (f"SELECT {SUMMARY_COLUMNS} FROM cases_fts f JOIN cases c ON c.seq = f.rowid WHERE {where} "
            f"ORDER BY f.rowid DESC{limit_sql}", [*patterns, *limit_args])


def anchor_base(url: str, anchor_dir: Path | None) -> Path:
    """Where this PC keeps its anchor of the server's chain: one file per server and database."""
    from guideline_db import user_dirs

    folder = anchor_dir if anchor_dir is not None else user_dirs.data_dir()
    parts = urlsplit(url)
    ident = f"{parts.hostname}|{parts.port}|{parts.path}|{parts.query}"
    return folder / f"server-{hashlib.sha256(ident.encode()).hexdigest()[:16]}"


def _offline_cache_or_none(path: Path | None) -> OfflineCache | None:
    """This PC's offline copy; a damaged one is logged and left alone, never a reason to refuse the server."""
    if path is None:
        return None
    try:
        return OfflineCache(path)
    except StoreError:
        logging.getLogger(__name__).exception("offline copy %s not usable; working without it", path)
        return None


class PgCaseStore(CaseStore):
    """An open connection to the hospital's case registry. Use `PgCaseStore.connect(url)` or `open_store()`."""

    def __init__(self, pool: psycopg_pool.ConnectionPool, url: str, *, anchor_dir: Path | None,
                 clock: Callable[[], datetime] | None, read_only: bool, timeout: float,
                 offline_cache: OfflineCache | None = None) -> None:
        self._pool = pool
        self._raw: psycopg.Connection[Any] | None = None
        self._adapter: Connection | None = None
        self._closed = False
        self._timeout = timeout
        self.url = url
        self.display = display_url(url)
        self._lock = threading.RLock()
        self.offline_cache = offline_cache
        path = anchor_base(url, anchor_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        super().__init__(None, path, user="", clock=clock, read_only=read_only)  # type: ignore[arg-type]
        self.user = str(self.conn.execute("SELECT session_user").fetchone()[0])

    # The connection: checked out of the pool, replaced when the server dropped it (restart, network).
    @property
    def _conn(self) -> Connection | None:  # type: ignore[override]
        if self._closed:
            return None
        raw = self._raw
        if raw is None or raw.closed or raw.broken:
            if raw is not None:
                with contextlib.suppress(Exception):
                    self._pool.putconn(raw)
            self._raw = raw = self._pool.getconn(timeout=self._timeout)
            self._adapter = Connection(raw)
        return self._adapter

    @_conn.setter
    def _conn(self, value: object) -> None:
        pass

    @classmethod
    def connect(cls, url: str, *, anchor_dir: Path | None = None, clock: Callable[[], datetime] | None = None,
                read_only: bool = False, timeout: float = 5.0, pool_size: int = 2,
                offline_cache: Path | None = None) -> PgCaseStore:
        where = display_url(url)
        options = f"-c lock_timeout={int(timeout * 1000)}"
        if read_only:
            options += " -c default_transaction_read_only=on"
        # prepare_threshold=None: no server-side prepared statements, whose generic plans cannot see the
        # LIKE patterns of a search (a 10x slower plan after the fifth search with as many words)
        kwargs = {"autocommit": True, "connect_timeout": max(1, int(timeout)), "options": options,
                  "application_name": "abc-mdt", "prepare_threshold": None}
        try:
            psycopg.connect(url, **kwargs).close()  # a clear reason (refused, auth failed) before the pool
            pool = psycopg_pool.ConnectionPool(url, min_size=1, max_size=pool_size, kwargs=kwargs, open=True,
                                               timeout=timeout, name="abc-mdt")
        except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
            raise _translate(exc, where) from exc
        try:
            cache = _offline_cache_or_none(offline_cache)
            store = cls(pool, url, anchor_dir=anchor_dir, clock=clock, read_only=read_only, timeout=timeout,
                        offline_cache=cache)
            store._check_schema()
        except BaseException as exc:
            pool.close()
            if isinstance(exc, psycopg.Error):
                raise _translate(exc, where) from exc
            raise
        return store

    def _check_schema(self) -> None:
        tables = {row[0] for row in self.conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
        if not tables:
            raise StoreVersionError(f"the database {self.display} holds no case registry",
                                    "ask IT to run abc-mdt cases server-init (docs/hospital-server.md)")
        missing = pg_schema.REQUIRED_TABLES - tables
        if missing:
            raise StoreCorruptError(f"the case registry {self.display} is incomplete: missing tables "
                                    f"{', '.join(sorted(missing))}")
        row = self.conn.execute("SELECT value FROM store_meta WHERE key = 'pg_schema_version'").fetchone()
        if row is None or int(row[0]) > pg_schema.SCHEMA_VERSION:
            raise StoreVersionError(f"the case registry {self.display} has schema {row[0] if row else '?'}; this "
                                    f"abc-mdt reads up to {pg_schema.SCHEMA_VERSION}", "update abc-mdt")

    def _pseudonym_secret_or_create(self) -> str:
        """The export pseudonyms' key, made on first use (not at install: a migration brings the source's)."""
        if self.conn.execute("SELECT 1 FROM store_meta WHERE key = 'pseudonym_secret'").fetchone() is None:
            import secrets

            with self._write() as conn:
                conn.execute("INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING",
                             ("pseudonym_secret", secrets.token_hex(32)))
        return CaseStore._pseudonym_secret(self)

    def _pseudonym_secret(self) -> str:
        if self._secret is None and not self.read_only:
            return self._pseudonym_secret_or_create()
        return CaseStore._pseudonym_secret(self)

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._raw is not None:
                with contextlib.suppress(Exception):
                    self._pool.putconn(self._raw)
                self._raw = None
            self._pool.close()
            if self.offline_cache is not None:
                self.offline_cache.close()

    @property
    def raw(self) -> psycopg.Connection[Any]:
        """The psycopg connection (diagnostics and tests; writing through it bypasses the audit trail)."""
        self.conn  # noqa: B018 - (re)connects
        assert self._raw is not None
        return self._raw

    # ----------------------------------------------------------------- transactions

    @contextmanager
    def _write(self) -> Iterator[Connection]:  # type: ignore[override]
        if self.read_only:
            raise StoreReadOnlyError(f"the case server {self.display} is open read-only; nothing was changed")
        conn = self.conn
        with self.raw.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(?)", (pg_schema.WRITE_LOCK,))
            problem = self._anchor_problem(conn)
            if problem is not None:
                raise StoreCorruptError(f"the case server {self.display} disagrees with this PC's anchor file: "
                                        f"{problem}; nothing was saved", ANCHOR_HINT)
            yield conn
        self._write_anchor_file()

    def _anchor_problem(self, conn: Any) -> str | None:
        try:
            head = anchor.read_anchor(self.path)
        except ValueError as exc:
            return str(exc)
        if head is None or head.entries == 0:
            return None
        return anchor.check_head(conn, head)

    @contextmanager
    def _snapshot(self) -> Iterator[Connection]:
        conn = self.conn
        with self.raw.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield conn

    # ----------------------------------------------------------------- what differs from SQLite

    def _actor(self, claimed: str, name: str = "author") -> str:
        """The authenticated role (session_user), whatever name the caller claims (still validated, so a
        call that is wrong on SQLite is wrong here too). The actor trigger refuses any other name, so this
        is what keeps the app's own writes from being refused; the signer's certificate name is kept in the
        'signed' entry's detail by mark_signed."""
        super()._actor(claimed, name)
        return self.user

    def load(self, case_id: str, version: int | None = None) -> tuple[Case, VersionInfo]:
        """As CaseStore.load; the latest version opened is also kept in this PC's offline copy."""
        with self._lock:
            case, info = self._load(case_id, version)
            if version is None:
                self._keep_offline_copy(case, info)
        return case, info

    def save_version(self, case: Case, author: str, status: str = "draft", **kwargs: Any) -> VersionInfo:
        """As CaseStore.save_version; what this PC saved is also its offline copy of the case (so a board that
        loses the network after a save still sees what it saved)."""
        info = CaseStore.save_version(self, case, author, status, **kwargs)
        self._keep_offline_copy(case, info)
        return info

    def _keep_offline_copy(self, case: Case, info: VersionInfo) -> None:
        """A copy that cannot be written (disk full, the cache damaged) never fails the open or the save that
        made it: the server has the record; the failure is logged."""
        if self.offline_cache is None:
            return
        try:
            self.offline_cache.remember(case, info)
        except StoreError:
            logging.getLogger(__name__).exception("offline copy of case %s not written", case.case_id)

    def list_cases(self, search: str = "", limit: int | None = DEFAULT_LIST_LIMIT) -> list:
        if limit is not None and (not isinstance(limit, int) or limit < 1):
            raise StoreUsageError("limit must be a positive integer or None")
        with self._lock:
            sql, args = build_pg_query(search, limit)
            patterns = like_patterns(search)
            if not patterns:
                return [history.case_summary(row) for row in self.conn.execute(sql, args)]
            conn = self.conn
            with self.raw.transaction():
                # The planner cannot estimate LIKE '%…%' well: left alone it walks the newest-first index and
                # filters — fast for a common word, a pass over every case for a rare one. So look at the
                # newest cases first: if they hold `limit` matches, that walk is short; if not, the word is
                # rare and its matches are fetched through the trigram index and sorted.
                where = " AND ".join("search_text LIKE ?" for _ in patterns)
                window = min(20_000, max(2_000, 10 * limit)) if limit is not None else 0
                conn.execute("SET LOCAL enable_seqscan = off")
                conn.execute("SET LOCAL enable_bitmapscan = off")   # the window and the walk: the seq index
                recent = 0
                if limit is not None:
                    newest = conn.execute("SELECT coalesce(max(rowid), 0) FROM cases_fts").fetchone()[0]
                    recent = conn.execute(f"SELECT count(*) FROM cases_fts WHERE rowid > ? AND {where}",
                                          [newest - window, *patterns]).fetchone()[0]
                if limit is None or recent < limit:              # rare: the trigram index, then a sort
                    conn.execute("SET LOCAL enable_bitmapscan = on")
                    conn.execute("SET LOCAL enable_indexscan = off")
                return [history.case_summary(row) for row in conn.execute(sql, args)]

    def verify_audit(self, against: Iterable[Path | str] = ()) -> AuditReport:
        sources = [Path(item) for item in against]
        with self._lock, self._snapshot() as conn:
            report = verify_chain(conn)
            problems, checked = self._anchor_findings(conn, sources)
            problems += grant_problems(conn)
            problems += actor_problems(conn)
        checked.append("grants: abc_mdt_user has no UPDATE/DELETE/TRUNCATE on versions, audit log, store_meta")
        checked.append("actors: every author and actor written on this server (since its migration) compared "
                       "with the authenticated role")
        return AuditReport(report.ok and not problems, report.versions_checked, report.entries_checked,
                           report.link, tuple(problems), tuple(checked))

    def check_integrity(self) -> list[str]:
        """The server keeps its own pages (checksums, WAL); here: that it answers and holds every table."""
        with self._lock:
            self._check_schema()
        return []

    def backup(self, dest: Path | str) -> Path:
        """A consistent single-file copy (an SQLite case store, verified) of the registry, recorded as
        'backed_up'. Server-level backups are IT's pg_dump (docs/hospital-server.md)."""
        from guideline_db.store.postgres.migrate import pg_to_sqlite

        with self._lock:
            target = Path(dest).absolute()
            pg_to_sqlite(self, target, record=False)
            if not self.read_only:
                with self._write() as conn:
                    audit.append_entry(conn, at=self._now(), actor=self.user, action="backed_up", case_id=None,
                                       version=None, detail=f"to {target}", ref_hash=None)
        return target

    @classmethod
    def restore(cls, src: Path | str, dest: Path | str | None = None, **_kwargs: Any) -> RestoreResult:
        raise StoreUsageError("a server registry is not replaced from a PC: copy a backup into a new, empty "
                              "database with abc-mdt cases migrate --from BACKUP.db --to postgresql://...")


def verify_chain(conn: Any) -> AuditReport:
    """audit.verify() on the server: the same walk, the server's trigger check instead of sqlite_master's."""
    walk = audit._Walk()
    for row in conn.execute("SELECT * FROM case_versions ORDER BY id"):
        if (link := walk.version(row)) is not None:
            return AuditReport(False, walk.version_count, 0, link)
    prev_hash, prev_id = audit.GENESIS_HASH, 0
    for row in conn.execute("SELECT * FROM audit_log ORDER BY id"):
        if (link := walk.entry(row, prev_hash, prev_id)) is not None:
            return AuditReport(False, walk.version_count, walk.entry_count, link)
        prev_hash, prev_id = row["entry_hash"], row["id"]
    link = walk.uncovered() or derived.derived_break(conn) or trigger_break(conn)
    return AuditReport(link is None, walk.version_count, walk.entry_count, link)


def _normal(sql: str) -> str:
    return " ".join(sql.split())


def trigger_break(conn: Any) -> ChainBreak | None:
    """The first append-only or actor trigger missing, disabled, or calling a function changed since install."""
    found = {row[0]: (row[1], row[2], row[3]) for row in conn.execute(
        "SELECT t.tgname, c.relname, p.proname, t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal")}
    for name, (table, function) in pg_schema.trigger_definitions().items():
        if name not in found:
            return ChainBreak("pg_trigger", 0, f"append-only trigger {name}", "present", "missing (dropped)")
        if found[name][:2] != (table, function) or found[name][2] != "O":
            return ChainBreak("pg_trigger", 0, f"append-only trigger {name}", "enabled, as created by abc-mdt",
                              "disabled or changed")
    sources = {row[0]: row[1] for row in conn.execute(
        "SELECT proname, prosrc FROM pg_proc WHERE proname IN ('abc_mdt_refuse', 'abc_mdt_keep_cases', "
        "'abc_mdt_actor')")}
    for name, statement in pg_schema.FUNCTIONS.items():
        body = statement.split("$fn$")[1]
        if _normal(sources.get(name, "")) != _normal(body):
            return ChainBreak("pg_proc", 0, f"trigger function {name}", "as created by abc-mdt", "changed")
    return None


def grant_problems(conn: Any) -> list[str]:
    """Findings when the users' role may rewrite history (a grant added behind the app's back)."""
    problems = []
    for table in pg_schema.APPEND_ONLY:
        for privilege in ("UPDATE", "DELETE", "TRUNCATE"):
            if conn.execute("SELECT has_table_privilege(?, ?, ?)",
                            (pg_schema.USER_ROLE, table, privilege)).fetchone()[0]:
                problems.append(f"role {pg_schema.USER_ROLE} holds {privilege} on {table}: history could be "
                                "rewritten (revoke it; docs/hospital-server.md)")
    return problems


def actor_problems(conn: Any) -> list[str]:
    """Findings for rows whose author/actor (in the chain) is not the role that wrote them (db_role).

    Why only since the last migration: a migration copies the source's rows with their historical authors
    under IT's role, so their db_role is IT's by design; everything after it was written on this server,
    where the trigger allows a mismatch only to a member of the owner role (a superuser's psql, say)."""
    since = conn.execute("SELECT coalesce(max(id), 0) FROM audit_log WHERE action = 'restored' "
                         "AND detail LIKE 'migrated from%'").fetchone()[0]
    problems = [f"case {row[0]} version {row[1]}: author {row[2]} but the authenticated role was {row[3]}"
                for row in conn.execute(
                    "SELECT v.case_id, v.version, v.author, v.db_role FROM case_versions v JOIN audit_log a "
                    "ON a.case_id = v.case_id AND a.version = v.version AND a.ref_hash = v.row_hash "
                    "WHERE a.id > ? AND v.author <> v.db_role ORDER BY v.id", (since,))]
    problems += [f"audit entry {row[0]} ({row[1]}): actor {row[2]} but the authenticated role was {row[3]}"
                 for row in conn.execute("SELECT id, action, actor, db_role FROM audit_log WHERE id > ? "
                                         "AND actor <> db_role ORDER BY id", (since,))]
    return problems


_SHARED = ("save_many", "versions", "load", "autosave_draft", "load_draft", "discard_draft", "list_drafts",
           "record_event", "mark_signed", "audit_entries", "audit_head", "counts", "export_case", "export_case_to",
           "import_case_file", "save_version", "list_cases", "verify_audit", "check_integrity", "backup")
for _name in _SHARED:
    setattr(PgCaseStore, _name, _pg_guarded(getattr(PgCaseStore, _name)))
