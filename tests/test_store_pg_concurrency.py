# ruff: noqa: F811  (pytest fixtures imported from pg_server are test parameters here)
"""Many PCs on one registry: 8 client processes saving and searching against one real server (nothing
lost, every stale save refused, chain intact), and the server killed mid-write (no acknowledged version
lost after restart). `make test` runs the clients for a few seconds, `make stress` for a minute."""

from __future__ import annotations

import json
import os
import time
from collections import Counter, defaultdict
from pathlib import Path

from pg_server import PgServer, pg_server, start_worker  # noqa: F401 (fixture)
from store_helpers import make_case

from guideline_db.store.postgres import PgCaseStore

FULL = os.environ.get("ABC_MDT_STRESS") == "full"
CLIENTS = 8
SECONDS = 60.0 if FULL else 8.0
SHARED = 3


def lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.endswith("}")]


def test_eight_clients_lose_nothing_and_every_stale_save_is_refused(tmp_path: Path, pg_server: PgServer) -> None:
    names = [f"pc{i}" for i in range(CLIENTS)]
    url = pg_server.new_database(users=("tester", *names))
    with PgCaseStore.connect(url, anchor_dir=tmp_path / "setup") as store:
        for index in range(SHARED):
            store.save_version(make_case(f"shared-{index}", name="Shared Case"), author="coordinator")
    workers = [start_worker(url.replace("tester@", f"{name}@"), tmp_path / name, tmp_path / f"{name}.log",
                            SECONDS, SHARED, name) for name in names]
    for process in workers:
        assert process.wait(timeout=SECONDS + 120) == 0
    logs = {name: lines(tmp_path / f"{name}.log") for name in names}
    acks = [(name, item) for name, items in logs.items() for item in items if item["kind"] == "ok"]
    refused = [(name, item) for name, items in logs.items() for item in items if item["kind"] == "refused"]
    unchanged = [(name, item) for name, items in logs.items() for item in items if item["kind"] == "unchanged"]
    errors = [item for items in logs.values() for item in items if item["kind"] == "error"]
    searches = [item for items in logs.values() for item in items if item["kind"] == "search"]
    print(f"{CLIENTS} clients, {SECONDS:.0f} s: {len(acks)} saves acknowledged, {len(refused)} stale saves refused, "
          f"{len(searches)} searches")
    assert not errors
    assert len(acks) > 5 * CLIENTS and refused and searches   # the test did contend
    with PgCaseStore.connect(url, anchor_dir=tmp_path / "check") as store:
        report = store.verify_audit()
        assert report.ok, report.summary()
        stored = {(v.case_id, v.version): v for case in store.list_cases(limit=None)
                  for v in store.versions(case.case_id)}
        roles = dict(((row[0], row[1]), row[2]) for row in store.raw.execute(
            "SELECT case_id, version, db_role FROM case_versions"))
    # nothing lost: every acknowledged save is on the server, as acknowledged, made by that client's role
    for name, item in acks:
        version = stored[(item["case_id"], item["version"])]
        assert version.row_hash == item["row_hash"] and version.author == name
        assert roles[(item["case_id"], item["version"])] == name
        assert item["version"] == item["expected"] + 1          # a save was accepted only on the latest version
    for _name, item in unchanged:   # an unchanged save returned the version it matched
        assert stored[(item["case_id"], item["version"])].row_hash == item["row_hash"]
    assert not [key for key, count in Counter((i["case_id"], i["version"]) for _, i in acks).items() if count > 1]
    # every version on the server (but the first of each shared case) was acknowledged to exactly one client
    acked = {(i["case_id"], i["version"]) for _, i in acks}
    assert set(stored) - acked == {(f"shared-{index}", 1) for index in range(SHARED)}
    # every refusal was of a stale version, and names the writer who had saved the next one
    by_case: dict[str, dict[int, str]] = defaultdict(dict)
    for (case_id, number), version in stored.items():
        by_case[case_id][number] = version.author
    for _name, item in refused:
        newer = by_case[item["case_id"]]
        assert max(newer) > item["expected"]
        assert any(f"changed by {newer[v]} at" in item["message"] for v in newer if v > item["expected"])


def test_killing_the_server_mid_write_loses_no_acknowledged_version(tmp_path: Path, pg_server: PgServer) -> None:
    url = pg_server.new_database(users=("tester", "killed"))
    log = tmp_path / "writer.log"
    writer = start_worker(url.replace("tester@", "killed@"), tmp_path / "w", log, 120.0, 2, "killed")
    try:
        with PgCaseStore.connect(url, anchor_dir=tmp_path / "setup") as store:
            for index in range(2):
                store.save_version(make_case(f"shared-{index}"), author="coordinator")
        deadline = time.monotonic() + 90
        while sum(item["kind"] == "ok" for item in lines(log)) < 25:
            assert time.monotonic() < deadline and writer.poll() is None
            time.sleep(0.1)
        pg_server.stop("immediate")        # mid-write: the writer saves continuously
        acknowledged = [item for item in lines(log) if item["kind"] == "ok"]
    finally:
        writer.kill()
        writer.wait()
        pg_server.start()
    with PgCaseStore.connect(url, anchor_dir=tmp_path / "check") as store:
        for item in acknowledged:
            versions = {v.version: v for v in store.versions(item["case_id"])}
            assert versions[item["version"]].row_hash == item["row_hash"]
        assert store.verify_audit().ok
        store.save_version(make_case("after-restart"), author="coordinator")   # the registry works on
