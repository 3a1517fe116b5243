"""All derived facts of a case, gathered in one frozen object the rest of the engine reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from guideline_db.case_model import Case
from guideline_db.engine.clinical import ClinicalFacts, derive_clinical
from guideline_db.engine.facts import Fact
from guideline_db.engine.receptors import ReceptorFacts, derive_receptors
from guideline_db.engine.therapy_history import HistoryFacts, derive_history
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
    }
    return Derived(receptors, history, clinical, biomarkers, conditions)
