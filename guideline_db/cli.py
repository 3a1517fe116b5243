"""`abc-mdt`: the one command-line entry point. With no arguments it opens the desktop app.

The CLI never imports Qt: the GUI is imported only when no subcommand is given, and the report and
signing commands import `reports` only when used, so `abc-mdt evaluate` starts fast.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2
EXIT_INTERRUPTED = 130   # Ctrl+C (128 + SIGINT), as shells do
OUTPUT_VERSION = 1       # "output_version" of the evaluation JSON (../shared/spec/evaluation-output.md)
EXIT_CODES = """exit codes:
  0  success
  1  internal error or a failed operation (the details are in the log file: abc-mdt --version shows where)
  2  usage error or invalid input (a bad option, a missing or invalid file; one line per problem on stderr)
  3  verify: every signature is intact but a signer is not trusted
  4  verify: something was altered or a signature is invalid
  130 interrupted (Ctrl+C)"""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Every option's help says its default (unless it already does, or there is none); the epilog (exit
    codes) keeps its line breaks."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if (action.option_strings and action.default not in (None, False, [], argparse.SUPPRESS)
                and "default" not in text):
            text += " (default: %(default)s)"
        return text


class _Parser(argparse.ArgumentParser):
    """Subcommand parsers get the same formatter (argparse does not pass it down), and an option added
    without help text at least lists its choices (so its default is shown too)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def add_argument(self, *args, **kwargs):
        if kwargs.get("help") is None and args and str(args[0]).startswith("-"):
            choices = kwargs.get("choices")
            kwargs["help"] = ("one of: " + ", ".join(map(str, choices))) if choices else "value"
        return super().add_argument(*args, **kwargs)


def _add_evaluate(sub) -> None:
    p = sub.add_parser("evaluate", help="evaluate a case file against the guideline", epilog=EXIT_CODES)
    p.add_argument("case", type=Path, help="case file (JSON, ../shared/spec/case-format.md), or - for stdin")
    p.add_argument("--format", choices=("json", "text"), default="json",
                   help=f"json: the evaluation object (output_version {OUTPUT_VERSION}); text: a readable summary")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of explanations and labels")
    p.add_argument("--why-not", metavar="TOKEN", default=None,
                   help="instead of the evaluation: every guideline row naming this agent or class (token, or its "
                        "Chinese/English name) and why it is or is not offered to this patient")
    p.set_defaults(handler=_evaluate)


def _evaluate(args: argparse.Namespace) -> int:
    from guideline_db.case_io import CaseFileError, load_case
    from guideline_db.database import with_verified
    from guideline_db.engine import evaluate
    from guideline_db.text_summary import render_text

    try:
        case = _read_case_argument(args.case, load_case)
    except CaseFileError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    evaluation = evaluate(case)
    if args.why_not is not None:
        return _why_not(case, evaluation, args)
    if args.format == "json":
        json.dump({"output_version": OUTPUT_VERSION, **with_verified(evaluation.to_dict(args.lang))}, sys.stdout,
                  ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(evaluation, args.lang, case))
    return EXIT_OK


def _read_case_argument(path: Path, load_case):
    """The case from `path`, or from stdin when it is `-`; the patient's name is kept out of the log."""
    from guideline_db.app_logging import register_secret

    if str(path) == "-":
        from guideline_db.case_io import parse_case_bytes

        case = parse_case_bytes(sys.stdin.buffer.read())
    else:
        case = load_case(path)
    patient = getattr(case, "patient", None)
    for identifier in ("name", "hospital_id"):
        register_secret(getattr(patient, identifier, None))
    return case


def _why_not(case, evaluation, args: argparse.Namespace) -> int:
    from guideline_db.engine import resolve_token, why_not
    from guideline_db.vocabulary import load_vocabulary

    token = resolve_token(args.why_not)
    if token is None:
        shown = args.why_not[:80]
        print(f"--why-not: {shown!r} is not a drug or drug-class token or name (e.g. t_dxd, cdk4_6_inhibitor, "
              "依维莫司)", file=sys.stderr)
        return EXIT_INVALID
    rows = why_not(case, token, evaluation=evaluation)
    if args.format == "json":
        json.dump({"output_version": OUTPUT_VERSION, "case_id": case.case_id, "token": token,
                   "rows": [r.to_dict() for r in rows]}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    name = load_vocabulary().name(token, args.lang)
    if args.lang == "zh":
        sys.stdout.write(f"为什么未推荐“{name}”？指南中含此药物/类别的方案共{len(rows)}行：\n")
    else:
        sys.stdout.write(f"Why isn't {name} offered? {len(rows)} guideline row(s) name it:\n")
    for row in rows:
        label = row.label_zh if args.lang == "zh" else row.label_en
        population = row.population_zh if args.lang == "zh" else row.population_en
        table = (f"表{row.table} " if args.lang == "zh" else f"Table {row.table} ") if row.table else ""
        sys.stdout.write(f"- {label} — {table}{row.section} {population}\n    {row.answer(args.lang)}\n")
    if not rows:
        sys.stdout.write("（指南未列出含此药物的方案）\n" if args.lang == "zh" else "(the guideline lists no regimen with it)\n")
    return EXIT_OK


def _add_db(sub) -> None:
    p = sub.add_parser("db", help="the guideline database")
    db_sub = p.add_subparsers(dest="db_command", required=True)
    info = db_sub.add_parser("info", help="edition, build date, row counts and SHA-256")
    info.add_argument("--format", choices=("json", "text"), default="text", help="output format")
    info.set_defaults(handler=_db_info)
    build = db_sub.add_parser("build", help="build a guideline database from the TOML sources into a folder",
                              description="Builds guideline.sqlite and its .sha256 into DIR (never into the "
                              "installed program; use it with ABC_MDT_GUIDELINE_DB=DIR/guideline.sqlite). "
                              "The database shipped in a checkout is rebuilt with `make db`.")
    build.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write guideline.sqlite into")
    build.add_argument("--sources", type=Path, default=None, metavar="DIR",
                       help="folder of *.toml sources (default: the sources the program ships)")
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
    print(f"sha256:    {info['sha256']} "
          f"({'verified: the released database' if info['verified'] else 'NOT the released database'})")
    print("rows:")
    for table, count in info["row_counts"].items():
        print(f"  {table:32} {count:5}")
    return EXIT_OK


def _db_build(args: argparse.Namespace) -> int:
    import tomllib

    from guideline_db import build

    package_data = build.DEFAULT_OUTPUT.parent.resolve()
    out = args.out.expanduser().resolve()
    if out == package_data or package_data in out.parents:
        print(f"abc-mdt: --out {args.out} is inside the installed program ({package_data}); choose another "
              "folder (in a source checkout, `make db` rebuilds the shipped database)", file=sys.stderr)
        return EXIT_INVALID
    target = out / build.DEFAULT_OUTPUT.name
    try:
        digest = build.build(target, **({"sources_dir": args.sources} if args.sources else {}))
    except (build.SourceError, tomllib.TOMLDecodeError) as exc:
        print(f"abc-mdt: build failed: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:
        print(f"abc-mdt: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILURE
    print(f"built {target} sha256={digest}")
    return EXIT_OK


def _add_schema(sub) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of the case format")
    p.set_defaults(handler=_schema)


def _schema(args: argparse.Namespace) -> int:
    from guideline_db.schema import case_json_schema

    print(json.dumps(case_json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="abc-mdt", description="Advanced breast cancer tumour-board assistant "
                     "(中国晚期乳腺癌规范诊疗指南 2024). Without a command, opens the desktop app.", epilog=EXIT_CODES)
    parser.add_argument("--version", action=_VersionAction,
                        help="print the version, the guideline database (edition, SHA-256) and key libraries")
    parser.add_argument("--demo", action="store_true", help="open the desktop app with a demo case")
    from guideline_db.database import add_guideline_db_option

    add_guideline_db_option(parser)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    _add_evaluate(sub)
    _add_db(sub)
    _add_schema(sub)
    for register in _optional_commands():
        register(sub)
    return parser


GUI_OPTIONS_WITH_VALUE = ("--lang",)


def _is_gui_call(parser: argparse.ArgumentParser, argv: list[str]) -> bool:
    """True for the desktop app's own arguments (`--lang`, a case file), which are not subcommands."""
    commands = next((set(a.choices) for a in parser._actions if isinstance(a, argparse._SubParsersAction)), set())
    words, skip = [], False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in GUI_OPTIONS_WITH_VALUE:
            skip = True
            continue
        if arg.startswith("--lang="):
            continue
        words.append(arg)
    if any(w in ("-h", "--help", "--version") for w in words):
        return False
    positionals = [w for w in words if not w.startswith("-")]
    uses_lang = len(words) != len(argv)
    if positionals:
        return positionals[0] not in commands and positionals[0].endswith(".json")
    return uses_lang


class _VersionAction(argparse.Action):
    def __init__(self, option_strings, dest, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from guideline_db.about import version_text

        sys.stdout.write(version_text())
        parser.exit(EXIT_OK)


# Subcommands contributed by other packages, and the commands each adds: when one cannot be imported (an
# optional dependency missing), its commands still exist and say what is missing instead of vanishing.
OPTIONAL_COMMANDS = {"reports.cli": ("report", "sign", "verify", "identity", "trust"),
                     "guideline_db.store.cli": ("cases",), "guideline_db.interop.fhir_cli": ("fhir",),
                     "guideline_db.workflow.cli": ("meeting", "audit", "impact")}   # after the store: adds `cases due`


def _optional_commands():
    registrars = []
    for module_name, commands in OPTIONAL_COMMANDS.items():
        try:
            module = __import__(module_name, fromlist=["register"])
        except ImportError as exc:
            registrars.append(_unavailable(commands, exc))
            continue
        registrars.append(module.register)
    return registrars


def _unavailable(commands: tuple[str, ...], exc: ImportError):
    missing = getattr(exc, "name", None) or str(exc)

    def register(sub) -> None:
        for command in commands:
            if command in sub.choices:
                continue
            p = sub.add_parser(command, help=f"(unavailable: {missing} is not installed)", add_help=False)
            p.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
            p.set_defaults(handler=lambda _args, command=command: _missing(command, missing))
    return register


def _missing(command: str, missing: str) -> int:
    print(f"abc-mdt: '{command}' needs the Python package '{missing}', which is not installed; reinstall "
          "abc-mdt with its dependencies (docs/install.md)", file=sys.stderr)
    return EXIT_FAILURE


def _ignore_further_interrupts() -> None:
    """A second Ctrl+C while the first one is being reported must not end in a traceback either."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def main(argv: list[str] | None = None) -> int:
    """Exit codes: EXIT_CODES. Never a traceback: Ctrl+C, a closed stdin and internal errors each end with one
    line on stderr; an internal error's traceback goes to the log file (guideline_db/app_logging.py)."""
    import getpass
    import logging
    import warnings

    from guideline_db import app_logging, user_dirs

    # Without a terminal getpass warns that it cannot hide the answer, then reads stdin (or meets its end,
    # handled below); the warning itself is noise on a command line.
    warnings.simplefilter("ignore", getpass.GetPassWarning)
    argv = sys.argv[1:] if argv is None else argv
    try:
        parser = build_parser()
        if _is_gui_call(parser, argv):                 # abc-mdt [--lang zh|en] [--demo] [CASE.json]
            app_logging.setup_logging("gui")
            app_logging.install_excepthook()
            from desktop_app.main import run_gui

            return run_gui(list(argv))
        args = parser.parse_args(argv)
        app_logging.setup_logging("gui" if args.command is None else "cli")
        app_logging.install_excepthook()
        if args.command is None:
            from desktop_app.main import run_gui

            return run_gui(["--demo"] if args.demo else [])
        from guideline_db.database import GuidelineIntegrityError

        logging.getLogger("abc_mdt").info("command: %s", " ".join(
            part for part in (args.command, *(getattr(args, f"{args.command}_command", None) or "",)) if part))
        try:
            return args.handler(args)
        except GuidelineIntegrityError as exc:
            print(f"abc-mdt: {exc}", file=sys.stderr)
            return EXIT_FAILURE
        except BrokenPipeError:
            return EXIT_OK
        finally:
            for problem in user_dirs.settings_problems(clear=True):
                print(f"abc-mdt: warning: {problem}", file=sys.stderr)
    except KeyboardInterrupt:
        _ignore_further_interrupts()
        print("\nabc-mdt: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except EOFError:
        print("abc-mdt: input ended before a required answer (stdin is closed or not a terminal; "
              "see --help for the option that takes it from a file)", file=sys.stderr)
        return EXIT_INVALID
    except ImportError as exc:
        if not (exc.name or "").split(".")[0] or exc.name.split(".")[0] in ("guideline_db", "reports", "desktop_app"):
            raise
        logging.getLogger("abc_mdt").error("missing dependency", exc_info=True)
        command = next((a for a in argv if not a.startswith("-")), "abc-mdt")
        return _missing(command, exc.name.split(".")[0])
    except Exception as exc:  # noqa: BLE001 - the last line of defence: log it, say where, no traceback
        logging.getLogger("abc_mdt").critical("internal error", exc_info=True)
        print(f"abc-mdt: {app_logging.internal_error_text(exc)}", file=sys.stderr)
        return EXIT_FAILURE


def run() -> int:
    """The process entry point: main(), and 130 if Ctrl+C arrives outside it (start-up, shutdown).

    After an interrupt the process ends with os._exit(130) once the log and streams are flushed: CPython
    otherwise re-raises SIGINT at shutdown when the interrupt was taken while reading stdin (exit -2)."""
    try:
        code = main()
    except KeyboardInterrupt:
        _ignore_further_interrupts()
        print("\nabc-mdt: interrupted", file=sys.stderr)
        code = EXIT_INTERRUPTED
    if code == EXIT_INTERRUPTED:
        import logging
        import os

        logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(EXIT_INTERRUPTED)
    return code


if __name__ == "__main__":
    sys.exit(run())
