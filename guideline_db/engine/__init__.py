"""The evaluation engine: one case in, one frozen `Evaluation` out.

`evaluate()` is the single facade the CLI, the GUI and the PDF report call. It is a pure function of
the case and the guideline database, and fast enough (well under 2 ms) to run on every keystroke.
"""

from __future__ import annotations

import re
from functools import lru_cache

from guideline_db.case_io import case_version_hash
from guideline_db.case_model import Case
from guideline_db.database import GuidelineDatabase, open_guideline
from guideline_db.engine import advisories
from guideline_db.engine.circumstances import CircumstanceRules
from guideline_db.engine.derive import derive
from guideline_db.engine.exposure import ExposureRules
from guideline_db.engine.local import local_items
from guideline_db.engine.result import Evaluation
from guideline_db.engine.systemic import SystemicCatalogue, merge, merge_withheld
from guideline_db.engine.thresholds import Thresholds
from guideline_db.engine.why_not import WhyNot, WhyNotRow
from guideline_db.vocabulary import Vocabulary, load_vocabulary

__all__ = ["Evaluation", "evaluate", "Engine", "why_not", "resolve_token", "WhyNotRow"]


class Engine:
    """The guideline database prepared for evaluation (catalogue, vocabulary, thresholds)."""

    def __init__(self, db: GuidelineDatabase) -> None:
        self.db = db
        self.vocabulary: Vocabulary = load_vocabulary(db)
        self.thresholds = Thresholds(db)
        self.catalogue = SystemicCatalogue(db, self.vocabulary)
        self.exposure = ExposureRules(db, self.vocabulary, self.thresholds)
        self.circumstances = CircumstanceRules(db, self.vocabulary, self.exposure)
        self.why = WhyNot(self.catalogue, self.vocabulary, db.by_key("condition_phrases", "key"))

    def why_not(self, case: Case, token: str, evaluation: Evaluation | None = None) -> list[WhyNotRow]:
        """Every guideline row naming `token` and what this case does to it (offered, withheld, or the first
        condition it fails). Pass the evaluation already shown so the answer is about the same result."""
        derived = derive(case, self.vocabulary, self.thresholds)
        return self.why.ask(token, evaluation or self.evaluate(case), derived)

    def evaluate(self, case: Case) -> Evaluation:
        derived = derive(case, self.vocabulary, self.thresholds)
        history = self.exposure.history(case)
        # Each guideline row is judged on its own (so a row's reason is its own), then rows listing the same
        # regimen are merged: kept rows among themselves, withheld rows among themselves.
        options, withheld, triggers = self.circumstances.apply(case, derived, self.catalogue.candidates(derived), history)
        if not options and derived.conditions["pregnancy_trimester"] in (2, 3):
            fallback = self.catalogue.candidates(derived, fallback=True)
            options, more, more_triggers = self.circumstances.apply(case, derived, fallback, history)
            withheld, triggers = [*withheld, *more], triggers | more_triggers
        options, withheld = merge(options), merge_withheld(withheld)
        notices = self.circumstances.notices_for(case, derived, options, withheld, triggers)
        situation = advisories.Situation(case, derived, options, self.vocabulary, self.thresholds)
        local = self.circumstances.local_items(derived, tuple(local_items(self.db, case, derived, self.thresholds)))
        return Evaluation(
            case_id=case.case_id,
            case_sha256=case_version_hash(case),
            guideline={"edition": self.db.edition, "title": self.db.title, "db_sha256": self.db.sha256,
                       "verified": self.db.verified},
            facts=derived.public_facts(),
            extra_facts=derived.extra_facts(),
            visceral_crisis_reasons=derived.clinical.visceral_crisis_reasons,
            systemic=tuple(options),
            withheld=tuple(withheld),
            local=local,
            supportive=tuple(advisories.supportive_items(self.db, situation, local)),
            warnings=(*notices, *advisories.warnings(self.db, situation)),
            missing_data=tuple(advisories.missing_data(self.db, situation)),
            assessment=tuple(advisories.assessment_items(self.db, situation)),
            principles=tuple(advisories.principles(self.db, situation)),
            kps_range=derived.clinical.kps_range,
        )


@lru_cache(maxsize=4)
def engine_for(db: GuidelineDatabase) -> Engine:
    return Engine(db)


def evaluate(case: Case, db: GuidelineDatabase | None = None) -> Evaluation:
    return engine_for(db or open_guideline()).evaluate(case)


def resolve_token(text: str, db: GuidelineDatabase | None = None) -> str | None:
    """An agent or class token from a token or a drug/class name in either language (case-insensitive)."""
    vocabulary = engine_for(db or open_guideline()).vocabulary
    wanted = text.strip().lower()
    tokens = set(vocabulary.agent_tokens) | set(vocabulary.class_kind)
    if wanted in tokens:
        return wanted
    for token in sorted(tokens):
        zh, en = vocabulary.names.get(token, (token, token))
        names = {zh.lower(), en.lower()}
        for name in (zh, en):   # "T-DXd（德曲妥珠单抗）": each part is a name too
            names |= {part.strip().lower() for part in re.split(r"[（）()]", name) if part.strip()}
        if wanted in names:
            return token
    return None


def why_not(case: Case, token: str, db: GuidelineDatabase | None = None,
            evaluation: Evaluation | None = None) -> list[WhyNotRow]:
    """The GUI's and CLI's "Why isn't … offered?" (see guideline_db/engine/why_not.py)."""
    return engine_for(db or open_guideline()).why_not(case, token, evaluation)
