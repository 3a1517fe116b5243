"""The offline mCODE structural checker: exported bundles pass; each kind of break is caught."""

from __future__ import annotations

import copy

import pytest

from guideline_db.interop.fhir_check import check_bundle
from guideline_db.interop.fhir_common import PROFILE
from guideline_db.interop.fhir_export import case_to_bundle
from tests.test_fhir_roundtrip import FIXED_TIME, full_case


@pytest.fixture(scope="module")
def bundle():
    return case_to_bundle(full_case(), generated_at=FIXED_TIME)


def _first(bundle, profile):
    return next(e["resource"] for e in bundle["entry"] if profile in (e["resource"].get("meta") or {}).get("profile", []))


def _errors(bundle):
    return [f for f in check_bundle(bundle) if f.level == "error"]


def test_the_exported_bundle_has_no_errors_or_warnings(bundle):
    assert [str(f) for f in check_bundle(bundle) if f.level != "info"] == []


def test_every_resource_of_an_mcode_kind_claims_its_profile(bundle):
    claimed = {p for e in bundle["entry"] for p in (e["resource"].get("meta") or {}).get("profile", [])}
    for name in ("mcode-cancer-patient", "mcode-primary-cancer-condition", "mcode-secondary-cancer-condition",
                 "mcode-tumor-marker-test", "mcode-genomic-variant", "mcode-human-specimen",
                 "mcode-ecog-performance-status", "mcode-karnofsky-performance-status",
                 "mcode-cancer-related-medication-request"):
        assert PROFILE[name] in claimed


@pytest.mark.parametrize("profile, change, expected", [
    ("mcode-cancer-patient", lambda r: r.pop("gender"), "gender"),
    ("mcode-tumor-marker-test", lambda r: r.pop("valueQuantity", None) or r.pop("valueCodeableConcept", None), "value[x]"),
    ("mcode-tumor-marker-test", lambda r: r.update(category=[{"coding": [{"system": "x", "code": "y"}]}]), "laboratory"),
    ("mcode-ecog-performance-status", lambda r: r["code"]["coding"].__setitem__(0, {"system": "http://loinc.org", "code": "89243-0"}), "89247-1"),
    ("mcode-ecog-performance-status", lambda r: r.update(valueString="1"), "valueString"),
    ("mcode-secondary-cancer-condition", lambda r: r.update(stage=[{"summary": {"text": "IV"}}]), "stage"),
    ("mcode-primary-cancer-condition", lambda r: r.update(subject={"reference": r["extension"][0]["url"]}), "not in the bundle"),
    ("mcode-cancer-related-medication-request", lambda r: r.pop("reasonReference"), "reasonCode or reasonReference"),
])
def test_each_broken_rule_is_reported(bundle, profile, change, expected):
    broken = copy.deepcopy(bundle)
    change(_first(broken, PROFILE[profile]))
    findings = [str(f) for f in check_bundle(broken) if f.level != "info"]
    assert any(expected in f for f in findings), findings


def test_a_code_outside_an_enumerated_value_set_is_a_warning(bundle):
    broken = copy.deepcopy(bundle)
    secondary = _first(broken, PROFILE["mcode-secondary-cancer-condition"])
    secondary["code"]["coding"][0] = {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C50.919"}
    assert any("not in SecondaryCancerDisorderVS" in str(f) for f in check_bundle(broken))


def test_a_mistyped_loinc_or_snomed_code_is_an_error(bundle):
    broken = copy.deepcopy(bundle)
    marker = _first(broken, PROFILE["mcode-tumor-marker-test"])
    loinc = next(c for c in marker["code"]["coding"] if c["system"] == "http://loinc.org")
    loinc["code"] = loinc["code"][:-1] + str((int(loinc["code"][-1]) + 1) % 10)
    primary = _first(broken, PROFILE["mcode-primary-cancer-condition"])
    primary["code"]["coding"][0]["code"] = "254837008"
    texts = [str(f) for f in _errors(broken)]
    assert any("LOINC check digit" in t for t in texts) and any("Verhoeff" in t for t in texts)


def test_a_second_patient_breaks_the_patient_bundle(bundle):
    broken = copy.deepcopy(bundle)
    patient = copy.deepcopy(broken["entry"][0])
    patient["fullUrl"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    patient["resource"]["id"] = "00000000-0000-4000-8000-000000000000"
    broken["entry"].append(patient)
    assert any("exactly one Patient" in str(f) for f in _errors(broken))


def test_fhir_resources_rejects_a_wrong_datatype(bundle):
    broken = copy.deepcopy(bundle)
    _first(broken, PROFILE["mcode-ecog-performance-status"])["valueInteger"] = "one"
    assert _errors(broken)
