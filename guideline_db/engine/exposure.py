"""What the patient already had, and whether it failed: the check every candidate option goes through.

四 "在其他药物的选择中，优选辅助治疗和解救治疗阶段未用过的药物" and 表6#4 "避免选用与前线化疗存在交叉耐药
的药物" apply to every option. A therapy *failed* when the disease progressed on it in the advanced setting,
or relapsed during a (neo)adjuvant therapy or within the adjuvant failure window after its last dose. What
counts as "the same drug", which drugs define a regimen and which the guideline asks to continue, and where
the text allows a drug again, are rows of exposure.toml (mechanisms, allowances); this module only applies
them. Linear in the number of therapies: each therapy is read once, each option component is a lookup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from guideline_db.case_model import Case, Therapy
from guideline_db.database import GuidelineDatabase
from guideline_db.engine.dates import add_months, months_between, within_months
from guideline_db.engine.therapy_history import _progressed, relapse_date
from guideline_db.engine.thresholds import Thresholds
from guideline_db.vocabulary import Vocabulary, load_vocabulary

RESPONDING = ("cr", "pr", "sd")


@dataclass(frozen=True)
class Failure:
    """One therapy that failed: progression on it (advanced) or relapse during / soon after it ((neo)adjuvant)."""
    index: int
    therapy: Therapy
    kind: str                  # progressed_on | relapsed_during_or_soon_after
    when: date

    def describe(self, vocabulary: Vocabulary, lang: str) -> str:
        t = self.therapy
        agents = "+".join(vocabulary.name(a, lang) for a in t.agents)
        setting_zh, setting_en = load_vocabulary().name(t.setting, "zh"), load_vocabulary().name(t.setting, "en")
        span = f"{t.start} → {t.end or self.when}"
        if self.kind == "progressed_on":
            if lang == "zh":
                return f"第{t.line}线晚期治疗{agents}（{span}）中疾病进展（{self.when}）"
            return f"disease progressed on line {t.line} {agents} ({span}; progression {self.when})"
        if lang == "zh":
            return f"{setting_zh}治疗{agents}（{span}）期间或结束后不久复发（{self.when}）"
        return f"relapse during or soon after {setting_en} {agents} ({span}; relapse {self.when})"

    @property
    def fact(self) -> str:
        return f"therapies[{self.index}]"


@dataclass(frozen=True)
class Reuse:
    """A drug the text allows again (taxane > 1 year after adjuvant use; an effective drug after a break)."""
    index: int
    therapy: Therapy
    allowance: dict
    months: float


@dataclass(frozen=True)
class ComponentCheck:
    """What the history says about one component of an option."""
    component: str
    role: str                                   # partner | backbone | continued
    failures: tuple[Failure, ...] = ()
    filler_failures: tuple[Failure, ...] = ()   # a broad class: members that failed (to avoid when filling it)
    reuses: tuple[Reuse, ...] = ()
    allowance: dict | None = None               # a different-agent allowance that keeps the option


@dataclass(frozen=True)
class OptionExposure:
    withheld_by: ComponentCheck | None
    checks: tuple[ComponentCheck, ...] = field(default=())


class ExposureRules:
    """The mechanism and allowance rows of the guideline database, prepared once per database."""

    def __init__(self, db: GuidelineDatabase, vocabulary: Vocabulary, thresholds: Thresholds) -> None:
        self.vocabulary = vocabulary
        self.thresholds = thresholds
        self.mechanisms = db.by_key("exposure_mechanisms", "token")
        self.allowances = db.rows("exposure_allowances")
        self.basis = db.by_key("exposure_basis", "id")
        self.class_scope = [t for t, m in self.mechanisms.items() if m["scope"] == "class"]
        self._group: dict[str, frozenset[str]] = {}
        self._role: dict[str, str] = {}

    def group(self, token: str) -> frozenset[str]:
        """The agents that count as the same drug as `token` (an agent or a class-scope class)."""
        if token not in self._group:
            v = self.vocabulary
            if token in v.class_kind:
                agents = set(v.class_agents[token]) if token in self.class_scope else set()
            else:
                agents = {token}
                for cls in self.class_scope:
                    if token in v.class_agents.get(cls, ()):
                        agents |= v.class_agents[cls]
            self._group[token] = frozenset(agents)
        return self._group[token]

    def role(self, token: str) -> str:
        if token not in self._role:
            row = self.mechanism_row(token)
            if row is not None:
                self._role[token] = row["role"]
            else:
                self._role[token] = "backbone" if "endocrine" in self.vocabulary.kind_of(token) else "partner"
        return self._role[token]

    def mechanism_row(self, token: str) -> dict | None:
        row = self.mechanisms.get(token)
        if row is not None:
            return row
        return next((self.mechanisms[c] for c in self.mechanisms
                     if c in self.vocabulary.class_kind and self.vocabulary.in_class(token, c)), None)

    def history(self, case: Case) -> ExposureHistory:
        return ExposureHistory(self, case)


class ExposureHistory:
    """The failures and allowed re-uses of one case, indexed by agent."""

    def __init__(self, rules: ExposureRules, case: Case) -> None:
        self.rules = rules
        self.failed: dict[str, list[Failure]] = {}
        self.reused: dict[str, list[Reuse]] = {}
        relapse = relapse_date(case)
        window = rules.thresholds["adjuvant_failure_window_months"]
        by_kind = {a["kind"]: a for a in rules.allowances}
        taxane_rule = by_kind.get("adjuvant_interval")
        break_rule = by_kind.get("effective_before_break")
        for index, therapy in enumerate(case.therapies):
            if therapy.setting == "advanced":
                self._read_advanced(index, therapy, break_rule)
            elif relapse is not None:
                self._read_adjuvant(index, therapy, relapse, window.value, taxane_rule)

    def _read_advanced(self, index: int, therapy: Therapy, break_rule: dict | None) -> None:
        progressed = _progressed(therapy)
        if progressed is None:
            return
        planned_stop = therapy.stop_reason not in ("progression", None, "ongoing") and therapy.end is not None
        if planned_stop and progressed > therapy.end and break_rule and therapy.best_response in RESPONDING:
            control = months_between(therapy.start, therapy.end)
            cut = self.rules.thresholds[break_rule["threshold"]]
            if not within_months(therapy.start, therapy.end, cut.value):
                for agent in therapy.agents:
                    self.reused.setdefault(agent, []).append(Reuse(index, therapy, break_rule, control))
                return
        failure = Failure(index, therapy, "progressed_on", progressed)
        for agent in therapy.agents:
            self.failed.setdefault(agent, []).append(failure)

    def _read_adjuvant(self, index: int, therapy: Therapy, relapse: date, window: float,
                       taxane_rule: dict | None) -> None:
        """Relapse during the therapy, or within the window after its last dose, is a failure; a taxane
        relapse-free for more than its own interval after the last dose may be used again (四)."""
        if relapse < therapy.start:
            return
        last = therapy.end
        during = last is None or relapse <= last
        for agent in therapy.agents:
            taxane = taxane_rule is not None and self.rules.vocabulary.in_class(agent, taxane_rule["applies_to"])
            months = window
            if taxane:
                months = self.rules.thresholds[taxane_rule["threshold"]].value
            failed = during or relapse <= add_months(last, int(months))
            if failed:
                self.failed.setdefault(agent, []).append(
                    Failure(index, therapy, "relapsed_during_or_soon_after", relapse))
            elif taxane:
                self.reused.setdefault(agent, []).append(
                    Reuse(index, therapy, taxane_rule, months_between(last, relapse)))

    # ------------------------------------------------------------------ per option
    def failures_of(self, agents: frozenset[str]) -> tuple[Failure, ...]:
        found: dict[int, Failure] = {}
        for agent in agents:
            for failure in self.failed.get(agent, ()):
                found.setdefault(failure.index, failure)
        return tuple(sorted(found.values(), key=lambda f: f.index))

    def check_component(self, component: str, option_ids: tuple[str, ...]) -> ComponentCheck:
        rules, v = self.rules, self.rules.vocabulary
        role = rules.role(component)
        group = rules.group(component)
        failures = self.failures_of(group)
        filler: tuple[Failure, ...] = ()
        allowance = None
        if component in v.class_kind and not group and role != "continued":
            members = frozenset(a for a in self.failed if v.covers(component, a))
            filler = self.failures_of(members)
        if failures and component in v.class_kind:
            for rule in rules.allowances:
                if (rule["kind"] == "different_agent_in_class" and set(option_ids) & set(rule.get("options") or [])
                        and rule["applies_to"] == component):
                    untried = v.class_agents[component] - frozenset(self.failed)
                    if untried:
                        allowance = rule
                        filler, failures = failures, ()
        if component in v.class_kind and not group:
            reuses = tuple(r for a, rs in self.reused.items() if v.covers(component, a) for r in rs)
        else:
            reuses = tuple(r for a in (group or {component}) for r in self.reused.get(a, ()))
        return ComponentCheck(component, role, failures, filler, reuses, allowance)

    def check_option(self, option_ids: tuple[str, ...], components: tuple[str, ...]) -> OptionExposure:
        """Withheld when a partner failed, or (with no partner) when a backbone failed; drugs the guideline
        asks to continue never withhold an option."""
        checks = tuple(self.check_component(c, option_ids) for c in components)
        partners = [c for c in checks if c.role == "partner"]
        culprit = next((c for c in partners if c.failures), None)
        if culprit is None and not partners:
            culprit = next((c for c in checks if c.role == "backbone" and c.failures), None)
        return OptionExposure(culprit, checks)
