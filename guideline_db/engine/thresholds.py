"""Access to the thresholds table: each comparison a rule makes, as stored in the guideline database."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

from guideline_db.database import GuidelineDatabase

_COMPARISONS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "=": operator.eq}


@dataclass(frozen=True)
class Threshold:
    id: str
    value: float
    value_high: float | None
    unit: str
    comparison: str
    section: str
    text_zh: str
    text_en: str

    def holds(self, measured: float, upper: bool = False) -> bool:
        """Compare `measured` with the threshold (with its upper end when `upper` and a range is given)."""
        limit = self.value_high if upper and self.value_high is not None else self.value
        return _COMPARISONS[self.comparison](measured, limit)

    def span(self, lang: str) -> str:
        """The threshold's amount as prose ("2年" / "2 years", "6个月" / "6 months"), from the row's value, so
        no explanation carries a copied number."""
        value = self.value
        if self.unit == "months" and float(value).is_integer() and int(value) % 12 == 0:
            years = int(value) // 12
            return f"{years}年" if lang == "zh" else (f"{years} year" + ("s" if years != 1 else ""))
        unit = UNITS_ZH.get(self.unit, self.unit) if lang == "zh" else self.unit
        return f"{_fmt(value)}{unit}" if lang == "zh" else f"{_fmt(value)} {unit}"

    @property
    def shown(self) -> str:
        """The threshold as the guideline writes it, e.g. '≤3-5 lesions'."""
        return self._shown(self.unit, "-", " ")

    @property
    def shown_zh(self) -> str:
        """The same in Chinese, e.g. '≤3～5个'."""
        return self._shown(UNITS_ZH.get(self.unit, self.unit), "～", "")

    def _shown(self, unit: str, dash: str, space: str) -> str:
        symbol = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "=": ""}[self.comparison]
        number = _fmt(self.value) + (f"{dash}{_fmt(self.value_high)}" if self.value_high is not None else "")
        return f"{symbol}{number}{space}{unit}".strip()


UNITS_ZH = {"lesions": "个", "organ sites": "个部位", "organ": "个器官", "months": "个月", "years": "年",
            "lines": "线", "%": "%"}


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class Thresholds:
    def __init__(self, db: GuidelineDatabase) -> None:
        self._rows: dict[str, Threshold] = {
            row["id"]: Threshold(
                id=row["id"], value=row["value"], value_high=row.get("value_high"), unit=row["unit"],
                comparison=row["comparison"], section=row["section"], text_zh=row["text_zh"], text_en=row["text_en"])
            for row in db.rows("thresholds")
        }

    def __getitem__(self, threshold_id: str) -> Threshold:
        return self._rows[threshold_id]

    def value(self, threshold_id: str) -> Any:
        return self._rows[threshold_id].value
