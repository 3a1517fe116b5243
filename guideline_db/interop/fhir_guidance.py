"""The evaluation in a bundle: GuidanceResponse (what the decision support said), RequestGroup (its
recommendations: tier, evidence, source table, trials) and Provenance (guideline edition, database
SHA-256, case hash, software version).

Why these three: GuidanceResponse is FHIR's record of a decision-support result; RequestGroup holds the
proposed actions; Provenance is where a receiving system looks for "computed from what". mCODE has no
profile for any of them, so none is claimed. Import ignores them on purpose (the evaluation is always
recomputed from the imported case) and says so.
"""

from __future__ import annotations

from typing import Any

from guideline_db import __version__
from guideline_db.interop.codes import PROJECT_BASE
from guideline_db.interop.fhir_common import EXT, NS_CASE_SHA256, NS_DB_SHA256, project_coding, ref


def _citation(title: str, source: dict[str, Any]) -> str:
    parts = [f"Table {source['table']}" if source.get("table") else "",
             f"section {source['section']}" if source.get("section") else "",
             f"row {source['row']}" if source.get("row") else ""]
    return f"{title}: " + ", ".join(p for p in parts if p)


def _option_action(option: dict[str, Any], title: str) -> dict[str, Any]:
    code = [{"coding": [project_coding("option", option["id"])]},
            {"coding": [project_coding("tier", option["tier"])]}]
    if option.get("evidence"):
        code.append({"coding": [project_coding("evidence_level", option["evidence"])]})
    details = [{"url": "component", "valueCode": c} for c in option.get("components", [])]
    details += [{"url": "requires", "valueCode": r} for r in option.get("requires", []) or []]
    if option.get("requirement_status"):
        details.append({"url": "requirement-status", "valueCode": option["requirement_status"]})
    if option.get("approval_note"):
        details.append({"url": "approval-note", "valueString": option["approval_note"]})
    documentation = [{"type": "citation", "label": "source", "citation": _citation(title, option.get("source", {}))}]
    documentation += [{"type": "citation", "label": "trial", "citation": trial} for trial in option.get("trials", [])]
    action = {"title": option.get("label_en") or option["id"], "description": option.get("label_zh") or "",
              "code": code, "documentation": documentation}
    if details:
        action["extension"] = [{"url": EXT["recommendation"], "extension": details}]
    return action


def _local_action(item: dict[str, Any], title: str) -> dict[str, Any]:
    return {"title": f"Local treatment: {item['site']}", "code": [{"coding": [project_coding("local_site", item["site"])]}],
            "description": "; ".join(item.get("reasons", [])),
            "documentation": [{"type": "citation", "label": "source", "citation": _citation(title, item.get("source", {}))}],
            "action": [{"code": [{"coding": [project_coding("local_action", a)]}]} for a in item.get("actions", [])]}


def add_guidance(b: Any, evaluation: dict[str, Any], timestamp: str, case_sha256: str) -> None:
    guideline = evaluation.get("guideline", {})
    title = guideline.get("title", "")
    edition = guideline.get("edition", "")
    actions = [_option_action(o, title) for o in evaluation.get("systemic", [])]
    for option in evaluation.get("withheld", []):   # listed for the situation but not for this patient now
        action = _option_action(option, title)
        action["title"] = f"Withheld: {action['title']}"
        reason = [{"url": "withheld", "valueCode": option.get("reason_code") or "other"}]
        if option.get("reason_en") or option.get("reason_zh"):
            reason.append({"url": "withheld-reason", "valueString": option.get("reason_en") or option.get("reason_zh")})
        extension = action.setdefault("extension", [{"url": EXT["recommendation"], "extension": []}])
        extension[0]["extension"] += reason
        actions.append(action)
    actions += [_local_action(item, title) for item in evaluation.get("local", [])]
    group = b.new("RequestGroup", "evaluation/recommendations", None, status="active", intent="proposal",
                  subject=ref(b.patient))
    if actions:
        group["action"] = actions
    response = b.new("GuidanceResponse", "evaluation/response", None,
                     moduleUri=f"{PROJECT_BASE}/guideline/{edition or 'unknown'}", status="success",
                     subject=ref(b.patient), occurrenceDateTime=timestamp, reasonReference=[ref(b.primary)],
                     result=ref(group),
                     note=[{"text": f"{title} (edition {edition}); guideline database SHA-256 "
                                    f"{guideline.get('db_sha256', '')}; computed by abc-mdt {__version__}. "
                                    "Decision support for the tumour board; it never decides."},
                           *({"text": f"Warning ({w.get('code')}): {w.get('text_en') or w.get('text_zh')}"}
                             for w in evaluation.get("warnings", [])),
                           *({"text": f"Missing data: {m.get('field')}: {m.get('why_en') or m.get('why_zh')}"}
                             for m in evaluation.get("missing_data", []))])
    entities = [{"role": "source", "what": {"identifier": {"system": NS_DB_SHA256, "value": guideline.get("db_sha256", "")},
                                            "display": f"{title} ({edition})"}}]
    entities.append({"role": "source", "what": {"identifier": {"system": NS_CASE_SHA256, "value": case_sha256},
                                                "display": "the case version the evaluation was computed from"}})
    b.new("Provenance", "evaluation/provenance", None, target=[ref(response), ref(group)], recorded=timestamp,
          agent=[{"who": {"display": f"abc-mdt {__version__}"}}], entity=entities)
