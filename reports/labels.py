"""Words printed on the report, in Chinese and English.

Why here and not in the guideline database: these are the report's own headings and the names of the
case format's enumeration tokens (organs, settings, roles ...), not guideline content. Agent, class,
local-action and biomarker names come from the guideline vocabulary (`guideline_db.vocabulary`).
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
    "refuses_ofs": ("拒绝卵巢功能抑制", "refuses ovarian suppression"),
    "refuses_chemo": ("拒绝化疗", "refuses chemotherapy"),
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

ENUMS: dict[str, dict[str, tuple[str, str]]] = {
    "sex": {"female": ("女", "female"), "male": ("男", "male")},
    "menopausal_status": {"pre": ("绝经前", "premenopausal"), "peri": ("围绝经期", "perimenopausal"),
                          "post": ("绝经后", "postmenopausal"), "unknown": ("未知", "unknown"),
                          "male": ("男性", "male")},
    "presentation": {"de_novo_stage_iv": ("初诊IV期", "de novo stage IV"),
                     "recurrent_metastatic": ("复发转移", "recurrent metastatic"),
                     "locally_advanced_inoperable": ("局部晚期不可手术", "locally advanced, inoperable"),
                     "local_regional_recurrence": ("局部区域复发", "local-regional recurrence")},
    "specimen": {"primary": ("原发灶", "primary"), "metastasis": ("转移灶", "metastasis"),
                 "recurrence": ("复发灶", "recurrence")},
    "her2_ish": {"amplified": ("ISH扩增", "ISH amplified"), "not_amplified": ("ISH未扩增", "ISH not amplified")},
    "biomarker": {"positive": ("阳性", "positive"), "negative": ("阴性", "negative"),
                  "not_tested": ("未检测", "not tested")},
    "setting": {"neoadjuvant": ("新辅助", "neoadjuvant"), "adjuvant": ("辅助", "adjuvant"),
                "advanced": ("晚期", "advanced")},
    "stop_reason": {"progression": ("进展", "progression"), "toxicity": ("毒性", "toxicity"),
                    "completed": ("完成", "completed"), "patient_choice": ("患者意愿", "patient choice"),
                    "ongoing": ("进行中", "ongoing")},
    "response": {"cr": ("CR", "CR"), "pr": ("PR", "PR"), "sd": ("SD", "SD"), "pd": ("PD", "PD")},
    "organ": {"bone": ("骨", "bone"), "liver": ("肝", "liver"), "lung": ("肺", "lung"), "pleura": ("胸膜", "pleura"),
              "brain": ("脑", "brain"), "distant_lymph_node": ("远处淋巴结", "distant lymph node"),
              "chest_wall": ("胸壁", "chest wall"), "breast": ("乳腺", "breast"),
              "regional_lymph_node": ("区域淋巴结", "regional lymph node"),
              "skin_soft_tissue": ("皮肤软组织", "skin/soft tissue"), "adrenal": ("肾上腺", "adrenal"),
              "peritoneum": ("腹膜", "peritoneum"), "ovary": ("卵巢", "ovary"), "other": ("其他", "other")},
    "bone_location": {"cervical_spine": ("颈椎", "cervical spine"), "thoracic_spine": ("胸椎", "thoracic spine"),
                      "lumbar_spine": ("腰椎", "lumbar spine"), "sacrum": ("骶骨", "sacrum"),
                      "pelvis": ("骨盆", "pelvis"), "sternum": ("胸骨", "sternum"), "rib": ("肋骨", "rib"),
                      "long_bone": ("长骨", "long bone"), "skull": ("颅骨", "skull"), "other": ("其他", "other")},
    "role": {"medical_oncology": ("肿瘤内科", "medical oncology"), "surgery": ("外科", "surgery"),
             "radiation_oncology": ("放疗科", "radiation oncology"), "radiology": ("影像科", "radiology"),
             "pathology": ("病理科", "pathology"), "nuclear_medicine": ("核医学科", "nuclear medicine"),
             "nursing": ("护理", "nursing"), "psychology": ("心理", "psychology"), "other": ("其他", "other")},
    "subtype": {"hr_pos_her2_neg": ("HR阳性/HER-2阴性", "HR-positive/HER-2-negative"),
                "hr_pos_her2_pos": ("HR阳性/HER-2阳性", "HR-positive/HER-2-positive"),
                "hr_neg_her2_pos": ("HR阴性/HER-2阳性", "HR-negative/HER-2-positive"),
                "triple_negative": ("三阴性", "triple-negative"), "unknown": ("未定", "undetermined")},
    "her2_status": {"positive": ("阳性", "positive"), "low": ("低表达", "low"), "ultralow": ("超低表达", "ultralow"),
                    "zero": ("0", "zero"), "unknown": ("未定", "undetermined")},
    "endocrine_status": {"naive": ("未接受内分泌治疗", "endocrine-naive"),
                         "primary_resistance": ("原发性内分泌耐药", "primary endocrine resistance"),
                         "secondary_resistance": ("继发性内分泌耐药", "secondary endocrine resistance"),
                         "not_applicable": ("不适用", "not applicable")},
    "receptor_source": {"primary": ("原发灶", "primary"), "metastasis": ("转移灶", "metastasis"),
                        "recurrence": ("复发灶", "recurrence"), "none": ("无", "none")},
    "local_site": {"brain": ("脑", "brain"), "bone": ("骨", "bone"), "oligometastasis": ("寡转移", "oligometastasis"),
                   "primary_tumor": ("原发灶", "primary tumour"), "locoregional": ("局部区域", "locoregional"),
                   "chest_wall": ("胸壁", "chest wall")},
    "her2_treatment_line": {"first": ("一线", "first line"), "second": ("二线", "second line"),
                            "later": ("后线", "later lines")},
}

FACT_NAMES: dict[str, tuple[str, str]] = {
    "subtype": ("分子分型", "Subtype"), "hr_positive": ("HR阳性", "HR-positive"),
    "her2_status": ("HER-2状态", "HER-2 status"), "receptor_source": ("受体依据标本", "Receptor source"),
    "receptor_discordance": ("受体不一致", "Receptor discordance"),
    "treatment_menopausal_status": ("治疗用月经状态", "Menopausal status for treatment"),
    "advanced_line": ("晚期治疗线", "Advanced line"), "endocrine_status": ("内分泌状态", "Endocrine status"),
    "prior_cdk4_6_inhibitor": ("既往CDK4/6抑制剂", "Prior CDK4/6 inhibitor"),
    "prior_endocrine_lines_advanced": ("晚期内分泌治疗线数", "Prior endocrine lines (advanced)"),
    "trastuzumab_free_interval_months": ("曲妥珠单抗无治疗间期（月）", "Trastuzumab-free interval (months)"),
    "visceral_crisis": ("内脏危象", "Visceral crisis"), "oligometastatic": ("寡转移", "Oligometastatic"),
    "pdl1_positive": ("PD-L1阳性（CPS≥10）", "PD-L1 positive (CPS ≥ 10)"),
    "her2_treatment_line": ("抗HER-2治疗线", "Anti-HER-2 line"),
    "inavolisib_window": ("Inavolisib适用窗口", "Inavolisib window"),
    "prior_serm_failure": ("既往SERM失败", "Prior SERM failure"),
    "maintenance_after_chemotherapy": ("化疗后维持", "Maintenance after chemotherapy"),
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


def enum(kind: str, value: Any, lang: str) -> str:
    """The printed name of an enumeration token; unknown tokens print as themselves."""
    if value is None:
        return t("not_recorded", lang)
    pair = ENUMS.get(kind, {}).get(str(value))
    if pair is None:
        return str(value)
    return pair[0] if lang == "zh" else pair[1]


def yes_no(value: bool | None, lang: str) -> str:
    if value is None:
        return t("unknown", lang)
    return t("yes" if value else "no", lang)


def fact_value(name: str, value: Any, lang: str) -> str:
    """A derived fact's value for print: named tokens with the token kept for traceability."""
    if isinstance(value, bool) or value is None:
        return yes_no(value, lang)
    if name in ENUMS and isinstance(value, str):
        shown = enum(name, value, lang)
        return shown if shown == value else f"{shown} ({value})"
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
    "total_volume_ml": ("总体积 ml", "total volume ml"), "mass_effect": ("占位效应", "mass effect"),
    "hippocampus_involved": ("累及海马", "hippocampus involved"), "leptomeningeal": ("脑膜转移", "leptomeningeal"),
    "resectable": ("可切除", "resectable"), "prior_brain_radiotherapy": ("既往脑放疗", "prior brain radiotherapy"),
    "lytic": ("溶骨性", "lytic"), "blastic": ("成骨性", "blastic"), "mixed": ("混合性", "mixed"),
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
    "none": ("无", "none"), "sentinel_node_biopsy": ("前哨淋巴结活检", "sentinel node biopsy"),
    "axillary_dissection": ("腋窝淋巴结清扫", "axillary dissection"),
}


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]
