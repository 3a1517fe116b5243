"""Local-treatment items (sections 八 and 三): brain, bone, oligometastasis, primary tumour, locoregional
disease and chest wall.

Each site module fires rows of the `local_rules` table by id; the row gives the actions and the
guideline statement, the module gives a reason naming the case's values and the thresholds used
(e.g. "3 lesions, largest 2.0 cm (< 3 cm), symptomatic → SRS/FSRS").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from guideline_db.case_model import Case
from guideline_db.database import GuidelineDatabase
from guideline_db.engine.derive import Derived
from guideline_db.engine.result import LocalItem
from guideline_db.engine.thresholds import Thresholds

SITE_SOURCES = {
    "brain": ("14", "八（二）"), "bone": ("13", "八（一）"), "oligometastasis": ("5", "三4"),
    "primary_tumor": ("5", "三"), "locoregional": ("5", "三2"), "chest_wall": ("", "八（三）"),
}


@dataclass
class SiteItem:
    """Collects the rules fired for one site, then freezes into a LocalItem."""
    site: str
    rules: dict[str, dict]
    actions: list[str] = field(default_factory=list)
    reasons_zh: list[str] = field(default_factory=list)
    reasons_en: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    fired: list[str] = field(default_factory=list)

    def fire(self, rule_id: str, reason_zh: str, reason_en: str, actions: list[str] | None = None) -> None:
        rule = self.rules[rule_id]
        chosen = rule["actions"] if actions is None else actions
        unknown = set(chosen) - set(rule["actions"])
        if unknown:
            raise ValueError(f"rule {rule_id} does not provide {sorted(unknown)}")
        self.actions.extend(a for a in chosen if a not in self.actions)
        self.reasons_zh.append(f"{reason_zh}（{rule['section']}）")
        self.reasons_en.append(f"{reason_en} ({rule['section']})")
        self.fired.append(rule_id)

    def drop(self, action: str) -> None:
        if action in self.actions:
            self.actions.remove(action)

    def flag(self, name: str) -> None:
        if name not in self.flags:
            self.flags.append(name)

    def freeze(self) -> LocalItem | None:
        if not self.actions:
            return None
        table, section = SITE_SOURCES[self.site]
        return LocalItem(self.site, tuple(self.actions), tuple(self.reasons_zh), tuple(self.reasons_en), table, section,
                         tuple(self.flags), tuple(self.fired))


@dataclass(frozen=True)
class LocalContext:
    case: Case
    derived: Derived
    thresholds: Thresholds
    rules: dict[str, dict]

    def item(self, site: str) -> SiteItem:
        return SiteItem(site, self.rules)


def local_items(db: GuidelineDatabase, case: Case, derived: Derived, thresholds: Thresholds) -> list[LocalItem]:
    from guideline_db.engine import local_bone, local_brain, local_regional

    context = LocalContext(case, derived, thresholds, db.by_key("local_rules", "id"))
    items: list[SiteItem] = []
    items += local_brain.brain_items(context)
    items += local_bone.bone_items(context)
    items += local_regional.regional_items(context)
    return [frozen for item in items if (frozen := item.freeze()) is not None]
