"""Every save is a new immutable version: numbering, change summary, canonical JSON, loading back."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest
from store_helpers import edited, make_case, open_store, recorded

from guideline_db.engine import evaluate
from guideline_db.store import CaseNotFoundError, CaseStore, StoreUsageError, VersionInfo


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path) as opened:
        yield opened


def test_versions_are_numbered_and_summarise_changes(store: CaseStore) -> None:
    case = make_case("c-1", name="Li Na", hospital_id="H001")
    first = store.save_version(case, author="Dr Wang")
    second = store.save_version(edited(case, kps=60, age=61), author="Dr Zhao")
    third = store.save_version(edited(case, kps=60, age=61), author="Dr Zhao", status="decided")
    assert [first.version, second.version, third.version] == [1, 2, 3]
    assert first.changed_fields == ()
    assert second.changed_fields == ("patient.age", "patient.kps")
    assert third.changed_fields == ("status",)
    assert [v.author for v in store.versions("c-1")] == [recorded(store, n) for n in ("Dr Wang", "Dr Zhao", "Dr Zhao")]
    assert [v.status for v in store.versions("c-1")] == ["draft", "draft", "decided"]
    assert store.versions("c-1") == [first, second, third]


def test_list_growth_is_reported_as_the_list_path(store: CaseStore) -> None:
    case = make_case("c-2")
    store.save_version(case, author="a")
    data = case.model_dump(mode="json", exclude_none=True)
    data["metastases"].append({"organ": "bone", "lesion_count": 1})
    data["pathology"][0]["ki67_percent"] = 40
    from guideline_db.case_io import parse_case

    info = store.save_version(parse_case(data), author="a")
    assert info.changed_fields == ("metastases", "pathology[0].ki67_percent")


def test_unchanged_save_adds_no_version(store: CaseStore) -> None:
    case = make_case("c-3")
    first = store.save_version(case, author="a")
    again = store.save_version(make_case("c-3"), author="someone else")
    assert again == first
    assert len(store.versions("c-3")) == 1
    assert len(store.audit_entries("c-3")) == 1


def test_stored_json_is_canonical_and_hashed(store: CaseStore) -> None:
    case = make_case("c-4", name="张伟")
    info = store.save_version(case, author="a")
    expected = json.dumps(case.model_dump(mode="json", exclude_none=True), sort_keys=True, ensure_ascii=False)
    row = store.conn.execute("SELECT case_json, sha256 FROM case_versions WHERE case_id = 'c-4'").fetchone()
    assert row["case_json"] == expected
    assert "张伟" in row["case_json"]  # ensure_ascii=False
    assert info.sha256 == row["sha256"] == hashlib.sha256(expected.encode("utf-8")).hexdigest()


def test_versions_chain_to_their_predecessor(store: CaseStore) -> None:
    case = make_case("c-5")
    store.save_version(case, author="a")
    store.save_version(edited(case, kps=70), author="a")
    rows = store.conn.execute("SELECT prev_hash, row_hash FROM case_versions WHERE case_id = 'c-5' "
                              "ORDER BY version").fetchall()
    assert rows[0]["prev_hash"] == "0" * 64
    assert rows[1]["prev_hash"] == rows[0]["row_hash"]
    assert rows[0]["row_hash"] != rows[1]["row_hash"]


def test_load_returns_any_version_as_a_case(store: CaseStore) -> None:
    case = make_case("c-6", name="Wang Fang")
    store.save_version(case, author="a")
    later = edited(case, kps=50)
    store.save_version(later, author="b")
    loaded_latest, info_latest = store.load("c-6")
    loaded_first, info_first = store.load("c-6", version=1)
    assert loaded_latest == later and info_latest.version == 2
    assert loaded_first == case and info_first.version == 1


def test_missing_case_or_version_is_a_clear_error(store: CaseStore) -> None:
    store.save_version(make_case("c-7"), author="a")
    with pytest.raises(CaseNotFoundError, match="nope"):
        store.load("nope")
    with pytest.raises(CaseNotFoundError, match="version 9"):
        store.load("c-7", version=9)
    with pytest.raises(CaseNotFoundError):
        store.versions("nope")


def test_case_list_row_follows_the_latest_version(store: CaseStore) -> None:
    case = make_case("c-8", name="Chen Jing", hospital_id="ZY-778", subtype="triple_negative",
                     presentation="recurrent_metastatic")
    store.save_version(case, author="a")
    store.save_version(edited(case, name="Chen Jingjing"), author="a", status="decided")
    [summary] = store.list_cases()
    assert summary.case_id == "c-8"
    assert (summary.hospital_id, summary.name) == ("ZY-778", "Chen Jingjing")
    assert summary.subtype == evaluate(case).value("subtype") == "triple_negative"
    assert (summary.status, summary.latest_version, summary.presentation) == ("decided", 2, "recurrent_metastatic")
    assert summary.updated_at == store.versions("c-8")[-1].created_at
    assert summary.updated_at.endswith("Z")


def test_status_and_author_are_checked(store: CaseStore) -> None:
    case = make_case("c-9")
    with pytest.raises(StoreUsageError, match="mark_signed"):
        store.save_version(case, author="a", status="signed")
    with pytest.raises(StoreUsageError, match="status"):
        store.save_version(case, author="a", status="final")
    with pytest.raises(StoreUsageError, match="author"):
        store.save_version(case, author="  ")
    with pytest.raises(StoreUsageError):
        store.save_version(case.model_dump(), author="a")  # type: ignore[arg-type]
    assert store.list_cases() == []


def test_audit_actions_of_saves(store: CaseStore) -> None:
    case = make_case("c-10")
    store.save_version(case, author="a")
    store.save_version(edited(case, kps=70), author="a")
    store.save_version(edited(case, kps=70), author="a", status="decided")
    store.save_version(edited(case, kps=60), author="a", status="decided")
    assert [e.action for e in store.audit_entries("c-10")] == ["created", "edited", "decided", "edited"]


def test_save_many_is_one_transaction(store: CaseStore) -> None:
    infos = store.save_many([make_case(f"bulk-{i}") for i in range(5)], author="importer")
    assert [i.version for i in infos] == [1] * 5
    assert store.counts()["cases"] == 5
    with pytest.raises(StoreUsageError):
        store.save_many([make_case("bulk-9"), "not a case"], author="importer")  # type: ignore[list-item]
    assert store.counts()["cases"] == 5


def test_results_are_frozen(store: CaseStore) -> None:
    info = store.save_version(make_case("c-11"), author="a")
    assert isinstance(info, VersionInfo)
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.version = 5  # type: ignore[misc]


def test_closed_store_refuses_work(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.close()
    with pytest.raises(StoreUsageError, match="closed"):
        store.list_cases()


def test_timestamps_are_utc_iso(tmp_path: Path) -> None:
    from datetime import datetime, timedelta, timezone

    beijing = timezone(timedelta(hours=8))
    with open_store(tmp_path, clock=lambda: datetime(2024, 7, 1, 16, 30, tzinfo=beijing)) as store:
        info = store.save_version(make_case("t-1"), author="a")
        assert info.created_at == "2024-07-01T08:30:00.000000Z"
        assert store.list_cases()[0].updated_at == info.created_at
        assert store.audit_entries()[0].at == info.created_at
