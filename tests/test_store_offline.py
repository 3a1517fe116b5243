# ruff: noqa: F811  (pytest fixtures imported from pg_server are test parameters here)
"""A PC whose case server is unreachable (issue 18, item 4), on a real server (pg_server.py): the offline store
lists and opens the cases this PC last opened, keeps saves, drafts and print events, refuses what only the
registry can do, and pushes everything back with a conflict check once the server answers again."""

from __future__ import annotations

from pathlib import Path

import pytest
from pg_server import PgServer, pg_server  # noqa: F401 (fixtures)
from store_helpers import edited, make_case

from guideline_db.store import CaseNotFoundError, StoreReadOnlyError
from guideline_db.store.postgres import PgCaseStore, ServerUnreachableError
from guideline_db.store.postgres.offline_store import NEEDS_SERVER, OfflineStore
from guideline_db.store.selection import open_offline_cache, open_server


def unreachable(url: str, pg_server: PgServer, where: Path) -> str:
    """The same URL pointing at a folder where no server listens (a network outage, as the client sees it)."""
    return url.replace(f"host={pg_server.socket_dir}", f"host={where}")


@pytest.fixture
def registry(tmp_path: Path, pg_server: PgServer) -> str:
    """A registry with two cases, both opened on this PC (so its offline cache holds copies of them)."""
    url = pg_server.new_database(users=("tester", "dr_wang"))
    with open_server(url, data_dir=tmp_path) as store:
        store.save_version(make_case("MDT-1", name="王芳", hospital_id="H01"), author="tester")
        store.save_version(make_case("MDT-2", name="Li Na", hospital_id="H02"), author="tester")
        store.load("MDT-1")
        store.load("MDT-2")
    return url


def offline_store(tmp_path: Path, url: str) -> OfflineStore:
    return OfflineStore(open_offline_cache(tmp_path), url)


def test_unreachable_server_names_the_copies_and_the_url_to_keep_trying(tmp_path: Path, pg_server: PgServer,
                                                                        registry: str) -> None:
    gone = unreachable(registry, pg_server, tmp_path)
    with pytest.raises(ServerUnreachableError) as caught:
        open_server(gone, data_dir=tmp_path, timeout=1)
    assert "read-only copy of the 2 cases it last opened" in caught.value.message
    assert caught.value.url == gone and caught.value.offline_cache == tmp_path / "offline-cache.sqlite"


def test_offline_lists_searches_and_opens_the_copies(tmp_path: Path, registry: str) -> None:
    with offline_store(tmp_path, registry) as store:
        assert {c.case_id for c in store.list_cases()} == {"MDT-1", "MDT-2"}
        assert [c.case_id for c in store.list_cases("王")] == ["MDT-1"]
        assert [c.case_id for c in store.list_cases("h02")] == ["MDT-2"]
        case, info = store.load("MDT-1")
        assert case.patient.name == "王芳" and info.version == 1 and "offline copy" in info.note
        assert [v.version for v in store.versions("MDT-1")] == [1]
        with pytest.raises(CaseNotFoundError, match="no offline copy"):
            store.load("MDT-404")
        with pytest.raises(StoreReadOnlyError, match="unreachable"):
            store.load("MDT-1", version=1)          # the history is on the server


@pytest.mark.parametrize("operation", sorted(NEEDS_SERVER))
def test_what_only_the_registry_can_do_is_refused_with_the_reason(tmp_path: Path, registry: str,
                                                                  operation: str) -> None:
    with offline_store(tmp_path, registry) as store, pytest.raises(StoreReadOnlyError) as caught:
        getattr(store, operation)("MDT-1")
    assert "while the case server" in caught.value.message and "reconnects by itself" in caught.value.hint


def test_offline_saves_drafts_and_events_are_pushed_when_the_server_is_back(tmp_path: Path, registry: str) -> None:
    with offline_store(tmp_path, registry) as store:
        case, info = store.load("MDT-1")
        kept = store.save_version(edited(case, kps=60), author="tester", expected_version=info.version)
        assert kept.version == 1 and "waiting for the server" in kept.note
        store.save_version(edited(case, kps=50), author="tester", status="decided", expected_version=kept.version)
        store.save_version(make_case("MDT-NEW", name="赵敏"), author="tester", expected_version=0)
        assert store.load("MDT-1")[0].patient.kps == 50            # the PC shows what was typed on it
        assert {c.case_id for c in store.list_cases("赵")} == {"MDT-NEW"}
        assert store.versions("MDT-NEW")[0].version == 0             # based on nothing: a new case
        store.autosave_draft("new:1", '{"typed": "half a case"}')
        store.record_event("MDT-1", "printed", "tester", "case summary")
        assert [d.key for d in store.list_drafts()] == ["new:1"] and store.load_draft("new:1")
        assert len(store.pending()) == 3
        with open_server(registry, data_dir=tmp_path / "back") as server:
            result = store.push_to(server)
            assert [(i.case_id, i.version) for i in result.pushed] == [("MDT-1", 2), ("MDT-1", 3), ("MDT-NEW", 1)]
            assert not result.conflicts and result.drafts == 1 and result.events == 1 and store.pending() == []
            assert server.load("MDT-1")[0].patient.kps == 50 and server.versions("MDT-1")[-1].status == "decided"
            assert server.load_draft("new:1") == '{"typed": "half a case"}'
            printed = [e for e in server.audit_entries("MDT-1") if e.action == "printed"]
            assert len(printed) == 1 and "offline" in printed[0].detail
            assert {v.author for v in server.versions("MDT-1")} == {"tester"}   # the authenticated role
            assert server.verify_audit().ok
        assert store.list_drafts() == []


def test_a_case_changed_on_the_server_meanwhile_is_kept_with_the_other_writers_name(tmp_path: Path,
                                                                                   registry: str) -> None:
    with offline_store(tmp_path, registry) as store:
        case, info = store.load("MDT-1")
        store.save_version(edited(case, kps=60), author="tester", expected_version=info.version)
        store.save_version(edited(case, kps=70), author="tester", expected_version=info.version)
        other = registry.replace("tester@", "dr_wang@")
        with PgCaseStore.connect(other, anchor_dir=tmp_path / "wang") as wang:
            latest, seen = wang.load("MDT-1")
            wang.save_version(edited(latest, kps=90), author="dr_wang", expected_version=seen.version)
        with open_server(registry, data_dir=tmp_path / "back") as server:
            result = store.push_to(server)
            assert result.pushed == [] and len(result.conflicts) == 2
            assert "dr_wang" in result.conflicts[0][1]
            assert "earlier local save of this case was refused" in result.conflicts[1][1]
            assert server.load("MDT-1")[0].patient.kps == 90               # nothing overwritten
            assert [p.case_id for p in store.pending()] == ["MDT-1", "MDT-1"]   # nothing lost
            kept = store.cache.pending_case(store.pending()[-1].id)
            assert kept.patient.kps == 70


def test_what_this_pc_saved_on_the_server_is_its_offline_copy(tmp_path: Path, registry: str) -> None:
    with open_server(registry, data_dir=tmp_path) as server:
        case, info = server.load("MDT-2")
        saved = server.save_version(edited(case, kps=70), author="tester", expected_version=info.version)
    with offline_store(tmp_path, registry) as store:
        copy, copied = store.load("MDT-2")
        assert copy.patient.kps == 70 and copied.version == saved.version == 2


def test_an_offline_cache_edited_behind_the_apps_back_is_reported_not_a_traceback(
        tmp_path: Path, pg_server: PgServer, registry: str) -> None:
    import sqlite3

    from guideline_db.store import StoreCorruptError, StoreError

    cache_file = tmp_path / "offline-cache.sqlite"
    with sqlite3.connect(cache_file) as conn:
        conn.execute("UPDATE opened SET case_json = '{\"case_id\": 1}' WHERE case_id = 'MDT-2'")
    with offline_store(tmp_path, registry) as store:
        assert {c.case_id for c in store.list_cases()} == {"MDT-1", "MDT-2"}   # still listed ...
        with pytest.raises(StoreCorruptError, match="offline-cache.sqlite"):   # ... and opening it says why
            store.load("MDT-2")
        assert store.load("MDT-1")[0].patient.name == "王芳"
    cache_file.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="offline-cache.sqlite"):
        open_offline_cache(tmp_path)
    with pytest.raises(ServerUnreachableError, match="offline copy cannot be used") as caught:
        open_server(unreachable(registry, pg_server, tmp_path), data_dir=tmp_path, timeout=1)
    assert caught.value.url                                        # the outage is still what is reported


def test_a_damaged_local_save_is_kept_and_does_not_block_the_others(tmp_path: Path, registry: str) -> None:
    import sqlite3

    with offline_store(tmp_path, registry) as store:
        case, info = store.load("MDT-1")
        store.save_version(edited(case, kps=60), author="tester", expected_version=info.version)
        other, seen = store.load("MDT-2")
        store.save_version(edited(other, kps=70), author="tester", expected_version=seen.version)
    with sqlite3.connect(tmp_path / "offline-cache.sqlite") as conn:
        conn.execute("UPDATE pending SET case_json = 'not json' WHERE case_id = 'MDT-1'")
    with offline_store(tmp_path, registry) as store, open_server(registry, data_dir=tmp_path / "back") as server:
        result = store.push_to(server)
        assert [i.case_id for i in result.pushed] == ["MDT-2"]
        assert [(i.case_id, "damaged" in why) for i, why in result.conflicts] == [("MDT-1", True)]
        assert [p.case_id for p in store.pending()] == ["MDT-1"] and server.versions("MDT-1")[-1].version == 1


def test_a_damaged_offline_cache_never_keeps_the_pc_off_a_reachable_server(tmp_path: Path, registry: str) -> None:
    (tmp_path / "offline-cache.sqlite").write_bytes(b"not a database at all" * 100)
    with open_server(registry, data_dir=tmp_path) as server:
        assert server.offline_cache is None and server.load("MDT-1")[0].patient.name == "王芳"


def test_an_offline_copy_that_cannot_be_written_never_fails_the_open_or_the_save(tmp_path: Path,
                                                                                 registry: str) -> None:
    with open_server(registry, data_dir=tmp_path) as server:
        server.offline_cache.close()                      # e.g. the disk under the cache went away
        case, info = server.load("MDT-1")
        saved = server.save_version(edited(case, kps=60), author="tester", expected_version=info.version)
        assert saved.version == 2 and server.load("MDT-1")[0].patient.kps == 60
