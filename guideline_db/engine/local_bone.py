"""Bone metastases (八（一）, 表13): bone-modifying agents for patients at SRE risk (deferrable for
isolated sternal, isolated rib or purely osteoblastic disease), dental examination, monitoring, fracture
and spinal-cord-compression pathways."""

from __future__ import annotations

from guideline_db.case_model import MetastaticSite
from guideline_db.engine.clinical import site_label
from guideline_db.engine.local import LocalContext, SiteItem

LOCATION_WORDS = {
    "cervical_spine": ("颈椎", "cervical spine"), "thoracic_spine": ("胸椎", "thoracic spine"),
    "lumbar_spine": ("腰椎", "lumbar spine"), "sacrum": ("骶骨", "sacrum"), "pelvis": ("骨盆", "pelvis"),
    "sternum": ("胸骨", "sternum"), "rib": ("肋骨", "rib"), "long_bone": ("长骨", "long bone"), "skull": ("颅骨", "skull"),
    "other": ("其他", "other"),
}


def bone_items(ctx: LocalContext) -> list[SiteItem]:
    sites = [(i, s) for i, s in enumerate(ctx.case.metastases) if s.organ == "bone"]
    if not sites:
        return []
    item = ctx.item("bone")
    _bone_modifying_agent(ctx, item, [s for _, s in sites])
    for index, site in sites:
        _complications(ctx, item, index, site)
    return [item]


def _no_risk_pattern(sites: list[MetastaticSite]) -> tuple[str, str] | None:
    """Isolated sternal, isolated rib or purely osteoblastic metastases without symptoms or events (八（一）)."""
    details = [s.bone for s in sites]
    if any(d is None for d in details):
        return None
    if any(d.pain or d.pathological_fracture or d.impending_fracture or d.spinal_cord_compression or d.hypercalcemia
           or d.extensive_marrow_involvement for d in details) or any(s.symptomatic for s in sites):
        return None
    locations = {loc for d in details for loc in d.locations}
    if locations == {"sternum"}:
        return "单纯胸骨转移", "isolated sternal metastases"
    if locations == {"rib"}:
        return "单纯肋骨转移", "isolated rib metastases"
    if all(d.lesion_type == "blastic" for d in details):
        return "单纯成骨转移", "purely osteoblastic metastases"
    return None


def _risk_features(sites: list[MetastaticSite]) -> tuple[list[str], list[str]]:
    zh, en = [], []
    for s in sites:
        d = s.bone
        if d is None:
            continue
        if d.lesion_type in ("lytic", "mixed"):
            zh.append({"lytic": "溶骨性", "mixed": "混合性"}[d.lesion_type])
            en.append(d.lesion_type)
        for flag, word_zh, word_en in (("pain", "骨痛", "pain"), ("pathological_fracture", "病理性骨折", "pathological fracture"),
                                       ("impending_fracture", "骨折风险", "impending fracture"),
                                       ("spinal_cord_compression", "脊髓压迫", "cord compression"),
                                       ("hypercalcemia", "高钙血症", "hypercalcaemia")):
            if getattr(d, flag):
                zh.append(word_zh)
                en.append(word_en)
        weight_bearing = [loc for loc in d.locations if loc.endswith("spine") or loc in ("sacrum", "pelvis", "long_bone")]
        if weight_bearing:
            zh.append("/".join(LOCATION_WORDS[loc][0] for loc in weight_bearing))
            en.append("/".join(LOCATION_WORDS[loc][1] for loc in weight_bearing))
    return list(dict.fromkeys(zh)), list(dict.fromkeys(en))


def _bone_modifying_agent(ctx: LocalContext, item: SiteItem, sites: list[MetastaticSite]) -> None:
    no_risk = _no_risk_pattern(sites)
    if no_risk:
        item.fire("bone_may_defer", f"{no_risk[0]}、无症状及骨相关事件 → 无骨相关事件风险，可暂缓骨调节剂",
                  f"{no_risk[1]} without symptoms or events → no SRE risk, the bone-modifying agent may be deferred")
        return
    zh, en = _risk_features(sites)
    stable = ctx.thresholds["bma_stable_years_before_3_monthly"]
    features_zh = "、".join(zh) or "骨转移"
    features_en = ", ".join(en) or "bone metastases"
    item.fire("bone_modifying_agent",
              f"骨转移（{features_zh}）有骨相关事件风险 → 尽早使用骨调节剂（双膦酸盐或地舒单抗），每月1次，稳定{stable.value:g}～{stable.value_high:g}年后可每3个月1次；监测血钙、肌酐、磷、镁",
              f"Bone metastases ({features_en}) at risk of skeletal-related events → bone-modifying agent (bisphosphonate "
              f"or denosumab) early, monthly, every 3 months after {stable.value:g}-{stable.value_high:g} years of stable "
              "disease; monitor calcium, creatinine, phosphate and magnesium")
    context = ctx.case.context
    if context.dental_exam_done:
        item.reasons_zh.append("已完成牙科检查；治疗期间避免口腔有创操作（八（一））")
        item.reasons_en.append("Dental examination done; avoid invasive dental procedures during treatment (八（一）)")
    else:
        item.fire("bone_dental", "骨调节剂前未记录牙科检查 → 先行牙科检查（颌骨坏死：总体8.8%，地舒单抗11.6%，双膦酸盐2.8%，序贯16.3%）",
                  "No dental examination recorded before the bone-modifying agent → dental examination first (jaw "
                  "osteonecrosis: 8.8 % overall, 11.6 % denosumab, 2.8 % bisphosphonate, 16.3 % sequential)")
    if context.invasive_dental_procedure_planned:
        item.flag("invasive_dental_procedure_planned")
        item.reasons_zh.append("计划中的口腔有创操作：应尽可能在骨调节剂治疗前完成或避免（八（一））")
        item.reasons_en.append("An invasive dental procedure is planned: complete it before, or avoid it during, "
                               "bone-modifying therapy (八（一）)")


def _complications(ctx: LocalContext, item: SiteItem, index: int, site: MetastaticSite) -> None:
    d = site.bone
    where_zh, where_en = site_label(site, index, 'zh'), site_label(site, index, 'en')
    if d is None:
        item.flag("bone_details_not_recorded")
        return
    if d.spinal_cord_compression:
        item.fire("bone_cord_compression", f"{where_zh}：脊髓压迫（肿瘤急症）→ 立即MRI，优选手术减压；无法减压固定时放疗",
                  f"{where_en}: spinal cord compression (oncological emergency) → immediate MRI, surgical decompression "
                  "preferred; radiotherapy if decompression is not feasible")
    long_bone = "long_bone" in d.locations
    if (d.impending_fracture or d.pathological_fracture) and long_bone:
        event_zh = "病理性骨折" if d.pathological_fracture else "即将发生骨折"
        event_en = "pathological fracture" if d.pathological_fracture else "impending fracture"
        item.fire("bone_fracture", f"{where_zh}：长骨{event_zh} → 矫形外科评估，先手术固定再局部放疗",
                  f"{where_en}: long-bone {event_en} → orthopaedic evaluation, surgical fixation then radiotherapy")
    elif d.impending_fracture or d.pathological_fracture:
        item.fire("bone_fracture", f"{where_zh}：骨折或骨折风险（非长骨）→ 矫形外科评估",
                  f"{where_en}: fracture or fracture risk (not a long bone) → orthopaedic evaluation", ["orthopedic_evaluation"])
    if d.pain:
        fracture_risk = d.impending_fracture or d.pathological_fracture
        actions = ["fracture_risk_imaging"] if fracture_risk else ["fracture_risk_imaging", "palliative_radiotherapy", "sbrt"]
        item.fire("bone_pain_imaging",
                  f"{where_zh}：骨痛 → 影像学评估骨折风险" + ("" if fracture_risk else "；无明确骨折风险时放疗可作为选择，小病灶可谨慎选择SBRT"),
                  f"{where_en}: bone pain → imaging for fracture risk" + (
                      "" if fracture_risk else "; without clear fracture risk radiotherapy is an option, SBRT for small lesions"),
                  actions)
