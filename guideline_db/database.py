"""The shipped guideline database: opened read-only, hash-checked, loaded once into memory.

Why load everything: the database is small (a few hundred rows) and every evaluation reads most of
it, so one read at start-up makes each evaluation a pure in-memory computation (well under 2 ms).
The SHA-256 recorded beside the file at build time is checked first: a modified database is refused,
naming the expected and the found hash, because a silently edited recommendation is a clinical risk.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

PACKAGED_DATABASE = Path(__file__).resolve().parent / "data" / "guideline.sqlite"
DATABASE_ENV = "ABC_MDT_GUIDELINE_DB"


class GuidelineIntegrityError(RuntimeError):
    """The guideline database is missing, unreadable or not the file that was built."""


@dataclass(frozen=True, eq=False)
class GuidelineDatabase:
    path: Path
    sha256: str
    meta: dict[str, str]
    tables: dict[str, tuple[dict[str, Any], ...]] = field(repr=False)

    @property
    def edition(self) -> str:
        return self.meta.get("edition", "")

    @property
    def title(self) -> str:
        return self.meta.get("title", "")

    def rows(self, table: str) -> tuple[dict[str, Any], ...]:
        return self.tables.get(table, ())

    @lru_cache(maxsize=64)  # noqa: B019 - the database lives for the whole process; callers do not mutate
    def by_key(self, table: str, key: str) -> dict[str, dict[str, Any]]:
        """Rows of `table` keyed by `key`, built once per database (the engine asks on every evaluation)."""
        return {row[key]: row for row in self.rows(table)}

    def info(self) -> dict[str, Any]:
        """What `abc-mdt db info` prints: edition, build date, row counts per table and hash."""
        return {
            "path": str(self.path),
            "edition": self.edition,
            "title": self.title,
            "build_date": self.meta.get("build_date"),
            "sha256": self.sha256,
            "row_counts": {name: len(rows) for name, rows in sorted(self.tables.items())},
        }


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def expected_sha256(path: Path) -> str | None:
    sidecar = path.with_name(path.name + ".sha256")
    return sidecar.read_text(encoding="ascii").strip() if sidecar.exists() else None


def _decode(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def read_tables(path: Path) -> dict[str, tuple[dict[str, Any], ...]]:
    """Every table of the database as tuples of dicts, JSON columns decoded, in rowid order."""
    uri = f"file:{path}?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True)
    try:
        conn.row_factory = sqlite3.Row
        names = [r[0] for r in conn.execute(
            "select name from sqlite_master where type='table' and name not like 'sqlite_%' order by name")]
        tables = {}
        for name in names:
            rows = conn.execute(f'select * from "{name}" order by rowid')
            tables[name] = tuple({k: _decode(row[k]) for k in row.keys()} for row in rows)  # noqa: SIM118 (Row iterates values)
        return tables
    finally:
        conn.close()


def database_path() -> Path:
    override = os.environ.get(DATABASE_ENV)
    return Path(override) if override else PACKAGED_DATABASE


@lru_cache(maxsize=4)
def _open(path: Path, verify: bool) -> GuidelineDatabase:
    if not path.exists():
        raise GuidelineIntegrityError(f"guideline database not found: {path}")
    found = sha256_of(path)
    if verify:
        expected = expected_sha256(path)
        if expected is None:
            raise GuidelineIntegrityError(f"guideline database {path} has no recorded hash ({path.name}.sha256)")
        if found != expected:
            raise GuidelineIntegrityError(
                f"guideline database {path} was modified: expected sha256 {expected}, found {found}; "
                "reinstall abc-mdt or rebuild the database from its sources (make db)")
    try:
        tables = read_tables(path)
    except sqlite3.DatabaseError as exc:
        raise GuidelineIntegrityError(f"guideline database {path} cannot be read: {exc}") from exc
    meta = {row["key"]: row["value"] for row in tables.pop("meta", ())}
    return GuidelineDatabase(path=path, sha256=found, meta=meta, tables=tables)


@lru_cache(maxsize=8)
def _resolved(path: Path | None, override: str | None) -> Path:
    return (path or (Path(override) if override else PACKAGED_DATABASE)).resolve()


def open_guideline(path: Path | None = None, verify: bool = True) -> GuidelineDatabase:
    """The guideline database (cached per process); raises GuidelineIntegrityError when tampered.

    Called on every evaluation, so the path is resolved once per (path, override) rather than per call.
    """
    return _open(_resolved(path, os.environ.get(DATABASE_ENV)), verify)
