"""Words printed on the report, in Chinese and English.

Why here and not in the guideline database: these are the report's own headings and field labels, not
guideline content. The names of every token (organs, settings, roles, derived values, facts, agents,
classes, local actions, biomarkers) come from the one name table, `guideline_db.vocabulary` (`name`).
"""

from __future__ import annotations

from typing import Any

TEXT: dict[str, tuple[str, str]] = {
    "title": ("晚期乳腺癌MDT病例摘要", "Advanced breast cancer MDT case summary"),
    "title_short": ("晚期乳腺癌MDT病例摘要", "Advanced breast cancer MDT case summary"),
    "title_pre_short": ("晚期乳腺癌MDT病例摘要（讨论前摘要）", "MDT case summary — PRE-DECISION"),
    "title_pre": ("晚期乳腺癌MDT病例摘要（讨论前摘要，尚无MDT决定）",
                  "Advanced breast cancer MDT case summary — PRE-DECISION summary (no MDT decision yet)"),
    "case_id": ("病例号", "Case ID"),
    "meeting_date": ("MDT会议日期", "MDT meeting date"),
    "evaluation_date": ("评估日期", "Evaluation date"),
    "generated": ("生成时间", "Generated"),
    "page": ("第 {n} / {total} 页", "page {n} / {total}"),
    "patient": ("患者与疾病概况", "Patient and disease summary"),
    "pathology": ("病理", "Pathology"),
    "biomarkers": ("生物标志物", "Biomarkers"),
    "therapies": ("既往治疗史", "Treatment history"),
    "metastases": ("转移部位", "Metastatic sites"),
    "derived": ("推导结果及依据", "Derived facts and their basis"),
    "systemic": ("全身治疗方案（按推荐等级）", "Systemic options by tier"),
    "withheld": ("暂缓的方案", "Withheld options"),
    "local": ("局部治疗", "Local treatment"),
    "warnings": ("警示", "Warnings"),
    "missing": ("缺失数据", "Missing data"),
    "warnings_missing": ("警示与缺失数据", "Warnings and missing data"),
    "decision": ("MDT决定", "MDT decision"),
    "none": ("无", "none"),
    "not_recorded": ("未记录", "not recorded"),
    "no_decision": ("尚无MDT决定（讨论前摘要）", "No MDT decision yet (pre-decision summary)"),
    "no_local": ("本病例无局部治疗条目", "No local-treatment items for this case"),
    "sex": ("性别", "Sex"), "age": ("年龄", "Age"), "years": ("岁", "years"),
    "name": ("姓名", "Name"), "hospital_id": ("住院/病案号", "Hospital ID"),
    "menopause": ("月经状态", "Menopausal status"), "performance": ("体能状态", "Performance status"),
    "presentation": ("临床表现", "Presentation"), "inflammatory": ("炎性乳腺癌", "Inflammatory"),
    "primary_date": ("原发诊断日期", "Primary diagnosis"), "metastatic_date": ("转移诊断日期", "Metastatic diagnosis"),
    "pregnant": ("妊娠", "Pregnant"), "trimester": ("孕期", "trimester"),
    "refusals": ("患者意愿", "Patient preferences"),
    "expected_survival": ("预计生存期", "Expected survival"), "months": ("个月", "months"),
    "specimen": ("标本", "Specimen"), "site": ("部位", "Site"), "date": ("日期", "Date"),
    "er": ("ER", "ER"), "pr": ("PR", "PR"), "her2": ("HER-2", "HER-2"), "ki67": ("Ki-67", "Ki-67"),
    "used": ("治疗依据", "Used"), "used_mark": ("✔ 依据", "✔ used"),
    "discordance": ("原发灶与转移灶受体不一致", "Receptor discordance (primary vs metastasis)"),
    "decalcified": ("脱钙", "decalcified"),
    "setting": ("阶段", "Setting"), "line": ("线", "Line"), "agents": ("药物", "Agents"),
    "start": ("开始", "Start"), "end": ("结束", "End"), "stop_reason": ("停药原因", "Stop reason"),
    "progression": ("进展日期", "Progression"), "response": ("最佳疗效", "Best response"),
    "organ": ("器官", "Organ"), "lesions": ("病灶数", "Lesions"), "max_diameter": ("最大径", "Max. diameter"),
    "symptomatic": ("有症状", "Symptomatic"), "details": ("细节", "Details"),
    "fact": ("项目", "Fact"), "value": ("结果", "Value"), "basis": ("依据", "Basis"),
    "tier": ("等级", "Tier"), "regimen": ("方案", "Regimen"), "evidence": ("证据", "Level"),
    "source": ("出处", "Source"), "trials": ("关键研究数据", "Key trial figures"), "notes": ("备注", "Notes"),
    "chosen": ("已选", "Chosen"), "chosen_mark": ("✔ 已选", "✔ chosen"),
    "table": ("表", "Table "), "untested": ("未检测，需检测", "not tested — test needed"),
    "requires": ("需要", "requires"), "actions": ("措施", "Actions"), "reasons": ("理由", "Reasons"),
    "follows": ("是否遵循指南", "Follows the guideline"), "deviation": ("偏离指南的理由", "Reason for deviation"),
    "decision_systemic": ("全身治疗", "Systemic therapy"), "decision_local": ("局部治疗", "Local treatment"),
    "decision_notes": ("备注", "Notes"), "next_assessment": ("下次评估", "Next assessment"),
    "attendees": ("参会人员", "Attendees"), "role": ("专业", "Role"),
    "assessment": ("疗效评价", "Assessment plan"),
    "footer": ("指南：{title} · 版本 {edition} · 指南数据库 SHA-256 {sha}",
               "Guideline: {title} (edition {edition}) · guideline DB SHA-256 {sha}"),
    "case_version": ("病例版本", "case version"),
    "disclaimer": ("本摘要辅助MDT讨论，不替代临床判断。", "This summary supports the MDT; it does not replace clinical judgement."),
    "signatures": ("签名", "Signatures"), "signature_place": ("签名位 {n}", "signature place {n}"),
    "yes": ("是", "yes"), "no": ("否", "no"), "unknown": ("未知", "unknown"),
}

MEANINGS: dict[str, tuple[str, str]] = {           # the dialog lists them in this order
    "chair": ("MDT 主席审核批准", "approved by MDT chair"),
    "author": ("作者：本摘要由我编写", "author: I wrote this summary"),
    "reviewer": ("审阅：我已审阅本摘要", "reviewer: I reviewed this summary"),
}
APPROVAL_MEANINGS = frozenset({"chair"})            # refused on a pre-decision summary
MEANING_ALIASES = {"recorder": "author", "attending": "reviewer"}   # keys of earlier versions


def t(key: str, lang: str) -> str:
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


def name(token: str, lang: str) -> str:
    """The printed name of a case-format value, derived value, fact or role: the one bilingual name table
    (guideline_db/sources/vocabulary.toml [value_names], `Vocabulary.name`)."""
    from guideline_db.vocabulary import load_vocabulary

    return load_vocabulary().name(token, lang)


def enum(kind: str, value: Any, lang: str) -> str:
    """The printed name of an enumeration token (`kind` names the field, for the reader of the code only);
    unknown tokens print as themselves."""
    if value is None:
        return t("not_recorded", lang)
    return name(str(value), lang)


def yes_no(value: bool | None, lang: str) -> str:
    if value is None:
        return t("unknown", lang)
    return t("yes" if value else "no", lang)


def fact_value(fact: str, value: Any, lang: str) -> str:
    """A derived fact's value for print (named, never the token)."""
    if isinstance(value, bool) or value is None:
        return yes_no(value, lang)
    if isinstance(value, str):
        return name(value, lang)
    return str(value)


DETAIL_NAMES: dict[str, tuple[str, str]] = {
    "locations": ("部位", "locations"), "lesion_type": ("类型", "type"), "pain": ("疼痛", "pain"),
    "pathological_fracture": ("病理性骨折", "pathological fracture"),
    "impending_fracture": ("骨折风险高", "impending fracture"),
    "spinal_cord_compression": ("脊髓压迫", "spinal cord compression"),
    "hypercalcemia": ("高钙血症", "hypercalcaemia"),
    "extensive_marrow_involvement": ("广泛骨髓受累", "extensive marrow involvement"),
    "diffuse": ("弥漫性", "diffuse"), "bilirubin_x_uln": ("胆红素×ULN", "bilirubin × ULN"),
    "biliary_obstruction": ("胆道梗阻", "biliary obstruction"),
    "lymphangitic_spread": ("癌性淋巴管炎", "lymphangitic spread"), "oxygen_at_rest": ("静息需吸氧", "oxygen at rest"),
    "effusion": ("胸腔积液", "effusion"), "dyspnea_at_rest": ("静息呼吸困难", "dyspnoea at rest"),
    "relieved_by_drainage": ("引流可缓解", "relieved by drainage"),
    "total_volume_ml": ("总体积", "total volume"), "mass_effect": ("占位效应", "mass effect"),
    "hippocampus_involved": ("累及海马", "hippocampus involved"), "leptomeningeal": ("脑膜转移", "leptomeningeal"),
    "resectable": ("可切除", "resectable"), "prior_brain_radiotherapy": ("既往脑放疗", "prior brain radiotherapy"),
}

CONTEXT_NAMES: dict[str, tuple[str, str]] = {
    "extracranial_disease_controlled": ("颅外病灶控制", "extracranial disease controlled"),
    "effective_systemic_options": ("有有效全身治疗", "effective systemic options"),
    "rapid_progression": ("疾病快速进展", "rapid progression"),
    "strong_er_expression": ("ER强表达", "strong ER expression"),
    "dental_exam_done": ("已行口腔检查", "dental exam done"),
    "invasive_dental_procedure_planned": ("计划有创口腔操作", "invasive dental procedure planned"),
    "prior_breast_or_chest_wall_radiotherapy": ("既往乳腺/胸壁放疗", "prior breast/chest-wall radiotherapy"),
    "prior_axillary_surgery": ("既往腋窝手术", "prior axillary surgery"),
    "long_term_remission_months": ("长期缓解（月）", "long-term remission (months)"),
}


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]
