"""`abc-mdt report | sign | verify | identity create | trust`: the report and signature commands.

Registered into the main CLI by `guideline_db.cli` (`register(subparsers)`); each handler returns the
exit code. Passphrases come from a file (`--passphrase-file`) or an interactive prompt (getpass),
never from the command line — where any user of the PC could read them in the process list — and
they are never printed or logged: `--passphrase SECRET` is refused without repeating SECRET.

`verify` exits 0 (intact, valid, trusted), 3 (intact but a signer is not trusted) or 4 (altered or
invalid), printing the reason for each signature (`reports.verify`).
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2
MEANING_HELP = "what the signature means: author | reviewer | chair (approval), or a key the hospital configured"
MEANING_REQUIRED = f"--meaning is required when signing ({MEANING_HELP})"


class _RefusedSecret(argparse.Action):
    """`--passphrase VALUE` on the command line: refused, and VALUE is never repeated."""

    def __init__(self, option_strings, dest, **kwargs) -> None:
        kwargs.pop("nargs", None)
        super().__init__(option_strings, dest, nargs="?", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        parser.exit(EXIT_INVALID, f"abc-mdt: {option_string} is not accepted: a passphrase on the command line can "
                                  "be read by any user of this PC; use --passphrase-file FILE or type it at the "
                                  "prompt\n")


def register(sub) -> None:
    report = sub.add_parser("report", allow_abbrev=False, help="write the PDF case summary, optionally signed")
    report.add_argument("case", type=Path, nargs="?", help="case file (JSON)")
    report.add_argument("--out", type=Path, help="PDF to write (mode 0600)")
    report.add_argument("--case-store", nargs="?", const="", default=None, metavar="STORE",
                        help="write the case store's audit-chain head into the PDF (default store without a path), "
                             "so that 'cases verify-audit --against PDF' can later check the store's history")
    report.add_argument("--lang", choices=("zh", "en"), default="zh")
    report.add_argument("--extract-case", type=Path, metavar="PDF", default=None,
                        help="instead: print the case file embedded in a report (with --out: write it there)")
    report.add_argument("--extract-evaluation", action="store_true",
                        help="with --extract-case: the embedded evaluation instead of the case")
    _add_signing_options(report, required=False)
    report.set_defaults(handler=_report)

    sign = sub.add_parser("sign", allow_abbrev=False, help="add a signature to a case summary (e.g. the chair after the author)")
    sign.add_argument("pdf", type=Path)
    sign.add_argument("--out", type=Path, default=None, help="signed PDF (default: replace the input)")
    sign.add_argument("--case", type=Path, default=None, help="refuse unless the PDF shows this version of the case")
    sign.add_argument("--lang", choices=("zh", "en"), default=None, help="language of the stamp (default: the report's)")
    _add_signing_options(sign, required=True)
    sign.set_defaults(handler=_sign)

    verify = sub.add_parser("verify", allow_abbrev=False, help="check every signature of a signed summary",
                            epilog="exit codes: 0 intact, valid and trusted; 3 intact but a signer is not trusted; "
                                   "4 altered or invalid")
    verify.add_argument("pdf", type=Path)
    verify.add_argument("--trust", type=Path, action="append", default=[], metavar="CERT.pem",
                        help="an extra trust anchor for this check only (PEM or DER); repeatable")
    verify.add_argument("--no-store", action="store_true", help="ignore the trust store (only --trust anchors)")
    verify.add_argument("--case-store", nargs="?", const="", default=None, metavar="STORE",
                        help="also check the case store's record of signatures (default store without a path): "
                             "a recorded later signature missing from this file is an alteration")
    verify.set_defaults(handler=_verify)

    identity = sub.add_parser("identity", help="signing identities")
    identity_sub = identity.add_subparsers(dest="identity_command", required=True)
    create = identity_sub.add_parser("create", allow_abbrev=False, help="create a self-issued signing identity (PKCS#12)")
    create.add_argument("--name", required=True, help="the signer's printed name (it goes into the certificate)")
    create.add_argument("--role", required=True, help="e.g. 'MDT chair', 'MDT 主席' (it goes into the certificate)")
    create.add_argument("--out", type=Path, required=True, help="PKCS#12 file to write (mode 0600)")
    create.add_argument("--passphrase-file", type=Path, default=None)
    create.add_argument("--passphrase", "--password", action=_RefusedSecret)
    create.add_argument("--key-type", choices=("rsa3072", "ecdsa-p256"), default="rsa3072")
    create.add_argument("--cert-out", type=Path, default=None, help="also write the certificate (PEM trust anchor)")
    create.set_defaults(handler=_identity_create)

    trust = sub.add_parser("trust", help="the trust store: certificates whose signatures verify as trusted")
    trust_sub = trust.add_subparsers(dest="trust_command", required=True)
    add = trust_sub.add_parser("add", help="trust a CA certificate or a signer's registered certificate")
    add.add_argument("cert", type=Path, metavar="CERT.pem")
    add.set_defaults(handler=_trust_add)
    listing = trust_sub.add_parser("list", help="list the trusted certificates")
    listing.set_defaults(handler=_trust_list)
    remove = trust_sub.add_parser("remove", help="stop trusting a certificate (file or fingerprint)")
    remove.add_argument("cert", metavar="CERT.pem|FINGERPRINT")
    remove.set_defaults(handler=_trust_remove)


def _add_signing_options(parser: argparse.ArgumentParser, required: bool) -> None:
    # allow_abbrev=False on these parsers: "--passphrase SECRET" must be an error, not "--passphrase-file".
    parser.add_argument("--sign", "--id", dest="identity", type=Path, required=required, metavar="ID.p12",
                        help="sign with this PKCS#12 identity (the printed name and role are its certificate's)")
    parser.add_argument("--passphrase-file", type=Path, default=None,
                        help="file holding the identity's passphrase (else you are prompted)")
    parser.add_argument("--passphrase", "--password", action=_RefusedSecret)
    parser.add_argument("--meaning", default=None, help=MEANING_HELP)
    parser.add_argument("--tsa-url", default=None,
                        help="RFC 3161 time-stamping service (default: settings.json signing.tsa_url; none: B-B)")
    parser.add_argument("--long-term", action="store_true",
                        help="embed the revocation data of the signer's chain to the trust store (PAdES B-LT)")


def _quiet_pyhanko() -> None:
    """pyHanko logs expected trust failures with tracebacks; the verdict we print says it all."""
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _error(message: str) -> None:
    print(f"abc-mdt: {message}", file=sys.stderr)


def read_passphrase(path: Path | None, prompt: str, *, confirm: bool = False) -> bytes:
    """The passphrase from a file (first line, newline removed) or an interactive prompt."""
    if path is not None:
        from reports.files import read_input

        data = read_input(path, "a passphrase file")
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


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable only by its owner (0600: a report carries the patient's name), atomically."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


_write = write_private


def _sign_bytes(pdf: bytes, args: argparse.Namespace, lang: str) -> bytes:
    from reports.settings import load_settings
    from reports.signing import sign_case_report

    passphrase = read_passphrase(args.passphrase_file, f"Passphrase for {args.identity.name}: ")
    try:
        signed, _ = sign_case_report(pdf, args.identity, passphrase, args.meaning, lang=lang,
                                     location=load_settings().location(lang), timestamp_url=args.tsa_url,
                                     long_term=args.long_term)
    finally:
        del passphrase
    return signed


def _extract(args: argparse.Namespace) -> int:
    from reports.archive import CASE_ATTACHMENT, EVALUATION_ATTACHMENT, attachments_of

    try:
        from reports.files import MAX_PDF_BYTES, read_input

        found = attachments_of(read_input(args.extract_case, "a PDF report", MAX_PDF_BYTES))
    except (OSError, ValueError) as exc:
        _error(str(exc))
        return EXIT_FAILURE
    name = EVALUATION_ATTACHMENT if args.extract_evaluation else CASE_ATTACHMENT
    if name not in found:
        _error(f"{args.extract_case} has no embedded {name} (not an abc-mdt report of this version)")
        return EXIT_FAILURE
    if args.out is not None:
        write_private(args.out, found[name])
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(found[name].decode("utf-8"))
        sys.stdout.write("\n")
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from guideline_db.engine import evaluate
    from reports.case_hash import case_version_hash
    from reports.pdf_report import ReportContentError, build_report
    from reports.signing import SigningError

    _quiet_pyhanko()
    if args.extract_case is not None:
        return _extract(args)
    if args.case is None or args.out is None:
        _error("report needs CASE.json and --out OUT.pdf (or --extract-case PDF)")
        return EXIT_INVALID
    if args.identity is None and args.meaning:
        _error("--meaning needs --sign ID.p12")
        return EXIT_INVALID
    if args.identity is not None and not args.meaning:
        _error(MEANING_REQUIRED)
        return EXIT_INVALID
    case = _load_case(args.case)
    if case is None:
        return EXIT_INVALID
    head = None
    if args.case_store is not None:
        head = _audit_head(args.case_store)
        if head is None:
            return EXIT_FAILURE
    try:
        pdf = build_report(case, evaluate(case), lang=args.lang, case_version_hash=case_version_hash(case),
                           audit_head=head)
    except ReportContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    try:
        if args.identity is not None:
            pdf = _sign_bytes(pdf, args, args.lang)
        write_private(args.out, pdf)
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
    from reports.files import MAX_PDF_BYTES, read_input

    try:
        pdf = read_input(args.pdf, "a PDF report", MAX_PDF_BYTES)
        keywords = report_keywords(pdf)
        if args.case is not None:
            case = _load_case(args.case)
            if case is None:
                return EXIT_INVALID
            if (case.case_id, case_version_hash(case)) != (keywords.get(KEYWORD_CASE_ID), keywords.get(KEYWORD_CASE_HASH)):
                _error(f"{args.pdf} does not show this version of case {case.case_id}; render the report again")
                return EXIT_FAILURE
        lang = args.lang or _report_lang(pdf)
        signed = _sign_bytes(pdf, args, lang)
        write_private(args.out or args.pdf, signed)
    except (SigningError, ValueError, OSError) as exc:
        _error(str(exc))
        return EXIT_FAILURE
    print(f"signed {args.out or args.pdf}")
    return EXIT_OK


def _report_lang(pdf: bytes) -> str:
    """The report's own language (/Lang of the catalog), so the stamp speaks it."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        lang = str(PdfFileReader(io.BytesIO(pdf), strict=False).root.get("/Lang", "zh"))
    except Exception:   # an unreadable PDF is refused by signing itself, with its own message
        return "zh"
    return "en" if lang.lower().startswith("en") else "zh"


def _verify(args: argparse.Namespace) -> int:
    from reports.trust import TrustStore
    from reports.verify import EXIT_ALTERED, load_certificates, verify_pdf

    _quiet_pyhanko()
    from reports.files import MAX_PDF_BYTES, read_input

    try:
        pdf = read_input(args.pdf, "a PDF report", MAX_PDF_BYTES)
        roots = [cert for path in args.trust for cert in load_certificates(read_input(path, "a certificate (PEM)"))]
    except (OSError, ValueError) as exc:
        _error(str(exc))
        return EXIT_INVALID
    if b"%PDF-" not in pdf[:1024]:      # not a PDF at all: invalid input (2); a damaged PDF is still 'altered' (4)
        _error(f"{args.pdf} is not a PDF file (no %PDF- header); give the signed report's PDF")
        return EXIT_INVALID
    if not args.no_store:
        roots += TrustStore().certificates()
    report = verify_pdf(pdf, roots)
    if args.case_store is not None:
        report = _with_store_findings(report, pdf, args.case_store)
        if report is None:
            return EXIT_FAILURE
    sys.stdout.write(report.summary())
    return report.exit_code if report.signatures or report.problems else EXIT_ALTERED


def _audit_head(store_path: str) -> str | None:
    """The audit-chain head token of the case store at `store_path` ('' = the default store)."""
    from guideline_db.store import CaseStore
    from guideline_db.store.errors import StoreError

    try:
        store = CaseStore.open(store_path or None, read_only=True)
    except (StoreError, OSError) as exc:
        _error(f"cannot open the case store: {exc}")
        return None
    try:
        return store.audit_head().token()
    finally:
        store.close()


def _with_store_findings(report, pdf: bytes, store_path: str):
    """The report with the case store's missing signatures added as problems; None if no store opens."""
    from dataclasses import replace

    from guideline_db.store import CaseStore
    from guideline_db.store.errors import StoreError
    from reports.record_check import missing_signatures

    try:
        store = CaseStore.open(store_path or None, read_only=True)
    except (StoreError, OSError) as exc:
        _error(f"cannot open the case store: {exc}")
        return None
    try:
        findings = missing_signatures(pdf, store)
    finally:
        store.close()
    return replace(report, problems=(*report.problems, *findings))


def _trust_add(args: argparse.Namespace) -> int:
    from reports.files import read_input
    from reports.trust import TrustStore, TrustStoreError

    store = TrustStore()
    try:
        added = store.add(read_input(args.cert, "a certificate (PEM)"))
    except (OSError, ValueError, TrustStoreError) as exc:
        _error(str(exc))
        return EXIT_FAILURE
    for anchor in added:
        print(f"trusted: {anchor.line()}")
    if not added:
        print("already trusted; nothing added")
    return EXIT_OK


def _trust_list(args: argparse.Namespace) -> int:
    from reports.trust import TrustStore

    store = TrustStore()
    anchors = store.anchors()
    print(f"trust store {store.folder}: {len(anchors)} certificate(s)")
    for anchor in anchors:
        print(f"  {anchor.line()}")
    return EXIT_OK


def _trust_remove(args: argparse.Namespace) -> int:
    from reports.files import read_input
    from reports.trust import TrustStore, TrustStoreError

    path = Path(args.cert)
    try:
        what = read_input(path, "a certificate (PEM)") if path.is_file() else args.cert
        removed = TrustStore().remove(what)
    except (OSError, ValueError, TrustStoreError) as exc:
        _error(str(exc))
        return EXIT_FAILURE
    for anchor in removed:
        print(f"no longer trusted: {anchor.line()}")
    return EXIT_OK


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
        print(f"wrote {args.cert_out} (register it with verifiers: abc-mdt trust add {args.cert_out.name})")
    return EXIT_OK
