"""Pseudonymised export: what identifies the patient is replaced or shifted, what the engine needs is kept.

Why keyed hashes: a plain hash of a hospital ID is reversible by trying every ID (they are short
numbers), so every pseudonym is an HMAC keyed with a random secret kept in the store. The same patient
gets the same pseudonym in every export from this store — a research partner can link two exports of
one case — but nobody without the store can recover the ID.

What an export does (and says it did, in `Pseudonymised.actions` and the export manifest):
- the case ID (often the hospital ID) → `PSEUDO-` + keyed hash; name and hospital ID likewise;
- every date → shifted by one per-case keyed offset of 30-395 days back, the evaluation date included
  (set to the shifted export date when the case had none), so every interval the engine computes is
  unchanged and the engine gives the same result;
- age kept (the engine's age rules need it; the format holds no date of birth);
- the name, the hospital ID and the case ID scrubbed from free text (sites, assay, notes, deviation
  reason) with their variants: any word of the name, a Chinese name's surname + given name, its given
  name alone (two characters or more), surname + a title (王女士, 李某, 张先生 ...) — also for two-character
  names, where the full name is replaced —, an ID with or without separators, and its digit run
  without leading zeros (4 digits or more). Clinical text is otherwise left as written.
What it does not do: recognise identifiers it was not given (another person's name, a phone number
typed into notes) or dates written inside free text; attendees (clinicians) are kept.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from guideline_db.case_io import parse_case
from guideline_db.case_model import Case

PREFIX = "PSEUDO-"
REDACTED = "[REDACTED]"
MIN_SHIFT_DAYS, SHIFT_RANGE_DAYS = 30, 366
CHINESE_TITLES = ("女士", "先生", "小姐", "老师", "阿姨", "大姐", "姐", "某某", "某", "氏", "老", "总")
COMPOUND_SURNAMES = frozenset({"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐",
                               "司徒", "夏侯", "轩辕", "长孙", "宇文", "端木", "独孤", "南宫", "西门", "万俟"})
FREE_TEXT = (("pathology", "site"), ("biomarkers", "pdl1_assay"), ("mdt.decision", "notes"),
             ("mdt.decision", "deviation_reason"))
_CJK = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")


@dataclass(frozen=True)
class Pseudonymised:
    case: Case
    actions: tuple[str, ...]


def pseudonym(secret: str, kind: str, value: str) -> str:
    """'PSEUDO-' + 12 hex digits of HMAC-SHA256(secret, kind:value); `kind` separates names from IDs."""
    digest = hmac.new(secret.encode("utf-8"), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return PREFIX + digest[:12].upper()


def date_shift_days(secret: str, case_id: str) -> int:
    """The per-case offset (days back) of every date of the export: keyed, so stable and not guessable."""
    digest = hmac.new(secret.encode("utf-8"), f"date-shift:{case_id}".encode(), hashlib.sha256).digest()
    return MIN_SHIFT_DAYS + int.from_bytes(digest[:4], "big") % SHIFT_RANGE_DAYS


def name_variants(name: str) -> list[str]:
    """Forms a patient's name takes in free text, longest first."""
    name = " ".join(name.split())
    variants = {name}
    compact = name.replace(" ", "")
    if _CJK.match(compact):
        surname = compact[:2] if compact[:2] in COMPOUND_SURNAMES and len(compact) > 2 else compact[:1]
        given = compact[len(surname):]
        variants.add(compact)
        if len(given) >= 2:
            variants.add(given)
        variants.update(surname + title for title in CHINESE_TITLES)
    else:
        words = [w for w in re.split(r"[\s,.\-]+", name) if len(w) >= 2]
        variants.update(words)
        if len(words) >= 2:
            variants.add(" ".join(reversed(words)))
    return sorted(variants, key=len, reverse=True)


def id_variants(identifier: str) -> list[str]:
    """An ID as typed, without separators, and its digit run without leading zeros (>= 4 digits)."""
    variants = {identifier}
    core = re.sub(r"[\s\-_./]", "", identifier)
    variants.add(core)
    for digits in re.findall(r"\d+", identifier):
        stripped = digits.lstrip("0")
        if len(stripped) >= 4:
            variants.add(stripped)
        if len(digits) >= 4:
            variants.add(digits)
    return sorted((v for v in variants if len(v) >= 2), key=len, reverse=True)


def _pattern(variants: list[str]) -> re.Pattern[str] | None:
    parts = []
    for variant in variants:
        escaped = re.escape(variant).replace(r"\ ", r"\s+")
        if re.match(r"\w", variant, re.ASCII):   # Latin/digits: whole words only ("Li" is not in "Liver")
            escaped = rf"(?<![A-Za-z0-9]){escaped}(?![A-Za-z0-9])"
        parts.append(escaped)
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def _each_free_text(data: dict[str, Any]):
    for specimen in data.get("pathology", []):
        yield specimen, "site"
    yield data.get("biomarkers") or {}, "pdl1_assay"
    decision = (data.get("mdt") or {}).get("decision") or {}
    yield decision, "notes"
    yield decision, "deviation_reason"


def _shift_dates(value: Any, days: int) -> Any:
    if isinstance(value, dict):
        return {key: _shift_dates(item, days) for key, item in value.items()}
    if isinstance(value, list):
        return [_shift_dates(item, days) for item in value]
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return (date.fromisoformat(value) - timedelta(days=days)).isoformat()
        except ValueError:
            return value
    return value


def pseudonymise_case(case: Case, secret: str, *, today: date | None = None, case_id: bool = True) -> Pseudonymised:
    """A pseudonymised copy of `case` and the list of what was done (see the module docstring).

    `today` is the reference date for a case without evaluation_date (default: the system date).
    `case_id` is accepted for old callers; the case ID is always replaced.
    """
    del case_id
    data = case.model_dump(mode="json", exclude_none=True)
    actions: list[str] = []
    targets: list[str] = []
    patient = data["patient"]
    for field, kind in (("hospital_id", "hospital_id"), ("name", "name")):
        original = patient.get(field)
        if original:
            patient[field] = pseudonym(secret, kind, original)
            targets += id_variants(original) if kind == "hospital_id" else name_variants(original)
            actions.append(f"patient.{field} replaced by a keyed pseudonym")
    data["case_id"] = pseudonym(secret, "case_id", case.case_id)
    targets += id_variants(case.case_id)
    actions.append("case_id replaced by a keyed pseudonym")
    days = date_shift_days(secret, case.case_id)
    reference = case.evaluation_date or today or date.today()
    data = _shift_dates(data, days)
    data["evaluation_date"] = (reference - timedelta(days=days)).isoformat()
    actions.append(f"every date shifted back by one per-case offset (intervals kept; evaluation_date "
                   f"{'shifted' if case.evaluation_date else 'set to the shifted export date'})")
    actions.append("age kept" if case.patient.age is not None else "no age recorded")
    pattern = _pattern(sorted(set(targets), key=len, reverse=True))
    scrubbed = 0
    for holder, field in _each_free_text(data):
        if pattern is not None and isinstance(holder.get(field), str):
            holder[field], count = pattern.subn(REDACTED, holder[field])
            scrubbed += count
    actions.append(f"names and IDs scrubbed from free text ({scrubbed} occurrence{'s' * (scrubbed != 1)})")
    return Pseudonymised(parse_case(data), tuple(actions))
