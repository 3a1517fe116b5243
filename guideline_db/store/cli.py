"""`abc-mdt cases ...`: the case store from the command line (list, import, export, backup, restore,
verify-audit).

Why a CLI at all for a desktop app: IT staff back up, restore and verify the store on machines where
nobody opens the GUI, and scripts import batches of case files. Each command prints one clear line per
problem to stderr and returns an exit code — 0 done, 1 failed, 2 an invalid case file — never a
traceback.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path

from guideline_db.store.case_store import CaseStore, login_name
from guideline_db.store.errors import RESTORE_HINT, CaseImportError, StoreError

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2
PROG = "abc-mdt cases"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `cases` command to the main parser (called by guideline_db.cli)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", type=Path, default=None,
                        help="the store file (default: $ABC_MDT_DATA_DIR/cases.sqlite or "
                             "$XDG_DATA_HOME/abc-mdt/cases.sqlite)")
    parser = subparsers.add_parser("cases", help="the local case store: list, import, export, backup, restore")
    sub = parser.add_subparsers(dest="cases_command", required=True)

    listing = sub.add_parser("list", parents=[common], help="list cases, most recently changed first")
    listing.add_argument("--search", default="", help="part of a case ID, hospital ID, name or diagnosis")
    listing.add_argument("--limit", type=int, default=100)
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(handler=_list)

    importing = sub.add_parser("import", parents=[common], help="import case files as new versions")
    importing.add_argument("files", nargs="+", type=Path, metavar="FILE")
    importing.add_argument("--author", default=None, help="recorded as the author (default: login name)")
    importing.set_defaults(handler=_import)

    exporting = sub.add_parser("export", parents=[common], help="write a case as a case-format JSON file")
    exporting.add_argument("case_id", metavar="CASE_ID")
    exporting.add_argument("--out", type=Path, required=True, metavar="FILE", help="output file, or - for stdout")
    exporting.add_argument("--version", type=int, default=None, help="a stored version (default: latest)")
    exporting.add_argument("--pseudonymise", action="store_true",
                           help="keyed pseudonyms for case ID, name and hospital ID; dates shifted per case; "
                                "names and IDs scrubbed from free text (the manifest beside the file lists it)")
    exporting.add_argument("--pseudonymise-case-id", action="store_true",
                           help="kept for old scripts: --pseudonymise always replaces the case ID")
    exporting.set_defaults(handler=_export)

    backing_up = sub.add_parser("backup", parents=[common], help="write a consistent copy of the store")
    backing_up.add_argument("out", type=Path, metavar="OUT.db")
    backing_up.set_defaults(handler=_backup)

    restoring = sub.add_parser("restore", parents=[common], help="replace the store with a verified backup")
    restoring.add_argument("src", type=Path, metavar="IN.db")
    restoring.set_defaults(handler=_restore)

    verifying = sub.add_parser("verify-audit", parents=[common],
                               help="check the file, every hash chain, the case list and search index, the "
                                    "triggers and the anchors (exit 1 on any finding)")
    verifying.add_argument("--against", type=Path, nargs="+", default=[], metavar="FILE",
                           help="backups, export manifests or signed PDFs whose audit head the chain must hold")
    verifying.set_defaults(handler=_verify)
    from guideline_db.interop.cases_cli import extend  # issue 16: csv list, audit-log, FHIR export, archives

    extend(sub, common)
    from guideline_db.store.postgres.migrate import (
        register_cli,  # issue 18: migrate, server-init, server-user
    )

    register_cli(sub, common)


def _fail(message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return EXIT_FAILURE


def _reports_store_errors(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    @functools.wraps(handler)
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except StoreError as exc:
            return _fail(str(exc))

    return wrapper


@_reports_store_errors
def _list(args: argparse.Namespace) -> int:
    with CaseStore.open(args.store, read_only=None) as store:
        cases = store.list_cases(args.search, limit=max(1, args.limit))
    if args.format == "json":
        print(json.dumps([vars(case) for case in cases], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not cases:
        print("no cases" + (f" match {args.search!r}" if args.search else " in the store"))
        return EXIT_OK
    print(f"{'case_id':24} {'ver':>3} {'status':8} {'updated (UTC)':16} {'subtype':16} {'hospital_id':14} name")
    for case in cases:
        print(f"{case.case_id:24} {case.latest_version:>3} {case.status:8} {case.updated_at[:16].replace('T', ' '):16} "
              f"{case.subtype:16} {case.hospital_id or '-':14} {case.name or '-'}")
    if len(cases) == args.limit:
        print(f"(first {args.limit} shown; narrow with --search or raise --limit)")
    return EXIT_OK


@_reports_store_errors
def _import(args: argparse.Namespace) -> int:
    author = args.author or login_name()
    exit_code = EXIT_OK
    with CaseStore.open(args.store) as store:
        for path in args.files:
            try:
                info = store.import_case_file(path, author)
            except CaseImportError as exc:
                for problem in exc.problems:
                    print(f"{path}: {problem}", file=sys.stderr)
                exit_code = EXIT_INVALID
                continue
            print(f"{path}: case {info.case_id} version {info.version} ({info.status})")
    return exit_code


@_reports_store_errors
def _export(args: argparse.Namespace) -> int:
    to_stdout = str(args.out) == "-"
    if not to_stdout and not args.out.absolute().parent.is_dir():
        return _fail(f"cannot write {args.out}: folder {args.out.absolute().parent} does not exist")
    with CaseStore.open(args.store) as store:
        if to_stdout:
            sys.stdout.write(store.export_case(args.case_id, pseudonymise=args.pseudonymise, version=args.version))
            return EXIT_OK
        result = store.export_case_to(args.case_id, args.out, pseudonymise=args.pseudonymise, version=args.version)
    print(result.summary())
    return EXIT_OK


@_reports_store_errors
def _backup(args: argparse.Namespace) -> int:
    with CaseStore.open(args.store, read_only=None) as store:
        target = store.backup(args.out)
        counts = store.counts()
        head = store.audit_head()
    note = " (store is read-only: not recorded in its audit log)" if store.read_only else ""
    print(f"backed up {counts['cases']} cases ({counts['case_versions']} versions, audit head "
          f"{head.short()}) to {target}{note}")
    return EXIT_OK


@_reports_store_errors
def _restore(args: argparse.Namespace) -> int:
    result = CaseStore.restore(args.src, args.store)
    print(result.summary())
    return EXIT_OK


@_reports_store_errors
def _verify(args: argparse.Namespace) -> int:
    with CaseStore.open(args.store, read_only=None) as store:
        problems = store.check_integrity()
        if problems:
            print(f"integrity check failed: {problems[0]} (hint: {RESTORE_HINT})")
            return EXIT_FAILURE
        report = store.verify_audit(args.against)
    print(report.summary())
    return EXIT_OK if report.ok else EXIT_FAILURE


if __name__ == "__main__":  # pragma: no cover - convenience: python -m guideline_db.store.cli
    main_parser = argparse.ArgumentParser(prog="abc-mdt")
    register(main_parser.add_subparsers(dest="command", required=True))
    parsed = main_parser.parse_args()
    sys.exit(parsed.handler(parsed))
