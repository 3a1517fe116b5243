"""Calendar arithmetic for guideline intervals ("2年内", "前6个月", "≤12个月").

Intervals are compared on the calendar (start + N months), not on day counts, so that a rule such as
"relapse within 2 years of starting adjuvant endocrine therapy" has one unambiguous cut-off date the
board can check by hand.
"""

from __future__ import annotations

import calendar
from datetime import date

DAYS_PER_MONTH = 365.25 / 12


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clamped to the month's last day (Jan 31 + 1 → Feb 28/29)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, end: date) -> float:
    """Elapsed months for display (one decimal); decisions use `add_months` cut-offs."""
    return round((end - start).days / DAYS_PER_MONTH, 1)


def within_months(start: date, event: date, months: float) -> bool:
    """True when `event` falls before start + `months` calendar months (strictly)."""
    whole = int(months)
    cutoff = add_months(start, whole)
    if months != whole:
        cutoff = date.fromordinal(cutoff.toordinal() + round((months - whole) * DAYS_PER_MONTH))
    return event < cutoff
