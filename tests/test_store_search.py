"""Searching the case list by ID, hospital ID, name or diagnosis, as the user types."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_helpers import edited, make_case, open_store

from guideline_db.store import CaseStore, StoreUsageError


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path) as opened:
        opened.save_version(make_case("MDT-2024-001", name="Wang Fang", hospital_id="H0012345"), author="a")
        opened.save_version(make_case("MDT-2024-002", name="王芳", hospital_id="ZY778",
                                      subtype="triple_negative"), author="a")
        opened.save_version(make_case("MDT-2024-003", name="Li Na", hospital_id="H0099001",
                                      subtype="hr_neg_her2_pos", presentation="recurrent_metastatic"), author="a")
        opened.save_version(make_case("demo_004", name="Zhang Wei"), author="a")
        yield opened


def ids(store: CaseStore, query: str, **kwargs) -> list[str]:
    return [summary.case_id for summary in store.list_cases(query, **kwargs)]


def test_empty_search_lists_all_newest_first(store: CaseStore) -> None:
    assert ids(store, "") == ["demo_004", "MDT-2024-003", "MDT-2024-002", "MDT-2024-001"]
    assert ids(store, "   ") == ids(store, "")


def test_resaving_moves_a_case_to_the_top(store: CaseStore) -> None:
    case, _ = store.load("MDT-2024-001")
    store.save_version(edited(case, kps=70), author="a")
    assert ids(store, "")[0] == "MDT-2024-001"
    assert ids(store, "mdt")[0] == "MDT-2024-001"


@pytest.mark.parametrize(("query", "expected"), [
    ("MDT-2024-002", ["MDT-2024-002"]),          # full case ID
    ("2024-00", ["MDT-2024-003", "MDT-2024-002", "MDT-2024-001"]),  # substring of case IDs
    ("mdt-2024-003", ["MDT-2024-003"]),          # case-insensitive
    ("ＭＤＴ-2024-003", ["MDT-2024-003"]),        # full-width input from a Chinese IME
    ("demo_004", ["demo_004"]),
    ("h00123", ["MDT-2024-001"]),                # hospital ID prefix
    ("99001", ["MDT-2024-003"]),                 # hospital ID substring
    ("zy", ["MDT-2024-002"]),                    # two characters: start of a word
    ("wang", ["MDT-2024-001"]),
    ("fang wang", ["MDT-2024-001"]),             # words in any order
    ("wang f", ["MDT-2024-001"]),                # typing in progress
    ("w", ["demo_004", "MDT-2024-001"]),         # one character: words starting with it (Wang, Wei)
    ("王", ["MDT-2024-002"]),                     # one Chinese character
    ("王芳", ["MDT-2024-002"]),
    ("li na", ["MDT-2024-003"]),
    ("triple", ["MDT-2024-002"]),                # diagnosis: subtype token
    ("三阴", ["MDT-2024-002"]),                   # diagnosis in Chinese
    ("her2 pos", ["demo_004", "MDT-2024-003", "MDT-2024-001"]),  # hr_neg_her2_pos and hr_pos_her2_neg
    ("HR-/HER2+", ["MDT-2024-003"]),
    ("HER-2阳性", ["MDT-2024-003"]),
    ("recurrent", ["MDT-2024-003"]),             # diagnosis: presentation
    ("复发", ["MDT-2024-003"]),
    ("wang triple", []),                         # every word must match
    ("ang", ["demo_004", "MDT-2024-001"]),       # three characters match inside words (Wang, Zhang)
    ("xyz", []),
])
def test_search(store: CaseStore, query: str, expected: list[str]) -> None:
    assert ids(store, query) == expected


@pytest.mark.parametrize("query", ['"', '""', "*", "a*", "AND", "OR wang", "(", "NEAR(", "'", "-", "wang -", "^"])
def test_fts_syntax_in_the_query_is_plain_text(store: CaseStore, query: str) -> None:
    result = ids(store, query)  # must not raise an FTS5 syntax error
    assert isinstance(result, list)
    if query in ("-", "*", "^", "(", '"', '""', "'"):
        assert result == ids(store, "")  # nothing searchable: everything listed
    if query == "wang -":
        assert result == ["MDT-2024-001"]


def test_limit(store: CaseStore) -> None:
    assert len(store.list_cases("", limit=2)) == 2
    assert len(store.list_cases("mdt", limit=1)) == 1
    assert len(store.list_cases("", limit=None)) == 4
    with pytest.raises(StoreUsageError):
        store.list_cases("", limit=0)


def test_search_follows_renamed_patient(store: CaseStore) -> None:
    case, _ = store.load("demo_004")
    store.save_version(edited(case, name="Zhou Min"), author="a")
    assert ids(store, "zhang") == []
    assert ids(store, "zhou") == ["demo_004"]
