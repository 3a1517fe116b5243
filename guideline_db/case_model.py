"""The case file format (version 1), as pydantic v2 models.

This module is the single implementation of `spec/case-format.md`: the wizard, the CLI, the case store
and the tests all validate through it. Models are strict (a string is not silently turned into a
number) and forbid unknown keys at every level, because a misspelt key in a clinical record must be
reported rather than ignored. Cross-field rules run in one wrap validator on `Case` so that every
problem is reported at once, each with its own field path.
"""

from __future__ import annotations

import difflib
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from guideline_db.vocabulary import load_vocabulary

SUPPORTED_SCHEMA_VERSION = 1


def _parse_iso_date(value: Any) -> date:
    """Accept only real calendar dates written as YYYY-MM-DD (no timestamps, no numbers)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise PydanticCustomError("date_invalid", "not a real calendar date: {value}", {"value": value}) from exc
    raise PydanticCustomError("date_format", "expected a date written as YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_parse_iso_date)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
# Free text (case-format.md, "Reading a file"): at most 10,000 characters; names 200, hospital IDs 64.
FreeText = Annotated[str, Field(max_length=10_000)]
BiomarkerResult = Literal["positive", "negative", "not_tested"]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Patient(_Strict):
    # Optional additions to the format for the case store and the report header; pseudonymised
    # exports replace both.
    name: Annotated[str, Field(max_length=200)] | None = None
    hospital_id: Annotated[str, Field(max_length=64)] | None = None
    sex: Literal["female", "male"]
    age: Annotated[int, Field(ge=18, le=110)] | None = None
    menopausal_status: Literal["pre", "peri", "post", "unknown"] | None = None
    chemo_induced_amenorrhea: bool | None = None
    # Optional addition to the format: the board has confirmed postmenopausal status (e.g. by
    # repeated hormone levels) despite chemotherapy-induced amenorrhoea (五（一）).
    menopause_confirmed: bool | None = None
    kps: Annotated[int, Field(ge=0, le=100, multiple_of=10)] | None = None
    ecog: Annotated[int, Field(ge=0, le=4)] | None = None
    pregnant: bool | None = None
    pregnancy_trimester: Literal[1, 2, 3] | None = None
    refuses_ovarian_suppression: bool | None = None
    refuses_chemotherapy: bool | None = None


class PathologySpecimen(_Strict):
    specimen: Literal["primary", "metastasis", "recurrence"]
    site: FreeText | None = None
    date: IsoDate | None = None
    er_percent: Percent | None = None
    pr_percent: Percent | None = None
    her2_ihc: Literal["0", "ultralow", "1+", "2+", "3+"] | None = None
    her2_ish: Literal["amplified", "not_amplified"] | None = None
    ki67_percent: Percent | None = None
    decalcified: bool | None = None


class Biomarkers(_Strict):
    gbrca: BiomarkerResult = "not_tested"
    pik3ca: BiomarkerResult = "not_tested"
    esr1: BiomarkerResult = "not_tested"
    akt1: BiomarkerResult = "not_tested"
    pten: BiomarkerResult = "not_tested"
    msi_high: BiomarkerResult = "not_tested"
    pdl1_cps: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    pdl1_assay: FreeText | None = None


class Therapy(_Strict):
    setting: Literal["neoadjuvant", "adjuvant", "advanced"]
    line: Annotated[int, Field(ge=1, le=30)] | None = None
    agents: Annotated[list[str], Field(min_length=1)]
    start: IsoDate
    end: IsoDate | None = None
    stop_reason: Literal["progression", "toxicity", "completed", "patient_choice", "ongoing"] | None = None
    progression_date: IsoDate | None = None
    best_response: Literal["cr", "pr", "sd", "pd"] | None = None


BoneLocation = Literal[
    "cervical_spine", "thoracic_spine", "lumbar_spine", "sacrum", "pelvis", "sternum", "rib", "long_bone",
    "skull", "other",
]


class BoneDetails(_Strict):
    locations: list[BoneLocation] = []
    lesion_type: Literal["lytic", "blastic", "mixed"] | None = None
    pain: bool | None = None
    pathological_fracture: bool | None = None
    impending_fracture: bool | None = None
    spinal_cord_compression: bool | None = None
    hypercalcemia: bool | None = None
    extensive_marrow_involvement: bool | None = None


class LiverDetails(_Strict):
    diffuse: bool | None = None
    bilirubin_x_uln: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] | None = None
    biliary_obstruction: bool | None = None


class LungDetails(_Strict):
    lymphangitic_spread: bool | None = None
    oxygen_at_rest: bool | None = None


class PleuraDetails(_Strict):
    effusion: bool | None = None
    dyspnea_at_rest: bool | None = None
    relieved_by_drainage: bool | None = None


class BrainDetails(_Strict):
    total_volume_ml: Annotated[float, Field(ge=0, le=2000, allow_inf_nan=False)] | None = None
    mass_effect: bool | None = None
    hippocampus_involved: bool | None = None
    leptomeningeal: bool | None = None
    diffuse: bool | None = None
    resectable: bool | None = None
    prior_brain_radiotherapy: bool | None = None


Organ = Literal[
    "bone", "liver", "lung", "pleura", "brain", "distant_lymph_node", "chest_wall", "breast",
    "regional_lymph_node", "skin_soft_tissue", "adrenal", "peritoneum", "ovary", "other",
]
ORGAN_DETAIL_FIELDS = ("bone", "liver", "lung", "pleura", "brain")


class MetastaticSite(_Strict):
    organ: Organ
    lesion_count: Annotated[int, Field(ge=0, le=10000)] | None = None
    max_diameter_cm: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)] | None = None
    symptomatic: bool | None = None
    bone: BoneDetails | None = None
    liver: LiverDetails | None = None
    lung: LungDetails | None = None
    pleura: PleuraDetails | None = None
    brain: BrainDetails | None = None


class Context(_Strict):
    expected_survival_months: Annotated[float, Field(ge=0, le=600, allow_inf_nan=False)] | None = None
    extracranial_disease_controlled: bool | None = None
    effective_systemic_options: bool | None = None
    rapid_progression: bool | None = None
    strong_er_expression: bool | None = None
    dental_exam_done: bool | None = None
    invasive_dental_procedure_planned: bool | None = None
    prior_breast_or_chest_wall_radiotherapy: bool | None = None
    prior_axillary_surgery: Literal["none", "sentinel_node_biopsy", "axillary_dissection"] | None = None
    long_term_remission_months: Annotated[float, Field(ge=0, le=600, allow_inf_nan=False)] | None = None


AttendeeRole = Literal[
    "medical_oncology", "surgery", "radiation_oncology", "radiology", "pathology", "nuclear_medicine",
    "nursing", "psychology", "other",
]


class Attendee(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    role: AttendeeRole


OptionId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
DeviationReasonCode = Literal[
    "patient_preference", "performance_status_or_comorbidity", "drug_unavailable_or_not_reimbursed", "prior_toxicity",
    "clinical_trial", "guideline_silent", "other",
]


class Decision(_Strict):
    systemic: list[str] = []
    chosen_options: list[OptionId] = []     # ids of the evaluation's options the board chose
    local: list[str] = []
    follows_guideline: bool | None = None
    deviation_reason: FreeText | None = None
    deviation_reason_code: DeviationReasonCode | None = None
    notes: FreeText | None = None
    next_assessment_date: IsoDate | None = None


class Mdt(_Strict):
    meeting_date: IsoDate | None = None
    attendees: list[Attendee] = []
    decision: Decision | None = None


Presentation = Literal[
    "de_novo_stage_iv", "recurrent_metastatic", "locally_advanced_inoperable", "local_regional_recurrence",
]


class Case(_Strict):
    schema_version: int = SUPPORTED_SCHEMA_VERSION
    case_id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
    evaluation_date: IsoDate | None = None
    patient: Patient
    presentation: Presentation
    inflammatory: bool | None = None
    primary_diagnosis_date: IsoDate | None = None
    metastatic_diagnosis_date: IsoDate | None = None
    pathology: list[PathologySpecimen] = []
    biomarkers: Biomarkers = Biomarkers()
    therapies: list[Therapy] = []
    metastases: list[MetastaticSite] = []
    context: Context = Context()
    mdt: Mdt | None = None

    @property
    def today(self) -> date:
        """The reference date of every derived interval: the board's review date, else the system date."""
        return self.evaluation_date or date.today()

    @model_validator(mode="before")
    @classmethod
    def _refuse_newer_schema(cls, data: Any) -> Any:
        version = data.get("schema_version") if isinstance(data, dict) else None
        if isinstance(version, int) and not isinstance(version, bool) and version > SUPPORTED_SCHEMA_VERSION:
            raise PydanticCustomError(
                "schema_version_unsupported",
                "schema_version {found} is newer than this software supports ({supported}); "
                "update abc-mdt to read this file",
                {"found": version, "supported": SUPPORTED_SCHEMA_VERSION},
            )
        return data

    @model_validator(mode="wrap")
    @classmethod
    def _cross_field_rules(cls, data: Any, handler: Any) -> Case:
        case = handler(data)
        problems = list(_cross_field_problems(case))
        if problems:
            raise ValidationError.from_exception_data("Case", problems)
        return case


def _problem(loc: tuple[str | int, ...], code: str, message: str, value: Any = None) -> InitErrorDetails:
    return InitErrorDetails(type=PydanticCustomError(code, message), loc=loc, input=value)


ECOG_TO_KPS = {0: (90, 100), 1: (70, 80), 2: (50, 60), 3: (30, 40), 4: (10, 20)}


def _cross_field_problems(case: Case):
    yield from _patient_problems(case.patient)
    yield from _date_problems(case)
    yield from _therapy_problems(case)
    yield from _metastasis_problems(case)
    yield from _vocabulary_problems(case)
    decision = case.mdt.decision if case.mdt else None
    if decision and decision.follows_guideline is False and not (decision.deviation_reason or "").strip():
        yield _problem(("mdt", "decision", "deviation_reason"), "deviation_reason_required",
                       "a deviation reason is required when the decision does not follow the guideline")
    if decision and decision.deviation_reason_code and decision.follows_guideline is not False:
        yield _problem(("mdt", "decision", "deviation_reason_code"), "deviation_code_without_deviation",
                       "a deviation reason code goes with follows_guideline: false")


def _patient_problems(patient: Patient):
    if patient.pregnancy_trimester is not None and patient.pregnant is not True:
        yield _problem(("patient", "pregnancy_trimester"), "trimester_without_pregnancy",
                       "pregnancy_trimester is only allowed with pregnant: true", patient.pregnancy_trimester)
    if patient.sex == "male":
        if patient.menopausal_status in ("pre", "peri", "post"):
            yield _problem(("patient", "menopausal_status"), "male_menopausal_status",
                           "male patients have no menopausal status", patient.menopausal_status)
        for field in ("pregnant", "refuses_ovarian_suppression", "chemo_induced_amenorrhea"):
            if getattr(patient, field) is True:
                yield _problem(("patient", field), "male_field", f"{field} does not apply to a male patient", True)
    if patient.kps is not None and patient.ecog is not None:
        low, high = ECOG_TO_KPS[patient.ecog]
        if not low <= patient.kps <= high:
            yield _problem(("patient", "kps"), "kps_ecog_disagree",
                           f"KPS {patient.kps} disagrees with ECOG {patient.ecog} (ECOG {patient.ecog} = KPS {low}-{high})",
                           patient.kps)


def _dated_fields(case: Case):
    """Every date of the record that must not lie in the future, with its field path."""
    yield ("primary_diagnosis_date",), case.primary_diagnosis_date
    yield ("metastatic_diagnosis_date",), case.metastatic_diagnosis_date
    for i, specimen in enumerate(case.pathology):
        yield ("pathology", i, "date"), specimen.date
    for i, therapy in enumerate(case.therapies):
        for field in ("start", "end", "progression_date"):
            yield ("therapies", i, field), getattr(therapy, field)
    if case.mdt:
        yield ("mdt", "meeting_date"), case.mdt.meeting_date


def _date_problems(case: Case):
    limit = case.today
    limit_name = "evaluation_date" if case.evaluation_date else "today"
    for loc, value in _dated_fields(case):
        if value is not None and value > limit:
            yield _problem(loc, "date_in_future", f"date {value} is after {limit_name} ({limit})", str(value))
    if (case.primary_diagnosis_date and case.metastatic_diagnosis_date
            and case.metastatic_diagnosis_date < case.primary_diagnosis_date):
        yield _problem(("metastatic_diagnosis_date",), "date_order",
                       "metastatic_diagnosis_date is before primary_diagnosis_date",
                       str(case.metastatic_diagnosis_date))


def _therapy_problems(case: Case):
    seen_lines: dict[int, int] = {}
    for i, therapy in enumerate(case.therapies):
        if therapy.end and therapy.end < therapy.start:
            yield _problem(("therapies", i, "end"), "date_order", "date is before start", str(therapy.end))
        if therapy.progression_date and therapy.progression_date < therapy.start:
            yield _problem(("therapies", i, "progression_date"), "date_order", "date is before start",
                           str(therapy.progression_date))
        if therapy.setting == "advanced":
            if therapy.line is None:
                yield _problem(("therapies", i, "line"), "line_required", "line is required for setting advanced")
            elif therapy.line in seen_lines:
                yield _problem(("therapies", i, "line"), "line_duplicate",
                               f"advanced line {therapy.line} is already given in therapies[{seen_lines[therapy.line]}]",
                               therapy.line)
            else:
                seen_lines[therapy.line] = i
        elif therapy.line is not None:
            yield _problem(("therapies", i, "line"), "line_forbidden",
                           f"line is only allowed for setting advanced (this therapy is {therapy.setting})",
                           therapy.line)


def _metastasis_problems(case: Case):
    for i, site in enumerate(case.metastases):
        for field in ORGAN_DETAIL_FIELDS:
            if field != site.organ and getattr(site, field) is not None:
                yield _problem(("metastases", i, field), "detail_for_other_organ",
                               f"{field} details given for organ {site.organ}")


def _unknown_token_message(token: str, known: list[str], kind: str = "agent") -> str:
    nearest = difflib.get_close_matches(token, known, n=3, cutoff=0.5)
    hint = f"; nearest known: {', '.join(nearest)}" if nearest else ""
    return f"unknown {kind} token {token!r}{hint}"


def _vocabulary_problems(case: Case):
    raw = case.model_dump(mode="json", include={"therapies", "mdt"})
    for loc, message, token in token_problems(raw):
        yield _problem(loc, "unknown_token", message, token)


def token_problems(data: Any) -> list[tuple[tuple[str | int, ...], str, str]]:
    """Unknown agent and local-action tokens in (possibly otherwise invalid) case data.

    Works on the raw dict so that a file with other errors still gets its token typos reported.
    """
    vocabulary = load_vocabulary()
    found: list[tuple[tuple[str | int, ...], str, str]] = []
    if not isinstance(data, dict):
        return found

    def check(tokens: Any, loc: tuple[str | int, ...], known: frozenset[str], kind: str) -> None:
        if not isinstance(tokens, list):
            return
        for j, token in enumerate(tokens):
            if isinstance(token, str) and token not in known:
                found.append(((*loc, j), _unknown_token_message(token, sorted(known), kind), token))

    therapies = data.get("therapies")
    for i, therapy in enumerate(therapies if isinstance(therapies, list) else []):
        if isinstance(therapy, dict):
            check(therapy.get("agents"), ("therapies", i, "agents"), vocabulary.agent_tokens, "agent")
    mdt = data.get("mdt")
    decision = mdt.get("decision") if isinstance(mdt, dict) else None
    if isinstance(decision, dict):
        check(decision.get("systemic"), ("mdt", "decision", "systemic"), vocabulary.agent_tokens, "agent")
        check(decision.get("local"), ("mdt", "decision", "local"), vocabulary.local_action_tokens, "local-treatment")
        check(decision.get("chosen_options"), ("mdt", "decision", "chosen_options"), vocabulary.option_ids,
              "guideline option")
    return found
