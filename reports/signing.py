"""PAdES B-B signatures on the case summary, with a visible stamp (pyHanko).

Why these choices:
- PAdES (subfilter ETSI.CAdES.detached) is what archives and independent verifiers (Adobe, poppler's
  pdfsig) expect from a long-lived signed record;
- every signature is an incremental update in its own new field and its own reserved place (see
  `signature_area`), so the recorder's signature stays valid when the chair signs after it;
- what the signature *means* is signed twice over: in the signature dictionary (/Reason, which the
  byte range covers) and inside the CMS as CAdES attributes — the commitment type, the claimed role,
  and an abc-mdt binding attribute naming the case ID, the case version hash and the document's
  permanent /ID. The binding lets `verify_pdf` tell a signature copied into another report from a
  report changed after signing;
- the signing identity is opened here only to sign; the passphrase is neither kept nor logged.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import cms, core, x509
from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.ades.api import CAdESSignedAttrSpec, GenericCommitment, SignerAttrSpec
from pyhanko_certvalidator.registry import SimpleCertificateStore

import guideline_db
from reports.identity import IdentityError, check_usable, load_identity
from reports.labels import MEANINGS
from reports.signature_area import KEYWORD_CASE_HASH, KEYWORD_CASE_ID, Slot, parse_slots, read_keywords
from reports.stamp import ReportStampStyle

BINDING_OID = "2.25.252648961113899256500253489338041110547"   # a UUID OID (X.667): abc-mdt case binding
FIELD_PREFIX = "MDTSignature"
COMMITMENTS = {c.name.lower(): c for c in GenericCommitment}


class SigningError(Exception):
    """Signing refused or failed; the message is safe to show to the user."""


@dataclass(frozen=True)
class SignatureMeta:
    """Who signs, in which role, what the signature means, and which case version it is for."""
    signer_name: str
    role: str
    meaning_zh: str
    meaning_en: str
    case_id: str
    case_version_hash: str
    location: str = ""
    lang: str = "zh"                         # language of the stamp
    commitment: str = "proof_of_approval"    # CAdES commitment type (proof_of_approval, proof_of_creation ...)

    def meaning(self, lang: str) -> str:
        return self.meaning_zh if lang == "zh" else self.meaning_en

    def reason(self) -> str:
        """The /Reason of the signature dictionary: meaning in both languages, case and version."""
        meaning = self.meaning_zh if self.meaning_zh == self.meaning_en else f"{self.meaning_zh} / {self.meaning_en}"
        return f"{meaning} | case {self.case_id} | version {self.case_version_hash}"


def meaning_texts(text: str) -> tuple[str, str, str]:
    """(zh, en, commitment) for a preset key ('chair', 'recorder', 'attending') or free text."""
    key = text.strip().lower()
    if key in MEANINGS:
        zh, en = MEANINGS[key]
        return zh, en, "proof_of_creation" if key == "recorder" else "proof_of_approval"
    for zh, en in MEANINGS.values():
        if text.strip() in (zh, en):
            return zh, en, "proof_of_creation" if (zh, en) == MEANINGS["recorder"] else "proof_of_approval"
    return text.strip(), text.strip(), "proof_of_approval"


def load_signer(path: Path, passphrase: bytes) -> signers.SimpleSigner:
    """Open a PKCS#12 identity as a pyHanko SimpleSigner; SigningError on a wrong passphrase or bad file.

    The file is decrypted once, by `reports.identity` (clear messages, expiry and key-usage checks),
    and the SimpleSigner is built from that key and chain exactly as pyHanko's own
    `SimpleSigner.load_pkcs12_data` would — without decrypting again (an RSA-3072 key costs ~0.1 s
    to load) and without pyHanko's logged traceback and None on a wrong passphrase.
    """
    path = Path(path)
    try:
        identity = load_identity(path, passphrase)
        check_usable(identity)
    except IdentityError as exc:
        raise SigningError(str(exc)) from None
    der = serialization.Encoding.DER
    key = asn1_keys.PrivateKeyInfo.load(identity.key.private_bytes(
        der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    certificate = x509.Certificate.load(identity.certificate.public_bytes(der))
    chain = [x509.Certificate.load(c.public_bytes(der)) for c in identity.chain]
    return signers.SimpleSigner(signing_cert=certificate, signing_key=key,
                                cert_registry=SimpleCertificateStore.from_certs(chain))


def signer_subject(signer: signers.Signer) -> tuple[str, str]:
    """(common name, title) of the signer's certificate: the default printed name and role."""
    subject = signer.signing_cert.subject.native
    return str(subject.get("common_name", "")), str(subject.get("title", ""))


def _claimed_attributes(meta: SignatureMeta, document_id: str, number: int) -> list[cms.AttCertAttribute]:
    binding = {
        "case_id": meta.case_id, "case_sha256": meta.case_version_hash, "document_id": document_id,
        "meaning_zh": meta.meaning_zh, "meaning_en": meta.meaning_en, "signer": meta.signer_name,
        "role": meta.role, "signature_number": number, "software": f"abc-mdt {guideline_db.__version__}",
    }
    text = json.dumps(binding, ensure_ascii=False, sort_keys=True)
    attributes = [cms.AttCertAttribute({"type": BINDING_OID, "values": [core.UTF8String(text)]})]
    if meta.role:
        role_name = x509.GeneralName(name="directory_name", value=x509.Name.build({"title": meta.role}))
        attributes.append(cms.AttCertAttribute({"type": "role", "values": [cms.RoleSyntax({"role_name": role_name})]}))
    return attributes


def _check_case(keywords: dict[str, str], meta: SignatureMeta) -> None:
    """Refuse to sign a report rendered for another case or another version of the case."""
    case_id, case_hash = keywords.get(KEYWORD_CASE_ID), keywords.get(KEYWORD_CASE_HASH)
    if case_id is not None and case_id != meta.case_id:
        raise SigningError(f"this PDF is the summary of case {case_id}, not {meta.case_id}")
    if case_hash is not None and case_hash != meta.case_version_hash:
        raise SigningError("this PDF was rendered from another version of the case "
                           f"({case_hash[:12]}…, now {meta.case_version_hash[:12]}…); rebuild the report first")


def _place(reader: PdfFileReader, slots: list[Slot], number: int) -> tuple[int, tuple[int, int, int, int]]:
    """Page index and box of the number-th signature (1-based)."""
    if slots:
        if number > len(slots):
            raise SigningError(f"all {len(slots)} signature places of this report are used")
        slot = slots[number - 1]
        return slot.page_index, tuple(round(v) for v in slot.box)
    # Not an abc-mdt report: stack stamps up the bottom of the last page.
    last = int(reader.root["/Pages"]["/Count"]) - 1
    bottom = 60 + (number - 1) * 95
    return last, (300, bottom, 555, bottom + 90)


def _reserve(signer: signers.Signer) -> int:
    """Bytes to reserve for the CMS: the certificates it embeds plus room for the signature and
    signed attributes. Fixing it spares pyHanko a dummy signature to measure (a second key use)."""
    certificates = [signer.signing_cert, *(signer.cert_registry or [])]
    return 2 * (4096 + sum(len(c.dump()) for c in certificates))   # hex digits in /Contents


def _keywords(reader: PdfFileReader) -> dict[str, str]:
    info = reader.trailer_view.get("/Info")
    return read_keywords(str(info.get_object().get("/Keywords", "")) if info is not None else "")


def report_keywords(pdf_bytes: bytes) -> dict[str, str]:
    """The abc-mdt entries (case ID, case version, signature places) of a report's Keywords."""
    try:
        return _keywords(PdfFileReader(io.BytesIO(pdf_bytes), strict=False))
    except (PdfError, ValueError, OSError) as exc:
        raise SigningError(f"not a readable PDF: {exc}") from None


def sign_report(pdf_bytes: bytes, meta: SignatureMeta, signer: signers.Signer) -> bytes:
    """Add one PAdES B-B signature with a visible stamp, as an incremental update; returns the new PDF."""
    if not meta.signer_name.strip():
        raise SigningError("the signature needs the signer's printed name")
    if not (meta.meaning_zh.strip() or meta.meaning_en.strip()):
        raise SigningError("the signature needs a meaning (e.g. 'approved by MDT chair')")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    except (PdfError, ValueError, OSError) as exc:
        raise SigningError(f"not a readable PDF: {exc}") from None
    reader = writer.prev
    keywords = _keywords(reader)
    _check_case(keywords, meta)
    existing = [name for name, _, _ in fields.enumerate_sig_fields(reader)]
    number = len(existing) + 1
    field_name = f"{FIELD_PREFIX}{number}"
    while field_name in existing:
        number += 1
        field_name = f"{FIELD_PREFIX}{number}"
    page_index, box = _place(reader, parse_slots(keywords), len(existing) + 1)
    document_id = reader.document_id[0].hex() if reader.document_id else ""
    commitment = COMMITMENTS.get(meta.commitment, GenericCommitment.PROOF_OF_APPROVAL)
    signature_meta = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        name=meta.signer_name, reason=meta.reason(), location=meta.location or None,
        cades_signed_attr_spec=CAdESSignedAttrSpec(
            commitment_type=commitment.asn1,
            signer_attributes=SignerAttrSpec(claimed_attrs=_claimed_attributes(meta, document_id, number),
                                             certified_attrs=[])),
    )
    pdf_signer = signers.PdfSigner(
        signature_meta, signer=signer, stamp_style=ReportStampStyle(meta=meta),
        new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, on_page=page_index, box=box))
    try:
        output = pdf_signer.sign_pdf(writer, bytes_reserved=_reserve(signer))
    except (PdfError, ValueError) as exc:
        raise SigningError(f"signing failed: {exc}") from None
    return output.getvalue()
