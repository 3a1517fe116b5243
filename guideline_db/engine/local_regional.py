"""Oligometastasis (三4), the primary tumour (三1, 三3), locoregional recurrence (三2) and chest-wall
recurrence (八（三）)."""

from __future__ import annotations

from guideline_db.engine.dates import months_between
from guideline_db.engine.local import LocalContext, SiteItem
from guideline_db.engine.therapy_history import relapse_date
from guideline_db.vocabulary import load_vocabulary


def regional_items(ctx: LocalContext) -> list[SiteItem]:
    return [item for item in (_oligometastasis(ctx), _primary_tumour(ctx), _locoregional(ctx), _chest_wall(ctx)) if item]


def _oligometastasis(ctx: LocalContext) -> SiteItem | None:
    fact = ctx.derived.clinical.oligometastatic
    if not fact.value:
        return None
    item = ctx.item("oligometastasis")
    item.fire("oligometastasis", f"{fact.explanation_zh} → 多学科讨论局部治疗（手术或放疗），证据有限",
              f"{fact.explanation_en} → MDT discussion of local therapy (surgery or radiotherapy); evidence is limited")
    lesions_cut = ctx.thresholds["oligometastasis_surgery_lesions"]
    organs_cut = ctx.thresholds["oligometastasis_surgery_organs"]
    dfi_cut = ctx.thresholds["oligometastasis_surgery_dfi_months"]
    lesions, organs = fact.inputs["lesions"], fact.inputs["organ_sites"]
    if not (lesions_cut.holds(lesions) and organs_cut.holds(len(organs))):
        return item
    favourable_zh, favourable_en = [], []
    case = ctx.case
    relapse = relapse_date(case)
    if case.presentation == "recurrent_metastatic" and case.primary_diagnosis_date and relapse:
        months = months_between(case.primary_diagnosis_date, relapse)
        if dfi_cut.holds(months):
            favourable_zh.append(f"无病间期约{months / 12:.1f}年（≥{dfi_cut.span('zh')}）")
            favourable_en.append(f"disease-free interval about {months / 12:.1f} years (≥ {dfi_cut.span('en')})")
    if lesions == 1:
        favourable_zh.append("仅1个转移灶")
        favourable_en.append("a single metastasis")
    if ctx.derived.receptors.hr_positive.value:
        favourable_zh.append("HR阳性")
        favourable_en.append("HR-positive")
    # 三4: "≤3个转移灶并且局限在1个器官…系统性治疗联合手术切除可以改善PFS和OS"; the features only say who
    # "更倾向于从手术中获益", so they are named when present, never required.
    if favourable_zh:
        features_zh = f"，{'、'.join(favourable_zh)}（更倾向于从手术中获益）"
        features_en = f", {', '.join(favourable_en)} (more likely to benefit from surgery)"
    else:
        features_zh = f"，无病间期≥{dfi_cut.span('zh')}、单发或HR阳性等更倾向获益的特征均不具备"
        features_en = (f", none of the features favouring benefit (DFI ≥ {dfi_cut.span('en')}, a single metastasis, "
                       "HR-positive)")
    names = load_vocabulary()
    organ_zh, organ_en = names.name(organs[0], "zh"), names.name(organs[0], "en")
    item.fire("oligometastasis_surgery",
              f"{lesions}个转移灶局限于1个器官（{organ_zh}）{features_zh} → 可考虑系统性治疗联合手术切除（小样本回顾性证据）",
              f"{lesions} metastasis(es) confined to one organ ({organ_en}){features_en} → systemic therapy plus "
              "metastasectomy may be considered (small retrospective evidence)")
    return item


def _primary_tumour(ctx: LocalContext) -> SiteItem | None:
    case = ctx.case
    item = ctx.item("primary_tumor")
    if case.presentation == "locally_advanced_inoperable":
        rule = "inflammatory" if case.inflammatory else "locally_advanced"
        word_zh = "不可手术炎性乳腺癌" if case.inflammatory else "初始不可手术局部晚期（ⅢB/ⅢC）"
        word_en = "inoperable inflammatory breast cancer" if case.inflammatory else "initially inoperable locally advanced (IIIB/IIIC)"
        item.fire(rule, f"{word_zh} → 新辅助全身治疗；转为可手术且无法行保乳术时全乳切除+腋窝淋巴结清扫；即使pCR亦行局部区域放疗；"
                  "仍不可手术时局部区域放疗；放疗后仍无法手术者不推荐常规姑息性乳房切除（除非可改善生活质量）",
                  f"{word_en} → neoadjuvant systemic therapy; if it becomes operable and breast conservation is not "
                  "possible, mastectomy + axillary dissection; locoregional radiotherapy even after pCR; radiotherapy if "
                  "still inoperable; no routine palliative mastectomy after that unless it improves quality of life")
        return item
    if case.presentation == "de_novo_stage_iv":
        organs = {m.organ for m in case.metastases if m.organ not in ("breast", "regional_lymph_node", "chest_wall")}
        bone_only_zh = "；单纯骨转移可能获得生存延长" if organs == {"bone"} else ""
        bone_only_en = "; bone-only disease may gain survival" if organs == {"bone"} else ""
        item.fire("de_novo_primary", f"初诊Ⅳ期 → 原发灶切除获益尚不明确，应谨慎选择{bone_only_zh}",
                  f"De novo stage IV → benefit of resecting the primary is uncertain{bone_only_en}")
        return item
    return None


def _locoregional(ctx: LocalContext) -> SiteItem | None:
    case = ctx.case
    if case.presentation != "local_regional_recurrence":
        return None
    item = ctx.item("locoregional")
    item.fire("locoregional_recurrence", "局部区域复发、无远处转移 → 尽可能局部根治性治疗，MDT讨论系统治疗与局部治疗顺序",
              "Locoregional recurrence without distant disease → radical local treatment where possible; MDT decides the "
              "order of systemic and local treatment")
    axillary = any(m.organ == "regional_lymph_node" for m in case.metastases)
    prior = case.context.prior_axillary_surgery
    if axillary and prior in ("none", "sentinel_node_biopsy"):
        word_zh = "未行腋窝手术" if prior == "none" else "仅行前哨淋巴结活检"
        word_en = "no prior axillary surgery" if prior == "none" else "only a prior sentinel node biopsy"
        item.fire("axillary_recurrence", f"区域淋巴结复发、既往{word_zh} → 首选腋窝淋巴结清扫，辅以放疗和全身治疗",
                  f"Regional nodal recurrence after {word_en} → axillary dissection first, with radiotherapy and systemic therapy")
    elif axillary and prior is None:
        item.flag("prior_axillary_surgery_unknown")
    return item


def _chest_wall(ctx: LocalContext) -> SiteItem | None:
    case = ctx.case
    if not any(m.organ == "chest_wall" for m in case.metastases):
        return None
    item = ctx.item("chest_wall")
    item.fire("chest_wall_resection", "胸壁复发 → 全面评估（胸、腹、骨影像）；可行且能R0切除、并发症低时手术切除",
              "Chest-wall recurrence → full staging (chest, abdomen, bone); resect when R0 is achievable with low morbidity")
    prior_rt = case.context.prior_breast_or_chest_wall_radiotherapy
    if prior_rt is False:
        item.fire("chest_wall_radiotherapy", "既往未接受放疗 → 局部区域放疗", "No prior radiotherapy → locoregional radiotherapy")
    elif prior_rt is True:
        item.fire("chest_wall_reirradiation", "既往接受过放疗 → 综合评估是否适合再程放疗（仅照射复发灶瘤床）",
                  "Prior radiotherapy → assess re-irradiation (recurrent tumour bed only)")
    else:
        item.flag("prior_radiotherapy_unknown")
    return item
