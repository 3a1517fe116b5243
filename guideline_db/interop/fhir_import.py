"""A FHIR bundle (ours or another system's) back into the case format, with a located message for
everything that could not be mapped: nothing is dropped silently.

Why tolerant: hospital systems send what they have — no Specimen, LOINC presence results instead of
percentages, SNOMED or ICD-10-CM codes, MedicationStatement instead of MedicationRequest. Each entry is
validated on its own with fhir.resources (a broken entry is reported and skipped, the rest still read);
each element an entry carries is either mapped or named in a message (`entry[3] Observation/abc.code: ...`).
The evaluation resources (GuidanceResponse, RequestGroup, Provenance) are never imported: the evaluation
is recomputed from the imported case.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from guideline_db.case_io import CaseFileError, parse_case
from guideline_db.case_model import Case
from guideline_db.interop import fhir_import_map as maps
from guideline_db.interop.codes import Codes, load_codes
from guideline_db.interop.fhir_common import NS_CASE_ID

MAX_BUNDLE_BYTES = 20 * 1024 * 1024
IGNORED_KEYS = {"resourceType", "id", "meta", "text", "language", "implicitRules"}
EVALUATION_TYPES = {"GuidanceResponse", "RequestGroup", "Provenance"}


@dataclass(frozen=True)
class ImportMessage:
    where: str       # entry[3] Observation/abc.valueQuantity, or a case field path
    level: str       # error | warning | info
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.level}: {self.text}"


@dataclass(frozen=True)
class ImportResult:
    case: Case | None
    data: dict[str, Any]
    messages: tuple[ImportMessage, ...]

    @property
    def ok(self) -> bool:
        return self.case is not None

    def summary(self) -> str:
        counts = {level: sum(m.level == level for m in self.messages) for level in ("error", "warning", "info")}
        head = f"case {self.case.case_id}" if self.case else "no case"
        return f"{head}: {counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes"


@dataclass
class Context:
    """What the mappers share: the codes, the resources by reference, messages, and the case being built."""

    codes: Codes
    by_ref: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    messages: list[ImportMessage] = field(default_factory=list)
    case: dict[str, Any] = field(default_factory=dict)

    def say(self, where: str, level: str, text: str) -> None:
        self.messages.append(ImportMessage(where, level, text))

    def resolve(self, reference: dict[str, Any] | None) -> tuple[str, dict[str, Any]] | None:
        target = (reference or {}).get("reference")
        return self.by_ref.get(target) if target else None


class Tracker:
    """Which elements (and extension URLs) of one resource a mapper used; the rest are reported."""

    def __init__(self, where: str, resource: dict[str, Any]) -> None:
        self.where, self.resource = where, resource
        self.used: set[str] = set(IGNORED_KEYS)
        self.used_extensions: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:
        self.used.add(key)
        return self.resource.get(key, default)

    def ext(self, url: str) -> list[dict[str, Any]]:
        self.used_extensions.add(url)
        return [e for e in self.resource.get("extension") or [] if e.get("url") == url]

    def report(self, ctx: Context) -> None:
        for key in sorted(set(self.resource) - self.used - {"extension"}):
            ctx.say(f"{self.where}.{key}", "warning", "not mapped to the case format")
        for i, ext in enumerate(self.resource.get("extension") or []):
            if ext.get("url") not in self.used_extensions:
                ctx.say(f"{self.where}.extension[{i}]", "warning", f"extension {ext.get('url')!r} not mapped")


def _validate_entry(where: str, resource: Any, ctx: Context) -> bool:
    from fhir.resources.R4B import get_fhir_model_class

    if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
        ctx.say(where, "error", "entry has no resource; skipped")
        return False
    try:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    except KeyError:
        ctx.say(where, "error", f"unknown resource type {resource['resourceType']!r}; skipped")
        return False
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        loc = ".".join(str(p) for p in first["loc"])
        ctx.say(f"{where}.{loc}" if loc else where, "error", f"not valid FHIR R4: {first['msg']}; entry skipped")
        return False
    return True


def _case_id(bundle: dict[str, Any], ctx: Context) -> str:
    identifier = bundle.get("identifier") or {}
    if identifier.get("system") == NS_CASE_ID and identifier.get("value"):
        return identifier["value"]
    for _, resource in ctx.by_ref.values():
        if resource.get("resourceType") == "Patient":
            for ident in resource.get("identifier") or []:
                value = re.sub(r"[^A-Za-z0-9._-]", "-", str(ident.get("value") or ""))[:64].strip("-")
                if value:
                    ctx.say("Bundle.identifier", "info", f"no abc-mdt case ID; the patient identifier {value!r} is used")
                    return value
    digest = hashlib.sha256(json.dumps(bundle, sort_keys=True).encode()).hexdigest()[:12]
    ctx.say("Bundle.identifier", "info", f"no case ID in the bundle; fhir-{digest} is used")
    return f"fhir-{digest}"


def bundle_to_case(bundle: Any, *, overrides: dict[str, Any] | None = None, codes: Codes | None = None) -> ImportResult:
    """Map a FHIR Bundle (decoded JSON) to a case. `overrides` sets top-level case fields the bundle
    lacks (e.g. {"presentation": "recurrent_metastatic"}); they win over anything inferred."""
    ctx = Context(codes=codes or load_codes())
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        ctx.say("(file)", "error", "not a FHIR Bundle (resourceType must be 'Bundle')")
        return ImportResult(None, {}, tuple(ctx.messages))
    entries = []
    for i, entry in enumerate(bundle.get("entry") or []):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        rid = resource.get("id") if isinstance(resource, dict) else None
        where = f"entry[{i}] {resource.get('resourceType')}/{rid}" if isinstance(resource, dict) else f"entry[{i}]"
        if not _validate_entry(where, resource, ctx):
            continue
        entries.append((where, resource))
        if entry.get("fullUrl"):
            ctx.by_ref[entry["fullUrl"]] = (where, resource)
        if rid:
            ctx.by_ref[f"{resource['resourceType']}/{rid}"] = (where, resource)
    ctx.case = {"schema_version": 1, "case_id": _case_id(bundle, ctx)}
    maps.map_entries(entries, ctx, Tracker)
    for key, value in (overrides or {}).items():
        ctx.case[key] = value
        ctx.say(key, "info", f"set from the command line: {value!r}")
    maps.infer_missing(ctx)
    try:
        case = parse_case(ctx.case)
    except CaseFileError as exc:
        for problem in exc.problems:
            path, _, text = problem.partition(": ")
            ctx.say(f"case.{path}", "error", text)
        return ImportResult(None, ctx.case, tuple(ctx.messages))
    return ImportResult(case, ctx.case, tuple(ctx.messages))


def import_bundle_file(path: Path, *, overrides: dict[str, Any] | None = None) -> ImportResult:
    """Read a bundle file (at most 20 MB, UTF-8 JSON, BOM accepted) and map it."""
    from guideline_db.case_io import CaseFileError, read_json_file

    try:   # the one bounded, strict reader: regular files only, duplicate keys / NaN / surrogates refused
        data, _ = read_json_file(path, MAX_BUNDLE_BYTES)
    except CaseFileError as exc:
        return ImportResult(None, {}, tuple(ImportMessage("(file)", "error", p.removeprefix("(file): "))
                                            for p in exc.problems))
    except RecursionError:
        return ImportResult(None, {}, (ImportMessage("(file)", "error", "the JSON is nested too deeply"),))
    return bundle_to_case(data, overrides=overrides)
