"""Verifying the signatures of a case summary: who signed, when, meaning what, and is it intact.

Why our own report on top of pyHanko's status: a clinician needs one line per signature and a plain
reason when something is wrong. pyHanko says "digest mismatch" both when a signed report was changed
and when a signature was copied from another report; the abc-mdt binding attribute inside each
signature (the document's permanent /ID, the case ID and version) tells those two apart. Content
added after the last signature is judged by pyHanko's difference analysis: further signatures and
form filling are allowed, anything else (a page, changed text) is reported.

The result is OK only when every signature is intact and cryptographically valid, trusted when trust
anchors are given, and nothing outside the allowed changes follows any signature.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import KeyUsageConstraints, SignatureCoverageLevel, validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko_certvalidator import ValidationContext

from reports.signing import BINDING_OID

log = logging.getLogger(__name__)
ALLOWED_LATER = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
COVERAGE_TEXT = {
    SignatureCoverageLevel.ENTIRE_FILE: "entire file",
    SignatureCoverageLevel.ENTIRE_REVISION: "entire revision",
    SignatureCoverageLevel.CONTIGUOUS_BLOCK_FROM_START: "part of the file",
    SignatureCoverageLevel.UNCLEAR: "unclear",
}
MSG_MODIFIED = "document modified after signing"
MSG_TRANSPLANTED = "signature does not match this document (digest mismatch)"
MSG_APPENDED = "content appended after the last signature that no signature covers"


@dataclass(frozen=True)
class SignatureCheck:
    """The verdict on one signature, in signing order."""
    number: int
    field_name: str
    signer: str                      # the certificate's common name
    printed_name: str                # the name the signer chose for the stamp
    role: str
    signing_time: datetime | None
    meaning: str
    case_id: str | None
    case_version_hash: str | None
    intact: bool
    valid: bool
    trusted: bool | None             # None: no trust anchors were given
    coverage: str
    modification_level: str | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        when = f"{self.signing_time:%Y-%m-%d %H:%M:%S %z}" if self.signing_time else "unknown"
        name = self.signer if self.printed_name in ("", self.signer) else f"{self.signer} (printed: {self.printed_name})"
        trust = {None: "not checked (no --trust anchor given)", True: "trusted", False: "NOT trusted"}[self.trusted]
        integrity = "intact" if self.intact else "BROKEN"
        validity = "valid" if self.valid else "INVALID"
        lines = [f"signature {self.number} [{self.field_name}]: {'OK' if self.ok else 'FAILED'}",
                 f"  signer:    {name}" + (f" — {self.role}" if self.role else ""),
                 f"  time:      {when}",
                 f"  meaning:   {self.meaning or '—'}",
                 f"  case:      {self.case_id or '—'} version {self.case_version_hash or '—'}",
                 f"  integrity: {integrity}, {validity}; covers {self.coverage}"
                 + (f"; later changes: {self.modification_level}" if self.modification_level else ""),
                 f"  trust:     {trust}"]
        lines += [f"  problem:   {p}" for p in self.problems]
        return lines


@dataclass(frozen=True)
class VerificationReport:
    signatures: tuple[SignatureCheck, ...]
    problems: tuple[str, ...]        # document-level problems
    trust_checked: bool

    @property
    def ok(self) -> bool:
        return bool(self.signatures) and not self.problems and all(s.ok for s in self.signatures)

    def messages(self) -> list[str]:
        """Every problem, each prefixed with its signature number where it has one."""
        out = [f"signature {s.number}: {p}" for s in self.signatures for p in s.problems]
        return out + list(self.problems)

    def summary(self) -> str:
        lines = []
        for check in self.signatures:
            lines += check.lines()
        lines += [f"problem: {p}" for p in self.problems]
        verdict = "OK: every signature is intact and valid" + (" and trusted" if self.trust_checked else "")
        lines.append(verdict if self.ok else "FAILED: " + "; ".join(self.messages()))
        return "\n".join(lines) + "\n"


def _binding(embedded: EmbeddedPdfSignature) -> tuple[dict, str]:
    """The abc-mdt binding JSON and the claimed role from the CMS signed attributes (empty if absent)."""
    binding: dict = {}
    role = ""
    try:
        signed_attrs = embedded.signer_info["signed_attrs"]
        for attribute in signed_attrs:
            if attribute["type"].native != "signer_attributes_v2":
                continue
            for value in attribute["values"]:
                for claimed in value["claimed_attributes"] or []:
                    kind = claimed["type"].dotted
                    if kind == BINDING_OID:
                        binding = json.loads(claimed["values"][0].parse().native)   # UTF8String in Any
                    elif claimed["type"].native == "role":
                        name = claimed["values"][0]["role_name"]
                        if isinstance(name.chosen, asn1_x509.Name):
                            role = str(name.chosen.native.get("title", "")) or role
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        log.debug("no readable abc-mdt binding in %s: %s", embedded.field_name, exc)
    return binding, role


def _reason_parts(reason: str) -> tuple[str, str | None, str | None]:
    """meaning, case ID and version from a /Reason written by `SignatureMeta.reason()`."""
    parts = [p.strip() for p in reason.split(" | ")]
    case_id = next((p[5:] for p in parts if p.startswith("case ")), None)
    version = next((p[8:] for p in parts if p.startswith("version ")), None)
    return parts[0] if parts else "", case_id, version


def _later_changes(embedded: EmbeddedPdfSignature, status, pdf_bytes: bytes, total_revisions: int) -> str | None:
    """What is wrong with the bytes after this signature's revision, or None when nothing is.

    Later revisions may add signatures and fill forms (pyHanko's difference analysis); bytes after
    the signed revision that form no revision at all (not even whitespace) count as appended content.
    """
    coverage = status.coverage
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return None
    if coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return "the signature's byte range does not cover a whole revision of the file"
    if embedded.signed_revision >= total_revisions - 1:     # no later revision: only stray bytes follow
        _, _, start2, len2 = embedded.byte_range
        return MSG_APPENDED if pdf_bytes[start2 + len2:].strip() else None
    if status.modification_level not in ALLOWED_LATER or status.docmdp_ok is False:
        return MSG_APPENDED
    return None


def _check(number: int, embedded: EmbeddedPdfSignature, context: ValidationContext, document_id: str,
           trust_checked: bool, last: bool, pdf_bytes: bytes, total_revisions: int
           ) -> tuple[SignatureCheck, list[str]]:
    usage = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
    status = validate_pdf_signature(embedded, signer_validation_context=context, key_usage_settings=usage)
    binding, claimed_role = _binding(embedded)
    sig_object = embedded.sig_object
    meaning, reason_case, reason_version = _reason_parts(str(sig_object.get("/Reason", "")))
    if binding:
        zh, en = binding.get("meaning_zh", ""), binding.get("meaning_en", "")
        meaning = zh if zh == en else f"{zh} / {en}"
    problems: list[str] = []
    document_level: list[str] = []
    if not status.intact:
        foreign = binding.get("document_id") not in (None, "", document_id)
        problems.append(MSG_TRANSPLANTED if foreign else MSG_MODIFIED)
    elif not status.valid:
        problems.append("signature value is invalid (the signature was not made by this certificate's key)")
    if trust_checked and status.intact and status.valid and not status.trusted:
        problems.append("signer certificate is not trusted by the given trust anchors")
    level = status.modification_level
    if status.intact:
        coverage_problem = _later_changes(embedded, status, pdf_bytes, total_revisions)
        if coverage_problem and last:
            document_level.append(coverage_problem)
        elif coverage_problem:
            problems.append(f"{MSG_MODIFIED} (a later revision changes more than signatures and form fields)")
    subject = status.signing_cert.subject.native if status.signing_cert else {}
    check = SignatureCheck(
        number=number, field_name=embedded.field_name, signer=str(subject.get("common_name", "")),
        printed_name=str(binding.get("signer") or sig_object.get("/Name", "") or ""),
        role=str(binding.get("role") or claimed_role or subject.get("title", "") or ""),
        signing_time=status.signer_reported_dt, meaning=meaning,
        case_id=binding.get("case_id") or reason_case, case_version_hash=binding.get("case_sha256") or reason_version,
        intact=bool(status.intact), valid=bool(status.valid),
        trusted=bool(status.trusted) if trust_checked else None,
        coverage=COVERAGE_TEXT.get(status.coverage, str(status.coverage)),
        modification_level=level.name.lower() if level is not None else None, problems=tuple(problems))
    return check, document_level


def verify_pdf(pdf_bytes: bytes, trust_roots: Iterable = ()) -> VerificationReport:
    """Check every signature of a PDF; trust is judged only against the given anchors (never the OS list).

    `trust_roots`: asn1crypto or `cryptography` certificates, or PEM/DER bytes.
    """
    roots = [_as_asn1(c) for c in trust_roots]
    trust_checked = bool(roots)
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, OSError, KeyError) as exc:
        return VerificationReport((), (f"not a readable PDF: {exc}",), trust_checked)
    if not embedded:
        return VerificationReport((), ("the document has no signature",), trust_checked)
    document_id = reader.document_id[0].hex() if reader.document_id else ""
    total_revisions = reader.xrefs.total_revisions
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    checks, problems = [], []
    for number, signature in enumerate(embedded, start=1):
        try:
            check, document_level = _check(number, signature, context, document_id, trust_checked,
                                           number == len(embedded), pdf_bytes, total_revisions)
        except Exception as exc:   # pyHanko raises many kinds on malformed signatures; report, never crash
            log.debug("signature %d could not be validated", number, exc_info=True)
            problems.append(f"signature {number}: cannot be validated ({type(exc).__name__}: {exc})")
            continue
        checks.append(check)
        problems += document_level
    return VerificationReport(tuple(checks), tuple(dict.fromkeys(problems)), trust_checked)


def _as_asn1(certificate) -> asn1_x509.Certificate:
    """Accept asn1crypto or `cryptography` certificates, or PEM/DER bytes."""
    if isinstance(certificate, asn1_x509.Certificate):
        return certificate
    if hasattr(certificate, "public_bytes"):
        from cryptography.hazmat.primitives.serialization import Encoding
        return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))
    if isinstance(certificate, bytes | bytearray):
        return load_certificates(bytes(certificate))[0]
    raise TypeError(f"not a certificate: {type(certificate).__name__}")


def load_certificates(data: bytes) -> list[asn1_x509.Certificate]:
    """Certificates from PEM (one or more) or DER bytes."""
    from asn1crypto import pem
    if pem.detect(data):
        return [asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
    return [asn1_x509.Certificate.load(data)]
