"""Build the guideline SQLite database from the reviewable TOML sources.

Why a build step: clinicians review the guideline content as plain-text TOML in a diff, while the app
reads one read-only SQLite file whose SHA-256 is checked at start-up. The build is deterministic
(same sources → same rows in the same order); only `meta.build_date` differs between builds.

Run: ``python -m guideline_db.build`` (or ``make db``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sqlite3
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path

import sqlite_utils

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCES_DIR = PACKAGE_DIR / "sources"
DATA_DIR = PACKAGE_DIR / "data"
DEFAULT_OUTPUT = DATA_DIR / "guideline.sqlite"

# TOML array key → (SQLite table, primary key or None for an integer rowid).
TABLES: dict[str, tuple[str, str | None]] = {
    "evidence_level": ("evidence_levels", "code"),
    "tier": ("tiers", "code"),
    "class": ("vocabulary_classes", "token"),
    "population": ("regimen_populations", "id"),
    "option": ("regimen_options", "id"),
    "modifier": ("population_modifiers", "id"),
    "threshold": ("thresholds", "id"),
    "principle": ("principles", "id"),
    "adverse_event": ("adverse_events", "drug_class"),
    "trial": ("trials", "name"),
    "approval": ("approval_notes", None),
    "single_agent": ("chemotherapy_single_agents", "agent"),
    "combination": ("chemotherapy_combinations", "code"),
    "metronomic": ("chemotherapy_metronomic", "agent"),
    "warning": ("warning_catalog", "code"),
    "missing": ("missing_data_catalog", "id"),
    "assessment": ("assessment_items", "id"),
    "supportive": ("supportive_items", "id"),
    "local_rule": ("local_rules", "id"),
    # Terminology (codes.toml): standard codes of the vocabulary's tokens. Not guideline content, so not in
    # CITED_TABLES; each row cites its code source instead (code_sources; tests/test_codes.py holds that).
    "code": ("codes", "id"),
    "code_source": ("code_sources", "id"),
    "code_system": ("code_systems", "alias"),
    # How the treatment history and circumstances shape the options (exposure.toml, issue 10).
    "mechanism": ("exposure_mechanisms", "token"),
    "allowance": ("exposure_allowances", "id"),
    "withhold": ("withhold_rules", "id"),
    "option_note": ("option_note_rules", "id"),
    "notice": ("notices", "id"),
    "condition": ("condition_phrases", "key"),
    "basis": ("exposure_basis", "id"),
    "local_circumstance": ("local_circumstances", "id"),
    "approval_status": ("approval_statuses", "code"),
}
# Key/value sections of vocabulary.toml: name → (table, value column names).
NAME_TABLES = {
    "agent_names": "vocabulary_agents",
    "local_actions": "local_actions",
    "biomarkers": "biomarker_names",
    "value_names": "value_names",
}
# Guideline content: every row must cite where in the guideline it comes from.
CITED_TABLES = {
    "evidence_levels", "tiers", "regimen_populations", "regimen_options", "population_modifiers",
    "thresholds", "principles", "adverse_events", "trials", "approval_notes", "chemotherapy_single_agents",
    "chemotherapy_combinations", "chemotherapy_metronomic", "warning_catalog", "missing_data_catalog",
    "assessment_items", "supportive_items", "local_rules", "exposure_mechanisms", "exposure_allowances",
    "withhold_rules", "option_note_rules", "notices", "exposure_basis", "local_circumstances",
}


class SourceError(Exception):
    """A source file breaks a rule of the database (missing citation, duplicate key ...)."""


def _source_files(sources_dir: Path) -> list[Path]:
    return sorted(sources_dir.glob("*.toml"))


def _rows_by_table(sources_dir: Path) -> tuple[dict[str, list[dict]], dict[str, str], dict[str, str]]:
    """Read every source file; return rows per table, the meta key/values and each file's SHA-256."""
    rows: dict[str, list[dict]] = {}
    meta: dict[str, str] = {}
    hashes: dict[str, str] = {}
    for path in _source_files(sources_dir):
        raw = path.read_bytes()
        hashes[path.name] = hashlib.sha256(raw).hexdigest()
        document = tomllib.loads(raw.decode("utf-8"))
        for key, value in document.items():
            if key == "meta":
                meta.update({k: str(v) for k, v in value.items()})
            elif key in NAME_TABLES:
                rows.setdefault(NAME_TABLES[key], []).extend(
                    {"token": token, "name_zh": names[0], "name_en": names[1], "source_file": path.name}
                    for token, names in value.items()
                )
            elif key in TABLES:
                table, _ = TABLES[key]
                for order, row in enumerate(value):
                    rows.setdefault(table, []).append({**row, "source_file": path.name, "source_order": order})
            else:
                raise SourceError(f"{path.name}: unknown top-level key {key!r}")
    return rows, meta, hashes


def _split_children(table: str, rows: list[dict]) -> dict[str, list[dict]]:
    """Move nested arrays of tables (e.g. trial.result) into child tables keyed by the parent."""
    children: dict[str, list[dict]] = {}
    _, pk = next(v for v in TABLES.values() if v[0] == table)
    for row in rows:
        for field in [f for f, v in row.items() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]:
            child_table = f"{table[:-1] if table.endswith('s') else table}_{field}s"
            for order, child in enumerate(row.pop(field)):
                children.setdefault(child_table, []).append({"parent": row.get(pk), "child_order": order, **child})
    return children


# Columns whose values must be members of the engine's ordered enums (guideline_db/engine/model.py).
ENUM_COLUMNS = {"tier": "Tier", "evidence": "EvidenceLevel", "severity": "Severity"}


def _check_vocabularies(table: str, rows: Iterable[dict]) -> None:
    """Refuse a tier, evidence level or severity the views do not know: a typo must not become a new value
    (an unknown severity would be drawn like a note)."""
    from guideline_db.engine import model

    for row in rows:
        for column, enum_name in ENUM_COLUMNS.items():
            value = row.get(column)
            if value is None or (column == "tier" and table == "tiers"):
                continue
            allowed = [m.value for m in getattr(model, enum_name)]
            if value not in allowed:
                ident = row.get("id") or row.get("code") or row.get("token") or row
                raise SourceError(f"{table}: row {ident!r} has {column} {value!r}, not one of {allowed}")


def _check_citations(table: str, rows: Iterable[dict]) -> None:
    for row in rows:
        if "section" not in row or "table" not in row:
            ident = row.get("id") or row.get("code") or row.get("name") or row.get("token") or row
            raise SourceError(f"{table}: row {ident!r} lacks a table/section citation")


def build(output: Path = DEFAULT_OUTPUT, sources_dir: Path = SOURCES_DIR, build_date: str | None = None) -> str:
    """Build the database at `output` and write its SHA-256 beside it; return the hash."""
    if not _source_files(sources_dir):
        raise SourceError(f"no source files (*.toml) in {sources_dir}")
    rows, meta, hashes = _rows_by_table(sources_dir)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite_utils.Database(sqlite3.connect(tmp))
    meta_rows = [
        *({"key": k, "value": v} for k, v in sorted(meta.items())),
        {"key": "build_date", "value": build_date or dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")},
        {"key": "source_sha256", "value": json.dumps(hashes, sort_keys=True)},
        {"key": "format_version", "value": "1"},
    ]
    db["meta"].insert_all(meta_rows, pk="key")
    for table in sorted(rows):
        table_rows = rows[table]
        if table in CITED_TABLES:
            _check_citations(table, table_rows)
        _check_vocabularies(table, table_rows)
        pk = next((v[1] for v in TABLES.values() if v[0] == table), "token")
        children = _split_children(table, table_rows) if table in {v[0] for v in TABLES.values()} else {}
        keys = [r.get(pk) for r in table_rows] if pk else []
        duplicates = {k for k in keys if keys.count(k) > 1}
        if duplicates:
            raise SourceError(f"{table}: duplicate {pk} {sorted(map(str, duplicates))}")
        db[table].insert_all(table_rows, pk=pk, alter=True)
        for child_table, child_rows in sorted(children.items()):
            db[child_table].insert_all(child_rows, alter=True, foreign_keys=[("parent", table, pk)])
            db[child_table].create_index(["parent"])
    if "regimen_options" in db.table_names():
        db["regimen_options"].create_index(["population"])
        db["regimen_options"].add_foreign_key("population", "regimen_populations", "id")
    db.conn.commit()
    db.conn.execute("VACUUM")
    db.conn.close()
    tmp.replace(output)
    digest = hashlib.sha256(output.read_bytes()).hexdigest()
    output.with_name(output.name + ".sha256").write_text(digest + "\n", encoding="ascii")
    return digest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    try:
        digest = build(args.output)
    except (SourceError, tomllib.TOMLDecodeError) as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    if args.output.resolve() == DEFAULT_OUTPUT.resolve():  # the shipped database: its hash goes into the code
        from guideline_db.database import write_release_hash

        write_release_hash(digest)
    print(f"built {args.output} sha256={digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
