"""Every attack of issue 12 against a report signed by the author and the chair of a real (test) PKI.

Each test builds the attack as an attacker would — with pyHanko's own writer or by editing bytes —
and checks `verify`'s exit code (4 altered/invalid, 3 untrusted, 0 OK) and the sentence it gives.
"""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from test_report_support import FIXED_TIME, decided_case
from test_signing_pki import PASSPHRASE, hospital_pki  # noqa: F401 (fixture)

from guideline_db.engine import evaluate
from reports.identity import create_identity
from reports.pdf_report import build_report
from reports.signing import SigningError, load_signer, sign_case_report
from reports.verify import EXIT_ALTERED, EXIT_OK, EXIT_UNTRUSTED, MSG_NO_ANCHOR, MSG_TRANSPLANTED, verify_pdf


@pytest.fixture(scope="module")
def case():
    return decided_case()


@pytest.fixture(scope="module")
def unsigned(case):
    return build_report(case, evaluate(case), lang="zh", created=FIXED_TIME)


@pytest.fixture(scope="module")
def signed(unsigned, hospital_pki):  # noqa: F811
    once, _ = sign_case_report(unsigned, hospital_pki.identity("author"), PASSPHRASE, "author", timestamp_url="")
    twice, _ = sign_case_report(once, hospital_pki.identity("chair"), PASSPHRASE, "chair", timestamp_url="")
    return twice


@pytest.fixture(scope="module")
def root(hospital_pki):  # noqa: F811
    return [hospital_pki.root_pem]


def _update(pdf: bytes, change) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _overlay_stream(writer, text: bytes):
    stream = generic.StreamObject({pdf_name("/Type"): pdf_name("/XObject"), pdf_name("/Subtype"): pdf_name("/Form"),
                                   pdf_name("/BBox"): generic.ArrayObject([generic.NumberObject(v)
                                                                           for v in (0, 0, 400, 60)])},
                                  stream_data=b"1 1 1 rg 0 0 400 60 re f 0 0 0 rg BT /Helv 14 Tf 5 20 Td (" + text
                                  + b") Tj ET")
    return writer.add_object(stream)


def test_the_signed_report_is_ok_and_trusted(signed, root):
    report = verify_pdf(signed, root)
    assert report.exit_code == EXIT_OK, report.summary()
    author, chair = report.signatures
    assert (author.signer, author.role, chair.signer, chair.role) == ("Wang Wei", "MDT secretary", "Li Mei", "MDT chair")
    assert author.certified and not chair.certified
    assert author.level == "B-B" and author.time_source == "PC clock"
    assert [c.kind for c in report.revisions] == ["signature"]
    assert report.empty_places == ("MDTSignature3", "MDTSignature4")
    assert "only a time-stamp proves when" in report.summary()


def test_without_a_trust_anchor_it_is_untrusted_not_ok(signed):
    report = verify_pdf(signed)
    assert report.exit_code == EXIT_UNTRUSTED
    assert report.messages() == [f"signature 1: {MSG_NO_ANCHOR}", f"signature 2: {MSG_NO_ANCHOR}"]


def test_a_self_made_li_mei_chair_is_untrusted(unsigned, tmp_path, root):
    """Anyone can make a certificate named "Li Mei · MDT chair"; it does not chain to the hospital CA."""
    create_identity("Li Mei", "MDT chair", tmp_path / "fake.p12", PASSPHRASE, key_type="ecdsa-p256")
    forged, _ = sign_case_report(unsigned, tmp_path / "fake.p12", PASSPHRASE, "author", timestamp_url="")
    report = verify_pdf(forged, root)
    assert report.exit_code == EXIT_UNTRUSTED
    (check,) = report.signatures
    assert check.signer == "Li Mei" and check.intact and check.valid and not check.trusted
    assert check.trust_problems[0].startswith("the signer's certificate does not chain to a trust anchor")


def test_unsigned_field_painting_another_decision_is_an_alteration(signed, root):
    """The attack of the issue: a new, unsigned signature field whose appearance covers the decision."""
    reader = PdfFileReader(io.BytesIO(signed))
    last = int(reader.root["/Pages"]["/Count"]) - 1

    def overlay(writer):
        fields.append_signature_field(writer, fields.SigFieldSpec("Overlay", on_page=last, box=(40, 600, 440, 660)))
        for name, _, ref in fields.enumerate_sig_fields(writer):
            if name == "Overlay":
                widget = ref.get_object()
                widget["/AP"] = generic.DictionaryObject({pdf_name("/N"): _overlay_stream(writer, b"DECISION: none")})
                writer.update_container(widget)

    attacked = _update(signed, overlay)
    assert PdfFileReader(io.BytesIO(attacked)).embedded_signatures[1].compute_integrity_info is not None
    report = verify_pdf(attacked, root)
    assert report.exit_code == EXIT_ALTERED
    assert report.signatures[0].intact and report.signatures[1].intact, "the bytes they sign are untouched"
    (problem,) = report.problems
    assert problem.startswith("revision 4 (after signature 2) ")
    assert "adds or removes form fields" in problem and f"page {last + 1}" in problem


def test_painting_into_an_empty_signature_place_is_an_alteration(signed, root):
    def paint(writer):
        for name, _, ref in fields.enumerate_sig_fields(writer):
            if name == "MDTSignature3":
                widget = ref.get_object()
                widget["/AP"] = generic.DictionaryObject({pdf_name("/N"): _overlay_stream(writer, b"approved")})
                writer.update_container(widget)

    report = verify_pdf(_update(signed, paint), root)
    assert report.exit_code == EXIT_ALTERED
    assert report.problems == ("revision 4 (after signature 2) changes the empty signature place MDTSignature3 "
                               "without signing it",)


def test_an_added_annotation_is_an_alteration(signed, root):
    def annotate(writer):
        page_ref = writer.root["/Pages"]["/Kids"][0]
        page = page_ref.get_object() if isinstance(page_ref, generic.IndirectObject) else page_ref
        note = writer.add_object(generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/Annot"), pdf_name("/Subtype"): pdf_name("/FreeText"),
            pdf_name("/Rect"): generic.ArrayObject([generic.NumberObject(v) for v in (50, 700, 400, 740)]),
            pdf_name("/Contents"): generic.pdf_string("HER2 positive"),
            pdf_name("/DA"): generic.pdf_string("/Helv 12 Tf 0 g")}))
        annots = page.get("/Annots")
        if annots is None:
            page["/Annots"] = generic.ArrayObject([note])
        else:
            annots.append(note)
        writer.update_container(page)
        if isinstance(page.raw_get("/Annots"), generic.IndirectObject):
            writer.update_container(page["/Annots"])

    report = verify_pdf(_update(signed, annotate), root)
    assert report.exit_code == EXIT_ALTERED
    assert "revision 4 (after signature 2) changes" in report.problems[0]
    assert "page 1" in report.problems[0]


def test_a_new_page_is_an_alteration(signed, root):
    def add_page(writer):
        page = generic.DictionaryObject({pdf_name("/Type"): pdf_name("/Page"),
                                         pdf_name("/MediaBox"): generic.ArrayObject(
                                             [generic.NumberObject(v) for v in (0, 0, 595, 842)])})
        writer.insert_page(page)

    report = verify_pdf(_update(signed, add_page), root)
    assert report.exit_code == EXIT_ALTERED
    assert "changes the page tree" in report.problems[0]


def _first_page(writer):
    return writer.root["/Pages"]["/Kids"][0].get_object()


def test_content_added_to_a_signed_page_is_an_alteration(signed, root):
    def overlay(writer):
        page = _first_page(writer)
        extra = writer.add_object(generic.StreamObject(stream_data=b"1 1 1 rg 40 600 500 100 re f"))
        page["/Contents"] = generic.ArrayObject([page.raw_get("/Contents"), extra])
        writer.update_container(page)

    report = verify_pdf(_update(signed, overlay), root)
    assert report.exit_code == EXIT_ALTERED
    assert report.problems[0] == "revision 4 (after signature 2) changes page 1"


def test_a_rewritten_content_stream_is_an_alteration(signed, root):
    def rewrite(writer):
        ref = _first_page(writer).raw_get("/Contents")
        stream = ref.get_object()
        stream._data = stream.data + b"\n1 1 1 rg 40 600 500 100 re f"   # the text stays, a white box covers it
        stream._encoded_data = None
        writer.mark_update(ref)

    report = verify_pdf(_update(signed, rewrite), root)
    assert report.exit_code == EXIT_ALTERED
    assert report.problems[0] == "revision 4 (after signature 2) changes the content of page 1"


def _revision_ends(pdf: bytes) -> list[int]:
    ends, start = [], 0
    while (found := pdf.find(b"%%EOF", start)) >= 0:
        end = found + 5
        end += 2 if pdf[end:end + 2] == b"\r\n" else (1 if pdf[end:end + 1] in (b"\n", b"\r") else 0)
        ends.append(end)
        start = end
    return ends


def test_truncation_to_before_the_chairs_signature_shows_the_place_unsigned(signed, root):
    """Cutting the chair's revision off leaves a valid record signed by the author only: the file
    cannot prove a signature that is not in it, so verify says the chair's place is empty."""
    ends = _revision_ends(signed)
    before_chair = signed[:ends[-2]]
    report = verify_pdf(before_chair, root)
    assert report.exit_code == EXIT_OK, report.summary()
    assert [s.signer for s in report.signatures] == ["Wang Wei"]
    assert report.empty_places == ("MDTSignature2", "MDTSignature3", "MDTSignature4")
    assert "not signed yet: MDTSignature2" in report.summary()
    cut_inside = signed[:ends[-2] + (ends[-1] - ends[-2]) // 2]
    broken = verify_pdf(cut_inside, root)
    assert broken.exit_code == EXIT_ALTERED


def _signature_gap(pdf: bytes, number: int) -> tuple[int, int]:
    import re
    matches = list(re.finditer(rb"/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)\s+\d+\s*\]", pdf))
    match = matches[number - 1]
    return int(match.group(1)), int(match.group(2))


def test_a_signature_transplanted_from_another_report_is_invalid(hospital_pki, root):  # noqa: F811
    def report_of(case_id: str) -> bytes:
        case = decided_case(case_id)
        pdf = build_report(case, evaluate(case), lang="zh", created=FIXED_TIME)
        return sign_case_report(pdf, hospital_pki.identity("chair"), PASSPHRASE, "author", timestamp_url="")[0]

    donor, target = report_of("donor-case-01"), report_of("target-case-01")
    d0, d1 = _signature_gap(donor, 1)
    t0, t1 = _signature_gap(target, 1)
    cms_hex = donor[d0 + 1:d1 - 1].rstrip(b"0")
    forged = target[:t0 + 1] + cms_hex.ljust(t1 - t0 - 2, b"0") + target[t1 - 1:]
    report = verify_pdf(forged, root)
    assert report.exit_code == EXIT_ALTERED
    assert report.messages()[0] == f"signature 1: {MSG_TRANSPLANTED}"


def _attacker_signs(pdf: bytes, p12, field_name: str = "MDTSignature1", name: str | None = None,
                    certify: bool = True) -> bytes:
    """Sign the way a hostile tool would: pyHanko directly, none of abc-mdt's refusals."""
    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=PASSPHRASE)
    meta = signers.PdfSignatureMetadata(field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES,
                                        certify=certify, docmdp_permissions=fields.MDPPerm.FILL_FORMS, name=name)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    return signers.PdfSigner(meta, signer=signer).sign_pdf(writer).getvalue()


@pytest.mark.parametrize(("label", "refusal", "verdict"), [
    ("expired", "expired on 2021-01-01", "after the certificate expired (2021-01-01)"),
    ("future", "not valid before 2090-01-01", "before the certificate was valid (from 2090-01-01)"),
    ("norep", "does not allow non-repudiation", "does not allow non-repudiation"),
    ("noku", "has no key usage", "has no key usage"),
])
def test_unusable_certificates_are_refused_at_signing_and_fail_verification(unsigned, hospital_pki, root, label,  # noqa: F811
                                                                           refusal, verdict):
    with pytest.raises(SigningError, match=refusal):
        sign_case_report(unsigned, hospital_pki.identity(label), PASSPHRASE, "author", timestamp_url="")
    forged = _attacker_signs(unsigned, hospital_pki.identity(label))
    report = verify_pdf(forged, root)
    assert report.exit_code == EXIT_ALTERED, report.summary()
    assert any(verdict in p for p in report.signatures[0].problems), report.summary()


def test_a_printed_name_that_is_not_the_certificates_is_invalid(unsigned, hospital_pki, root):  # noqa: F811
    forged = _attacker_signs(unsigned, hospital_pki.identity("author"), name="Li Mei")
    report = verify_pdf(forged, root)
    assert report.exit_code == EXIT_ALTERED
    assert "the stamp prints the name 'Li Mei', but the certificate is 'Wang Wei''s" in report.signatures[0].problems


def test_a_first_signature_that_does_not_certify_is_invalid(unsigned, hospital_pki, root):  # noqa: F811
    """Without the certification, other viewers would accept any later change: verify does not."""
    report = verify_pdf(_attacker_signs(unsigned, hospital_pki.identity("author"), certify=False), root)
    assert report.exit_code == EXIT_ALTERED
    assert "the first signature does not certify the document (no DocMDP)" in report.signatures[0].problems


def test_a_signature_outside_the_reserved_places_is_invalid(signed, hospital_pki, root):  # noqa: F811
    signer = load_signer(hospital_pki.identity("author"), PASSPHRASE)
    meta = signers.PdfSignatureMetadata(field_name="Extra", subfilter=fields.SigSeedSubFilter.PADES)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    extra = signers.PdfSigner(meta, signer=signer, new_field_spec=fields.SigFieldSpec("Extra", box=(10, 10, 50, 50))
                              ).sign_pdf(writer).getvalue()
    report = verify_pdf(extra, root)
    assert report.exit_code == EXIT_ALTERED
    assert "not in a reserved signature place" in report.signatures[2].problems[0]
    assert any("revision 4 (after signature 2)" in p for p in report.problems)
