"""The digest: what a reader sees of one evaluation, in their language, in order — one for every view.

Why: the review step, the live panel, the status bar, the signed PDF and `evaluate --format text` used to
assemble their own copies, and the copies disagreed. `digest(evaluation, case, lang)` returns frozen,
ordered sections of ready-to-show lines (names from the one name table, section references and tiers
in the reader's language, the board's chosen options marked from `mdt.decision.chosen_options`), and
every view renders it; what a view leaves out is a named choice (`SectionKey`), never an accident.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from guideline_db.case_model import Case
from guideline_db.engine.model import Evaluation, Severity, SystemicOption, Tier, WithheldOption, tier_names
from guideline_db.vocabulary import Vocabulary, load_vocabulary

NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11}


class SectionKey(StrEnum):
    """The sections of a digest, in reading order."""
    FACTS = "facts"
    """Derived facts, each with the rule and the inputs behind it."""
    SYSTEMIC = "systemic"
    """Options by tier, with evidence, source, trials, approval meaning, notes and the board's marks."""
    WITHHELD = "withheld"
    """Options the guideline lists for this situation that this patient should not get now, with reasons."""
    LOCAL = "local"
    """Local-treatment items with their reasons."""
    WARNINGS = "warnings"
    """Warnings, gravest first, each with a marker that survives black-and-white print."""
    MISSING = "missing"
    """Data the decision needs, and what it would change."""
    SUPPORTIVE = "supportive"
    """Supportive care and adverse-event management (the dental examination before a bone agent …)."""
    ASSESSMENT = "assessment"
    """How and when to assess response."""
    PRINCIPLES = "principles"
    """Principle rows of Tables 3-17 that concern this case."""
    DECISION = "decision"
    """The board's decision as recorded."""


TITLES = {
    SectionKey.FACTS: ("推导结果", "Derived facts"), SectionKey.SYSTEMIC: ("全身治疗方案", "Systemic options"),
    SectionKey.WITHHELD: ("暂缓的方案", "Withheld options"), SectionKey.LOCAL: ("局部治疗", "Local treatment"),
    SectionKey.WARNINGS: ("警示", "Warnings"), SectionKey.MISSING: ("缺失数据", "Missing data"),
    SectionKey.SUPPORTIVE: ("支持治疗", "Supportive care"), SectionKey.ASSESSMENT: ("疗效评价", "Assessment plan"),
    SectionKey.PRINCIPLES: ("相关原则", "Principles that apply"), SectionKey.DECISION: ("MDT决定", "MDT decision"),
}
WORDS = {
    "zh": {"evidence": "证据", "source": "出处", "trials": "研究", "chosen": "✔ MDT选择", "untested": "待检测",
           "table": "表", "follows": "遵循指南", "deviates": "偏离指南", "reason": "理由", "next": "下次评估",
           "notes": "备注", "systemic": "全身治疗", "local": "局部治疗", "none": "（无）", "yes": "是", "no": "否"},
    "en": {"evidence": "evidence", "source": "source", "trials": "trials", "chosen": "✔ chosen by the board",
           "untested": "to test", "table": "Table", "follows": "follows the guideline", "deviates": "deviates from the guideline",
           "reason": "reason", "next": "next assessment", "notes": "notes", "systemic": "systemic", "local": "local",
           "none": "(none)", "yes": "yes", "no": "no"},
}
class _DeviationNames(Mapping[str, tuple[str, str]]):
    """`deviation_reason_code` → (zh, en), read from the one name table (vocabulary.toml [value_names])."""
    CODES = ("patient_preference", "performance_status_or_comorbidity", "drug_unavailable_or_not_reimbursed",
             "prior_toxicity", "clinical_trial", "guideline_silent", "other")

    def __getitem__(self, code: str) -> tuple[str, str]:
        if code not in self.CODES:
            raise KeyError(code)
        vocabulary = load_vocabulary()
        return vocabulary.name(code, "zh"), vocabulary.name(code, "en")

    def __iter__(self) -> Iterator[str]:
        return iter(self.CODES)

    def __len__(self) -> int:
        return len(self.CODES)


DEVIATION_CODES: Mapping[str, tuple[str, str]] = _DeviationNames()


@dataclass(frozen=True)
class Item:
    """One line a reader sees, with the detail lines under it and its basis (guideline source)."""
    text: str
    basis: str = ""
    details: tuple[str, ...] = ()
    marker: str = ""
    severity: Severity | None = None
    tier: Tier | None = None
    chosen: bool = False
    ref: str = ""              # the option id or fact name, for views that link (never shown)
    name: str = ""             # the named part alone (fact, option label, local site), for views that lay out
    value: str = ""            # the value alone (a fact's value, a local item's actions)


@dataclass(frozen=True)
class Section:
    key: SectionKey
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Digest:
    lang: str
    case_id: str
    title: str
    summary: str
    case_sha256: str
    sections: tuple[Section, ...] = field(default=())

    def section(self, key: SectionKey) -> Section:
        return next(s for s in self.sections if s.key == key)

    def lines(self, omit: frozenset[SectionKey] = frozenset()) -> list[str]:
        """Every line in reading order (for text views and tests)."""
        out = [self.title, self.summary]
        for section in self.sections:
            if section.key in omit:
                continue
            out.append(section.title)
            for item in section.items:
                out.append(" ".join(p for p in (item.marker, item.text, item.basis and f"[{item.basis}]") if p))
                out.extend(item.details)
        return out


def tier_name(tier: str, lang: str) -> str:
    """A tier's name from the guideline's `tiers` table (Table 2) in the reader's language (every view's one
    source for it)."""
    zh, en = tier_names().get(str(tier), (str(tier), str(tier)))
    return zh if lang == "zh" else en


def value_name(value: Any, lang: str, vocabulary: Vocabulary | None = None) -> str:
    """A derived fact's value as every view shows it: tokens named, booleans yes/no, unknown a dash."""
    if isinstance(value, bool):
        return WORDS[lang]["yes"] if value else WORDS[lang]["no"]
    if value is None:
        return "—"
    if isinstance(value, str):
        return (vocabulary or load_vocabulary()).name(value, lang)
    return str(value)


def deviation_reason_name(code: str, lang: str) -> str:
    """The name of a `deviation_reason_code` in the reader's language."""
    return load_vocabulary().name(code, lang)


def section_ref(section: str, table: str, lang: str) -> str:
    """A guideline reference in the reader's language: 表8 五（二）1 / Table 8, section 5.2.1."""
    if lang == "zh":
        return " ".join(p for p in ((f"表{table}" if table else ""), section if section not in ("", "—") else "") if p)
    parts = []
    match = re.fullmatch(r"(十一|十|[一二三四五六七八九])(?:（([一二三四五六七八九十])）)?(\d+)?", section or "")
    if match:
        parts.append("section " + ".".join(str(x) for x in (NUMERALS[match[1]], NUMERALS.get(match[2] or ""),
                                                            match[3]) if x))
    elif section and section != "—":
        parts.append(f"section {section}")
    if table:
        parts.insert(0, f"Table {table}")
    return ", ".join(parts)


class _Writer:
    def __init__(self, evaluation: Evaluation, case: Case | None, lang: str, vocabulary: Vocabulary) -> None:
        self.e, self.case, self.lang, self.v = evaluation, case, lang, vocabulary
        self.w = WORDS[lang]
        self.decided = case.mdt.decision if case is not None and case.mdt and case.mdt.decision else None
        self.chosen = set(self.decided.chosen_options) if self.decided else set()

    def name(self, token: str) -> str:
        return self.v.name(token, self.lang)

    def value(self, value: Any) -> str:
        return value_name(value, self.lang, self.v)

    def tier_name(self, tier: str) -> str:
        return tier_name(tier, self.lang)

    def facts(self) -> Section:
        items = []
        for key, fact in {**self.e.facts, **self.e.extra_facts}.items():
            items.append(Item(f"{self.name(key)}：{self.value(fact.value)}" if self.lang == "zh"
                              else f"{self.name(key)}: {self.value(fact.value)}",
                              section_ref(fact.section, "", self.lang), (f"    {fact.explanation(self.lang)}",), ref=key,
                              name=self.name(key), value=self.value(fact.value)))
        return Section(SectionKey.FACTS, self._title(SectionKey.FACTS), tuple(items))

    def option(self, option: SystemicOption, prefix: str = "") -> Item:
        t = self.w
        details = []
        ids = {option.id, *option.also_in}
        chosen = bool(ids & self.chosen)
        head = f"{prefix}{option.label(self.lang)}（{self.tier_name(option.tier)}，{t['evidence']} {option.evidence or '—'}）" \
            if self.lang == "zh" else \
            f"{prefix}{option.label(self.lang)} ({self.tier_name(option.tier)}, {t['evidence']} {option.evidence or '—'})"
        if option.unknown_biomarkers:
            details.append(f"    {t['untested']}: {', '.join(self.name(b) for b in option.unknown_biomarkers)}")
        for approval in option.approvals:
            meaning = approval.meaning_zh if self.lang == "zh" else approval.meaning_en
            details.append(f"    {'!' if approval.unapproved else '·'} {meaning}: "
                           f"{approval.text_zh if self.lang == 'zh' else approval.text_en}")
        condition = option.condition_zh if self.lang == "zh" else option.condition_en
        if condition:
            details.append(f"    {condition}")
        details += [f"    · {n.text(self.lang)} [{section_ref(n.section, '', self.lang)}]" for n in option.notes]
        if len(option.sources) > 1:
            details += [f"    = {self.tier_name(s.tier)} {s.evidence or '—'} [{section_ref(s.section, s.table, self.lang)}]"
                        for s in option.sources[1:]]
        if option.key_figures:
            details.append(f"    {t['trials']}: " + "; ".join(option.key_figures))
        row = option.row_zh if self.lang == "zh" else option.row_en
        basis = section_ref(option.section, option.table, self.lang) + (f" {row}" if row else "")
        return Item(head, basis, tuple(details), marker=t["chosen"] if chosen else "", tier=option.tier,
                    chosen=chosen, ref=option.id, name=option.label(self.lang), value=option.evidence or "—")

    def systemic(self) -> Section:
        return Section(SectionKey.SYSTEMIC, self._title(SectionKey.SYSTEMIC),
                       tuple(self.option(o) for o in self.e.systemic))

    def withheld(self) -> Section:
        items = []
        for w in self.e.withheld:
            item = self.option(w.option)
            reason = self._reason(w)
            items.append(Item(item.text, item.basis, (reason, *item.details[:1]), marker="⊘", tier=item.tier,
                              chosen=item.chosen, ref=item.ref, name=item.name, value=item.value))
        return Section(SectionKey.WITHHELD, self._title(SectionKey.WITHHELD), tuple(items))

    def _reason(self, w: WithheldOption) -> str:
        source = section_ref(w.source_section, w.source_table, self.lang)
        text = w.source_text_zh if self.lang == "zh" else w.source_text_en
        return f"    → {w.reason(self.lang)} [{source}: {text}]"

    def local(self) -> Section:
        items = []
        for item in self.e.local:
            actions = "、".join(self.name(a) for a in item.actions) if self.lang == "zh" else \
                ", ".join(self.name(a) for a in item.actions)
            reasons = item.reasons_zh if self.lang == "zh" else item.reasons_en
            items.append(Item(f"{self.name(item.site)}: {actions or self.w['none']}",
                              section_ref(item.section, item.table, self.lang), tuple(f"    {r}" for r in reasons),
                              ref=item.site, name=self.name(item.site), value=actions or self.w["none"]))
        return Section(SectionKey.LOCAL, self._title(SectionKey.LOCAL), tuple(items))

    def advisories(self, key: SectionKey, advisories, by_severity: bool = False) -> Section:
        rows = sorted(advisories, key=lambda a: a.severity.rank) if by_severity else list(advisories)
        items = tuple(Item(a.text(self.lang), section_ref(a.section, a.table, self.lang),
                           marker=self.severity_marker(a.severity) if by_severity else "",
                           severity=a.severity if by_severity else None,
                           ref=a.key) for a in rows)
        return Section(key, self._title(key), items)

    def decision(self) -> Section:
        decision = self.decided
        if decision is None:
            return Section(SectionKey.DECISION, self._title(SectionKey.DECISION), ())
        t, items = self.w, []
        chosen = [o for o in self.e.systemic if {o.id, *o.also_in} & set(decision.chosen_options)]
        if chosen:
            items += [Item(f"{t['chosen']}: {o.label(self.lang)}", section_ref(o.section, o.table, self.lang),
                           chosen=True, ref=o.id) for o in chosen]
        if decision.systemic:
            joiner = "、" if self.lang == "zh" else ", "
            items.append(Item(f"{t['systemic']}: {joiner.join(self.name(a) for a in decision.systemic)}"))
        if decision.local:
            joiner = "、" if self.lang == "zh" else ", "
            items.append(Item(f"{t['local']}: {joiner.join(self.name(a) for a in decision.local)}"))
        if decision.follows_guideline is not None:
            items.append(Item(t["follows"] if decision.follows_guideline else t["deviates"]))
        if decision.deviation_reason_code:
            items.append(Item(f"{t['reason']}: {self.name(decision.deviation_reason_code)}"))
        if decision.deviation_reason:
            items.append(Item(f"{t['reason']}: {decision.deviation_reason}"))
        if decision.notes:
            items.append(Item(f"{t['notes']}:", details=tuple(f"    {line}" for line in decision.notes.splitlines())))
        if decision.next_assessment_date:
            items.append(Item(f"{t['next']}: {decision.next_assessment_date}"))
        return Section(SectionKey.DECISION, self._title(SectionKey.DECISION), tuple(items))

    def severity_marker(self, severity: Severity) -> str:
        """A text marker that survives black-and-white print: ‼ [严重] / ‼ [CRITICAL] …"""
        return f"{severity.marker} [{self.name(f'severity_{severity.value}')}]"

    def summary(self) -> str:
        """One line: subtype, line, endocrine status, crisis, the preferred options (the status bar's text)."""
        f = self.e.facts
        preferred = [o.label(self.lang) for o in self.e.systemic if o.tier == Tier.PREFERRED]
        subtype, status = self.value(f["subtype"].value), self.value(f["endocrine_status"].value)
        line, crisis = f["advanced_line"].value, self.value(f["visceral_crisis"].value)
        if self.lang == "zh":
            head = f"{self.e.case_id}：{subtype}，晚期第{line}线，{status}，内脏危象：{crisis}。"
            return head + ("优先推荐：" + "；".join(preferred) if preferred else "无优先推荐方案。")
        head = f"{self.e.case_id}: {subtype}, advanced line {line}, {status}, visceral crisis: {crisis}. "
        return head + ("Preferred: " + "; ".join(preferred) if preferred else "No preferred option.")

    def _title(self, key: SectionKey) -> str:
        zh, en = TITLES[key]
        return zh if self.lang == "zh" else en


def digest(evaluation: Evaluation, case: Case | None, lang: str = "zh") -> Digest:
    """The ordered, frozen sections a reader sees of `evaluation` (computed from `case`; without the case
    there is no decision and nothing is marked chosen)."""
    w = _Writer(evaluation, case, lang, load_vocabulary())
    plan = evaluation.assessment_plan(lang)
    assessment = w.advisories(SectionKey.ASSESSMENT, evaluation.assessment)
    assessment = Section(assessment.key, assessment.title,
                         (Item(f"{plan['interval']} — {plan['modality']}"), *assessment.items))
    sections = (
        w.facts(), w.systemic(), w.withheld(), w.local(),
        w.advisories(SectionKey.WARNINGS, evaluation.warnings, by_severity=True),
        w.advisories(SectionKey.MISSING, evaluation.missing_data),
        w.advisories(SectionKey.SUPPORTIVE, evaluation.supportive), assessment,
        w.advisories(SectionKey.PRINCIPLES, evaluation.principles), w.decision(),
    )
    return Digest(lang, evaluation.case_id, f"{evaluation.case_id} — {evaluation.guideline.get('title', '')}",
                  w.summary(), evaluation.case_sha256, sections)
