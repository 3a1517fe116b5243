"""Writing one immutable version: the version row, its audit entry and the case-list row, together.

Why one function: these three writes must happen in the same transaction and in the same way for a
plain save, an import and a signature; the chain fields (prev_hash, row_hash, ref_hash) are computed
here and nowhere else, so `audit.verify()` has exactly one producer to agree with.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from guideline_db.case_io import canonical_case_json, canonical_json  # noqa: F401 (re-exported)
from guideline_db.case_model import Case
from guideline_db.store import audit, schema
from guideline_db.store.diffing import changed_paths
from guideline_db.store.records import CaseSummary, VersionInfo
from guideline_db.store.search import diagnosis_text, index_text
from guideline_db.store.subtype import subtype_of


def version_info(row: sqlite3.Row) -> VersionInfo:
    return VersionInfo(case_id=row["case_id"], version=row["version"], created_at=row["created_at"],
                       author=row["author"], status=row["status"],
                       changed_fields=tuple(json.loads(row["changed_fields"])), sha256=row["sha256"],
                       pdf_sha256=row["pdf_sha256"], signs_version=row["signs_version"], note=row["note"],
                       row_hash=row["row_hash"])


def case_summary(row: sqlite3.Row) -> CaseSummary:
    return CaseSummary(case_id=row["case_id"], hospital_id=row["hospital_id"], name=row["name"],
                       subtype=row["subtype"], status=row["status"], updated_at=row["updated_at"],
                       latest_version=row["latest_version"], presentation=row["presentation"],
                       created_at=row["created_at"])


def latest_row(conn: sqlite3.Connection, case_id: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM case_versions WHERE case_id = ? ORDER BY version DESC LIMIT 1",
                        (case_id,)).fetchone()


def append_version(conn: sqlite3.Connection, case: Case, author: str, status: str, now: str, *,
                   action: str | None = None, detail: str = "", pdf_sha256: str | None = None,
                   signs_version: int | None = None, note: str = "") -> VersionInfo:
    """Insert the next version of `case`. The caller holds the write transaction.

    Unchanged content with an unchanged status (and no signature) writes nothing and returns the latest
    version, so a double click or a re-import adds no noise to the history.
    """
    data = case.model_dump(mode="json", exclude_none=True)
    case_json = canonical_json(data)
    content_hash = audit.sha256_text(case_json)
    latest = latest_row(conn, case.case_id)
    if latest is not None and pdf_sha256 is None and (latest["sha256"], latest["status"]) == (content_hash, status):
        return version_info(latest)
    changed = changed_paths(json.loads(latest["case_json"]) if latest else None, data)
    if latest is not None and latest["status"] != status:
        changed = ("status", *changed)
    row: dict[str, Any] = {
        "case_id": case.case_id, "version": latest["version"] + 1 if latest else 1, "created_at": now,
        "author": author, "status": status, "changed_fields": audit.canonical(list(changed)),
        "case_json": case_json, "sha256": content_hash, "pdf_sha256": pdf_sha256,
        "signs_version": signs_version, "note": note,
        "prev_hash": latest["row_hash"] if latest else schema.GENESIS_HASH,
    }
    row["row_hash"] = audit.version_row_hash(row)
    _write_summary(conn, case, status, now, row["version"])
    conn.execute(
        "INSERT INTO case_versions (case_id, version, created_at, author, status, changed_fields, case_json, "
        "sha256, pdf_sha256, signs_version, note, prev_hash, row_hash) VALUES (:case_id, :version, "
        ":created_at, :author, :status, :changed_fields, :case_json, :sha256, :pdf_sha256, :signs_version, "
        ":note, :prev_hash, :row_hash)", row)
    if action is None:
        became_decided = status == "decided" and (latest is None or latest["status"] != "decided")
        action = "created" if latest is None else "decided" if became_decided else "edited"
    audit.append_entry(conn, at=now, actor=author, action=action, case_id=case.case_id, version=row["version"],
                       detail=detail, ref_hash=row["row_hash"])
    return VersionInfo(case_id=case.case_id, version=row["version"], created_at=now, author=author,
                       status=status, changed_fields=changed, sha256=content_hash, pdf_sha256=pdf_sha256,
                       signs_version=signs_version, note=note, row_hash=row["row_hash"])


def _write_summary(conn: sqlite3.Connection, case: Case, status: str, now: str, version: int) -> None:
    """Rewrite the case-list row and its search entry; the new `seq` puts it first in the list."""
    subtype = subtype_of(case)
    seq = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM cases").fetchone()[0]
    old = conn.execute("SELECT seq FROM cases WHERE case_id = ?", (case.case_id,)).fetchone()
    patient = case.patient
    values = {
        "case_id": case.case_id, "seq": seq, "hospital_id": patient.hospital_id, "name": patient.name,
        "subtype": subtype, "presentation": case.presentation,
        "diagnosis": diagnosis_text(subtype, case.presentation), "status": status, "now": now, "version": version,
    }
    if old is None:
        conn.execute(
            "INSERT INTO cases (case_id, seq, hospital_id, name, subtype, presentation, diagnosis, status, "
            "created_at, updated_at, latest_version) VALUES (:case_id, :seq, :hospital_id, :name, :subtype, "
            ":presentation, :diagnosis, :status, :now, :now, :version)", values)
    else:
        conn.execute("DELETE FROM cases_fts WHERE rowid = ?", (old["seq"],))
        conn.execute(
            "UPDATE cases SET seq = :seq, hospital_id = :hospital_id, name = :name, subtype = :subtype, "
            "presentation = :presentation, diagnosis = :diagnosis, status = :status, updated_at = :now, "
            "latest_version = :version WHERE case_id = :case_id", values)
    conn.execute("INSERT INTO cases_fts (rowid, search_text) VALUES (?, ?)", (seq, index_text(case, subtype)))
