"""`abc-mdt meeting agenda`, `abc-mdt cases due`, `abc-mdt audit concordance`, `abc-mdt impact` (issue 17).

Registered by guideline_db.cli after the store's `cases` command, to which `due` is added. Each reads the
store read-only; PDFs come from reports/workflow_pdf.py (imported only when --out is given).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date written as YYYY-MM-DD: {text!r}") from None


def _store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", type=Path, default=None,
                        help="the store file (default: $ABC_MDT_DATA_DIR/cases.sqlite or $XDG_DATA_HOME/abc-mdt/cases.sqlite)")


def _lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of everything written")


def register(sub) -> None:
    meeting = sub.add_parser("meeting", help="MDT meetings: the agenda of a meeting date")
    meeting_sub = meeting.add_subparsers(dest="meeting_command", required=True)
    agenda = meeting_sub.add_parser("agenda", help="the stored cases of a meeting, one question each")
    agenda.add_argument("--date", type=_day, required=True, metavar="YYYY-MM-DD", help="the meeting date")
    agenda.add_argument("--out", type=Path, default=None, metavar="A.pdf", help="write the agenda as PDF")
    agenda.add_argument("--format", choices=("text", "json"), default="text", help="what is printed on stdout")
    _lang_option(agenda)
    _store_option(agenda)
    agenda.set_defaults(handler=_agenda)

    audit = sub.add_parser("audit", help="quality audits of the board's decisions")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    conc = audit_sub.add_parser("concordance", help="share of decisions following the guideline; deviation reasons")
    conc.add_argument("--from", dest="start", type=_day, required=True, metavar="YYYY-MM-DD",
                      help="first meeting date counted")
    conc.add_argument("--to", dest="end", type=_day, required=True, metavar="YYYY-MM-DD", help="last meeting date counted")
    conc.add_argument("--out", type=Path, default=None, metavar="R.pdf", help="write the audit with its charts as PDF")
    conc.add_argument("--csv", type=Path, default=None, metavar="R.csv", help="write the figures as CSV (UTF-8 with BOM)")
    _lang_option(conc)
    _store_option(conc)
    conc.set_defaults(handler=_concordance)

    impact = sub.add_parser("impact", help="which patients' options would change under another guideline edition")
    impact.add_argument("--guideline-db", dest="other_db", type=Path, required=True, metavar="NEW.sqlite",
                        help="the other built guideline database (its .sha256 beside it must match)")
    impact.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    impact.add_argument("--out", type=Path, default=None, metavar="R.pdf", help="also write the impact report as PDF")
    impact.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="processes that re-evaluate the cases")
    _lang_option(impact)
    _store_option(impact)
    impact.set_defaults(handler=_impact)

    cases = sub.choices.get("cases")
    actions = [a for a in getattr(cases, "_actions", []) if isinstance(a, argparse._SubParsersAction)]
    if actions:      # the store's `cases` command is there: add `due` to it
        due = actions[0].add_parser("due", help="follow-up worklist: assessments due, decisions not carried out, "
                                                "signed summaries without the chair's signature")
        due.add_argument("--before", type=_day, default=None, metavar="YYYY-MM-DD",
                         help="list assessments due before this date (default: today + 14 days)")
        due.add_argument("--today", type=_day, default=None, metavar="YYYY-MM-DD", help="the reference date (default: today)")
        due.add_argument("--format", choices=("text", "json"), default="text", help="output format")
        _lang_option(due)
        _store_option(due)
        due.set_defaults(handler=_due)


def _open_store(args: argparse.Namespace):
    """The store read-only: --store, else the configured one (the hospital's server or the local file)."""
    from guideline_db.store import CaseStore

    return CaseStore.open(args.store, read_only=True)


def _from_store(args: argparse.Namespace, compute):
    """`compute(store)` on the store opened read-only: (result, None), or (None, exit code) after one line."""
    from guideline_db.store import StoreError

    try:
        with _open_store(args) as store:
            return compute(store), None
    except StoreError as exc:
        return None, _fail(str(exc))


def _fail(message: str) -> int:
    print(f"abc-mdt: {message}", file=sys.stderr)
    return EXIT_FAILURE


def _guideline_info() -> dict[str, str]:
    from guideline_db.database import open_guideline

    db = open_guideline()
    return {"edition": db.edition, "title": db.title, "db_sha256": db.sha256}


def _write(path: Path, data: bytes) -> str | None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        return f"cannot write {path}: {exc.strerror or exc}"
    return None


def _agenda(args: argparse.Namespace) -> int:
    from guideline_db.workflow.agenda import agenda_items

    items, failed = _from_store(args, lambda store: agenda_items(store, args.date, args.lang))
    if failed is not None:
        return failed
    if args.out is not None:
        from reports.workflow_pdf import build_agenda_pdf

        problem = _write(args.out, build_agenda_pdf(items, args.date, args.lang, _guideline_info()))
        if problem:
            return _fail(problem)
    if args.format == "json":
        print(json.dumps({"meeting_date": str(args.date), "items": [
            {"case_id": i.case_id, "version": i.version, "patient": i.patient, "subtype": i.subtype, "line": i.line,
             "to_decide": list(i.to_decide), "missing": list(i.missing), "decided": i.decided, "question": i.question}
            for i in items]}, ensure_ascii=False, indent=2))
    else:
        for n, item in enumerate(items, start=1):
            print(f"{n:3}. {item.case_id} {item.patient}".rstrip() + f"\n     {item.question}")
        print(f"{len(items)} 例" if args.lang == "zh" else f"{len(items)} cases")
    return EXIT_OK


def _due(args: argparse.Namespace) -> int:
    from guideline_db.workflow.due import due_items

    items, failed = _from_store(args, lambda store: due_items(store, args.before, args.lang, args.today))
    if failed is not None:
        return failed
    if args.format == "json":
        print(json.dumps([{"case_id": i.case_id, "patient": i.patient,
                           "meeting_date": str(i.meeting_date) if i.meeting_date else None,
                           "next_assessment": str(i.next_assessment) if i.next_assessment else None,
                           "reasons": [{"kind": r.kind, "text": r.text} for r in i.reasons]} for i in items],
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    for item in items:
        print(f"{item.case_id} {item.patient}".rstrip())
        for reason in item.reasons:
            print(f"    {reason.text}")
    print(f"{len(items)} 例待处理" if args.lang == "zh" else f"{len(items)} patients to follow up")
    return EXIT_OK


def _concordance(args: argparse.Namespace) -> int:
    from guideline_db.workflow.concordance import concordance

    if args.end < args.start:
        print(f"abc-mdt: --to {args.end} is before --from {args.start}", file=sys.stderr)
        return EXIT_INVALID
    report, failed = _from_store(args, lambda store: concordance(store, args.start, args.end))
    if failed is not None:
        return failed
    if args.csv is not None:
        problem = _write(args.csv, report.csv_text(args.lang).encode("utf-8-sig"))
        if problem:
            return _fail(problem)
    if args.out is not None:
        from reports.workflow_pdf import build_concordance_pdf

        problem = _write(args.out, build_concordance_pdf(report, args.lang))
        if problem:
            return _fail(problem)
    print(report.summary(args.lang))
    return EXIT_OK


def _impact(args: argparse.Namespace) -> int:
    from guideline_db.database import GuidelineIntegrityError
    from guideline_db.workflow.impact import changed_kinds, edition_impact, open_other_edition

    try:
        other = open_other_edition(args.other_db)
    except GuidelineIntegrityError as exc:
        print(f"abc-mdt: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except (OSError, ValueError) as exc:      # a name too long, a path the file system cannot take
        print(f"abc-mdt: --guideline-db {str(args.other_db)[:200]!r}: {getattr(exc, 'strerror', None) or exc}",
              file=sys.stderr)
        return EXIT_INVALID
    if args.jobs < 1:
        print("abc-mdt: --jobs must be at least 1", file=sys.stderr)
        return EXIT_INVALID
    report, failed = _from_store(args, lambda store: edition_impact(store, other, workers=args.jobs))
    if failed is not None:
        return failed
    if args.out is not None:
        from reports.workflow_pdf import build_impact_pdf

        problem = _write(args.out, build_impact_pdf(report, args.lang))
        if problem:
            return _fail(problem)
    if args.format == "json":
        def edition(e) -> dict:
            return {"edition": e.edition, "title": e.title, "sha256": e.sha256, "path": e.path, "released": e.released}

        print(json.dumps({"current": edition(report.current), "other": edition(report.other),
                          "cases_checked": report.cases_checked, "changed_kinds": changed_kinds(report),
                          "patients": [{"case_id": i.case_id, "patient": i.patient,
                                        "changes": [{"kind": c.kind, "text": c.describe(args.lang), "old": c.old,
                                                     "new": c.new} for c in i.changes]} for i in report.items]},
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    print(report.summary(args.lang))
    for item in report.items:
        print(f"{item.case_id} {item.patient}".rstrip())
        for change in item.changes:
            print(f"    {change.describe(args.lang)}")
    return EXIT_OK
