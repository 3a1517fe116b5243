"""The shipped guideline database: opened read-only, hash-checked, loaded once into memory.

Why load everything: the database is small (a few hundred rows) and every evaluation reads most of
it, so one read at start-up makes each evaluation a pure in-memory computation (well under 2 ms).

Why the hash is in the code: a `.sha256` file beside the database can be changed together with it
(tamoxifen alone made 优先推荐, sidecar recomputed). The released hash is generated into
`guideline_db/_release.py` by `python -m guideline_db.build` (the same command that builds the
shipped database) and ships inside the program, so the packaged database is refused unless its hash is
the released one. Another database (a new edition, a test build) is loaded only when chosen explicitly
(`abc-mdt --guideline-db PATH`, or the setting ABC_MDT_GUIDELINE_DB); its own `.sha256`, if present,
must still match, and the result says it is not the released one: `GuidelineDatabase.verified`
(alias `is_released`) is False, `info()["verified"]` and the CLI's JSON `guideline.verified` are false,
and the CLI prints a notice on stderr. The GUI title bar and the PDF header read `verified` too.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

PACKAGED_DATABASE = Path(__file__).resolve().parent / "data" / "guideline.sqlite"
DATABASE_ENV = "ABC_MDT_GUIDELINE_DB"
RELEASE_MODULE = Path(__file__).resolve().parent / "_release.py"

try:
    from guideline_db._release import RELEASED_SHA256
except ImportError:  # a source tree that was never built: nothing is the released database
    RELEASED_SHA256 = ""

_notice_hooks: list[Callable[[GuidelineDatabase], None]] = []
_noticed: set[str] = set()


class GuidelineIntegrityError(RuntimeError):
    """The guideline database is missing, unreadable or not the file that was built."""


@dataclass(frozen=True, eq=False)
class GuidelineDatabase:
    path: Path
    sha256: str
    meta: dict[str, str]
    tables: dict[str, tuple[dict[str, Any], ...]] = field(repr=False)
    released: bool = True

    @property
    def verified(self) -> bool:
        """True only for the released database (its SHA-256 is the one built into this program).

        False for a database loaded explicitly (--guideline-db, ABC_MDT_GUIDELINE_DB): every view must
        then say it is not the released database.
        """
        return self.released

    @property
    def is_released(self) -> bool:
        return self.released

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
            "verified": self.released,
            "released_sha256": RELEASED_SHA256 or None,
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
def _open(path: Path, verify: bool, explicit: bool = False) -> GuidelineDatabase:
    if not path.is_file():
        raise GuidelineIntegrityError(f"guideline database not found: {path}")
    try:
        found = sha256_of(path)
    except OSError as exc:
        raise GuidelineIntegrityError(f"guideline database {path} cannot be read: {exc.strerror or exc}") from None
    if verify and not explicit and found != RELEASED_SHA256:
        expected = RELEASED_SHA256 or "(none: guideline_db/_release.py is missing; run python -m guideline_db.build)"
        raise GuidelineIntegrityError(
            f"guideline database {path} is not the released database: expected sha256 {expected}, found {found}; "
            "reinstall abc-mdt (or rebuild with make db); to use another database on purpose, give "
            "--guideline-db PATH")
    if verify and explicit:
        try:
            expected = expected_sha256(path)
        except (OSError, UnicodeDecodeError):
            expected = "(unreadable)"
        if expected is not None and found != expected:
            raise GuidelineIntegrityError(
                f"guideline database {path} was modified: expected sha256 {expected}, found {found}; "
                "reinstall abc-mdt or rebuild the database from its sources (make db)")
    try:
        tables = read_tables(path)
    except sqlite3.DatabaseError as exc:
        raise GuidelineIntegrityError(f"guideline database {path} cannot be read: {exc}") from exc
    meta = {row["key"]: row["value"] for row in tables.pop("meta", ())}
    return GuidelineDatabase(path=path, sha256=found, meta=meta, tables=tables,
                             released=bool(RELEASED_SHA256) and found == RELEASED_SHA256)


@lru_cache(maxsize=8)
def _resolved(path: Path | None, override: str | None) -> tuple[Path, bool]:
    chosen = (path or (Path(override) if override else PACKAGED_DATABASE)).resolve()
    return chosen, chosen != PACKAGED_DATABASE.resolve()


def open_guideline(path: Path | None = None, verify: bool = True) -> GuidelineDatabase:
    """The guideline database (cached per process); raises GuidelineIntegrityError when tampered.

    Without `path` and without ABC_MDT_GUIDELINE_DB: the packaged database, which must have the
    released hash. Any other path is an explicit choice: loaded if its own sidecar agrees, with
    `verified` False unless it happens to be the released file. Called on every evaluation, so the
    path is resolved once per (path, override) rather than per call.
    """
    try:
        resolved, explicit = _resolved(path, os.environ.get(DATABASE_ENV))
        db = _open(resolved, verify, explicit)
    except OSError as exc:  # a path too long, a folder that cannot be searched
        where = str(path or os.environ.get(DATABASE_ENV) or PACKAGED_DATABASE)
        where = where if len(where) <= 200 else where[:200] + "…"
        raise GuidelineIntegrityError(f"guideline database {where} cannot be opened: {exc.strerror or exc}") from None
    if not db.released and db.sha256 not in _noticed:
        _noticed.add(db.sha256)
        for hook in _notice_hooks:
            hook(db)
    return db


def not_released_notice(db: GuidelineDatabase) -> str:
    return (f"notice: using guideline database {db.path} (sha256 {db.sha256[:16]}…), which is NOT the released "
            "database of this abc-mdt; results are marked guideline.verified: false")


def on_unreleased_database(hook: Callable[[GuidelineDatabase], None]) -> None:
    """Call `hook(db)` once per database the first time a non-released one is opened (CLI: stderr notice)."""
    if hook not in _notice_hooks:
        _notice_hooks.append(hook)


class _GuidelineDbAction(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None) -> None:  # noqa: ANN001 (argparse API)
        os.environ[DATABASE_ENV] = str(Path(str(values)).expanduser())
        setattr(namespace, self.dest, values)


def add_guideline_db_option(parser: argparse.ArgumentParser) -> None:
    """`--guideline-db PATH` on the CLI, and the stderr notice whenever a non-released database is used."""
    parser.add_argument("--guideline-db", action=_GuidelineDbAction, metavar="PATH", default=None,
                        help="use this guideline database instead of the released one (a new edition, a test "
                             "build); every result then says it is not the released database")
    on_unreleased_database(lambda db: print(f"abc-mdt: {not_released_notice(db)}", file=sys.stderr))


def write_release_hash(digest: str, module: Path = RELEASE_MODULE) -> None:
    """Generate guideline_db/_release.py (called by `python -m guideline_db.build` for the shipped database)."""
    module.write_text('"""Generated by `python -m guideline_db.build`: the SHA-256 of the released guideline '
                      'database.\n\nDo not edit: rebuild the database instead (make db).\n"""\n\n'
                      f'RELEASED_SHA256 = "{digest}"\n', encoding="utf-8")


def with_verified(output: dict[str, Any], db: GuidelineDatabase | None = None) -> dict[str, Any]:
    """An evaluation's JSON with `guideline.verified` set: false unless the released database was used."""
    guideline = output.get("guideline")
    if isinstance(guideline, dict):
        guideline["verified"] = (db or open_guideline()).verified
    return output
