"""The digest the GUI's views render (guideline_db.digest), computed once per evaluation and language.

Why a one-slot memo: the live panel and the status bar both render the digest of the same evaluation
after every keystroke; the second asks for what the first has just made.
"""

from __future__ import annotations

from typing import Any

_last: tuple[Any, Any, str, Any] | None = None


def digest_of(evaluation: Any, case: Any = None, lang: str = "zh") -> Any:
    """`guideline_db.digest.digest(evaluation, case, lang)`, reused while the three are the same objects."""
    global _last
    from guideline_db.digest import digest

    if _last is not None and _last[0] is evaluation and _last[1] is case and _last[2] == lang:
        return _last[3]
    result = digest(evaluation, case, lang)
    _last = (evaluation, case, lang, result)
    return result
