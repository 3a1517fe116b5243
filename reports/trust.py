"""The hospital's trust anchors: CA certificates, or the registered certificates of its signers.

Why a store and not `--trust` on every call: a signature "verifies" only against anchors someone
chose on purpose; a self-made certificate named "Li Mei · MDT chair" verifies against nothing. The
store is a folder of PEM files in the user's config folder (`trust/`, one file per certificate,
named by its SHA-256 fingerprint), so IT can fill it by copying files, and `abc-mdt trust
add|list|remove` and the GUI manage the same folder. Files are written 0600 by the app.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509

from reports.identity import IdentityError, write_private_file
from reports.settings import config_dir


class TrustStoreError(Exception):
    """A certificate that cannot be added or removed; the message is safe to show."""


@dataclass(frozen=True)
class TrustAnchor:
    fingerprint: str                  # SHA-256 of the DER certificate, hex
    subject: str
    issuer: str
    not_after: str
    is_ca: bool
    path: Path
    certificate: asn1_x509.Certificate

    def line(self) -> str:
        kind = "CA" if self.is_ca else "signer"
        return f"{self.fingerprint[:16]}  {kind:6}  {self.subject}  (until {self.not_after})"


def _certificates(data: bytes) -> list[asn1_x509.Certificate]:
    try:
        if pem.detect(data):
            return [asn1_x509.Certificate.load(der) for kind, _, der in pem.unarmor(data, multiple=True)
                    if kind == "CERTIFICATE"]
        return [asn1_x509.Certificate.load(data)]
    except ValueError as exc:
        raise TrustStoreError(f"not a certificate (PEM or DER): {exc}") from None


def _anchor(certificate: asn1_x509.Certificate, path: Path) -> TrustAnchor:
    der = certificate.dump()
    try:
        subject = certificate.subject.human_friendly
        issuer = certificate.issuer.human_friendly
        not_after = f"{certificate.not_valid_after:%Y-%m-%d}"
        is_ca = bool(certificate.ca)
    except (ValueError, TypeError, AttributeError) as exc:
        raise TrustStoreError(f"not a usable certificate: {exc}") from None
    return TrustAnchor(hashlib.sha256(der).hexdigest(), subject, issuer, not_after, is_ca, path, certificate)


class TrustStore:
    """A folder of trusted certificates (default: <config dir>/trust)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else config_dir() / "trust"

    def anchors(self) -> list[TrustAnchor]:
        if not self.folder.is_dir():
            return []
        found = []
        for path in sorted(self.folder.glob("*.pem")):
            try:
                found += [_anchor(c, path) for c in _certificates(path.read_bytes())]
            except (OSError, TrustStoreError):
                continue                 # an unreadable file is no anchor; `list` shows what counts
        return found

    def certificates(self) -> list[asn1_x509.Certificate]:
        return [a.certificate for a in self.anchors()]

    def add(self, data: bytes) -> list[TrustAnchor]:
        """Add every certificate in PEM/DER `data`; returns the anchors added (already present: skipped)."""
        certificates = _certificates(data)
        if not certificates:
            raise TrustStoreError("no certificate found in the file")
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        known = {a.fingerprint for a in self.anchors()}
        added = []
        for certificate in certificates:
            anchor = _anchor(certificate, self.folder / f"{hashlib.sha256(certificate.dump()).hexdigest()}.pem")
            if anchor.fingerprint in known:
                continue
            try:
                write_private_file(anchor.path, pem.armor("CERTIFICATE", certificate.dump()))
            except IdentityError as exc:
                raise TrustStoreError(str(exc)) from None
            added.append(anchor)
            known.add(anchor.fingerprint)
        return added

    def remove(self, what: str | bytes) -> list[TrustAnchor]:
        """Remove by certificate file contents (bytes) or by fingerprint prefix (>= 8 hex digits)."""
        anchors = self.anchors()
        if isinstance(what, bytes):
            wanted = {hashlib.sha256(c.dump()).hexdigest() for c in _certificates(what)}
            chosen = [a for a in anchors if a.fingerprint in wanted]
        else:
            prefix = what.strip().lower().replace(":", "")
            if len(prefix) < 8:
                raise TrustStoreError("give the certificate file or at least 8 hex digits of its fingerprint")
            chosen = [a for a in anchors if a.fingerprint.startswith(prefix)]
            if len({a.fingerprint for a in chosen}) > 1:
                raise TrustStoreError(f"{what} matches several certificates; give more digits")
        if not chosen:
            raise TrustStoreError("that certificate is not in the trust store")
        for anchor in chosen:
            anchor.path.unlink(missing_ok=True)
        return chosen
