"""Reading case files: every problem becomes one located, human-readable message, never a traceback.

Why a separate module: the CLI, the GUI's import, the case store and the FHIR import all read case
JSON, and all must apply the same reading rules (`spec/case-format.md`, "Reading a file") and report
bad input the same way (`field.path: message`).

The one reader, `read_case_file()`: it opens the path once, refuses anything that is not a regular
file (a FIFO, `/dev/zero` behind a symlink, a directory) before reading a byte, reads at most
`MAX_CASE_BYTES` + 1 bytes whatever `st_size` says, and hashes exactly the bytes it parsed, so the
hash recorded in the audit log is the hash of the content that was stored. The JSON decoder is strict:
duplicate keys, `NaN`/`Infinity`, numbers of more than 30 digits or not finite are errors with their
field path, never silently resolved. `text_problems()` then checks every string (control and
bidirectional-override characters, lone surrogates, length caps), also for data that did not come
from a file (the GUI form, FHIR), because `parse_case()` runs it too. A message quotes at most
`QUOTE_LIMIT` characters of any value.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from guideline_db.case_model import Case, token_problems

MAX_CASE_BYTES = 5 * 1024 * 1024
MAX_NUMBER_DIGITS = 30
MAX_FREE_TEXT = 10_000
QUOTE_LIMIT = 80
# Field names whose strings are free text: line feed and tab allowed, at most MAX_FREE_TEXT characters
# (names at most 200, hospital IDs at most 64; see case-format.md).
FREE_TEXT_FIELDS = frozenset({"notes", "site", "deviation_reason", "name", "pdl1_assay"})
LENGTH_CAPS = {"name": 200, "hospital_id": 64}
BIDI_OVERRIDES = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_READ_BLOCK = 1 << 16


class CaseFileError(Exception):
    """A case file that cannot be used; `problems` holds one 'path: message' line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class CaseRead:
    """A case read from a file: the validated case and the SHA-256 and size of the bytes parsed."""

    case: Case
    sha256: str
    size: int


def clip(value: object, limit: int = QUOTE_LIMIT) -> str:
    """`value` as text of at most `limit` characters (a message never echoes a 1 MB value back)."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """repr() of a value, clipped: for messages that quote what the file said."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


def field_path(loc: tuple[Any, ...]) -> str:
    """('therapies', 2, 'end') → 'therapies[2].end'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + clip(str(part), 64)
    return path or "(case)"


# ----------------------------------------------------------------------------- strict JSON


class _Refused:
    """A JSON value the strict decoder refuses; kept in place so the walk can name its field path."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


class _Object(dict):
    """A decoded JSON object that remembers the keys given more than once."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        obj.duplicates = tuple(dict.fromkeys(key for key, _ in pairs if key in seen or seen.add(key)))
    return obj


def _digits(text: str) -> int:
    mantissa = text.lower().split("e")[0]
    return sum(char.isdigit() for char in mantissa)


def _int(text: str) -> int | _Refused:
    if _digits(text) > MAX_NUMBER_DIGITS:
        return _Refused(f"number with {_digits(text)} digits (at most {MAX_NUMBER_DIGITS})")
    return int(text)


def _float(text: str) -> float | _Refused:
    if _digits(text) > MAX_NUMBER_DIGITS:
        return _Refused(f"number with {_digits(text)} digits (at most {MAX_NUMBER_DIGITS})")
    value = float(text)
    if not math.isfinite(value):
        return _Refused(f"number {clip(text)} is not finite")
    return value


def _constant(name: str) -> _Refused:
    return _Refused(f"{name} is not a JSON number (NaN and Infinity are refused)")


_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_int=_int, parse_float=_float,
                            parse_constant=_constant, strict=True)


def decode_json(text: str) -> Any:
    """Strict JSON → Python, with refused values left as markers for `text_problems()`."""
    try:
        data, end = _DECODER.raw_decode(text, _skip_space(text, 0))
    except json.JSONDecodeError as exc:
        raise CaseFileError([f"(file): not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]) from None
    except RecursionError:
        raise CaseFileError(["(file): JSON nested too deeply"]) from None
    if _skip_space(text, end) != len(text):
        line = text.count("\n", 0, end) + 1
        raise CaseFileError([f"(file): not valid JSON at line {line}: extra data after the JSON value"])
    return data


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\n\r":
        index += 1
    return index


# ----------------------------------------------------------------------------- string and value rules


def _string_problem(value: str, key: str | None, case_rules: bool = True) -> str | None:
    if not case_rules:  # any JSON document (a FHIR bundle): only what is never valid text
        for index, char in enumerate(value):
            if 0xD800 <= ord(char) <= 0xDFFF:
                return f"lone surrogate U+{ord(char):04X} at position {index + 1} (not valid Unicode)"
        return None
    free_text = key in FREE_TEXT_FIELDS
    cap = LENGTH_CAPS.get(key or "", MAX_FREE_TEXT)
    if len(value) > cap:
        return f"text of {len(value)} characters is too long (at most {cap})"
    for index, char in enumerate(value):
        code = ord(char)
        if code < 0x20 and not (free_text and char in "\n\t"):
            allowed = " (line feed and tab are allowed only in free text)" if char in "\n\t" else ""
            return f"control character U+{code:04X} at position {index + 1}{allowed}"
        if 0xD800 <= code <= 0xDFFF:
            return f"lone surrogate U+{code:04X} at position {index + 1} (not valid Unicode)"
        if char in BIDI_OVERRIDES:
            return f"bidirectional override character U+{code:04X} at position {index + 1}"
    return None


def text_problems(data: Any, case_rules: bool = True) -> tuple[Any, list[tuple[tuple[str | int, ...], str]]]:
    """Check every key and value of decoded case data against the reading rules.

    `case_rules=False` checks any JSON document: duplicate keys, refused numbers, lone surrogates only.
    Returns the data as plain dicts and lists (refused values replaced by None) and (path, message)
    pairs. Iterative, so a deeply nested file cannot exhaust the stack here.
    """
    problems: list[tuple[tuple[str | int, ...], str]] = []
    root: list[Any] = [None]
    stack: list[tuple[Any, tuple[str | int, ...], list[Any] | dict[Any, Any], Any, str | None]] = [
        (data, (), root, 0, None)]
    while stack:
        value, loc, parent, slot, key = stack.pop()
        if isinstance(value, dict):
            for duplicate in getattr(value, "duplicates", ()):
                problems.append(((*loc, duplicate), "duplicate key (given more than once; nothing is assumed)"))
            copy: dict[str, Any] = {}
            parent[slot] = copy
            for name, item in value.items():
                if (problem := _string_problem(name, None, case_rules)) is not None:
                    problems.append((loc, f"key {quote(name)}: {problem}"))
                    continue
                copy[name] = None
                stack.append((item, (*loc, name), copy, name, name))
        elif isinstance(value, list):
            items: list[Any] = [None] * len(value)
            parent[slot] = items
            for index, item in enumerate(value):
                stack.append((item, (*loc, index), items, index, key))
        elif isinstance(value, _Refused):
            problems.append((loc, value.reason))
            parent[slot] = None
        elif isinstance(value, str):
            if (problem := _string_problem(value, key, case_rules)) is not None:
                problems.append((loc, problem))
            parent[slot] = value
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append((loc, f"number {value} is not finite"))
            parent[slot] = None
        elif isinstance(value, int) and not isinstance(value, bool) and len(str(abs(value))) > MAX_NUMBER_DIGITS:
            problems.append((loc, f"number with more than {MAX_NUMBER_DIGITS} digits"))
            parent[slot] = None
        else:
            parent[slot] = value
    problems.sort(key=lambda item: field_path(item[0]))
    return root[0], problems


# ----------------------------------------------------------------------------- validation


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown key (not part of the case format; check the spelling)"
    if kind == "missing":
        return "required field is missing"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{quote(error.get('input'))} is not allowed; expected one of {clip(expected, 400)}"
    if kind in ("string_pattern_mismatch",) and error["loc"][-1:] == ("case_id",):
        return "case_id may contain only letters, digits, '.', '_' and '-' (1-64 characters)"
    message = str(error["msg"])
    value = error.get("input")
    if isinstance(value, str) and len(value) > QUOTE_LIMIT and value in message:
        message = message.replace(value, clip(value))
    return clip(message, 400)


def validation_problems(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(part for part in item["loc"] if not (isinstance(part, str) and part.startswith("function-")))
        problems.append(f"{field_path(loc)}: {_message(item)}")
    return list(dict.fromkeys(problems))


def parse_case(data: Any) -> Case:
    """Validate decoded case data (a file, the GUI form, FHIR); raises CaseFileError with located messages."""
    if not isinstance(data, dict):
        raise CaseFileError([f"(case): the file must hold one JSON object, found {_json_type(data)}"])
    try:
        clean, text_issues = text_problems(data)
    except RecursionError:
        raise CaseFileError(["(case): nested too deeply"]) from None
    problems = [f"{field_path(loc)}: {message}" for loc, message in text_issues]
    reported = {line.split(":", 1)[0] for line in problems}
    try:
        case = Case.model_validate(clean)
    except ValidationError as exc:
        located = [p for p in validation_problems(exc) if not _under(p.split(":", 1)[0], reported)]
        problems += located
        reported |= {p.split(":", 1)[0] for p in located}
        # Structural errors stop pydantic before the cross-field rules; token typos are still reported.
        problems += [f"{path}: {clip(message, 400)}" for loc, message, _ in token_problems(clean)
                     if (path := field_path(loc)) not in reported]
        raise CaseFileError(list(dict.fromkeys(problems))) from None
    except RecursionError:
        raise CaseFileError(["(case): nested too deeply"]) from None
    if problems:
        raise CaseFileError(problems)
    return case


def _under(path: str, reported: set[str]) -> bool:
    return any(path == p or path.startswith((p + ".", p + "[")) for p in reported)


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number")


def parse_case_text(text: str) -> Case:
    """Case JSON text (the editor, a pasted file) → Case, with the strict reading rules."""
    if not isinstance(text, str):
        raise CaseFileError(["(file): expected text"])
    if text.startswith("\ufeff"):
        text = text[1:]
    return parse_case(decode_json(text))


def parse_case_bytes(raw: bytes) -> Case:
    """UTF-8 case JSON (a leading BOM accepted) → Case."""
    if len(raw) > MAX_CASE_BYTES:
        raise CaseFileError([f"(file): more than {MAX_CASE_BYTES} bytes; a case file is at most {MAX_CASE_BYTES}"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaseFileError([f"(file): not UTF-8 text (invalid byte at offset {exc.start})"]) from None
    return parse_case_text(text)


def read_bounded(path: Path, limit: int = MAX_CASE_BYTES, *, truncate: bool = False) -> tuple[bytes, str]:
    """The bytes of the regular file `path` (at most `limit`) and their SHA-256, read once.

    A file larger than `limit` is an error, or with `truncate=True` its first `limit` bytes. Use this for
    every file that enters (PDFs, certificates, passphrase files, FHIR bundles), not only case files.

    The file is opened non-blocking (a FIFO cannot hang the open) and checked with fstat on the open
    descriptor (so a symlink swapped afterwards changes nothing); the size bound applies while
    reading, because /dev/zero, /proc files and growing files do not tell the truth in st_size.
    """
    where = clip(str(path), 200)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        try:   # a device or pipe the user may not open (e.g. /dev/zero at mode 0600) is still named as such
            mode = os.stat(path).st_mode
        except OSError:
            mode = stat.S_IFREG
        if not stat.S_ISREG(mode):
            raise CaseFileError([f"(file): {where} is not a regular file ({_file_kind(mode)}); "
                                 "give the path of a case JSON file"]) from None
        raise CaseFileError([f"(file): cannot read {where}: {exc.strerror or exc}"]) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise CaseFileError([f"(file): {where} is not a regular file ({_file_kind(mode)}); "
                                 "give the path of a case JSON file"])
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        digest = hashlib.sha256()
        chunks: list[bytes] = []
        total = 0
        wanted = limit if truncate else limit + 1  # one byte more than allowed tells "too large"
        while total < wanted:
            chunk = os.read(fd, min(_READ_BLOCK, wanted - total))
            if not chunk:
                break
            chunks.append(chunk)
            digest.update(chunk)
            total += len(chunk)
        if total > limit:
            raise CaseFileError([f"(file): {where} is larger than {limit} bytes; a case file is at most {limit}"])
    except OSError as exc:
        raise CaseFileError([f"(file): cannot read {where}: {exc.strerror or exc}"]) from None
    finally:
        os.close(fd)
    return b"".join(chunks), digest.hexdigest()


def _file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a pipe"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a file"


def read_case_file(path: Path | str) -> CaseRead:
    """The one reader for every case file that enters: read once, hashed as read, strictly validated."""
    raw, sha256 = read_bounded(Path(path))
    return CaseRead(parse_case_bytes(raw), sha256, len(raw))


def read_json_file(path: Path | str, limit: int = MAX_CASE_BYTES) -> tuple[Any, str]:
    """Any JSON file that enters (a FHIR bundle): the same bounded, hashed, strict read as a case file.

    Returns (plain decoded data, SHA-256 of the bytes read); raises CaseFileError with located messages
    for duplicate keys, NaN/Infinity, over-long or non-finite numbers and lone surrogates.
    """
    raw, sha256 = read_bounded(Path(path), limit)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaseFileError([f"(file): not UTF-8 text (invalid byte at offset {exc.start})"]) from None
    try:
        data, problems = text_problems(decode_json(text), case_rules=False)
    except RecursionError:
        raise CaseFileError(["(file): JSON nested too deeply"]) from None
    if problems:
        raise CaseFileError([f"{field_path(loc)}: {message}" for loc, message in problems])
    return data, sha256


def load_case(path: Path | str) -> Case:
    return read_case_file(path).case


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
