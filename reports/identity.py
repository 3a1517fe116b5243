"""Signing identities: a key and an X.509 certificate in a passphrase-protected PKCS#12 file.

Why self-issued identities exist at all: many hospitals have no PKI for clinicians, yet the board
needs to know who approved a summary. `create_identity` makes an RSA-3072 or ECDSA-P-256 key and a
self-signed certificate whose subject carries the signer's printed name (CN) and role (title), with the
key usages a signing certificate needs (digitalSignature, and contentCommitment = non-repudiation).
Its certificate can be exported as PEM and handed to verifiers as a trust anchor. A hospital-issued
PKCS#12 is read by the same `load_identity`, so both work everywhere a .p12 is accepted.

The file is created with mode 0600 and never over an existing identity, and the passphrase
is only ever passed in as bytes: it is not stored, printed or logged here.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

KeyType = Literal["rsa3072", "ecdsa-p256"]
VALIDITY_DAYS = 5 * 365
MIN_PASSPHRASE_BYTES = 8


class IdentityError(Exception):
    """An identity that cannot be created or opened; the message is safe to show to the user."""


@dataclass(frozen=True)
class Identity:
    """What an opened identity holds (the key never leaves this object except to sign)."""
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    path: Path

    @property
    def name(self) -> str:
        return _attribute(self.certificate.subject, NameOID.COMMON_NAME) or self.certificate.subject.rfc4514_string()

    @property
    def role(self) -> str:
        return _attribute(self.certificate.subject, NameOID.TITLE) or ""


def _attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else None


def _new_key(key_type: KeyType) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey:
    if key_type == "rsa3072":
        return rsa.generate_private_key(public_exponent=65537, key_size=3072)
    if key_type == "ecdsa-p256":
        return ec.generate_private_key(ec.SECP256R1())
    raise IdentityError(f"unknown key type {key_type!r}; use rsa3072 or ecdsa-p256")


def _certificate(key, name: str, role: str, now: dt.datetime) -> x509.Certificate:
    subject = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, name),
        x509.NameAttribute(NameOID.TITLE, role),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "abc-mdt self-issued signing identity"),
    ])
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(subject).public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=VALIDITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def write_private_file(path: Path, data: bytes) -> None:
    """Create `path` readable only by its owner (0600) and write `data`; never replace a file.

    O_CREAT|O_EXCL makes creation and the no-overwrite check one step, and works on every file
    system a USB stick may carry (no hard links or renames needed); a failed write leaves no file.
    """
    path = Path(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise IdentityError(f"{path} already exists; choose another file name (an identity is never overwritten)") \
            from None
    except OSError as exc:
        raise IdentityError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise IdentityError(f"cannot write {path}: {exc.strerror}") from None


def create_identity(name: str, role: str, out_path: Path, passphrase: bytes,
                    key_type: KeyType = "rsa3072") -> x509.Certificate:
    """Create a key and self-signed certificate and write them as a PKCS#12 file (mode 0600).

    Returns the certificate (export it with `certificate_pem` to use it as a verifier's trust anchor).
    """
    name, role = name.strip(), role.strip()
    if not name or not role:
        raise IdentityError("an identity needs the signer's printed name and role")
    if len(passphrase) < MIN_PASSPHRASE_BYTES:
        raise IdentityError(f"the passphrase must be at least {MIN_PASSPHRASE_BYTES} characters")
    key = _new_key(key_type)
    certificate = _certificate(key, name, role, dt.datetime.now(dt.UTC))
    data = pkcs12.serialize_key_and_certificates(
        name=name.encode("utf-8"), key=key, cert=certificate, cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase))
    write_private_file(Path(out_path), data)
    return certificate


def load_identity(path: Path, passphrase: bytes) -> Identity:
    """Open a PKCS#12 identity (self-issued or hospital-issued); IdentityError says what is wrong."""
    from reports.files import read_input

    path = Path(path)
    try:
        data = read_input(path, "an identity file (PKCS#12)")
    except ValueError as exc:
        raise IdentityError(f"cannot read the identity file: {exc}") from None
    return identity_from_bytes(data, passphrase, path)


def _unencrypted(data: bytes) -> bool:
    """Whether the file holds a private key in a plain (not passphrase-shrouded) key bag.

    Read from the PKCS#12 structure itself (asn1crypto): trying to open the file without a passphrase
    would cost a full key derivation (~0.1 s) on every signature."""
    from asn1crypto import pkcs12 as asn1_pkcs12

    try:
        pfx = asn1_pkcs12.Pfx.load(data)
        safe = pfx.authenticated_safe
        for info in safe:
            if info["content_type"].native != "data":
                continue                     # encrypted_data: whatever it holds needs the passphrase
            contents = asn1_pkcs12.SafeContents.load(info["content"].native)
            if any(bag["bag_id"].native == "key_bag" for bag in contents):
                return True
    except (ValueError, TypeError, KeyError):
        return False
    return False


def identity_from_bytes(data: bytes, passphrase: bytes, path: Path) -> Identity:
    """Decrypt PKCS#12 data read from `path` (named in messages only).

    An identity file whose key opens without a passphrase is refused: anyone who copies it could
    sign in its owner's name."""
    if _unencrypted(data):
        raise IdentityError(f"{path.name} is not protected by a passphrase; an unencrypted identity file is "
                            "refused (re-export it with a passphrase)")
    if not passphrase:
        raise IdentityError(f"cannot open {path.name}: a passphrase is required")
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, passphrase)
    except ValueError:
        raise IdentityError(f"cannot open {path.name}: wrong passphrase, or not a PKCS#12 identity file") from None
    if key is None or certificate is None:
        raise IdentityError(f"{path.name} holds no private key with its certificate")
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise IdentityError(f"{path.name}: unsupported key type {type(key).__name__}")
    return Identity(key, certificate, tuple(chain), path)


def check_usable(identity: Identity, now: dt.datetime | None = None) -> None:
    """Refuse certificates that are expired, not yet valid, or not meant for signatures that commit
    their signer (KeyUsage must be present and include nonRepudiation / contentCommitment)."""
    _check_certificate(identity.certificate, now)


def check_usable_certificate(der: bytes, now: dt.datetime | None = None) -> None:
    """`check_usable` for a DER certificate (a signer built outside `load_identity`)."""
    _check_certificate(x509.load_der_x509_certificate(der), now)


def _check_certificate(cert: x509.Certificate, now: dt.datetime | None = None) -> None:
    now = now or dt.datetime.now(dt.UTC)
    name = _attribute(cert.subject, NameOID.COMMON_NAME) or cert.subject.rfc4514_string()
    if now < cert.not_valid_before_utc:
        raise IdentityError(f"the certificate of {name} is not valid before {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC")
    if now > cert.not_valid_after_utc:
        raise IdentityError(f"the certificate of {name} expired on {cert.not_valid_after_utc:%Y-%m-%d}")
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        raise IdentityError(f"the certificate of {name} has no key usage; a signing certificate must allow "
                            "non-repudiation") from None
    if not usage.content_commitment:
        raise IdentityError(f"the certificate of {name} does not allow non-repudiation (key usage); it cannot "
                            "sign a patient record")


def certificate_pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)
