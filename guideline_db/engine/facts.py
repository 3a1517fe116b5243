"""A derived fact: its value plus the rule and the inputs that produced it.

Every fact the board sees carries a one-sentence explanation in both languages naming the rule
(with its guideline section) and the dates or values it used, so nothing on screen is unexplained.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Fact:
    value: Any
    section: str
    explanation_zh: str
    explanation_en: str
    inputs: dict[str, Any] = field(default_factory=dict)

    def explanation(self, lang: str) -> str:
        return self.explanation_zh if lang == "zh" else self.explanation_en
