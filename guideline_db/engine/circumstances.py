"""The patient's circumstances and treatment history applied to each candidate option.

Every option the guideline's rows give for this situation comes out either kept (with the notes the
circumstances add) or withheld with a reason code, a sentence naming the facts, and the guideline sentence
it rests on. Nothing is dropped. The rules are rows of exposure.toml (withhold, option_note, notice,
local_circumstance); this module only evaluates them against the derived conditions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from guideline_db.case_model import Case
from guideline_db.database import GuidelineDatabase
from guideline_db.engine.advisories import Advisory
from guideline_db.engine.derive import Derived
from guideline_db.engine.exposure import ComponentCheck, ExposureHistory, ExposureRules
from guideline_db.engine.result import LocalItem, WithheldOption
from guideline_db.engine.systemic import OptionNote, SystemicOption, match_condition
from guideline_db.vocabulary import Vocabulary

BROAD_CHEMOTHERAPY = ("chemotherapy", "non_taxane_chemotherapy")
METASTATIC = ("de_novo_stage_iv", "recurrent_metastatic")


@dataclass(frozen=True)
class Outcome:
    kept: tuple[SystemicOption, ...]
    withheld: tuple[WithheldOption, ...]
    notices: tuple[Advisory, ...]


class CircumstanceRules:
    """The circumstance rows of the guideline database, prepared once per database."""

    def __init__(self, db: GuidelineDatabase, vocabulary: Vocabulary, exposure: ExposureRules) -> None:
        self.vocabulary = vocabulary
        self.exposure = exposure
        self.withhold = db.rows("withhold_rules")
        self.option_notes = db.rows("option_note_rules")
        self.notices = db.by_key("notices", "id")
        self.local = db.rows("local_circumstances")
        self.single_agents = db.rows("chemotherapy_single_agents")
        self.combinations = db.rows("chemotherapy_combinations")
        self.metronomic = db.rows("chemotherapy_metronomic")

    # ------------------------------------------------------------------ matching helpers
    def _when(self, when: dict[str, Any] | None, derived: Derived) -> str:
        """'yes', 'no' or 'unknown': a circumstance not recorded (None) is unknown, never assumed."""
        verdicts = [("unknown" if derived.conditions.get(k, 0) is None else
                     match_condition(k, v, derived.conditions, derived.biomarkers)) for k, v in (when or {}).items()]
        return "no" if "no" in verdicts else ("unknown" if "unknown" in verdicts else "yes")

    def _has(self, option: SystemicOption, tokens: list[str] | None, kinds: list[str] | None) -> bool:
        v = self.vocabulary
        if tokens and any(v.in_class(c, t) for c in option.components for t in tokens):
            return True
        return bool(kinds) and any(k in v.kind_of(c) for c in option.components for k in kinds)

    def _in_scope(self, rule: dict, option: SystemicOption) -> bool:
        if option.id in (rule.get("except_options") or []):
            return False
        tokens, kinds = rule.get("components_any"), rule.get("kinds_any")
        if (tokens or kinds) and not self._has(option, tokens, kinds):
            return False
        if rule.get("unless_classes_any") and self._has(option, rule["unless_classes_any"], None):
            return False
        only = rule.get("unless_only_kinds")
        return not (only and all(any(k in self.vocabulary.kind_of(c) for k in only) for c in option.components))

    # ------------------------------------------------------------------ the pass over the options
    def apply(self, case: Case, derived: Derived, options: list[SystemicOption],
              history: ExposureHistory) -> tuple[list[SystemicOption], list[WithheldOption], set[str]]:
        kept: list[SystemicOption] = []
        withheld: list[WithheldOption] = []
        triggers: set[str] = set()
        active = [r for r in self.withhold if self._when(r.get("when"), derived) == "yes"]
        for option in options:
            verdict = self._circumstance(option, active, derived, triggers)
            if isinstance(verdict, WithheldOption):
                withheld.append(verdict)
                continue
            exposure = history.check_option((option.id, *option.also_in), option.components)
            if exposure.withheld_by is not None:
                withheld.append(self._exposure_withheld(option, exposure.withheld_by))
                continue
            notes = [*verdict, *self._exposure_notes(exposure.checks), *self._option_notes(option, derived),
                     *self._chemotherapy_choices(option, derived, history)]
            kept.append(replace(option, notes=(*option.notes, *notes)) if notes else option)
        return kept, withheld, triggers

    def _circumstance(self, option: SystemicOption, active: list[dict], derived: Derived,
                      triggers: set[str]) -> WithheldOption | list[OptionNote]:
        notes: list[OptionNote] = []
        for rule in active:
            if not self._in_scope(rule, option):
                continue
            keep = rule.get("keep_components_any")
            if keep and self._has(option, keep, None):
                verdict = self._when(rule.get("keep_if"), derived)
                if verdict == "yes":
                    notes.append(OptionNote(rule["keep_note_zh"], rule["keep_note_en"], rule["section"], rule["id"]))
                    continue
                if verdict == "unknown":
                    triggers.add("right_choice_er_unknown")
                    continue
            return WithheldOption(
                option, rule["reason_zh"], rule["reason_en"], reason_code=rule["reason_code"],
                reason_facts=(), source_table=rule["table"], source_section=rule["section"],
                source_text_zh=rule["text_zh"], source_text_en=rule["text_en"], rule=rule["id"])
        return notes

    def _exposure_withheld(self, option: SystemicOption, check: ComponentCheck) -> WithheldOption:
        v = self.vocabulary
        failure = check.failures[-1]
        name_zh, name_en = v.name(check.component, "zh"), v.name(check.component, "en")
        mechanism = self.exposure.mechanism_row(check.component)
        chemo = "chemotherapy" in v.kind_of(check.component)
        basis = self.exposure.basis["cross_resistance" if chemo else "not_used_before"]
        same_zh = same_en = ""
        is_agent = check.component not in v.class_kind
        if is_agent and mechanism and mechanism["scope"] == "class" and check.component not in failure.therapy.agents:
            same_zh = f"（同一作用机制：{v.name(mechanism['token'], 'zh')}）"
            same_en = f" (same mechanism: {v.name(mechanism['token'], 'en')})"
        return WithheldOption(
            option,
            f"{name_zh}{same_zh}已失败：{failure.describe(v, 'zh')}",
            f"{name_en}{same_en} already failed: {failure.describe(v, 'en')}",
            reason_code=failure.kind, reason_facts=tuple(f.fact for f in check.failures),
            source_table=basis["table"], source_section=basis["section"],
            source_text_zh=basis["text_zh"], source_text_en=basis["text_en"], rule=f"exposure:{check.component}")

    def _exposure_notes(self, checks: tuple[ComponentCheck, ...]) -> list[OptionNote]:
        v, notes = self.vocabulary, []
        for check in checks:
            name_zh, name_en = v.name(check.component, "zh"), v.name(check.component, "en")
            if check.failures and check.role in ("backbone", "continued"):
                row = self.exposure.mechanism_row(check.component)
                f = check.failures[-1]
                notes.append(OptionNote(
                    f"{name_zh}既往失败（{f.describe(v, 'zh')}）：{row['text_zh'] if row else ''}",
                    f"{name_en} failed before ({f.describe(v, 'en')}): {row['text_en'] if row else ''}",
                    row["section"] if row else "四", f"exposure:{check.role}"))
            if check.filler_failures:
                agents_zh = "、".join(dict.fromkeys(v.name(a, "zh") for f in check.filler_failures
                                                    for a in f.therapy.agents if v.covers(check.component, a)))
                agents_en = ", ".join(dict.fromkeys(v.name(a, "en") for f in check.filler_failures
                                                    for a in f.therapy.agents if v.covers(check.component, a)))
                if check.allowance:
                    row = check.allowance
                    notes.append(OptionNote(f"须选用不同于已失败药物（{agents_zh}）的{name_zh}：{row['text_zh']}",
                                            f"{name_en}: choose one other than the one(s) that failed ({agents_en}); "
                                            f"{row['text_en']}",
                                            row["section"], f"allowance:{row['id']}"))
                else:
                    basis = self.exposure.basis["not_used_before"]
                    notes.append(OptionNote(f"{name_zh}请选用未失败的药物（已失败：{agents_zh}）：{basis['text_zh']}",
                                            f"{name_en}: choose an agent that has not failed (failed: {agents_en}); "
                                            f"{basis['text_en']}", basis["section"], "exposure:filler"))
            for reuse in check.reuses[:1]:
                row = reuse.allowance
                agents_zh = "+".join(v.name(a, "zh") for a in reuse.therapy.agents)
                agents_en = "+".join(v.name(a, "en") for a in reuse.therapy.agents)
                notes.append(OptionNote(f"{agents_zh}（{reuse.therapy.start}起）：{row['text_zh']}（间隔{reuse.months:g}个月）",
                                        f"{agents_en} (from {reuse.therapy.start}): {row['text_en']} ({reuse.months:g} months)",
                                        row["section"], f"allowance:{row['id']}"))
        return notes

    def _option_notes(self, option: SystemicOption, derived: Derived) -> list[OptionNote]:
        notes = []
        for rule in self.option_notes:
            if self._when(rule.get("when"), derived) != "yes":
                continue
            if not self._has(option, rule.get("classes_any"), rule.get("kinds_any")):
                continue
            also = rule.get("kinds_also")
            if also and not self._has(option, None, also):
                continue
            if rule.get("unless_classes_any") and self._has(option, rule["unless_classes_any"], None):
                continue
            notes.append(OptionNote(rule["text_zh"], rule["text_en"], rule["section"], rule["id"]))
        return notes

    def _chemotherapy_choices(self, option: SystemicOption, derived: Derived,
                              history: ExposureHistory) -> list[OptionNote]:
        """Section 四's single-agent, combination and metronomic lists for a "chemotherapy" component,
        without the agents that failed (and without taxanes for "non-taxane chemotherapy")."""
        broad = [c for c in option.components if c in BROAD_CHEMOTHERAPY]
        if not broad:
            return []
        v = self.vocabulary
        component = broad[0]
        usable = lambda agents: all(v.covers(component, a) and a not in history.failed for a in agents)  # noqa: E731
        singles = [r for r in self.single_agents if usable([r["agent"]])]
        combos = [r for r in self.combinations if r["group"] == "common" and usable(r["agents"])]
        parts_zh = [f"优选单药：{'、'.join(r['name_zh'] for r in singles if r['group'] == 'preferred')}",
                    f"其他单药：{'、'.join(r['name_zh'] for r in singles if r['group'] != 'preferred')}",
                    f"常用联合：{'、'.join(r['name_zh'] for r in combos)}"]
        parts_en = [f"preferred single agents: {', '.join(r['name_en'] for r in singles if r['group'] == 'preferred')}",
                    f"other single agents: {', '.join(r['name_en'] for r in singles if r['group'] != 'preferred')}",
                    f"common combinations: {', '.join(r['name_en'] for r in combos)}"]
        if not derived.conditions["needs_rapid_response"]:
            metro = [r for r in self.metronomic if usable([r["agent"]])]
            if metro:
                parts_zh.append(f"节拍化疗（不需要快速缓解者，口服）：{'、'.join(v.name(r['agent'], 'zh') for r in metro)}")
                parts_en.append(f"metronomic (oral; no rapid response needed): "
                                f"{', '.join(v.name(r['agent'], 'en') for r in metro)}")
        failed = [a for a in history.failed if v.covers(component, a)]
        if failed:
            parts_zh.append(f"已排除既往失败：{'、'.join(v.name(a, 'zh') for a in failed)}")
            parts_en.append(f"excluded as failed: {', '.join(v.name(a, 'en') for a in failed)}")
        return [OptionNote("第四部分化疗方案——" + "；".join(parts_zh), "Section 4 regimens — " + "; ".join(parts_en),
                           "四", "chemotherapy_choices")]

    # ------------------------------------------------------------------ situation-level notes, local items
    def notices_for(self, case: Case, derived: Derived, kept: list[SystemicOption],
                    withheld: list[WithheldOption], triggers: set[str]) -> list[Advisory]:
        c = derived.conditions
        if not kept and withheld:
            triggers.add("no_option_left")
        if c["presentation"] == "locally_advanced_inoperable" and not c["neoadjuvant_given"]:
            triggers.add("locally_advanced_untreated")
        if c["leptomeningeal"]:
            triggers.add("leptomeningeal")
        if c["pregnant"] and derived.receptors.her2_status.value == "positive":
            triggers.add("pregnancy_her2")
        if c["biomarkers_untested"] and c["advanced_line"] >= 1 and c["presentation"] in METASTATIC:
            triggers.add("biomarkers_untested")
        if c["long_remission"]:
            triggers.add("long_remission")
            if derived.receptors.her2_status.value == "positive":
                triggers.add("long_remission_her2")
        return [Advisory(row["id"], row["text_zh"], row["text_en"], row["table"], row["section"], row["severity"])
                for row in self.notices.values() if row["trigger"] in triggers]

    def local_items(self, derived: Derived, items: tuple[LocalItem, ...]) -> tuple[LocalItem, ...]:
        rules = [r for r in self.local if self._when(r.get("when"), derived) == "yes"]
        if not rules:
            return items
        changed = []
        for item in items:
            for rule in rules:
                removed = [a for a in item.actions if a in rule["remove_actions"]]
                flagged = [a for a in item.actions if a in rule["flag_actions"]]
                if removed:
                    item = replace(item, actions=tuple(a for a in item.actions if a not in removed),
                                   reasons_zh=(*item.reasons_zh, rule["remove_zh"]),
                                   reasons_en=(*item.reasons_en, rule["remove_en"]), rules=(*item.rules, rule["id"]))
                if flagged:
                    item = replace(item, flags=(*item.flags, rule["flag"]), reasons_zh=(*item.reasons_zh, rule["flag_zh"]),
                                   reasons_en=(*item.reasons_en, rule["flag_en"]))
            changed.append(item)
        return tuple(changed)
