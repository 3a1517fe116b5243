"""A case with a very long treatment history, for the linear-time test and `make bench` (issue 10, item 8).

Adjuvant entries cycle through endocrine, chemotherapy and anti-HER-2 + chemotherapy courses with
overlapping dates (so the concurrency check has pairs to find); up to 30 advanced lines follow, each
ending in progression.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from builders import base_case, therapy

ADJUVANT_AGENTS = (["letrozole"], ["paclitaxel"], ["trastuzumab", "docetaxel"], ["tamoxifen"])
ADVANCED_AGENTS = (["fulvestrant"], ["capecitabine"], ["eribulin"])
MAX_ADVANCED_LINES = 30   # the case format's upper bound for `line`


def many_therapies(count: int) -> dict[str, Any]:
    case = base_case(f"scale-{count}")
    case.update(presentation="recurrent_metastatic", primary_diagnosis_date="1990-01-01",
                metastatic_diagnosis_date="2010-01-01", evaluation_date="2024-07-01")
    case["pathology"][0]["date"] = "1990-01-02"
    advanced = min(MAX_ADVANCED_LINES, count // 2)
    first = dt.date(1990, 2, 1)
    entries = []
    for i in range(count - advanced):
        start = first + dt.timedelta(days=i % 7000)
        entries.append(therapy("adjuvant", ADJUVANT_AGENTS[i % len(ADJUVANT_AGENTS)], start.isoformat(),
                               (start + dt.timedelta(days=20)).isoformat()))
    relapse = dt.date(2010, 2, 1)
    for line in range(1, advanced + 1):
        start = relapse + dt.timedelta(days=100 * line)
        end = (start + dt.timedelta(days=90)).isoformat()
        entries.append(therapy("advanced", ADVANCED_AGENTS[line % len(ADVANCED_AGENTS)], start.isoformat(), end,
                               line=line, progression=end))
    case["therapies"] = entries
    return case
