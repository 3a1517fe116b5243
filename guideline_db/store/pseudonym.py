"""Pseudonymised export: the patient's name and hospital ID replaced by stable pseudonyms.

Why keyed hashes: a plain hash of a hospital ID is reversible by trying every ID (they are short
numbers), so the pseudonym is an HMAC keyed with a random secret kept in the store. The same patient
gets the same pseudonym in every export from this store — a research partner can link two exports of
one case — but nobody without the store can recover the ID.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from guideline_db.case_io import parse_case
from guideline_db.case_model import Case

PREFIX = "PSEUDO-"


def pseudonym(secret: str, kind: str, value: str) -> str:
    """'PSEUDO-' + 12 hex digits of HMAC-SHA256(secret, kind:value); `kind` separates names from IDs."""
    digest = hmac.new(secret.encode("utf-8"), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return PREFIX + digest[:12].upper()


def _scrub(text: str, replacements: dict[str, str]) -> str:
    for original, replacement in replacements.items():
        text = text.replace(original, replacement)
    return text


def _scrub_free_text(data: dict[str, Any], replacements: dict[str, str]) -> None:
    """Replace the identifiers where they may have been typed into free text (sites, notes, reasons).

    Only free-text fields are touched: enumeration tokens must stay valid.
    """
    if not replacements:
        return
    for specimen in data.get("pathology", []):
        if "site" in specimen:
            specimen["site"] = _scrub(specimen["site"], replacements)
    biomarkers = data.get("biomarkers", {})
    if "pdl1_assay" in biomarkers:
        biomarkers["pdl1_assay"] = _scrub(biomarkers["pdl1_assay"], replacements)
    decision = (data.get("mdt") or {}).get("decision") or {}
    for field in ("notes", "deviation_reason"):
        if field in decision:
            decision[field] = _scrub(decision[field], replacements)


def pseudonymise_case(case: Case, secret: str, *, case_id: bool = False) -> Case:
    """A copy of `case` with name and hospital ID (and optionally the case ID) replaced everywhere.

    Identifiers shorter than 3 characters are replaced in their own fields only: replacing "李" in all
    free text would mangle clinical words.
    """
    data = case.model_dump(mode="json", exclude_none=True)
    patient = data["patient"]
    replacements: dict[str, str] = {}
    for field, kind in (("hospital_id", "hospital_id"), ("name", "name")):
        original = patient.get(field)
        if original:
            patient[field] = pseudonym(secret, kind, original)
            if len(original) >= 3:
                replacements[original] = patient[field]
    if case_id:
        new_id = pseudonym(secret, "case_id", case.case_id)
        if len(case.case_id) >= 3:
            replacements[case.case_id] = new_id
        data["case_id"] = new_id
    _scrub_free_text(data, replacements)
    return parse_case(data)
