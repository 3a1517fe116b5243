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
from guideline_db.engine.derive import Derived
from guideline_db.engine.systemic import SystemicOption
from guideline_db.engine.therapy_history import ENDOCRINE_CLASSES, TherapyReader
from guideline_db.engine.thresholds import Thresholds
from guideline_db.vocabulary import Vocabulary


@dataclass(frozen=True)
class Advisory:
    """A warning, missing-data prompt, assessment or supportive item, ready to show."""
    key: str            # warning code, missing-data field, or topic
    text_zh: str
    text_en: str
    table: str
    section: str
    severity: str = "info"

    def text(self, lang: str) -> str:
        return self.text_zh if lang == "zh" else self.text_en


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


# A trigger returns None (not shown) or a (detail_zh, detail_en) pair to fill the text.
Trigger = Callable[[Situation], tuple[str, str] | None]
TRIGGERS: dict[str, Trigger] = {}


def trigger(name: str) -> Callable[[Trigger], Trigger]:
    def register(function: Trigger) -> Trigger:
        TRIGGERS[name] = function
        return function
    return register


def _both(text: str) -> tuple[str, str]:
    return text, text


SETTING_WORDS = {"neoadjuvant": ("新辅助", "neoadjuvant"), "adjuvant": ("辅助", "adjuvant"), "advanced": ("晚期", "advanced")}
MAX_LISTED = 5  # display only: longer lists end with "and N more"


def therapy_label(therapy: Therapy, index: int, vocabulary: Vocabulary, lang: str) -> str:
    """A therapy entry as a reader sees it: 1-based, in words (never a field path)."""
    names = "+".join(vocabulary.name(a, lang) for a in therapy.agents)
    setting_zh, setting_en = SETTING_WORDS[therapy.setting]
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
        return (f"妊娠第{p.pregnancy_trimester}期：仅显示化疗方案，其余方案已暂缓（见 withheld）。",
                f"Trimester {p.pregnancy_trimester}: only chemotherapy options are shown; the others are withheld.")
    return ("妊娠期别未记录：仅在妊娠中晚期可用化疗。", "Trimester not recorded: chemotherapy only in the 2nd/3rd trimester.")


@trigger("receptor_discordance")
def _discordance(s: Situation):
    fact = s.derived.receptors.discordance
    return (fact.explanation_zh, fact.explanation_en) if fact.value else None


@trigger("receptor_loss_after_targeted_therapy")
def _receptor_loss(s: Situation):
    fact = s.derived.receptors.discordance
    if not fact.value:
        return None
    changes = fact.inputs.get("changes", [])
    reader = s.reader
    endocrine_before = any(reader.is_endocrine(t) for t in s.case.therapies)
    anti_her2_before = any(reader.has_class(t, "anti_her2_antibody", "her2_tki", "her2_adc") for t in s.case.therapies)
    lost = [c for c in changes if (c.startswith("HR positive→negative") and endocrine_before)
            or (c.startswith("HER-2 positive→") and anti_her2_before)]
    return _both("; ".join(lost)) if lost else None


@trigger("decalcified_specimen")
def _decalcified(s: Situation):
    hits = [f"pathology[{i}] {p.site or p.specimen}" for i, p in enumerate(s.case.pathology) if p.decalcified]
    return _both("; ".join(hits)) if hits else None


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
    labelled = [o for o in s.options if o.approval_note_zh]
    if not labelled:
        return None
    return ("；".join(o.label_zh for o in labelled), "; ".join(o.label_en for o in labelled))


@trigger("hr_negative_indolent")
def _hr_negative_indolent(s: Situation):
    if s.derived.subtype != "triple_negative" or s.case.context.rapid_progression:
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
    return _both(", ".join(outside)) if outside else None


@trigger("her2_brain_metastasis")
def _her2_brain(s: Situation):
    brain = any(m.organ == "brain" for m in s.case.metastases)
    return ("", "") if brain and s.derived.receptors.her2_status.value == "positive" else None


@trigger("male")
def _male(s: Situation):
    return ("", "") if s.case.patient.sex == "male" and s.derived.receptors.hr_positive.value else None


# ------------------------------------------------------------------ missing-data triggers
@trigger("receptors_unknown")
def _receptors_unknown(s: Situation):
    return ("", "") if s.derived.subtype == "unknown" and not _pending_ish(s) else None


def _pending_ish(s: Situation) -> list[int]:
    """Specimens with IHC 2+ and no ISH that are at least as new as the one HER-2 was read from."""
    source = s.derived.receptors.her2_status.inputs.get("specimen_index")
    pending = [i for i, p in enumerate(s.case.pathology) if p.her2_ihc == "2+" and p.her2_ish is None]
    if source is None or s.derived.receptors.her2_status.value == "unknown":
        return pending
    source_date = s.case.pathology[source].date

    def not_older(index: int) -> bool:
        own = s.case.pathology[index].date
        return own is None or source_date is None or own >= source_date

    return [i for i in pending if i != source and not_older(i)]


@trigger("her2_ish_needed")
def _her2_ish(s: Situation):
    pending = _pending_ish(s)
    return _both(str(pending[0])) if pending else None


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
    return _both(", ".join(unknown)) if unknown and not s.derived.clinical.visceral_crisis.value else None


@trigger("lesion_count_unknown")
def _lesions_unknown(s: Situation):
    unknown = s.derived.clinical.lesion_count_unknown
    return _both(str(unknown[0])) if unknown else None


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


def warnings(db: GuidelineDatabase, situation: Situation) -> list[Advisory]:
    found = []
    for row in db.rows("warning_catalog"):
        detail = TRIGGERS[row["trigger"]](situation)
        if detail is not None:
            found.append(Advisory(row["code"], _fill(row["text_zh"], detail[0]), _fill(row["text_en"], detail[1]),
                                  row["table"], row["section"], row.get("severity", "info")))
    return found


def missing_data(db: GuidelineDatabase, situation: Situation) -> list[Advisory]:
    found = []
    for row in db.rows("missing_data_catalog"):
        detail = TRIGGERS[row["trigger"]](situation)
        if detail is None:
            continue
        field = row["field"].replace("{index}", detail[1]).replace("{detail}", detail[1])
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
    items = [Advisory(row["topic"], row["text_zh"], row["text_en"], row["table"], row["section"])
             for row in db.rows("supportive_items") if applies.get(row["applies_to"], False)]
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
