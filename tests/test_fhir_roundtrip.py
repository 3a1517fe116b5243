"""FHIR export → import gives the same case back, for every vignette (project cases always, ../shared
cases when present) and for a case with every optional part (MDT decision, attendees, identifiers)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guideline_db.case_io import case_version_hash, load_case, parse_case
from guideline_db.engine import evaluate
from guideline_db.interop.fhir_check import check_bundle
from guideline_db.interop.fhir_export import case_to_bundle
from guideline_db.interop.fhir_import import bundle_to_case
from tests.builders import base_case
from tests.conftest import SHARED_CASES, project_case_paths

FIXED_TIME = "2024-07-01T10:00:00Z"


def shared_case_paths() -> list[Path]:
    if not SHARED_CASES.is_dir():
        return []
    return sorted(p for p in SHARED_CASES.glob("*.json") if not p.name.endswith(".expected.json"))


def _round_trip(case):
    bundle = case_to_bundle(case, evaluate(case), generated_at=FIXED_TIME)
    wire = json.loads(json.dumps(bundle, ensure_ascii=False))     # what another machine would read
    result = bundle_to_case(wire)
    return bundle, result


def _assert_same(case, bundle, result):
    problems = [str(m) for m in result.messages if m.level != "info"]
    assert problems == []
    assert result.case == case
    errors = [str(f) for f in check_bundle(bundle) if f.level == "error"]
    assert errors == []


@pytest.mark.parametrize("path", project_case_paths(), ids=lambda p: p.stem)
def test_project_vignettes_round_trip(path):
    case = load_case(path)
    _assert_same(case, *_round_trip(case))


@pytest.mark.parametrize("path", shared_case_paths() or [None], ids=lambda p: p.stem if p else "absent")
def test_shared_vignettes_round_trip(path):
    if path is None:
        pytest.skip("../shared/cases is not present beside this checkout")
    case = load_case(path)
    _assert_same(case, *_round_trip(case))


def full_case():
    data = base_case("full-001")
    data["patient"].update(name="张秀英", hospital_id="ZY2024-000731", menopausal_status="post", ecog=1, kps=70)
    data["pathology"].append({"specimen": "metastasis", "site": "liver, biopsy", "date": "2024-05-20",
                              "er_percent": 5, "pr_percent": 0, "her2_ihc": "2+", "her2_ish": "not_amplified",
                              "decalcified": False})
    data["biomarkers"] = {"gbrca": "negative", "pik3ca": "positive", "esr1": "not_tested", "msi_high": "negative",
                          "pdl1_cps": 12, "pdl1_assay": "22C3"}
    data["metastases"][1]["bone"] = {"locations": ["thoracic_spine", "rib"], "lesion_type": "lytic", "pain": True}
    data["therapies"] = [{"setting": "advanced", "line": 1, "agents": ["letrozole", "ribociclib"],
                          "start": "2024-05-10", "end": "2024-06-20", "stop_reason": "toxicity", "best_response": "sd"}]
    data["mdt"] = {"meeting_date": "2024-07-01",
                   "attendees": [{"name": "Dr Li", "role": "medical_oncology"}, {"name": "Dr Wang", "role": "pathology"}],
                   "decision": {"systemic": ["fulvestrant", "palbociclib"], "local": ["bone_modifying_agent"],
                                "follows_guideline": False, "deviation_reason": "patient prefers an injection",
                                "notes": "review in 8 weeks", "next_assessment_date": "2024-09-01"}}
    return parse_case(data)


def test_a_case_with_every_part_round_trips():
    case = full_case()
    bundle, result = _round_trip(case)
    _assert_same(case, bundle, result)
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    for kind in ("CarePlan", "CareTeam", "GuidanceResponse", "RequestGroup", "Provenance", "Specimen"):
        assert kind in kinds


def test_every_part_of_the_bundle_is_where_the_issue_asks():
    case = full_case()
    evaluation = evaluate(case)
    bundle = case_to_bundle(case, evaluation, generated_at=FIXED_TIME)
    by_type: dict[str, list[dict]] = {}
    for entry in bundle["entry"]:
        by_type.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    secondaries = [c for c in by_type["Condition"] if "secondary" in c["meta"]["profile"][0]]
    assert len(secondaries) == len(case.metastases)
    plan = by_type["CarePlan"][0]
    assert {"valueString": "patient prefers an injection"}.items() <= next(
        e for e in plan["extension"] if e["url"].endswith("/deviation-reason")).items()
    requests = by_type["MedicationRequest"]
    assert {r["medicationCodeableConcept"]["coding"][0]["code"] for r in requests} >= {"L02BG04"}
    assert all(any(e["url"].endswith("/line-of-therapy") and e["valueInteger"] == 1 for e in r["extension"])
               for r in requests)
    assert {r["status"] for r in requests} == {"stopped"}
    actions = by_type["RequestGroup"][0]["action"]
    options = evaluation.to_dict("en")["systemic"]
    assert [a["code"][0]["coding"][0]["code"] for a in actions[: len(options)]] == [o["id"] for o in options]
    provenance = by_type["Provenance"][0]
    assert provenance["entity"][0]["what"]["identifier"]["value"] == evaluation.to_dict("en")["guideline"]["db_sha256"]
    assert provenance["entity"][1]["what"]["identifier"]["value"] == case_version_hash(case)
    notes = [n["text"] for n in by_type["GuidanceResponse"][0]["note"]]
    assert len(notes) == 1 + len(evaluation.warnings) + len(evaluation.missing_data)
    endocrine = next(e for e in by_type["Condition"][0]["extension"] if e["url"].endswith("/endocrine-resistance"))
    assert endocrine["valueCodeableConcept"]["coding"][0]["code"] == evaluation.to_dict("en")["derived"]["endocrine_status"]


def test_pseudonymised_export_carries_no_name_or_hospital_id():
    case = full_case()
    bundle = case_to_bundle(case, evaluate(case), pseudonym_secret="test-secret", generated_at=FIXED_TIME)
    text = json.dumps(bundle, ensure_ascii=False)
    assert "张秀英" not in text and "ZY2024-000731" not in text
    assert case_version_hash(case) not in text   # the evaluation was recomputed on the pseudonymised copy
    patient = bundle_to_case(bundle).case.patient
    assert patient.name.startswith("PSEUDO-") and patient.hospital_id.startswith("PSEUDO-")
    again = case_to_bundle(case, evaluate(case), pseudonym_secret="test-secret", generated_at=FIXED_TIME)
    assert again == bundle   # stable: the same patient gets the same pseudonym and the same resource ids


def test_fields_without_a_fhir_home_travel_intact_even_new_ones():
    """A field the exporter does not know (the case format may grow) goes out as case-field and comes back."""
    from guideline_db.interop.fhir_common import case_field_extensions, read_case_fields
    from guideline_db.interop.fhir_import_map import _apply_fields

    fields = {"decision.chosen_options": ["T8-L1-SEC-P1"], "context": {"rapid_progression": True}, "lesion_count": 3}
    resource = {"extension": case_field_extensions(fields)}
    assert read_case_fields(resource) == fields
    target: dict = {"decision": {"systemic": []}}
    _apply_fields(target, read_case_fields(resource))
    assert target == {"decision": {"systemic": [], "chosen_options": ["T8-L1-SEC-P1"]},
                      "context": {"rapid_progression": True}, "lesion_count": 3}


def test_withheld_options_travel_with_their_reason():
    case = next(load_case(p) for p in project_case_paths() if p.name.startswith("p02-"))
    evaluation = evaluate(case)
    expected = evaluation.to_dict("en")["withheld"]
    assert expected, "the vignette chosen for this test must have withheld options"
    bundle = case_to_bundle(case, evaluation, generated_at=FIXED_TIME)
    group = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "RequestGroup")
    withheld = [a for a in group["action"] if a["title"].startswith("Withheld: ")]
    assert [a["code"][0]["coding"][0]["code"] for a in withheld] == [o["id"] for o in expected]
    reasons = [next(x["valueCode"] for x in a["extension"][0]["extension"] if x["url"] == "withheld") for a in withheld]
    assert reasons == [o["reason_code"] for o in expected]
