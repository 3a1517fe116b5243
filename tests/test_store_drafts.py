"""Autosaved drafts: kept exactly as typed (even invalid), replaced in place, discarded on demand."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_helpers import open_store

from guideline_db.store import CaseStore, StoreUsageError


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path) as opened:
        yield opened


def test_invalid_json_is_kept_byte_for_byte(store: CaseStore) -> None:
    text = '{"case_id": "x", "patient": {"name": "王芳\\n", "age": 1000,\n  "unfinished": '
    store.autosave_draft("new-case-1", text)
    assert store.load_draft("new-case-1") == text


def test_autosave_replaces_the_previous_text(store: CaseStore) -> None:
    store.autosave_draft("c-1", "first")
    store.autosave_draft("c-1", "second")
    assert store.load_draft("c-1") == "second"
    assert [(d.key, d.chars) for d in store.list_drafts()] == [("c-1", 6)]


def test_drafts_survive_reopening(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        store.autosave_draft("c-2", "{ half typed")
    with open_store(tmp_path) as store:
        assert store.load_draft("c-2") == "{ half typed"


def test_discard(store: CaseStore) -> None:
    store.autosave_draft("c-3", "x")
    assert store.discard_draft("c-3") is True
    assert store.discard_draft("c-3") is False
    assert store.load_draft("c-3") is None
    assert store.list_drafts() == []


def test_list_is_newest_first(store: CaseStore) -> None:
    for key in ("a", "b", "c"):
        store.autosave_draft(key, key * 3)
    store.autosave_draft("a", "again")
    assert [d.key for d in store.list_drafts()] == ["a", "c", "b"]


def test_empty_text_is_a_draft_but_an_empty_key_is_not(store: CaseStore) -> None:
    store.autosave_draft("blank", "")
    assert store.load_draft("blank") == ""
    with pytest.raises(StoreUsageError):
        store.autosave_draft("", "x")
    with pytest.raises(StoreUsageError):
        store.autosave_draft("k", None)  # type: ignore[arg-type]


def test_drafts_are_not_versions(store: CaseStore) -> None:
    store.autosave_draft("c-4", "{}")
    assert store.list_cases() == []
    assert store.audit_entries() == []
