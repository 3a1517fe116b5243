"""The case store's SQLite schema: immutable versions, a hash-chained audit log, mutable drafts.

Why triggers: append-only is enforced by the database itself, so no code path of this app (or a
future one) can rewrite history by accident; only someone dropping the triggers behind the app's back
can, and `verify_audit()` then finds the broken hash chain.
"""

from __future__ import annotations

import re
import secrets
import sqlite3

from guideline_db.store.errors import StoreCorruptError, StoreVersionError

SCHEMA_VERSION = 1
APPLICATION_ID = 0x41424D43  # "ABMC": marks the file as an abc-mdt case store (PRAGMA application_id)
GENESIS_HASH = "0" * 64

STATUSES = ("draft", "decided", "signed")
ACTIONS = ("created", "edited", "decided", "signed", "exported", "printed", "imported", "restored",
           "backed_up")
VERSION_ACTIONS = frozenset({"created", "edited", "decided", "signed", "imported"})
REQUIRED_TABLES = frozenset({"store_meta", "cases", "case_versions", "audit_log", "drafts", "cases_fts"})


def _in_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


DDL = f"""
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per case: a search projection of its latest version, rewritten on every save.
CREATE TABLE cases (
    case_id          TEXT PRIMARY KEY,
    seq              INTEGER NOT NULL UNIQUE,   -- bumped on every change, = rowid of cases_fts (newest = largest)
    hospital_id      TEXT,
    name             TEXT,
    subtype          TEXT NOT NULL,
    presentation     TEXT NOT NULL,
    diagnosis        TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ({_in_list(STATUSES)})),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    latest_version   INTEGER NOT NULL
);

-- Search "as you type" over ID, hospital ID, name and diagnosis (see search.py); rowid = cases.seq.
CREATE VIRTUAL TABLE cases_fts USING fts5(search_text, tokenize = 'trigram');

CREATE TABLE case_versions (
    id             INTEGER PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases (case_id) DEFERRABLE INITIALLY DEFERRED,
    version        INTEGER NOT NULL CHECK (version >= 1),
    created_at     TEXT NOT NULL,
    author         TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ({_in_list(STATUSES)})),
    changed_fields TEXT NOT NULL,               -- JSON array of field paths changed vs the previous version
    case_json      TEXT NOT NULL,               -- canonical JSON (sorted keys, nulls left out)
    sha256         TEXT NOT NULL,               -- of case_json (UTF-8)
    pdf_sha256     TEXT,                        -- signed versions: the signed PDF
    signs_version  INTEGER,                     -- signed versions: the version the PDF was made from
    note           TEXT NOT NULL DEFAULT '',    -- signed versions: the meaning of the signature
    prev_hash      TEXT NOT NULL,               -- row_hash of the previous version of this case
    row_hash       TEXT NOT NULL,
    UNIQUE (case_id, version)
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ({_in_list(ACTIONS)})),
    case_id     TEXT REFERENCES cases (case_id) DEFERRABLE INITIALLY DEFERRED,
    version     INTEGER,
    detail      TEXT NOT NULL DEFAULT '',
    ref_hash    TEXT,                           -- row_hash of the version this entry created
    prev_hash   TEXT NOT NULL,                  -- entry_hash of the previous entry
    entry_hash  TEXT NOT NULL
);
CREATE INDEX audit_log_case ON audit_log (case_id, version);

-- Autosaved editor text, valid or not: the one mutable table.
CREATE TABLE drafts (
    key        TEXT PRIMARY KEY,
    text       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""

_APPEND_ONLY = ("case_versions", "audit_log", "store_meta")


def trigger_statements() -> list[str]:
    """The CREATE TRIGGER statements of the append-only rules (verify-audit checks they still exist)."""
    statements = []
    for table in _APPEND_ONLY:
        for event in ("UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} BEGIN "
                f"SELECT RAISE(ABORT, '{table} is append-only: {event} is refused'); END")
    statements.append("CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases BEGIN "
                      "SELECT RAISE(ABORT, 'cases are kept: DELETE is refused'); END")
    return statements


def initialise(conn: sqlite3.Connection, created_at: str) -> None:
    """Create the schema in an empty database. The caller holds a write transaction."""
    without_comments = re.sub(r"--[^\n]*", "", DDL)
    tables = [statement for statement in without_comments.split(";") if statement.strip()]
    for statement in tables + trigger_statements():
        conn.execute(statement)
    conn.executemany("INSERT INTO store_meta (key, value) VALUES (?, ?)", [
        ("application", "abc-mdt case store"),
        ("created_at", created_at),
        # Salt of the export pseudonyms: stable within this store, not guessable from a hospital ID.
        ("pseudonym_secret", secrets.token_hex(32)),
    ])
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def state(conn: sqlite3.Connection) -> str:
    """'empty' (a new file), 'current' (our schema) — or raise StoreVersionError for anything else."""
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if user_version == 0 and application_id == 0 and not tables:
        return "empty"
    if application_id != APPLICATION_ID:
        raise StoreVersionError("this file is not an abc-mdt case store (it holds other data)")
    if user_version > SCHEMA_VERSION:
        raise StoreVersionError(f"this case store was written by a newer abc-mdt (store schema {user_version}, "
                                f"this version reads up to {SCHEMA_VERSION})",
                                "update abc-mdt before opening this store")
    missing = REQUIRED_TABLES - tables
    if missing:
        raise StoreCorruptError(f"the case store is incomplete: missing tables {', '.join(sorted(missing))}")
    return "current"
