"""Warnings, missing-data prompts, the assessment plan and supportive-care items.

The texts and citations are rows of the guideline database; this module holds only the named
triggers that decide when a row applies and fill its {detail}/{options} placeholder.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from guideline_db.case_model import Case, Therapy
from guideline_db.database import GuidelineDatabase
from guideline_db.engine.clinical import (
    LOCOREGIONAL_ORGANS,
    METASTATIC_PRESENTATIONS,
    detail_words,
    site_label,
)
from guideline_db.engine.derive import Derived
from guideline_db.engine.model import Advisory, SystemicOption
from guideline_db.engine.receptors import (
    HER2_NEGATIVE,
    HER2_WORDS,
    ISH_WORDS,
    SUBTYPE_WORDS,
    her2_category,
    her2_result,
    specimen_label,
)
from guideline_db.engine.therapy_history import ENDOCRINE_CLASSES, TherapyReader
from guideline_db.engine.thresholds import Thresholds
from guideline_db.vocabulary import Vocabulary, load_vocabulary


@dataclass(frozen=True)
class Situation:
    """Everything a trigger may look at."""
    case: Case
    derived: Derived
    options: list[SystemicOption]
    vocabulary: Vocabulary
    thresholds: Thresholds

    @property
    def reader(self) -> TherapyReader:
        return TherapyReader(self.vocabulary)


# A trigger returns None (not shown) or a (detail_zh, detail_en) pair to fill the text; a missing-data
# trigger may add a third element, the field path that fills the row's `field` (e.g. pathology[1].her2_ish).
Trigger = Callable[[Situation], tuple[str, str] | None]
TRIGGERS: dict[str, Trigger] = {}


def trigger(name: str) -> Callable[[Trigger], Trigger]:
    def register(function: Trigger) -> Trigger:
        TRIGGERS[name] = function
        return function
    return register


def _both(text: str) -> tuple[str, str]:
    return text, text


MAX_LISTED = 5  # display only: longer lists end with "and N more"


def therapy_label(therapy: Therapy, index: int, vocabulary: Vocabulary, lang: str) -> str:
    """A therapy entry as a reader sees it: 1-based, in words (never a field path)."""
    names = "+".join(vocabulary.name(a, lang) for a in therapy.agents)
    setting_zh, setting_en = load_vocabulary().name(therapy.setting, "zh"), load_vocabulary().name(therapy.setting, "en")
    if lang == "zh":
        line = f"第{therapy.line}线" if therapy.line else ""
        return f"治疗第{index + 1}项（{setting_zh}{line} {names}，{therapy.start}起）"
    line = f" line {therapy.line}" if therapy.line else ""
    return f"therapy {index + 1} ({setting_en}{line}: {names}, from {therapy.start})"


def _listed(items: list[str], lang: str, total: int | None = None) -> str:
    shown, rest = items[:MAX_LISTED], (len(items) if total is None else total) - MAX_LISTED
    if lang == "zh":
        return "；".join(shown) + (f"；另有{rest}项" if rest > 0 else "")
    return "; ".join(shown) + (f"; and {rest} more" if rest > 0 else "")


@trigger("anthracycline_with_trastuzumab")
def _anthracycline_trastuzumab(s: Situation) -> tuple[str, str] | None:
    reader, hits_zh, hits_en = s.reader, [], []
    for i, t in enumerate(s.case.therapies):
        if "trastuzumab" in t.agents and reader.has_class(t, "anthracycline"):
            hits_zh.append(therapy_label(t, i, s.vocabulary, "zh"))
            hits_en.append(therapy_label(t, i, s.vocabulary, "en"))
    decision = s.case.mdt.decision if s.case.mdt and s.case.mdt.decision else None
    if decision and "trastuzumab" in decision.systemic and any(
            s.vocabulary.in_class(a, "anthracycline") for a in decision.systemic):
        hits_zh.append("MDT决定的全身治疗")
        hits_en.append("the board's systemic decision")
    if hits_en:
        return f"同时使用：{_listed(hits_zh, 'zh')}", f"Given together: {_listed(hits_en, 'en')}"
    if any("trastuzumab" in o.components and s.vocabulary.kind_of(c) & {"chemotherapy"}
           for o in s.options for c in o.components):
        return "曲妥珠单抗联合化疗时，化疗药物不选蒽环类。", "With trastuzumab, choose a non-anthracycline chemotherapy."
    return None


@trigger("concurrent_chemo_endocrine")
def _concurrent(s: Situation) -> tuple[str, str] | None:
    reader, case, vocabulary = s.reader, s.case, s.vocabulary
    chemo, endocrine, both = [], [], []
    for i, t in enumerate(case.therapies):
        is_chemo, is_endo = reader.is_chemotherapy(t), reader.has_class(t, *ENDOCRINE_CLASSES)
        if is_chemo and is_endo:
            both.append(i)
        elif is_chemo:
            chemo.append(i)
        elif is_endo:
            endocrine.append(i)
    hits = [(i,) for i in both] + [tuple(sorted(pair)) for pair in overlapping_pairs(case, chemo, endocrine)]
    decision = case.mdt.decision if case.mdt and case.mdt.decision else None
    if decision:
        has_chemo = any("chemotherapy" in vocabulary.kind_of(a) for a in decision.systemic)
        has_endo = any(vocabulary.in_class(a, c) for a in decision.systemic for c in ENDOCRINE_CLASSES)
        if has_chemo and has_endo:
            hits.append(())
    if not hits:
        return None

    def words(hit: tuple[int, ...], lang: str) -> str:
        if not hit:
            return "MDT决定的全身治疗" if lang == "zh" else "the board's systemic decision"
        joined = "与" if lang == "zh" else " with "
        return joined.join(therapy_label(case.therapies[i], i, vocabulary, lang) for i in hit)

    return (f"同时给药：{_listed([words(h, 'zh') for h in hits[:MAX_LISTED]], 'zh', len(hits))}",
            f"Given concurrently: {_listed([words(h, 'en') for h in hits[:MAX_LISTED]], 'en', len(hits))}")


def overlapping_pairs(case: Case, first: list[int], second: list[int]) -> list[tuple[int, int]]:
    """For each therapy of `second`, one therapy of `first` whose dates overlap it (open-ended = until today).

    O(n log n): `first` sorted by start with a running maximum of the end, one bisection per `second` entry.
    """
    today = case.today
    spans = sorted((case.therapies[i].start, case.therapies[i].end or today, i) for i in first)
    starts = [start for start, _, _ in spans]
    running: list[tuple] = []
    for _start, end, i in spans:
        running.append(max(running[-1], (end, i)) if running else (end, i))
    pairs = []
    for j in second:
        b = case.therapies[j]
        k = bisect_right(starts, b.end or today)
        if k and running[k - 1][0] >= b.start:
            pairs.append((running[k - 1][1], j))
    return pairs


@trigger("chemo_induced_amenorrhea_unconfirmed")
def _cia(s: Situation):
    p = s.case.patient
    return ("", "") if p.chemo_induced_amenorrhea and not p.menopause_confirmed else None


@trigger("pregnancy")
def _pregnancy(s: Situation):
    p = s.case.patient
    if not p.pregnant:
        return None
    if p.pregnancy_trimester == 1:
        return ("妊娠早期：不宜进行全身治疗。", "First trimester: no systemic therapy is safe.")
    if p.pregnancy_trimester in (2, 3):
        return (f"妊娠第{p.pregnancy_trimester}期：仅显示化疗方案，其余方案已暂缓（见“暂缓的方案”）。",
                f"Trimester {p.pregnancy_trimester}: only chemotherapy options are shown; the others are withheld.")
    return ("妊娠期别未记录：仅在妊娠中晚期可用化疗。", "Trimester not recorded: chemotherapy only in the 2nd/3rd trimester.")


@trigger("receptor_discordance")
def _discordance(s: Situation):
    """Primary/metastasis disagreement, leaving out a marker whose metastasis result was a decalcified
    false-negative candidate set aside (the decalcified_result_set_aside warning explains that one)."""
    fact = s.derived.receptors.discordance
    if not fact.value:
        return None
    met = fact.inputs["metastasis_index"]
    aside = {a.marker for a in s.derived.receptors.set_aside if a.specimen_index == met}
    keep = [c for c in fact.inputs["changes"] if c.marker not in aside]
    if not keep:
        return None
    return (f"{fact.inputs['pair_zh']}：{'；'.join(c.text_zh for c in keep)}",
            f"{fact.inputs['pair_en']}: {'; '.join(c.text_en for c in keep)}")


@trigger("receptor_loss_after_targeted_therapy")
def _receptor_loss(s: Situation):
    fact = s.derived.receptors.discordance
    if not fact.value:
        return None
    reader = s.reader
    endocrine_before = any(reader.is_endocrine(t) for t in s.case.therapies)
    anti_her2_before = any(reader.has_class(t, "anti_her2_antibody", "her2_tki", "her2_adc") for t in s.case.therapies)
    treated = {"hr": endocrine_before, "her2": anti_her2_before}
    lost = [c for c in fact.inputs["changes"] if c.lost and treated[c.marker]]
    if not lost:
        return None
    return "；".join(c.text_zh for c in lost), "; ".join(c.text_en for c in lost)


@trigger("decalcified_specimen")
def _decalcified(s: Situation):
    """Decalcified specimens whose results were read as they are (a set-aside one has its own warning)."""
    aside = {a.specimen_index for a in s.derived.receptors.set_aside}
    hits = [i for i, p in enumerate(s.case.pathology) if p.decalcified and i not in aside]
    if not hits:
        return None
    return ("；".join(specimen_label(s.case.pathology[i], i, "zh") for i in hits),
            "; ".join(specimen_label(s.case.pathology[i], i, "en") for i in hits))


@trigger("decalcified_result_set_aside")
def _set_aside(s: Situation):
    r, case = s.derived.receptors, s.case
    if not r.set_aside:
        return None
    zh, en = [], []
    for a in r.set_aside:
        spec, used = case.pathology[a.specimen_index], case.pathology[a.used_index]
        said = ("HR阴性", "HR-negative") if a.marker == "hr" else HER2_WORDS[a.value]
        kept = (("HR阳性", "HR-positive") if a.marker == "hr" else HER2_WORDS[r.her2_status.value])
        zh.append(f"{specimen_label(spec, a.specimen_index, 'zh')}为{said[0]}，"
                  f"{specimen_label(used, a.used_index, 'zh')}为{kept[0]}，以后者为准")
        en.append(f"{specimen_label(spec, a.specimen_index)} reads {said[1]}; "
                  f"{specimen_label(used, a.used_index)} is {kept[1]} and decides")
    now, alt = SUBTYPE_WORDS[r.subtype.value], SUBTYPE_WORDS[r.alternative_subtype or "unknown"]
    if r.alternative_subtype and r.alternative_subtype != r.subtype.value:
        zh.append(f"若脱钙标本的结果属实，分子分型为{alt[0]}（而非{now[0]}），应改按{alt[0]}的方案治疗，"
                  f"现列出的{now[0]}方案将不再适用")
        en.append(f"if the decalcified result is true, the subtype is {alt[1]} (not {now[1]}): the {alt[1]} options "
                  f"would apply instead of the {now[1]} options shown")
    return "；".join(zh), "; ".join(en)


@trigger("her2_ihc_ish_discordant")
def _her2_discordant(s: Situation):
    hits = [(i, p) for i, p in enumerate(s.case.pathology)
            if (p.her2_ish == "amplified" and p.her2_ihc in ("0", "ultralow", "1+"))
            or (p.her2_ish == "not_amplified" and p.her2_ihc == "3+")]
    if not hits:
        return None
    ish = ISH_WORDS

    def words(i: int, p, lang: str) -> str:
        k = 0 if lang == "zh" else 1
        read = HER2_WORDS[her2_category(p)][k]
        if lang == "zh":
            return f"{specimen_label(p, i, 'zh')}：IHC {p.her2_ihc}、ISH {ish[p.her2_ish][0]}，按{read}判定"
        return f"{specimen_label(p, i)}: IHC {p.her2_ihc}, ISH {ish[p.her2_ish][1]}, read as {read}"

    return "；".join(words(i, p, "zh") for i, p in hits), "; ".join(words(i, p, "en") for i, p in hits)


@trigger("er_negative_pr_positive")
def _er_neg_pr_pos(s: Situation):
    cut = s.thresholds["hr_positive_percent"]
    hits = [(i, p) for i, p in enumerate(s.case.pathology)
            if p.er_percent is not None and p.pr_percent is not None
            and not cut.holds(p.er_percent) and cut.holds(p.pr_percent)]
    if not hits:
        return None
    return ("；".join(f"{specimen_label(p, i, 'zh')}：ER {p.er_percent:g}%、PR {p.pr_percent:g}%" for i, p in hits),
            "; ".join(f"{specimen_label(p, i)}: ER {p.er_percent:g} %, PR {p.pr_percent:g} %" for i, p in hits))


@trigger("visceral_crisis")
def _crisis(s: Situation):
    fact = s.derived.clinical.visceral_crisis
    return (fact.explanation_zh, fact.explanation_en) if fact.value else None


@trigger("two_endocrine_lines")
def _two_lines(s: Situation):
    cut = s.thresholds["consecutive_endocrine_lines"]
    return ("", "") if cut.holds(s.derived.history.prior_endocrine_lines_advanced.value) else None


@trigger("ongoing_advanced_line")
def _ongoing(s: Situation):
    line = s.derived.history.ongoing_advanced_line
    return _both(str(line)) if line else None


@trigger("unapproved_options")
def _unapproved(s: Situation):
    labelled = [o for o in s.options if o.unapproved]   # not availability-dependent or approved indications
    if not labelled:
        return None
    return ("；".join(o.label_zh for o in labelled), "; ".join(o.label_en for o in labelled))


@trigger("hr_negative_indolent")
def _hr_negative_indolent(s: Situation):
    if s.case.context.rapid_progression:
        return None
    organs = {m.organ for m in s.case.metastases}
    return ("", "") if organs and organs <= {"bone", "skin_soft_tissue", "distant_lymph_node", "regional_lymph_node",
                                             "chest_wall"} else None


@trigger("decision_outside_options")
def _decision_outside(s: Situation):
    decision = s.case.mdt.decision if s.case.mdt and s.case.mdt.decision else None
    if not decision or not decision.systemic or not s.options:
        return None
    covered = set()
    for agent in decision.systemic:
        for option in s.options:
            if any(s.vocabulary.covers(c, agent) for c in option.components):
                covered.add(agent)
    outside = [a for a in decision.systemic if a not in covered]
    if not outside:
        return None
    return ("、".join(s.vocabulary.name(a, "zh") for a in outside), ", ".join(s.vocabulary.name(a, "en") for a in outside))


@trigger("her2_brain_metastasis")
def _her2_brain(s: Situation):
    brain = any(m.organ == "brain" for m in s.case.metastases)
    return ("", "") if brain else None


@trigger("male")
def _male(s: Situation):
    return ("", "") if s.case.patient.sex == "male" else None


def _performance_words(s: Situation) -> tuple[str, str]:
    p = s.case.patient
    if p.kps is not None:
        return f"KPS {p.kps}分", f"KPS {p.kps}"
    return f"ECOG {p.ecog}", f"ECOG {p.ecog}"


@trigger("performance_status_very_poor")
def _ps_very_poor(s: Situation):
    kps = s.derived.clinical.kps_range
    if kps is None or s.thresholds["implausible_kps"].holds(kps[1]):
        return None
    return _performance_words(s) if s.thresholds["very_poor_performance_kps"].holds(kps[1]) else None


@trigger("age_unknown")
def _age_unknown(s: Situation):
    if s.case.patient.age is not None:
        return None
    chemo = [o for o in s.options if any("chemotherapy" in s.vocabulary.kind_of(c) for c in o.components)]
    if not chemo:
        return None
    return "；".join(o.label_zh for o in chemo[:MAX_LISTED]), "; ".join(o.label_en for o in chemo[:MAX_LISTED])


@trigger("performance_status_implausible")
def _ps_implausible(s: Situation):
    kps = s.derived.clinical.kps_range
    return _performance_words(s) if kps is not None and s.thresholds["implausible_kps"].holds(kps[1]) else None


# ------------------------------------------------------------------ missing-data triggers
@trigger("receptors_unknown")
def _receptors_unknown(s: Situation):
    return ("", "") if s.derived.subtype == "unknown" and s.derived.receptors.her2_pending_index is None else None


@trigger("her2_ish_needed")
def _her2_ish(s: Situation):
    """The deciding HER-2 specimen (newest metastasis/recurrence with a HER-2 result, else the primary) is
    IHC 2+ without ISH: HER-2 stays unknown; an older specimen's result is named as context only."""
    r = s.derived.receptors
    index = r.her2_pending_index
    if index is None:
        return None
    spec = s.case.pathology[index]
    zh, en = f"{specimen_label(spec, index, 'zh')}：", f"{specimen_label(spec, index)}: "
    if r.her2_context_index is not None:
        older = s.case.pathology[r.her2_context_index]
        said = HER2_WORDS[her2_result(older)]
        zh += f"（较早的{specimen_label(older, r.her2_context_index, 'zh')}为{said[0]}，仅供参考）"
        en += f"(the older {specimen_label(older, r.her2_context_index)} was {said[1]}; context only) "
    return zh, en, str(index)


@trigger("her2_ihc_needed")
def _her2_ihc(s: Situation):
    index = s.derived.receptors.her2_ihc_needed_index
    if index is None:
        return None
    spec = s.case.pathology[index]
    return f"{specimen_label(spec, index, 'zh')}：", f"{specimen_label(spec, index)}: ", str(index)


@trigger("no_metastasis_specimen")
def _no_met_specimen(s: Situation):
    if s.case.presentation not in ("de_novo_stage_iv", "recurrent_metastatic"):
        return None
    return None if any(p.specimen in ("metastasis", "recurrence") for p in s.case.pathology) else ("", "")


@trigger("menopausal_status_unknown")
def _menopause_unknown(s: Situation):
    p = s.case.patient
    return ("", "") if p.sex == "female" and p.menopausal_status in (None, "unknown") else None


@trigger("performance_status_unknown")
def _ps_unknown(s: Situation):
    return ("", "") if s.case.patient.kps is None and s.case.patient.ecog is None else None


@trigger("metastatic_date_unknown")
def _met_date(s: Situation):
    metastatic = s.case.presentation in ("de_novo_stage_iv", "recurrent_metastatic")
    return ("", "") if metastatic and s.case.metastatic_diagnosis_date is None else None


@trigger("visceral_crisis_incomplete")
def _crisis_incomplete(s: Situation):
    unknown = s.derived.clinical.visceral_crisis_unknown
    if not unknown or s.derived.clinical.visceral_crisis.value:
        return None
    return ("；".join(detail_words(s.case, u, "zh") for u in unknown),
            "; ".join(detail_words(s.case, u, "en") for u in unknown), ", ".join(unknown))


def _site_prompt(indices: tuple[int, ...], s: Situation):
    if not indices:
        return None
    return (site_label(s.case.metastases[indices[0]], indices[0], "zh"),
            site_label(s.case.metastases[indices[0]], indices[0], "en"), str(indices[0]))


@trigger("lesion_count_unknown")
def _lesions_unknown(s: Situation):
    return _site_prompt(s.derived.clinical.lesion_count_unknown, s)


@trigger("lesion_count_zero")
def _lesions_zero(s: Situation):
    return _site_prompt(s.derived.clinical.lesion_count_zero, s)


PRESENTATION_WORDS = {
    "de_novo_stage_iv": ("初诊Ⅳ期", "de novo stage IV"),
    "recurrent_metastatic": ("复发转移", "recurrent metastatic"),
    "locally_advanced_inoperable": ("不可手术局部晚期", "inoperable locally advanced"),
    "local_regional_recurrence": ("局部区域复发", "locoregional recurrence"),
}


def _distant_sites(case: Case) -> list[int]:
    return [i for i, m in enumerate(case.metastases) if m.organ not in LOCOREGIONAL_ORGANS]


@trigger("distant_metastasis_missing")
def _no_distant(s: Situation):
    if s.case.presentation not in METASTATIC_PRESENTATIONS or _distant_sites(s.case):
        return None
    return PRESENTATION_WORDS[s.case.presentation]


@trigger("presentation_contradicts_metastases")
def _presentation_contradicts(s: Situation):
    if s.case.presentation in METASTATIC_PRESENTATIONS:
        return None
    distant = _distant_sites(s.case)
    if not distant:
        return None
    zh, en = PRESENTATION_WORDS.get(s.case.presentation, (s.case.presentation, s.case.presentation))
    return (f"{zh}；" + "、".join(site_label(s.case.metastases[i], i, "zh") for i in distant),
            f"{en}; " + ", ".join(site_label(s.case.metastases[i], i, "en") for i in distant))


@trigger("advanced_line_gaps")
def _line_gaps(s: Situation):
    lines = s.derived.history.advanced_line.inputs.get("prior_lines") or []
    if not lines:
        return None
    missing = sorted(set(range(1, max(lines) + 1)) - set(lines))
    if not missing:
        return None
    shown = "、".join(str(n) for n in missing[:MAX_LISTED]) + ("…" if len(missing) > MAX_LISTED else "")
    shown_en = ", ".join(str(n) for n in missing[:MAX_LISTED]) + ("…" if len(missing) > MAX_LISTED else "")
    recorded = "、".join(str(n) for n in lines[:MAX_LISTED]) + ("…" if len(lines) > MAX_LISTED else "")
    recorded_en = ", ".join(str(n) for n in lines[:MAX_LISTED]) + ("…" if len(lines) > MAX_LISTED else "")
    return (f"已记录第{recorded}线，缺第{shown}线", f"lines {recorded_en} recorded, line(s) {shown_en} missing")


@trigger("advanced_lines_out_of_order")
def _lines_out_of_order(s: Situation):
    advanced = sorted((t.line, t.start, i) for i, t in enumerate(s.case.therapies) if t.setting == "advanced" and t.line)
    swapped = [(earlier, later) for earlier, later in zip(advanced, advanced[1:], strict=False) if later[1] < earlier[1]]
    if not swapped:
        return None
    zh = [f"第{b[0]}线（{b[1]}起）早于第{a[0]}线（{a[1]}起）" for a, b in swapped[:MAX_LISTED]]
    en = [f"line {b[0]} (from {b[1]}) starts before line {a[0]} (from {a[1]})" for a, b in swapped[:MAX_LISTED]]
    return _listed(zh, "zh", len(swapped)), _listed(en, "en", len(swapped))


def _therapies_starting_before(s: Situation, limit, settings: tuple[str, ...], words: tuple[str, str]):
    """Therapies of `settings` that start before the date `limit`, listed in words with the date."""
    if limit is None:
        return None
    early = [(i, t) for i, t in enumerate(s.case.therapies) if t.setting in settings and t.start < limit]
    if not early:
        return None
    zh = [therapy_label(t, i, s.vocabulary, "zh") for i, t in early[:MAX_LISTED]]
    en = [therapy_label(t, i, s.vocabulary, "en") for i, t in early[:MAX_LISTED]]
    return (f"{words[0]}{limit}；{_listed(zh, 'zh', len(early))}", f"{words[1]} {limit}; {_listed(en, 'en', len(early))}")


@trigger("therapy_before_primary_diagnosis")
def _before_diagnosis(s: Situation):
    return _therapies_starting_before(s, s.case.primary_diagnosis_date, ("neoadjuvant", "adjuvant", "advanced"),
                                      ("原发诊断日期", "primary diagnosis"))


@trigger("pregnant_postmenopausal")
def _pregnant_post(s: Situation):
    p = s.case.patient
    return ("", "") if p.pregnant and p.menopausal_status == "post" else None


@trigger("advanced_therapy_before_metastatic_date")
def _advanced_before_relapse(s: Situation):
    return _therapies_starting_before(s, s.case.metastatic_diagnosis_date, ("advanced",),
                                      ("转移诊断日期", "metastatic diagnosis"))


def _biomarker_trigger(name: str) -> Trigger:
    def check(s: Situation):
        depending = [o for o in s.options if name in o.unknown_biomarkers]
        if not depending:
            return None
        return "；".join(o.label_zh for o in depending), "; ".join(o.label_en for o in depending)
    return check


for _name in ("pik3ca", "akt1", "pten", "esr1", "gbrca", "pdl1", "her2_low", "her2_ultralow"):
    TRIGGERS[f"biomarker_unknown:{_name}"] = _biomarker_trigger(_name)


def _fill(template: str, detail: str) -> str:
    return template.replace("{detail}", detail).replace("{options}", detail).replace("（）", "").replace(" ()", "").strip()


def subtype_possible(subtype: str, hr: bool | None, her2: str) -> bool:
    """Whether `subtype` is still possible given HR and HER-2 as far as they are known."""
    hr_needed = {"hr_pos_her2_neg": True, "hr_pos_her2_pos": True, "hr_neg_her2_pos": False, "triple_negative": False}
    her2_positive = subtype in ("hr_pos_her2_pos", "hr_neg_her2_pos")
    if hr is not None and hr != hr_needed[subtype]:
        return False
    if her2 == "positive":
        return her2_positive
    if her2 in HER2_NEGATIVE:
        return not her2_positive
    return True


def concerns(row: dict, situation: Situation) -> bool:
    """A row with `subtypes` is shown only for those subtypes (or while one of them is still possible)."""
    wanted = row.get("subtypes")
    if not wanted:
        return True
    r = situation.derived.receptors
    if r.subtype.value != "unknown":
        return r.subtype.value in wanted
    return any(subtype_possible(w, r.hr_positive.value, r.her2_status.value) for w in wanted)


def warnings(db: GuidelineDatabase, situation: Situation) -> list[Advisory]:
    found = []
    for row in db.rows("warning_catalog"):
        if not concerns(row, situation):
            continue
        detail = TRIGGERS[row["trigger"]](situation)
        if detail is not None:
            found.append(Advisory(row["code"], _fill(row["text_zh"], detail[0]), _fill(row["text_en"], detail[1]),
                                  row["table"], row["section"], row.get("severity", "info")))
    return found


def missing_data(db: GuidelineDatabase, situation: Situation) -> list[Advisory]:
    found = []
    for row in db.rows("missing_data_catalog"):
        if not concerns(row, situation):
            continue
        detail = TRIGGERS[row["trigger"]](situation)
        if detail is None:
            continue
        fill = detail[2] if len(detail) > 2 else detail[1]
        field = row["field"].replace("{index}", fill).replace("{detail}", fill)
        found.append(Advisory(field, _fill(row["why_zh"], detail[0]), _fill(row["why_en"], detail[1]),
                              row["table"], row["section"]))
    return found


def assessment_items(db: GuidelineDatabase, situation: Situation) -> list[Advisory]:
    d, case = situation.derived, situation.case
    has_chemo = any("chemotherapy" in situation.vocabulary.kind_of(c) for o in situation.options for c in o.components)
    applies = {
        "all": True,
        "endocrine": bool(d.receptors.hr_positive.value),
        "chemotherapy": has_chemo or not d.receptors.hr_positive.value,
        "rapid_progression": bool(case.context.rapid_progression or d.clinical.visceral_crisis.value),
        "bone": any(m.organ == "bone" for m in case.metastases),
        "her2_or_tnbc": d.subtype in ("hr_pos_her2_pos", "hr_neg_her2_pos", "triple_negative"),
        "long_term_remission": bool(case.context.long_term_remission_months),
    }
    return [Advisory(row["id"], row["text_zh"], row["text_en"], row["table"], row["section"])
            for row in db.rows("assessment_items") if applies.get(row["applies_to"], False)]


def supportive_items(db: GuidelineDatabase, situation: Situation, local: tuple = ()) -> list[Advisory]:
    """Table 17 items, bone-modifying agent guidance when a bone item calls for it, and Table 16 adverse-event
    management for every drug class among the shown options."""
    case = situation.case
    female = case.patient.sex == "female"
    applies = {"all": True, "female": female,
               "premenopausal": female and situation.derived.conditions["treatment_menopausal_status"] == "pre"}
    present = {"pregnant"} if case.patient.pregnant else set()
    items = [Advisory(row["topic"], row["text_zh"], row["text_en"], row["table"], row["section"])
             for row in db.rows("supportive_items") if applies.get(row["applies_to"], False)
             and not present & set(row.get("unless") or [])]
    rules = db.by_key("local_rules", "id")
    for item in local:
        if "bone_modifying_agent" in item.actions:
            for rule_id in ("bone_modifying_agent", "bone_dental"):
                rule = rules[rule_id]
                items.append(Advisory("bone_modifying_agent", rule["text_zh"], rule["text_en"], rule["table"], rule["section"]))
    shown = {c for o in situation.options for c in o.components}
    for row in db.rows("adverse_events"):
        covered = set(row.get("applies_to_components") or [])
        if shown & covered or any(situation.vocabulary.in_class(c, k) for c in shown for k in covered
                                  if k in situation.vocabulary.class_kind):
            items.append(Advisory(
                f"adverse_events.{row['drug_class']}",
                f"{row['name_zh']}：常见不良反应：{row['common_zh']}；管理：{row['management_zh']}",
                f"{row['name_en']}: common adverse events: {row['common_en']}; management: {row['management_en']}",
                row["table"], row["section"]))
    return items


def situations(situation: Situation) -> set[str]:
    """The situation tokens of this case, matched against each principle's `applies_to`."""
    d, case = situation.derived, situation.case
    subtype = d.subtype
    organs = {m.organ for m in case.metastases}
    kinds = {k for o in situation.options for c in o.components for k in situation.vocabulary.kind_of(c)}
    found = {"all", "assessment", "supportive_care", "clinical_trial"}
    found |= {subtype} if subtype != "unknown" else set()
    if d.receptors.her2_status.value == "positive":
        found.add("her2_positive")
        if "brain" in organs:
            found.add("her2_brain_metastasis")
    found |= {"her2_low"} if d.receptors.her2_status.value in ("low", "ultralow") else set()
    found |= {"chemotherapy"} if "chemotherapy" in kinds else set()
    found |= {"endocrine_therapy"} if "endocrine" in kinds else set()
    status = d.conditions["treatment_menopausal_status"]
    found |= {"premenopausal"} if status == "pre" else ({"male"} if status == "male" else set())
    found |= {"bone_metastasis"} if "bone" in organs else set()
    found |= {"brain_metastasis"} if "brain" in organs else set()
    found |= {"visceral_crisis"} if d.clinical.visceral_crisis.value else set()
    found |= {"oligometastatic"} if d.clinical.oligometastatic.value else set()
    found |= {"receptor_discordance"} if d.receptors.discordance.value else set()
    found |= {"pregnancy"} if case.patient.pregnant else set()
    found |= {"not_approved_drug"} if any(o.approval_note_zh for o in situation.options) else set()
    found |= {"long_term_remission"} if case.context.long_term_remission_months else set()
    found |= {{"locally_advanced_inoperable": "locally_advanced", "local_regional_recurrence": "local_regional_recurrence",
               "de_novo_stage_iv": "de_novo_stage_iv"}.get(case.presentation, "recurrent_metastatic")}
    return found


def principles(db: GuidelineDatabase, situation: Situation) -> list[Advisory]:
    """Principle rows of Tables 3-17 that concern this case, in table order.

    A row's first `applies_to` token is the situation it is about (e.g. triple_negative, brain_metastasis);
    further tokens are topics it touches (chemotherapy, assessment) and do not widen it to other cases.
    """
    present = situations(situation)
    return [Advisory(row["id"], row["text_zh"], row["text_en"], row["table"], row["section"])
            for row in db.rows("principles") if (row.get("applies_to") or ["all"])[0] in present]
