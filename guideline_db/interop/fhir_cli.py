"""`abc-mdt fhir export|import|check`: FHIR R4 (mCODE STU4) bundles from the command line.

Exit codes as elsewhere: 0 done, 1 failed (e.g. a bundle with structural errors for `check`), 2 an
invalid input file (the case file's problems, or an import that produced no valid case). Messages are
one `where: level: text` line each on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2
PROG = "abc-mdt fhir"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("fhir", help="HL7 FHIR R4 (mCODE STU4) bundles: export, import, check")
    sub = parser.add_subparsers(dest="fhir_command", required=True)
    exporting = sub.add_parser("export", help="write a case file as a FHIR collection Bundle")
    exporting.add_argument("case", type=Path, metavar="CASE.json")
    exporting.add_argument("--out", type=Path, required=True, metavar="BUNDLE.json", help="output file, or -")
    exporting.add_argument("--no-evaluation", action="store_true",
                           help="leave out the evaluation (GuidanceResponse, RequestGroup, Provenance)")
    exporting.add_argument("--pseudonymise", action="store_true",
                           help="pseudonymise first (needs --pseudonym-key-file; the case store uses its own key)")
    exporting.add_argument("--pseudonym-key-file", type=Path, default=None, metavar="FILE",
                           help="a file holding the secret key for stable pseudonyms")
    exporting.set_defaults(handler=_export)
    importing = sub.add_parser("import", help="read a FHIR Bundle (any system's) into a case file")
    importing.add_argument("bundle", type=Path, metavar="BUNDLE.json")
    importing.add_argument("--out", type=Path, required=True, metavar="CASE.json", help="output file, or -")
    importing.add_argument("--presentation", default=None,
                           choices=("de_novo_stage_iv", "recurrent_metastatic", "locally_advanced_inoperable",
                                    "local_regional_recurrence"),
                           help="the presentation, when the bundle does not carry it")
    importing.set_defaults(handler=_import)
    checking = sub.add_parser("check", help="offline structural check against the claimed mCODE profiles")
    checking.add_argument("bundle", type=Path, metavar="BUNDLE.json")
    checking.add_argument("--format", choices=("text", "json"), default="text")
    checking.set_defaults(handler=_check)


def write_private(path: Path, text: str) -> None:
    """Atomically, readable by the owner only: a bundle carries patient data."""
    temp = path.with_name(f".{path.name}.tmp")
    temp.unlink(missing_ok=True)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def emit(out: Path | None, text: str, prog: str = PROG) -> int:
    """Write `text` to `out` (private, atomic) or to stdout when `out` is None or '-'."""
    if out is None or str(out) == "-":
        sys.stdout.write(text)
        return EXIT_OK
    try:
        write_private(out, text)
    except OSError as exc:
        print(f"{prog}: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from guideline_db.case_io import CaseFileError
    from guideline_db.interop.fhir_check import check_bundle
    from guideline_db.interop.fhir_export import bundle_json, export_case_file

    secret = None
    if args.pseudonymise:
        if args.pseudonym_key_file is None:
            print(f"{PROG}: --pseudonymise needs --pseudonym-key-file (or use `abc-mdt cases export --format fhir "
                  "--pseudonymise`, which uses the store's key)", file=sys.stderr)
            return EXIT_FAILURE
        from guideline_db.case_io import CaseFileError, read_bounded

        try:
            secret = read_bounded(args.pseudonym_key_file, 64 * 1024)[0].decode("utf-8").strip()
        except CaseFileError as exc:
            print(f"{PROG}: {'; '.join(exc.problems)}", file=sys.stderr)
            return EXIT_INVALID
        except UnicodeDecodeError:
            print(f"{PROG}: {args.pseudonym_key_file}: the pseudonym key file is not UTF-8 text", file=sys.stderr)
            return EXIT_INVALID
        if len(secret) < 16:
            print(f"{PROG}: the pseudonym key must be at least 16 characters", file=sys.stderr)
            return EXIT_FAILURE
    try:
        bundle = export_case_file(args.case, with_evaluation=not args.no_evaluation, pseudonym_secret=secret)
    except CaseFileError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    code = emit(args.out, bundle_json(bundle))
    if code == EXIT_OK and str(args.out) != "-":
        findings = check_bundle(bundle)
        errors = sum(f.level == "error" for f in findings)
        warnings = sum(f.level == "warning" for f in findings)
        print(f"wrote {len(bundle['entry'])} resources to {args.out}; offline mCODE check: {errors} errors, "
              f"{warnings} warnings")
    return code


def _import(args: argparse.Namespace) -> int:
    from guideline_db.case_io import case_to_json
    from guideline_db.interop.fhir_import import import_bundle_file

    overrides = {"presentation": args.presentation} if args.presentation else None
    result = import_bundle_file(args.bundle, overrides=overrides)
    for message in result.messages:
        print(f"{args.bundle}: {message}", file=sys.stderr)
    if result.case is None:
        print(f"{PROG}: no case written: {result.summary()}", file=sys.stderr)
        return EXIT_INVALID
    code = emit(args.out, case_to_json(result.case) + "\n")
    if code == EXIT_OK and str(args.out) != "-":
        print(f"wrote {args.out}: {result.summary()}")
    return code


def _check(args: argparse.Namespace) -> int:
    from guideline_db.case_io import CaseFileError, read_json_file
    from guideline_db.interop.fhir_check import check_bundle
    from guideline_db.interop.fhir_import import MAX_BUNDLE_BYTES

    try:
        bundle, _ = read_json_file(args.bundle, MAX_BUNDLE_BYTES)
    except CaseFileError as exc:
        for problem in exc.problems:
            print(f"{PROG}: {args.bundle}: {problem}", file=sys.stderr)
        return EXIT_INVALID
    findings = check_bundle(bundle) if isinstance(bundle, dict) else []
    if args.format == "json":
        print(json.dumps([vars(f) for f in findings], ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            print(finding)
        errors = sum(f.level == "error" for f in findings)
        print(f"{errors} errors, {sum(f.level == 'warning' for f in findings)} warnings, "
              f"{sum(f.level == 'info' for f in findings)} notes (offline checks; the HL7 validator was not run)")
    return EXIT_FAILURE if any(f.level == "error" for f in findings) else EXIT_OK
