"""Signed state: the signed PDF's hash becomes part of the immutable history."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from store_helpers import edited, make_case, open_store, recorded

from guideline_db.store import CaseStore, StoreUsageError, VersionConflictError

PDF_HASH = hashlib.sha256(b"%PDF-1.7 signed report").hexdigest()


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path) as opened:
        case = make_case("s-1", name="Wang Fang")
        opened.save_version(case, author="Dr A")
        opened.save_version(edited(case, kps=70), author="Dr A", status="decided")
        yield opened


def test_signing_adds_a_signed_version_with_the_pdf_hash(store: CaseStore) -> None:
    info = store.mark_signed("s-1", 2, PDF_HASH.upper(), signer="Prof. Li", meaning="approved as MDT record")
    assert (info.version, info.status, info.author) == (3, "signed", recorded(store, "Prof. Li"))
    assert (info.pdf_sha256, info.signs_version, info.note) == (PDF_HASH, 2, "approved as MDT record")
    assert info.sha256 == store.versions("s-1")[1].sha256  # same content as the version signed
    assert store.versions("s-1")[-1] == info
    assert store.list_cases()[0].status == "signed"
    entry = store.audit_entries("s-1")[-1]
    assert (entry.action, entry.actor, entry.version) == ("signed", recorded(store, "Prof. Li"), 3)
    assert PDF_HASH in entry.detail and "approved as MDT record" in entry.detail
    assert store.verify_audit().ok


def test_the_signed_hash_stays_in_history_after_later_edits(store: CaseStore) -> None:
    store.mark_signed("s-1", 2, PDF_HASH, signer="Prof. Li", meaning="approved")
    case, _ = store.load("s-1")
    store.save_version(edited(case, kps=60), author="Dr A")
    history = store.versions("s-1")
    assert [v.status for v in history] == ["draft", "decided", "signed", "draft"]
    assert history[2].pdf_sha256 == PDF_HASH
    assert store.list_cases()[0].status == "draft"


def test_signing_a_stale_version_is_refused(store: CaseStore) -> None:
    with pytest.raises(VersionConflictError, match="latest is version 2"):
        store.mark_signed("s-1", 1, PDF_HASH, signer="Prof. Li", meaning="approved")
    assert len(store.versions("s-1")) == 2


def test_co_signing_the_same_content(store: CaseStore) -> None:
    store.mark_signed("s-1", 2, PDF_HASH, signer="Prof. Li", meaning="approved")
    second = store.mark_signed("s-1", 2, PDF_HASH, signer="Dr Zhao", meaning="co-signed")
    assert (second.version, second.signs_version, second.author) == (4, 2, recorded(store, "Dr Zhao"))


@pytest.mark.parametrize(("pdf", "signer", "meaning", "message"), [
    ("abc", "Prof. Li", "approved", "pdf_sha256"),
    (PDF_HASH, "", "approved", "signer"),
    (PDF_HASH, "Prof. Li", " ", "meaning"),
])
def test_arguments_are_checked(store: CaseStore, pdf: str, signer: str, meaning: str, message: str) -> None:
    with pytest.raises(StoreUsageError, match=message):
        store.mark_signed("s-1", 2, pdf, signer=signer, meaning=meaning)
    assert len(store.versions("s-1")) == 2
