"""Time and long-term validation: B-B says it is the PC's clock, B-T and B-LT use the real local TSA,
OCSP responder and CRL of the test PKI (tests/test_signing_pki.py)."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from test_report_support import FIXED_TIME, decided_case, squash, stamp_text
from test_signing_pki import PASSPHRASE, hospital_pki  # noqa: F401 (fixture)

from guideline_db.engine import evaluate
from reports.pdf_report import build_report
from reports.signing import SigningError, sign_case_report
from reports.verify import EXIT_OK, load_certificates, verify_pdf


@pytest.fixture(scope="module")
def unsigned():
    case = decided_case()
    return build_report(case, evaluate(case), lang="en", created=FIXED_TIME)


def test_offline_signature_is_b_b_and_says_the_time_is_the_pc_clock(unsigned, hospital_pki):  # noqa: F811
    signed, meta = sign_case_report(unsigned, hospital_pki.identity("author"), PASSPHRASE, "author", lang="en",
                                    timestamp_url="")
    assert "PC's clock" in meta.time_note
    assert "timefromthisPC'sclock,notcertified" in squash(stamp_text(signed))
    (check,) = verify_pdf(signed, load_certificates(hospital_pki.root_pem)).signatures
    assert (check.level, check.time_source) == ("B-B", "PC clock")


def test_time_stamped_signature_is_b_t_with_the_tsa_time(unsigned, hospital_pki):  # noqa: F811
    signed, meta = sign_case_report(unsigned, hospital_pki.identity("author"), PASSPHRASE, "author", lang="en",
                                    timestamp_url=hospital_pki.tsa_url)
    assert "time-stamping service" in meta.time_note
    report = verify_pdf(signed, load_certificates(hospital_pki.root_pem))
    assert report.exit_code == EXIT_OK, report.summary()
    (check,) = report.signatures
    assert (check.level, check.time_source) == ("B-T", "time-stamp")
    assert "PC clock" not in report.summary()
    untrusted_tsa = verify_pdf(signed)
    assert untrusted_tsa.exit_code == 3


def test_long_term_signature_embeds_revocation_data_and_verifies(unsigned, hospital_pki):  # noqa: F811
    roots = load_certificates(hospital_pki.root_pem)
    once, _ = sign_case_report(unsigned, hospital_pki.identity("author"), PASSPHRASE, "author", lang="en",
                               timestamp_url=hospital_pki.tsa_url, long_term=True, trust_roots=roots)
    twice, _ = sign_case_report(once, hospital_pki.identity("chair"), PASSPHRASE, "chair", lang="en",
                                timestamp_url=hospital_pki.tsa_url, long_term=True, trust_roots=roots)
    dss = PdfFileReader(io.BytesIO(twice)).root["/DSS"]
    assert len(dss["/Certs"]) >= 2 and (len(dss.get("/OCSPs", [])) + len(dss.get("/CRLs", []))) >= 1
    report = verify_pdf(twice, roots)
    assert report.exit_code == EXIT_OK, report.summary()
    assert [s.level for s in report.signatures] == ["B-LT", "B-LT"]
    assert {c.kind for c in report.revisions} <= {"signature", "revocation data"}


def test_an_unreachable_tsa_is_a_clear_refusal(unsigned, hospital_pki):  # noqa: F811
    with pytest.raises(SigningError, match="time-stamping or revocation service could not be used"):
        sign_case_report(unsigned, hospital_pki.identity("author"), PASSPHRASE, "author",
                         timestamp_url="http://127.0.0.1:9/tsa")


def test_a_revoked_certificate_cannot_make_a_long_term_signature(unsigned, hospital_pki):  # noqa: F811
    """B-LT fetches the signer's revocation status from the hospital's OCSP responder: revoked is refused."""
    with pytest.raises(SigningError, match="revoked"):
        sign_case_report(unsigned, hospital_pki.identity("revoked"), PASSPHRASE, "author",
                         timestamp_url=hospital_pki.tsa_url, long_term=True,
                         trust_roots=load_certificates(hospital_pki.root_pem))


def test_long_term_verification_uses_the_embedded_revocation_data(unsigned, hospital_pki):  # noqa: F811
    """A /DSS with certificates but no OCSP response or CRL cannot establish the signer as unrevoked:
    verify says so (untrusted, exit 3) instead of quietly treating the signature as B-T."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    roots = load_certificates(hospital_pki.root_pem)
    signed, _ = sign_case_report(unsigned, hospital_pki.identity("author"), PASSPHRASE, "author", lang="en",
                                 timestamp_url=hospital_pki.tsa_url)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    embedded = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    DocumentSecurityStore.supply_dss_in_writer(writer, None, certs=[embedded.signer_cert, *roots], ocsps=[], crls=[])
    out = io.BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue(), roots)
    assert [c.kind for c in report.revisions] == ["revocation data"]
    (check,) = report.signatures
    assert check.level == "B-LT"
    assert report.exit_code == 3, report.summary()
    assert check.trust_problems[0].startswith("the revocation data embedded for long-term validation does not "
                                              "establish")
