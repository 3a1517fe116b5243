"""Receptor status: which specimen decides, HR and HER-2 categories, subtype and discordance.

Rule (三, 表5#2): when primary and metastasis disagree, the most recent metastasis is the main basis
for treatment. A specimen missing a value does not decide that value; the next candidate does.
"""

from __future__ import annotations

from dataclasses import dataclass

from guideline_db.case_model import Case, PathologySpecimen
from guideline_db.engine.facts import Fact
from guideline_db.engine.model import ReceptorChange
from guideline_db.engine.thresholds import Thresholds
from guideline_db.vocabulary import load_vocabulary

HER2_NEGATIVE = ("low", "ultralow", "zero", "negative")
# "negative": ISH not amplified with no IHC — HER-2-negative, but low / ultralow / 0 cannot be told apart.


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


# Decalcification lowers staining (false negatives), never raises it: results are ranked so that a
# decalcified specimen's LOWER result is the one that is not taken alone (see docs/decisions.md).
HER2_RANK = {"negative": 0, "zero": 0, "ultralow": 1, "low": 2, "positive": 3}


def specimen_label(specimen: PathologySpecimen, index: int, lang: str = "en") -> str:
    """A specimen as a reader sees it: 1-based, in words — 病理第2项（转移灶 2024-06-10）/ specimen 2 (metastasis, 2024-06-10)."""
    if lang == "zh":
        parts = [load_vocabulary().name(specimen.specimen, "zh"), specimen.site or "", str(specimen.date or ""),
                 "脱钙" if specimen.decalcified else ""]
        return f"病理第{index + 1}项（{' '.join(p for p in parts if p)}）"
    parts = [load_vocabulary().name(specimen.specimen, "en"), specimen.site or "", str(specimen.date or ""),
             "decalcified" if specimen.decalcified else ""]
    return f"specimen {index + 1} ({', '.join(p for p in parts if p)})"


def _ordered(case: Case) -> list[tuple[int, PathologySpecimen]]:
    """Specimens newest first; undated ones keep the file order (newest last)."""
    indexed = list(enumerate(case.pathology))
    return sorted(indexed, key=lambda item: (item[1].date is not None, item[1].date or 0, item[0]), reverse=True)


@dataclass(frozen=True)
class SetAside:
    """A decalcified specimen's lower result that was not taken alone: what it said and what decided instead."""
    marker: str                 # "hr" | "her2"
    specimen_index: int
    value: object               # the decalcified result (False for HR-negative, a HER-2 category)
    used_index: int             # the non-decalcified specimen that decided


@dataclass(frozen=True)
class ReceptorFacts:
    source: Fact
    hr_positive: Fact
    her2_status: Fact
    subtype: Fact
    discordance: Fact
    source_index: int | None
    set_aside: tuple[SetAside, ...] = ()
    her2_pending_index: int | None = None        # deciding HER-2 specimen: IHC 2+ without ISH
    her2_context_index: int | None = None        # an older specimen's HER-2 result, shown as context only
    alternative_subtype: str | None = None       # the subtype if the set-aside results were true
    her2_ihc_needed_index: int | None = None     # deciding HER-2 specimen: ISH not amplified, IHC not done


def her2_result(specimen: PathologySpecimen) -> str | None:
    """The specimen's HER-2 category when it has one; "unknown" for IHC 2+ awaiting ISH; "negative" for ISH
    not amplified without IHC; None when HER-2 was not tested."""
    category = her2_category(specimen)
    if category != "unknown":
        return category
    if specimen.her2_ihc is None and specimen.her2_ish == "not_amplified":
        return "negative"
    return "unknown" if specimen.her2_ihc == "2+" else None


def _deciding(marker: str, candidates, pick, rank) -> tuple[int | None, object, SetAside | None]:
    """The first candidate with a result decides, except that a decalcified specimen's result ranking
    below a non-decalcified specimen's result is set aside for the latter (二, 三)."""
    found = [(i, s, v) for i, s in candidates if (v := pick(s)) is not None]
    if not found:
        return None, None, None
    index, specimen, value = found[0]
    if specimen.decalcified and value != "unknown":
        reliable = next(((i, v) for i, s, v in found if not s.decalcified and v != "unknown"), None)
        if reliable and rank(reliable[1]) > rank(value):
            return reliable[0], reliable[1], SetAside(marker, index, value, reliable[0])
    return index, value, None


def derive_receptors(case: Case, thresholds: Thresholds) -> ReceptorFacts:
    ordered = _ordered(case)
    metastatic = [(i, s) for i, s in ordered if s.specimen in ("metastasis", "recurrence")]
    primary = [(i, s) for i, s in ordered if s.specimen == "primary"]
    candidates = metastatic + primary

    hr_index, hr_value, hr_aside = _deciding("hr", candidates, lambda s: hr_positive(s, thresholds), lambda v: int(bool(v)))
    her2_index, her2_value, her2_aside = _deciding(
        "her2", candidates, her2_result, lambda v: HER2_RANK.get(v, -1))
    set_aside = tuple(a for a in (hr_aside, her2_aside) if a)
    pending = her2_index if her2_value == "unknown" else None
    context = None
    if pending is not None:
        her2_index = None
        context = next((i for i, s in candidates if i != pending and her2_result(s) not in (None, "unknown")), None)
    her2_value = her2_value or "unknown"
    ihc_needed = her2_index if her2_value == "negative" else None
    source_index = hr_index if hr_index is not None else (her2_index if her2_index is not None else pending)
    if source_index is None:
        source_value, src_zh, src_en = None, "无可用的受体检测结果", "no specimen has receptor results"
    else:
        chosen = case.pathology[source_index]
        source_value = "metastasis" if chosen.specimen in ("metastasis", "recurrence") else "primary"
        src_en = (f"{specimen_label(chosen, source_index)} decides: the newest metastasis/recurrence specimen is the main "
                  "basis for treatment, else the primary (三)")
        src_zh = f"以{specimen_label(chosen, source_index, 'zh')}为准：以最近一次转移灶的检测结果作为治疗的主要依据，无转移灶时用原发灶（三）"
        if set_aside:
            src_en += "; a decalcified specimen's lower result was set aside (see HR/HER-2)"
            src_zh += "；脱钙标本的较低结果未单独采用（见HR/HER-2）"
        her2_from = her2_index if her2_index is not None else pending
        if her2_from is not None and her2_from != source_index:
            src_en += f"; HER-2 taken from {specimen_label(case.pathology[her2_from], her2_from)}"
            src_zh += f"；HER-2取自{specimen_label(case.pathology[her2_from], her2_from, 'zh')}"
    source = Fact(source_value, "三", src_zh, src_en, {"specimen_index": source_index})

    hr_fact = _hr_fact(case, hr_index, hr_value, thresholds, hr_aside)
    her2_fact = _her2_fact(case, her2_index, her2_value, pending, context, her2_aside)
    subtype = _subtype_fact(hr_value, her2_value)
    alternative = None
    if set_aside:
        alt_hr = False if hr_aside else hr_value
        alt_her2 = her2_aside.value if her2_aside else her2_value
        alternative = _subtype_fact(alt_hr, alt_her2).value
    if her2_value == "negative":
        her2_value = "unknown"
    discordance = _discordance(case, metastatic, primary, thresholds)
    return ReceptorFacts(source, hr_fact, her2_fact, subtype, discordance, source_index, set_aside, pending, context,
                         alternative, ihc_needed)


def _set_aside_words(case: Case, aside: SetAside | None, lang: str) -> str:
    if aside is None:
        return ""
    spec, used = case.pathology[aside.specimen_index], case.pathology[aside.used_index]
    if aside.marker == "hr":
        said_zh, said_en = "HR阴性", "HR-negative"
    else:
        said_zh, said_en = HER2_WORDS[aside.value]
    if lang == "zh":
        return (f"；{specimen_label(spec, aside.specimen_index, 'zh')}为{said_zh}，但脱钙可致假阴性，不单独据此改变分型，"
                f"以{specimen_label(used, aside.used_index, 'zh')}为准（二、三：结合既往病史、既往治疗及治疗敏感性综合考虑）")
    return (f"; {specimen_label(spec, aside.specimen_index)} reads {said_en}, but decalcification can give false negatives, "
            f"so that result alone does not change the subtype: {specimen_label(used, aside.used_index)} decides "
            "(二, 三: judge with the history, prior treatment and its effect)")


def _hr_fact(case: Case, index: int | None, value: bool | None, thresholds: Thresholds,
             aside: SetAside | None = None) -> Fact:
    cut = thresholds["hr_positive_percent"]
    if index is None:
        return Fact(None, cut.section, "ER/PR未检测，HR状态未知", "ER/PR not tested: HR status unknown")
    s = case.pathology[index]
    er, pr = _pct(s.er_percent), _pct(s.pr_percent)
    word_en = "positive" if value else "negative"
    word_zh = "阳性" if value else "阴性"
    inputs = {"er_percent": s.er_percent, "pr_percent": s.pr_percent, "specimen_index": index}
    if aside:
        inputs["set_aside_specimen_index"] = aside.specimen_index
    return Fact(value, cut.section,
                f"ER {er}、PR {pr}（{specimen_label(s, index, 'zh')}）：ER或PR{cut.shown_zh}为HR阳性 → HR{word_zh}"
                + _set_aside_words(case, aside, "zh"),
                f"ER {er}, PR {pr} ({specimen_label(s, index)}): ER or PR {cut.shown} is HR-positive → HR-{word_en}"
                + _set_aside_words(case, aside, "en"), inputs)


def _pct(value: float | None) -> str:
    return "未检测/not done" if value is None else f"{value:g}%"


ISH_WORDS = {"amplified": ("扩增", "amplified"), "not_amplified": ("不扩增", "not amplified")}
SUBTYPE_WORDS = {
    "hr_pos_her2_neg": ("HR阳性/HER-2阴性", "HR-positive/HER-2-negative"),
    "hr_pos_her2_pos": ("HR阳性/HER-2阳性", "HR-positive/HER-2-positive"),
    "hr_neg_her2_pos": ("HR阴性/HER-2阳性", "HR-negative/HER-2-positive"),
    "triple_negative": ("三阴性", "triple-negative"),
    "unknown": ("未定", "undetermined"),
}
HER2_WORDS = {
    "positive": ("HER-2阳性", "HER-2-positive"), "low": ("HER-2低表达", "HER-2-low"),
    "ultralow": ("HER-2超低表达", "HER-2-ultralow"), "zero": ("HER-2 0", "HER-2 IHC 0"),
    "unknown": ("HER-2未知", "HER-2 unknown"),
    "negative": ("HER-2阴性（ISH不扩增，未做IHC）", "HER-2-negative (ISH not amplified, no IHC)"),
}


def _her2_fact(case: Case, index: int | None, value: str, pending: int | None = None, context: int | None = None,
               aside: SetAside | None = None) -> Fact:
    zh, en = HER2_WORDS[value]
    if index is None:
        if pending is not None:
            spec = case.pathology[pending]
            older_zh = older_en = ""
            if context is not None:
                older = case.pathology[context]
                older_zh = (f"；{specimen_label(older, context, 'zh')}为{HER2_WORDS[her2_result(older)][0]}，"
                            "较早标本仅供参考，不代替最新转移灶的结果")
                older_en = (f"; {specimen_label(older, context)} was {HER2_WORDS[her2_result(older)][1]}, an older "
                            "result shown as context only, not in place of the newest specimen")
            inputs = {"specimen_index": pending, "context_specimen_index": context}
            return Fact("unknown", "六（一）",
                        f"{specimen_label(spec, pending, 'zh')} HER-2 IHC 2+ 未行ISH：HER-2状态未定{older_zh}",
                        f"{specimen_label(spec, pending)}: HER-2 IHC 2+ without ISH: HER-2 status undetermined{older_en}",
                        inputs)
        return Fact("unknown", "六（一）", "HER-2未检测", "HER-2 not tested")
    s = case.pathology[index]
    if value == "negative":
        return Fact("unknown", "六（一）",
                    f"ISH不扩增、未做IHC（{specimen_label(s, index, 'zh')}）：HER-2阴性，但无法区分HER-2低表达、超低表达或0 → HER-2分类未定"
                    + _set_aside_words(case, aside, "zh"),
                    f"ISH not amplified without IHC ({specimen_label(s, index)}): HER-2-negative, but HER-2-low, ultralow "
                    "and 0 cannot be told apart → HER-2 category undetermined" + _set_aside_words(case, aside, "en"),
                    {"her2_ihc": None, "her2_ish": s.her2_ish, "specimen_index": index, "her2_negative": True})
    ish = f", ISH {ISH_WORDS[s.her2_ish][1]}" if s.her2_ish else ""
    ish_zh = f"、ISH {ISH_WORDS[s.her2_ish][0]}" if s.her2_ish else ""
    inputs = {"her2_ihc": s.her2_ihc, "her2_ish": s.her2_ish, "specimen_index": index}
    if aside:
        inputs["set_aside_specimen_index"] = aside.specimen_index
    return Fact(value, "六（一）",
                f"IHC {s.her2_ihc or '未做'}{ish_zh}（{specimen_label(s, index, 'zh')}）：IHC 3+或2+且ISH扩增为阳性；1+或2+未扩增为低表达；"
                f"≤10%细胞微弱着色为超低表达 → {zh}" + _set_aside_words(case, aside, "zh"),
                f"IHC {s.her2_ihc or 'not done'}{ish} ({specimen_label(s, index)}): 3+ or 2+ ISH-amplified is positive; 1+ or "
                f"2+ not amplified is low; faint staining in ≤10 % of cells is ultralow → {en}" + _set_aside_words(case, aside, "en"),
                inputs)


def _subtype_fact(hr: bool | None, her2: str) -> Fact:
    if her2 == "positive":
        value = {True: "hr_pos_her2_pos", False: "hr_neg_her2_pos", None: "unknown"}[hr]
    elif her2 in HER2_NEGATIVE:
        value = {True: "hr_pos_her2_neg", False: "triple_negative", None: "unknown"}[hr]
    else:
        value = "unknown"
    hr_zh = {True: "HR阳性", False: "HR阴性", None: "HR未知"}[hr]
    hr_en = {True: "HR-positive", False: "HR-negative", None: "HR unknown"}[hr]
    her2_zh, her2_en = HER2_WORDS[her2]
    sub_zh, sub_en = SUBTYPE_WORDS[value]
    return Fact(value, "三", f"{hr_zh}、{her2_zh} → 分子分型：{sub_zh}", f"{hr_en}, {her2_en} → subtype: {sub_en}",
                {"hr_positive": hr, "her2_status": her2})


def _discordance(case: Case, metastatic, primary, thresholds: Thresholds) -> Fact:
    if not metastatic or not primary:
        return Fact(False, "三", "无原发灶与转移灶配对结果可比较", "no primary/metastasis pair to compare",
                    {"compared": False})
    (mi, met), (pi, prim) = metastatic[0], primary[0]
    changes: list[ReceptorChange] = []
    hr_met, hr_prim = hr_positive(met, thresholds), hr_positive(prim, thresholds)
    if hr_met is not None and hr_prim is not None and hr_met != hr_prim:
        changes.append(ReceptorChange(
            "hr", hr_prim, hr_met, f"HR {'阳性' if hr_prim else '阴性'}→{'阳性' if hr_met else '阴性'}",
            f"HR {'positive' if hr_prim else 'negative'}→{'positive' if hr_met else 'negative'}"))
    her2_met, her2_prim = her2_result(met), her2_result(prim)
    known = not {her2_met, her2_prim} & {None, "unknown"}
    if known and (her2_met == "positive") != (her2_prim == "positive"):
        changes.append(ReceptorChange("her2", her2_prim, her2_met,
                                      f"HER-2 {HER2_WORDS[her2_prim][0]}→{HER2_WORDS[her2_met][0]}",
                                      f"{HER2_WORDS[her2_prim][1]}→{HER2_WORDS[her2_met][1]}"))
    changes_zh, changes_en = [c.text_zh for c in changes], [c.text_en for c in changes]
    pair_en = f"{specimen_label(prim, pi)} vs {specimen_label(met, mi)}"
    pair_zh = f"{specimen_label(prim, pi, 'zh')}与{specimen_label(met, mi, 'zh')}"
    if changes_en:
        return Fact(True, "三", f"{pair_zh}：{'；'.join(changes_zh)}", f"{pair_en}: {'; '.join(changes_en)}",
                    {"primary_index": pi, "metastasis_index": mi, "changes": tuple(changes),
                     "changes_zh": changes_zh, "changes_en": changes_en, "pair_zh": pair_zh, "pair_en": pair_en})
    return Fact(False, "三", f"{pair_zh}：HR与HER-2状态一致", f"{pair_en}: HR and HER-2 status agree",
                {"primary_index": pi, "metastasis_index": mi})
