"""An independent verifier: poppler's `pdfsig` must find every signature valid and of PAdES type.

Skipped only where pdfsig is not installed (tools/install-system-deps.sh installs poppler-utils).
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from test_report_support import FIXED_TIME, PASSPHRASE, decided_case

from guideline_db.engine import evaluate
from reports.case_hash import case_version_hash
from reports.identity import create_identity
from reports.pdf_report import build_report
from reports.signing import SignatureMeta, load_signer, sign_report

pytestmark = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler's pdfsig is not installed")


def pdfsig(path) -> str:
    result = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60)
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def twice_signed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdfsig")
    case = decided_case()
    pdf = build_report(case, evaluate(case), lang="en", created=FIXED_TIME)
    for index, (key_type, name, meaning) in enumerate([("rsa3072", "Li Recorder", "recorded by MDT secretary"),
                                                       ("ecdsa-p256", "Dr Wang", "approved by MDT chair")]):
        path = folder / f"id{index}.p12"
        create_identity(name, "MDT", path, PASSPHRASE, key_type=key_type)
        meta = SignatureMeta(name, "MDT", meaning, meaning, case.case_id, case_version_hash(case), lang="en")
        pdf = sign_report(pdf, meta, load_signer(path, PASSPHRASE))
    out = folder / "signed.pdf"
    out.write_bytes(pdf)
    return out


def test_pdfsig_reports_every_signature_valid_and_pades(twice_signed):
    output = pdfsig(twice_signed)
    blocks = re.split(r"^Signature #\d+:", output, flags=re.MULTILINE)[1:]
    assert len(blocks) == 2, output
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
