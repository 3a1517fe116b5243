"""Build valid cases for tests from a few clinical parameters (no vignette answers hard-coded here)."""

from __future__ import annotations

import copy
from typing import Any

from guideline_db.case_io import parse_case
from guideline_db.case_model import Case

HER2_IHC = {"positive": ("3+", None), "low": ("1+", None), "zero": ("0", None), "ultralow": ("ultralow", None)}


def base_case(case_id: str = "test-case") -> dict[str, Any]:
    return {
        "schema_version": 1,
        "case_id": case_id,
        "evaluation_date": "2024-07-01",
        "patient": {"sex": "female", "age": 60, "menopausal_status": "post", "kps": 80, "pregnant": False},
        "presentation": "de_novo_stage_iv",
        "primary_diagnosis_date": "2024-05-01",
        "metastatic_diagnosis_date": "2024-05-01",
        "pathology": [{"specimen": "primary", "date": "2024-05-02", "er_percent": 90, "pr_percent": 50,
                       "her2_ihc": "1+", "her2_ish": None, "ki67_percent": 20}],
        "biomarkers": {},
        "therapies": [],
        "metastases": [{"organ": "liver", "lesion_count": 4, "max_diameter_cm": 2.0},
                       {"organ": "bone", "lesion_count": 5, "symptomatic": False}],
        "context": {},
    }


def with_receptors(case: dict, er: float, pr: float, her2: str) -> dict:
    ihc, ish = HER2_IHC[her2]
    case["pathology"][0].update(er_percent=er, pr_percent=pr, her2_ihc=ihc, her2_ish=ish)
    return case


def hr_pos_her2_neg(her2: str = "low") -> dict:
    return with_receptors(base_case(), 90, 50, her2)


def recurrent(case: dict, primary: str, relapse: str) -> dict:
    case["presentation"] = "recurrent_metastatic"
    case["primary_diagnosis_date"] = primary
    case["metastatic_diagnosis_date"] = relapse
    case["pathology"][0]["date"] = primary
    return case


def therapy(setting: str, agents: list[str], start: str, end: str | None = None, line: int | None = None,
            progression: str | None = None, stop_reason: str | None = None, response: str | None = None) -> dict:
    entry: dict[str, Any] = {"setting": setting, "agents": agents, "start": start}
    if line is not None:
        entry["line"] = line
    if end:
        entry["end"] = end
    if progression:
        entry["progression_date"] = progression
        entry["stop_reason"] = stop_reason or "progression"
    elif stop_reason:
        entry["stop_reason"] = stop_reason
    if response:
        entry["best_response"] = response
    return entry


def all_biomarkers_positive(case: dict) -> dict:
    case["biomarkers"] = {"gbrca": "positive", "pik3ca": "positive", "esr1": "positive", "akt1": "positive",
                          "pten": "positive", "pdl1_cps": 20}
    return case


def build(case: dict) -> Case:
    return parse_case(copy.deepcopy(case))
