"""The evaluation: one frozen object rendered three ways (screen, JSON, PDF).

`to_dict()` is the public JSON contract of spec/evaluation-output.md (plus optional extra fields);
`summary()` is the one-paragraph answer shown in a terminal or a status bar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from guideline_db.engine.advisories import Advisory
from guideline_db.engine.facts import Fact
from guideline_db.engine.systemic import SystemicOption

TIER_NAMES = {"preferred": ("优先推荐", "Preferred"), "recommended": ("推荐", "Recommended"),
              "optional": ("可选", "Optional")}


@dataclass(frozen=True)
class LocalItem:
    site: str
    actions: tuple[str, ...]
    reasons_zh: tuple[str, ...]
    reasons_en: tuple[str, ...]
    table: str
    section: str
    flags: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {"site": self.site, "actions": list(self.actions),
                "reasons": list(self.reasons_zh if lang == "zh" else self.reasons_en),
                "reasons_zh": list(self.reasons_zh), "reasons_en": list(self.reasons_en),
                "source": {"table": self.table, "section": self.section}, "flags": list(self.flags),
                "rules": list(self.rules)}


@dataclass(frozen=True)
class WithheldOption:
    """An option the guideline's rows list for this situation that this patient should not get now."""
    option: SystemicOption
    reason_zh: str
    reason_en: str
    reason_code: str = "other"
    reason_facts: tuple[str, ...] = ()
    source_table: str = ""
    source_section: str = ""
    source_text_zh: str = ""
    source_text_en: str = ""
    rule: str = ""

    def reason(self, lang: str) -> str:
        return self.reason_zh if lang == "zh" else self.reason_en

    def to_dict(self) -> dict[str, Any]:
        return {**option_dict(self.option), "reason_code": self.reason_code, "reason_zh": self.reason_zh,
                "reason_en": self.reason_en, "reason_facts": list(self.reason_facts),
                "reason_source": {"table": self.source_table, "section": self.source_section,
                                  "text_zh": self.source_text_zh, "text_en": self.source_text_en},
                "rule": self.rule}


@dataclass(frozen=True)
class Evaluation:
    case_id: str
    guideline: dict[str, str]
    facts: dict[str, Fact]
    extra_facts: dict[str, Fact]
    visceral_crisis_reasons: tuple[str, ...]
    systemic: tuple[SystemicOption, ...]
    withheld: tuple[WithheldOption, ...]
    local: tuple[LocalItem, ...]
    supportive: tuple[Advisory, ...]
    warnings: tuple[Advisory, ...]
    missing_data: tuple[Advisory, ...]
    assessment: tuple[Advisory, ...]
    principles: tuple[Advisory, ...] = ()
    kps_range: tuple[int, int] | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    def value(self, name: str) -> Any:
        return self.facts[name].value

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        derived: dict[str, Any] = {name: fact.value for name, fact in self.facts.items()}
        derived["visceral_crisis_reasons"] = list(self.visceral_crisis_reasons)
        derived["her2_treatment_line"] = self.extra_facts.get("her2_treatment_line", Fact(None, "", "", "")).value
        derived["kps_range"] = list(self.kps_range) if self.kps_range else None
        all_facts = {**self.facts, **self.extra_facts}
        derived["explanations"] = {n: f.explanation(lang) for n, f in all_facts.items()}
        derived["explanations_zh"] = {n: f.explanation_zh for n, f in all_facts.items()}
        derived["explanations_en"] = {n: f.explanation_en for n, f in all_facts.items()}
        derived["rule_sections"] = {n: f.section for n, f in all_facts.items()}
        return {
            "case_id": self.case_id,
            "guideline": dict(self.guideline),
            "derived": derived,
            "systemic": [option_dict(o) for o in self.systemic],
            "withheld": [w.to_dict() for w in self.withheld],
            "local": [item.to_dict(lang) for item in self.local],
            "supportive": [{"topic": a.key, "text_zh": a.text_zh, "text_en": a.text_en,
                            "source": {"table": a.table, "section": a.section}} for a in self.supportive],
            "warnings": [{"code": a.key, "severity": a.severity, "text_zh": a.text_zh, "text_en": a.text_en,
                          "source": {"table": a.table, "section": a.section}} for a in self.warnings],
            "missing_data": [{"field": a.key, "why_zh": a.text_zh, "why_en": a.text_en,
                              "source": {"table": a.table, "section": a.section}} for a in self.missing_data],
            "assessment_plan": self.assessment_plan(lang),
            "principles": [{"id": a.key, "text_zh": a.text_zh, "text_en": a.text_en,
                            "source": {"table": a.table, "section": a.section}} for a in self.principles],
        }

    def assessment_plan(self, lang: str = "zh") -> dict[str, Any]:
        ids = {a.key for a in self.assessment}
        parts_en, parts_zh = [], []
        if "endocrine_interval" in ids:
            parts_en.append("endocrine therapy every 2-3 months")
            parts_zh.append("内分泌治疗每2～3个月")
        if "chemotherapy_interval" in ids:
            parts_en.append("chemotherapy every 2-3 cycles")
            parts_zh.append("化疗每2～3个周期")
        if "rapid_progression_shorter" in ids:
            parts_en.append("shorter for rapid progression")
            parts_zh.append("疾病进展迅速者缩短间隔")
        interval_en = "; ".join(parts_en) or "every 2-3 months"
        interval_zh = "；".join(parts_zh) or "每2～3个月"
        return {
            "interval": interval_zh if lang == "zh" else interval_en,
            "interval_zh": interval_zh, "interval_en": interval_en,
            "modality": "CT/MRI per RECIST 1.1",
            "tumour_markers_alone_change_treatment": False,
            "items": [{"id": a.key, "text_zh": a.text_zh, "text_en": a.text_en,
                       "source": {"table": a.table, "section": a.section}} for a in self.assessment],
        }

    def summary(self, lang: str = "en") -> str:
        """One paragraph: subtype, line, key facts and the preferred options."""
        preferred = [o.label(lang) for o in self.systemic if o.tier == "preferred"]
        d = self.facts
        if lang == "zh":
            head = (f"{self.case_id}：{d['subtype'].value}，第{d['advanced_line'].value}线，"
                    f"内分泌状态 {d['endocrine_status'].value}，内脏危象{'是' if d['visceral_crisis'].value else '否'}。")
            return head + ("优先推荐：" + "；".join(preferred) if preferred else "无优先推荐方案。")
        head = (f"{self.case_id}: {d['subtype'].value}, line {d['advanced_line'].value}, endocrine status "
                f"{d['endocrine_status'].value}, visceral crisis {'yes' if d['visceral_crisis'].value else 'no'}. ")
        return head + ("Preferred: " + "; ".join(preferred) if preferred else "No preferred option.")


def option_dict(o: SystemicOption) -> dict[str, Any]:
    return {
        "id": o.id, "tier": o.tier, "tier_zh": TIER_NAMES[o.tier][0], "evidence": o.evidence,
        "components": list(o.components), "label_zh": o.label_zh, "label_en": o.label_en,
        "source": {"table": o.table, "section": o.section, "row": o.row_zh, "row_en": o.row_en},
        "requires": list(o.requires), "requirement_status": o.requirement_status,
        "untested_biomarkers": list(o.unknown_biomarkers),
        "approval_note": o.approval_note_zh, "approval_note_en": o.approval_note_en,
        "trials": list(o.trials), "key_figures": list(o.key_figures),
        "condition_zh": o.condition_zh, "condition_en": o.condition_en,
        "note_zh": o.note_zh, "note_en": o.note_en,
        "tier_basis_zh": o.tier_basis_zh, "tier_basis_en": o.tier_basis_en,
        "modifiers": list(o.modifiers), "also_in": list(o.also_in),
        "approval_status": o.approval_status,
        "approvals": [{"status": a.status, "meaning_zh": a.meaning_zh, "meaning_en": a.meaning_en,
                       "text_zh": a.text_zh, "text_en": a.text_en, "section": a.section} for a in o.approvals],
        "notes": [{"text_zh": n.text_zh, "text_en": n.text_en, "section": n.section, "rule": n.rule} for n in o.notes],
        "sources": [{"id": r.id, "tier": r.tier, "evidence": r.evidence, "table": r.table, "section": r.section,
                     "row": r.row_zh, "row_en": r.row_en, "condition_zh": r.condition_zh,
                     "condition_en": r.condition_en} for r in o.sources],
    }
