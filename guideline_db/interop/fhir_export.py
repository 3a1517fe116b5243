"""A case (and its evaluation) as an HL7 FHIR R4 collection Bundle shaped by the mCODE STU4 profiles.

Why fhir.resources: every bundle is parsed back through its R4B pydantic models (the R4-compatible
release it ships) before it is written, so a structurally invalid resource is an exception here, not a
surprise in a hospital system. mCODE's own rules that the models cannot know are checked by fhir_check.

Mapping (docs/fhir.md has the full table): Patient ← patient; PrimaryCancerCondition ← diagnosis,
presentation; one SecondaryCancerCondition per metastatic site; Specimen + TumorMarkerTest Observations
per pathology entry; GenomicVariant / TumorMarkerTest for biomarkers; ECOG/Karnofsky Observations;
one CancerRelatedMedicationRequest per agent of each therapy (grouped by groupIdentifier); CareTeam +
CarePlan for the MDT decision; GuidanceResponse + RequestGroup + Provenance for the evaluation. Case
fields with no FHIR home travel in the `case-field` extension so that import gives the same case back.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from guideline_db.case_model import Case
from guideline_db.interop import fhir_guidance
from guideline_db.interop.codes import Codes, load_codes
from guideline_db.interop.fhir_common import (
    COND_CATEGORY,
    COND_CLINICAL,
    COND_VERIFICATION,
    CONDITION_RELATED,
    DATA_ABSENT,
    EXT,
    MCODE_PROCEDURE_INTENT,
    MCODE_RELATED_CONDITION,
    NS_CASE_ID,
    NS_HOSPITAL_ID,
    NS_THERAPY,
    OBS_CATEGORY,
    PROFILE,
    UCUM,
    V2_0203,
    case_field_extensions,
    project_coding,
    ref,
    stable_id,
)

GENES = {"gbrca": ("brca1", "brca2"), "pik3ca": ("pik3ca",), "esr1": ("esr1",), "akt1": ("akt1",), "pten": ("pten",)}
STOPPED = {"progression", "toxicity", "patient_choice"}


class _Builder:
    def __init__(self, case: Case, codes: Codes) -> None:
        self.case = case
        self.codes = codes
        self.data = case.model_dump(mode="json", exclude_none=True)
        self.resources: list[dict[str, Any]] = []

    def new(self, resource_type: str, role: str, profile: str | None = None, **fields: Any) -> dict[str, Any]:
        resource: dict[str, Any] = {"resourceType": resource_type, "id": stable_id(self.case.case_id, role)}
        if profile:
            resource["meta"] = {"profile": [PROFILE[profile]]}
        resource.update(fields)
        self.resources.append(resource)
        return resource

    def concept(self, kind: str, token: str, text: str | None = None, *, standard_kind: str | None = None) -> dict:
        coding = self.codes.coding(standard_kind or kind, token) + [project_coding(kind, token)]
        return {"coding": coding, "text": text or self.codes.display(standard_kind or kind, token)}


def _observation(b: _Builder, role: str, profile: str, code: dict, **fields: Any) -> dict[str, Any]:
    category = "survey" if "performance" in profile else "laboratory"
    return b.new("Observation", role, profile, status="final",
                 category=[{"coding": [{"system": OBS_CATEGORY, "code": category}]}], code=code,
                 subject=ref(b.patient), **fields)


def _patient(b: _Builder) -> None:
    p = dict(b.data["patient"])
    identifiers = [{"system": NS_CASE_ID, "value": b.case.case_id}]
    hospital_id = p.pop("hospital_id", None)
    if hospital_id:
        identifiers.insert(0, {"type": {"coding": [{"system": V2_0203, "code": "MR"}]}, "system": NS_HOSPITAL_ID,
                               "value": hospital_id})
    name = p.pop("name", None)
    names = [{"text": name}] if name else [{"extension": [{"url": DATA_ABSENT, "valueCode": "unknown"}]}]
    extensions = []
    if "menopausal_status" in p:
        extensions.append({"url": EXT["menopausal-status"], "valueCode": p.pop("menopausal_status")})
    ecog, kps = p.pop("ecog", None), p.pop("kps", None)
    b.patient = b.new("Patient", "patient", "mcode-cancer-patient", identifier=identifiers, name=names,
                      gender=p.pop("sex"))
    extensions += case_field_extensions(p)
    if extensions:
        b.patient["extension"] = extensions
    when = {"effectiveDateTime": str(b.case.evaluation_date)} if b.case.evaluation_date else {}
    loinc = b.codes.coding
    if ecog is not None:
        _observation(b, "ecog", "mcode-ecog-performance-status",
                     {"coding": loinc("performance", "ecog")}, valueInteger=ecog, **when)
    if kps is not None:
        _observation(b, "kps", "mcode-karnofsky-performance-status",
                     {"coding": loinc("performance", "kps")}, valueInteger=kps, **when)


def _primary(b: _Builder, evaluation_dict: dict | None) -> None:
    d = b.data
    root = {k: v for k, v in d.items() if k not in (
        "case_id", "patient", "pathology", "biomarkers", "therapies", "metastases", "mdt", "presentation",
        "primary_diagnosis_date", "metastatic_diagnosis_date")}
    extensions = [{"url": EXT["presentation"], "valueCodeableConcept": b.concept("presentation", d["presentation"])}]
    if "metastatic_diagnosis_date" in d:
        extensions.append({"url": EXT["metastatic-diagnosis-date"], "valueDate": d["metastatic_diagnosis_date"]})
    if evaluation_dict:
        status = evaluation_dict["derived"]["endocrine_status"]
        extensions.append({"url": EXT["endocrine-resistance"],
                           "valueCodeableConcept": {"coding": [project_coding("endocrine_status", status)]}})
    extensions += case_field_extensions(root)
    sex = b.case.patient.sex
    code = b.codes.coding("condition", "breast_cancer") + b.codes.coding("condition", f"breast_cancer_{sex}")
    b.primary = b.new(
        "Condition", "primary", "mcode-primary-cancer-condition", extension=extensions,
        clinicalStatus={"coding": [{"system": COND_CLINICAL, "code": "active"}]},
        verificationStatus={"coding": [{"system": COND_VERIFICATION, "code": "confirmed"}]},
        category=[{"coding": [{"system": COND_CATEGORY, "code": "problem-list-item"}]}],
        code={"coding": code, "text": "Breast cancer"},
        bodySite=[{"coding": b.codes.coding("organ", "breast"), "text": "Breast"}],
        subject=ref(b.patient),
    )
    if "primary_diagnosis_date" in d:
        b.primary["onsetDateTime"] = d["primary_diagnosis_date"]


def _metastases(b: _Builder) -> None:
    for i, site in enumerate(b.data.get("metastases", [])):
        rest = dict(site)
        organ = rest.pop("organ")
        code = b.codes.coding("organ_icd", organ) + b.codes.coding("organ_secondary", organ)
        if not b.codes.coding("organ_secondary", organ):
            code += b.codes.coding("condition", "metastatic")
        b.new("Condition", f"metastasis/{i}", "mcode-secondary-cancer-condition",
              extension=[{"url": CONDITION_RELATED, "valueReference": ref(b.primary)}, *case_field_extensions(rest)],
              clinicalStatus={"coding": [{"system": COND_CLINICAL, "code": "active"}]},
              verificationStatus={"coding": [{"system": COND_VERIFICATION, "code": "confirmed"}]},
              category=[{"coding": [{"system": COND_CATEGORY, "code": "problem-list-item"}]}],
              code={"coding": code, "text": f"Metastasis: {organ.replace('_', ' ')}"},
              bodySite=[b.concept("organ", organ)], subject=ref(b.patient))


def _marker(b: _Builder, role: str, token: str, value: dict, specimen: dict | None, when: str | None,
            profile: str = "mcode-tumor-marker-test", code: dict | None = None, **extra: Any) -> None:
    fields: dict[str, Any] = {"extension": [{"url": MCODE_RELATED_CONDITION, "valueReference": ref(b.primary)}], **value}
    if specimen is not None:
        fields["specimen"] = ref(specimen)
    if when:
        fields["effectiveDateTime"] = when
    _observation(b, role, profile, code or b.concept("marker", token), **fields, **extra)


def _percent(value: float) -> dict:
    return {"valueQuantity": {"value": value, "unit": "%", "system": UCUM, "code": "%"}}


def _answer(b: _Builder, result: str, kind: str = "answer") -> dict:
    standard = {"positive": "positive", "negative": "negative", "amplified": "positive", "not_amplified": "negative"}
    if kind == "gene":
        standard = {"positive": "present", "negative": "absent"}
    coding = b.codes.coding("answer", standard[result]) + [project_coding("result", result)]
    return {"valueCodeableConcept": {"coding": coding, "text": result.replace("_", " ")}}


def _pathology(b: _Builder) -> None:
    for i, item in enumerate(b.data.get("pathology", [])):
        rest = dict(item)
        when = rest.pop("date", None)
        collection: dict[str, Any] = {}
        if when:
            collection["collectedDateTime"] = when
        if "site" in rest:
            collection["bodySite"] = {"text": rest.pop("site")}
        specimen = b.new("Specimen", f"specimen/{i}", "mcode-human-specimen",
                         extension=[{"url": EXT["specimen-kind"], "valueCode": rest.pop("specimen")}],
                         type={"coding": b.codes.coding("specimen", "tumor")}, subject=ref(b.patient))
        if collection:
            specimen["collection"] = collection
        for field in ("er_percent", "pr_percent", "ki67_percent"):
            if field in rest:
                _marker(b, f"specimen/{i}/{field}", field, _percent(rest.pop(field)), specimen, when)
        if "her2_ihc" in rest:
            score = rest.pop("her2_ihc")
            _marker(b, f"specimen/{i}/her2_ihc", "her2_ihc",
                    {"valueCodeableConcept": {"coding": [project_coding("her2_ihc", score)], "text": f"IHC {score}"}},
                    specimen, when)
        if "her2_ish" in rest:
            _marker(b, f"specimen/{i}/her2_ish", "her2_ish", _answer(b, rest.pop("her2_ish")), specimen, when)
        specimen["extension"] += case_field_extensions(rest)


def _biomarkers(b: _Builder) -> None:
    markers = dict(b.data.get("biomarkers", {}))
    for token, genes in GENES.items():
        result = markers.pop(token, "not_tested")
        if result == "not_tested":
            continue
        components = [{"code": {"coding": b.codes.coding("marker", "gene_studied")},
                       "valueCodeableConcept": b.concept("gene", gene, gene.upper())} for gene in genes]
        # GenomicVariant: LOINC 69548-6 "Genetic variant assessment"; the token says which test (gBRCA ...).
        code = {"coding": [*b.codes.coding("marker", "genetic_variant_assessment"), project_coding("marker", token)],
                "text": token}
        _marker(b, f"biomarker/{token}", token, _answer(b, result, "gene"), None, None,
                profile="mcode-genomic-variant", code=code, component=components)
    msi = markers.pop("msi_high", "not_tested")
    if msi != "not_tested":
        _marker(b, "biomarker/msi_high", "msi_high", _answer(b, msi), None, None)
    if "pdl1_cps" in markers:
        extra = {"method": {"text": markers.pop("pdl1_assay")}} if "pdl1_assay" in markers else {}
        _marker(b, "biomarker/pdl1_cps", "pdl1_cps",
                {"valueQuantity": {"value": markers.pop("pdl1_cps"), "unit": "{score}", "system": UCUM,
                                   "code": "{score}"}}, None, None, **extra)
    if markers:   # e.g. pdl1_assay without a score; keeps whatever the case format adds later
        b.primary["extension"] += case_field_extensions({f"biomarkers.{k}": v for k, v in markers.items()})


def _therapies(b: _Builder) -> None:
    for i, therapy in enumerate(b.data.get("therapies", [])):
        rest = dict(therapy)
        agents = rest.pop("agents")
        setting, start = rest.pop("setting"), rest.pop("start")
        end, line = rest.pop("end", None), rest.pop("line", None)
        stop, progression = rest.pop("stop_reason", None), rest.pop("progression_date", None)
        status = "stopped" if stop in STOPPED else ("completed" if stop == "completed" or (end and stop != "ongoing")
                                                   else "active")
        extensions = [{"url": EXT["treatment-setting"], "valueCode": setting}]
        intent = "palliative" if setting == "advanced" else "curative"
        intent_code = {"palliative": "363676003", "curative": "373808002"}[intent]
        extensions.append({"url": MCODE_PROCEDURE_INTENT, "valueCodeableConcept": {"coding": [
            {"system": "http://snomed.info/sct", "code": intent_code}]}})
        if line is not None:
            extensions.append({"url": EXT["line-of-therapy"], "valueInteger": line})
        if progression:
            extensions.append({"url": EXT["progression-date"], "valueDate": progression})
        bounds = {"start": start, **({"end": end} if end else {})}
        for j, agent in enumerate(agents):
            resource = b.new(
                "MedicationRequest", f"therapy/{i}/{j}", "mcode-cancer-related-medication-request",
                extension=extensions + (case_field_extensions(rest) if j == 0 else []),
                status=status, intent="order", reportedBoolean=True,
                medicationCodeableConcept=b.concept("agent", agent, b.codes.display("agent", agent)),
                subject=ref(b.patient), authoredOn=start, reasonReference=[ref(b.primary)],
                groupIdentifier={"system": NS_THERAPY, "value": f"{b.case.case_id}/therapies/{i}"},
                dosageInstruction=[{"timing": {"repeat": {"boundsPeriod": bounds}}}])
            if stop == "completed":   # a normal completion is status "completed", not a termination reason
                resource["statusReason"] = {"coding": [project_coding("stop_reason", stop)], "text": "completed"}
            elif stop:
                resource["statusReason"] = b.concept("stop_reason", stop, stop.replace("_", " "))


def _mdt(b: _Builder) -> None:
    mdt = b.data.get("mdt")
    if mdt is None:
        return
    rest = dict(mdt)
    care_team = None
    attendees = rest.pop("attendees", [])
    if attendees:
        care_team = b.new("CareTeam", "mdt/team", None, status="active", subject=ref(b.patient), participant=[
            {"role": [{"coding": [project_coding("attendee_role", a["role"])]}], "member": {"display": a["name"]}}
            for a in attendees])
    plan = b.new("CarePlan", "mdt/plan", None, status="active", intent="plan", subject=ref(b.patient),
                 title="MDT decision", addresses=[ref(b.primary)])
    if care_team:
        plan["careTeam"] = [ref(care_team)]
    if "meeting_date" in rest:
        plan["created"] = rest.pop("meeting_date")
    extensions: list[dict[str, Any]] = []
    decision = rest.pop("decision", None)
    if decision is not None:
        decision = dict(decision)
        extensions.append({"url": EXT["mdt-decision"], "valueBoolean": True})
        activities = [{"detail": {"kind": "MedicationRequest", "status": "not-started",
                                  "code": b.concept("agent", agent, b.codes.display("agent", agent))}}
                      for agent in decision.pop("systemic", [])]
        activities += [{"detail": {"kind": "ServiceRequest", "status": "not-started",
                                   "code": {"coding": [project_coding("local_action", action)]}}}
                       for action in decision.pop("local", [])]
        if activities:
            plan["activity"] = activities
        if "follows_guideline" in decision:
            extensions.append({"url": EXT["follows-guideline"], "valueBoolean": decision.pop("follows_guideline")})
        if "deviation_reason" in decision:
            extensions.append({"url": EXT["deviation-reason"], "valueString": decision.pop("deviation_reason")})
        if "next_assessment_date" in decision:
            extensions.append({"url": EXT["next-assessment-date"], "valueDate": decision.pop("next_assessment_date")})
        if "notes" in decision:
            plan["note"] = [{"text": decision.pop("notes")}]
        rest.update({f"decision.{k}": v for k, v in decision.items()})
    extensions += case_field_extensions(rest)
    if extensions:
        plan["extension"] = extensions


def case_to_bundle(case: Case, evaluation: Any | None = None, *, pseudonym_secret: str | None = None,
                   generated_at: str | None = None, codes: Codes | None = None) -> dict[str, Any]:
    """The case (and, when given, its Evaluation) as a FHIR R4 collection Bundle (a JSON-ready dict).

    With `pseudonym_secret` the case is pseudonymised first by the case store's own rules
    (guideline_db.store.pseudonym: keyed pseudonyms for name, hospital ID and case ID, ...), and the
    evaluation is recomputed on the pseudonymised copy. Raises pydantic.ValidationError when fhir.resources
    rejects the result (a bug here, never the user's input).
    """
    if pseudonym_secret:
        from guideline_db.store.pseudonym import pseudonymise_case

        result = pseudonymise_case(case, pseudonym_secret)
        case = getattr(result, "case", result)
        if evaluation is not None:   # the original's evaluation carries its case hash: recompute on the copy
            from guideline_db.engine import evaluate

            evaluation = evaluate(case)
    b = _Builder(case, codes or load_codes())
    evaluation_dict = evaluation.to_dict("en") if evaluation is not None else None
    _patient(b)
    _primary(b, evaluation_dict)
    _metastases(b)
    _pathology(b)
    _biomarkers(b)
    _therapies(b)
    _mdt(b)
    timestamp = generated_at or dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if evaluation_dict is not None:
        from guideline_db.case_io import case_version_hash

        fhir_guidance.add_guidance(b, evaluation_dict, timestamp, case_version_hash(case))
    bundle = {"resourceType": "Bundle", "id": stable_id(case.case_id, "bundle"),
              "meta": {"profile": [PROFILE["mcode-patient-bundle"]]}, "type": "collection",
              "identifier": {"system": NS_CASE_ID, "value": case.case_id}, "timestamp": timestamp,
              "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in b.resources]}
    return json.loads(Bundle.model_validate(bundle).model_dump_json(exclude_none=True))


def bundle_json(bundle: dict[str, Any]) -> str:
    return json.dumps(bundle, ensure_ascii=False, indent=2) + "\n"


def write_bundle(bundle: dict[str, Any], path: Path) -> None:
    """Write a bundle atomically, readable by the owner only (it carries patient data). For the GUI."""
    from guideline_db.interop.fhir_cli import write_private

    write_private(path, bundle_json(bundle))


def export_case_file(case_path: Path, *, with_evaluation: bool = True, pseudonym_secret: str | None = None,
                     generated_at: str | None = None) -> dict[str, Any]:
    """Read a case file (located errors as guideline_db.case_io.CaseFileError) and return its bundle."""
    from guideline_db.case_io import load_case

    case = load_case(case_path)
    evaluation = None
    if with_evaluation:
        from guideline_db.engine import evaluate

        evaluation = evaluate(case)
    return case_to_bundle(case, evaluation, pseudonym_secret=pseudonym_secret, generated_at=generated_at)
