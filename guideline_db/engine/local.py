"""Local-treatment items (section 八 and 三). Filled in by the local-treatment issue."""

from __future__ import annotations

from guideline_db.case_model import Case
from guideline_db.database import GuidelineDatabase
from guideline_db.engine.derive import Derived
from guideline_db.engine.result import LocalItem
from guideline_db.engine.thresholds import Thresholds


def local_items(db: GuidelineDatabase, case: Case, derived: Derived, thresholds: Thresholds) -> list[LocalItem]:
    return []
