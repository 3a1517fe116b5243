"""Systemic-therapy options: the guideline rows whose conditions the case meets.

Every option comes from a row of the guideline database (Tables 8, 10, 12 and the body text); this
module only matches conditions, applies the population modifiers (ovarian suppression for
premenopausal women, gonadal suppression for men), attaches approval notes and trial figures, and
orders the result by tier in the guideline's own order. A biomarker that was not tested never hides
an option: the option is shown with requirement_status "unknown" and a prompt to test.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from guideline_db.database import GuidelineDatabase
from guideline_db.engine.derive import Derived
from guideline_db.engine.model import (  # noqa: F401 - OptionNote, SystemicOption re-exported
    TIER_RANK,
    ApprovalNote,
    OptionNote,
    RowSource,
    SystemicOption,
)
from guideline_db.vocabulary import Vocabulary

BIOMARKER_KEYS = ("pdl1", "gbrca", "pik3ca", "esr1", "akt1", "pten", "msi_high", "her2_low", "her2_ultralow")


def match_condition(key: str, expected: Any, conditions: dict[str, Any], biomarkers: dict[str, str | None]) -> str:
    """'yes', 'no' or 'unknown' (a biomarker the condition needs was not tested)."""
    if key in BIOMARKER_KEYS:
        found = biomarkers.get(key)
        return "unknown" if found is None else ("yes" if found == expected else "no")
    if key == "subtypes":
        return "yes" if conditions["subtype"] in expected else "no"
    if key == "line_min":
        return "yes" if conditions["advanced_line"] >= expected else "no"
    if key == "line_max":
        return "yes" if conditions["advanced_line"] <= expected else "no"
    if key == "prior_endocrine_lines_min":
        return "yes" if conditions["prior_endocrine_lines"] >= expected else "no"
    value = conditions[key]
    if isinstance(expected, list):
        return "yes" if value in expected else "no"
    return "yes" if value == expected else "no"


def _evaluate_conditions(option: dict, population: dict, derived: Derived) -> tuple[str, list[str], list[str]]:
    """Overall verdict, the biomarkers the option depends on, and those still untested."""
    verdicts: list[str] = []
    depends: list[str] = []
    unknown: list[str] = []
    when = {**(population.get("when") or {}), **(option.get("when") or {})}
    for key, expected in when.items():
        verdict = match_condition(key, expected, derived.conditions, derived.biomarkers)
        verdicts.append(verdict)
        if key in BIOMARKER_KEYS:
            depends.append(key)
            if verdict == "unknown":
                unknown.append(key)
    for key in option.get("requires") or []:
        verdict = match_condition(key, "positive", derived.conditions, derived.biomarkers)
        verdicts.append(verdict)
        depends.append(key)
        if verdict == "unknown":
            unknown.append(key)
    any_of = option.get("requires_any") or []
    if any_of:
        found = [derived.biomarkers.get(k) for k in any_of]
        depends.extend(any_of)
        if "positive" in found:
            verdicts.append("yes")
        elif None in found:
            verdicts.append("unknown")
            unknown.extend(k for k, f in zip(any_of, found, strict=True) if f is None)
        else:
            verdicts.append("no")
    overall = "no" if "no" in verdicts else ("unknown" if "unknown" in verdicts else "yes")
    return overall, list(dict.fromkeys(depends)), list(dict.fromkeys(unknown))


class SystemicCatalogue:
    """The regimen rows of the guideline database, prepared once per database."""

    def __init__(self, db: GuidelineDatabase, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.populations = db.by_key("regimen_populations", "id")
        table_rank = {"8": 1, "10": 2, "12": 3}
        self.options = sorted(
            db.rows("regimen_options"),
            key=lambda o: (table_rank.get(self.populations[o["population"]]["table"], 9),
                           self.populations[o["population"]]["order"], o["source_order"]))
        self.modifiers = db.rows("population_modifiers")
        self.approvals = db.rows("approval_notes")
        self.statuses = db.by_key("approval_statuses", "code")
        self.trials = db.by_key("trials", "name")
        self.trial_results: dict[str, list[dict]] = {}
        for result in db.rows("trial_results"):
            self.trial_results.setdefault(result["parent"], []).append(result)

    def candidates(self, derived: Derived, fallback: bool = False) -> list[SystemicOption]:
        """Every row whose conditions the case meets (or may meet: an untested biomarker), in table order.
        Fallback populations (pregnancy chemotherapy) are asked for only when no table row remains."""
        found = []
        for position, row in enumerate(self.options):
            population = self.populations[row["population"]]
            if bool(population.get("fallback")) != fallback:
                continue
            verdict, depends, unknown = _evaluate_conditions(row, population, derived)
            if verdict != "no":
                found.append(self._build(row, population, depends, unknown, derived, position))
        return found

    def select(self, derived: Derived) -> list[SystemicOption]:
        return merge(self.candidates(derived))

    def _build(self, row: dict, population: dict, depends: list[str], unknown: list[str], derived: Derived,
               position: int) -> SystemicOption:
        components = list(row["components"])
        label_zh, label_en = row["label_zh"], row["label_en"]
        applied = []
        for modifier in self.modifiers:
            if modifier["applies_to"] != derived.conditions["treatment_menopausal_status"]:
                continue
            if modifier.get("unless_flag") and row.get(modifier["unless_flag"]):
                continue
            if self._triggers(modifier, components) and modifier["add_component"] not in components:
                components.append(modifier["add_component"])
                label_zh += modifier["label_suffix_zh"]
                label_en += modifier["label_suffix_en"]
                applied.append(modifier["id"])
        approvals = self._approval_notes(components, derived.subtype)
        note_zh = "；".join(f"{a.meaning_zh}：{a.text_zh}" for a in approvals if a.status != "approved_indication") or None
        note_en = "; ".join(f"{a.meaning_en}: {a.text_en}" for a in approvals if a.status != "approved_indication") or None
        trials = tuple(row.get("trials") or [])
        for modifier_id in applied:
            trials += tuple(t for m in self.modifiers if m["id"] == modifier_id for t in m.get("trials") or [])
        trials = tuple(dict.fromkeys(trials))
        return SystemicOption(
            id=row["id"], tier=row["tier"], evidence=row.get("evidence"), components=tuple(components),
            label_zh=label_zh, label_en=label_en, table=row["table"] or population["table"], section=row["section"],
            row_zh=population["name_zh"], row_en=population["name_en"], requires=tuple(depends),
            requirement_status="unknown" if unknown else "met", unknown_biomarkers=tuple(unknown), trials=trials,
            approval_note_zh=note_zh, approval_note_en=note_en,
            condition_zh=row.get("condition_zh"), condition_en=row.get("condition_en"),
            note_zh=row.get("note_zh"), note_en=row.get("note_en"),
            tier_basis_zh=row.get("tier_basis_zh"), tier_basis_en=row.get("tier_basis_en"),
            modifiers=tuple(applied), key_figures=tuple(self.key_figures(t) for t in trials if t in self.trials),
            order=(position, 0, 0), approvals=approvals,
            sources=(RowSource(row["id"], row["tier"], row.get("evidence"), row["table"] or population["table"],
                               row["section"], population["name_zh"], population["name_en"],
                               row.get("condition_zh"), row.get("condition_en")),),
        )

    def _triggers(self, modifier: dict, components: list[str]) -> bool:
        ignore = set(modifier.get("ignore_components") or [])
        relevant = [c for c in components if c not in ignore]
        if modifier.get("if_kind"):
            return any(modifier["if_kind"] in self.vocabulary.kind_of(c) for c in relevant)
        return any(c in (modifier.get("if_components_any") or []) for c in relevant)

    def _approval_notes(self, components: list[str], subtype: str) -> tuple[ApprovalNote, ...]:
        """The guideline's approval statements that concern these components, most restrictive first, each
        with its meaning (not approved / availability-dependent / approved indication)."""
        notes: dict[str, ApprovalNote] = {}
        for note in self.approvals:
            status = self.statuses.get(note["status"])
            if status is None:
                continue
            if note.get("subtypes") and subtype not in note["subtypes"]:
                continue
            if any(self._note_concerns(note["token"], c) for c in components):
                notes.setdefault(note["text_zh"], ApprovalNote(
                    note["status"], status["name_zh"], status["name_en"], note["text_zh"], note["text_en"],
                    note["section"], bool(status["unapproved"])))
        return tuple(sorted(notes.values(), key=lambda a: self.statuses[a.status]["rank"]))

    def _note_concerns(self, token: str, component: str) -> bool:
        """A note on an agent concerns an option naming that agent, or naming its specific drug class
        (talazoparib → "PARP inhibitor"), but not a broad class such as "endocrine therapy"."""
        if not token:
            return False
        if token == component or self.vocabulary.in_class(component, token):
            return True
        broad = self.vocabulary.class_kind.get(component) in ("endocrine", "chemotherapy")
        return not broad and self.vocabulary.in_class(token, component)

    def key_figures(self, trial_name: str) -> str:
        """One line per trial with its headline figures, e.g. 'MONALEESA-2: PFS 25.3 vs 16.0 months, HR 0.57'."""
        parts = []
        for result in self.trial_results.get(trial_name, [])[:3]:
            text = result["endpoint"]
            if result.get("subgroup"):
                text += f" ({result['subgroup']})"
            exp, ctl, unit = result.get("experimental"), result.get("control"), result.get("unit", "")
            if exp is not None and ctl is not None:
                text += f" {exp:g} vs {ctl:g} {unit}"
            elif exp is not None:
                text += f" {exp:g} {unit}"
            if result.get("hr") is not None:
                text += f", HR {result['hr']:g}"
            parts.append(text.strip())
        return f"{trial_name}: {'; '.join(parts)}" if parts else trial_name


def merge(options: list[SystemicOption]) -> list[SystemicOption]:
    """One option per regimen (component set), ordered by tier in the guideline's order. Rows listing the same
    regimen are merged, never lost: the highest tier wins, every row stays in `sources` with its own tier,
    evidence and condition, and the evidence shown is the winning row's, else the best another row gives."""
    chosen: dict[frozenset[str], SystemicOption] = {}
    for option in options:
        key = frozenset(option.components)
        kept = chosen.get(key)
        if kept is None:
            chosen[key] = option
            continue
        better = (TIER_RANK[option.tier], len(option.unknown_biomarkers)) < (TIER_RANK[kept.tier], len(kept.unknown_biomarkers))
        winner, other = (option, kept) if better else (kept, option)
        chosen[key] = replace(
            winner, also_in=(*winner.also_in, other.id, *other.also_in),
            sources=(*winner.sources, *other.sources),
            evidence=winner.evidence or other.evidence,
            trials=tuple(dict.fromkeys((*winner.trials, *other.trials))),
            key_figures=tuple(dict.fromkeys((*winner.key_figures, *other.key_figures))),
            notes=tuple(dict.fromkeys((*winner.notes, *other.notes))))
    return sorted(chosen.values(), key=lambda o: (TIER_RANK[o.tier], o.order))


def merge_withheld(items: list) -> list:
    """Withheld rows of the same regimen for the same reason are shown once, the highest tier first, with
    every row id in `also_in` (a WithheldOption list; the type lives in result.py)."""
    chosen: dict[tuple, object] = {}
    for item in items:
        key = (frozenset(item.option.components), item.rule)
        kept = chosen.get(key)
        if kept is None:
            chosen[key] = item
            continue
        better = TIER_RANK[item.option.tier] < TIER_RANK[kept.option.tier]
        winner, other = (item, kept) if better else (kept, item)
        option = replace(winner.option, also_in=(*winner.option.also_in, other.option.id, *other.option.also_in),
                         sources=(*winner.option.sources, *other.option.sources))
        chosen[key] = replace(winner, option=option)
    return sorted(chosen.values(), key=lambda w: (TIER_RANK[w.option.tier], w.option.order))
