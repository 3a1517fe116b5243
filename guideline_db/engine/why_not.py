""""Why isn't X offered?": every guideline row naming a drug or class, and what this patient's case does to it.

For each regimen row whose components contain the token (the agent itself, its class, or an agent of the
class asked about) the answer is one of: offered (with its tier), withheld (with the reason), or the first
condition of the row this patient does not meet, said in the reader's language from the condition phrases
of the guideline database. The answer reuses the evaluation; it never evaluates differently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from guideline_db.engine.derive import Derived
from guideline_db.engine.model import tier_names
from guideline_db.engine.result import Evaluation
from guideline_db.engine.systemic import BIOMARKER_KEYS, SystemicCatalogue, match_condition
from guideline_db.vocabulary import Vocabulary

VALUE_WORDS = {True: ("是", "yes"), False: ("否", "no"), None: ("未知", "unknown")}


@dataclass(frozen=True)
class WhyNotRow:
    row_id: str
    label_zh: str
    label_en: str
    table: str
    section: str
    population_zh: str
    population_en: str
    status: str            # offered | withheld | not_applicable
    answer_zh: str
    answer_en: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.row_id, "label_zh": self.label_zh, "label_en": self.label_en,
                "source": {"table": self.table, "section": self.section, "row": self.population_zh,
                           "row_en": self.population_en},
                "status": self.status, "answer_zh": self.answer_zh, "answer_en": self.answer_en}

    def answer(self, lang: str) -> str:
        return self.answer_zh if lang == "zh" else self.answer_en


class WhyNot:
    """Condition phrases and the catalogue, prepared once per database."""

    def __init__(self, catalogue: SystemicCatalogue, vocabulary: Vocabulary, phrases: dict[str, dict]) -> None:
        self.catalogue = catalogue
        self.vocabulary = vocabulary
        self.phrases = phrases

    def concerns(self, component: str, token: str) -> bool:
        v = self.vocabulary
        return v.in_class(token, component) or v.in_class(component, token) or v.covers(component, token)

    def ask(self, token: str, evaluation: Evaluation, derived: Derived) -> list[WhyNotRow]:
        offered = {}
        for option in evaluation.systemic:
            for row_id in (option.id, *option.also_in):
                offered[row_id] = option
        withheld = {}
        for item in evaluation.withheld:
            for row_id in (item.option.id, *item.option.also_in):
                withheld[row_id] = item
        answers = []
        for row in self.catalogue.options:
            if not any(self.concerns(c, token) for c in row["components"]):
                continue
            population = self.catalogue.populations[row["population"]]
            if row["id"] in offered:
                option = offered[row["id"]]
                zh, en = tier_names()[option.tier]
                merged = option.id != row["id"]
                status = "offered"
                answer_zh = f"已列出：{zh}" + (f"（与{option.id}合并显示）" if merged else "")
                answer_en = f"offered: {en}" + (f" (shown merged with {option.id})" if merged else "")
            elif row["id"] in withheld:
                item = withheld[row["id"]]
                status = "withheld"
                answer_zh = f"暂缓：{item.reason_zh}（{item.source_section}：{item.source_text_zh}）"
                answer_en = f"withheld: {item.reason_en} ({item.source_section}: {item.source_text_en})"
            else:
                status = "not_applicable"
                answer_zh, answer_en = self.first_failed(row, population, derived)
            answers.append(WhyNotRow(row["id"], row["label_zh"], row["label_en"], row["table"] or population["table"],
                                     row["section"], population["name_zh"], population["name_en"], status,
                                     answer_zh, answer_en))
        return answers

    def first_failed(self, row: dict, population: dict, derived: Derived) -> tuple[str, str]:
        when = {**(population.get("when") or {}), **(row.get("when") or {})}
        for key, expected in when.items():
            if match_condition(key, expected, derived.conditions, derived.biomarkers) == "no":
                return self.say(key, expected, derived)
        for key in row.get("requires") or []:
            if match_condition(key, "positive", derived.conditions, derived.biomarkers) == "no":
                return self.say(key, "positive", derived)
        any_of = row.get("requires_any") or []
        if any_of and all(derived.biomarkers.get(k) == "negative" for k in any_of):
            return self.say(any_of[0], "positive", derived)
        if population.get("fallback"):
            return ("仅在指南各表方案均不适用时列出", "listed only when no table row remains")
        return ("条件符合，但方案已与其他行合并或未列出", "conditions met; the regimen is shown under another row")

    def say(self, key: str, expected: Any, derived: Derived) -> tuple[str, str]:
        actual = _actual(key, derived)
        if key in BIOMARKER_KEYS:
            phrase = self.phrases["biomarker"]
            name_zh, name_en = self.vocabulary.name(key, "zh"), self.vocabulary.name(key, "en")
            found = derived.biomarkers.get(key)
            return (phrase["text_zh"].format(name=name_zh, actual=_word(found, "zh", self.vocabulary)),
                    phrase["text_en"].format(name=name_en, actual=_word(found, "en", self.vocabulary)))
        phrase = self.phrases.get(key, self.phrases["default"])
        name_zh, name_en = self.vocabulary.name(key, "zh"), self.vocabulary.name(key, "en")
        return (phrase["text_zh"].format(name=name_zh, expected=_word(expected, "zh", self.vocabulary),
                                         actual=_word(actual, "zh", self.vocabulary)),
                phrase["text_en"].format(name=name_en, expected=_word(expected, "en", self.vocabulary),
                                         actual=_word(actual, "en", self.vocabulary)))


def _actual(key: str, derived: Derived) -> Any:
    c = derived.conditions
    return {"line_min": c["advanced_line"], "line_max": c["advanced_line"], "subtypes": c["subtype"],
            "prior_endocrine_lines_min": c["prior_endocrine_lines"]}.get(key, c.get(key))


def _word(value: Any, lang: str, vocabulary: Vocabulary) -> str:
    if isinstance(value, list):
        joiner = "或" if lang == "zh" else " or "
        return joiner.join(_word(v, lang, vocabulary) for v in value)
    if isinstance(value, bool) or value is None:
        zh, en = VALUE_WORDS[value]
        return zh if lang == "zh" else en
    if isinstance(value, str):
        return vocabulary.name(value, lang)
    return str(value)
