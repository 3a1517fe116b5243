"""The molecular subtype shown in the case list, from the guideline engine (never recomputed here).

Why a cache: the subtype depends only on the clinical content, not on the case ID or the patient's
name and hospital ID, so bulk imports of similar cases and repeated saves of one case evaluate once.
Why the fallback: the subtype is a search aid; a broken guideline database must not stop a clinician
from saving a record, so an engine failure is logged and the case is listed as 'unknown'.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict

from guideline_db.case_model import Case

_CACHE_SIZE = 1024
_cache: OrderedDict[str, str] = OrderedDict()
_cache_lock = threading.Lock()
_log = logging.getLogger(__name__)


def _clinical_key(case: Case) -> str:
    data = case.model_dump(mode="json", exclude_none=True)
    data.pop("case_id", None)
    data["patient"].pop("name", None)
    data["patient"].pop("hospital_id", None)
    return json.dumps(data, sort_keys=True)


def remember(case: Case, subtype: str) -> None:
    """The caller already has the subtype (the GUI's evaluation of this very case): the list column takes it
    and the engine is not run again on save."""
    with _cache_lock:
        _cache[_clinical_key(case)] = str(subtype)
        _cache.move_to_end(_clinical_key(case))
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)


def subtype_of(case: Case) -> str:
    key = _clinical_key(case)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    try:
        from guideline_db.engine import evaluate  # lazily: listing and exporting never load the engine

        subtype = str(evaluate(case).value("subtype"))
    except Exception:  # noqa: BLE001 - see the module docstring
        _log.exception("guideline engine failed while listing case %s; subtype shown as unknown", case.case_id)
        return "unknown"
    with _cache_lock:
        _cache[key] = subtype
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return subtype
