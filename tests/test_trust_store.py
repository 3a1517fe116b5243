"""The trust store's own rules: certificates by fingerprint, no duplicates, removal by file or prefix."""

from __future__ import annotations

import os

import pytest
from test_report_support import PASSPHRASE

from reports.identity import certificate_pem, create_identity
from reports.trust import TrustStore, TrustStoreError


@pytest.fixture
def certificates(tmp_path):
    out = []
    for index in range(2):
        cert = create_identity(f"Dr {index}", "MDT chair", tmp_path / f"{index}.p12", PASSPHRASE, key_type="ecdsa-p256")
        out.append(certificate_pem(cert))
    return out


def test_add_list_remove(tmp_path, certificates):
    store = TrustStore(tmp_path / "trust")
    assert store.anchors() == []
    (added,) = store.add(certificates[0])
    assert "Dr 0" in added.subject
    assert added.path.name == f"{added.fingerprint}.pem"
    if os.name == "posix":
        assert added.path.stat().st_mode & 0o777 == 0o600
    assert store.add(certificates[0]) == [], "adding twice adds nothing"
    store.add(certificates[1])
    assert len(store.anchors()) == 2 and len(store.certificates()) == 2
    assert [a.fingerprint for a in store.remove(certificates[0])] == [added.fingerprint]
    (left,) = store.anchors()
    assert store.remove(left.fingerprint[:8]) and store.anchors() == []


def test_bad_input_is_a_clear_error(tmp_path, certificates):
    store = TrustStore(tmp_path / "trust")
    with pytest.raises(TrustStoreError, match="not a certificate"):
        store.add(b"hello")
    with pytest.raises(TrustStoreError, match="at least 8 hex digits"):
        store.remove("abc")
    with pytest.raises(TrustStoreError, match="not in the trust store"):
        store.remove(certificates[1])


def test_an_unreadable_file_in_the_folder_is_no_anchor(tmp_path, certificates):
    store = TrustStore(tmp_path / "trust")
    store.add(certificates[0])
    (store.folder / "junk.pem").write_text("not a certificate")
    assert len(store.anchors()) == 1


def test_default_folder_is_in_the_config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ABC_MDT_CONFIG_DIR", str(tmp_path / "cfg"))
    assert TrustStore().folder == tmp_path / "cfg" / "trust"


def test_verify_with_the_trust_store_trusts_what_was_added(tmp_path, certificates):
    from test_report_support import FIXED_TIME, decided_case

    from guideline_db.engine import evaluate
    from reports.pdf_report import build_report
    from reports.signing import sign_case_report
    from reports.verify import EXIT_OK, EXIT_UNTRUSTED, verify_with_trust_store

    case = decided_case()
    pdf = build_report(case, evaluate(case), lang="en", created=FIXED_TIME)
    signed, _ = sign_case_report(pdf, tmp_path / "0.p12", PASSPHRASE, "author", timestamp_url="")
    store = TrustStore(tmp_path / "trust")
    assert verify_with_trust_store(signed, store=store).exit_code == EXIT_UNTRUSTED
    store.add(certificates[1])
    assert verify_with_trust_store(signed, store=store).exit_code == EXIT_UNTRUSTED
    store.add(certificates[0])
    assert verify_with_trust_store(signed, store=store).exit_code == EXIT_OK
