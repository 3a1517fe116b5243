"""An independent verifier: poppler's `pdfsig` must find every signature valid and of PAdES type.

Skipped only where pdfsig is not installed (tools/install-system-deps.sh installs poppler-utils).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from test_report_support import FIXED_TIME, PASSPHRASE, decided_case
from test_signing_pki import hospital_pki  # noqa: F401 (fixture)

from guideline_db.engine import evaluate
from reports.identity import create_identity
from reports.pdf_report import build_report
from reports.signing import sign_case_report

pytestmark = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler's pdfsig is not installed")


def pdfsig(path) -> str:
    result = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60)
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def twice_signed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdfsig")
    case = decided_case()
    pdf = build_report(case, evaluate(case), lang="en", created=FIXED_TIME)
    for index, (key_type, name, meaning) in enumerate([("rsa3072", "Li Recorder", "author"),
                                                       ("ecdsa-p256", "Dr Wang", "chair")]):
        path = folder / f"id{index}.p12"
        create_identity(name, "MDT", path, PASSPHRASE, key_type=key_type)
        pdf, _ = sign_case_report(pdf, path, PASSPHRASE, meaning, lang="en", timestamp_url="")
    out = folder / "signed.pdf"
    out.write_bytes(pdf)
    return out


def test_pdfsig_reports_every_signature_valid_and_pades(twice_signed):
    output = pdfsig(twice_signed)
    blocks = re.split(r"^Signature #\d+:", output, flags=re.MULTILINE)[1:]
    assert len(blocks) == 4, output
    assert all("The signature form field is not signed." in b for b in blocks[2:]), "two places stay reserved"
    blocks = blocks[:2]
    for block in blocks:
        assert "Signature Type: ETSI.CAdES.detached" in block, block
        assert "Signature Validation: Signature is Valid." in block, block
    assert "Total document signed" in blocks[-1]


def test_pdfsig_also_sees_a_changed_byte(twice_signed, tmp_path):
    data = bytearray(twice_signed.read_bytes())
    start = data.index(b"/Title (") + len(b"/Title (") + 2
    data[start] ^= 0x01
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(bytes(data))
    output = pdfsig(broken)
    assert output.count("Signature is Valid.") == 0, output


def test_pdfsig_and_pyhanko_agree_on_a_time_stamped_report_of_the_hospital_pki(hospital_pki, tmp_path):  # noqa: F811
    """B-T against the real local TSA: pdfsig finds both signatures valid; pyHanko's validator finds
    them intact, valid and trusted through the hospital root, each with a trusted time-stamp."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    from test_signing_pki import PASSPHRASE as PKI_PASSPHRASE

    from reports.verify import EXIT_OK, load_certificates, verify_pdf

    case = decided_case()
    pdf = build_report(case, evaluate(case), lang="zh", created=FIXED_TIME)
    for label, meaning in (("author", "author"), ("chair", "chair")):
        pdf, _ = sign_case_report(pdf, hospital_pki.identity(label), PKI_PASSPHRASE, meaning,
                                  timestamp_url=hospital_pki.tsa_url)
    path = tmp_path / "bt.pdf"
    path.write_bytes(pdf)
    output = pdfsig(path)
    assert output.count("Signature Validation: Signature is Valid.") == 2, output
    roots = load_certificates(hospital_pki.root_pem)
    for embedded in PdfFileReader(io.BytesIO(pdf)).embedded_signatures:
        status = validate_pdf_signature(embedded, ValidationContext(trust_roots=roots, allow_fetching=False),
                                        ts_validation_context=ValidationContext(trust_roots=roots, allow_fetching=False))
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()
        assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    report = verify_pdf(pdf, roots)
    assert report.exit_code == EXIT_OK, report.summary()
    assert [(s.level, s.time_source) for s in report.signatures] == [("B-T", "time-stamp")] * 2
