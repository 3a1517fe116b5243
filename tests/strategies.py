"""Hypothesis strategies that generate valid case files (as dicts) across every field of the format."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from guideline_db.vocabulary import load_vocabulary

EVALUATION = date(2024, 7, 1)
AGENTS = sorted(load_vocabulary().agent_tokens)
LOCAL_ACTIONS = sorted(load_vocabulary().local_action_tokens)
BIOMARKER = st.sampled_from(["positive", "negative", "not_tested"])
# Free text the case format accepts (spec/case-format.md): no control characters except LF/TAB, no lone
# surrogates, no bidirectional overrides; hostile text is the mutation tests' job, not the valid generator's.
FREE_TEXT = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\u202a\u202b\u202c\u202d\u202e"
                                                                                  "\u2066\u2067\u2068\u2069")
ORGANS = ["bone", "liver", "lung", "pleura", "brain", "distant_lymph_node", "chest_wall", "breast",
          "regional_lymph_node", "skin_soft_tissue", "adrenal", "peritoneum", "ovary", "other"]


def day(low: date, high: date) -> st.SearchStrategy[date]:
    return st.integers(0, max(0, (high - low).days)).map(lambda n: low + timedelta(days=n))


def maybe(strategy):
    return st.one_of(st.none(), strategy)


@st.composite
def patients(draw) -> dict:
    sex = draw(st.sampled_from(["female", "female", "female", "male"]))
    patient = {"sex": sex, "age": draw(st.integers(18, 110))}
    if draw(st.booleans()):
        patient["kps"] = draw(st.sampled_from(range(0, 101, 10)))
    else:
        patient["ecog"] = draw(st.integers(0, 4))
    if sex == "female":
        patient["menopausal_status"] = draw(maybe(st.sampled_from(["pre", "peri", "post", "unknown"])))
        patient["chemo_induced_amenorrhea"] = draw(maybe(st.booleans()))
        patient["menopause_confirmed"] = draw(maybe(st.booleans()))
        pregnant = draw(st.booleans()) and draw(st.booleans())
        patient["pregnant"] = pregnant
        if pregnant:
            patient["pregnancy_trimester"] = draw(maybe(st.sampled_from([1, 2, 3])))
        patient["refuses_ovarian_suppression"] = draw(maybe(st.booleans()))
    patient["refuses_chemotherapy"] = draw(maybe(st.booleans()))
    return patient


@st.composite
def specimens(draw, low: date) -> dict:
    return {
        "specimen": draw(st.sampled_from(["primary", "metastasis", "recurrence"])),
        "site": draw(maybe(st.text(FREE_TEXT, max_size=20))),
        "date": draw(maybe(day(low, EVALUATION).map(str))),
        "er_percent": draw(maybe(st.sampled_from([0, 0.5, 1, 5, 10, 50, 90, 100]))),
        "pr_percent": draw(maybe(st.sampled_from([0, 1, 20, 80]))),
        "her2_ihc": draw(maybe(st.sampled_from(["0", "ultralow", "1+", "2+", "3+"]))),
        "her2_ish": draw(maybe(st.sampled_from(["amplified", "not_amplified"]))),
        "ki67_percent": draw(maybe(st.integers(0, 100))),
        "decalcified": draw(maybe(st.booleans())),
    }


@st.composite
def therapies(draw, low: date) -> list[dict]:
    entries = []
    lines = draw(st.integers(0, 4))
    for _ in range(draw(st.integers(0, 2))):
        entries.append(_therapy(draw, draw(st.sampled_from(["adjuvant", "neoadjuvant"])), None, low))
    for line in range(1, lines + 1):
        entries.append(_therapy(draw, "advanced", line, low))
    return draw(st.permutations(entries))


def _therapy(draw, setting: str, line: int | None, low: date) -> dict:
    start = draw(day(low, EVALUATION))
    end = draw(maybe(day(start, EVALUATION)))
    entry = {"setting": setting, "agents": draw(st.lists(st.sampled_from(AGENTS), min_size=1, max_size=3, unique=True)),
             "start": str(start), "end": str(end) if end else None,
             "stop_reason": draw(maybe(st.sampled_from(["progression", "toxicity", "completed", "patient_choice", "ongoing"]))),
             "progression_date": str(p) if (p := draw(maybe(day(start, EVALUATION)))) else None,
             "best_response": draw(maybe(st.sampled_from(["cr", "pr", "sd", "pd"])))}
    if line is not None:
        entry["line"] = line
    return entry


@st.composite
def metastatic_sites(draw) -> dict:
    organ = draw(st.sampled_from(ORGANS))
    site = {"organ": organ, "lesion_count": draw(maybe(st.integers(0, 40))),
            "max_diameter_cm": draw(maybe(st.floats(0.1, 12, allow_nan=False))), "symptomatic": draw(maybe(st.booleans()))}
    b = maybe(st.booleans())
    if organ == "bone":
        site["bone"] = draw(maybe(st.fixed_dictionaries({
            "locations": st.lists(st.sampled_from(["cervical_spine", "thoracic_spine", "lumbar_spine", "sacrum", "pelvis",
                                                   "sternum", "rib", "long_bone", "skull", "other"]), max_size=3, unique=True),
            "lesion_type": maybe(st.sampled_from(["lytic", "blastic", "mixed"])), "pain": b, "pathological_fracture": b,
            "impending_fracture": b, "spinal_cord_compression": b, "hypercalcemia": b, "extensive_marrow_involvement": b})))
    elif organ == "liver":
        site["liver"] = draw(maybe(st.fixed_dictionaries({"diffuse": b, "bilirubin_x_uln": maybe(st.floats(0, 10)),
                                                          "biliary_obstruction": b})))
    elif organ == "lung":
        site["lung"] = draw(maybe(st.fixed_dictionaries({"lymphangitic_spread": b, "oxygen_at_rest": b})))
    elif organ == "pleura":
        site["pleura"] = draw(maybe(st.fixed_dictionaries({"effusion": b, "dyspnea_at_rest": b, "relieved_by_drainage": b})))
    elif organ == "brain":
        site["brain"] = draw(maybe(st.fixed_dictionaries({
            "total_volume_ml": maybe(st.floats(0, 80)), "mass_effect": b, "hippocampus_involved": b, "leptomeningeal": b,
            "diffuse": b, "resectable": b, "prior_brain_radiotherapy": b})))
    return site


@st.composite
def cases(draw) -> dict:
    primary = draw(day(date(2000, 1, 1), EVALUATION))
    metastatic = draw(maybe(day(primary, EVALUATION)))
    b = maybe(st.booleans())
    case = {
        "schema_version": 1, "case_id": draw(st.from_regex(r"[A-Za-z0-9._-]{1,20}", fullmatch=True)),
        "evaluation_date": str(EVALUATION), "patient": draw(patients()),
        "presentation": draw(st.sampled_from(["de_novo_stage_iv", "recurrent_metastatic", "locally_advanced_inoperable",
                                              "local_regional_recurrence"])),
        "inflammatory": draw(b), "primary_diagnosis_date": str(primary),
        "metastatic_diagnosis_date": str(metastatic) if metastatic else None,
        "pathology": draw(st.lists(specimens(primary), max_size=3)),
        "biomarkers": {"gbrca": draw(BIOMARKER), "pik3ca": draw(BIOMARKER), "esr1": draw(BIOMARKER), "akt1": draw(BIOMARKER),
                       "pten": draw(BIOMARKER), "msi_high": draw(BIOMARKER),
                       "pdl1_cps": draw(maybe(st.sampled_from([0, 1, 5, 9.9, 10, 22, 60])))},
        "therapies": draw(therapies(primary)),
        "metastases": draw(st.lists(metastatic_sites(), max_size=5)),
        "context": {"expected_survival_months": draw(maybe(st.integers(0, 120))), "extracranial_disease_controlled": draw(b),
                    "effective_systemic_options": draw(b), "rapid_progression": draw(b), "strong_er_expression": draw(b),
                    "dental_exam_done": draw(b), "invasive_dental_procedure_planned": draw(b),
                    "prior_breast_or_chest_wall_radiotherapy": draw(b),
                    "prior_axillary_surgery": draw(maybe(st.sampled_from(["none", "sentinel_node_biopsy", "axillary_dissection"])))},
    }
    if draw(st.booleans()):
        follows = draw(st.booleans())
        case["mdt"] = {"meeting_date": str(EVALUATION),
                       "attendees": [{"name": "Dr A", "role": "medical_oncology"}],
                       "decision": {"systemic": draw(st.lists(st.sampled_from(AGENTS), max_size=3)),
                                    "local": draw(st.lists(st.sampled_from(LOCAL_ACTIONS), max_size=2)),
                                    "follows_guideline": follows,
                                    "deviation_reason": None if follows else "patient preference",
                                    "next_assessment_date": "2024-09-01"}}
    return case
