"""`make bench` rows for issue 18: search and save latency on 100,000 cases, SQLite and PostgreSQL side by side.

Both stores hold the same 100,000 synthetic cases (guideline_db.store.bench.populate into SQLite, then
`cases migrate` into a throwaway PostgreSQL cluster on a Unix socket, started as in the tests:
tests/pg_server.py). Each search row of the server has the same query on SQLite as its baseline, so the
ratio is the price of the server; save is one new version of an existing case with `expected_version`
(the GUI's save), durable on return on both (SQLite synchronous=FULL, PostgreSQL synchronous_commit=on).
The server is local: a hospital network adds its round-trip time to every figure of the server.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

QUERIES = ("wa", "王", "wang f", "H0012", "triple", "三阴", "bench 王", "zzzz")


def bench_store_engines(n: int = 100_000, search_repeat: int = 9, saves: int = 40) -> list[dict]:
    import pytest
    from pg_server import server

    try:
        server()
    except pytest.skip.Exception as missing:   # no PostgreSQL binaries: say so in the table, measure the rest
        return [{"name": "store engines: not measured", "error": str(missing.msg)}]
    with tempfile.TemporaryDirectory() as folder:
        return _measure(Path(folder), n, search_repeat, saves)


def _measure(folder: Path, n: int, search_repeat: int, saves: int) -> list[dict]:
    from bench_parts import _figure, _timed
    from pg_server import server

    from guideline_db.store import CaseStore
    from guideline_db.store.bench import populate
    from guideline_db.store.postgres import PgCaseStore
    from guideline_db.store.postgres.admin import run
    from guideline_db.store.postgres.migrate import sqlite_to_pg

    count = f"{n:,}"
    results: list[dict] = []
    with CaseStore.open(folder / "cases.sqlite", user="bench", mounts_file=None) as local, \
            PgCaseStore.connect(server().new_database(("bench",)).replace("bench@", "postgres@"),
                                anchor_dir=folder) as remote:   # a migration is IT's (the owner role)
        populate(local, n)
        start = time.perf_counter()
        sqlite_to_pg(local, remote)
        results.append(_figure(f"store engines: migrate {count} cases SQLite -> PostgreSQL (verified)",
                               [(time.perf_counter() - start) * 1000], "ms", None))
        # what autovacuum does on a real server a minute after a bulk load: planner statistics (IT's ANALYZE)
        database = remote.raw.execute("SELECT current_database()").fetchone()[0]
        run(server().url(database), "ANALYZE")
        for query in QUERIES:
            expected = [case.case_id for case in local.list_cases(search=query)]
            if [case.case_id for case in remote.list_cases(search=query)] != expected:
                raise AssertionError(f"search {query!r}: PostgreSQL and SQLite list different cases")
            base = _timed(lambda q=query: local.list_cases(search=q), search_repeat)
            server_samples = _timed(lambda q=query: remote.list_cases(search=q), search_repeat)
            results.append(_figure(f"store engines: search '{query}' in {count} — sqlite", base, "ms", 50))
            results.append(_figure(f"store engines: search '{query}' in {count} — postgresql", server_samples,
                                   "ms", 50, base, "same query on SQLite"))
        sqlite_save = _timed(_saver(local), saves)
        server_save = _timed(_saver(remote), saves)
        results.append(_figure(f"store engines: save a version ({count} cases) — sqlite", sqlite_save, "ms", None))
        results.append(_figure(f"store engines: save a version ({count} cases) — postgresql", server_save, "ms",
                               None, sqlite_save, "save on SQLite"))
    return results


def _saver(store):
    """One save as the GUI does it: the next version of a case, based on the version it loaded."""
    case, info = store.load("bench-000007")
    state = {"version": info.version, "kps": case.patient.kps}

    def save() -> None:
        state["kps"] = 70 if state["kps"] != 70 else 80
        changed = case.model_copy(update={"patient": case.patient.model_copy(update={"kps": state["kps"]})})
        state["version"] = store.save_version(changed, author="bench", expected_version=state["version"]).version

    return save
