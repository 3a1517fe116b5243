"""The case version hash: a SHA-256 of the case's canonical JSON.

Why: the report prints it, the signature binds it, and the GUI compares it to refuse signing a preview
of a case that has changed since. Canonical means sorted keys and unset optional fields left out, so
re-saving an unchanged case (or reordering its keys) keeps the same hash while any change of content
changes it. It is computed exactly as the case store computes a version's `sha256`
(`json.dumps(..., sort_keys=True, ensure_ascii=False)`), so the hash on a signed PDF names the stored
version it was made from.
"""

from __future__ import annotations

import hashlib
import json

from guideline_db.case_model import Case


def canonical_case_json(case: Case) -> str:
    data = case.model_dump(mode="json", exclude_none=True)
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def case_version_hash(case: Case) -> str:
    """64 hex digits identifying this exact version of the case."""
    return hashlib.sha256(canonical_case_json(case).encode("utf-8")).hexdigest()
