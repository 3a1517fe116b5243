"""All derived facts of a case, gathered in one frozen object the rest of the engine reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from guideline_db.case_model import Case
from guideline_db.engine.clinical import ClinicalFacts, derive_clinical
from guideline_db.engine.dates import months_between, within_months
from guideline_db.engine.facts import Fact
from guideline_db.engine.receptors import ReceptorFacts, derive_receptors
from guideline_db.engine.therapy_history import HistoryFacts, derive_history, relapse_date
from guideline_db.engine.thresholds import Thresholds
from guideline_db.vocabulary import Vocabulary

TESTED_BIOMARKERS = ("gbrca", "pik3ca", "esr1", "akt1", "pten", "msi_high")


@dataclass(frozen=True)
class Derived:
    receptors: ReceptorFacts
    history: HistoryFacts
    clinical: ClinicalFacts
    biomarkers: dict[str, str | None]   # positive | negative | None (not tested / undetermined)
    conditions: dict[str, Any]          # values the regimen conditions compare against

    @property
    def subtype(self) -> str:
        return self.receptors.subtype.value

    def public_facts(self) -> dict[str, Fact]:
        """The facts of the `derived` output, in the order of evaluation-output.md."""
        r, h, c = self.receptors, self.history, self.clinical
        endocrine = h.endocrine_status
        if r.hr_positive.value is not True:
            endocrine = Fact("not_applicable", endocrine.section, "HR阴性或未知 → 内分泌分类不适用",
                             "HR-negative or unknown → endocrine classification not applicable", endocrine.inputs)
        return {
            "subtype": r.subtype, "hr_positive": r.hr_positive, "her2_status": r.her2_status,
            "receptor_source": r.source, "receptor_discordance": r.discordance,
            "treatment_menopausal_status": c.menopausal_status, "advanced_line": h.advanced_line,
            "endocrine_status": endocrine, "prior_cdk4_6_inhibitor": h.prior_cdk4_6_inhibitor,
            "prior_endocrine_lines_advanced": h.prior_endocrine_lines_advanced,
            "trastuzumab_free_interval_months": h.trastuzumab_free_interval_months,
            "visceral_crisis": c.visceral_crisis, "oligometastatic": c.oligometastatic,
            "pdl1_positive": c.pdl1_positive,
        }

    def extra_facts(self) -> dict[str, Fact]:
        """Further facts shown with explanations (the basis of some regimen conditions)."""
        h = self.history
        facts = {"her2_treatment_line": h.her2_line, "inavolisib_window": h.inavolisib_window,
                 "prior_serm_failure": h.prior_serm_failure,
                 "maintenance_after_chemotherapy": h.maintenance_after_chemotherapy}
        if self.receptors.her2_status.value != "positive":
            facts.pop("her2_treatment_line")
        return facts


def _tri(value: bool | None) -> str | None:
    return None if value is None else ("positive" if value else "negative")


INDOLENT_ORGANS = ("bone", "skin_soft_tissue", "distant_lymph_node", "regional_lymph_node", "chest_wall")


def _circumstances(case: Case, receptors: ReceptorFacts, history: HistoryFacts, clinical: ClinicalFacts,
                   thresholds: Thresholds) -> dict[str, Any]:
    """Condition values for the circumstance rules of exposure.toml (refusal, pregnancy, age, performance
    status, presentation, intervals). Each threshold is a row of thresholds.toml."""
    p, context = case.patient, case.context
    kps = clinical.kps_range
    relapse = relapse_date(case)
    dfi = (months_between(case.primary_diagnosis_date, relapse)
           if case.presentation == "recurrent_metastatic" and case.primary_diagnosis_date and relapse else None)
    dfi_cut = thresholds["short_disease_free_interval_months"]
    short_dfi = dfi is not None and within_months(case.primary_diagnosis_date, relapse, dfi_cut.value)
    organs = {m.organ for m in case.metastases}
    remission = context.long_term_remission_months
    return {
        "presentation": case.presentation,
        "neoadjuvant_given": any(t.setting == "neoadjuvant" for t in case.therapies),
        "pregnant": bool(p.pregnant),
        "pregnancy_trimester": (p.pregnancy_trimester or 0) if p.pregnant else None,
        "refuses_chemotherapy": bool(p.refuses_chemotherapy),
        "strong_er_expression": context.strong_er_expression,
        "elderly": p.age is not None and thresholds["elderly_age_years"].holds(p.age),
        "reduced_performance": kps is not None and thresholds["reduced_performance_kps"].holds(kps[1]),
        "disease_free_interval_months": dfi,
        "short_disease_free_interval": short_dfi,
        "prior_endocrine_benefit": history.prior_endocrine_benefit.value,
        "hr_negative_indolent": (receptors.subtype.value == "triple_negative" and context.rapid_progression is False
                                 and bool(organs) and organs <= set(INDOLENT_ORGANS) and not short_dfi),
        "long_remission": remission is not None and thresholds["long_remission_months"].holds(remission),
        "bone_only": organs == {"bone"},
        "leptomeningeal": any(m.brain is not None and bool(m.brain.leptomeningeal) for m in case.metastases),
        "biomarkers_untested": [name for name in TESTED_BIOMARKERS
                                if getattr(case.biomarkers, name) == "not_tested"]
                               + (["pdl1_cps"] if case.biomarkers.pdl1_cps is None else []),
    }


def derive(case: Case, vocabulary: Vocabulary, thresholds: Thresholds) -> Derived:
    receptors = derive_receptors(case, thresholds)
    history = derive_history(case, vocabulary, thresholds)
    clinical = derive_clinical(case, thresholds)
    her2 = receptors.her2_status.value
    biomarkers: dict[str, str | None] = {
        name: (None if (result := getattr(case.biomarkers, name)) == "not_tested" else result)
        for name in TESTED_BIOMARKERS
    }
    biomarkers["pdl1"] = _tri(clinical.pdl1_positive.value)
    biomarkers["her2_low"] = None if her2 == "unknown" else _tri(her2 == "low")
    biomarkers["her2_ultralow"] = None if her2 == "unknown" else _tri(her2 == "ultralow")
    context = case.context
    circumstances = _circumstances(case, receptors, history, clinical, thresholds)
    conditions = {
        "subtype": receptors.subtype.value,
        "her2_status": her2,
        "hr_positive": receptors.hr_positive.value,
        "advanced_line": history.advanced_line.value,
        "endocrine_status": history.endocrine_status.value,
        "prior_cdk4_6_inhibitor": history.prior_cdk4_6_inhibitor.value,
        "prior_endocrine_lines": history.prior_endocrine_lines_advanced.value,
        "her2_line": history.her2_line.value,
        "treatment_menopausal_status": clinical.menopausal_status.value,
        "refuses_ovarian_suppression": bool(case.patient.refuses_ovarian_suppression),
        "prior_serm_failure": history.prior_serm_failure.value,
        "inavolisib_window": history.inavolisib_window.value,
        "needs_rapid_response": bool(clinical.visceral_crisis.value or context.rapid_progression),
        "chemotherapy_free_acceptable": bool(case.patient.refuses_chemotherapy) or context.rapid_progression is False,
        "maintenance_after_chemotherapy": history.maintenance_after_chemotherapy.value,
        "maintenance_after_anti_her2_chemotherapy": history.maintenance_after_anti_her2_chemotherapy.value,
        "brain_metastasis": any(site.organ == "brain" for site in case.metastases),
        **circumstances,
    }
    return Derived(receptors, history, clinical, biomarkers, conditions)
