"""Reader-facing names used by the workflow views, in both languages (no token is ever shown)."""

from __future__ import annotations

from guideline_db.engine.model import tier_names
from guideline_db.vocabulary import load_vocabulary

DEVIATION_CODES = ("patient_preference", "performance_status_or_comorbidity", "drug_unavailable_or_not_reimbursed",
                   "prior_toxicity", "clinical_trial", "guideline_silent", "other")
TIERS = ("preferred", "recommended", "optional")


def name(token: str, lang: str) -> str:
    """The reader's name of a token, from the one name table (the vocabulary; tiers from Table 2's rows)."""
    tiers = tier_names()
    if token in tiers:
        zh, en = tiers[token]
        return zh if lang == "zh" else en.lower()
    return load_vocabulary().name(token, lang)


def field_name(field: str, lang: str) -> str:
    """A missing-data field ("biomarkers.pik3ca", "pathology") as the reader says it."""
    last = field.rsplit(".", 1)[-1]
    if last in load_vocabulary().names:
        return name(last, lang)
    return name("unknown", lang)


def line_name(line: int, lang: str) -> str:
    return f"第{line}线" if lang == "zh" else f"line {line}"


def sep(lang: str) -> str:
    return "；" if lang == "zh" else "; "


def comma(lang: str) -> str:
    return "、" if lang == "zh" else ", "
