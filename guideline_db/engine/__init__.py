"""The evaluation engine: one case in, one frozen `Evaluation` out.

`evaluate()` is the single facade the CLI, the GUI and the PDF report call. It is a pure function of
the case and the guideline database, and fast enough (well under 2 ms) to run on every keystroke.
"""

from __future__ import annotations

from functools import lru_cache

from guideline_db.case_model import Case
from guideline_db.database import GuidelineDatabase, open_guideline
from guideline_db.engine import advisories
from guideline_db.engine.derive import derive
from guideline_db.engine.local import local_items
from guideline_db.engine.result import Evaluation, WithheldOption
from guideline_db.engine.systemic import SystemicCatalogue, SystemicOption
from guideline_db.engine.thresholds import Thresholds
from guideline_db.vocabulary import Vocabulary, load_vocabulary

__all__ = ["Evaluation", "evaluate", "Engine"]


class Engine:
    """The guideline database prepared for evaluation (catalogue, vocabulary, thresholds)."""

    def __init__(self, db: GuidelineDatabase) -> None:
        self.db = db
        self.vocabulary: Vocabulary = load_vocabulary(db)
        self.thresholds = Thresholds(db)
        self.catalogue = SystemicCatalogue(db, self.vocabulary)

    def evaluate(self, case: Case) -> Evaluation:
        derived = derive(case, self.vocabulary, self.thresholds)
        options = self.catalogue.select(derived)
        options, withheld = self._pregnancy_filter(case, options)
        situation = advisories.Situation(case, derived, options, self.vocabulary, self.thresholds)
        local = tuple(local_items(self.db, case, derived, self.thresholds))
        return Evaluation(
            case_id=case.case_id,
            guideline={"edition": self.db.edition, "title": self.db.title, "db_sha256": self.db.sha256},
            facts=derived.public_facts(),
            extra_facts=derived.extra_facts(),
            visceral_crisis_reasons=derived.clinical.visceral_crisis_reasons,
            systemic=tuple(options),
            withheld=tuple(withheld),
            local=local,
            supportive=tuple(advisories.supportive_items(self.db, situation, local)),
            warnings=tuple(advisories.warnings(self.db, situation)),
            missing_data=tuple(advisories.missing_data(self.db, situation)),
            assessment=tuple(advisories.assessment_items(self.db, situation)),
            principles=tuple(advisories.principles(self.db, situation)),
            kps_range=derived.clinical.kps_range,
        )

    def _pregnancy_filter(self, case: Case, options: list[SystemicOption]):
        """Pregnancy (十): only chemotherapy, and only in the 2nd/3rd trimester. Withheld options are kept
        in the evaluation with the reason, never dropped silently."""
        if not case.patient.pregnant:
            return options, []
        kept, withheld = [], []
        for option in options:
            chemo_only = all("chemotherapy" in self.vocabulary.kind_of(c) for c in option.components)
            if chemo_only and case.patient.pregnancy_trimester != 1:
                kept.append(option)
            else:
                reason_zh = ("妊娠早期不宜全身治疗" if case.patient.pregnancy_trimester == 1
                             else "妊娠期仅化疗可在妊娠中晚期安全使用")
                reason_en = ("no systemic therapy in the first trimester" if case.patient.pregnancy_trimester == 1
                             else "in pregnancy only chemotherapy is safe, in the 2nd/3rd trimester")
                withheld.append(WithheldOption(option, reason_zh, reason_en))
        return kept, withheld


@lru_cache(maxsize=4)
def engine_for(db: GuidelineDatabase) -> Engine:
    return Engine(db)


def evaluate(case: Case, db: GuidelineDatabase | None = None) -> Evaluation:
    return engine_for(db or open_guideline()).evaluate(case)
