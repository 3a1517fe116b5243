"""Offline structural checks of a bundle against the mCODE STU4 profiles its resources claim.

What is checked: the bundle parses with fhir.resources (R4B models: base R4 cardinalities and datatypes);
the mCODE patient-bundle rules (collection, exactly one Patient); per claimed profile the required
elements, single-valued elements, elements the profile does not use, fixed codes, allowed value[x] types,
reference targets inside the bundle, required category, and value-set membership for the enumerated part
of each bound value set (fhir_valuesets); for every coding, the format of its code system (LOINC and
SNOMED CT check digits, ICD-10-CM, ATC, RxNorm, HGNC patterns). What is not checked: SNOMED CT is-a
filters, US Core's full rules, FHIRPath invariants other than mcode-reason-required — the official HL7
validator would check those, and it cannot be run here (docs/fhir.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from guideline_db.interop.codes import PROJECT_BASE
from guideline_db.interop.fhir_profiles import BUNDLE_PROFILE, REASON_REQUIRED, RULES, US_CORE, Rules
from guideline_db.interop.fhir_valuesets import VALUE_SETS


@dataclass(frozen=True)
class Finding:
    where: str
    level: str      # error | warning | info
    rule: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.level}: {self.text} [{self.rule}]"


def luhn_check_digit(payload: str) -> int:
    """LOINC's mod-10 check digit (the Luhn algorithm) of the code's numeric part."""
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


_D = [[(a + b) % 5 if a < 5 and b < 5 else 5 + (a + b) % 5 if a < 5 else 5 + (a - b) % 5 if b < 5 else (a - b) % 5
       for b in range(10)] for a in range(10)]
_P1 = [1, 5, 7, 6, 2, 8, 3, 0, 9, 4]
_P = [list(range(10))]
for _ in range(7):
    _P.append([_P1[x] for x in _P[-1]])


def verhoeff_ok(number: str) -> bool:
    """SNOMED CT identifiers end in a Verhoeff check digit (dihedral group D5; permutation p^i)."""
    check = 0
    for i, ch in enumerate(reversed(number)):
        check = _D[check][_P[i % 8][int(ch)]]
    return check == 0


def code_format_problem(system: str, code: str) -> str | None:
    """Why `code` cannot be a code of `system`, or None when its format (and check digit) is right."""
    if system == "http://loinc.org":
        match = re.fullmatch(r"(LA|LP|LL)?(\d{1,7})-(\d)", code)
        if not match:
            return "not a LOINC code (digits-check digit)"
        if not match.group(1) and luhn_check_digit(match.group(2)) != int(match.group(3)):
            return "LOINC check digit is wrong"
    elif system == "http://snomed.info/sct":
        if not re.fullmatch(r"\d{6,18}", code):
            return "not a SNOMED CT identifier (6-18 digits)"
        if not verhoeff_ok(code):
            return "SNOMED CT check digit (Verhoeff) is wrong"
    elif system == "http://hl7.org/fhir/sid/icd-10-cm" and not re.fullmatch(r"[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?", code):
        return "not an ICD-10-CM code"
    elif system == "http://www.whocc.no/atc" and not re.fullmatch(r"[A-Z]\d\d[A-Z]{2}\d\d", code):
        return "not an ATC substance code (e.g. L02BG04)"
    elif system == "http://www.nlm.nih.gov/research/umls/rxnorm" and not re.fullmatch(r"\d{1,8}", code):
        return "not an RxNorm identifier"
    elif system == "http://www.genenames.org" and not re.fullmatch(r"HGNC:\d{1,6}", code):
        return "not an HGNC identifier (HGNC:n)"
    return None


KNOWN_SYSTEMS = ("http://loinc.org", "http://snomed.info/sct", "http://hl7.org/fhir/sid/icd-10-cm",
                 "http://www.whocc.no/atc", "http://www.nlm.nih.gov/research/umls/rxnorm", "http://www.genenames.org",
                 "http://terminology.hl7.org/CodeSystem/", "http://unitsofmeasure.org", PROJECT_BASE)


def _values(node: Any, path: str) -> list[Any]:
    """Values at a dotted path; lists are flattened; 'x[x]' matches any xFoo; 'extension(name)' selects
    extensions whose URL ends with /name."""
    current = [node]
    for part in path.split("."):
        found: list[Any] = []
        for item in current:
            if not isinstance(item, dict):
                continue
            if part.endswith("[x]"):
                stem = part[:-3]
                values = [v for k, v in item.items() if k.startswith(stem) and k[len(stem):][:1].isupper()]
            elif part.startswith("extension("):
                name = part[len("extension("):-1]
                values = [e for e in item.get("extension") or [] if str(e.get("url", "")).endswith("/" + name)]
            else:
                values = [item[part]] if part in item else []
            for value in values:
                found.extend(value if isinstance(value, list) else [value])
        current = found
    return [v for v in current if v not in (None, "", [], {})]


def _codings(node: Any, path: str = "") -> list[tuple[str, dict]]:
    out: list[tuple[str, dict]] = []
    if isinstance(node, dict):
        if "system" in node and "code" in node and isinstance(node.get("code"), str):
            out.append((path, node))
        for key, value in node.items():
            out.extend(_codings(value, f"{path}.{key}" if path else key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.extend(_codings(value, f"{path}[{i}]"))
    return out


def _check_binding(where: str, concept: Any, vs_name: str, out: list[Finding]) -> None:
    vs = VALUE_SETS[vs_name]
    for coding in (concept or {}).get("coding") or []:
        system, code = coding.get("system"), coding.get("code")
        if system in vs["systems"]:
            if code not in vs["systems"][system]:
                level = "error" if vs["binding"] == "required" else "warning"
                out.append(Finding(where, level, vs_name, f"{system}|{code} is not in {vs_name} ({vs['binding']})"))
        elif system in vs.get("unchecked", {}):
            out.append(Finding(where, "info", vs_name, f"{system}|{code}: membership not checkable offline "
                               f"({vs['unchecked'][system]})"))


def _check_resource(where: str, resource: dict, rules: Rules, types: dict[str, str], out: list[Finding]) -> None:
    name = rules.basis.split(" (")[0]
    if resource.get("resourceType") != rules.resource_type:
        out.append(Finding(where, "error", name, f"profile is for {rules.resource_type}"))
        return
    for path in rules.required:
        if not _values(resource, path):
            out.append(Finding(f"{where}.{path}", "error", name, "required (min 1) but missing"))
    for path in rules.required_us_core:
        if not _values(resource, path):
            out.append(Finding(f"{where}.{path}", "error", US_CORE, "required by the parent profile but missing"))
    for path in rules.single:
        if len(_values(resource, path)) > 1:
            out.append(Finding(f"{where}.{path}", "error", name, "at most one value allowed"))
    for path in rules.not_used:
        if _values(resource, path):
            out.append(Finding(f"{where}.{path}", "error", name, "not used in this profile (0..0)"))
    for path, (system, code) in rules.fixed_coding.items():
        if not any(c.get("system") == system and c.get("code") == code
                   for concept in _values(resource, path) for c in concept.get("coding") or []):
            out.append(Finding(f"{where}.{path}", "error", name, f"must carry {system}|{code}"))
    if rules.category and not any(c.get("system") == rules.category[0] and c.get("code") == rules.category[1]
                                  for concept in _values(resource, "category") for c in concept.get("coding") or []):
        out.append(Finding(f"{where}.category", "error", name, f"must include {rules.category[1]}"))
    if rules.value_types:
        for key in [k for k in resource if k.startswith("value") and k[5:6].isupper()]:
            if key not in rules.value_types:
                out.append(Finding(f"{where}.{key}", "error", name, f"value type not allowed ({', '.join(rules.value_types)})"))
    for path, vs_name in rules.bindings.items():
        for concept in _values(resource, path):
            _check_binding(f"{where}.{path}", concept, vs_name, out)
    for path, allowed in rules.references.items():
        for reference in _values(resource, path):
            target = types.get(reference.get("reference", "")) if isinstance(reference, dict) else None
            if reference.get("reference") and target is None:
                out.append(Finding(f"{where}.{path}", "warning", name, f"reference {reference['reference']} is not in the bundle"))
            elif target and target not in allowed:
                out.append(Finding(f"{where}.{path}", "error", name, f"must reference {' or '.join(allowed)}, not {target}"))


def check_bundle(bundle: dict[str, Any]) -> list[Finding]:
    """Every finding for the bundle; a bundle the project exports has no 'error' findings."""
    from fhir.resources.R4B.bundle import Bundle

    out: list[Finding] = []
    try:
        Bundle.model_validate(bundle)
    except ValidationError as exc:
        for error in exc.errors(include_url=False)[:20]:
            out.append(Finding(".".join(map(str, error["loc"])) or "Bundle", "error", "FHIR R4 (fhir.resources R4B)",
                               error["msg"]))
        return out
    entries = bundle.get("entry") or []
    types = {e.get("fullUrl"): e["resource"]["resourceType"] for e in entries if e.get("fullUrl")}
    types.update({f"{e['resource']['resourceType']}/{e['resource'].get('id')}": e["resource"]["resourceType"]
                  for e in entries})
    if BUNDLE_PROFILE in ((bundle.get("meta") or {}).get("profile") or []):
        if bundle.get("type") != "collection":
            out.append(Finding("Bundle.type", "error", "mCODE SD_Bundle.fsh", "must be collection"))
        patients = sum(e["resource"]["resourceType"] == "Patient" for e in entries)
        if patients != 1:
            out.append(Finding("Bundle.entry", "error", "mCODE SD_Bundle.fsh", f"exactly one Patient, found {patients}"))
    for i, entry in enumerate(entries):
        resource = entry["resource"]
        where = f"entry[{i}] {resource['resourceType']}/{resource.get('id')}"
        for profile in (resource.get("meta") or {}).get("profile") or []:
            if profile in RULES:
                _check_resource(where, resource, RULES[profile], types, out)
            elif profile.startswith("http://hl7.org/fhir/us/mcode/"):
                out.append(Finding(where, "warning", "checker", f"no offline rules for {profile}"))
            if profile == REASON_REQUIRED and not (resource.get("reasonCode") or resource.get("reasonReference")):
                out.append(Finding(where, "warning", "mcode-reason-required", "one of reasonCode or reasonReference SHALL be present"))
        for path, coding in _codings(resource):
            system = coding["system"]
            problem = code_format_problem(system, coding["code"])
            if problem:
                out.append(Finding(f"{where}.{path}", "error", "code system", f"{system}|{coding['code']}: {problem}"))
            elif not any(system.startswith(known) for known in KNOWN_SYSTEMS):
                out.append(Finding(f"{where}.{path}", "info", "code system", f"code system {system} not known here"))
    return out
