"""Reader-facing names used by the workflow views, in both languages (no token is ever shown)."""

from __future__ import annotations

from guideline_db.vocabulary import load_vocabulary

NAMES: dict[str, tuple[str, str]] = {
    # settings and events of the timeline
    "neoadjuvant": ("新辅助", "neoadjuvant"), "adjuvant": ("辅助", "adjuvant"), "advanced": ("晚期", "advanced"),
    "primary_diagnosis": ("初诊", "primary diagnosis"), "metastatic_diagnosis": ("转移诊断", "metastatic diagnosis"),
    "evaluation": ("评估日", "evaluation"), "meeting": ("MDT会议", "MDT meeting"), "progression": ("进展", "progression"),
    "specimen_primary": ("原发灶标本", "primary specimen"), "specimen_metastasis": ("转移灶标本", "metastasis specimen"),
    "specimen_recurrence": ("复发灶标本", "recurrence specimen"),
    # local-treatment sites of the evaluation
    "brain": ("脑转移", "brain"), "bone": ("骨转移", "bone"), "oligometastasis": ("寡转移", "oligometastasis"),
    "primary_tumor": ("原发灶", "primary tumour"), "locoregional": ("局部区域", "locoregional"),
    "chest_wall": ("胸壁", "chest wall"),
    # missing-data fields that have no vocabulary name
    "pathology": ("病理（受体检测）", "pathology (receptor testing)"),
    # deviation reason codes (mdt.decision.deviation_reason_code)
    "patient_preference": ("患者意愿", "patient preference"),
    "performance_status_or_comorbidity": ("体能状态/合并症", "performance status / comorbidity"),
    "drug_unavailable_or_not_reimbursed": ("药物不可及/未报销", "drug not available or not reimbursed"),
    "prior_toxicity": ("既往毒性", "prior toxicity"), "clinical_trial": ("入组临床试验", "clinical trial"),
    "guideline_silent": ("指南未涉及", "guideline silent"), "other": ("其他", "other"),
    "uncoded": ("未编码", "not coded"),
    # tiers
    "preferred": ("优先推荐", "preferred"), "recommended": ("推荐", "recommended"), "optional": ("可选", "optional"),
    "no_option": ("未选指南方案", "no guideline option chosen"),
    "unknown": ("未定", "undetermined"),
    # signature meanings (CaseStore.mark_signed; reports/labels.py MEANINGS)
    "author": ("作者", "author"), "reviewer": ("审阅者", "reviewer"), "chair": ("MDT主席", "MDT chair"),
}
DEVIATION_CODES = ("patient_preference", "performance_status_or_comorbidity", "drug_unavailable_or_not_reimbursed",
                   "prior_toxicity", "clinical_trial", "guideline_silent", "other")
TIERS = ("preferred", "recommended", "optional")


def name(token: str, lang: str) -> str:
    """The reader's name of a token: the workflow's own names first, then the guideline vocabulary."""
    pair = NAMES.get(token)
    if pair is not None:
        return pair[0] if lang == "zh" else pair[1]
    return load_vocabulary().name(token, lang)


def field_name(field: str, lang: str) -> str:
    """A missing-data field ("biomarkers.pik3ca", "pathology") as the reader says it."""
    last = field.rsplit(".", 1)[-1]
    if last in NAMES or last in load_vocabulary().names:
        return name(last, lang)
    return name("unknown", lang)


def line_name(line: int, lang: str) -> str:
    return f"第{line}线" if lang == "zh" else f"line {line}"


def sep(lang: str) -> str:
    return "；" if lang == "zh" else "; "


def comma(lang: str) -> str:
    return "、" if lang == "zh" else ", "
