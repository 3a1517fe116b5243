"""Names shared by the FHIR exporter, importer and checker: profile and extension URLs, code systems.

Why one module: export and import must agree on every URL, and docs/fhir.md documents exactly these.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from guideline_db.interop.codes import PROJECT_BASE, project_system

MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
PROFILE = {name: MCODE + name for name in (
    "mcode-patient-bundle", "mcode-cancer-patient", "mcode-primary-cancer-condition",
    "mcode-secondary-cancer-condition", "mcode-tumor-marker-test", "mcode-genomic-variant",
    "mcode-human-specimen", "mcode-ecog-performance-status", "mcode-karnofsky-performance-status",
    "mcode-cancer-related-medication-request",
)}
EXT_BASE = f"{PROJECT_BASE}/StructureDefinition/"
# The project's extensions (documented in docs/fhir.md). mCODE has no element for these.
EXT = {name: EXT_BASE + name for name in (
    "line-of-therapy",          # valueInteger: advanced-disease line (MedicationRequest)
    "treatment-setting",        # valueCode neoadjuvant | adjuvant | advanced (MedicationRequest)
    "progression-date",         # valueDate: progression on or after the therapy (MedicationRequest)
    "endocrine-resistance",     # valueCodeableConcept: derived endocrine status (PrimaryCancerCondition)
    "presentation",             # valueCodeableConcept: the case format's presentation (PrimaryCancerCondition)
    "metastatic-diagnosis-date",  # valueDate (PrimaryCancerCondition)
    "menopausal-status",        # valueCode pre | peri | post | unknown (Patient)
    "specimen-kind",            # valueCode primary | metastasis | recurrence (Specimen)
    "follows-guideline",        # valueBoolean (CarePlan)
    "deviation-reason",         # valueString (CarePlan)
    "next-assessment-date",     # valueDate (CarePlan)
    "mdt-decision",             # valueBoolean true: the board recorded a decision (CarePlan)
    "recommendation",           # complex: components, requires, requirement status, approval note (RequestGroup.action)
    "case-field",               # complex: path + JSON value of a case field with no FHIR home
)}
CONDITION_RELATED = "http://hl7.org/fhir/StructureDefinition/condition-related"
MCODE_RELATED_CONDITION = MCODE + "mcode-related-condition"
MCODE_PROCEDURE_INTENT = MCODE + "mcode-procedure-intent"
DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
COND_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
COND_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
COND_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
UCUM = "http://unitsofmeasure.org"
NS_CASE_ID = f"{PROJECT_BASE}/NamingSystem/case-id"
NS_HOSPITAL_ID = f"{PROJECT_BASE}/NamingSystem/hospital-id"
NS_THERAPY = f"{PROJECT_BASE}/NamingSystem/therapy"
NS_DB_SHA256 = f"{PROJECT_BASE}/NamingSystem/guideline-db-sha256"
NS_CASE_SHA256 = f"{PROJECT_BASE}/NamingSystem/case-sha256"
_UUID_NAMESPACE = uuid.UUID("6f1c2b9e-4d1a-5e8b-9a57-3c0f1d2e4b6a")


def stable_id(*parts: object) -> str:
    """A UUID derived from the case and the resource's role: re-exporting a case gives the same ids."""
    return str(uuid.uuid5(_UUID_NAMESPACE, "/".join(map(str, parts))))


def ref(resource: dict[str, Any]) -> dict[str, str]:
    return {"reference": f"urn:uuid:{resource['id']}"}


def project_coding(kind: str, token: str, display: str | None = None) -> dict[str, str]:
    coding = {"system": project_system(kind), "code": str(token)}
    if display:
        coding["display"] = display
    return coding


def case_field_extensions(fields: dict[str, Any]) -> list[dict[str, Any]]:
    """Case fields with no FHIR home, each as path + its JSON value, so that nothing is lost on the way."""
    return [{"url": EXT["case-field"], "extension": [
        {"url": "path", "valueString": key},
        {"url": "json", "valueString": json.dumps(value, ensure_ascii=False, sort_keys=True)},
    ]} for key, value in sorted(fields.items())]


def read_case_fields(resource: dict[str, Any]) -> dict[str, Any]:
    """The reverse of case_field_extensions (malformed ones raise ValueError)."""
    fields: dict[str, Any] = {}
    for ext in resource.get("extension") or []:
        if ext.get("url") != EXT["case-field"]:
            continue
        parts = {sub.get("url"): sub.get("valueString") for sub in ext.get("extension") or []}
        if not isinstance(parts.get("path"), str) or not isinstance(parts.get("json"), str):
            raise ValueError("case-field extension without path and json")
        fields[parts["path"]] = json.loads(parts["json"])
    return fields


def extension_value(resource: dict[str, Any], name: str) -> Any:
    """The value[x] of the project's extension `name` on `resource`, or None."""
    for ext in resource.get("extension") or []:
        if ext.get("url") == EXT[name]:
            for key, value in ext.items():
                if key.startswith("value"):
                    return value
    return None


def codings(concept: dict[str, Any] | None) -> list[dict[str, Any]]:
    return list((concept or {}).get("coding") or [])
