"""Signing and verifying the case summary: PAdES signatures, visible stamps, tampering detected."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pypdf import PdfReader, PdfWriter
from test_report_support import FIXED_TIME, PASSPHRASE, decided_case, font_problems, squash, stamp_text

from guideline_db.engine import evaluate
from reports.case_hash import case_version_hash
from reports.identity import IdentityError, check_usable, create_identity, load_identity
from reports.pdf_report import build_report
from reports.preview import flatten_stamps
from reports.signing import (
    SignatureMeta,
    SigningError,
    load_signer,
    meaning_texts,
    meanings,
    sign_case_report,
    sign_report,
)
from reports.verify import EXIT_ALTERED, EXIT_OK, EXIT_UNTRUSTED, MSG_APPENDED, MSG_MODIFIED, verify_pdf


@pytest.fixture(scope="module")
def identities(tmp_path_factory):
    folder = tmp_path_factory.mktemp("identities")
    chair = create_identity("王主任 Dr Wang", "MDT 主席", folder / "chair.p12", PASSPHRASE, key_type="ecdsa-p256")
    recorder = create_identity("Li Recorder", "MDT secretary", folder / "recorder.p12", PASSPHRASE, key_type="rsa3072")
    return {"chair": (folder / "chair.p12", chair), "recorder": (folder / "recorder.p12", recorder)}


@pytest.fixture(scope="module")
def report():
    case = decided_case()
    return case, build_report(case, evaluate(case), lang="zh", created=FIXED_TIME)


def meta_for(case, who: str, lang: str = "zh", meaning: str | None = None) -> SignatureMeta:
    zh, en, commitment = meaning_texts(meaning or ("chair" if who == "chair" else "author"))
    name, role = ("王主任 Dr Wang", "MDT 主席") if who == "chair" else ("Li Recorder", "MDT secretary")
    return SignatureMeta(name, role, zh, en, case.case_id, case_version_hash(case), location="Test Hospital",
                         lang=lang, commitment=commitment)


def signed_by(pdf: bytes, case, identities, who: str, lang: str = "zh") -> bytes:
    return sign_case_report(pdf, identities[who][0], PASSPHRASE, "chair" if who == "chair" else "author", lang=lang,
                            location="Test Hospital", timestamp_url="")[0]


def anchors(identities, *who: str):
    return [identities[w][1] for w in (who or ("recorder", "chair"))]


def test_sign_then_verify(report, identities):
    case, pdf = report
    signed = signed_by(pdf, case, identities, "chair")
    result = verify_pdf(signed, anchors(identities, "chair"))
    assert result.exit_code == EXIT_OK, result.summary()
    (check,) = result.signatures
    assert check.intact and check.valid and check.trusted and check.certified
    assert check.signer == "王主任 Dr Wang" and check.role == "MDT 主席"
    assert check.meaning == "MDT 主席审核批准 / approved by MDT chair"
    assert (check.case_id, check.case_version_hash) == (case.case_id, case_version_hash(case))
    assert signed.startswith(pdf), "a signature is an incremental update"
    assert font_problems(signed) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_stamp_shows_name_role_time_meaning_and_case(report, identities, lang):
    case, pdf = report
    signed = signed_by(pdf, case, identities, "chair", lang)
    text = squash(stamp_text(signed))
    for value in ["王主任", "MDT主席", "MDT主席审核批准", "approvedbyMDTchair", case.case_id,
                  case_version_hash(case)]:
        assert value in text, value
    assert ("本机时钟时间" if lang == "zh" else "PC'sclock") in text
    signing_time = verify_pdf(signed).signatures[0].signing_time
    assert f"{signing_time:%Y-%m-%d%H:%M:%S}" in text
    fields = PdfReader(io.BytesIO(signed)).trailer["/Root"]["/AcroForm"]["/Fields"]
    reason = str(fields[0].get_object()["/V"]["/Reason"])
    assert case.case_id in reason and case_version_hash(case) in reason and "approved by MDT chair" in reason


def test_two_signatures_verify_and_trust_follows_the_anchors(report, identities):
    case, pdf = report
    twice = signed_by(signed_by(pdf, case, identities, "recorder"), case, identities, "chair")
    result = verify_pdf(twice, anchors(identities))
    assert result.exit_code == EXIT_OK, result.summary()
    first, second = result.signatures
    assert (first.signer, second.signer) == ("Li Recorder", "王主任 Dr Wang")
    assert first.certified and not second.certified
    partly = verify_pdf(twice, anchors(identities, "recorder"))
    assert partly.exit_code == EXIT_UNTRUSTED
    assert partly.messages() == ["signature 2: the signer's certificate does not chain to a trust anchor"
                                 + partly.signatures[1].trust_problems[0][len("the signer's certificate does not "
                                                                              "chain to a trust anchor"):]]
    text = squash(stamp_text(twice))
    assert "LiRecorder" in text and "author:Iwrotethissummary" in text
    assert "王主任" in text and "approvedbyMDTchair" in text


def _flip_inside_title(pdf: bytes) -> bytes:
    start = pdf.index(b"/Title (") + len(b"/Title (") + 2
    data = bytearray(pdf)
    data[start] ^= 0x01
    return bytes(data)


def test_one_flipped_byte_is_reported(report, identities):
    case, pdf = report
    signed = signed_by(pdf, case, identities, "chair")
    result = verify_pdf(_flip_inside_title(signed), anchors(identities))
    assert result.exit_code == EXIT_ALTERED
    assert result.messages() == [f"signature 1: {MSG_MODIFIED}"]


def test_flipped_byte_in_first_revision_breaks_both_signatures(report, identities):
    case, pdf = report
    twice = signed_by(signed_by(pdf, case, identities, "recorder"), case, identities, "chair")
    messages = verify_pdf(_flip_inside_title(twice), anchors(identities)).messages()
    assert messages == [f"signature 1: {MSG_MODIFIED}", f"signature 2: {MSG_MODIFIED}"]


def test_a_page_appended_with_pypdf_is_reported(report, identities):
    case, pdf = report
    signed = signed_by(pdf, case, identities, "chair")
    writer = PdfWriter(io.BytesIO(signed), incremental=True)
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    appended = out.getvalue()
    assert appended.startswith(signed)
    result = verify_pdf(appended, anchors(identities))
    assert result.exit_code == EXIT_ALTERED
    assert "revision 3 (after signature 1) changes the page tree" in result.problems[0]
    assert result.signatures[0].intact and result.signatures[0].valid


def test_stray_bytes_after_the_last_signature_are_reported(report, identities):
    case, pdf = report
    signed = signed_by(pdf, case, identities, "chair")
    assert verify_pdf(signed + b"\n", anchors(identities)).ok, "trailing whitespace is harmless"
    assert verify_pdf(signed + b"\n% appended\n1 0 obj (x) endobj\n", anchors(identities)).messages() == [MSG_APPENDED]


def test_unsigned_or_unreadable_documents_do_not_pass(report):
    _, pdf = report
    assert verify_pdf(pdf).messages() == ["the document has no signature"]
    assert verify_pdf(pdf).exit_code == EXIT_ALTERED
    assert verify_pdf(b"not a pdf").exit_code == EXIT_ALTERED


def test_wrong_passphrase_is_a_clear_error(identities):
    path = identities["chair"][0]
    with pytest.raises(SigningError, match="wrong passphrase") as caught:
        load_signer(path, b"not the passphrase")
    assert "not the passphrase" not in str(caught.value)


def test_signing_a_report_of_another_case_version_is_refused(report, identities):
    case, pdf = report
    changed = case.model_copy(update={"evaluation_date": dt.date(2024, 7, 2)})
    signer = load_signer(identities["chair"][0], PASSPHRASE)
    with pytest.raises(SigningError, match="another version of the case"):
        sign_report(pdf, meta_for(changed, "chair"), signer)
    other = decided_case("someone-else")
    with pytest.raises(SigningError, match="summary of case"):
        sign_report(pdf, meta_for(other, "chair"), signer)


def test_the_printed_name_is_the_certificates_and_nothing_else(report, identities):
    case, pdf = report
    signer = load_signer(identities["recorder"][0], PASSPHRASE)
    forged = replace(meta_for(case, "recorder"), signer_name="Li Mei")
    with pytest.raises(SigningError, match="printed name and role are those of the certificate"):
        sign_report(pdf, forged, signer)
    with pytest.raises(SigningError, match="printed name and role"):
        sign_report(pdf, replace(meta_for(case, "recorder"), role="MDT chair"), signer)


def test_meanings_are_a_short_list_and_approval_needs_a_decision(identities):
    pre = decided_case("pre-decision-01").model_copy(update={"mdt": None})
    pdf = build_report(pre, evaluate(pre), lang="en", created=FIXED_TIME)
    chair = identities["chair"][0]
    with pytest.raises(SigningError, match="approval cannot be signed on a pre-decision summary"):
        sign_case_report(pdf, chair, PASSPHRASE, "chair", timestamp_url="")
    gui_meta = replace(meta_for(pre, "chair"), approval=False)      # the text alone says "approved by MDT chair"
    with pytest.raises(SigningError, match="approval cannot be signed on a pre-decision summary"):
        sign_report(pdf, gui_meta, load_signer(chair, PASSPHRASE))
    signed, meta = sign_case_report(pdf, chair, PASSPHRASE, "reviewer", timestamp_url="")
    assert meta.meaning_en == "reviewer: I reviewed this summary"
    with pytest.raises(SigningError, match="unknown meaning 'approved, and more'"):
        sign_case_report(pdf, chair, PASSPHRASE, "approved, and more", timestamp_url="")
    with pytest.raises(SigningError, match="at most 60 characters"):
        meaning_texts("x" * 61)
    assert sorted(m.key for m in meanings()) == ["author", "chair", "reviewer"]
    assert [m.key for m in meanings() if m.approval] == ["chair"]


def test_a_hospital_configures_its_own_meaning(identities, tmp_path, monkeypatch, report):
    case, pdf = report
    monkeypatch.setenv("ABC_MDT_CONFIG_DIR", str(tmp_path))
    (tmp_path / "settings.json").write_text(json.dumps({"signing": {"meanings": [
        {"key": "pathology", "zh": "病理科确认", "en": "confirmed by pathology"}]}}), encoding="utf-8")
    _, meta = sign_case_report(pdf, identities["recorder"][0], PASSPHRASE, "pathology", timestamp_url="")
    assert (meta.meaning_zh, meta.meaning_en, meta.approval) == ("病理科确认", "confirmed by pathology", False)


def test_signature_places_run_out_after_four(report, identities):
    case, pdf = report
    for meaning in ("author", "reviewer", "chair", "reviewer"):
        pdf, _ = sign_case_report(pdf, identities["chair"][0], PASSPHRASE, meaning, timestamp_url="")
    assert verify_pdf(pdf, anchors(identities)).ok
    with pytest.raises(SigningError, match="all 4 signature places"):
        sign_case_report(pdf, identities["chair"][0], PASSPHRASE, "reviewer", timestamp_url="")


def test_identity_file_is_private_protected_and_never_overwritten(tmp_path):
    path = tmp_path / "me.p12"
    certificate = create_identity("Dr A", "radiology", path, PASSPHRASE, key_type="ecdsa-p256")
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(IdentityError, match="already exists"):
        create_identity("Dr B", "surgery", path, PASSPHRASE, key_type="ecdsa-p256")
    with pytest.raises(IdentityError, match="at least"):
        create_identity("Dr C", "surgery", tmp_path / "c.p12", b"short", key_type="ecdsa-p256")
    with pytest.raises(IdentityError, match="a passphrase is required"):
        load_identity(path, b"")
    identity = load_identity(path, PASSPHRASE)
    assert (identity.name, identity.role) == ("Dr A", "radiology")
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert certificate.subject.get_attributes_for_oid(NameOID.TITLE)[0].value == "radiology"


def test_an_unencrypted_identity_file_is_refused_even_with_any_passphrase(tmp_path, report):
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Open File"), x509.NameAttribute(NameOID.TITLE, "X")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=9))
            .add_extension(_signing_usage(), critical=True).sign(key, hashes.SHA256()))
    path = tmp_path / "open.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"x", key, cert, None, serialization.NoEncryption()))
    for passphrase in (b"", PASSPHRASE):
        with pytest.raises(SigningError, match="not protected by a passphrase"):
            load_signer(path, passphrase)


def test_rsa_identity_is_rsa_3072(identities):
    identity = load_identity(identities["recorder"][0], PASSPHRASE)
    assert identity.key.key_size == 3072


def test_expired_certificate_is_refused(identities):
    identity = load_identity(identities["chair"][0], PASSPHRASE)
    with pytest.raises(IdentityError, match="expired"):
        check_usable(identity, dt.datetime.now(dt.UTC) + dt.timedelta(days=20 * 365))


def _signing_usage(commitment: bool = True) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=True, content_commitment=commitment, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                         encipher_only=False, decipher_only=False)


def _hospital_identity(folder: Path) -> tuple[Path, x509.Certificate]:
    """A PKCS#12 from a (test) hospital CA: end-entity certificate signed by a CA, CA in the bundle."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Hospital Root CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Dr Hospital"), x509.NameAttribute(NameOID.TITLE,
                         "MDT chair"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Hospital")])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(_signing_usage(), critical=True)
            .sign(ca_key, hashes.SHA256()))
    path = folder / "hospital.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"hospital", key, cert, [ca], serialization.BestAvailableEncryption(PASSPHRASE)))
    return path, ca


def test_hospital_issued_pkcs12_signs_and_is_trusted_through_its_ca(report, tmp_path):
    case, pdf = report
    path, ca = _hospital_identity(tmp_path)
    signed, _ = sign_case_report(pdf, path, PASSPHRASE, "chair", timestamp_url="")
    assert verify_pdf(signed).exit_code == EXIT_UNTRUSTED
    trusted = verify_pdf(signed, [ca])
    assert trusted.ok and trusted.signatures[0].trusted
    assert trusted.signatures[0].signer == "Dr Hospital"


def test_display_copy_paints_the_stamps_into_the_page(report, identities):
    case, pdf = report
    assert flatten_stamps(pdf) == pdf, "nothing to paint in an unsigned report"
    signed = signed_by(signed_by(pdf, case, identities, "recorder"), case, identities, "chair")
    shown = flatten_stamps(signed)
    last = PdfReader(io.BytesIO(shown)).pages[-1]
    widgets = [a.get_object() for a in last.get("/Annots") or [] if a.get_object().get("/Subtype") == "/Widget"]
    assert [w["/T"] for w in widgets] == ["MDTSignature3", "MDTSignature4"], "only the empty places stay widgets"
    text = squash(last.extract_text())
    assert "王主任" in text and "approvedbyMDTchair" in text and "LiRecorder" in text
    assert font_problems(shown) == []
    assert verify_pdf(signed, anchors(identities)).ok, "the signed bytes themselves are untouched"
