"""A plain-Python process that saves case versions and autosaves a draft in a loop (no Qt).

Used by the crash test (killed with SIGKILL at a random moment) and the two-process test. After each
commit it prints one line and flushes, so the parent knows exactly what was committed:

    version CASE_ID VERSION SHA256
    draft KEY INDEX

Usage: writer.py STORE PREFIX COUNT [--shared] [--timeout SECONDS]   (COUNT -1: until killed)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from guideline_db.store import CaseStore  # noqa: E402
from store_helpers import make_case  # noqa: E402


def draft_text(prefix: str, index: int) -> str:
    """Deliberately invalid JSON: a draft is kept exactly as typed."""
    return f'{{"case_id": "{prefix}", "draft": {index}, "unfinished": '


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path)
    parser.add_argument("prefix")
    parser.add_argument("count", type=int)
    parser.add_argument("--shared", action="store_true", help="also write to case IDs shared with other writers")
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    store = CaseStore.open(args.store, mounts_file=None, user=args.prefix, timeout=args.timeout)
    index = 0
    while args.count < 0 or index < args.count:
        case_id = f"shared-{index % 3}" if args.shared and index % 2 else f"{args.prefix}-{index % 4}"
        case = make_case(case_id, name=f"Writer {args.prefix} {index}", hospital_id=f"H{index:05d}")
        info = store.save_version(case, author=args.prefix)
        print(f"version {info.case_id} {info.version} {info.sha256}", flush=True)
        store.autosave_draft(f"draft-{args.prefix}", draft_text(args.prefix, index))
        print(f"draft draft-{args.prefix} {index}", flush=True)
        index += 1
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
