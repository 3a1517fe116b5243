"""The follow-up worklist: patients whose next assessment is due, decisions not yet carried out, and
signed summaries still waiting for the chair's signature.

What "carried out" means, with no field for it in the case format: a decision is carried out once a later
version of the case records a therapy started on or after the meeting date that contains one of the decided
systemic agents (the board's record of what was given). A decision with local treatment only is not
tracked. What "signed without the chair" means: the current content of the case has signature records
(`CaseStore.mark_signed`, one version per signature with its meaning) and none of them means approval by
the chair. Both are derived from the store's versions; nothing extra is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from guideline_db.case_model import Case
from guideline_db.store import CaseStore, VersionInfo
from guideline_db.vocabulary import load_vocabulary
from guideline_db.workflow.stored import patient_label, stored_cases
from guideline_db.workflow.text import comma, name

NEAR_DAYS = 14                              # "near": due within two weeks of the reference date
APPROVAL_MEANINGS = frozenset({"chair"})    # the signature meaning that approves (reports/labels.py)
KINDS = ("assessment_overdue", "assessment_near", "not_carried_out", "chair_signature_missing")
KIND_NAMES = {"assessment_overdue": ("复查已逾期", "assessment overdue"),
              "assessment_near": ("即将复查", "assessment due soon"),
              "not_carried_out": ("决定尚未执行", "decision not yet carried out"),
              "chair_signature_missing": ("缺主席签名", "chair signature missing")}


@dataclass(frozen=True)
class DueReason:
    kind: str           # one of KINDS
    text: str           # in the reader's language
    day: date | None    # the date it is about (assessment date, meeting date)


@dataclass(frozen=True)
class DueItem:
    case_id: str
    patient: str
    meeting_date: date | None
    next_assessment: date | None
    reasons: tuple[DueReason, ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(r.kind for r in self.reasons)

    def summary(self) -> str:
        return f"{self.case_id}: " + "; ".join(r.text for r in self.reasons)


def carried_out(case: Case) -> bool | None:
    """True when the case records a therapy, started on or after the meeting, with a decided agent; None when
    there is no systemic decision to carry out."""
    decision = case.mdt.decision if case.mdt else None
    if decision is None or not decision.systemic or case.mdt is None or case.mdt.meeting_date is None:
        return None
    decided = set(decision.systemic)
    return any(t.start >= case.mdt.meeting_date and decided & set(t.agents) for t in case.therapies)


def chair_missing(versions: list[VersionInfo]) -> bool:
    """Signature records exist for the current content, and none is the chair's."""
    current = versions[-1].sha256
    signed = [v for v in versions if v.status == "signed" and v.sha256 == current]
    return bool(signed) and not any(v.note in APPROVAL_MEANINGS for v in signed)


def _reasons(case: Case, versions: list[VersionInfo], today: date, before: date, lang: str) -> list[DueReason]:
    def say(kind: str, detail: str, day: date | None) -> DueReason:
        zh, en = KIND_NAMES[kind]
        return DueReason(kind, f"{zh if lang == 'zh' else en}{'：' if lang == 'zh' else ': '}{detail}", day)

    out = []
    decision = case.mdt.decision if case.mdt else None
    meeting = case.mdt.meeting_date if case.mdt else None
    if decision and decision.next_assessment_date and decision.next_assessment_date <= before:
        day = decision.next_assessment_date
        late = (today - day).days
        if day < today:
            out.append(say("assessment_overdue", f"{day}（逾期{late}天）" if lang == "zh" else f"{day} ({late} days ago)", day))
        else:
            out.append(say("assessment_near", str(day), day))
    if meeting is not None and meeting <= today and carried_out(case) is False:
        agents = comma(lang).join(load_vocabulary().name(a, lang) for a in decision.systemic)  # type: ignore[union-attr]
        out.append(say("not_carried_out", (f"{meeting}会议决定{agents}，之后未记录该治疗" if lang == "zh"
                                           else f"{agents} decided at the meeting of {meeting}; no such therapy recorded since"),
                       meeting))
    if chair_missing(versions):
        signed = [v for v in versions if v.status == "signed"][-1]
        meaning = name(signed.note, lang)
        out.append(say("chair_signature_missing", (f"第{signed.signs_version}版已签名（{meaning}），待主席签名"
                                                   if lang == "zh" else
                                                   f"version {signed.signs_version} signed ({meaning}); the chair "
                                                   "has not signed"), None))
    return out


def due_items(store: CaseStore, before: date | None = None, lang: str = "zh", today: date | None = None,
              kinds: tuple[str, ...] = KINDS) -> list[DueItem]:
    """The worklist on `today` (default: the system date): assessments due before `before` (default: today +
    NEAR_DAYS), decisions not carried out, signatures missing; soonest assessment first."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    today = today or date.today()
    before = before or today + timedelta(days=NEAR_DAYS)
    items = []
    for stored in stored_cases(store):
        case = stored.case
        versions = store.versions(case.case_id) if stored.version.status == "signed" or stored.version.version > 1 \
            else [stored.version]
        reasons = [r for r in _reasons(case, versions, today, before, lang) if r.kind in kinds]
        if reasons:
            decision = case.mdt.decision if case.mdt else None
            items.append(DueItem(case.case_id, patient_label(case), case.mdt.meeting_date if case.mdt else None,
                                 decision.next_assessment_date if decision else None, tuple(reasons)))
    return sorted(items, key=lambda i: (i.next_assessment or date.max, i.case_id))
