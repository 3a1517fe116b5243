"""Reading the case store for the workflow views, through its public API only.

Why here: every view walks the latest version of every stored case; a case that no longer validates (a
vocabulary change) is skipped and counted, never a crash of the whole list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from guideline_db.case_model import Case
from guideline_db.store import CaseStore, CaseSummary, StoreError, VersionInfo


@dataclass(frozen=True)
class StoredCase:
    summary: CaseSummary
    case: Case
    version: VersionInfo


def patient_label(case: Case) -> str:
    """Name and hospital ID as stored, for the workflow lists ("" when neither is recorded)."""
    return " ".join(part for part in (case.patient.name, case.patient.hospital_id) if part)


def stored_cases(store: CaseStore, skipped: list[str] | None = None,
                 progress: Callable[[int, int], None] | None = None) -> Iterator[StoredCase]:
    """The latest version of every stored case, oldest case ID first; unreadable ones go to `skipped`."""
    summaries = sorted(store.list_cases(limit=None), key=lambda s: s.case_id)
    for n, summary in enumerate(summaries, start=1):
        try:
            case, version = store.load(summary.case_id)
        except StoreError:
            if skipped is not None:
                skipped.append(summary.case_id)
            continue
        if progress is not None:
            progress(n, len(summaries))
        yield StoredCase(summary, case, version)
