"""A real hospital PKI for the signature tests: a CA, an OCSP responder, a CRL and an RFC 3161 TSA.

Certomancer (by pyHanko's author) builds the certificates from a configuration and its Animator
serves OCSP, CRLs and time-stamps over HTTP; here it runs as a real WSGI server on 127.0.0.1 (an
ephemeral port, one thread) for the test session, and the code under test talks to it over TCP
exactly as it would to a hospital's services. Nothing is mocked.

`hospital_pki` yields a `Pki`: PKCS#12 identities (encrypted with PASSPHRASE) for a valid signer,
an expired one, a not-yet-valid one and one without nonRepudiation; the root certificate (the
trust anchor); and the TSA URL.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

# A declared test dependency (pyproject.toml, requirements/test.txt): missing means a broken install, so
# the import fails rather than skipping the signature tests.
from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import CertomancerConfig
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from werkzeug.serving import make_server

PASSPHRASE = b"correct horse battery staple"
ARCH = "hospital"

SIGNERS = {
    # label: (common name, title, valid from, valid to, key usages)
    "chair": ("Li Mei", "MDT chair", "2020-01-01", "2100-01-01", ["digital_signature", "non_repudiation"]),
    "author": ("Wang Wei", "MDT secretary", "2020-01-01", "2100-01-01", ["digital_signature", "non_repudiation"]),
    "expired": ("Old Zhang", "MDT chair", "2020-01-01", "2021-01-01", ["digital_signature", "non_repudiation"]),
    "future": ("Early Zhao", "MDT chair", "2090-01-01", "2100-01-01", ["digital_signature", "non_repudiation"]),
    "norep": ("Plain Sun", "MDT chair", "2020-01-01", "2100-01-01", ["digital_signature"]),
    "revoked": ("Lost Key", "MDT chair", "2020-01-01", "2100-01-01", ["digital_signature", "non_repudiation"]),
    "noku": ("No Usage", "MDT chair", "2020-01-01", "2100-01-01", None),     # no KeyUsage extension at all
}
REVOKED = {"revoked": {"revoked-since": "2024-01-01T00:00:00+0000", "reason": "key_compromise"}}


@dataclass(frozen=True)
class Pki:
    folder: Path
    url: str
    root_pem: bytes
    identities: dict[str, Path]       # label -> PKCS#12 (PASSPHRASE)
    tsa_url: str
    arch: object

    def identity(self, label: str) -> Path:
        return self.identities[label]


def _write_key(path: Path, kind: str) -> None:
    key = ec.generate_private_key(ec.SECP256R1()) if kind == "ec" else rsa.generate_private_key(65537, 2048)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))


def _key_usage(usages: list[str]) -> dict:
    return {"id": "key_usage", "critical": True, "smart-value": {"schema": "key-usage", "params": usages}}


def _config(keys: dict[str, str]) -> dict:
    certs = {
        "root": {"subject": "root", "subject-key": "root", "issuer": "root", "authority-key": "root",
                 "validity": {"valid-from": "2000-01-01T00:00:00+0000", "valid-to": "2200-01-01T00:00:00+0000"},
                 "profiles": [{"id": "simple-ca", "params": {"crl-repo": "root", "ocsp-service": "root"}}]},
        "ocsp": {"issuer": "root", "validity": {"valid-from": "2000-01-01T00:00:00+0000",
                                                "valid-to": "2200-01-01T00:00:00+0000"},
                 "profiles": ["ocsp-responder"]},
        "tsa": {"issuer": "root", "validity": {"valid-from": "2000-01-01T00:00:00+0000",
                                               "valid-to": "2200-01-01T00:00:00+0000"},
                "extensions": [_key_usage(["digital_signature"]),
                               {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]}]},
    }
    entities = {"root": {"common-name": "Test Hospital Root CA"}, "ocsp": {"common-name": "Test Hospital OCSP"},
                "tsa": {"common-name": "Test Hospital TSA"}}
    for label, (name, title, start, end, usages) in SIGNERS.items():
        entities[label] = {"common-name": name, "title": title}
        certs[label] = {"issuer": "root", "validity": {"valid-from": f"{start}T00:00:00+0000",
                                                       "valid-to": f"{end}T00:00:00+0000"},
                        "extensions": [_key_usage(usages)] if usages else []}
        if label in REVOKED:
            certs[label]["revocation"] = REVOKED[label]
    return {
        "keysets": {"hospital": {"keys": {label: {"path": path} for label, path in keys.items()}}},
        "pki-architectures": {ARCH: {
            "keyset": "hospital",
            "entity-defaults": {"country-name": "CN", "organization-name": "Test Hospital"},
            "entities": entities,
            "certs": certs,
            "services": {
                "ocsp": {"root": {"for-issuer": "root", "responder-cert": "ocsp", "signing-key": "ocsp"}},
                "crl-repo": {"root": {"for-issuer": "root", "signing-key": "root", "simulated-update-schedule": "P30D"}},
                "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
            },
        }},
    }


class _Dispatch:
    """The WSGI app the server runs; the Animator is set once the server's port is known."""
    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


@pytest.fixture(scope="session")
def hospital_pki(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pki")
    keys = {}
    for label in ("root", "ocsp", "tsa", *SIGNERS):
        keys[label] = f"{label}.key.pem"
        _write_key(folder / keys[label], "ec" if label == "chair" else "rsa")
    dispatch = _Dispatch()
    server = make_server("127.0.0.1", 0, dispatch, threaded=False)
    url = f"http://127.0.0.1:{server.server_port}"
    config = CertomancerConfig(_config(keys), key_search_dir=str(folder), external_url_prefix=url)
    arch = config.get_pki_arch(ARCH)
    dispatch.app = Animator(AnimatorArchStore(config.pki_archs), with_web_ui=False, allow_time_override=False)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    identities = {}
    for label in SIGNERS:
        path = folder / f"{label}.p12"
        path.write_bytes(arch.package_pkcs12(label, password=PASSPHRASE))
        identities[label] = path
    root_pem = arch.get_cert("root").dump()
    from asn1crypto import pem
    try:
        yield Pki(folder, url, pem.armor("CERTIFICATE", root_pem), identities, f"{url}/{ARCH}/tsa/tsa", arch)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def test_the_tsa_answers_over_loopback(hospital_pki):
    """The time-stamping service is a real HTTP service: a request gets a granted, signed token."""
    import asyncio
    import hashlib

    from asn1crypto import tsp
    from pyhanko.sign.timestamps import HTTPTimeStamper

    stamper = HTTPTimeStamper(hospital_pki.tsa_url, timeout=10)
    token = asyncio.run(stamper.async_timestamp(hashlib.sha256(b"abc").digest(), "sha256"))
    info = token["content"]["encap_content_info"]["content"].parsed
    assert isinstance(info, tsp.TSTInfo)
    assert info["message_imprint"]["hashed_message"].native == hashlib.sha256(b"abc").digest()


def test_identities_carry_name_role_and_key_usage(hospital_pki):
    from reports.identity import IdentityError, check_usable, load_identity

    chair = load_identity(hospital_pki.identity("chair"), PASSPHRASE)
    assert (chair.name, chair.role) == ("Li Mei", "MDT chair")
    check_usable(chair)
    for label in ("expired", "future", "norep"):
        with pytest.raises(IdentityError):
            check_usable(load_identity(hospital_pki.identity(label), PASSPHRASE))
