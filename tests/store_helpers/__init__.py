"""Cases and stores for the case-store tests (plain Python: also imported by the subprocess writers)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from guideline_db.case_io import parse_case
from guideline_db.case_model import Case
from guideline_db.store import CaseStore

RECEPTORS = {
    "hr_pos_her2_neg": {"er_percent": 90, "pr_percent": 50, "her2_ihc": "1+"},
    "hr_pos_her2_pos": {"er_percent": 90, "pr_percent": 50, "her2_ihc": "3+"},
    "hr_neg_her2_pos": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "3+"},
    "triple_negative": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "0"},
}


def case_dict(case_id: str = "case-001", *, name: str | None = None, hospital_id: str | None = None,
              subtype: str = "hr_pos_her2_neg", presentation: str = "de_novo_stage_iv", kps: int = 80,
              notes: str | None = None) -> dict[str, Any]:
    patient: dict[str, Any] = {"sex": "female", "age": 60, "menopausal_status": "post", "kps": kps}
    if name is not None:
        patient["name"] = name
    if hospital_id is not None:
        patient["hospital_id"] = hospital_id
    data: dict[str, Any] = {
        "schema_version": 1, "case_id": case_id, "evaluation_date": "2024-07-01", "patient": patient,
        "presentation": presentation, "primary_diagnosis_date": "2024-05-01",
        "metastatic_diagnosis_date": "2024-05-01",
        "pathology": [{"specimen": "primary", "site": "left breast", "date": "2024-05-02", "ki67_percent": 20,
                       **RECEPTORS[subtype]}],
        "metastases": [{"organ": "liver", "lesion_count": 2, "max_diameter_cm": 2.0}],
    }
    if notes is not None:
        data["mdt"] = {"meeting_date": "2024-07-01", "decision": {"notes": notes}}
    return data


def make_case(case_id: str = "case-001", **kwargs: Any) -> Case:
    return parse_case(case_dict(case_id, **kwargs))


def edited(case: Case, **patient_changes: Any) -> Case:
    """A copy of `case` with some patient fields changed (validated again)."""
    data = copy.deepcopy(case.model_dump(mode="json", exclude_none=True))
    data["patient"].update(patient_changes)
    return parse_case(data)


def open_store(directory: Path, **kwargs: Any) -> CaseStore:
    """A store in a test folder; the mount-table check is exercised in test_store_paths only."""
    kwargs.setdefault("mounts_file", None)
    kwargs.setdefault("user", "tester")
    return CaseStore.open(directory / "data" / "cases.sqlite", **kwargs)


def recorded(store: CaseStore, claimed: str) -> str:
    """The name the store records for a caller who names `claimed`: on this PC's store the claim itself, on the
    hospital server the database role that logged in (CaseStore._actor; test_store_pg_actor.py)."""
    return store._actor(claimed)
