"""`abc-mdt cases migrate`: the whole history between an SQLite store and the PostgreSQL registry.

Why row for row, not case by case: re-saving each version on the other side would give every version a
new time, a new audit entry and a new hash — a different history. Copying the rows keeps every
version, every audit entry and every hash as they were, so the chain that arrives is the chain that
left; it is verified *inside* the receiving transaction (walk, cross-links, case list and search
index, head and counts equal to the source's) and rolled back on any difference. Then one 'restored'
audit entry records the migration on the receiving side. The target must be empty: two histories are
never merged.

The same copy (server -> single SQLite file, without the 'restored' entry) is the server store's
`backup()`: a file `abc-mdt cases restore` accepts on any PC and whose audit head anchors the server's
chain (`verify-audit --against BACKUP.db`).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guideline_db.store import anchor, audit, schema
from guideline_db.store.anchor import AuditHead
from guideline_db.store.case_store import CaseStore
from guideline_db.store.connection import connect, read_snapshot, write_transaction
from guideline_db.store.errors import StoreAccessError, StoreCorruptError, StoreUsageError
from guideline_db.store.paths import create_private_file, fsync_path

CASE_COLUMNS = ("case_id", "seq", "hospital_id", "name", "subtype", "presentation", "diagnosis", "status",
                "created_at", "updated_at", "latest_version")
VERSION_COLUMNS = ("case_id", "version", "created_at", "author", "status", "changed_fields", "case_json",
                   "sha256", "pdf_sha256", "signs_version", "note", "prev_hash", "row_hash")
ENTRY_COLUMNS = ("id", "at", "actor", "action", "case_id", "version", "detail", "ref_hash", "prev_hash",
                 "entry_hash")
TABLES: dict[str, tuple[str, ...]] = {
    "cases": CASE_COLUMNS, "cases_fts": ("rowid", "search_text"), "case_versions": VERSION_COLUMNS,
    "audit_log": ENTRY_COLUMNS, "drafts": ("key", "text", "updated_at"),
}
ORDER = {"cases": "seq", "cases_fts": "rowid", "case_versions": "id", "audit_log": "id", "drafts": "key"}
SERVER_ONLY_META = ("pg_schema_version",)


@dataclass(frozen=True)
class MigrationResult:
    source: str
    target: str
    cases: int
    versions: int
    entries: int
    head: AuditHead

    def summary(self) -> str:
        return (f"migrated {self.cases} cases ({self.versions} versions, {self.entries} audit entries) from "
                f"{self.source} to {self.target}; chain verified on arrival, head {self.head.short()}")


def _rows(conn: Any, table: str) -> list[tuple[Any, ...]]:
    columns = ", ".join(TABLES[table])
    return [tuple(row) for row in conn.execute(f"SELECT {columns} FROM {table} ORDER BY {ORDER[table]}")]


def _insert(conn: Any, table: str, rows: list[tuple[Any, ...]], columns: tuple[str, ...] | None = None) -> None:
    names = columns or TABLES[table]
    conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})", rows)


def _counts(conn: Any) -> tuple[int, int, int]:
    return tuple(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[return-value]
                 for table in ("cases", "case_versions", "audit_log"))


def _check_arrival(source_head: AuditHead, source_counts: tuple[int, ...], conn: Any, report: Any,
                   target: str) -> None:
    if not report.ok:
        raise StoreCorruptError(f"the copy in {target} failed verification: {report.first_break}; nothing was "
                                "migrated")
    head, counts = anchor.head_of(conn), _counts(conn)
    if head != source_head or counts != source_counts:
        raise StoreCorruptError(f"the copy in {target} differs from its source (head {head.short()} vs "
                                f"{source_head.short()}, counts {counts} vs {source_counts}); nothing was migrated")


def _refuse_non_empty(conn: Any, target: str) -> None:
    if any(_counts(conn)) or conn.execute("SELECT count(*) FROM drafts").fetchone()[0]:
        raise StoreUsageError(f"{target} already holds cases or audit entries: a migration never merges two "
                              "histories", "migrate into a new, empty registry database (or a new file)")


def _refuse_non_owner(dst: Any) -> None:
    """Only IT's role may copy a history into the server: its rows keep their historical authors, which
    the actor trigger allows to members of the owner role alone. Checked before anything is read or copied,
    so a clinician gets this sentence rather than the trigger's refusal halfway through."""
    from guideline_db.store.postgres.schema import OWNER_ROLE

    if not dst.conn.execute("SELECT pg_has_role(session_user, ?, 'MEMBER')", (OWNER_ROLE,)).fetchone()[0]:
        raise StoreAccessError(
            f"the case server {dst.display} refused the migration: role {dst.user} is not a member of "
            f"{OWNER_ROLE}; migrating a store is IT's job (the versions keep their original authors)",
            "ask IT to run abc-mdt cases migrate as the administrator who ran abc-mdt cases server-init "
            "(docs/hospital-server.md, section 4)")


def sqlite_to_pg(src: CaseStore, dst: Any) -> MigrationResult:
    """Copy every row of the SQLite store `src` into the empty registry `dst` (a PgCaseStore), which must be
    connected as a member of the owner role (IT: the role that ran server-init)."""
    from guideline_db.store.postgres.store import verify_chain

    _refuse_non_owner(dst)
    with src._lock, read_snapshot(src.conn) as source:
        source.row_factory = sqlite3.Row
        if (report := audit.verify(source)).ok is False:
            raise StoreCorruptError(f"the source {src.path} fails verification: {report.first_break}; "
                                    "nothing was migrated", "repair or restore it first")
        source_head, source_counts = anchor.head_of(source), _counts(source)
        meta = [tuple(row) for row in source.execute("SELECT key, value FROM store_meta ORDER BY key")]
        data = {table: _rows(source, table) for table in TABLES}
    with dst._lock, dst._write() as conn:
        _refuse_non_empty(conn, dst.display)
        for key, value in meta:
            conn.execute("INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", (key, value))
            found = conn.execute("SELECT value FROM store_meta WHERE key = ?", (key,)).fetchone()[0]
            if key == "pseudonym_secret" and found != value:
                raise StoreUsageError(f"{dst.display} already has its own pseudonym key: the source's export "
                                      "pseudonyms would change", "migrate into a new, empty registry database")
        for table in TABLES:
            _insert(conn, table, data[table])
        _check_arrival(source_head, source_counts, conn, verify_chain(conn), dst.display)
        audit.append_entry(conn, at=dst._now(), actor=dst.user, action="restored", case_id=None, version=None,
                           ref_hash=None, detail=f"migrated from {src.path} (SQLite): {source_counts[1]} versions, "
                                             f"{source_counts[2]} audit entries, head {source_head.token()}")
    return MigrationResult(str(src.path), dst.display, *source_counts, source_head)


def _create_sqlite(conn: sqlite3.Connection) -> None:
    without_comments = re.sub(r"--[^\n]*", "", schema.DDL)
    for statement in [s for s in without_comments.split(";") if s.strip()] + schema.trigger_statements():
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")


def pg_to_sqlite(src: Any, dest: Path, *, record: bool = True) -> MigrationResult:
    """Copy every row of the registry `src` (a PgCaseStore) into a new SQLite store file `dest`."""
    dest = Path(dest).absolute()
    if dest.exists() and dest.stat().st_size > 0:
        raise StoreUsageError(f"{dest} already exists: a migration or backup never overwrites a store",
                              "choose a new file name")
    if not dest.parent.is_dir():
        raise StoreUsageError(f"cannot write {dest}: folder {dest.parent} does not exist")
    if not src.read_only:
        src._pseudonym_secret_or_create()
    with src._lock, src._snapshot() as source:
        source_head, source_counts = anchor.head_of(source), _counts(source)
        meta = [tuple(row) for row in source.execute("SELECT key, value FROM store_meta ORDER BY key")
                if row[0] not in SERVER_ONLY_META]
        data = {table: _rows(source, table) for table in TABLES}
        versions = [tuple(row) for row in source.execute(
            f"SELECT id, {', '.join(VERSION_COLUMNS)} FROM case_versions ORDER BY id")]
    staged = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    staged.unlink(missing_ok=True)
    create_private_file(staged)
    try:
        conn = connect(staged, 5.0)
        try:
            with write_transaction(conn):
                _create_sqlite(conn)
                _insert(conn, "store_meta", meta, ("key", "value"))
                for table in ("cases", "cases_fts", "audit_log", "drafts"):
                    _insert(conn, table, data[table])
                _insert(conn, "case_versions", versions, ("id", *VERSION_COLUMNS))
                _check_arrival(source_head, source_counts, conn, audit.verify(conn), str(dest))
        finally:
            conn.close()
        fsync_path(staged)
        os.replace(staged, dest)
    finally:
        with contextlib.suppress(FileNotFoundError):
            staged.unlink()
    anchor.write_anchor(dest, source_head, src._now(), force=True)
    if record:
        with CaseStore.open(dest, mounts_file=None, user=src.user) as local, local._lock, local._write() as conn:
            audit.append_entry(conn, at=local._now(), actor=src.user, action="restored", case_id=None, version=None,
                               ref_hash=None, detail=f"migrated from {src.display} (PostgreSQL): {source_counts[1]} "
                                                 f"versions, {source_counts[2]} audit entries, head "
                                                 f"{source_head.token()}")
    return MigrationResult(src.display, str(dest), *source_counts, source_head)


# ----------------------------------------------------------------- abc-mdt cases migrate / server-init / server-user

def register_cli(sub: Any, common: Any) -> None:
    """`cases migrate`, `cases server-init`, `cases server-user` (called by store/cli.py)."""
    migrating = sub.add_parser(
        "migrate", parents=[common],
        help="copy every version and audit entry between the local store and a PostgreSQL registry "
             "(either way), verified on arrival; the target must be empty")
    migrating.add_argument("--to", required=True, metavar="URL|FILE",
                           help="postgresql://host/database (password from ~/.pgpass or a service file) or a "
                                "new SQLite store file")
    migrating.add_argument("--from", dest="source", default=None, metavar="URL|FILE",
                           help="default: the local store (--store, else the default store file)")
    migrating.set_defaults(handler=_migrate)
    init = sub.add_parser("server-init", help="IT: install the case registry in an empty PostgreSQL database "
                                              "(roles, tables, append-only triggers, grants)")
    init.add_argument("url", metavar="ADMIN_URL", help="postgresql://admin@host/database (an owner or superuser)")
    init.set_defaults(handler=_server_init)
    user = sub.add_parser("server-user", help="IT: a login role for one clinician (member of abc_mdt_user)")
    user.add_argument("url", metavar="ADMIN_URL")
    user.add_argument("name", metavar="ROLE")
    user.add_argument("--read-only", action="store_true", help="member of abc_mdt_reader instead")
    user.set_defaults(handler=_server_user)


def _fail(message: str) -> int:
    import sys

    print(f"abc-mdt cases: {message}", file=sys.stderr)
    return 1


def _migrate(args: Any) -> int:
    from guideline_db.store.errors import StoreError
    from guideline_db.store.paths import default_store_path
    from guideline_db.store.selection import is_server_url, open_server

    source = args.source if args.source is not None else str(args.store or default_store_path())
    try:
        if is_server_url(source) == is_server_url(args.to):
            return _fail("migrate copies between an SQLite store file and a postgresql:// registry: give one of each")
        if is_server_url(args.to):
            with CaseStore.open(Path(source), read_only=None) as local, open_server(args.to) as server:
                result = sqlite_to_pg(local, server)
        else:
            with open_server(source) as server:
                result = pg_to_sqlite(server, Path(args.to))
    except StoreError as exc:
        return _fail(str(exc))
    print(result.summary())
    return 0


def _server_init(args: Any) -> int:
    from guideline_db.store.postgres.admin import server_init

    try:
        server_init(args.url)
    except Exception as exc:  # psycopg errors: one line, no traceback
        return _fail(f"server-init failed: {str(exc).strip().splitlines()[0] if str(exc).strip() else exc}")
    print("case registry installed: roles abc_mdt_owner, abc_mdt_user, abc_mdt_reader; add users with "
          "abc-mdt cases server-user")
    return 0


def _server_user(args: Any) -> int:
    from guideline_db.store.postgres.admin import add_user

    try:
        add_user(args.url, args.name, read_only=args.read_only)
    except Exception as exc:
        return _fail(f"server-user failed: {str(exc).strip().splitlines()[0] if str(exc).strip() else exc}")
    print(f"role {args.name} can log in as a member of {'abc_mdt_reader' if args.read_only else 'abc_mdt_user'}; "
          "set its password with psql \\password or give it a client certificate")
    return 0
