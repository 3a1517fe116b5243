"""The GUI's one table of tier and severity colours, keyed by the engine's enums.

Why one table keyed by `Tier` and `Severity`: the review, the live panel and the decision step drew
with string-keyed tables of their own, and a severity the table did not know ("critical") fell back
to the colour of a note. Every severity has its own colour here, and the views print the digest's
marker beside it ("‼ [CRITICAL]"), so the difference survives a black-and-white projector or print.
"""

from __future__ import annotations

from functools import cache
from typing import Any

NEUTRAL = ("#0f172a", "#f1f5f9", "#94a3b8")


@cache
def _tables() -> dict[str, dict[Any, tuple[str, ...]]]:
    """Built on first use: importing the engine's enums loads the engine, which the window's first paint
    does not need (start-up time, issue 13)."""
    from guideline_db.engine.model import Severity, Tier

    return {
        # (text, background, bar) — text colours have a contrast ≥ 4.5:1 on their background (WCAG AA)
        "TIER_COLOURS": {
            Tier.PREFERRED: ("#14532d", "#dcfce7", "#16a34a"),
            Tier.RECOMMENDED: ("#1e3a8a", "#dbeafe", "#2563eb"),
            Tier.OPTIONAL: ("#713f12", "#fef3c7", "#d97706"),
        },
        # (text, background): gravest first; each distinct
        "SEVERITY_COLOURS": {
            Severity.CRITICAL: ("#991b1b", "#fee2e2"),
            Severity.WARNING: ("#9a3412", "#ffedd5"),
            Severity.CAUTION: ("#713f12", "#fef9c3"),
            Severity.INFO: ("#1e3a8a", "#e0f2fe"),
        },
    }


def __getattr__(name: str) -> Any:
    """`TIER_COLOURS` (Tier → text, background, bar) and `SEVERITY_COLOURS` (Severity → text, background)."""
    if name in ("TIER_COLOURS", "SEVERITY_COLOURS"):      # only these: the import system asks for others
        return _tables()[name]
    raise AttributeError(name)


def tier_colours(tier: str | None) -> tuple[str, ...]:
    """The colours of a tier (a `Tier` or its value); neutral for none."""
    return _tables()["TIER_COLOURS"].get(tier, NEUTRAL) if tier else NEUTRAL


def severity_colours(severity: str | None) -> tuple[str, ...]:
    """The colours of a severity (a `Severity` or its value); every member has its own."""
    return _tables()["SEVERITY_COLOURS"][severity] if severity else NEUTRAL[:2]
