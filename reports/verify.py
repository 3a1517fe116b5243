"""Verifying a signed case summary: is it intact, who signed it, when, meaning what, and is that trusted.

The verdict has three levels, which are also `abc-mdt verify`'s exit codes:

- 0 OK: every signature is intact and valid, sits in a reserved place (the first one certifies the
  document), was made while its certificate was valid, by a certificate that allows non-repudiation,
  whose printed name is the certificate's, and which chains to a trust anchor; and every revision
  after the first signature only added a signature into a reserved place (or revocation data);
- 3 UNTRUSTED: all of that holds except that a signer (or a time-stamping authority) does not
  chain to a trust anchor — the content is intact, but who signed it is not established;
- 4 ALTERED OR INVALID: anything else — a changed or appended revision (named, with what it did),
  a broken or transplanted signature, a certificate expired or not yet valid at signing time, no
  non-repudiation, a printed name that is not the certificate's, a signature outside the reserved
  places.

Why our own report on top of pyHanko's status: a clinician needs one line per signature and a plain
reason; pyHanko says "digest mismatch" both when a signed report was changed and when a signature
was copied from another report — the abc-mdt binding attribute (the document's permanent /ID, the
case ID and version) tells those two apart — and it accepts new unsigned fields as form filling
(`reports.revisions` does not).

Time: a B-B signature's time is the signer PC's clock, which its owner can set to anything; only a
time-stamp (B-T) from a trusted time-stamping authority proves when a signature existed. The report
says which one each signature has.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import KeyUsageConstraints, validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko_certvalidator import ValidationContext

from reports.revisions import RevisionChange, analyse, reserved_fields
from reports.signing import BINDING_OID

log = logging.getLogger(__name__)
EXIT_OK, EXIT_UNTRUSTED, EXIT_ALTERED = 0, 3, 4
MSG_MODIFIED = "document modified after signing"
MSG_TRANSPLANTED = "signature does not match this document (digest mismatch): copied from another document"
MSG_APPENDED = "content appended after the last revision that no signature covers"
MSG_NO_ANCHOR = "no trust anchor is configured (abc-mdt trust add CERT.pem)"


@dataclass(frozen=True)
class SignatureCheck:
    """The verdict on one signature, in signing order."""
    number: int
    field_name: str
    signer: str                      # the certificate's common name
    role: str                        # the certificate's title
    signing_time: datetime | None
    time_source: str                 # "time-stamp" (B-T) or "PC clock" (B-B)
    level: str                       # "B-B", "B-T", "B-LT"
    meaning: str
    case_id: str | None
    case_version_hash: str | None
    intact: bool
    valid: bool
    trusted: bool
    certified: bool                  # a certification (DocMDP) signature
    problems: tuple[str, ...]        # alterations and invalidity: exit 4
    trust_problems: tuple[str, ...] = ()   # intact but not trusted: exit 3

    @property
    def ok(self) -> bool:
        return not self.problems and not self.trust_problems

    @property
    def verdict(self) -> str:
        return "INVALID" if self.problems else ("UNTRUSTED" if self.trust_problems else "OK")

    @property
    def printed_name(self) -> str:   # kept for callers of earlier versions: the name is the certificate's
        return self.signer

    def lines(self) -> list[str]:
        when = f"{self.signing_time:%Y-%m-%d %H:%M:%S %z}" if self.signing_time else "unknown"
        lines = [f"signature {self.number} [{self.field_name}]: {self.verdict}",
                 f"  signer:    {self.signer}" + (f" — {self.role}" if self.role else ""),
                 f"  time:      {when} ({self.time_source}; PAdES {self.level})",
                 f"  meaning:   {self.meaning or '—'}",
                 f"  case:      {self.case_id or '—'} version {self.case_version_hash or '—'}",
                 f"  integrity: {'intact' if self.intact else 'BROKEN'}, {'valid' if self.valid else 'INVALID'}"
                 + ("; certifies the document (only signatures in reserved places may follow)" if self.certified else ""),
                 f"  trust:     {'trusted' if self.trusted else 'NOT trusted'}"]
        lines += [f"  problem:   {p}" for p in self.problems]
        lines += [f"  untrusted: {p}" for p in self.trust_problems]
        return lines


@dataclass(frozen=True)
class VerificationReport:
    signatures: tuple[SignatureCheck, ...]
    problems: tuple[str, ...]        # document-level alterations
    trust_checked: bool              # any trust anchor was given
    revisions: tuple[RevisionChange, ...] = ()
    empty_places: tuple[str, ...] = field(default=())

    @property
    def exit_code(self) -> int:
        if not self.signatures or self.problems or any(s.problems for s in self.signatures):
            return EXIT_ALTERED
        if any(s.trust_problems for s in self.signatures):
            return EXIT_UNTRUSTED
        return EXIT_OK

    @property
    def ok(self) -> bool:
        return self.exit_code == EXIT_OK

    def messages(self) -> list[str]:
        """Every problem, each prefixed with its signature number where it has one."""
        out = [f"signature {s.number}: {p}" for s in self.signatures for p in (*s.problems, *s.trust_problems)]
        return out + list(self.problems)

    def summary(self) -> str:
        lines = []
        for check in self.signatures:
            lines += check.lines()
        for change in self.revisions:
            mark = "ok" if change.allowed else "ALTERATION"
            lines.append(f"revision {change.revision + 1}: {mark}: {change.description}")
        if self.empty_places:
            lines.append(f"not signed yet: {', '.join(self.empty_places)}")
        lines += [f"problem: {p}" for p in self.problems]
        verdict = {EXIT_OK: "OK: every signature is intact, valid and trusted, and nothing but signatures "
                            "in reserved places follows them",
                   EXIT_UNTRUSTED: "UNTRUSTED: the content is intact, but not every signer is trusted",
                   EXIT_ALTERED: "FAILED: the document was altered after signing, or a signature is invalid"}
        lines.append(f"{verdict[self.exit_code]} (exit {self.exit_code})")
        if any(s.time_source == "PC clock" for s in self.signatures):
            lines.append("note: a signing time marked 'PC clock' is what the signer's computer said; "
                         "only a time-stamp proves when a signature was made")
        return "\n".join(lines) + "\n"


def _binding(embedded: EmbeddedPdfSignature) -> dict:
    """The abc-mdt binding attribute of a signature, if it has one."""
    try:
        attrs = embedded.signer_info["signed_attrs"]
        for attr in attrs:
            if attr["type"].native != "signer_attributes_v2":
                continue
            for value in attr["values"]:
                for item in value["claimed_attributes"] or []:
                    if item["type"].dotted == BINDING_OID:
                        return json.loads(item["values"][0].parse().native)   # UTF8String in Any
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        log.debug("no readable abc-mdt binding in %s: %s", embedded.field_name, exc)
    return {}


def _meaning(embedded: EmbeddedPdfSignature, binding: dict) -> tuple[str, str | None, str | None]:
    reason = str(embedded.sig_object.get("/Reason", ""))
    parts = [p.strip() for p in reason.split(" | ")]
    case_id = next((p[5:] for p in parts if p.startswith("case ")), None)
    version = next((p[8:] for p in parts if p.startswith("version ")), None)
    meaning = parts[0] if parts else ""
    if binding:
        zh, en = binding.get("meaning_zh", ""), binding.get("meaning_en", "")
        meaning = zh if zh == en else f"{zh} / {en}"
    return meaning, binding.get("case_id") or case_id, binding.get("case_sha256") or version


def _key_usage_problem(cert: asn1_x509.Certificate) -> str | None:
    usage = cert.key_usage_value
    if usage is None:
        return "the certificate has no key usage; a signing certificate must allow non-repudiation"
    if "non_repudiation" not in usage.native:
        return "the certificate does not allow non-repudiation (key usage): it cannot commit its signer"
    return None


def _validity_problem(cert: asn1_x509.Certificate, when: datetime | None, source: str) -> str | None:
    if when is None:
        return "the signature carries no signing time"
    validity = cert["tbs_certificate"]["validity"]
    start, end = validity["not_before"].native, validity["not_after"].native
    if when < start:
        return f"signed at {when:%Y-%m-%d %H:%M} ({source}), before the certificate was valid (from {start:%Y-%m-%d})"
    if when > end:
        return f"signed at {when:%Y-%m-%d %H:%M} ({source}), after the certificate expired ({end:%Y-%m-%d})"
    return None


def _check(number: int, embedded: EmbeddedPdfSignature, roots: list, document_id: str, reserved: set[str],
           first: bool) -> SignatureCheck:
    binding = _binding(embedded)
    meaning, case_id, version = _meaning(embedded, binding)
    cert = embedded.signer_cert
    subject = cert.subject.native
    name, role = str(subject.get("common_name", "")), str(subject.get("title", ""))
    # When: the time-stamp if there is one, else the signer's PC clock.
    probe = validate_pdf_signature(embedded, key_usage_settings=KeyUsageConstraints(),
                                   signer_validation_context=ValidationContext(trust_roots=roots,
                                                                               allow_fetching=False))
    ts = probe.timestamp_validity
    if ts is not None:
        when, source = ts.timestamp, "time-stamp"
    else:
        when, source = probe.signer_reported_dt, "PC clock"
    moment = when if when is not None else datetime.now(UTC)
    status = probe
    dss = _dss(embedded)
    revocation_checked = False
    if roots:
        settings = {"trust_roots": roots, "allow_fetching": False, "moment": moment, "best_signature_time": moment}
        if dss is not None and ts is not None:
            # B-LT: the revocation data embedded at signing time must establish the chain (hard-fail)
            context = dss.as_validation_context({**settings, "revocation_mode": "hard-fail"})
            revocation_checked = True
        else:
            context = ValidationContext(**settings, revocation_mode="soft-fail")
        status = validate_pdf_signature(embedded, signer_validation_context=context,
                                        key_usage_settings=KeyUsageConstraints())
    problems: list[str] = []
    trust: list[str] = []
    if not status.intact:
        foreign = binding.get("document_id") not in (None, "", document_id)
        problems.append(MSG_TRANSPLANTED if foreign else MSG_MODIFIED)
    elif not status.valid:
        problems.append("the signature value is invalid (not made by this certificate's key)")
    if embedded.field_name not in reserved:
        problems.append(f"the signature is in the field {embedded.field_name}, not in a reserved signature place")
    certified = embedded.docmdp_level is not None
    if first and not certified:
        problems.append("the first signature does not certify the document (no DocMDP)")
    if not first and certified:
        problems.append("a later signature claims to certify the document")
    for problem in (_key_usage_problem(cert), _validity_problem(cert, when, source)):
        if problem:
            problems.append(problem)
    printed = binding.get("signer") or str(embedded.sig_object.get("/Name", "") or "")
    if printed and printed != name:
        problems.append(f"the stamp prints the name {printed!r}, but the certificate is {name!r}'s")
    if binding.get("role") and binding.get("role") != role:
        problems.append(f"the stamp prints the role {binding['role']!r}, but the certificate says {role!r}")
    if ts is not None and not (ts.intact and ts.valid):
        problems.append("the time-stamp token is broken or invalid")
    indication = status.trust_problem_indic.name.lower() if status.trust_problem_indic else ""
    if getattr(status, "revoked", False) or "revoked" in indication:
        problems.append("the signer's certificate was revoked")
    if not (status.intact and status.valid):
        pass                                   # who signed bytes that are not these is beside the point
    elif not roots:
        trust.append(MSG_NO_ANCHOR)
    elif not status.trusted and revocation_checked:
        trust.append("the revocation data embedded for long-term validation does not establish the signer's "
                     f"certificate as valid and unrevoked at signing time ({indication or 'unknown'})")
    elif not status.trusted:
        trust.append("the signer's certificate does not chain to a trust anchor"
                     + (f" ({indication})" if indication else ""))
    if roots and status.intact and ts is not None and not ts.trusted:
        trust.append("the time-stamping authority does not chain to a trust anchor")
    level = "B-LT" if (ts is not None and dss is not None) else ("B-T" if ts is not None else "B-B")
    return SignatureCheck(
        number=number, field_name=embedded.field_name, signer=name, role=role, signing_time=when,
        time_source=source, level=level, meaning=meaning, case_id=case_id, case_version_hash=version,
        intact=bool(status.intact), valid=bool(status.valid), trusted=bool(roots) and bool(status.trusted),
        certified=certified, problems=tuple(problems), trust_problems=tuple(trust))


def _dss(embedded: EmbeddedPdfSignature):
    """The document security store (revocation data for long-term validation), if any."""
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    try:
        return DocumentSecurityStore.read_dss(embedded.reader)
    except (KeyError, ValueError, PdfError):
        return None
    except Exception:   # a malformed /DSS is no revocation data; the revision check judges its changes
        log.debug("unreadable /DSS", exc_info=True)
        return None


def _trailing_bytes(pdf_bytes: bytes) -> bool:
    end = pdf_bytes.rfind(b"%%EOF")
    return end < 0 or bool(pdf_bytes[end + 5:].strip())


def verify_pdf(pdf_bytes: bytes, trust_roots: Iterable = ()) -> VerificationReport:
    """Check every signature and every revision of a PDF against the given trust anchors only
    (never the operating system's list). `trust_roots`: asn1crypto or `cryptography` certificates,
    or PEM/DER bytes — `reports.trust.TrustStore().certificates()` for the configured store."""
    roots = [_as_asn1(c) for c in trust_roots]
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, OSError, KeyError) as exc:
        return VerificationReport((), (f"not a readable PDF: {exc}",), bool(roots))
    if not embedded:
        return VerificationReport((), ("the document has no signature",), bool(roots))
    document_id = reader.document_id[0].hex() if reader.document_id else ""
    reserved = set(reserved_fields(reader))
    checks, problems = [], []
    for number, signature in enumerate(embedded, start=1):
        try:
            checks.append(_check(number, signature, roots, document_id, reserved, number == 1))
        except Exception as exc:   # pyHanko raises many kinds on malformed signatures; report, never crash
            log.debug("signature %d could not be validated", number, exc_info=True)
            problems.append(f"signature {number}: cannot be validated ({type(exc).__name__}: {exc})")
    try:
        revisions = analyse(reader, embedded[0].signed_revision, {s.signed_revision: s.field_name for s in embedded})
    except Exception as exc:       # a damaged cross-reference history is an alteration too
        log.debug("revisions could not be analysed", exc_info=True)
        revisions = []
        problems.append(f"the revision history cannot be read ({type(exc).__name__}: {exc})")
    for change in revisions:
        if not change.allowed:
            after = max((c.number for c, s in zip(checks, embedded, strict=False) if s.signed_revision < change.revision),
                        default=1)
            problems.append(f"revision {change.revision + 1} (after signature {after}) {change.description}")
    if _trailing_bytes(pdf_bytes):
        problems.append(MSG_APPENDED)
    signed = {s.field_name for s in embedded}
    empty = tuple(sorted(reserved - signed))
    return VerificationReport(tuple(checks), tuple(dict.fromkeys(problems)), bool(roots), tuple(revisions), empty)


def verify_with_trust_store(pdf_bytes: bytes, extra_anchors: Iterable = (), store=None) -> VerificationReport:
    """`verify_pdf` against the configured trust store (`reports.trust.TrustStore`) plus `extra_anchors`:
    what `abc-mdt verify` does, for the GUI."""
    from reports.trust import TrustStore

    store = store if store is not None else TrustStore()
    return verify_pdf(pdf_bytes, [*extra_anchors, *store.certificates()])


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
