"""The order of the case format's enumerations, and their names from the one bilingual name table.

Why the names are not here: the GUI, the PDF and the text view printed the same token with different
words (toxicity 不良反应 / 毒性). Every case-format value, derived value, fact, role, tier and local site is
named by `guideline_db.vocabulary` (sources/vocabulary.toml [value_names]) and tiers by the guideline's
`tiers` table; only the UI's own words (Yes/No, trimesters, "Row %1") go through Qt's .ts.
"""

from __future__ import annotations

from typing import Any

from desktop_app.qt import QT_TRANSLATE_NOOP, translate

CTX = "Labels"

# The order of each enumeration's entries (combo boxes, check boxes); their names come from the one
# bilingual name table (guideline_db/sources/vocabulary.toml [value_names], `Vocabulary.name`).
CHOICES: dict[str, list[str]] = {
    "sex": ["female", "male"],
    "menopausal_status": ["pre", "peri", "post", "unknown"],
    "presentation": ["de_novo_stage_iv", "recurrent_metastatic", "locally_advanced_inoperable",
                     "local_regional_recurrence"],
    "specimen": ["primary", "metastasis", "recurrence"],
    "her2_ihc": ["0", "ultralow", "1+", "2+", "3+"],
    "her2_ish": ["amplified", "not_amplified"],
    "biomarker": ["not_tested", "positive", "negative"],
    "setting": ["neoadjuvant", "adjuvant", "advanced"],
    "stop_reason": ["progression", "toxicity", "completed", "patient_choice", "ongoing"],
    "best_response": ["cr", "pr", "sd", "pd"],
    "organ": ["bone", "liver", "lung", "pleura", "brain", "distant_lymph_node", "chest_wall", "breast",
              "regional_lymph_node", "skin_soft_tissue", "adrenal", "peritoneum", "ovary", "other"],
    "bone_location": ["cervical_spine", "thoracic_spine", "lumbar_spine", "sacrum", "pelvis", "sternum", "rib",
                      "long_bone", "skull", "other"],
    "lesion_type": ["lytic", "blastic", "mixed"],
    "axillary_surgery": ["none", "sentinel_node_biopsy", "axillary_dissection"],
    "role": ["medical_oncology", "surgery", "radiation_oncology", "radiology", "pathology", "nuclear_medicine",
             "nursing", "psychology", "other"],
    "deviation_reason_code": ["patient_preference", "performance_status_or_comorbidity",
                              "drug_unavailable_or_not_reimbursed", "prior_toxicity", "clinical_trial",
                              "guideline_silent", "other"],
}
NUMBERS = {"0", "1+", "2+", "3+"}          # HER-2 IHC scores: the same in both languages

# The UI's own words (Qt's .ts): answers and ordinals, not case-format values.
UI_CHOICES: dict[str, list[tuple[str, str]]] = {
    "tri": [("yes", QT_TRANSLATE_NOOP("Labels", "Yes")), ("no", QT_TRANSLATE_NOOP("Labels", "No"))],
    "kps": [(str(v), str(v)) for v in range(100, -1, -10)],
    "ecog": [(str(v), str(v)) for v in range(5)],
    "trimester": [("1", QT_TRANSLATE_NOOP("Labels", "1st trimester")),
                  ("2", QT_TRANSLATE_NOOP("Labels", "2nd trimester")),
                  ("3", QT_TRANSLATE_NOOP("Labels", "3rd trimester"))],
}


def name(token: str) -> str:
    """The name of a case-format value, derived value, fact, role or local site in the UI language, from the
    one bilingual name table."""
    from desktop_app import language
    from guideline_db.vocabulary import load_vocabulary

    return load_vocabulary().name(token, language.current_language())


def colon() -> str:
    """'：' after a name in Chinese, ': ' in English."""
    from desktop_app import language

    return "：" if language.current_language() == "zh" else ": "


def cap(text: str) -> str:
    """A name standing alone (a combo entry, a label): English names start with a capital there."""
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def ui(text: str) -> str:
    """A UI word of the "Labels" context in the current language (not named tr: lupdate would collect it)."""
    return translate(CTX, text)


def choices(kind: str) -> list[tuple[str, str]]:
    """(token, label) pairs of one enumeration, in the format's order."""
    if kind in UI_CHOICES:
        return [(token, ui(text)) for token, text in UI_CHOICES[kind]]
    return [(token, token if token in NUMBERS else cap(name(token))) for token in CHOICES[kind]]


def choice_label(kind: str, token: Any) -> str:
    if token in (None, ""):
        return ""
    return next((label for value, label in choices(kind) if value == str(token)), str(token))


def fact_name(fact: str) -> str:
    return cap(name(fact))


def fact_value(fact: str, value: Any) -> str:
    """A derived value as the board reads it: the digest's words (guideline_db.digest.value_name)."""
    from desktop_app import language
    from guideline_db.digest import value_name

    return value_name(value, language.current_language())


def tier_name(tier: str) -> str:
    from desktop_app import language
    from guideline_db.digest import tier_name as named

    return named(tier, language.current_language())


def status_name(status: str) -> str:
    return cap(name(status))


def local_site_name(site: str) -> str:
    return cap(name(site))


MISC = (
    QT_TRANSLATE_NOOP("Labels", "Row %1"),
    QT_TRANSLATE_NOOP("Labels", "Unknown"),
)


def row_label(number: int) -> str:
    """'Row 2' / '第 2 行' (1-based, as the table's row header shows it)."""
    return ui("Row %1").replace("%1", str(number))
