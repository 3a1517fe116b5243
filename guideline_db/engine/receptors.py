"""Receptor status: which specimen decides, HR and HER-2 categories, subtype and discordance.

Rule (三, 表5#2): when primary and metastasis disagree, the most recent metastasis is the main basis
for treatment. A specimen missing a value does not decide that value; the next candidate does.
"""

from __future__ import annotations

from dataclasses import dataclass

from guideline_db.case_model import Case, PathologySpecimen
from guideline_db.engine.facts import Fact
from guideline_db.engine.thresholds import Thresholds

HER2_NEGATIVE = ("low", "ultralow", "zero")


def her2_category(specimen: PathologySpecimen) -> str:
    """positive | low | ultralow | zero | unknown, per the HER-2 rules of the case format."""
    ihc, ish = specimen.her2_ihc, specimen.her2_ish
    if ihc == "3+" or (ihc == "2+" and ish == "amplified") or (ihc is None and ish == "amplified"):
        return "positive"
    if ihc == "2+":
        return "low" if ish == "not_amplified" else "unknown"
    if ihc == "1+":
        return "positive" if ish == "amplified" else "low"
    if ihc in ("ultralow", "0"):
        if ish == "amplified":
            return "positive"
        return "ultralow" if ihc == "ultralow" else "zero"
    return "unknown"


def hr_positive(specimen: PathologySpecimen, thresholds: Thresholds) -> bool | None:
    cut = thresholds["hr_positive_percent"]
    values = [v for v in (specimen.er_percent, specimen.pr_percent) if v is not None]
    if any(cut.holds(v) for v in values):
        return True
    if specimen.er_percent is not None and specimen.pr_percent is not None:
        return False
    return None


SPECIMEN_ZH = {"primary": "原发灶", "metastasis": "转移灶", "recurrence": "复发灶"}


def _describe(specimen: PathologySpecimen, index: int, lang: str = "en") -> str:
    when = f" {specimen.date}" if specimen.date else ""
    if lang == "zh":
        return f"病理[{index}]（{SPECIMEN_ZH[specimen.specimen]}{when}）"
    return f"pathology[{index}] ({specimen.specimen}{when})"


def _ordered(case: Case) -> list[tuple[int, PathologySpecimen]]:
    """Specimens newest first; undated ones keep the file order (newest last)."""
    indexed = list(enumerate(case.pathology))
    return sorted(indexed, key=lambda item: (item[1].date is not None, item[1].date or 0, item[0]), reverse=True)


@dataclass(frozen=True)
class ReceptorFacts:
    source: Fact
    hr_positive: Fact
    her2_status: Fact
    subtype: Fact
    discordance: Fact
    source_index: int | None


def derive_receptors(case: Case, thresholds: Thresholds) -> ReceptorFacts:
    ordered = _ordered(case)
    metastatic = [(i, s) for i, s in ordered if s.specimen in ("metastasis", "recurrence")]
    primary = [(i, s) for i, s in ordered if s.specimen == "primary"]
    candidates = metastatic + primary

    def first(pick) -> tuple[int | None, object]:
        for index, specimen in candidates:
            value = pick(specimen)
            if value is not None and value != "unknown":
                return index, value
        return None, None

    hr_index, hr_value = first(lambda s: hr_positive(s, thresholds))
    her2_index, her2_value = first(her2_category)
    her2_value = her2_value or "unknown"
    source_index = hr_index if hr_index is not None else her2_index
    if source_index is None:
        source_value, src_zh, src_en = None, "无可用的受体检测结果", "no specimen has receptor results"
    else:
        chosen = case.pathology[source_index]
        source_value = "metastasis" if chosen.specimen in ("metastasis", "recurrence") else "primary"
        src_en = (f"{_describe(chosen, source_index)} decides: the newest metastasis/recurrence specimen is the main "
                  "basis for treatment, else the primary (三)")
        src_zh = f"以{_describe(chosen, source_index, 'zh')}为准：以最近一次转移灶的检测结果作为治疗的主要依据，无转移灶时用原发灶（三）"
        if her2_index is not None and her2_index != source_index:
            src_en += f"; HER-2 taken from {_describe(case.pathology[her2_index], her2_index)}"
            src_zh += f"；HER-2取自{_describe(case.pathology[her2_index], her2_index, 'zh')}"
    source = Fact(source_value, "三", src_zh, src_en, {"specimen_index": source_index})

    hr_fact = _hr_fact(case, hr_index, hr_value, thresholds)
    her2_fact = _her2_fact(case, her2_index, her2_value)
    subtype = _subtype_fact(hr_value, her2_value)
    discordance = _discordance(case, metastatic, primary, thresholds)
    return ReceptorFacts(source, hr_fact, her2_fact, subtype, discordance, source_index)


def _hr_fact(case: Case, index: int | None, value: bool | None, thresholds: Thresholds) -> Fact:
    cut = thresholds["hr_positive_percent"]
    if index is None:
        return Fact(None, cut.section, "ER/PR未检测，HR状态未知", "ER/PR not tested: HR status unknown")
    s = case.pathology[index]
    er, pr = _pct(s.er_percent), _pct(s.pr_percent)
    word_en = "positive" if value else "negative"
    word_zh = "阳性" if value else "阴性"
    return Fact(value, cut.section,
                f"ER {er}、PR {pr}（{_describe(s, index, 'zh')}）：ER或PR{cut.shown_zh}为HR阳性 → HR{word_zh}",
                f"ER {er}, PR {pr} ({_describe(s, index)}): ER or PR {cut.shown} is HR-positive → HR-{word_en}",
                {"er_percent": s.er_percent, "pr_percent": s.pr_percent, "specimen_index": index})


def _pct(value: float | None) -> str:
    return "未检测/not done" if value is None else f"{value:g}%"


_HER2_WORDS = {
    "positive": ("HER-2阳性", "HER-2-positive"), "low": ("HER-2低表达", "HER-2-low"),
    "ultralow": ("HER-2超低表达", "HER-2-ultralow"), "zero": ("HER-2 0", "HER-2 IHC 0"),
    "unknown": ("HER-2未知", "HER-2 unknown"),
}


def _her2_fact(case: Case, index: int | None, value: str) -> Fact:
    zh, en = _HER2_WORDS[value]
    if index is None:
        pending = [i for i, s in enumerate(case.pathology) if s.her2_ihc == "2+" and s.her2_ish is None]
        if pending:
            return Fact("unknown", "六（一）", f"HER-2 IHC 2+ 未行ISH（pathology[{pending[0]}]）：HER-2状态未定",
                        f"HER-2 IHC 2+ without ISH (pathology[{pending[0]}]): HER-2 status undetermined",
                        {"specimen_index": pending[0]})
        return Fact("unknown", "六（一）", "HER-2未检测", "HER-2 not tested")
    s = case.pathology[index]
    ish = f", ISH {s.her2_ish}" if s.her2_ish else ""
    return Fact(value, "六（一）",
                f"IHC {s.her2_ihc or '未做'}{ish}（{_describe(s, index, 'zh')}）：IHC 3+或2+且ISH扩增为阳性；1+或2+未扩增为低表达；"
                f"≤10%细胞微弱着色为超低表达 → {zh}",
                f"IHC {s.her2_ihc or 'not done'}{ish} ({_describe(s, index)}): 3+ or 2+ ISH-amplified is positive; 1+ or "
                f"2+ not amplified is low; faint staining in ≤10 % of cells is ultralow → {en}",
                {"her2_ihc": s.her2_ihc, "her2_ish": s.her2_ish, "specimen_index": index})


def _subtype_fact(hr: bool | None, her2: str) -> Fact:
    if her2 == "positive":
        value = {True: "hr_pos_her2_pos", False: "hr_neg_her2_pos", None: "unknown"}[hr]
    elif her2 in HER2_NEGATIVE:
        value = {True: "hr_pos_her2_neg", False: "triple_negative", None: "unknown"}[hr]
    else:
        value = "unknown"
    hr_zh = {True: "HR阳性", False: "HR阴性", None: "HR未知"}[hr]
    hr_en = {True: "HR-positive", False: "HR-negative", None: "HR unknown"}[hr]
    her2_zh, her2_en = _HER2_WORDS[her2]
    return Fact(value, "三", f"{hr_zh}、{her2_zh} → 分子分型 {value}", f"{hr_en}, {her2_en} → subtype {value}",
                {"hr_positive": hr, "her2_status": her2})


def _discordance(case: Case, metastatic, primary, thresholds: Thresholds) -> Fact:
    if not metastatic or not primary:
        return Fact(False, "三", "无原发灶与转移灶配对结果可比较", "no primary/metastasis pair to compare",
                    {"compared": False})
    (mi, met), (pi, prim) = metastatic[0], primary[0]
    changes_zh, changes_en = [], []
    hr_met, hr_prim = hr_positive(met, thresholds), hr_positive(prim, thresholds)
    if hr_met is not None and hr_prim is not None and hr_met != hr_prim:
        changes_zh.append(f"HR {'阳性' if hr_prim else '阴性'}→{'阳性' if hr_met else '阴性'}")
        changes_en.append(f"HR {'positive' if hr_prim else 'negative'}→{'positive' if hr_met else 'negative'}")
    her2_met, her2_prim = her2_category(met), her2_category(prim)
    known = "unknown" not in (her2_met, her2_prim)
    if known and (her2_met == "positive") != (her2_prim == "positive"):
        changes_zh.append(f"HER-2 {_HER2_WORDS[her2_prim][0]}→{_HER2_WORDS[her2_met][0]}")
        changes_en.append(f"HER-2 {her2_prim}→{her2_met}")
    pair_en = f"{_describe(prim, pi)} vs {_describe(met, mi)}"
    if changes_en:
        return Fact(True, "三", f"{pair_en}：{'；'.join(changes_zh)}", f"{pair_en}: {'; '.join(changes_en)}",
                    {"primary_index": pi, "metastasis_index": mi, "changes": changes_en})
    return Fact(False, "三", f"{pair_en}：HR与HER-2状态一致", f"{pair_en}: HR and HER-2 status agree",
                {"primary_index": pi, "metastasis_index": mi})
