"""The wizard's raw form state and its conversion to and from the case format (no Qt here).

Why a raw state: the board types into fields that are half-finished or wrong ("7O" for an age, a
date without its day). The raw state keeps exactly what was typed, so nothing is lost when a step is
invalid, and it is what the draft autosave writes. `to_case_dict()` turns it into a case-format dict
plus the conversion problems it found itself (a number that is not a number); everything else is
checked by `guideline_db.case_io.parse_case`, the single validator of the format.

Raw values are strings for typed fields, a token ("" = not given) for choices, "yes"/"no"/"" for
yes-no-unknown answers, and lists of tokens for multi-choice fields. Rows (specimens, therapies,
metastatic sites, attendees) are lists of flat dicts whose keys may be dotted ("bone.pain").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FORM_FORMAT = "abc-mdt-form"
FORM_VERSION = 1

# kinds: text | int | float | date | enum | tri | int_enum | list
CASE_FIELDS: dict[str, str] = {
    "case_id": "text", "evaluation_date": "date", "presentation": "enum", "inflammatory": "tri",
    "primary_diagnosis_date": "date", "metastatic_diagnosis_date": "date",
    "patient.name": "text", "patient.hospital_id": "text", "patient.sex": "enum", "patient.age": "int",
    "patient.menopausal_status": "enum", "patient.chemo_induced_amenorrhea": "tri",
    "patient.menopause_confirmed": "tri", "patient.kps": "int_enum", "patient.ecog": "int_enum",
    "patient.pregnant": "tri", "patient.pregnancy_trimester": "int_enum",
    "patient.refuses_ovarian_suppression": "tri", "patient.refuses_chemotherapy": "tri",
    "biomarkers.gbrca": "enum", "biomarkers.pik3ca": "enum", "biomarkers.esr1": "enum",
    "biomarkers.akt1": "enum", "biomarkers.pten": "enum", "biomarkers.msi_high": "enum",
    "biomarkers.pdl1_cps": "float", "biomarkers.pdl1_assay": "text",
    "context.expected_survival_months": "float", "context.extracranial_disease_controlled": "tri",
    "context.effective_systemic_options": "tri", "context.rapid_progression": "tri",
    "context.strong_er_expression": "tri", "context.dental_exam_done": "tri",
    "context.invasive_dental_procedure_planned": "tri", "context.prior_breast_or_chest_wall_radiotherapy": "tri",
    "context.prior_axillary_surgery": "enum", "context.long_term_remission_months": "float",
    "mdt.meeting_date": "date", "mdt.decision.systemic": "list", "mdt.decision.local": "list",
    "mdt.decision.chosen_options": "list", "mdt.decision.follows_guideline": "tri",
    "mdt.decision.deviation_reason_code": "enum", "mdt.decision.deviation_reason": "text",
    "mdt.decision.notes": "text", "mdt.decision.next_assessment_date": "date",
}

ROW_FIELDS: dict[str, dict[str, str]] = {
    "pathology": {
        "specimen": "enum", "site": "text", "date": "date", "er_percent": "float", "pr_percent": "float",
        "her2_ihc": "enum", "her2_ish": "enum", "ki67_percent": "float", "decalcified": "tri",
    },
    "therapies": {
        "setting": "enum", "line": "int", "agents": "list", "start": "date", "end": "date",
        "stop_reason": "enum", "progression_date": "date", "best_response": "enum",
    },
    "metastases": {
        "organ": "enum", "lesion_count": "int", "max_diameter_cm": "float", "symptomatic": "tri",
        "bone.locations": "list", "bone.lesion_type": "enum", "bone.pain": "tri",
        "bone.pathological_fracture": "tri", "bone.impending_fracture": "tri",
        "bone.spinal_cord_compression": "tri", "bone.hypercalcemia": "tri",
        "bone.extensive_marrow_involvement": "tri",
        "liver.diffuse": "tri", "liver.bilirubin_x_uln": "float", "liver.biliary_obstruction": "tri",
        "lung.lymphangitic_spread": "tri", "lung.oxygen_at_rest": "tri",
        "pleura.effusion": "tri", "pleura.dyspnea_at_rest": "tri", "pleura.relieved_by_drainage": "tri",
        "brain.total_volume_ml": "float", "brain.mass_effect": "tri", "brain.hippocampus_involved": "tri",
        "brain.leptomeningeal": "tri", "brain.diffuse": "tri", "brain.resectable": "tri",
        "brain.prior_brain_radiotherapy": "tri",
    },
    "mdt.attendees": {"name": "text", "role": "enum"},
}
ORGAN_DETAILS = ("bone", "liver", "lung", "pleura", "brain")


@dataclass(frozen=True)
class ConversionProblem:
    """A value the form could not turn into the format's type; `code` is translated by the GUI."""
    path: str
    code: str          # not_integer | not_number
    raw: str


def empty_state() -> dict[str, Any]:
    return {"format": FORM_FORMAT, "version": FORM_VERSION, "fields": {},
            "rows": {name: [] for name in ROW_FIELDS}, "extra": {}}


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def convert(kind: str, raw: Any) -> tuple[Any, str | None]:
    """(value, problem code); value None means 'not given'."""
    if _is_empty(raw):
        return None, None
    if kind == "list":
        return [str(v) for v in raw], None
    text = str(raw).strip()
    if not text:
        return None, None
    if kind == "tri":
        return {"yes": True, "no": False}.get(text), None
    if kind in ("int", "int_enum"):
        try:
            return int(text), None
        except ValueError:
            return None, "not_integer"
    if kind == "float":
        try:
            return float(text.replace(",", ".").replace("，", ".")), None
        except ValueError:
            return None, "not_number"
    return text, None


def _put(target: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def _convert_row(table: str, index: int, row: dict[str, Any], problems: list[ConversionProblem]) -> dict:
    out: dict[str, Any] = {}
    organ = row.get("organ") if table == "metastases" else None
    for key, kind in ROW_FIELDS[table].items():
        group = key.split(".", 1)[0] if "." in key else None
        if group is not None and group != organ:
            continue          # a hidden sub-form of another organ: kept in the raw state, not sent
        value, code = convert(kind, row.get(key))
        if code:
            problems.append(ConversionProblem(f"{table}[{index}].{key}", code, str(row.get(key))))
        elif value is not None:
            _put(out, key, value)
    return out


def _row_is_blank(row: dict[str, Any]) -> bool:
    return all(_is_empty(v) for v in row.values())


@dataclass(frozen=True)
class Conversion:
    """The case dict, the conversion problems (raw row indices), and for each table the raw row index
    of each case row (blank rows are left out of the case, so the two can differ)."""
    case: dict[str, Any]
    problems: list[ConversionProblem]
    row_map: dict[str, list[int]]

    def raw_path(self, path: str) -> str:
        """'pathology[0].er_percent' of the case → the same field in the form's rows."""
        for table, indices in self.row_map.items():
            prefix = table + "["
            if path.startswith(prefix):
                number, _, rest = path[len(prefix):].partition("]")
                if number.isdigit() and int(number) < len(indices):
                    return f"{table}[{indices[int(number)]}]{rest}"
        return path


def to_case_dict(state: dict[str, Any]) -> Conversion:
    """The case-format dict the form describes, and the values it could not convert."""
    problems: list[ConversionProblem] = []
    case: dict[str, Any] = {"schema_version": 1}
    fields = state.get("fields", {})
    for path, kind in CASE_FIELDS.items():
        value, code = convert(kind, fields.get(path))
        if code:
            problems.append(ConversionProblem(path, code, str(fields.get(path))))
        elif value is not None:
            _put(case, path, value)
    row_map: dict[str, list[int]] = {}
    for table in ROW_FIELDS:
        rows = state.get("rows", {}).get(table, [])
        kept = [i for i, row in enumerate(rows) if not _row_is_blank(row)]
        row_map[table] = kept
        converted = [_convert_row(table, i, rows[i], problems) for i in kept]
        if converted:
            _put(case, table, converted)
    if "patient" not in case:
        case["patient"] = {}
    return Conversion(case, problems, row_map)


def _raw(kind: str, value: Any) -> Any:
    if value is None:
        return [] if kind == "list" else ""
    if kind == "list":
        return [str(v) for v in value]
    if kind == "tri":
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _get(source: dict[str, Any], dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(source, dict):
            return None
        source = source.get(part)
    return source


def from_case_dict(case: dict[str, Any]) -> dict[str, Any]:
    """The raw form state showing a case (the inverse of `to_case_dict` for valid cases)."""
    state = empty_state()
    for path, kind in CASE_FIELDS.items():
        state["fields"][path] = _raw(kind, _get(case, path))
    for table, columns in ROW_FIELDS.items():
        rows = _get(case, table) or []
        state["rows"][table] = [{key: _raw(kind, _get(row, key)) for key, kind in columns.items()} for row in rows]
    return state


def blank_row(table: str) -> dict[str, Any]:
    return {key: ([] if kind == "list" else "") for key, kind in ROW_FIELDS[table].items()}


def is_form_state(data: Any) -> bool:
    return isinstance(data, dict) and data.get("format") == FORM_FORMAT
