"""Per-resource mappers of the FHIR import (see fhir_import for the contract).

Each mapper reads one resource through a Tracker (so unread elements are reported) and writes into
ctx.case. Codes are read through the terminology table in both directions: the project's own coding
first, then any confirmed standard code (LOINC, SNOMED CT, ICD-10-CM, ATC, RxNorm, HGNC).
"""

from __future__ import annotations

from typing import Any

from guideline_db.interop.codes import project_system
from guideline_db.interop.fhir_common import (
    CONDITION_RELATED,
    EXT,
    MCODE_PROCEDURE_INTENT,
    MCODE_RELATED_CONDITION,
    NS_HOSPITAL_ID,
    NS_THERAPY,
    PROFILE,
    codings,
    read_case_fields,
)

MEDICATION_TYPES = ("MedicationRequest", "MedicationStatement", "MedicationAdministration")
PERCENT_MARKERS = ("er_percent", "pr_percent", "ki67_percent")
GENE_TOKENS = {"brca1": "gbrca", "brca2": "gbrca", "pik3ca": "pik3ca", "esr1": "esr1", "akt1": "akt1", "pten": "pten"}
GERMLINE, SOMATIC = "LA6683-2", "LA6684-0"


def _date(value: Any, where: str, ctx: Any) -> str | None:
    if not isinstance(value, str):
        return None
    if len(value) >= 10 and value[4] == "-" and value[7] == "-":
        if len(value) > 10:
            ctx.say(where, "info", f"time part of {value!r} dropped (the case format keeps dates)")
        return value[:10]
    ctx.say(where, "warning", f"partial date {value!r} cannot be a case-format date; left out")
    return None


def _token(ctx: Any, kinds: tuple[str, ...], concept: dict | None) -> str | None:
    """The token of a concept: the project's own coding first (exact), then a confirmed standard code
    (which may be shared: ATC L01CD01 is paclitaxel and nab-paclitaxel; the first token listed wins)."""
    own = {project_system(kind) for kind in kinds}
    ordered = sorted(codings(concept), key=lambda c: c.get("system") not in own)
    for coding in ordered:
        token = ctx.codes.token_for(kinds, coding.get("system"), coding.get("code"))
        if token:
            return token
    return None


def _profiles(resource: dict[str, Any]) -> set[str]:
    return set((resource.get("meta") or {}).get("profile") or [])


def _apply_fields(target: dict[str, Any], fields: dict[str, Any]) -> None:
    for path, value in fields.items():
        node = target
        *parents, last = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value


def _case_fields(t: Any, ctx: Any, target: dict[str, Any]) -> None:
    t.ext(EXT["case-field"])
    try:
        _apply_fields(target, read_case_fields(t.resource))
    except (ValueError, TypeError) as exc:
        ctx.say(f"{t.where}.extension", "error", f"malformed case-field extension: {exc}")


def _ext_value(t: Any, name: str, value_key: str) -> Any:
    found = t.ext(EXT[name])
    return found[0].get(value_key) if found else None


# ------------------------------------------------------------------------------------------------ Patient

def _patient(t: Any, ctx: Any) -> None:
    patient = ctx.case.setdefault("patient", {})
    gender = t.get("gender")
    if gender in ("female", "male"):
        patient["sex"] = gender
    else:
        ctx.say(f"{t.where}.gender", "error", f"gender {gender!r}: the case format needs female or male")
    for ident in t.get("identifier") or []:
        mr = any(c.get("code") == "MR" for c in codings(ident.get("type")))
        if ident.get("system") == NS_HOSPITAL_ID or (mr and "hospital_id" not in patient):
            patient["hospital_id"] = ident.get("value")
    for name in t.get("name") or []:
        given, family = list(name.get("given", [])), name.get("family", "")
        cjk = all("\u4e00" <= ch <= "\u9fff" for part in [family, *given] for ch in part)
        # 张 + 秀英 → 张秀英 (family first, no space); Jenny + Mosley → Jenny Mosley
        text = name.get("text") or ("".join([family, *given]) if cjk else " ".join(p for p in [*given, family] if p))
        if text:
            patient["name"] = text
            break
    status = _ext_value(t, "menopausal-status", "valueCode")
    if status:
        patient["menopausal_status"] = status
    if t.resource.get("birthDate"):
        t.get("birthDate")
        ctx.say(f"{t.where}.birthDate", "warning", "birth date not imported: the case format records age, "
                "and the age at the board's review is not known from the bundle")
    _case_fields(t, ctx, patient)


# ------------------------------------------------------------------------------------------------ Conditions

def _is_secondary(ctx: Any, resource: dict[str, Any]) -> bool:
    if PROFILE["mcode-secondary-cancer-condition"] in _profiles(resource):
        return True
    if any(e.get("url") == CONDITION_RELATED for e in resource.get("extension") or []):
        return True
    return any(c.get("system") == "http://hl7.org/fhir/sid/icd-10-cm" and str(c.get("code", ""))[:3] in
               ("C77", "C78", "C79") for c in codings(resource.get("code"))) or \
        _token(ctx, ("organ_secondary",), resource.get("code")) is not None or \
        _token(ctx, ("condition",), resource.get("code")) == "metastatic"


def _is_breast_primary(ctx: Any, resource: dict[str, Any]) -> bool:
    if PROFILE["mcode-primary-cancer-condition"] in _profiles(resource):
        return True
    token = _token(ctx, ("condition",), resource.get("code"))
    icd_c50 = any(c.get("system") == "http://hl7.org/fhir/sid/icd-10-cm" and str(c.get("code", "")).startswith("C50")
                  for c in codings(resource.get("code")))
    return token in ("breast_cancer", "breast_cancer_female", "breast_cancer_male") or icd_c50


def _common_condition(t: Any) -> None:
    for key in ("clinicalStatus", "verificationStatus", "category", "subject", "code"):
        t.get(key)


NOT_REAL = {"refuted", "entered-in-error", "cancelled"}


def _not_real(t: Any, ctx: Any) -> bool:
    """A condition or result its sender withdrew (refuted, entered in error, cancelled) is not imported."""
    statuses = [t.resource.get("status")] + [c.get("code") for c in codings(t.resource.get("verificationStatus"))]
    withdrawn = next((s for s in statuses if s in NOT_REAL), None)
    if withdrawn:
        t.used.update(t.resource)
        t.used_extensions.update(e.get("url") for e in t.resource.get("extension") or [])
        ctx.say(t.where, "warning", f"status {withdrawn!r}: not imported")
    return withdrawn is not None


def _primary(t: Any, ctx: Any) -> None:
    _common_condition(t)
    t.get("bodySite")
    case = ctx.case
    onset = _date(t.get("onsetDateTime"), f"{t.where}.onsetDateTime", ctx)
    if onset:
        case["primary_diagnosis_date"] = onset
    presentation = _ext_value(t, "presentation", "valueCodeableConcept")
    if presentation:
        token = _token(ctx, ("presentation",), presentation)
        if token:
            case["presentation"] = token
    metastatic = _ext_value(t, "metastatic-diagnosis-date", "valueDate")
    if metastatic:
        case["metastatic_diagnosis_date"] = metastatic
    if t.ext(EXT["endocrine-resistance"]):
        ctx.say(f"{t.where}.extension", "info", "endocrine resistance is derived; recomputed from the imported case")
    if t.resource.get("stage"):
        t.get("stage")
        ctx.say(f"{t.where}.stage", "info", "stage not imported (the case format records the presentation)")
    _case_fields(t, ctx, case)


def _secondary(t: Any, ctx: Any) -> None:
    _common_condition(t)
    t.ext(CONDITION_RELATED)
    organ = None
    for site in t.get("bodySite") or []:
        organ = _token(ctx, ("organ",), site)
        if organ:
            break
    organ = organ or _token(ctx, ("organ_icd", "organ_secondary"), t.resource.get("code"))
    if organ is None:
        ctx.say(f"{t.where}.code", "warning", "metastatic site not recognised; recorded as organ 'other'")
        organ = "other"
    site: dict[str, Any] = {"organ": organ}
    onset = _date(t.get("onsetDateTime"), f"{t.where}.onsetDateTime", ctx)
    if onset:
        ctx.onsets = [*getattr(ctx, "onsets", []), onset]
    _case_fields(t, ctx, site)
    ctx.case.setdefault("metastases", []).append(site)


# ------------------------------------------------------------------------------------------------ Pathology

def _specimen_entry(ctx: Any, key: str) -> dict[str, Any]:
    ctx.specimens = getattr(ctx, "specimens", {})
    if key not in ctx.specimens:
        ctx.specimens[key] = {}
        ctx.case.setdefault("pathology", []).append(ctx.specimens[key])
    return ctx.specimens[key]


def _specimen(t: Any, ctx: Any, ref_keys: list[str]) -> None:
    item = _specimen_entry(ctx, ref_keys[0])
    for key in ref_keys[1:]:
        ctx.specimens[key] = item
    t.get("type")
    t.get("subject")
    kind = _ext_value(t, "specimen-kind", "valueCode")
    if kind:
        item["specimen"] = kind
    collection = t.get("collection") or {}
    when = _date(collection.get("collectedDateTime"), f"{t.where}.collection.collectedDateTime", ctx)
    if when:
        item["date"] = when
    site = (collection.get("bodySite") or {}).get("text") or next(
        (c.get("display") for c in codings(collection.get("bodySite")) if c.get("display")), None)
    if site:
        item["site"] = site
    _case_fields(t, ctx, item)


def _answer(ctx: Any, concept: dict | None) -> str | None:
    """positive | negative from SNOMED Positive/Negative, LOINC Present/Absent or the project's code."""
    token = _token(ctx, ("result",), concept)
    if token in ("positive", "negative", "amplified", "not_amplified"):
        return token
    answer = _token(ctx, ("answer",), concept)
    return {"positive": "positive", "present": "positive", "negative": "negative", "absent": "negative"}.get(answer)


def _pathology_item(t: Any, ctx: Any) -> dict[str, Any]:
    target = ctx.resolve(t.get("specimen"))
    if target:
        key = target[0]
    else:
        key = f"date:{t.resource.get('effectiveDateTime', '')[:10]}"
        if key not in getattr(ctx, "specimens", {}):
            ctx.say(t.where, "warning", "no Specimen: results of this date form one pathology entry, "
                    "recorded as specimen 'primary' — check")
    item = _specimen_entry(ctx, key)
    if not target and "specimen" not in item:
        item["specimen"] = "primary"
        when = _date(t.resource.get("effectiveDateTime"), f"{t.where}.effectiveDateTime", ctx)
        if when:
            item["date"] = when
    return item


def _observation(t: Any, ctx: Any) -> None:
    if _not_real(t, ctx):
        return
    for key in ("status", "category", "subject", "effectiveDateTime", "code"):
        t.get(key)
    t.ext(MCODE_RELATED_CONDITION)
    code = t.resource.get("code")
    perf = _token(ctx, ("performance",), code)
    if perf:
        value = t.get("valueInteger")
        if isinstance(value, int):
            ctx.case.setdefault("patient", {})[perf] = value
        else:
            ctx.say(f"{t.where}.value", "warning", "performance status without an integer value; left out")
        t.get("interpretation")   # the score's own meaning (LOINC answer list): nothing to add
        return
    marker = _token(ctx, ("marker",), code)
    if marker in PERCENT_MARKERS:
        t.get("specimen")
        quantity = t.get("valueQuantity") or {}
        if quantity.get("unit", "%") in ("%", "percent") and isinstance(quantity.get("value"), (int, float)):
            _pathology_item(t, ctx)[marker] = quantity["value"]
        else:
            ctx.say(f"{t.where}.valueQuantity", "warning", f"{marker}: no percentage; left out")
    elif marker == "her2_ihc":
        t.get("specimen")
        score = _token(ctx, ("her2_ihc",), t.get("valueCodeableConcept"))
        text = ((t.resource.get("valueCodeableConcept") or {}).get("text") or "").replace("IHC", "").strip()
        score = score or (text if text in ("0", "ultralow", "1+", "2+", "3+") else None)
        if score:
            _pathology_item(t, ctx)["her2_ihc"] = score
        else:
            ctx.say(f"{t.where}.value", "warning", "HER2 IHC result is not a score (0, 1+, 2+, 3+); left out")
    elif marker == "her2_ish":
        t.get("specimen")
        result = _answer(ctx, t.get("valueCodeableConcept"))
        if result:
            _pathology_item(t, ctx)["her2_ish"] = {"positive": "amplified", "negative": "not_amplified"}.get(result, result)
        else:
            ctx.say(f"{t.where}.value", "warning", "HER2 ISH result not recognised; left out")
    elif marker in ("er_presence", "pr_presence", "her2_interpretation", "pdl1_22c3_presence"):
        t.get("specimen")
        t.get("valueCodeableConcept")
        ctx.say(f"{t.where}.code", "warning", f"{marker.replace('_', ' ')}: a positive/negative reading without "
                "the percentage or score the case format needs; not imported — enter the value")
    elif marker == "msi_high":
        result = _answer(ctx, t.get("valueCodeableConcept"))
        if result:
            ctx.case.setdefault("biomarkers", {})["msi_high"] = result
    elif marker == "pdl1_cps":
        quantity = t.get("valueQuantity") or {}
        if isinstance(quantity.get("value"), (int, float)):
            ctx.case.setdefault("biomarkers", {})["pdl1_cps"] = quantity["value"]
        method = (t.get("method") or {}).get("text")
        if method:
            ctx.case.setdefault("biomarkers", {})["pdl1_assay"] = method
    elif marker == "genetic_variant_assessment" or any(c.get("code") == "69548-6" for c in codings(code)):
        _variant(t, ctx)
    else:
        t.used.update(t.resource)      # one message for the whole observation, not one per element
        t.used_extensions.update(e.get("url") for e in t.resource.get("extension") or [])
        shown = (code or {}).get("text") or ", ".join(f"{c.get('system')}|{c.get('code')}" for c in codings(code))
        ctx.say(f"{t.where}.code", "warning", f"observation {shown!r} is not mapped to the case format; "
                "its value was not imported")


def _gene_symbol(component: dict, t: Any, ctx: Any) -> str | None:
    """A gene named by its HGNC symbol only (HGNC IDs of PIK3CA, ESR1, AKT1 are not confirmed offline)."""
    concept = component.get("valueCodeableConcept") or {}
    names = [concept.get("text")] + [c.get("display") for c in codings(concept)]
    for name in filter(None, names):
        if name.strip().lower() in GENE_TOKENS:
            ctx.say(f"{t.where}.component", "info", f"gene {name!r} matched by its symbol")
            return name.strip().lower()
    return None


def _variant(t: Any, ctx: Any) -> None:
    token = _token(ctx, ("marker",), {"coding": [c for c in codings(t.resource.get("code"))
                                                 if c.get("system") == project_system("marker")]})
    from_project = token is not None     # the project's own code says which test it was (gbrca is germline)
    source = None
    for component in t.get("component") or []:
        gene = _token(ctx, ("gene",), component.get("valueCodeableConcept")) or _gene_symbol(component, t, ctx)
        if gene and not token:
            token = GENE_TOKENS.get(gene)
        if any(c.get("code") in (GERMLINE, SOMATIC) for c in codings(component.get("valueCodeableConcept"))):
            source = "germline" if any(c.get("code") == GERMLINE for c in codings(component["valueCodeableConcept"])) \
                else "somatic"
    result = _answer(ctx, t.get("valueCodeableConcept"))
    if token is None or result is None:
        ctx.say(t.where, "warning", "genomic result for a gene the case format does not record; not imported")
        return
    if token == "gbrca" and source == "somatic":
        ctx.say(t.where, "warning", "somatic BRCA result: the case format records germline BRCA only; not imported")
        return
    if token == "gbrca" and source is None and not from_project:
        ctx.say(t.where, "warning", "BRCA result without a genomic source class recorded as germline (gbrca) — check")
    ctx.case.setdefault("biomarkers", {})[token] = result


# ------------------------------------------------------------------------------------------------ Therapies

def _agent(t: Any, ctx: Any) -> str | None:
    concept = t.get("medicationCodeableConcept")
    token = _token(ctx, ("agent",), concept)
    if token:
        return token
    names = {r.display.lower(): r.token for r in ctx.codes.rows if r.kind == "agent"}
    text = ((concept or {}).get("text") or next((c.get("display") for c in codings(concept)), "") or "").lower()
    for name, candidate in names.items():
        if name and name.split(" (")[0] in text:
            ctx.say(f"{t.where}.medicationCodeableConcept", "info", f"agent {candidate!r} matched by name {text!r}")
            return candidate
    ctx.say(f"{t.where}.medication", "warning", f"medication not in the vocabulary ({text or 'no name'}); left out")
    return None


def _therapy(t: Any, ctx: Any) -> None:
    for key in ("status", "intent", "subject", "reasonReference", "reasonCode", "reportedBoolean", "category"):
        t.get(key)
    t.ext(MCODE_PROCEDURE_INTENT)
    agent = _agent(t, ctx)
    group = (t.get("groupIdentifier") or {}).get("value") if (t.resource.get("groupIdentifier") or {}).get(
        "system") == NS_THERAPY else None
    bounds = {}
    dosages = t.get("dosageInstruction") or t.get("dosage") or []
    for dosage in dosages if isinstance(dosages, list) else [dosages]:
        bounds = ((dosage.get("timing") or {}).get("repeat") or {}).get("boundsPeriod") or bounds
        if set(dosage) - {"timing"} or set((dosage.get("timing") or {}).get("repeat") or {}) - {"boundsPeriod"}:
            ctx.say(f"{t.where}.dosage", "warning", "dose, route and schedule not imported (the case format "
                    "records agents and dates)")
    period = t.get("effectivePeriod") or bounds
    authored, effective = t.get("authoredOn"), t.get("effectiveDateTime")
    start = _date(period.get("start") or authored or effective, f"{t.where}.start", ctx)
    end = _date(period.get("end"), f"{t.where}.end", ctx)
    key = group or f"{start}|{end}|{_ext_value(t, 'line-of-therapy', 'valueInteger')}"
    ctx.therapies = getattr(ctx, "therapies", {})
    if key not in ctx.therapies:
        ctx.therapies[key] = {"agents": []}
        ctx.case.setdefault("therapies", []).append(ctx.therapies[key])
    therapy = ctx.therapies[key]
    if agent and agent not in therapy["agents"]:
        therapy["agents"].append(agent)
    if start:
        therapy["start"] = start
    if end:
        therapy["end"] = end
    setting = _ext_value(t, "treatment-setting", "valueCode")
    if setting:
        therapy["setting"] = setting
    line = _ext_value(t, "line-of-therapy", "valueInteger")
    if line is not None:
        therapy["line"] = line
    progression = _ext_value(t, "progression-date", "valueDate")
    if progression:
        therapy["progression_date"] = progression
    reason = t.get("statusReason")
    if isinstance(reason, list):      # MedicationStatement/Administration: statusReason is a list
        reason = reason[0] if reason else None
    stop = _token(ctx, ("stop_reason",), reason)
    if stop:
        therapy["stop_reason"] = stop
    elif reason:
        ctx.say(f"{t.where}.statusReason", "warning", "stop reason not recognised; left out")
    _case_fields(t, ctx, therapy)


# ------------------------------------------------------------------------------------------------ MDT

def _care_plan(t: Any, ctx: Any) -> None:
    if not any(e.get("url", "").startswith(EXT["mdt-decision"].rsplit("/", 1)[0]) for e in t.resource.get("extension") or []) \
            and t.resource.get("title") != "MDT decision":
        ctx.say(t.where, "warning", "CarePlan not recognised as an MDT decision; not imported")
        t.used.update(t.resource)
        t.used_extensions.update(e.get("url") for e in t.resource.get("extension") or [])
        return
    for key in ("status", "intent", "subject", "title", "addresses"):
        t.get(key)
    mdt = ctx.case.setdefault("mdt", {})
    created = _date(t.get("created"), f"{t.where}.created", ctx)
    if created:
        mdt["meeting_date"] = created
    for team_ref in t.get("careTeam") or []:
        found = ctx.resolve(team_ref)
        if found:
            ctx.care_teams = {*getattr(ctx, "care_teams", set()), found[0]}
            mdt["attendees"] = [{"name": (p.get("member") or {}).get("display", ""),
                                 "role": _token(ctx, ("attendee_role",), (p.get("role") or [{}])[0]) or "other"}
                                for p in found[1].get("participant") or []]
    if t.ext(EXT["mdt-decision"]):
        decision = mdt.setdefault("decision", {})
        systemic, local = [], []
        for activity in t.get("activity") or []:
            detail = activity.get("detail") or {}
            token = _token(ctx, ("agent",), detail.get("code"))
            action = _token(ctx, ("local_action",), detail.get("code"))
            if token:
                systemic.append(token)
            elif action:
                local.append(action)
            else:
                ctx.say(f"{t.where}.activity", "warning", "planned activity not in the vocabulary; left out")
        decision["systemic"], decision["local"] = systemic, local
        for name, key, value_key in (("follows-guideline", "follows_guideline", "valueBoolean"),
                                     ("deviation-reason", "deviation_reason", "valueString"),
                                     ("next-assessment-date", "next_assessment_date", "valueDate")):
            value = _ext_value(t, name, value_key)
            if value is not None:
                decision[key] = value
        notes = [n.get("text") for n in t.get("note") or [] if n.get("text")]
        if notes:
            decision["notes"] = "\n".join(notes)
    _case_fields(t, ctx, mdt)


# ------------------------------------------------------------------------------------------------ dispatch

def map_entries(entries: list[tuple[str, dict[str, Any]]], ctx: Any, tracker: type) -> None:
    patients = [e for e in entries if e[1]["resourceType"] == "Patient"]
    if not patients:
        ctx.say("Bundle", "error", "no Patient in the bundle")
    for where, _ in patients[1:]:
        ctx.say(where, "error", "a second Patient: a bundle must describe one patient; this one is not imported")
    order = {"Patient": 0, "Condition": 1, "Specimen": 2}
    deferred_teams = []
    for where, resource in sorted(entries, key=lambda e: order.get(e[1]["resourceType"], 3)):
        kind = resource["resourceType"]
        t = tracker(where, resource)
        if kind == "Patient":
            if patients and resource is patients[0][1]:
                _patient(t, ctx)
            else:
                continue
        elif kind == "Condition":
            if _not_real(t, ctx):
                pass
            elif _is_secondary(ctx, resource):
                _secondary(t, ctx)
            elif _is_breast_primary(ctx, resource):
                _primary(t, ctx)
            else:
                ctx.say(where, "warning", "condition is neither the breast cancer nor a metastasis; not imported")
                continue
        elif kind == "Specimen":
            keys = [where] + [k for k, v in ctx.by_ref.items() if v[1] is resource]
            _specimen(t, ctx, keys)
            # specimens are keyed by where; observations resolve references to (where, resource)
        elif kind == "Observation":
            _observation(t, ctx)
        elif kind in MEDICATION_TYPES:
            _therapy(t, ctx)
        elif kind == "CarePlan":
            _care_plan(t, ctx)
        elif kind == "CareTeam":
            deferred_teams.append((where, resource))
            continue
        elif kind in ("GuidanceResponse", "RequestGroup", "Provenance"):
            ctx.say(where, "info", "evaluation output: not imported, recomputed from the imported case")
            continue
        else:
            ctx.say(where, "warning", f"{kind} is not mapped to the case format; not imported")
            continue
        t.report(ctx)
    for where, _ in deferred_teams:
        if where not in getattr(ctx, "care_teams", set()):
            ctx.say(where, "warning", "CareTeam not referenced by an MDT decision; not imported")


def infer_missing(ctx: Any) -> None:
    """Fill what the case format requires but another system's bundle may lack, saying so each time."""
    case = ctx.case
    onsets = sorted(getattr(ctx, "onsets", []))
    if "metastatic_diagnosis_date" not in case and onsets:
        case["metastatic_diagnosis_date"] = onsets[0]
        ctx.say("metastatic_diagnosis_date", "info", f"taken from the earliest metastasis onset ({onsets[0]})")
    if "presentation" not in case:
        primary, metastatic = case.get("primary_diagnosis_date"), case.get("metastatic_diagnosis_date")
        if primary and metastatic:
            from datetime import date

            days = (date.fromisoformat(metastatic) - date.fromisoformat(primary)).days
            case["presentation"] = "de_novo_stage_iv" if days <= 90 else "recurrent_metastatic"
            ctx.say("presentation", "warning", f"not in the bundle; inferred {case['presentation']!r} "
                    f"(metastases {days} days after the primary diagnosis) — check, or pass --presentation")
        else:
            ctx.say("presentation", "error", "not in the bundle and not inferable; pass --presentation")
    for i, item in enumerate(case.get("pathology", [])):
        if "specimen" not in item:
            item["specimen"] = "primary"
            ctx.say(f"pathology[{i}].specimen", "warning", "specimen kind not given; recorded as 'primary' — check")
    therapies = case.get("therapies", [])
    for i in [i for i, t in enumerate(therapies) if not t.get("agents")][::-1]:
        ctx.say(f"therapies[{i}]", "warning", f"therapy from {therapies[i].get('start')} has no agent the case "
                "format knows; not imported")
        del therapies[i]
    for i in [i for i, t in enumerate(therapies) if not t.get("start")][::-1]:
        ctx.say(f"therapies[{i}]", "warning", f"{', '.join(therapies[i]['agents'])}: no start date; not imported")
        del therapies[i]
    _infer_settings(ctx)


def _infer_settings(ctx: Any) -> None:
    case = ctx.case
    metastatic = case.get("metastatic_diagnosis_date")
    advanced = []
    for i, therapy in enumerate(case.get("therapies", [])):
        if "setting" in therapy:
            continue
        start = therapy.get("start")
        if metastatic and start and start >= metastatic:
            therapy["setting"] = "advanced"
            advanced.append(therapy)
        else:
            therapy["setting"] = "adjuvant"
            ctx.say(f"therapies[{i}].setting", "warning", "not in the bundle; 'adjuvant' inferred (started before the "
                    "metastatic diagnosis; could be neoadjuvant) — check")
    used = {t.get("line") for t in case.get("therapies", []) if t.get("setting") == "advanced"}
    line = 0
    for therapy in sorted(advanced, key=lambda t: t.get("start", "")):
        if therapy.get("line") is None:
            line += 1
            while line in used:
                line += 1
            therapy["line"] = line
            used.add(line)
            ctx.say("therapies", "warning", f"{', '.join(therapy['agents']) or 'therapy'} from {therapy.get('start')}: "
                    f"setting 'advanced', line {line} inferred from the start dates — check")
