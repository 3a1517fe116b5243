"""Import of bundles written by hand in other systems' styles (tests/fhir_samples/README.md): what can be
mapped is, and everything else is named by its location — nothing is dropped silently."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from guideline_db.interop.fhir_export import case_to_bundle
from guideline_db.interop.fhir_import import bundle_to_case, import_bundle_file
from tests.test_fhir_roundtrip import FIXED_TIME, full_case

SAMPLES = Path(__file__).resolve().parent / "fhir_samples"


def _load(name: str) -> dict:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


def _messages(result) -> list[str]:
    return [str(m) for m in result.messages]


def _has(result, where: str, text: str) -> bool:
    return any(m.where.startswith(where) and text in m.text for m in result.messages)


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_every_entry_is_mapped_or_named(name):
    """An entry of a type the importer does not map, or that it could not map, appears in a message."""
    bundle = _load(name)
    result = bundle_to_case(bundle, overrides={"presentation": "recurrent_metastatic"})
    assert result.case is not None, _messages(result)
    mapped_types = {"Patient", "Condition", "Observation", "MedicationRequest", "MedicationStatement", "Specimen"}
    for i, entry in enumerate(bundle["entry"]):
        if entry["resource"]["resourceType"] not in mapped_types:
            assert any(m.where.startswith(f"entry[{i}]") for m in result.messages), (i, _messages(result))


def test_mcode_extended_example_style():
    result = import_bundle_file(SAMPLES / "mcode_extended_example_style.json")
    case = result.case
    assert case is not None and case.patient.name == "Jenny Mosley" and case.patient.hospital_id == "m123"
    assert case.patient.ecog == 1 and case.primary_diagnosis_date.isoformat() == "2018-03-16"
    assert [m.organ for m in case.metastases] == ["bone"]
    assert [t.agents for t in case.therapies] == [["cyclophosphamide", "doxorubicin"], ["anastrozole"]]
    assert case.therapies[1].stop_reason == "progression"
    assert case.pathology == []      # presence-only receptor results are never turned into percentages
    for where, text in [("entry[3]", "er presence"), ("entry[5]", "her2 interpretation"),
                        ("entry[1] Condition/primary-cancer-condition-jenny-m.stage", "stage not imported"),
                        ("entry[1] Condition/primary-cancer-condition-jenny-m.extension[0]", "histology"),
                        ("entry[7] MedicationRequest", "dose"), ("entry[10] Procedure", "not mapped"),
                        ("entry[0] Patient/jenny-m.birthDate", "birth date"), ("presentation", "inferred")]:
        assert _has(result, where, text), (where, _messages(result))


def test_ehr_medication_statement_style():
    result = import_bundle_file(SAMPLES / "ehr_medication_statement_style.json")
    case = result.case
    assert case is not None and case.patient.name == "张秀英" and case.case_id == "ZY2024-000731"
    assert [m.organ for m in case.metastases] == ["liver"]            # the refuted bone metastasis is not
    assert case.metastatic_diagnosis_date.isoformat() == "2024-06-01"
    assert [(p.er_percent, p.pr_percent, p.ki67_percent) for p in case.pathology] == [(80, 10, None)]
    assert [(t.setting, t.line, t.agents) for t in case.therapies] == [
        ("adjuvant", None, ["anastrozole"]), ("advanced", 1, ["fulvestrant"])]
    for where, text in [("entry[3] Condition/dx-3", "refuted"), ("entry[6] Observation/lab-ki67.code", "Ki-67"),
                        ("entry[7]", "cancelled"), ("entry[10] MedicationStatement/med-3.medication", "中药汤剂"),
                        ("entry[11] Encounter", "not mapped"), ("entry[12] DiagnosticReport", "not mapped"),
                        ("entry[0] Patient/pat-0731.address", "not mapped"), ("therapies", "line 1 inferred")]:
        assert _has(result, where, text), (where, _messages(result))


def test_genomics_lab_style_needs_the_presentation_and_reads_the_rest():
    without = import_bundle_file(SAMPLES / "genomics_lab_style.json")
    assert without.case is None and _has(without, "presentation", "pass --presentation")
    result = import_bundle_file(SAMPLES / "genomics_lab_style.json", overrides={"presentation": "de_novo_stage_iv"})
    case = result.case
    assert case is not None
    assert (case.biomarkers.gbrca, case.biomarkers.pik3ca, case.biomarkers.msi_high) == ("positive", "positive", "negative")
    assert case.biomarkers.pdl1_cps is None
    for where, text in [("entry[6] Observation/broken", "not valid FHIR R4"), ("entry[3] Observation/v-tp53", "gene"),
                        ("entry[5] Observation/pdl1.code", "pdl1"), ("entry[2] Observation/v-pik3ca", "symbol")]:
        assert _has(result, where, text), (where, _messages(result))


def test_a_somatic_brca_result_is_not_taken_for_a_germline_one():
    bundle = _load("genomics_lab_style.json")
    source = bundle["entry"][1]["resource"]["component"][1]["valueCodeableConcept"]["coding"][0]
    source.update(code="LA6684-0", display="Somatic")
    result = bundle_to_case(bundle, overrides={"presentation": "de_novo_stage_iv"})
    assert result.case.biomarkers.gbrca == "not_tested" and _has(result, "entry[1]", "somatic BRCA")


def test_an_element_nobody_expected_in_our_own_bundle_is_reported():
    bundle = case_to_bundle(full_case(), generated_at=FIXED_TIME)
    changed = copy.deepcopy(bundle)
    marker = next(e["resource"] for e in changed["entry"] if e["resource"]["resourceType"] == "Observation"
                  and "tumor-marker" in e["resource"]["meta"]["profile"][0])
    marker["note"] = [{"text": "re-read by a second pathologist"}]
    marker["extension"].append({"url": "http://hospital.example/fhir/reviewed", "valueBoolean": True})
    result = bundle_to_case(changed)
    assert result.case == full_case()
    assert any(m.where.endswith(".note") and m.level == "warning" for m in result.messages)
    assert any("http://hospital.example/fhir/reviewed" in m.text for m in result.messages)


def test_not_a_bundle_is_refused_with_a_message(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"resourceType": "Patient"}', encoding="utf-8")
    result = import_bundle_file(path)
    assert result.case is None and "not a FHIR Bundle" in _messages(result)[0]
    path.write_bytes(b"\xff\xfe")
    assert "not UTF-8 text" in _messages(import_bundle_file(path))[0]


def test_dropping_any_one_element_never_crashes_the_import():
    """Every entry, and every element of every entry, removed in turn: a case or located messages, no exception."""
    bundle = case_to_bundle(full_case(), generated_at=FIXED_TIME)
    tried = 0
    for i, entry in enumerate(bundle["entry"]):
        variants = [None] + [key for key in entry["resource"] if key != "resourceType"]
        for key in variants:
            changed = copy.deepcopy(bundle)
            if key is None:
                del changed["entry"][i]
            else:
                del changed["entry"][i]["resource"][key]
            result = bundle_to_case(changed)
            assert result.case is not None or any(m.level == "error" for m in result.messages), (i, key)
            tried += 1
    assert tried > 100
