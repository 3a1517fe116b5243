"""Present mode's one write: the board's decision on the case on the screen, saved as a new version.

Why a core function: the GUI's present mode steps through the agenda and records each decision in turn; the
decision must pass the same validation as any case (a deviation needs its reason, chosen options must be
guideline rows) and must not overwrite an edit made meanwhile on another machine, so the version the board
looked at is given and checked.
"""

from __future__ import annotations

from typing import Any

from guideline_db.case_io import parse_case
from guideline_db.case_model import Decision
from guideline_db.store import CaseStore, VersionConflictError, VersionInfo


def record_decision(store: CaseStore, case_id: str, decision: Decision | dict[str, Any], author: str,
                    seen_version: int) -> VersionInfo:
    """Save `decision` as mdt.decision of the latest version of `case_id` (status 'decided').

    Raises VersionConflictError when the case changed after `seen_version`, CaseFileError when the decision
    makes the case invalid (each problem with its field path), and the store's errors as usual.
    """
    case, latest = store.load(case_id)
    if latest.version != seen_version:
        raise VersionConflictError(f"case {case_id} changed after version {seen_version} (latest is version "
                                   f"{latest.version}, changed: {', '.join(latest.changed_fields) or '-'}); nothing was saved")
    data = case.model_dump(mode="json", exclude_none=True)
    mdt = data.setdefault("mdt", {})
    mdt["decision"] = (decision.model_dump(mode="json", exclude_none=True) if isinstance(decision, Decision)
                       else dict(decision))
    return store.save_version(parse_case(data), author=author, status="decided")
