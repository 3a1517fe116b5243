"""The bottom layer of the engine's results: frozen types and ordered vocabularies, with no engine imports.

Why one module: every rule, view and export reads these objects; keeping them apart from the rules means no
rule reads another rule's prose and every view renders the same typed values. `Tier`, `EvidenceLevel` and
`Severity` are ordered (rank 1 = strongest / gravest); the build refuses any value outside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class _Ranked(StrEnum):
    """A string enum whose members compare by rank (declaration order): strongest first."""

    @property
    def rank(self) -> int:
        return list(type(self)).index(self) + 1

    def __lt__(self, other: object) -> bool:   # type: ignore[override]
        if isinstance(other, type(self)):
            return self.rank < other.rank
        return NotImplemented

    def __hash__(self) -> int:
        return str.__hash__(self)


class Tier(_Ranked):
    """推荐等级, Table 2 of the guideline."""
    PREFERRED = "preferred"
    """优先推荐: expert endorsement ≥ 80 %, clear indication, accessible, reimbursed."""
    RECOMMENDED = "recommended"
    """推荐: endorsement 50-80 %, or clear benefit without an approved indication in China."""
    OPTIONAL = "optional"
    """可选: endorsement < 50 %, low accessibility, promising but limited evidence."""


class EvidenceLevel(_Ranked):
    """证据级别, Table 1 of the guideline."""
    IA = "IA"
    """Meta-analysis of RCTs or large RCTs; consistent high-quality evidence."""
    IB = "IB"
    """At least one RCT or several small RCTs."""
    IIA = "IIA"
    """Well-designed non-randomised controlled studies."""
    IIB = "IIB"
    """Other quasi-experimental or observational studies, expert consensus."""


class Severity(_Ranked):
    """How grave a warning is; each has a colour and a text marker that survives black-and-white print."""
    CRITICAL = "critical"
    """Changes what may be given now (visceral crisis, pregnancy, every option withheld)."""
    WARNING = "warning"
    """A situation the board must act on before choosing (untreated locally advanced disease)."""
    CAUTION = "caution"
    """A check or a contradiction to resolve (discordant receptors, concurrent chemo-endocrine therapy)."""
    INFO = "info"
    """Context for the decision (informed consent for unapproved drugs, ongoing line)."""

    @property
    def marker(self) -> str:
        """A printed marker independent of colour."""
        return {"critical": "‼", "warning": "⚠", "caution": "!", "info": "ℹ"}[self.value]


TIER_RANK = {tier.value: tier.rank for tier in Tier}


@dataclass(frozen=True)
class ReceptorChange:
    """One marker that differs between the primary and the newest metastasis specimen, as data (rules read
    `marker`, `before` and `after`; people read the texts)."""
    marker: str                  # hr | her2
    before: bool | str           # HR: True/False; HER-2: its category (positive, low, ultralow, zero)
    after: bool | str
    text_zh: str
    text_en: str

    @property
    def lost(self) -> bool:
        """The marker was positive on the primary and is not on the metastasis."""
        return self.before in (True, "positive") and self.after not in (True, "positive")


@dataclass(frozen=True)
class Fact:
    value: Any
    section: str
    explanation_zh: str
    explanation_en: str
    inputs: dict[str, Any] = field(default_factory=dict)

    def explanation(self, lang: str) -> str:
        return self.explanation_zh if lang == "zh" else self.explanation_en


@dataclass(frozen=True)
class Advisory:
    """A warning, missing-data prompt, assessment or supportive item, ready to show."""
    key: str            # warning code, missing-data field, or topic
    text_zh: str
    text_en: str
    table: str
    section: str
    severity: Severity = Severity.INFO

    def __post_init__(self) -> None:
        object.__setattr__(self, "severity", Severity(self.severity))

    def text(self, lang: str) -> str:
        return self.text_zh if lang == "zh" else self.text_en



@dataclass(frozen=True)
class OptionNote:
    """A note the patient's history or circumstances add to an option, with the section it rests on."""
    text_zh: str
    text_en: str
    section: str
    rule: str

    def text(self, lang: str) -> str:
        return self.text_zh if lang == "zh" else self.text_en


@dataclass(frozen=True)
class RowSource:
    """One guideline row an option comes from (several rows can list the same regimen)."""
    id: str
    tier: str
    evidence: str | None
    table: str
    section: str
    row_zh: str
    row_en: str
    condition_zh: str | None
    condition_en: str | None


@dataclass(frozen=True)
class ApprovalNote:
    status: str
    meaning_zh: str
    meaning_en: str
    text_zh: str
    text_en: str
    section: str
    unapproved: bool


@dataclass(frozen=True)
class SystemicOption:
    id: str
    tier: Tier
    evidence: EvidenceLevel | None
    components: tuple[str, ...]
    label_zh: str
    label_en: str
    table: str
    section: str
    row_zh: str
    row_en: str
    requires: tuple[str, ...]
    requirement_status: str
    unknown_biomarkers: tuple[str, ...]
    trials: tuple[str, ...]
    approval_note_zh: str | None
    approval_note_en: str | None
    condition_zh: str | None = None
    condition_en: str | None = None
    note_zh: str | None = None
    note_en: str | None = None
    tier_basis_zh: str | None = None
    tier_basis_en: str | None = None
    modifiers: tuple[str, ...] = ()
    also_in: tuple[str, ...] = ()
    key_figures: tuple[str, ...] = field(default=())
    order: tuple[int, int, int] = (0, 0, 0)
    notes: tuple[OptionNote, ...] = ()
    sources: tuple[RowSource, ...] = ()
    approvals: tuple[ApprovalNote, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "tier", Tier(self.tier))
        if self.evidence is not None:
            object.__setattr__(self, "evidence", EvidenceLevel(self.evidence))

    @property
    def approval_status(self) -> str | None:
        """The most restrictive approval status among the notes that concern this option."""
        return self.approvals[0].status if self.approvals else None

    @property
    def unapproved(self) -> bool:
        return any(a.unapproved for a in self.approvals)

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en


def tier_names() -> dict[str, tuple[str, str]]:
    """Tier names from the guideline's own Table 2 rows (the tiers table), the one copy."""
    from guideline_db.database import open_guideline

    return {code: (row["name_zh"], row["name_en"]) for code, row in open_guideline().by_key("tiers", "code").items()}


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
    case_sha256: str = ""       # the case content this evaluation was computed from (case_io.case_version_hash)

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
            "case_sha256": self.case_sha256,
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
            "modality": "CT/MRI, RECIST 1.1",
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
        "id": o.id, "tier": o.tier, "tier_zh": tier_names()[o.tier][0], "evidence": o.evidence,
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
