"""Hash chains over the case versions and the audit log, and their verification.

Why chains on top of the append-only triggers: triggers stop this app from rewriting history, but
anyone with the file and the sqlite3 shell can drop them. Each version row carries the hash of the
previous version of its case, each audit entry the hash of the previous entry, and every entry that
created a version names that version's hash; `verify()` recomputes everything and names the first
row where the record was changed behind the app's back.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from guideline_db.store import derived
from guideline_db.store.records import AuditReport, ChainBreak
from guideline_db.store.schema import GENESIS_HASH, VERSION_ACTIONS

VERSION_HASH_FIELDS = ("case_id", "version", "created_at", "author", "status", "changed_fields", "sha256",
                       "pdf_sha256", "signs_version", "note", "prev_hash")
ENTRY_HASH_FIELDS = ("id", "at", "actor", "action", "case_id", "version", "detail", "ref_hash", "prev_hash")


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def version_row_hash(row: Mapping[str, Any]) -> str:
    return sha256_text(canonical({name: row[name] for name in VERSION_HASH_FIELDS}))


def entry_hash(row: Mapping[str, Any]) -> str:
    return sha256_text(canonical({name: row[name] for name in ENTRY_HASH_FIELDS}))


def append_entry(conn: sqlite3.Connection, *, at: str, actor: str, action: str, case_id: str | None,
                 version: int | None, detail: str, ref_hash: str | None) -> int:
    """Append one chained audit entry. The caller holds the write transaction (so the head is stable)."""
    last = conn.execute("SELECT id, entry_hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    row: dict[str, Any] = {"id": last[0] + 1 if last else 1, "at": at, "actor": actor, "action": action,
                           "case_id": case_id, "version": version, "detail": detail, "ref_hash": ref_hash,
                           "prev_hash": last[1] if last else GENESIS_HASH}
    row["entry_hash"] = entry_hash(row)
    conn.execute("INSERT INTO audit_log (id, at, actor, action, case_id, version, detail, ref_hash, prev_hash, "
                 "entry_hash) VALUES (:id, :at, :actor, :action, :case_id, :version, :detail, :ref_hash, "
                 ":prev_hash, :entry_hash)", row)
    return row["id"]


class _Walk:
    """State of one verification pass: the head of every case's chain and the versions seen."""

    def __init__(self) -> None:
        self.heads: dict[str, tuple[int, str, str]] = {}         # case_id -> (version, row_hash, status)
        self.versions: dict[tuple[str, int], tuple[int, str]] = {}  # (case_id, version) -> (row id, row_hash)
        self.covered: set[tuple[str, int]] = set()
        self.version_count = 0
        self.entry_count = 0

    def version(self, row: sqlite3.Row) -> ChainBreak | None:
        self.version_count += 1
        label = f"case {row['case_id']} version {row['version']}"
        content_hash = sha256_text(row["case_json"])
        if content_hash != row["sha256"]:
            return ChainBreak("case_versions", row["id"], f"sha256 of the case JSON of {label}",
                              row["sha256"], content_hash)
        last_version, last_hash, _ = self.heads.get(row["case_id"], (0, GENESIS_HASH, ""))
        if row["version"] != last_version + 1:
            return ChainBreak("case_versions", row["id"], f"version number of case {row['case_id']}",
                              str(last_version + 1), str(row["version"]))
        if row["prev_hash"] != last_hash:
            return ChainBreak("case_versions", row["id"], f"prev_hash of {label} (link to the previous version)",
                              last_hash, row["prev_hash"])
        computed = version_row_hash(row)
        if computed != row["row_hash"]:
            return ChainBreak("case_versions", row["id"], f"row_hash of {label} (row content changed)",
                              computed, row["row_hash"])
        self.heads[row["case_id"]] = (row["version"], row["row_hash"], row["status"])
        self.versions[(row["case_id"], row["version"])] = (row["id"], row["row_hash"])
        return None

    def entry(self, row: sqlite3.Row, prev_hash: str, prev_id: int) -> ChainBreak | None:
        self.entry_count += 1
        if row["prev_hash"] != prev_hash:
            return ChainBreak("audit_log", row["id"], "prev_hash (link to the previous entry)", prev_hash,
                              row["prev_hash"])
        if row["id"] != prev_id + 1:
            return ChainBreak("audit_log", row["id"], "entry id (entries must be consecutive)", str(prev_id + 1),
                              str(row["id"]))
        computed = entry_hash(row)
        if computed != row["entry_hash"]:
            return ChainBreak("audit_log", row["id"], f"entry_hash of the '{row['action']}' entry (row content "
                              "changed)", computed, row["entry_hash"])
        if row["action"] in VERSION_ACTIONS:
            key = (row["case_id"], row["version"])
            target = self.versions.get(key)
            if target is None:
                return ChainBreak("audit_log", row["id"], f"version named by the '{row['action']}' entry",
                                  f"case {key[0]} version {key[1]} in case_versions", "no such version")
            if target[1] != row["ref_hash"]:
                return ChainBreak("audit_log", row["id"], f"ref_hash of case {key[0]} version {key[1]}",
                                  target[1], str(row["ref_hash"]))
            self.covered.add(key)
        return None

    def uncovered(self) -> ChainBreak | None:
        missing = [(row_id, key) for key, (row_id, _) in self.versions.items() if key not in self.covered]
        if not missing:
            return None
        row_id, (case_id, version) = min(missing)
        return ChainBreak("case_versions", row_id, f"audit entry for case {case_id} version {version}",
                          "an entry that created it", "none")


def verify(conn: sqlite3.Connection) -> AuditReport:
    """Walk the version chains, the audit chain, their cross-links, the derived tables and the triggers."""
    conn.row_factory = sqlite3.Row
    walk = _Walk()
    for row in conn.execute("SELECT * FROM case_versions ORDER BY id"):
        if (link := walk.version(row)) is not None:
            return AuditReport(False, walk.version_count, 0, link)
    prev_hash, prev_id = GENESIS_HASH, 0
    for row in conn.execute("SELECT * FROM audit_log ORDER BY id"):
        if (link := walk.entry(row, prev_hash, prev_id)) is not None:
            return AuditReport(False, walk.version_count, walk.entry_count, link)
        prev_hash, prev_id = row["entry_hash"], row["id"]
    link = walk.uncovered() or derived.derived_break(conn) or derived.trigger_break(conn)
    return AuditReport(link is None, walk.version_count, walk.entry_count, link)
