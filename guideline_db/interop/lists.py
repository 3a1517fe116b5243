"""The case list and the audit log as rows, written as CSV (for Excel) or JSON, or as an HTML table to
print. The GUI's "Export list…", "Print list…" and audit view call these; so does the CLI.

Why a BOM: Excel opens a CSV without one in the machine's ANSI code page (GBK on Chinese Windows), so
张秀英 would arrive garbled; with the UTF-8 BOM it opens as UTF-8. Cells that begin with = + - @ (or a
tab/CR) are prefixed with an apostrophe, so a name typed as "=HYPERLINK(...)" cannot become a formula.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

BOM = "\ufeff"
CASE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("case_id", "Case ID"), ("hospital_id", "Hospital ID"), ("name", "Name"), ("subtype", "Subtype"),
    ("presentation", "Presentation"), ("status", "Status"), ("latest_version", "Version"),
    ("created_at", "Created (UTC)"), ("updated_at", "Updated (UTC)"),
)
AUDIT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "Entry"), ("at", "Time (UTC)"), ("actor", "Actor"), ("action", "Action"), ("case_id", "Case ID"),
    ("version", "Version"), ("detail", "Detail"),
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def rows_of(records: Iterable[Any], columns: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """Dataclass records (CaseSummary, AuditEntry) → dicts with exactly `columns`' keys, in order."""
    return [{key: getattr(record, key, None) for key, _ in columns} for record in records]


def case_list_rows(store: Any, search: str = "", limit: int | None = None) -> list[dict[str, Any]]:
    return rows_of(store.list_cases(search, limit=limit), CASE_COLUMNS)


def audit_rows(store: Any, case_id: str | None = None) -> list[dict[str, Any]]:
    return rows_of(store.audit_entries(case_id), AUDIT_COLUMNS)


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]]) -> str:
    """CSV text starting with a BOM: one header row (the column titles), CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([title for _, title in columns])
    for row in rows:
        writer.writerow([_cell(row.get(key)) for key, _ in columns])
    return BOM + buffer.getvalue()


def to_json(rows: Sequence[dict[str, Any]]) -> str:
    return json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"


def to_html(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], title: str) -> str:
    """A self-contained HTML table for printing (the GUI hands it to QTextDocument)."""
    head = "".join(f"<th>{html.escape(t)}</th>" for _, t in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape('' if r.get(k) is None else str(r.get(k)))}</td>"
                                    for k, _ in columns) + "</tr>" for r in rows)
    return (f"<html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>"
            f"<h2>{html.escape(title)}</h2><table border='1' cellspacing='0' cellpadding='3'>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f"<p>{len(rows)} rows</p></body></html>")


def render(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], fmt: str, title: str = "") -> str:
    if fmt == "csv":
        return to_csv(rows, columns)
    if fmt == "json":
        return to_json(rows)
    if fmt == "html":
        return to_html(rows, columns, title)
    raise ValueError(f"unknown format {fmt!r}")
