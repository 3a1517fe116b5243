"""`abc-mdt`: the one command-line entry point. With no arguments it opens the desktop app.

The CLI never imports Qt: the GUI is imported only when no subcommand is given, and the report and
signing commands import `reports` only when used, so `abc-mdt evaluate` starts fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from guideline_db import __version__

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2


def _add_evaluate(sub) -> None:
    p = sub.add_parser("evaluate", help="evaluate a case file against the guideline")
    p.add_argument("case", type=Path)
    p.add_argument("--format", choices=("json", "text"), default="json")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(handler=_evaluate)


def _evaluate(args: argparse.Namespace) -> int:
    from guideline_db.case_io import CaseFileError, load_case
    from guideline_db.database import with_verified
    from guideline_db.engine import evaluate
    from guideline_db.text_summary import render_text

    try:
        case = load_case(args.case)
    except CaseFileError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    evaluation = evaluate(case)
    if args.format == "json":
        json.dump(with_verified(evaluation.to_dict(args.lang)), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(evaluation, args.lang))
    return EXIT_OK


def _add_db(sub) -> None:
    p = sub.add_parser("db", help="the guideline database")
    db_sub = p.add_subparsers(dest="db_command", required=True)
    info = db_sub.add_parser("info", help="edition, build date, row counts and SHA-256")
    info.add_argument("--format", choices=("json", "text"), default="text")
    info.set_defaults(handler=_db_info)
    build = db_sub.add_parser("build", help="rebuild the database from its TOML sources")
    build.add_argument("--output", type=Path, default=None)
    build.set_defaults(handler=_db_build)


def _db_info(args: argparse.Namespace) -> int:
    from guideline_db.database import open_guideline

    info = open_guideline().info()
    if args.format == "json":
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"guideline: {info['title']} (edition {info['edition']})")
    print(f"path:      {info['path']}")
    print(f"built:     {info['build_date']}")
    print(f"sha256:    {info['sha256']} (verified)")
    print("rows:")
    for table, count in info["row_counts"].items():
        print(f"  {table:32} {count:5}")
    return EXIT_OK


def _db_build(args: argparse.Namespace) -> int:
    from guideline_db import build

    return build.main(["--output", str(args.output)] if args.output else [])


def _add_schema(sub) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of the case format")
    p.set_defaults(handler=_schema)


def _schema(args: argparse.Namespace) -> int:
    from guideline_db.schema import case_json_schema

    print(json.dumps(case_json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="abc-mdt", description="Advanced breast cancer tumour-board assistant "
                                     "(中国晚期乳腺癌规范诊疗指南 2024). Without a command, opens the desktop app.")
    parser.add_argument("--version", action="version", version=f"abc-mdt {__version__}")
    parser.add_argument("--demo", action="store_true", help="open the desktop app with a demo case")
    from guideline_db.database import add_guideline_db_option

    add_guideline_db_option(parser)
    sub = parser.add_subparsers(dest="command")
    _add_evaluate(sub)
    _add_db(sub)
    _add_schema(sub)
    for register in _optional_commands():
        register(sub)
    return parser


def _optional_commands():
    """Subcommands contributed by the reports and case-store packages, when present."""
    registrars = []
    for module_name in ("reports.cli", "guideline_db.store.cli", "guideline_db.interop.fhir_cli"):
        try:
            module = __import__(module_name, fromlist=["register"])
        except ModuleNotFoundError:
            continue
        registrars.append(module.register)
    return registrars


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from desktop_app.main import run_gui

        return run_gui(["--demo"] if args.demo else [])
    from guideline_db.database import GuidelineIntegrityError

    try:
        return args.handler(args)
    except GuidelineIntegrityError as exc:
        print(f"abc-mdt: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
