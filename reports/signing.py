"""PAdES signatures on the case summary, with a visible stamp (pyHanko).

Why these choices:
- PAdES (subfilter ETSI.CAdES.detached) is what archives and independent verifiers (Adobe, poppler's
  pdfsig) expect from a long-lived signed record;
- the report reserves its signature places as empty, locked fields when it is rendered; a signature
  only fills the next empty place (an incremental update), and the first one *certifies* the document
  (DocMDP, permission level 2: fill forms and sign), so every later change but a signature in a
  reserved place is an alteration that `verify_pdf` names (`reports.revisions`);
- the printed name and role are the certificate's (CN and title) — nothing else can be put on the
  stamp; the meaning is one of a short list (`meanings()`), and an approval meaning is refused on a
  pre-decision summary;
- what the signature *means* is signed twice over: in the signature dictionary (/Reason, which the
  byte range covers) and inside the CMS as CAdES attributes — the commitment type, the claimed role,
  and an abc-mdt binding attribute naming the case ID, the case version hash and the document's
  permanent /ID. The binding lets `verify_pdf` tell a signature copied into another report from a
  report changed after signing;
- offline signatures are PAdES B-B, and their time is the PC's clock (the stamp says so); with a
  configured RFC 3161 time-stamping URL they are B-T, and with trust anchors whose revocation data
  can be fetched, B-LT (revocation data embedded in /DSS);
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
from reports.identity import IdentityError, check_usable, check_usable_certificate, load_identity
from reports.labels import APPROVAL_MEANINGS, MEANING_ALIASES, MEANINGS
from reports.revisions import reserved_fields
from reports.signature_area import (
    FIELD_PREFIX,
    KEYWORD_CASE_HASH,
    KEYWORD_CASE_ID,
    KEYWORD_PRE_DECISION,
    read_keywords,
)
from reports.signing_settings import MEANING_MAX_CHARS, load_signing_settings
from reports.stamp import ReportStampStyle

BINDING_OID = "2.25.252648961113899256500253489338041110547"   # a UUID OID (X.667): abc-mdt case binding
COMMITMENTS = {c.name.lower(): c for c in GenericCommitment}
__all__ = ["FIELD_PREFIX", "SignatureMeta", "SigningError", "load_signer", "meaning_texts", "meanings",
           "sign_case_report", "sign_report", "signer_subject"]


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
    approval: bool = False                   # an approval meaning: refused on a pre-decision summary
    time_note: str = ""                      # set by sign_report: where the signing time comes from

    def meaning(self, lang: str) -> str:
        return self.meaning_zh if lang == "zh" else self.meaning_en

    def reason(self) -> str:
        """The /Reason of the signature dictionary: meaning in both languages, case and version."""
        meaning = self.meaning_zh if self.meaning_zh == self.meaning_en else f"{self.meaning_zh} / {self.meaning_en}"
        return f"{meaning} | case {self.case_id} | version {self.case_version_hash}"


@dataclass(frozen=True)
class Meaning:
    key: str
    zh: str
    en: str
    commitment: str
    approval: bool


def meanings() -> list[Meaning]:
    """The meanings a signature may carry: author, reviewer, chair approval, then the hospital's own."""
    out = [Meaning(key, zh, en, _COMMITMENT.get(key, "proof_of_approval"), key in APPROVAL_MEANINGS)
           for key, (zh, en) in MEANINGS.items()]
    out += [Meaning(m.key, m.zh, m.en, "proof_of_approval" if m.approval else "proof_of_receipt", m.approval)
            for m in load_signing_settings().meanings if m.key not in MEANINGS]
    return out


_COMMITMENT = {"author": "proof_of_creation", "reviewer": "proof_of_receipt", "chair": "proof_of_approval"}


def meaning_for(text: str) -> Meaning:
    """The meaning named by its key ('author', 'reviewer', 'chair', a configured key) or its text."""
    value = (text or "").strip()
    if len(value) > MEANING_MAX_CHARS:
        raise SigningError(f"a meaning has at most {MEANING_MAX_CHARS} characters")
    key = MEANING_ALIASES.get(value.lower(), value.lower())
    for meaning in meanings():
        if key == meaning.key or value in (meaning.zh, meaning.en):
            return meaning
    keys = ", ".join(m.key for m in meanings())
    raise SigningError(f"unknown meaning {value!r}; choose one of: {keys} (a hospital adds its own in settings.json)")


def meaning_texts(text: str) -> tuple[str, str, str]:
    """(zh, en, commitment) of a meaning (see `meaning_for`); SigningError for any other text."""
    meaning = meaning_for(text)
    return meaning.zh, meaning.en, meaning.commitment


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
    return _OpenedKeySigner(identity.key, signing_cert=certificate, signing_key=key,
                            cert_registry=SimpleCertificateStore.from_certs(chain))


class _OpenedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner, signing with the key object `reports.identity` already opened.

    SimpleSigner re-parses its key from DER for every signature, and for RSA that repeats the key's
    consistency check (~0.2 s for RSA-3072); the key was checked once when the identity was opened."""

    def __init__(self, opened_key, **kwargs) -> None:
        super().__init__(**kwargs)
        self._opened_key = opened_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        from cryptography.hazmat.primitives.asymmetric import ec, rsa
        from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
        from pyhanko.sign.general import get_pyca_cryptography_hash

        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            algorithm = mechanism.signature_algo
        except ValueError:
            algorithm = mechanism["algorithm"].native
        key = self._opened_key
        if algorithm == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        if algorithm == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        return super().sign_raw(data, digest_algorithm)     # any other mechanism: pyHanko's own path


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


def _reserve(signer: signers.Signer, timestamped: bool = False, long_term: bool = False) -> int:
    """Bytes to reserve for the CMS: the certificates it embeds plus room for the signature and
    signed attributes (and a time-stamp token). Fixing it spares pyHanko a dummy signature to measure."""
    certificates = [signer.signing_cert, *(signer.cert_registry or [])]
    extra = (8192 if timestamped else 0) + (16384 if long_term else 0)
    return 2 * (4096 + extra + sum(len(c.dump()) for c in certificates))   # hex digits in /Contents


def _keywords(reader: PdfFileReader) -> dict[str, str]:
    info = reader.trailer_view.get("/Info")
    return read_keywords(str(info.get_object().get("/Keywords", "")) if info is not None else "")


def report_keywords(pdf_bytes: bytes) -> dict[str, str]:
    """The abc-mdt entries (case ID, case version, signature places) of a report's Keywords."""
    try:
        return _keywords(PdfFileReader(io.BytesIO(pdf_bytes), strict=False))
    except (PdfError, ValueError, OSError) as exc:
        raise SigningError(f"not a readable PDF: {exc}") from None


def _check_signer(meta: SignatureMeta, signer: signers.Signer) -> None:
    name, role = signer_subject(signer)
    if meta.signer_name != name or (meta.role or "") != role:
        raise SigningError("the printed name and role are those of the certificate "
                           f"({name}{' · ' + role if role else ''}); another name cannot be printed")
    try:
        check_usable_certificate(signer.signing_cert.dump())
    except IdentityError as exc:
        raise SigningError(str(exc)) from None


def _is_approval(meta: SignatureMeta) -> bool:
    """An approval meaning, whether flagged by the caller or named by its text (a GUI passing the text)."""
    if meta.approval:
        return True
    try:
        return meaning_for(meta.meaning_en or meta.meaning_zh).approval
    except SigningError:
        return meta.commitment == "proof_of_approval"


def _time_note(lang: str, timestamped: bool) -> str:
    if timestamped:
        return "时间戳服务器认证时间（RFC 3161）" if lang == "zh" else "time certified by a time-stamping service (RFC 3161)"
    return "本机时钟时间，未经时间戳认证" if lang == "zh" else "time from this PC's clock, not certified"


def sign_report(pdf_bytes: bytes, meta: SignatureMeta, signer: signers.Signer, *, timestamp_url: str | None = None,
                trust_roots=(), long_term: bool = False) -> bytes:
    """Add one PAdES signature with a visible stamp into the next reserved place; returns the new PDF.

    B-B without `timestamp_url`; B-T with it; B-LT when `long_term` and the revocation data of the
    signer's chain (to `trust_roots`) can be fetched — else SigningError says what is missing.
    """
    _check_signer(meta, signer)
    if not (meta.meaning_zh.strip() or meta.meaning_en.strip()):
        raise SigningError("the signature needs a meaning (author, reviewer or chair)")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    except (PdfError, ValueError, OSError) as exc:
        raise SigningError(f"not a readable PDF: {exc}") from None
    reader = writer.prev
    keywords = _keywords(reader)
    _check_case(keywords, meta)
    if _is_approval(meta) and keywords.get(KEYWORD_PRE_DECISION) != "no":
        raise SigningError("an approval cannot be signed on a pre-decision summary (no MDT decision is recorded); "
                           "record the decision and render the report again")
    reserved = set(reserved_fields(reader))
    if not reserved:
        raise SigningError("this PDF has no reserved signature places (not an abc-mdt case summary)")
    existing = list(fields.enumerate_sig_fields(reader))
    empty = [name for name, value, _ in existing if name in reserved and value is None]
    if not empty:
        raise SigningError(f"all {len(reserved)} signature places of this report are used")
    field_name = sorted(empty, key=lambda n: int(n[len(FIELD_PREFIX):]) if n[len(FIELD_PREFIX):].isdigit() else 0)[0]
    number = len(existing) - len(empty) + 1
    document_id = reader.document_id[0].hex() if reader.document_id else ""
    commitment = COMMITMENTS.get(meta.commitment, GenericCommitment.PROOF_OF_APPROVAL)
    first = number == 1
    timestamper = None
    if timestamp_url:
        from pyhanko.sign.timestamps import HTTPTimeStamper
        timestamper = HTTPTimeStamper(timestamp_url, timeout=10)
    context = None
    if long_term:
        context = _checked_long_term_context(signer, trust_roots)
    meta = _with_time_note(meta, _time_note(meta.lang, timestamper is not None))
    signature_meta = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        name=meta.signer_name, reason=meta.reason(), location=meta.location or None,
        certify=first, docmdp_permissions=fields.MDPPerm.FILL_FORMS,
        embed_validation_info=long_term, validation_context=context, use_pades_lta=False,
        cades_signed_attr_spec=CAdESSignedAttrSpec(
            commitment_type=commitment.asn1,
            signer_attributes=SignerAttrSpec(claimed_attrs=_claimed_attributes(meta, document_id, number),
                                             certified_attrs=[])),
    )
    pdf_signer = _ArchivalPdfSigner(signature_meta, signer=signer, stamp_style=ReportStampStyle(meta=meta),
                                    timestamper=timestamper)
    try:
        output = pdf_signer.sign_pdf(writer, bytes_reserved=_reserve(signer, timestamper is not None, long_term))
    except (PdfError, ValueError) as exc:
        raise SigningError(f"signing failed: {exc}") from None
    except Exception as exc:   # time-stamping or revocation fetching failed (network, TSA refused ...)
        if timestamper is None and not long_term:
            raise
        raise SigningError(f"signing failed: the time-stamping or revocation service could not be used "
                           f"({type(exc).__name__}: {exc})") from None
    return output.getvalue()


class _ArchivalPdfSigner(signers.PdfSigner):
    """pyHanko's PdfSigner, keeping the record a PDF 1.7-based (PDF/A-3) file.

    For an ECDSA signature pyHanko registers the ISO 32002 extension and raises the document to PDF 2.0;
    a PDF/A-3 file must stay PDF 1.7, where ECDSA in a PAdES (ETSI.CAdES.detached) signature is already
    allowed (ETSI EN 319 142-1). So only the PAdES extension (ESIC) is registered, as for RSA."""

    def register_extensions(self, pdf_out, *, md_algorithm: str) -> None:
        if self.signature_meta.subfilter == fields.SigSeedSubFilter.PADES:
            pdf_out.ensure_output_version(version=(1, 7))
            if pdf_out.output_version < (2, 0):
                from pyhanko.sign.signers import constants
                pdf_out.register_extension(constants.ESIC_EXTENSION_1)


def _checked_long_term_context(signer: signers.Signer, trust_roots):
    """The validation context of a B-LT signature, after checking the signer's chain and revocation
    status online (OCSP/CRL): a revoked or unchained certificate is refused with the reason."""
    import asyncio

    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator.errors import (
        PathBuildingError,
        PathValidationError,
        RevokedError,
        ValidationError,
    )

    roots = list(trust_roots)
    if not roots:
        raise SigningError("a long-term (B-LT) signature needs the trust store's anchors (abc-mdt trust add CERT.pem)")
    def context() -> ValidationContext:
        return ValidationContext(trust_roots=roots, allow_fetching=True, revocation_mode="hard-fail")

    # its own context: the check's event loop is closed afterwards, with the fetchers bound to it
    validator = CertificateValidator(signer.signing_cert, intermediate_certs=list(signer.cert_registry or []),
                                     validation_context=context())
    try:
        asyncio.run(validator.async_validate_usage({"non_repudiation"}))
    except RevokedError as exc:
        raise SigningError(f"the signer's certificate has been revoked ({exc}); it cannot sign") from None
    except (PathBuildingError, PathValidationError, ValidationError) as exc:
        raise SigningError(f"the signer's certificate does not validate against the trust store, or its "
                           f"revocation status cannot be fetched: {exc}") from None
    return context()


def _with_time_note(meta: SignatureMeta, note: str) -> SignatureMeta:
    from dataclasses import replace
    return replace(meta, time_note=note)


def sign_case_report(pdf_bytes: bytes, identity: Path, passphrase: bytes, meaning: str, *, lang: str = "zh",
                     location: str = "", timestamp_url: str | None = None, long_term: bool = False,
                     trust_roots=None) -> tuple[bytes, SignatureMeta]:
    """The one call the CLI and the GUI make: open the identity, sign the next reserved place.

    The printed name and role are the certificate's; `meaning` is a key or text of `meanings()`;
    `timestamp_url` defaults to the configured time-stamping service (settings.json), if any;
    `long_term` embeds the revocation data of the signer's chain up to `trust_roots` (default: the
    trust store) — B-LT. Returns the signed PDF and the metadata that was signed (for the case store's audit log).
    """
    chosen = meaning_for(meaning)
    keywords = report_keywords(pdf_bytes)
    signer = load_signer(identity, passphrase)
    name, role = signer_subject(signer)
    meta = SignatureMeta(signer_name=name, role=role, meaning_zh=chosen.zh, meaning_en=chosen.en,
                         case_id=keywords.get(KEYWORD_CASE_ID, ""),
                         case_version_hash=keywords.get(KEYWORD_CASE_HASH, ""), location=location, lang=lang,
                         commitment=chosen.commitment, approval=chosen.approval)
    if not meta.case_id or not meta.case_version_hash:
        raise SigningError("this PDF is not an abc-mdt case summary (no case ID and version)")
    url = timestamp_url if timestamp_url is not None else load_signing_settings().tsa_url
    if long_term and trust_roots is None:
        from reports.trust import TrustStore
        trust_roots = TrustStore().certificates()
    signed = sign_report(pdf_bytes, meta, signer, timestamp_url=url or None, long_term=long_term,
                         trust_roots=trust_roots or ())
    return signed, _with_time_note(meta, _time_note(lang, bool(url)))
