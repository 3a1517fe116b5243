"""Facts about the patient and the metastatic pattern: menopausal status, visceral crisis, oligometastasis,
PD-L1, performance status."""

from __future__ import annotations

from dataclasses import dataclass

from guideline_db.case_model import ECOG_TO_KPS, Case
from guideline_db.engine.facts import Fact
from guideline_db.engine.thresholds import Thresholds
from guideline_db.vocabulary import load_vocabulary

LOCOREGIONAL_ORGANS = ("breast", "chest_wall", "regional_lymph_node")
UNCOUNTABLE_ORGANS = ("pleura", "peritoneum")
METASTATIC_PRESENTATIONS = ("de_novo_stage_iv", "recurrent_metastatic")

# The visceral-crisis details a prompt may ask for, in words.
DETAIL_WORDS = {
    "lung.oxygen_at_rest": ("静息状态下是否需要吸氧", "whether oxygen is needed at rest"),
    "pleura.relieved_by_drainage": ("胸腔积液引流能否缓解呼吸困难", "whether drainage relieves the dyspnoea"),
    "liver.bilirubin_x_uln": ("胆红素（×正常值上限）", "bilirubin (× ULN)"),
    "symptomatic": ("是否有症状", "whether it is symptomatic"),
}


def site_label(site, index: int, lang: str = "en") -> str:
    """A metastatic site as a reader sees it: 1-based, in words — 转移部位第1项（肝）/ metastatic site 1 (liver)."""
    organ = load_vocabulary().name(site.organ, lang)
    if lang == "zh":
        return f"转移部位第{index + 1}项（{organ}）"
    return f"metastatic site {index + 1} ({organ})"


def sites_words(case: Case, indices, lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(site_label(case.metastases[i], i, lang) for i in indices)


def detail_words(case: Case, path: str, lang: str) -> str:
    """'metastases[0].lung.oxygen_at_rest' → '转移部位第1项（肺）：静息状态下是否需要吸氧'."""
    head, _, field = path.partition("].")
    index = int(head.split("[")[1])
    zh, en = DETAIL_WORDS.get(field, (field, field))
    return f"{site_label(case.metastases[index], index, lang)}{'：' if lang == 'zh' else ': '}{zh if lang == 'zh' else en}"


CRISIS_WORDS = {
    "lymphangitic_oxygen": ("肺部癌性淋巴管炎，静息状态下需要吸氧", "pulmonary lymphangitic spread needing oxygen at rest"),
    "dyspnea_effusion_refractory": ("静息时呼吸困难，胸腔积液引流不能缓解", "dyspnoea at rest from an effusion not relieved by drainage"),
    "diffuse_liver_bilirubin": ("弥漫肝转移并且胆红素≥{cut}倍正常值上限（无胆道梗阻）", "diffuse liver metastases with bilirubin ≥ {cut} × ULN, no biliary obstruction"),
    "extensive_marrow": ("广泛的骨髓转移", "extensive bone-marrow involvement"),
    "leptomeningeal": ("脑膜转移", "leptomeningeal metastases"),
    "symptomatic_brain_parenchymal": ("有症状的脑实质转移", "symptomatic brain parenchymal metastases"),
}


@dataclass(frozen=True)
class ClinicalFacts:
    menopausal_status: Fact
    visceral_crisis: Fact
    visceral_crisis_reasons: tuple[str, ...]
    visceral_crisis_unknown: tuple[str, ...]
    oligometastatic: Fact
    lesion_count_unknown: tuple[int, ...]
    lesion_count_zero: tuple[int, ...]
    pdl1_positive: Fact
    kps_range: tuple[int, int] | None


def treatment_menopausal_status(case: Case) -> Fact:
    p = case.patient
    section = "五（二）2"
    if p.sex == "male":
        return Fact("male", "九", "男性患者 → 按男性乳腺癌原则（表15）", "Male patient → men's rules (Table 15)", {"sex": "male"})
    status = p.menopausal_status or "unknown"
    inputs = {"menopausal_status": status, "chemo_induced_amenorrhea": p.chemo_induced_amenorrhea,
              "menopause_confirmed": p.menopause_confirmed}
    if p.chemo_induced_amenorrhea and not p.menopause_confirmed:
        return Fact("pre", "五（一）", "化疗致闭经且绝经状态未确认 → 按绝经前处理（需判断是否已绝经，尤其在使用AI前）",
                    "Chemotherapy-induced amenorrhoea without confirmed menopause → treated as premenopausal "
                    "(status must be confirmed, especially before an AI)", inputs)
    if status == "post":
        confirmed = "（化疗致闭经，已确认绝经）" if p.chemo_induced_amenorrhea else ""
        confirmed_en = " (chemotherapy-induced amenorrhoea, menopause confirmed)" if p.chemo_induced_amenorrhea else ""
        return Fact("post", section, f"绝经后{confirmed} → 表8绝经后方案", f"Postmenopausal{confirmed_en} → Table 8 options", inputs)
    if status == "unknown":
        return Fact("pre", section, "月经状态未知 → 按绝经前处理（联合卵巢功能抑制），待确认",
                    "Menopausal status unknown → treated as premenopausal (with ovarian suppression) until confirmed", inputs)
    word = {"pre": ("绝经前", "Premenopausal"), "peri": ("围绝经期", "Perimenopausal")}[status]
    return Fact("pre", section, f"{word[0]} → 去势治疗后参考绝经后方案", f"{word[1]} → ovarian suppression, then the postmenopausal options",
                inputs)


def _visceral_crisis(case: Case, thresholds: Thresholds) -> tuple[Fact, tuple[str, ...], tuple[str, ...]]:
    cut = thresholds["visceral_crisis_bilirubin_x_uln"]
    reasons: list[tuple[str, int]] = []
    unknown: list[str] = []
    for i, site in enumerate(case.metastases):
        where = f"metastases[{i}]"
        if site.organ == "lung" and site.lung:
            if site.lung.lymphangitic_spread and site.lung.oxygen_at_rest:
                reasons.append(("lymphangitic_oxygen", i))
            elif site.lung.lymphangitic_spread and site.lung.oxygen_at_rest is None:
                unknown.append(f"{where}.lung.oxygen_at_rest")
        if site.organ == "pleura" and site.pleura and site.pleura.dyspnea_at_rest:
            if site.pleura.relieved_by_drainage is False:
                reasons.append(("dyspnea_effusion_refractory", i))
            elif site.pleura.relieved_by_drainage is None:
                unknown.append(f"{where}.pleura.relieved_by_drainage")
        if site.organ == "liver" and site.liver and site.liver.diffuse:
            bilirubin = site.liver.bilirubin_x_uln
            if bilirubin is None:
                unknown.append(f"{where}.liver.bilirubin_x_uln")
            elif cut.holds(bilirubin) and not site.liver.biliary_obstruction:
                reasons.append(("diffuse_liver_bilirubin", i))
        if site.organ == "bone" and site.bone and site.bone.extensive_marrow_involvement:
            reasons.append(("extensive_marrow", i))
        if site.organ == "brain":
            brain = site.brain
            if brain and brain.leptomeningeal:
                reasons.append(("leptomeningeal", i))
            parenchymal = not (brain and brain.leptomeningeal) or bool(site.lesion_count)
            if site.symptomatic and parenchymal:
                reasons.append(("symptomatic_brain_parenchymal", i))
            elif site.symptomatic is None:
                unknown.append(f"{where}.symptomatic")
    tokens = tuple(dict.fromkeys(token for token, _ in reasons))
    if tokens:
        value = f"{cut.value:g}"     # the bilirubin threshold from its row, never a copied number
        zh = "；".join(f"{CRISIS_WORDS[t][0].format(cut=value)}（{site_label(case.metastases[i], i, 'zh')}）"
                      for t, i in reasons)
        en = "; ".join(f"{CRISIS_WORDS[t][1].format(cut=value)} ({site_label(case.metastases[i], i)})" for t, i in reasons)
        fact = Fact(True, "五（一）", f"{zh} → 内脏危象（五（一）六项标准之一）",
                    f"{en} → visceral crisis (one of the six criteria of 五（一）)", {"reasons": list(tokens)})
    else:
        fact = Fact(False, "五（一）", "不符合内脏危象六项标准中的任何一项（内脏危象并非指单纯的内脏转移）",
                    "None of the six visceral-crisis criteria is met (visceral metastases alone are not a crisis)",
                    {"unknown": unknown})
    return fact, tokens, tuple(unknown)


def _oligometastatic(case: Case, thresholds: Thresholds) -> tuple[Fact, tuple[int, ...], tuple[int, ...]]:
    lesions_cut, sites_cut = thresholds["oligometastasis_lesions"], thresholds["oligometastasis_sites"]
    section = lesions_cut.section
    if case.presentation not in METASTATIC_PRESENTATIONS:
        return Fact(False, section, "无远处转移 → 不适用", "No distant metastases → not applicable", {}), (), ()
    distant = [(i, s) for i, s in enumerate(case.metastases) if s.organ not in LOCOREGIONAL_ORGANS]
    if not distant:
        return Fact(False, section, "未记录远处转移部位", "No distant metastatic site recorded", {}), (), ()
    unknown = tuple(i for i, s in distant if s.lesion_count is None and s.organ not in UNCOUNTABLE_ORGANS)
    zero = tuple(i for i, s in distant if s.lesion_count == 0)
    diffuse = [i for i, s in distant if (s.organ in UNCOUNTABLE_ORGANS and s.lesion_count is None)
               or (s.liver and s.liver.diffuse) or (s.brain and (s.brain.diffuse or s.brain.leptomeningeal))
               or (s.bone and s.bone.extensive_marrow_involvement)]
    organs = sorted({s.organ for _, s in distant})
    total = sum(s.lesion_count or 0 for _, s in distant)
    inputs = {"lesions": total, "organ_sites": organs}
    if diffuse:
        return Fact(False, section, f"存在弥漫/不可计数病变（{sites_words(case, diffuse, 'zh')}）→ 非寡转移",
                    f"Diffuse or uncountable disease ({sites_words(case, diffuse, 'en')}) → not oligometastatic",
                    inputs), unknown, zero
    if unknown or zero:
        missing = sorted(unknown + zero)
        return Fact(False, section, f"转移灶数目未记录或记为0（{sites_words(case, missing, 'zh')}）→ 无法判断寡转移",
                    f"Lesion count not recorded or recorded as 0 ({sites_words(case, missing, 'en')}) → oligometastasis "
                    "cannot be judged", {**inputs, "judged": False}), unknown, zero
    fits = lesions_cut.holds(total, upper=True) and sites_cut.holds(len(organs))
    verdict_zh = "寡转移" if fits else "非寡转移"
    verdict_en = "oligometastatic" if fits else "not oligometastatic"
    border = ""
    border_en = ""
    if fits and not lesions_cut.holds(total):
        border, border_en = "（4～5个病灶处于定义范围上端，需多学科判断）", " (4-5 lesions: upper end of the range, for the board to judge)"
    return Fact(fits, section,
                f"{total}个病灶、{len(organs)}个部位（{'、'.join(load_vocabulary().name(o, 'zh') for o in organs)}）；标准：转移灶{lesions_cut.shown_zh}、转移部位{sites_cut.shown_zh} → {verdict_zh}{border}",
                f"{total} lesions in {len(organs)} organ site(s) ({', '.join(load_vocabulary().name(o, 'en') for o in organs)}); criterion {lesions_cut.shown} in "
                f"{sites_cut.shown} → {verdict_en}{border_en}", inputs), unknown, zero


def _pdl1(case: Case, thresholds: Thresholds) -> Fact:
    cut = thresholds["pdl1_cps_positive"]
    cps = case.biomarkers.pdl1_cps
    assay = f"（{case.biomarkers.pdl1_assay}）" if case.biomarkers.pdl1_assay else ""
    if cps is None:
        return Fact(None, cut.section, "PD-L1未检测", "PD-L1 not tested", {})
    positive = cut.holds(cps)
    return Fact(positive, cut.section,
                f"PD-L1 CPS {cps:g}{assay}，CPS{cut.shown.replace(' CPS', '')}为阳性 → {'阳性' if positive else '阴性'}",
                f"PD-L1 CPS {cps:g}{assay}; CPS {cut.shown.replace(' CPS', '')} is positive → {'positive' if positive else 'negative'}",
                {"pdl1_cps": cps, "assay": case.biomarkers.pdl1_assay})


def kps_range(case: Case) -> tuple[int, int] | None:
    """KPS as a range: exact when KPS was given, the ECOG-equivalent band otherwise."""
    if case.patient.kps is not None:
        return case.patient.kps, case.patient.kps
    if case.patient.ecog is not None:
        return ECOG_TO_KPS[case.patient.ecog]
    return None


def derive_clinical(case: Case, thresholds: Thresholds) -> ClinicalFacts:
    crisis, reasons, crisis_unknown = _visceral_crisis(case, thresholds)
    oligo, lesion_unknown, lesion_zero = _oligometastatic(case, thresholds)
    return ClinicalFacts(
        menopausal_status=treatment_menopausal_status(case),
        visceral_crisis=crisis,
        visceral_crisis_reasons=reasons,
        visceral_crisis_unknown=crisis_unknown,
        oligometastatic=oligo,
        lesion_count_unknown=lesion_unknown,
        lesion_count_zero=lesion_zero,
        pdl1_positive=_pdl1(case, thresholds),
        kps_range=kps_range(case),
    )
