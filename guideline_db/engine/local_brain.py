"""Brain metastases (八（二）, 表14): surgery, SRS/FSRS, WBRT with or without hippocampal avoidance,
deferral for HER-2-positive disease, no radiotherapy, best supportive care, follow-up MRI.

The guideline's "< 3 or 4 cm" is a range: a largest lesion between 3 and 4 cm is flagged for the board,
never decided silently.
"""

from __future__ import annotations

from guideline_db.case_model import MetastaticSite
from guideline_db.engine.clinical import site_label
from guideline_db.engine.local import LocalContext, SiteItem


def _kps_at_most(kps: tuple[int, int] | None, limit: float) -> bool | None:
    """True/False when the KPS (or its ECOG band) is clearly on one side of `limit`, None when unknown or straddling."""
    if kps is None:
        return None
    low, high = kps
    if high <= limit:
        return True
    if low > limit:
        return False
    return None


def _kps_text(kps: tuple[int, int] | None) -> str:
    if kps is None:
        return "KPS ?"
    return f"KPS {kps[0]}" if kps[0] == kps[1] else f"KPS {kps[0]}-{kps[1]} (from ECOG)"


def brain_items(ctx: LocalContext) -> list[SiteItem]:
    return [_brain(ctx, i, site) for i, site in enumerate(ctx.case.metastases) if site.organ == "brain"]


def _brain(ctx: LocalContext, index: int, site: MetastaticSite) -> SiteItem:
    item = ctx.item("brain")
    brain = site.brain
    kps = ctx.derived.clinical.kps_range
    where_zh, where_en = site_label(site, index, 'zh'), site_label(site, index, 'en')
    if brain and brain.leptomeningeal:
        item.fire("brain_leptomeningeal", f"{where_zh}：脑膜转移 → 全脊髓增强MRI，WBRT+美金刚",
                  f"{where_en}: leptomeningeal disease → whole-spine MRI, WBRT + memantine")
    if brain and brain.diffuse:
        item.fire("brain_diffuse", f"{where_zh}：弥漫性脑转移 → WBRT+美金刚（±海马保护），或有条件时SRS/FSRS",
                  f"{where_en}: diffuse brain metastases → WBRT + memantine (± hippocampal avoidance), or SRS/FSRS where feasible")
        _hippocampal_avoidance(ctx, item, site)
        _follow_up(ctx, item)
        return item
    poor = _poor_prognosis(ctx)
    if poor:
        item.fire("brain_poor_prognosis", f"预后较差（{'；'.join(poor[0])}）→ 最佳支持治疗，根据病情±放疗",
                  f"Poor prognosis ({'; '.join(poor[1])}) → best supportive care, ± radiotherapy as needed")
    if site.symptomatic is False:
        if ctx.derived.receptors.her2_status.value == "positive":
            item.fire("brain_asymptomatic_her2_defer", "无症状、HER-2阳性 → 可在密切随访下使用中枢活性抗HER-2药物而推迟放疗（需MDT讨论及患者意愿）",
                      "Asymptomatic, HER-2-positive → radiotherapy may be deferred under close follow-up on CNS-active "
                      "anti-HER-2 drugs (MDT discussion, patient's wishes)")
        no_rt = _no_radiotherapy(ctx, item, kps)
        if no_rt:
            item.fire("brain_asymptomatic_no_radiotherapy", no_rt[0], no_rt[1])
            _follow_up(ctx, item)
            return item
    elif site.symptomatic is None:
        item.flag("symptoms_not_recorded")
    if not (brain and brain.leptomeningeal and not site.lesion_count):
        _local_treatment(ctx, item, site, where_zh, where_en)
    _follow_up(ctx, item)
    return item


def _poor_prognosis(ctx: LocalContext) -> tuple[list[str], list[str]] | None:
    cut = ctx.thresholds["brain_poor_prognosis_kps"]
    kps = ctx.derived.clinical.kps_range
    zh, en = [], []
    if kps is not None and kps[1] < cut.value:
        zh.append(f"{_kps_text(kps)}＜{cut.value:g}")
        en.append(f"{_kps_text(kps)} < {cut.value:g}")
    context = ctx.case.context
    if context.extracranial_disease_controlled is False:
        zh.append("颅外病灶未控制")
        en.append("extracranial disease uncontrolled")
    if context.effective_systemic_options is False:
        zh.append("缺乏有效的全身治疗")
        en.append("no effective systemic therapy")
    return (zh, en) if zh else None


def _no_radiotherapy(ctx: LocalContext, item: SiteItem, kps) -> tuple[str, str] | None:
    strict = ctx.thresholds["brain_no_radiotherapy_kps"]
    with_systemic = ctx.thresholds["brain_no_radiotherapy_kps_without_systemic"]
    at_most_50 = _kps_at_most(kps, strict.value)
    at_most_70 = _kps_at_most(kps, with_systemic.value)
    no_systemic = ctx.case.context.effective_systemic_options is False
    if at_most_50:
        return (f"无症状，{_kps_text(kps)}≤{strict.value:g} → 不考虑放疗",
                f"Asymptomatic, {_kps_text(kps)} ≤ {strict.value:g} → no radiotherapy")
    if at_most_70 and no_systemic:
        return (f"无症状，{_kps_text(kps)}≤{with_systemic.value:g}且无有效全身治疗 → 不考虑放疗",
                f"Asymptomatic, {_kps_text(kps)} ≤ {with_systemic.value:g} with no effective systemic therapy → no radiotherapy")
    if kps is None or (at_most_50 is None and kps[0] <= strict.value) or (at_most_70 is None and no_systemic):
        item.flag("kps_needed_for_radiotherapy_decision")
    return None


def _local_treatment(ctx: LocalContext, item: SiteItem, site: MetastaticSite, where_zh: str, where_en: str) -> None:
    t = ctx.thresholds
    brain = site.brain
    count, diameter = site.lesion_count, site.max_diameter_cm
    volume = brain.total_volume_ml if brain else None
    symptom_zh = "有症状" if site.symptomatic else "无症状"
    symptom_en = "symptomatic" if site.symptomatic else "asymptomatic"
    surgery_max = t["brain_surgery_max_lesions"]
    if count is None:
        item.flag("lesion_count_not_recorded")
        return
    if (count >= 1 and surgery_max.holds(count) and brain and brain.mass_effect
            and brain.resectable is not False):
        item.fire("brain_surgery", f"{count}个病灶（≤{surgery_max.value:g}）、有明显占位效应、{symptom_zh} → 首选手术，术后瘤床SRS或WBRT",
                  f"{count} lesion(s) (≤ {surgery_max.value:g}) with marked mass effect, {symptom_en} → resection first, "
                  "then cavity SRS or WBRT")
        return
    if brain and brain.mass_effect and brain.resectable is False:
        item.flag("mass_effect_not_resectable")
    srs_count, size, total = t["brain_srs_max_lesions"], t["brain_srs_max_diameter_cm"], t["brain_srs_total_volume_ml"]
    if srs_count.holds(count):
        if diameter is None:
            item.flag("max_diameter_not_recorded")
            item.fire("brain_srs", f"{count}个病灶（≤{srs_count.value:g}），最大径未记录 → 若最大径＜3～4 cm则首选SRS/FSRS",
                      f"{count} lesion(s) (≤ {srs_count.value:g}), largest diameter not recorded → SRS/FSRS if the largest "
                      "is < 3-4 cm")
        elif size.holds(diameter):
            item.fire("brain_srs", f"{count}个病灶，最大{diameter:.1f} cm（＜{size.value:g} cm），{symptom_zh} → SRS/FSRS",
                      f"{count} lesion(s), largest {diameter:.1f} cm (< {size.value:g} cm), {symptom_en} → SRS/FSRS")
        elif size.holds(diameter, upper=True):
            item.flag("largest_lesion_between_3_and_4_cm")
            item.fire("brain_srs", f"{count}个病灶，最大{diameter:.1f} cm：位于指南的3～4 cm范围内（＜3或4 cm），是否SRS/FSRS需MDT判断",
                      f"{count} lesion(s), largest {diameter:.1f} cm: inside the guideline's 3-4 cm range (< 3 or 4 cm); "
                      "whether SRS/FSRS applies is for the board to decide")
        else:
            item.flag("largest_lesion_4_cm_or_more")
            item.fire("brain_wbrt", f"{count}个病灶，最大{diameter:.1f} cm（≥{size.value_high:g} cm，超出SRS大小标准）→ WBRT，或讨论手术",
                      f"{count} lesion(s), largest {diameter:.1f} cm (≥ {size.value_high:g} cm, beyond the SRS size criterion) "
                      "→ WBRT, or discuss surgery")
            _hippocampal_avoidance(ctx, item, site)
        return
    if volume is not None and total.holds(volume):
        item.fire("brain_srs", f"{count}个病灶（＞{srs_count.value:g}），总体积{volume:g} ml（＜{total.value:g} ml）→ SRS/FSRS",
                  f"{count} lesions (> {srs_count.value:g}), total {volume:g} ml (< {total.value:g} ml) → SRS/FSRS")
        return
    if volume is None:
        item.flag("total_volume_not_recorded")
    detail_zh = f"总体积{volume:g} ml（≥{total.value:g} ml）" if volume is not None else "总体积未记录（＜7 ml时可SRS/FSRS）"
    detail_en = f"total {volume:g} ml (≥ {total.value:g} ml)" if volume is not None else "total volume not recorded (SRS/FSRS if < 7 ml)"
    item.fire("brain_wbrt", f"{count}个病灶（＞{srs_count.value:g}），{detail_zh} → WBRT",
              f"{count} lesions (> {srs_count.value:g}), {detail_en} → WBRT")
    _hippocampal_avoidance(ctx, item, site)


def _hippocampal_avoidance(ctx: LocalContext, item: SiteItem, site: MetastaticSite) -> None:
    cut = ctx.thresholds["hippocampal_avoidance_survival_months"]
    survival = ctx.case.context.expected_survival_months
    involved = site.brain.hippocampus_involved if site.brain else None
    if involved is False and survival is not None and cut.holds(survival):
        item.drop("wbrt")
        item.fire("brain_hippocampal_avoidance",
                  f"海马未受侵、预期生存{survival:g}个月（≥{cut.value:g}）→ 海马保护WBRT",
                  f"Hippocampus not involved, expected survival {survival:g} months (≥ {cut.value:g}) → WBRT with "
                  "hippocampal avoidance")
    elif involved is None or survival is None:
        item.flag("hippocampal_avoidance_needs_hippocampus_and_survival")


def _follow_up(ctx: LocalContext, item: SiteItem) -> None:
    first = ctx.thresholds["brain_mri_first_followup_months"]
    interval = ctx.thresholds["brain_mri_followup_interval_months"]
    item.fire("brain_followup", f"局部治疗后{first.value:g}个月复查头部增强MRI，之后每{interval.value:g}个月1次",
              f"Contrast brain MRI {first.value:g} month after local therapy, then every {interval.value:g} months")
