"""`abc-mdt report | sign | verify | identity create`: the report and signature commands.

Registered into the main CLI by `guideline_db.cli` (`register(subparsers)`); each handler returns the
exit code. Passphrases come from a file (`--passphrase-file`) or an interactive prompt (getpass),
never from the command line — where any user of the PC could read them in the process list — and
they are never printed or logged.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2
MEANING_REQUIRED = "--meaning is required when signing (chair | recorder | attending, or your own words)"


def register(sub) -> None:
    report = sub.add_parser("report", allow_abbrev=False, help="write the PDF case summary, optionally signed")
    report.add_argument("case", type=Path, help="case file (JSON)")
    report.add_argument("--out", type=Path, required=True, help="PDF to write")
    report.add_argument("--lang", choices=("zh", "en"), default="zh")
    _add_signing_options(report, required=False)
    report.set_defaults(handler=_report)

    sign = sub.add_parser("sign", allow_abbrev=False, help="add a signature to a case summary (e.g. the chair after the recorder)")
    sign.add_argument("pdf", type=Path)
    sign.add_argument("--out", type=Path, default=None, help="signed PDF (default: replace the input)")
    sign.add_argument("--case", type=Path, default=None, help="refuse unless the PDF shows this version of the case")
    sign.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the stamp")
    _add_signing_options(sign, required=True)
    sign.set_defaults(handler=_sign)

    verify = sub.add_parser("verify", allow_abbrev=False, help="check every signature of a signed summary")
    verify.add_argument("pdf", type=Path)
    verify.add_argument("--trust", type=Path, action="append", default=[], metavar="CERT.pem",
                        help="trust anchor certificate (PEM or DER); repeatable")
    verify.set_defaults(handler=_verify)

    identity = sub.add_parser("identity", help="signing identities")
    identity_sub = identity.add_subparsers(dest="identity_command", required=True)
    create = identity_sub.add_parser("create", allow_abbrev=False, help="create a self-issued signing identity (PKCS#12)")
    create.add_argument("--name", required=True, help="the signer's printed name")
    create.add_argument("--role", required=True, help="e.g. 'MDT chair', 'MDT 主席'")
    create.add_argument("--out", type=Path, required=True, help="PKCS#12 file to write (mode 0600)")
    create.add_argument("--passphrase-file", type=Path, default=None)
    create.add_argument("--key-type", choices=("rsa3072", "ecdsa-p256"), default="rsa3072")
    create.add_argument("--cert-out", type=Path, default=None, help="also write the certificate (PEM trust anchor)")
    create.set_defaults(handler=_identity_create)


def _add_signing_options(parser: argparse.ArgumentParser, required: bool) -> None:
    # allow_abbrev=False on these parsers: "--passphrase SECRET" must be an error, not "--passphrase-file".
    parser.add_argument("--sign", "--id", dest="identity", type=Path, required=required, metavar="ID.p12",
                        help="sign with this PKCS#12 identity")
    parser.add_argument("--passphrase-file", type=Path, default=None,
                        help="file holding the identity's passphrase (else you are prompted)")
    parser.add_argument("--meaning", default=None,
                        help="what the signature means: chair | recorder | attending, or your own words")
    parser.add_argument("--name", default=None, help="printed name on the stamp (default: the certificate's)")
    parser.add_argument("--role", default=None, help="role on the stamp (default: the certificate's title)")


def _quiet_pyhanko() -> None:
    """pyHanko logs expected trust failures with tracebacks; the verdict we print says it all."""
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _error(message: str) -> None:
    print(f"abc-mdt: {message}", file=sys.stderr)


def read_passphrase(path: Path | None, prompt: str, *, confirm: bool = False) -> bytes:
    """The passphrase from a file (first line, newline removed) or an interactive prompt."""
    if path is not None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ValueError(f"cannot read the passphrase file {path}: {exc.strerror}") from None
        return data.splitlines()[0] if data.splitlines() else b""
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat the passphrase: ") != first:
        raise ValueError("the two passphrases differ")
    return first.encode("utf-8")


def _load_case(path: Path):
    from guideline_db.case_io import CaseFileError, load_case

    try:
        return load_case(path)
    except CaseFileError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return None


def _meta(args: argparse.Namespace, signer, case_id: str, case_hash: str, lang: str):
    from reports.settings import load_settings
    from reports.signing import SignatureMeta, meaning_texts, signer_subject

    zh, en, commitment = meaning_texts(args.meaning)
    name, role = signer_subject(signer)
    return SignatureMeta(signer_name=args.name or name, role=args.role or role, meaning_zh=zh, meaning_en=en,
                         case_id=case_id, case_version_hash=case_hash, lang=lang, commitment=commitment,
                         location=load_settings().location(lang))


def _signed(pdf: bytes, args: argparse.Namespace, case_id: str, case_hash: str, lang: str) -> bytes:
    from reports.signing import load_signer, sign_report

    passphrase = read_passphrase(args.passphrase_file, f"Passphrase for {args.identity.name}: ")
    signer = load_signer(args.identity, passphrase)
    del passphrase
    return sign_report(pdf, _meta(args, signer, case_id, case_hash, lang), signer)


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)


def _report(args: argparse.Namespace) -> int:
    from guideline_db.engine import evaluate
    from reports.case_hash import case_version_hash
    from reports.pdf_report import build_report
    from reports.signing import SigningError

    _quiet_pyhanko()
    if args.identity is None and args.meaning:
        _error("--meaning needs --sign ID.p12")
        return EXIT_INVALID
    if args.identity is not None and not args.meaning:
        _error(MEANING_REQUIRED)
        return EXIT_INVALID
    case = _load_case(args.case)
    if case is None:
        return EXIT_INVALID
    case_hash = case_version_hash(case)
    pdf = build_report(case, evaluate(case), lang=args.lang, case_version_hash=case_hash)
    try:
        if args.identity is not None:
            pdf = _signed(pdf, args, case.case_id, case_hash, args.lang)
        _write(args.out, pdf)
    except (SigningError, ValueError, OSError) as exc:
        _error(str(exc))
        return EXIT_FAILURE
    print(f"wrote {args.out}" + (" (signed)" if args.identity else ""))
    return EXIT_OK


def _sign(args: argparse.Namespace) -> int:
    from reports.case_hash import case_version_hash
    from reports.signature_area import KEYWORD_CASE_HASH, KEYWORD_CASE_ID
    from reports.signing import SigningError, report_keywords

    _quiet_pyhanko()
    if not args.meaning:
        _error(MEANING_REQUIRED)
        return EXIT_INVALID
    try:
        pdf = args.pdf.read_bytes()
        keywords = report_keywords(pdf)
        case_id, case_hash = keywords.get(KEYWORD_CASE_ID), keywords.get(KEYWORD_CASE_HASH)
        if args.case is not None:
            case = _load_case(args.case)
            if case is None:
                return EXIT_INVALID
            case_id, case_hash = case.case_id, case_version_hash(case)
        if not case_id or not case_hash:
            _error(f"{args.pdf} is not an abc-mdt case summary (no case ID and version); give --case CASE.json")
            return EXIT_FAILURE
        signed = _signed(pdf, args, case_id, case_hash, args.lang)
        _write(args.out or args.pdf, signed)
    except (SigningError, ValueError, OSError) as exc:
        _error(str(exc))
        return EXIT_FAILURE
    print(f"signed {args.out or args.pdf}")
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    from reports.verify import load_certificates, verify_pdf

    _quiet_pyhanko()
    try:
        pdf = args.pdf.read_bytes()
        roots = [cert for path in args.trust for cert in load_certificates(path.read_bytes())]
    except (OSError, ValueError) as exc:
        _error(str(exc))
        return EXIT_INVALID
    report = verify_pdf(pdf, roots)
    sys.stdout.write(report.summary())
    return EXIT_OK if report.ok else EXIT_FAILURE


def _identity_create(args: argparse.Namespace) -> int:
    from cryptography.hazmat.primitives import hashes

    from reports.identity import IdentityError, certificate_pem, create_identity

    try:
        passphrase = read_passphrase(args.passphrase_file, f"New passphrase for {args.out.name}: ", confirm=True)
        certificate = create_identity(args.name, args.role, args.out, passphrase, key_type=args.key_type)
        del passphrase
        if args.cert_out is not None:
            _write(args.cert_out, certificate_pem(certificate))
    except (IdentityError, ValueError, OSError) as exc:
        _error(str(exc))
        return EXIT_FAILURE
    fingerprint = certificate.fingerprint(hashes.SHA256()).hex(":")
    print(f"wrote {args.out} for {args.name} ({args.role}); certificate SHA-256 {fingerprint}")
    if args.cert_out is not None:
        print(f"wrote {args.cert_out} (give it to verifiers: abc-mdt verify --trust {args.cert_out.name})")
    return EXIT_OK
