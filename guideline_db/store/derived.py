"""The derived tables (case list, search index) checked against the hash-chained versions, and the
append-only triggers checked against the schema.

Why: the `cases` row and the `cases_fts` entry of a case are rewritten on every save, so the hash
chains cannot protect them; a plain UPDATE behind the app's back could show one patient's name on
another's record, or make a search for one patient open another. Both are pure functions of each
case's latest version, so `verify-audit` and `restore` recompute them from the chained versions and
report the first disagreement. The triggers are compared with the SQL the schema creates, because a
dropped trigger leaves no trace in the chains until the next rewrite.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from pydantic import ValidationError

from guideline_db.case_model import Case
from guideline_db.store import schema
from guideline_db.store.records import ChainBreak
from guideline_db.store.search import diagnosis_text, index_text
from guideline_db.store.subtype import subtype_of


def trigger_break(conn: sqlite3.Connection) -> ChainBreak | None:
    """The first append-only trigger that is missing or no longer the one the schema creates."""
    found = {row[0]: row[1] for row in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
    for statement in schema.trigger_statements():
        name = statement.split()[2]
        if name not in found:
            return ChainBreak("sqlite_master", 0, f"append-only trigger {name}", "present", "missing (dropped)")
        if " ".join(str(found[name]).split()) != " ".join(statement.split()):
            return ChainBreak("sqlite_master", 0, f"append-only trigger {name}", "as created by abc-mdt", "changed")
    return None


def _expected_row(latest: sqlite3.Row, first_created: str) -> tuple[dict[str, Any], str | None]:
    data = json.loads(latest["case_json"])
    patient = data.get("patient") or {}
    expected: dict[str, Any] = {
        "hospital_id": patient.get("hospital_id"), "name": patient.get("name"),
        "presentation": data.get("presentation"), "status": latest["status"],
        "latest_version": latest["version"], "created_at": first_created, "updated_at": latest["created_at"],
    }
    try:
        case = Case.model_validate(data)
    except ValidationError:
        return expected, None  # e.g. a vocabulary change: the identifying columns are still checked
    subtype = subtype_of(case)
    expected.update(subtype=subtype, diagnosis=diagnosis_text(subtype, case.presentation))
    return expected, index_text(case, subtype)


def derived_break(conn: sqlite3.Connection) -> ChainBreak | None:
    """The first case-list or search-index entry that does not describe its case's latest version.

    The caller has verified the version chains, so each case's latest version is trustworthy.
    """
    latest = {row["case_id"]: row for row in conn.execute(
        "SELECT v.* FROM case_versions v JOIN (SELECT case_id, max(version) AS version FROM case_versions "
        "GROUP BY case_id) m ON m.case_id = v.case_id AND m.version = v.version")}
    first = dict(conn.execute("SELECT case_id, created_at FROM case_versions WHERE version = 1").fetchall())
    index = dict(conn.execute("SELECT rowid, search_text FROM cases_fts").fetchall())
    rows = conn.execute("SELECT rowid, * FROM cases ORDER BY seq").fetchall()
    seen: set[str] = set()
    last_version_id = 0
    for row in rows:
        case_id = row["case_id"]
        seen.add(case_id)
        version = latest.get(case_id)
        if version is None:
            return ChainBreak("cases", row["rowid"], f"case list entry of case {case_id}", "a case with versions",
                              "no versions")
        expected, text = _expected_row(version, first.get(case_id, ""))
        for column, value in expected.items():
            if row[column] != value:
                return ChainBreak("cases", row["rowid"], f"{column} of case {case_id} in the case list",
                                  _show(value), _show(row[column]))
        if version["id"] < last_version_id:
            return ChainBreak("cases", row["rowid"], f"list order of case {case_id} (seq)",
                              "the order in which the cases last changed", f"seq {row['seq']} out of order")
        last_version_id = version["id"]
        if text is not None and index.get(row["seq"]) != text:
            return ChainBreak("cases_fts", row["seq"], f"search index entry of case {case_id}",
                              _show(text.split(" \ue001 ")[0]), _show(index.get(row["seq"], "none")))
    for case_id in sorted(set(latest) - seen):
        return ChainBreak("cases", 0, f"case list entry of case {case_id}", "a row", "none")
    extra = sorted(set(index) - {row["seq"] for row in rows})
    if extra:
        return ChainBreak("cases_fts", extra[0], "search index entry", "an entry of a listed case", "a stray entry")
    return None


def search_index_problem(conn: sqlite3.Connection) -> str | None:
    """FTS5's own check of its index against its content; needs a writable connection (else None)."""
    try:
        conn.execute("INSERT INTO cases_fts (cases_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.OperationalError as exc:
        if "readonly" in str(exc).lower() or "read-only" in str(exc).lower():
            return None
        return f"the search index is damaged: {exc}"
    except sqlite3.DatabaseError as exc:
        return f"the search index is damaged: {exc}"
    return None


def _show(value: object) -> str:
    text = "none" if value is None else str(value)
    return text if len(text) <= 80 else text[:80] + "…"
