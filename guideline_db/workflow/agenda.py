"""The meeting agenda: the stored cases of one MDT meeting (mdt.meeting_date), each with the one-line
question the board is asked — subtype, line, what is to be decided, what data is missing — taken from the
case's own evaluation and written in the reader's language.

The GUI's meeting view and present mode call `agenda_items(store, day, lang)` and render the items; the
CLI prints them or writes the PDF (reports/workflow_pdf.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from guideline_db.case_model import Case
from guideline_db.database import GuidelineDatabase
from guideline_db.engine import Evaluation, evaluate
from guideline_db.store import CaseStore
from guideline_db.workflow.stored import patient_label, stored_cases
from guideline_db.workflow.text import comma, field_name, line_name, name, sep


@dataclass(frozen=True)
class AgendaItem:
    case_id: str
    version: int
    patient: str                 # name and hospital ID as stored ("" when neither is recorded)
    subtype: str                 # in the reader's language
    line: int
    to_decide: tuple[str, ...]   # what the board is asked to decide
    missing: tuple[str, ...]     # data the guideline needs that the case lacks
    decided: bool                # a decision is already recorded for this meeting
    question: str                # the one line: subtype, line, what is to be decided, what is missing

    def summary(self) -> str:
        return f"{self.case_id}: {self.question}"


def agenda_item(case: Case, version: int, evaluation: Evaluation, lang: str) -> AgendaItem:
    """The agenda line of one case (also for a case not yet stored: version 0)."""
    subtype = name(str(evaluation.value("subtype")), lang)
    line = int(evaluation.value("advanced_line"))
    decide = [f"选择{line_name(line, lang)}系统治疗方案" if lang == "zh"
              else f"choose the {line_name(line, lang)} systemic therapy"]
    if evaluation.value("visceral_crisis"):
        decide[0] += "（内脏危象）" if lang == "zh" else " (visceral crisis)"
    if not evaluation.systemic:
        decide[0] = ("指南方案均不适用：确定治疗" if lang == "zh"
                     else "no guideline option applies: decide the treatment")
    sites = list(dict.fromkeys(name(item.site, lang) for item in evaluation.local))
    if sites:
        decide.append(("局部治疗：" if lang == "zh" else "local treatment: ") + comma(lang).join(sites))
    missing = tuple(dict.fromkeys(field_name(a.key, lang) for a in evaluation.missing_data))
    head = f"{subtype}，{line_name(line, lang)}" if lang == "zh" else f"{subtype}, {line_name(line, lang)}"
    parts = [head + ("：" if lang == "zh" else ": ") + sep(lang).join(decide)]
    if missing:
        parts.append(("缺少：" if lang == "zh" else "missing: ") + comma(lang).join(missing))
    decided = bool(case.mdt and case.mdt.decision and (case.mdt.decision.systemic or case.mdt.decision.chosen_options
                                                       or case.mdt.decision.local))
    return AgendaItem(case.case_id, version, patient_label(case), subtype, line, tuple(decide), missing, decided,
                      sep(lang).join(parts))


def meeting_cases(store: CaseStore, day: date) -> list[tuple[Case, int]]:
    """The latest version of every stored case whose mdt.meeting_date is `day`, by case ID."""
    return [(s.case, s.version.version) for s in stored_cases(store)
            if s.case.mdt is not None and s.case.mdt.meeting_date == day]


def agenda_items(store: CaseStore, day: date, lang: str = "zh",
                 db: GuidelineDatabase | None = None) -> list[AgendaItem]:
    """The agenda of the meeting on `day`, one item per case, ordered by case ID."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return [agenda_item(case, version, evaluate(case, db), lang) for case, version in meeting_cases(store, day)]


def meeting_dates(store: CaseStore) -> list[tuple[date, int]]:
    """Every meeting date in the store with its number of cases, newest first (the GUI's meeting picker)."""
    counts: dict[date, int] = {}
    for s in stored_cases(store):
        if s.case.mdt is not None and s.case.mdt.meeting_date is not None:
            counts[s.case.mdt.meeting_date] = counts.get(s.case.mdt.meeting_date, 0) + 1
    return sorted(counts.items(), reverse=True)
