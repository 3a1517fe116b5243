"""Display names for the case format's enumerations and the engine's derived values.

Why here and not in the engine: these are user-interface words for tokens (a combo box entry, a
column value), not clinical content. They go through Qt's translation system like every other UI
string (marked with QT_TRANSLATE_NOOP so `pyside6-lupdate` collects them); names of drugs, classes,
local actions and biomarkers come in both languages from the guideline vocabulary instead.
"""

from __future__ import annotations

from typing import Any

from desktop_app.qt import QT_TRANSLATE_NOOP, translate

CTX = "Labels"

CHOICES: dict[str, list[tuple[str, str]]] = {
    "sex": [("female", QT_TRANSLATE_NOOP("Labels", "Female")), ("male", QT_TRANSLATE_NOOP("Labels", "Male"))],
    "menopausal_status": [
        ("pre", QT_TRANSLATE_NOOP("Labels", "Premenopausal")),
        ("peri", QT_TRANSLATE_NOOP("Labels", "Perimenopausal")),
        ("post", QT_TRANSLATE_NOOP("Labels", "Postmenopausal")),
        ("unknown", QT_TRANSLATE_NOOP("Labels", "Unknown")),
    ],
    "presentation": [
        ("de_novo_stage_iv", QT_TRANSLATE_NOOP("Labels", "De novo stage IV")),
        ("recurrent_metastatic", QT_TRANSLATE_NOOP("Labels", "Recurrent metastatic")),
        ("locally_advanced_inoperable", QT_TRANSLATE_NOOP("Labels", "Locally advanced, inoperable (IIIB/IIIC)")),
        ("local_regional_recurrence", QT_TRANSLATE_NOOP("Labels", "Local-regional recurrence")),
    ],
    "specimen": [
        ("primary", QT_TRANSLATE_NOOP("Labels", "Primary tumour")),
        ("metastasis", QT_TRANSLATE_NOOP("Labels", "Metastasis")),
        ("recurrence", QT_TRANSLATE_NOOP("Labels", "Recurrence")),
    ],
    "her2_ihc": [
        ("0", QT_TRANSLATE_NOOP("Labels", "0")),
        ("ultralow", QT_TRANSLATE_NOOP("Labels", "Ultralow (0+, faint ≤10 %)")),
        ("1+", QT_TRANSLATE_NOOP("Labels", "1+")),
        ("2+", QT_TRANSLATE_NOOP("Labels", "2+")),
        ("3+", QT_TRANSLATE_NOOP("Labels", "3+")),
    ],
    "her2_ish": [
        ("amplified", QT_TRANSLATE_NOOP("Labels", "Amplified")),
        ("not_amplified", QT_TRANSLATE_NOOP("Labels", "Not amplified")),
    ],
    "biomarker": [
        ("not_tested", QT_TRANSLATE_NOOP("Labels", "Not tested")),
        ("positive", QT_TRANSLATE_NOOP("Labels", "Positive")),
        ("negative", QT_TRANSLATE_NOOP("Labels", "Negative")),
    ],
    "setting": [
        ("neoadjuvant", QT_TRANSLATE_NOOP("Labels", "Neoadjuvant")),
        ("adjuvant", QT_TRANSLATE_NOOP("Labels", "Adjuvant")),
        ("advanced", QT_TRANSLATE_NOOP("Labels", "Advanced disease")),
    ],
    "stop_reason": [
        ("progression", QT_TRANSLATE_NOOP("Labels", "Progression")),
        ("toxicity", QT_TRANSLATE_NOOP("Labels", "Toxicity")),
        ("completed", QT_TRANSLATE_NOOP("Labels", "Completed")),
        ("patient_choice", QT_TRANSLATE_NOOP("Labels", "Patient's choice")),
        ("ongoing", QT_TRANSLATE_NOOP("Labels", "Ongoing")),
    ],
    "best_response": [
        ("cr", QT_TRANSLATE_NOOP("Labels", "CR")), ("pr", QT_TRANSLATE_NOOP("Labels", "PR")),
        ("sd", QT_TRANSLATE_NOOP("Labels", "SD")), ("pd", QT_TRANSLATE_NOOP("Labels", "PD")),
    ],
    "organ": [
        ("bone", QT_TRANSLATE_NOOP("Labels", "Bone")),
        ("liver", QT_TRANSLATE_NOOP("Labels", "Liver")),
        ("lung", QT_TRANSLATE_NOOP("Labels", "Lung")),
        ("pleura", QT_TRANSLATE_NOOP("Labels", "Pleura")),
        ("brain", QT_TRANSLATE_NOOP("Labels", "Brain")),
        ("distant_lymph_node", QT_TRANSLATE_NOOP("Labels", "Distant lymph node")),
        ("chest_wall", QT_TRANSLATE_NOOP("Labels", "Chest wall")),
        ("breast", QT_TRANSLATE_NOOP("Labels", "Breast")),
        ("regional_lymph_node", QT_TRANSLATE_NOOP("Labels", "Regional lymph node")),
        ("skin_soft_tissue", QT_TRANSLATE_NOOP("Labels", "Skin / soft tissue")),
        ("adrenal", QT_TRANSLATE_NOOP("Labels", "Adrenal")),
        ("peritoneum", QT_TRANSLATE_NOOP("Labels", "Peritoneum")),
        ("ovary", QT_TRANSLATE_NOOP("Labels", "Ovary")),
        ("other", QT_TRANSLATE_NOOP("Labels", "Other")),
    ],
    "bone_location": [
        ("cervical_spine", QT_TRANSLATE_NOOP("Labels", "Cervical spine")),
        ("thoracic_spine", QT_TRANSLATE_NOOP("Labels", "Thoracic spine")),
        ("lumbar_spine", QT_TRANSLATE_NOOP("Labels", "Lumbar spine")),
        ("sacrum", QT_TRANSLATE_NOOP("Labels", "Sacrum")),
        ("pelvis", QT_TRANSLATE_NOOP("Labels", "Pelvis")),
        ("sternum", QT_TRANSLATE_NOOP("Labels", "Sternum")),
        ("rib", QT_TRANSLATE_NOOP("Labels", "Rib")),
        ("long_bone", QT_TRANSLATE_NOOP("Labels", "Long bone")),
        ("skull", QT_TRANSLATE_NOOP("Labels", "Skull")),
        ("other", QT_TRANSLATE_NOOP("Labels", "Other")),
    ],
    "lesion_type": [
        ("lytic", QT_TRANSLATE_NOOP("Labels", "Lytic")),
        ("blastic", QT_TRANSLATE_NOOP("Labels", "Blastic")),
        ("mixed", QT_TRANSLATE_NOOP("Labels", "Mixed")),
    ],
    "axillary_surgery": [
        ("none", QT_TRANSLATE_NOOP("Labels", "None")),
        ("sentinel_node_biopsy", QT_TRANSLATE_NOOP("Labels", "Sentinel lymph node biopsy")),
        ("axillary_dissection", QT_TRANSLATE_NOOP("Labels", "Axillary lymph node dissection")),
    ],
    "role": [
        ("medical_oncology", QT_TRANSLATE_NOOP("Labels", "Medical oncology")),
        ("surgery", QT_TRANSLATE_NOOP("Labels", "Breast surgery")),
        ("radiation_oncology", QT_TRANSLATE_NOOP("Labels", "Radiation oncology")),
        ("radiology", QT_TRANSLATE_NOOP("Labels", "Radiology")),
        ("pathology", QT_TRANSLATE_NOOP("Labels", "Pathology")),
        ("nuclear_medicine", QT_TRANSLATE_NOOP("Labels", "Nuclear medicine")),
        ("nursing", QT_TRANSLATE_NOOP("Labels", "Nursing")),
        ("psychology", QT_TRANSLATE_NOOP("Labels", "Psychology")),
        ("other", QT_TRANSLATE_NOOP("Labels", "Other")),
    ],
    "tri": [("yes", QT_TRANSLATE_NOOP("Labels", "Yes")), ("no", QT_TRANSLATE_NOOP("Labels", "No"))],
    "kps": [(str(v), str(v)) for v in range(100, -1, -10)],
    "ecog": [(str(v), str(v)) for v in range(5)],
    "trimester": [("1", QT_TRANSLATE_NOOP("Labels", "1st trimester")),
                  ("2", QT_TRANSLATE_NOOP("Labels", "2nd trimester")),
                  ("3", QT_TRANSLATE_NOOP("Labels", "3rd trimester"))],
}

DERIVED_VALUES: dict[str, dict[Any, str]] = {
    "subtype": {
        "hr_pos_her2_neg": QT_TRANSLATE_NOOP("Labels", "HR+/HER-2−"),
        "hr_pos_her2_pos": QT_TRANSLATE_NOOP("Labels", "HR+/HER-2+"),
        "hr_neg_her2_pos": QT_TRANSLATE_NOOP("Labels", "HR−/HER-2+"),
        "triple_negative": QT_TRANSLATE_NOOP("Labels", "Triple-negative"),
        "unknown": QT_TRANSLATE_NOOP("Labels", "Unknown"),
    },
    "her2_status": {
        "positive": QT_TRANSLATE_NOOP("Labels", "HER-2-positive"),
        "low": QT_TRANSLATE_NOOP("Labels", "HER-2-low"),
        "ultralow": QT_TRANSLATE_NOOP("Labels", "HER-2-ultralow"),
        "zero": QT_TRANSLATE_NOOP("Labels", "HER-2 0"),
        "unknown": QT_TRANSLATE_NOOP("Labels", "Unknown"),
    },
    "receptor_source": {
        "metastasis": QT_TRANSLATE_NOOP("Labels", "Metastasis / recurrence"),
        "primary": QT_TRANSLATE_NOOP("Labels", "Primary tumour"),
    },
    "treatment_menopausal_status": {
        "pre": QT_TRANSLATE_NOOP("Labels", "Premenopausal (incl. peri / unconfirmed)"),
        "post": QT_TRANSLATE_NOOP("Labels", "Postmenopausal"),
        "male": QT_TRANSLATE_NOOP("Labels", "Male"),
    },
    "endocrine_status": {
        "naive": QT_TRANSLATE_NOOP("Labels", "Endocrine-naive"),
        "primary_resistance": QT_TRANSLATE_NOOP("Labels", "Primary endocrine resistance"),
        "secondary_resistance": QT_TRANSLATE_NOOP("Labels", "Secondary endocrine resistance"),
        "not_applicable": QT_TRANSLATE_NOOP("Labels", "Not applicable"),
    },
    "her2_treatment_line": {
        "first": QT_TRANSLATE_NOOP("Labels", "First line (Table 10)"),
        "second": QT_TRANSLATE_NOOP("Labels", "Second line (Table 10)"),
        "later": QT_TRANSLATE_NOOP("Labels", "Later lines (Table 10)"),
    },
}

FACT_NAMES: dict[str, str] = {
    "subtype": QT_TRANSLATE_NOOP("Labels", "Subtype"),
    "hr_positive": QT_TRANSLATE_NOOP("Labels", "HR-positive"),
    "her2_status": QT_TRANSLATE_NOOP("Labels", "HER-2 status"),
    "receptor_source": QT_TRANSLATE_NOOP("Labels", "Receptors taken from"),
    "receptor_discordance": QT_TRANSLATE_NOOP("Labels", "Receptor discordance"),
    "treatment_menopausal_status": QT_TRANSLATE_NOOP("Labels", "Treated as"),
    "advanced_line": QT_TRANSLATE_NOOP("Labels", "Advanced line being decided"),
    "endocrine_status": QT_TRANSLATE_NOOP("Labels", "Endocrine status"),
    "prior_cdk4_6_inhibitor": QT_TRANSLATE_NOOP("Labels", "Prior CDK4/6 inhibitor"),
    "prior_endocrine_lines_advanced": QT_TRANSLATE_NOOP("Labels", "Endocrine lines for advanced disease"),
    "trastuzumab_free_interval_months": QT_TRANSLATE_NOOP("Labels", "Trastuzumab-free interval (months)"),
    "visceral_crisis": QT_TRANSLATE_NOOP("Labels", "Visceral crisis"),
    "oligometastatic": QT_TRANSLATE_NOOP("Labels", "Oligometastatic"),
    "pdl1_positive": QT_TRANSLATE_NOOP("Labels", "PD-L1-positive (CPS ≥ 10)"),
    "her2_treatment_line": QT_TRANSLATE_NOOP("Labels", "Anti-HER-2 line"),
    "inavolisib_window": QT_TRANSLATE_NOOP("Labels", "Relapse within 12 months of adjuvant endocrine therapy"),
    "prior_serm_failure": QT_TRANSLATE_NOOP("Labels", "Progression on a SERM"),
    "maintenance_after_chemotherapy": QT_TRANSLATE_NOOP("Labels", "Maintenance after chemotherapy"),
}

TIERS: dict[str, str] = {
    "preferred": QT_TRANSLATE_NOOP("Labels", "Preferred"),
    "recommended": QT_TRANSLATE_NOOP("Labels", "Recommended"),
    "optional": QT_TRANSLATE_NOOP("Labels", "Optional"),
}

LOCAL_SITES: dict[str, str] = {
    "brain": QT_TRANSLATE_NOOP("Labels", "Brain metastases"),
    "bone": QT_TRANSLATE_NOOP("Labels", "Bone metastases"),
    "oligometastasis": QT_TRANSLATE_NOOP("Labels", "Oligometastatic disease"),
    "primary_tumor": QT_TRANSLATE_NOOP("Labels", "Primary tumour"),
    "locoregional": QT_TRANSLATE_NOOP("Labels", "Locoregional disease"),
    "chest_wall": QT_TRANSLATE_NOOP("Labels", "Chest wall"),
}

STATUSES: dict[str, str] = {
    "draft": QT_TRANSLATE_NOOP("Labels", "Draft"),
    "decided": QT_TRANSLATE_NOOP("Labels", "Decided"),
    "signed": QT_TRANSLATE_NOOP("Labels", "Signed"),
}


def ui(text: str) -> str:
    """A UI word of the "Labels" context in the current language (not named tr: lupdate would collect it)."""
    return translate(CTX, text)


def choices(name: str) -> list[tuple[str, str]]:
    """(token, translated label) pairs of one enumeration, in the format's order."""
    return [(token, ui(text)) for token, text in CHOICES[name]]


def choice_label(name: str, token: Any) -> str:
    if token in (None, ""):
        return ""
    for value, text in CHOICES[name]:
        if value == str(token):
            return ui(text)
    return str(token)


def fact_name(name: str) -> str:
    return ui(FACT_NAMES.get(name, name))


def fact_value(name: str, value: Any) -> str:
    """A derived value as the board reads it (tokens named, booleans as yes/no, unknown as a dash)."""
    if value is None:
        return ui("Unknown") if name != "pdl1_positive" else ui("Not tested")
    if isinstance(value, bool):
        return ui("Yes") if value else ui("No")
    table = DERIVED_VALUES.get(name)
    if table and value in table:
        return ui(table[value])
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def tier_name(tier: str) -> str:
    return ui(TIERS.get(tier, tier))


def status_name(status: str) -> str:
    return ui(STATUSES.get(status, status))


def local_site_name(site: str) -> str:
    return ui(LOCAL_SITES.get(site, site))


MISC = (
    QT_TRANSLATE_NOOP("Labels", "Row %1"),
    QT_TRANSLATE_NOOP("Labels", "Not tested"),
)


def row_label(number: int) -> str:
    """'Row 2' / '第 2 行' (1-based, as the table's row header shows it)."""
    return ui("Row %1").replace("%1", str(number))
