"""A psycopg connection that speaks the SQL dialect of the SQLite store's modules.

Why: the version row, its audit entry, the case-list row and the chain walk are written and checked by
`versions.append_version`, `audit.append_entry`, `audit._Walk`, `anchor.head_of/check_head` and
`derived.derived_break` — one producer of the hash chain for both engines, so a chain built on the
server is byte-for-byte the chain SQLite would have built (and `cases migrate` can copy it either way).
Those modules use `?` and `:name` placeholders and read rows by index and by column name; this wrapper
rewrites the placeholders for psycopg and returns rows that behave like `sqlite3.Row`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg

_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


class Row(tuple):
    """A result row readable as `row[0]` and `row["column"]`, like sqlite3.Row."""

    _index: dict[str, int]

    def __new__(cls, values: Sequence[Any], index: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row._index = index
        return row

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def row_factory(cursor: psycopg.Cursor[Any]) -> Any:
    index: dict[str, int] = {}
    for position, column in enumerate(cursor.description or ()):
        index.setdefault(column.name, position)   # "SELECT rowid, *": the first rowid wins, as in SQLite

    def make(values: Sequence[Any]) -> Row:
        return Row(values, index)

    return make


def translate(sql: str, params: object) -> str:
    """`?` -> `%s`, `:name` -> `%(name)s`, literal `%` doubled (only when parameters are passed)."""
    if params is None:
        return sql
    sql = sql.replace("%", "%%")
    if isinstance(params, dict):
        return _NAMED.sub(r"%(\1)s", sql)
    return sql.replace("?", "%s")


class Connection:
    """The subset of sqlite3.Connection the shared store modules use, on a psycopg connection."""

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw
        raw.row_factory = row_factory

    # audit.verify() sets sqlite3.Row; rows here are always Row already
    @property
    def row_factory(self) -> object:
        return Row

    @row_factory.setter
    def row_factory(self, _value: object) -> None:
        pass

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> psycopg.Cursor[Any]:
        if isinstance(params, tuple | list) and not params:
            params = None
        return self.raw.execute(translate(sql, params), params)  # type: ignore[arg-type]

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]] | Iterator[Any]) -> None:
        items = list(rows)
        if not items:
            return
        with self.raw.cursor() as cursor:
            cursor.executemany(translate(sql, items[0]), items)
