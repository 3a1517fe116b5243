"""The concordance audit: the share of MDT decisions that follow the guideline, by subtype, line, tier chosen
and quarter, and the deviations by coded reason — the measure the MDT literature reports.

Which decisions count: the latest version of every stored case whose meeting date (mdt.meeting_date) lies in
the period and whose decision says whether it follows the guideline (mdt.decision.follows_guideline);
cases with a meeting but no such statement are counted as undocumented. The subtype is the store's (the
engine's, computed when the version was saved), the line is the engine's rule for the current line (one after
the highest advanced line recorded, 五（二）; tests compare it with the evaluation), the tier is the strongest tier among the chosen guideline rows (mdt.decision.chosen_options). No
full evaluation per case: 10,000 decisions are audited in seconds.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from guideline_db.case_model import Case
from guideline_db.database import GuidelineDatabase, open_guideline
from guideline_db.store import CaseStore
from guideline_db.workflow.stored import stored_cases
from guideline_db.workflow.text import DEVIATION_CODES, TIERS, line_name, name

SUBTYPES = ("hr_pos_her2_neg", "hr_pos_her2_pos", "hr_neg_her2_pos", "triple_negative", "unknown")
DIMENSIONS = ("subtype", "line", "tier", "quarter")
DIMENSION_NAMES = {"subtype": ("分子分型", "subtype"), "line": ("治疗线", "line"), "tier": ("所选方案等级", "tier chosen"),
                   "quarter": ("季度", "quarter"), "deviation": ("偏离原因", "deviation reason")}
MAX_LINE_GROUP = 4   # lines 4 and later are one group


@dataclass(frozen=True)
class AuditedDecision:
    case_id: str
    meeting_date: date
    subtype: str
    line: int
    tier: str               # preferred | recommended | optional | no_option
    follows: bool
    reason_code: str | None  # deviation_reason_code, "uncoded" for a deviation without one


@dataclass(frozen=True)
class Group:
    dimension: str
    key: str
    decisions: int
    followed: int

    @property
    def share(self) -> float | None:
        return self.followed / self.decisions if self.decisions else None

    def label(self, lang: str) -> str:
        if self.dimension == "line":
            line = int(self.key)
            text = line_name(line, lang)
            return text + ("及以上" if lang == "zh" else "+") if line >= MAX_LINE_GROUP else text
        if self.dimension == "quarter":
            return self.key
        return name(self.key, lang)


@dataclass(frozen=True)
class Concordance:
    start: date
    end: date
    decisions: tuple[AuditedDecision, ...]
    undocumented: int                 # meetings in the period without follows_guideline recorded
    guideline: dict[str, str] = field(default_factory=dict)
    skipped: tuple[str, ...] = ()     # stored cases that could not be read

    @property
    def followed(self) -> int:
        return sum(d.follows for d in self.decisions)

    @property
    def share(self) -> float | None:
        return self.followed / len(self.decisions) if self.decisions else None

    def groups(self, dimension: str) -> list[Group]:
        keys = {"subtype": SUBTYPES, "tier": (*TIERS, "no_option")}.get(dimension)
        counts: dict[str, list[int]] = {}
        for d in self.decisions:
            key = _key(d, dimension)
            entry = counts.setdefault(key, [0, 0])
            entry[0] += 1
            entry[1] += d.follows
        order = list(keys) if keys else sorted(counts, key=lambda k: (len(k), k))
        return [Group(dimension, k, *counts[k]) for k in order if k in counts]

    def deviations(self) -> list[tuple[str, int]]:
        """(reason code, count) for every coded reason (zeros included, so the chart always has all seven),
        then the deviations recorded without a code."""
        found = [d.reason_code for d in self.decisions if not d.follows]
        rows = [(code, found.count(code)) for code in DEVIATION_CODES]
        if "uncoded" in found:
            rows.append(("uncoded", found.count("uncoded")))
        return rows

    def summary(self, lang: str = "en") -> str:
        share = "—" if self.share is None else f"{self.share:.0%}"
        if lang == "zh":
            return (f"{self.start}至{self.end}：{len(self.decisions)}项决定，{self.followed}项遵循指南（{share}），"
                    f"{self.undocumented}项未记录是否遵循")
        return (f"{self.start} to {self.end}: {len(self.decisions)} decisions, {self.followed} follow the guideline "
                f"({share}); {self.undocumented} without a record of whether they do")

    def csv_text(self, lang: str = "zh") -> str:
        """The figures as CSV (the caller writes it UTF-8 with BOM, for spreadsheet programs)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        zh = lang == "zh"
        writer.writerow(["维度", "分组", "决定数", "遵循指南数", "遵循比例"] if zh else
                        ["dimension", "group", "decisions", "following the guideline", "share"])
        total = ("合计", "全部") if zh else ("total", "all")
        writer.writerow([*total, len(self.decisions), self.followed, _pct(self.share)])
        for dimension in DIMENSIONS:
            for g in self.groups(dimension):
                writer.writerow([name_of_dimension(dimension, lang), g.label(lang), g.decisions, g.followed,
                                 _pct(g.share)])
        deviations = sum(n for _, n in self.deviations())
        for code, n in self.deviations():
            writer.writerow([name_of_dimension("deviation", lang), name(code, lang), n, "",
                             _pct(n / deviations if deviations else None)])
        return out.getvalue()


def name_of_dimension(dimension: str, lang: str) -> str:
    zh, en = DIMENSION_NAMES[dimension]
    return zh if lang == "zh" else en


def _pct(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.1f}%"


def _key(d: AuditedDecision, dimension: str) -> str:
    if dimension == "subtype":
        return d.subtype if d.subtype in SUBTYPES else "unknown"
    if dimension == "line":
        return str(min(d.line, MAX_LINE_GROUP))
    if dimension == "tier":
        return d.tier
    return f"{d.meeting_date.year}-Q{(d.meeting_date.month - 1) // 3 + 1}"


def decision_line(case: Case) -> int:
    """The advanced line the decision is for, as the engine derives it (therapy_history: highest recorded
    advanced line + 1, first line without one) — without evaluating the whole case."""
    return 1 + max((t.line for t in case.therapies if t.setting == "advanced" and t.line), default=0)


def concordance(store: CaseStore, start: date, end: date, db: GuidelineDatabase | None = None) -> Concordance:
    """The audit of the decisions of meetings from `start` to `end` (both included)."""
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    db = db or open_guideline()
    tiers = {row["id"]: row["tier"] for row in db.rows("regimen_options")}
    rank = {tier: i for i, tier in enumerate(TIERS)}
    decisions, undocumented, skipped = [], 0, []
    for stored in stored_cases(store, skipped):
        case = stored.case
        meeting = case.mdt.meeting_date if case.mdt else None
        if meeting is None or not start <= meeting <= end:
            continue
        decision = case.mdt.decision if case.mdt else None
        if decision is None or decision.follows_guideline is None:
            undocumented += 1
            continue
        chosen = sorted((tiers[i] for i in decision.chosen_options if i in tiers), key=lambda t: rank.get(t, 9))
        line = decision_line(case)
        code = None if decision.follows_guideline else (decision.deviation_reason_code or "uncoded")
        decisions.append(AuditedDecision(case.case_id, meeting, stored.summary.subtype, int(line),
                                         chosen[0] if chosen else "no_option", decision.follows_guideline, code))
    return Concordance(start, end, tuple(decisions), undocumented,
                       {"edition": db.edition, "title": db.title, "db_sha256": db.sha256}, tuple(skipped))
