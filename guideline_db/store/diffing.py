"""Which fields changed between two versions of a case, as a short list of field paths.

Why paths rather than a full diff: the history list shows "what was edited" at a glance
(`patient.kps`, `therapies[1].end`); the full content of every version is kept anyway.
"""

from __future__ import annotations

from typing import Any

MAX_PATHS = 20


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _walk(old: Any, new: Any, path: str, out: list[str]) -> None:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            _walk(old.get(key), new.get(key), _join(path, key), out)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            _walk(a, b, _join(path, index), out)
    else:
        # A list that grew or shrank is reported as the list itself: element-wise paths would be noise.
        out.append(path or "(case)")


def changed_paths(old: dict[str, Any] | None, new: dict[str, Any], limit: int = MAX_PATHS) -> tuple[str, ...]:
    """Field paths that differ (first version: none). Longer lists end with '... (+N more)'."""
    if old is None:
        return ()
    paths: list[str] = []
    _walk(old, new, "", paths)
    if len(paths) > limit:
        return (*paths[:limit], f"... (+{len(paths) - limit} more)")
    return tuple(paths)
