"""Reading case files: every problem becomes one located, human-readable message, never a traceback.

Why a separate module: the CLI, the GUI's import and the case store all read case JSON, and all must
report bad input the same way (`field.path: message`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from guideline_db.case_model import Case, token_problems

MAX_CASE_BYTES = 5 * 1024 * 1024


class CaseFileError(Exception):
    """A case file that cannot be used; `problems` holds one 'path: message' line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def field_path(loc: tuple[Any, ...]) -> str:
    """('therapies', 2, 'end') → 'therapies[2].end'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path or "(case)"


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown key (not part of the case format; check the spelling)"
    if kind == "missing":
        return "required field is missing"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{error.get('input')!r} is not allowed; expected one of {expected}"
    if kind in ("string_pattern_mismatch",) and error["loc"][-1:] == ("case_id",):
        return "case_id may contain only letters, digits, '.', '_' and '-' (1-64 characters)"
    return error["msg"]


def validation_problems(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(part for part in item["loc"] if not (isinstance(part, str) and part.startswith("function-")))
        problems.append(f"{field_path(loc)}: {_message(item)}")
    return list(dict.fromkeys(problems))


def parse_case(data: Any) -> Case:
    """Validate already-decoded JSON; raises CaseFileError with located messages."""
    if not isinstance(data, dict):
        raise CaseFileError([f"(case): the file must hold one JSON object, found {type(data).__name__}"])
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(exc)
        located = {p.split(":", 1)[0] for p in problems}
        # Structural errors stop pydantic before the cross-field rules; token typos are still reported.
        problems += [f"{path}: {message}" for loc, message, _ in token_problems(data)
                     if (path := field_path(loc)) not in located]
        raise CaseFileError(problems) from None


def parse_case_text(text: str) -> Case:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaseFileError([f"(file): not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]) from None
    except RecursionError:
        raise CaseFileError(["(file): JSON nested too deeply"]) from None
    return parse_case(data)


def load_case(path: Path) -> Case:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CaseFileError([f"(file): cannot read {path}: {exc.strerror}"]) from None
    if size > MAX_CASE_BYTES:
        raise CaseFileError([f"(file): {path} is {size} bytes; a case file is at most {MAX_CASE_BYTES} bytes"])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaseFileError([f"(file): not UTF-8 text (byte {exc.start})"]) from None
    except OSError as exc:
        raise CaseFileError([f"(file): cannot read {path}: {exc.strerror}"]) from None
    return parse_case_text(text)


def case_to_json(case: Case) -> str:
    """The case as the format's JSON (unset optional fields left out)."""
    return json.dumps(case.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=2)


def canonical_json(data: dict[str, Any]) -> str:
    """The stored, hashed form of case data: sorted keys, so equal content gives an equal hash."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def canonical_case_json(case: Case) -> str:
    """Unset optional fields left out: re-saving or reordering an unchanged case keeps its hash."""
    return canonical_json(case.model_dump(mode="json", exclude_none=True))


def case_version_hash(case: Case) -> str:
    """SHA-256 of the canonical JSON: the store's version hash, printed on and bound into signed reports."""
    return hashlib.sha256(canonical_case_json(case).encode("utf-8")).hexdigest()
