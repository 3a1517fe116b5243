"""The structural rules of the mCODE STU4 profiles the exporter claims, as data (checked by fhir_check).

Each rule names its basis. "mCODE" rules were read from the profile's FSH source (HL7/fhir-mCODE-ig at
543477b, input/fsh/SD_*.fsh); "US Core" rules are the parent profiles' mandatory elements (US Core 6.1),
whose files are not available offline — they are the well-known must-haves only, and are marked so.
Base FHIR R4 cardinalities and datatypes are enforced separately by fhir.resources.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from guideline_db.interop.fhir_common import PROFILE

LOINC = "http://loinc.org"
SCT = "http://snomed.info/sct"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
US_CORE = "US Core 6.1 parent profile (mandatory element; the US Core files are not available offline)"


@dataclass(frozen=True)
class Rules:
    resource_type: str
    basis: str                                            # where the rules come from
    required: tuple[str, ...] = ()                        # paths that must have a value (min 1)
    required_us_core: tuple[str, ...] = ()
    single: tuple[str, ...] = ()                          # paths with at most one value (max 1)
    fixed_coding: dict[str, tuple[str, str]] = field(default_factory=dict)   # path → (system, code) it must carry
    category: tuple[str, str] | None = None               # a category coding the resource must carry
    bindings: dict[str, str] = field(default_factory=dict)   # path → value set name (fhir_valuesets)
    value_types: tuple[str, ...] = ()                     # allowed value[x] types; empty: any
    references: dict[str, tuple[str, ...]] = field(default_factory=dict)  # path → allowed target types
    not_used: tuple[str, ...] = ()                        # elements the profile forbids (NotUsed / 0..0)


RULES: dict[str, Rules] = {
    PROFILE["mcode-cancer-patient"]: Rules(
        "Patient", "mCODE SD_Patient.fsh CancerPatient (parent USCorePatient)",
        required_us_core=("identifier", "name", "gender")),
    PROFILE["mcode-primary-cancer-condition"]: Rules(
        "Condition", "mCODE SD_Condition.fsh PrimaryCancerCondition (parent USCoreCondition)",
        required=("code", "subject"), required_us_core=("category",),
        bindings={"code": "PrimaryCancerDisorderVS (C50 part)"},
        references={"subject": ("Patient",), "stage.assessment": ("Observation",)}),
    PROFILE["mcode-secondary-cancer-condition"]: Rules(
        "Condition", "mCODE SD_Condition.fsh SecondaryCancerCondition (parent USCoreCondition)",
        required=("code", "subject"), required_us_core=("category",), not_used=("stage",),
        bindings={"code": "SecondaryCancerDisorderVS"},
        references={"subject": ("Patient",), "extension(condition-related).valueReference": ("Condition",)}),
    PROFILE["mcode-tumor-marker-test"]: Rules(
        "Observation", "mCODE SD_Genomics.fsh TumorMarkerTest (parent USCoreObservationLab)",
        required=("subject", "value[x]", "code", "status"), required_us_core=("category",),
        single=("subject", "value[x]"), category=(OBS_CATEGORY, "laboratory"),
        bindings={"code": "TumorMarkerTestVS"},
        value_types=("valueQuantity", "valueRatio", "valueString", "valueCodeableConcept"),
        references={"subject": ("Patient",), "specimen": ("Specimen",)}),
    PROFILE["mcode-genomic-variant"]: Rules(
        "Observation", "mCODE SD_Genomics.fsh GenomicVariant (parent genomics-reporting Variant)",
        required=("subject", "code", "status"), category=(OBS_CATEGORY, "laboratory"),
        fixed_coding={"code": (LOINC, "69548-6")}, not_used=("referenceRange", "hasMember"),
        value_types=("valueCodeableConcept",), references={"subject": ("Patient",), "specimen": ("Specimen",)}),
    PROFILE["mcode-human-specimen"]: Rules(
        "Specimen", "mCODE SD_Genomics.fsh HumanSpecimen (parent USCoreSpecimen)",
        required_us_core=("type", "subject"), bindings={"type": "HumanSpecimenTypeVS"},
        references={"subject": ("Patient",)}),
    PROFILE["mcode-ecog-performance-status"]: Rules(
        "Observation", "mCODE SD_PerformanceStatus.fsh ECOGPerformanceStatus (parent USCoreClinicalResult)",
        required=("subject", "code", "status"), single=("subject",), fixed_coding={"code": (LOINC, "89247-1")},
        value_types=("valueInteger",), not_used=("bodySite", "specimen", "device", "hasMember", "component"),
        references={"subject": ("Patient",)}),
    PROFILE["mcode-karnofsky-performance-status"]: Rules(
        "Observation", "mCODE SD_PerformanceStatus.fsh KarnofskyPerformanceStatus (parent USCoreClinicalResult)",
        required=("subject", "code", "status"), single=("subject",), fixed_coding={"code": (LOINC, "89243-0")},
        value_types=("valueInteger",), not_used=("bodySite", "specimen", "device", "hasMember", "component"),
        references={"subject": ("Patient",)}),
    PROFILE["mcode-cancer-related-medication-request"]: Rules(
        "MedicationRequest", "mCODE SD_Medications.fsh CancerRelatedMedicationRequest (parent USCoreMedicationRequest)",
        required=("subject",), required_us_core=("status", "intent", "medication[x]"),
        bindings={"statusReason": "TreatmentTerminationReasonVS",
                  "extension(mcode-procedure-intent).valueCodeableConcept": "ProcedureIntentVS"},
        references={"subject": ("Patient",), "reasonReference": ("Condition",)}),
    # mcode-reason-required (warning): one of reasonCode or reasonReference SHALL be present.
}
REASON_REQUIRED = PROFILE["mcode-cancer-related-medication-request"]
BUNDLE_PROFILE = PROFILE["mcode-patient-bundle"]   # type = collection; exactly one Patient (slice cancerPatient 1..1)
