"""Signing and verifying the case summary: PAdES signatures, visible stamps, tampering detected."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
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
from reports.signing import SignatureMeta, SigningError, load_signer, meaning_texts, sign_report
from reports.verify import MSG_APPENDED, MSG_MODIFIED, MSG_TRANSPLANTED, verify_pdf


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


def meta_for(case, who: str, lang: str = "zh") -> SignatureMeta:
    zh, en, commitment = meaning_texts("chair" if who == "chair" else "recorder")
    name, role = ("王主任", "MDT 主席") if who == "chair" else ("Li Recorder", "MDT secretary")
    return SignatureMeta(name, role, zh, en, case.case_id, case_version_hash(case), location="Test Hospital",
                         lang=lang, commitment=commitment)


def signed_by(pdf: bytes, case, identities, who: str, lang: str = "zh") -> bytes:
    return sign_report(pdf, meta_for(case, who, lang), load_signer(identities[who][0], PASSPHRASE))


def test_sign_then_verify(report, identities):
    case, pdf = report
    signed = signed_by(pdf, case, identities, "chair")
    result = verify_pdf(signed)
    assert result.ok, result.summary()
    (check,) = result.signatures
    assert check.intact and check.valid and check.trusted is None
    assert check.coverage == "entire file"
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
    signing_time = verify_pdf(signed).signatures[0].signing_time
    assert f"{signing_time:%Y-%m-%d%H:%M:%S}" in text
    reason = str(PdfReader(io.BytesIO(signed)).trailer["/Root"]["/AcroForm"]["/Fields"][0].get_object()["/V"]["/Reason"])
    assert case.case_id in reason and case_version_hash(case) in reason and "approved by MDT chair" in reason


def test_two_signatures_both_verify_and_trust_follows_the_anchors(report, identities):
    case, pdf = report
    twice = signed_by(signed_by(pdf, case, identities, "recorder"), case, identities, "chair")
    result = verify_pdf(twice)
    assert result.ok, result.summary()
    first, second = result.signatures
    assert (first.signer, second.signer) == ("Li Recorder", "王主任 Dr Wang")
    assert first.coverage == "entire revision" and first.modification_level == "form_filling"
    assert second.coverage == "entire file"
    anchors = [identities["recorder"][1], identities["chair"][1]]
    assert verify_pdf(twice, anchors).ok
    partly = verify_pdf(twice, anchors[:1])
    assert not partly.ok
    assert partly.messages() == ["signature 2: signer certificate is not trusted by the given trust anchors"]
    text = squash(stamp_text(twice))
    assert "LiRecorder" in text and "recordedbyMDTsecretary" in text
    assert "王主任" in text and "approvedbyMDTchair" in text


def _flip_inside_title(pdf: bytes) -> bytes:
    start = pdf.index(b"/Title (") + len(b"/Title (") + 2
    data = bytearray(pdf)
    data[start] ^= 0x01
    return bytes(data)


def test_one_flipped_byte_is_reported(report, identities):
    case, pdf = report
    signed = signed_by(pdf, case, identities, "chair")
    result = verify_pdf(_flip_inside_title(signed))
    assert not result.ok
    assert result.messages() == [f"signature 1: {MSG_MODIFIED}"]


def test_flipped_byte_in_first_revision_breaks_both_signatures(report, identities):
    case, pdf = report
    twice = signed_by(signed_by(pdf, case, identities, "recorder"), case, identities, "chair")
    messages = verify_pdf(_flip_inside_title(twice)).messages()
    assert messages == [f"signature 1: {MSG_MODIFIED}", f"signature 2: {MSG_MODIFIED}"]


def test_appended_page_is_reported(report, identities):
    case, pdf = report
    signed = signed_by(pdf, case, identities, "chair")
    writer = PdfWriter(io.BytesIO(signed), incremental=True)
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    appended = out.getvalue()
    assert appended.startswith(signed) and len(PdfReader(io.BytesIO(appended)).pages) == \
        len(PdfReader(io.BytesIO(signed)).pages) + 1
    result = verify_pdf(appended)
    assert not result.ok
    assert MSG_APPENDED in result.messages()
    assert result.signatures[0].intact and result.signatures[0].valid


def test_stray_bytes_after_the_last_signature_are_reported(report, identities):
    case, pdf = report
    signed = signed_by(pdf, case, identities, "chair")
    assert verify_pdf(signed + b"\n").ok, "trailing whitespace is harmless"
    assert verify_pdf(signed + b"\n% appended\n1 0 obj (x) endobj\n").messages() == [MSG_APPENDED]


def _signature_gap(pdf: bytes) -> tuple[int, int]:
    match = re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)\s+\d+\s*\]", pdf)
    return int(match.group(1)), int(match.group(2))


def test_signature_transplanted_into_another_report_is_reported(report, identities):
    case, pdf = report
    donor = signed_by(pdf, case, identities, "recorder")
    other_case = decided_case("another-patient-01")
    other = build_report(other_case, evaluate(other_case), lang="zh", created=FIXED_TIME)
    target = signed_by(other, other_case, identities, "recorder")
    d0, d1 = _signature_gap(donor)
    t0, t1 = _signature_gap(target)
    cms_hex = donor[d0 + 1:d1 - 1]
    assert len(cms_hex) <= t1 - t0 - 2
    forged = target[:t0 + 1] + cms_hex.ljust(t1 - t0 - 2, b"0") + target[t1 - 1:]
    assert len(forged) == len(target)
    result = verify_pdf(forged)
    assert not result.ok
    assert result.messages() == [f"signature 1: {MSG_TRANSPLANTED}"]


def test_unsigned_or_unreadable_documents_do_not_pass(report):
    _, pdf = report
    assert verify_pdf(pdf).messages() == ["the document has no signature"]
    assert not verify_pdf(b"not a pdf").ok


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


def test_signature_places_run_out_after_four(report, identities):
    case, pdf = report
    signer = load_signer(identities["chair"][0], PASSPHRASE)
    for _ in range(4):
        pdf = sign_report(pdf, meta_for(case, "chair"), signer)
    assert verify_pdf(pdf).ok
    with pytest.raises(SigningError, match="all 4 signature places"):
        sign_report(pdf, meta_for(case, "chair"), signer)


def test_identity_file_is_private_protected_and_never_overwritten(tmp_path):
    path = tmp_path / "me.p12"
    certificate = create_identity("Dr A", "radiology", path, PASSPHRASE, key_type="ecdsa-p256")
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(IdentityError, match="already exists"):
        create_identity("Dr B", "surgery", path, PASSPHRASE, key_type="ecdsa-p256")
    with pytest.raises(IdentityError, match="at least"):
        create_identity("Dr C", "surgery", tmp_path / "c.p12", b"short", key_type="ecdsa-p256")
    with pytest.raises(IdentityError, match="wrong passphrase"):
        load_identity(path, b"")
    identity = load_identity(path, PASSPHRASE)
    assert (identity.name, identity.role) == ("Dr A", "radiology")
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert certificate.subject.get_attributes_for_oid(NameOID.TITLE)[0].value == "radiology"


def test_rsa_identity_is_rsa_3072(identities):
    identity = load_identity(identities["recorder"][0], PASSPHRASE)
    assert identity.key.key_size == 3072


def test_expired_certificate_is_refused(identities):
    identity = load_identity(identities["chair"][0], PASSPHRASE)
    with pytest.raises(IdentityError, match="expired"):
        check_usable(identity, dt.datetime.now(dt.UTC) + dt.timedelta(days=20 * 365))


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
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Dr Hospital"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Hospital")])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    path = folder / "hospital.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"hospital", key, cert, [ca], serialization.BestAvailableEncryption(PASSPHRASE)))
    return path, ca


def test_hospital_issued_pkcs12_signs_and_is_trusted_through_its_ca(report, tmp_path):
    case, pdf = report
    path, ca = _hospital_identity(tmp_path)
    meta = SignatureMeta("Dr Hospital", "MDT chair", "MDT 主席审核批准", "approved by MDT chair", case.case_id,
                         case_version_hash(case))
    signed = sign_report(pdf, meta, load_signer(path, PASSPHRASE))
    assert verify_pdf(signed).ok
    trusted = verify_pdf(signed, [ca])
    assert trusted.ok and trusted.signatures[0].trusted
    assert trusted.signatures[0].signer == "Dr Hospital"


def test_display_copy_paints_the_stamps_into_the_page(report, identities):
    case, pdf = report
    assert flatten_stamps(pdf) == pdf, "nothing to paint in an unsigned report"
    signed = signed_by(signed_by(pdf, case, identities, "recorder"), case, identities, "chair")
    shown = flatten_stamps(signed)
    last = PdfReader(io.BytesIO(shown)).pages[-1]
    assert not [a for a in last.get("/Annots") or [] if a.get_object().get("/Subtype") == "/Widget"]
    text = squash(last.extract_text())
    assert "王主任" in text and "approvedbyMDTchair" in text and "LiRecorder" in text
    assert font_problems(shown) == []
    assert verify_pdf(signed).ok, "the signed bytes themselves are untouched"
