"""Issue 16's additions to `abc-mdt cases`: `list --format csv` (and `--out`), `audit-log`,
`export --format fhir`, `export-archive`, `import-archive`.

Why here and not in guideline_db/store/cli.py: the store's CLI belongs to the case store; this module
only adds commands to it (one call from its register()), so both can change without touching the other.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from guideline_db.interop import lists

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2
PROG = "abc-mdt cases"


def extend(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add to the `cases` subparsers made by guideline_db.store.cli.register()."""
    listing = sub.choices["list"]
    for action in listing._actions:
        if action.dest == "format":
            action.choices = (*action.choices, "csv")
            action.help = "text, json, or csv (UTF-8 with BOM, for Excel)"
    listing.add_argument("--out", type=Path, default=None, metavar="FILE", help="write to FILE instead of stdout")
    _wrap(listing, lambda args: args.format == "csv" or args.out is not None, _list)

    exporting = sub.choices["export"]
    exporting.add_argument("--format", choices=("json", "fhir"), default="json",
                           help="json: the case format; fhir: an HL7 FHIR R4 (mCODE) Bundle with the evaluation")
    _wrap(exporting, lambda args: args.format == "fhir", _export_fhir)

    audit = sub.add_parser("audit-log", parents=[common], help="the audit log (read-only), oldest first")
    audit.add_argument("--case", default=None, metavar="CASE_ID", help="only this case's entries")
    audit.add_argument("--format", choices=("text", "csv", "json"), default="text")
    audit.add_argument("--out", type=Path, default=None, metavar="FILE", help="write to FILE instead of stdout")
    audit.set_defaults(handler=_audit_log)

    archive_out = sub.add_parser("export-archive", parents=[common], help="many cases as one zip, a result per case")
    archive_out.add_argument("case_ids", nargs="*", metavar="CASE_ID", help="default: every case")
    archive_out.add_argument("--out", type=Path, required=True, metavar="ARCHIVE.zip")
    archive_out.add_argument("--format", choices=("json", "fhir"), default="json")
    archive_out.add_argument("--pseudonymise", action="store_true")
    archive_out.set_defaults(handler=_export_archive)

    archive_in = sub.add_parser("import-archive", parents=[common], help="import every case of a zip archive")
    archive_in.add_argument("archive", type=Path, metavar="ARCHIVE.zip")
    archive_in.add_argument("--author", default=None, help="recorded as the author (default: login name)")
    archive_in.set_defaults(handler=_import_archive)


def _wrap(parser: argparse.ArgumentParser, mine, handler) -> None:
    original = parser.get_default("handler")
    parser.set_defaults(handler=lambda args: handler(args) if mine(args) else original(args))


def _store(args: argparse.Namespace):
    from guideline_db.store.case_store import CaseStore

    return CaseStore.open(args.store)


def _guard(function):
    def run(args: argparse.Namespace) -> int:
        from guideline_db.store.errors import StoreError

        try:
            return function(args)
        except StoreError as exc:
            print(f"{PROG}: {exc}", file=sys.stderr)
            return EXIT_FAILURE
    return run


def _write(out: Path | None, text: str, what: str) -> int:
    from guideline_db.interop.fhir_cli import emit

    code = emit(out, text, PROG)
    if code == EXIT_OK and out is not None:
        print(f"wrote {what} to {out}", file=sys.stderr)
    return code


@_guard
def _list(args: argparse.Namespace) -> int:
    with _store(args) as store:
        rows = lists.case_list_rows(store, args.search, limit=max(1, args.limit))
    if args.format == "text":
        print(f"{PROG}: --out writes csv or json; add --format csv or --format json", file=sys.stderr)
        return EXIT_INVALID
    return _write(args.out, lists.render(rows, lists.CASE_COLUMNS, args.format), f"{len(rows)} cases")


@_guard
def _audit_log(args: argparse.Namespace) -> int:
    with _store(args) as store:
        rows = lists.audit_rows(store, args.case)
    if args.format == "text":
        text = "".join(f"{r['id']:>6} {r['at']} {r['actor']:<16} {r['action']:<10} {r['case_id'] or '-':<24} "
                       f"{r['version'] if r['version'] is not None else '-':>3} {r['detail']}\n" for r in rows)
        text = text or "no audit entries\n"
    else:
        text = lists.render(rows, lists.AUDIT_COLUMNS, args.format)
    return _write(args.out, text, f"{len(rows)} audit entries")


@_guard
def _export_fhir(args: argparse.Namespace) -> int:
    from guideline_db.case_io import parse_case_text
    from guideline_db.engine import evaluate
    from guideline_db.interop.fhir_export import bundle_json, case_to_bundle

    with _store(args) as store:
        text = store.export_case(args.case_id, pseudonymise=args.pseudonymise, version=args.version)
    case = parse_case_text(text)
    bundle = case_to_bundle(case, evaluate(case))
    out = None if str(args.out) == "-" else args.out
    return _write(out, bundle_json(bundle), f"case {args.case_id} as a FHIR bundle ({len(bundle['entry'])} resources)")


@_guard
def _export_archive(args: argparse.Namespace) -> int:
    from guideline_db.interop.archive import export_archive

    if not args.out.absolute().parent.is_dir():
        print(f"{PROG}: cannot write {args.out}: folder does not exist", file=sys.stderr)
        return EXIT_FAILURE
    if args.out.is_dir():
        print(f"{PROG}: cannot write {args.out}: it is a folder; give the archive's file name (e.g. cases.zip)",
              file=sys.stderr)
        return EXIT_INVALID
    with _store(args) as store:
        try:
            results = export_archive(store, args.case_ids or None, args.out, fmt=args.format,
                                     pseudonymise=args.pseudonymise)
        except OSError as exc:
            print(f"{PROG}: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_FAILURE
    for result in results:
        print(result.summary())
    failed = sum(not r.ok for r in results)
    print(f"{len(results) - failed} of {len(results)} cases written to {args.out}")
    return EXIT_FAILURE if failed else EXIT_OK


@_guard
def _import_archive(args: argparse.Namespace) -> int:
    from guideline_db.interop.archive import import_archive
    from guideline_db.store.case_store import login_name

    with _store(args) as store:
        results = import_archive(store, args.archive, args.author or login_name())
    for result in results:
        print(result.summary())
    failed = sum(not r.ok for r in results)
    print(f"{len(results) - failed} of {len(results)} members imported from {args.archive}")
    return EXIT_INVALID if failed else EXIT_OK
