"""The case format's validation rules: each failure is one located message, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from builders import base_case, therapy

from guideline_db.case_io import CaseFileError, load_case, parse_case


def problems(case: dict) -> list[str]:
    with pytest.raises(CaseFileError) as error:
        parse_case(case)
    return error.value.problems


def mutate(path: str, value) -> dict:
    case = base_case()
    target = case
    parts = path.split(".")
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    target[parts[-1]] = value
    return case


@pytest.mark.parametrize(("path", "value", "expected"), [
    ("primary_diagnosis_date", "2024-02-30", "primary_diagnosis_date: not a real calendar date"),
    ("primary_diagnosis_date", "01/05/2024", "primary_diagnosis_date: expected a date written as YYYY-MM-DD"),
    ("metastatic_diagnosis_date", "2024-04-01", "metastatic_diagnosis_date: metastatic_diagnosis_date is before primary"),
    ("metastatic_diagnosis_date", "2025-01-01", "metastatic_diagnosis_date: date 2025-01-01 is after evaluation_date"),
    ("patient.age", 17, "patient.age: Input should be greater than or equal to 18"),
    ("patient.kps", 85, "patient.kps: Input should be a multiple of 10"),
    ("patient.sex", "f", "patient.sex: 'f' is not allowed"),
    ("patient.pregnancy_trimester", 2, "patient.pregnancy_trimester: pregnancy_trimester is only allowed with pregnant: true"),
    ("pathology.0.er_percent", 120, "pathology[0].er_percent: Input should be less than or equal to 100"),
    ("pathology.0.er_percent", "90", "pathology[0].er_percent: Input should be a valid number"),
    ("pathology.0.her2_ihc", "4+", "pathology[0].her2_ihc: '4+' is not allowed"),
    ("case_id", "bad id!", "case_id: case_id may contain only letters"),
    ("presentation", "metastatic", "presentation: 'metastatic' is not allowed"),
    ("surprise", 1, "surprise: unknown key"),
    ("schema_version", 2, "schema_version 2 is newer than this software supports"),
])
def test_invalid_field_gives_a_located_message(path, value, expected) -> None:
    found = problems(mutate(path, value))
    assert any(expected in p for p in found), found


def test_kps_and_ecog_must_agree() -> None:
    case = base_case()
    case["patient"].update(kps=90, ecog=2)
    assert any(p.startswith("patient.kps: KPS 90 disagrees with ECOG 2") for p in problems(case))
    case["patient"].update(kps=60, ecog=2)
    parse_case(case)


def test_male_patients_have_no_menopausal_status_or_pregnancy() -> None:
    case = base_case()
    case["patient"] = {"sex": "male", "age": 60, "menopausal_status": "post", "pregnant": True}
    found = problems(case)
    assert "patient.menopausal_status: male patients have no menopausal status" in found
    assert "patient.pregnant: pregnant does not apply to a male patient" in found


def test_therapy_rules_all_reported_at_once() -> None:
    case = base_case()
    case["evaluation_date"] = "2024-07-01"
    case["therapies"] = [
        therapy("advanced", ["letrozole"], "2024-05-01", "2024-04-01", line=1),
        therapy("advanced", ["letrozol"], "2024-05-01", line=1),
        therapy("adjuvant", ["anastrozole"], "2020-01-01", line=2),
        {"setting": "advanced", "agents": ["fulvestrant"], "start": "2024-05-01"},
    ]
    found = problems(case)
    assert "therapies[0].end: date is before start" in found
    assert "therapies[1].line: advanced line 1 is already given in therapies[0]" in found
    assert any(p.startswith("therapies[1].agents[0]: unknown agent token 'letrozol'; nearest known: letrozole") for p in found)
    assert "therapies[2].line: line is only allowed for setting advanced (this therapy is adjuvant)" in found
    assert "therapies[3].line: line is required for setting advanced" in found


def test_deviation_reason_required() -> None:
    case = base_case()
    case["mdt"] = {"decision": {"systemic": ["letrozole"], "follows_guideline": False}}
    assert any(p.startswith("mdt.decision.deviation_reason") for p in problems(case))


@pytest.mark.parametrize(("content", "expected"), [
    (b"{ not json", "(file): not valid JSON at line 1"),
    (b"\xff\xfe\x00garbage", "(file): not UTF-8"),
    (b"[1, 2]", "(case): the file must hold one JSON object"),
    (b"[" * 100000 + b"]" * 100000, "(file): JSON nested too deeply"),
])
def test_unreadable_files(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "case.json"
    path.write_bytes(content)
    with pytest.raises(CaseFileError) as error:
        load_case(path)
    assert error.value.problems[0].startswith(expected)


def test_cli_exits_2_with_located_messages_and_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    case = base_case()
    case["patient"]["age"] = 150
    case["therapies"] = [therapy("advanced", ["unknownib"], "2024-05-01", line=1)]
    path.write_text(json.dumps(case), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "guideline_db.cli", "evaluate", str(path)], capture_output=True, text=True)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert "patient.age: Input should be less than or equal to 110" in lines
    assert any(line.startswith("therapies[0].agents[0]: unknown agent token 'unknownib'") for line in lines)
    assert "Traceback" not in result.stderr


def test_every_example_field_of_the_spec_is_accepted() -> None:
    case = base_case()
    case.update(inflammatory=False, mdt={"meeting_date": "2024-07-01", "attendees": [{"name": "Dr Li", "role": "medical_oncology"}],
                                         "decision": {"systemic": ["letrozole", "ribociclib"], "local": ["srs"],
                                                      "follows_guideline": True, "deviation_reason": None,
                                                      "notes": "free text", "next_assessment_date": "2024-09-01"}})
    case["patient"].update(chemo_induced_amenorrhea=False, pregnancy_trimester=None, refuses_ovarian_suppression=False,
                           refuses_chemotherapy=False)
    case["biomarkers"] = {"gbrca": "negative", "pik3ca": "positive", "esr1": "not_tested", "akt1": "not_tested",
                          "pten": "not_tested", "msi_high": "not_tested", "pdl1_cps": None, "pdl1_assay": None}
    case["metastases"] = [
        {"organ": "bone", "lesion_count": 2, "symptomatic": True, "bone": {
            "locations": ["thoracic_spine", "rib"], "lesion_type": "lytic", "pain": True, "pathological_fracture": False,
            "impending_fracture": False, "spinal_cord_compression": False, "hypercalcemia": False,
            "extensive_marrow_involvement": False}},
        {"organ": "pleura", "lung": None, "pleura": {"effusion": True, "dyspnea_at_rest": False, "relieved_by_drainage": True}},
        {"organ": "brain", "lesion_count": 3, "max_diameter_cm": 2.0, "symptomatic": True, "brain": {
            "total_volume_ml": 4.0, "mass_effect": False, "hippocampus_involved": False, "leptomeningeal": False,
            "diffuse": False, "resectable": True, "prior_brain_radiotherapy": False}},
    ]
    case["context"] = {"expected_survival_months": 12, "extracranial_disease_controlled": True,
                       "effective_systemic_options": True, "rapid_progression": False, "strong_er_expression": True,
                       "dental_exam_done": False, "invasive_dental_procedure_planned": False,
                       "prior_breast_or_chest_wall_radiotherapy": False, "prior_axillary_surgery": "sentinel_node_biopsy",
                       "long_term_remission_months": None}
    parse_case(case)


def test_exported_schema_is_committed_and_current() -> None:
    from guideline_db.schema import case_json_schema

    committed = Path(__file__).resolve().parents[1] / "guideline_db" / "schema" / "case-format-v1.schema.json"
    assert json.loads(committed.read_text(encoding="utf-8")) == case_json_schema()
