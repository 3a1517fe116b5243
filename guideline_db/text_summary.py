"""A readable terminal rendering of an evaluation (`abc-mdt evaluate --format text`): the digest, whole."""

from __future__ import annotations

from guideline_db.case_model import Case
from guideline_db.digest import digest
from guideline_db.engine.result import Evaluation


def render_text(evaluation: Evaluation, lang: str = "zh", case: Case | None = None) -> str:
    """Every section of the digest; the terminal leaves nothing out (the board's record is the PDF's)."""
    if case is None:
        raise ValueError("render_text needs the case the evaluation was computed from")
    d = digest(evaluation, case, lang)
    out = [d.title, d.summary]
    for section in d.sections:
        out += ["", f"## {section.title}"]
        if not section.items:
            out.append("  " + ("（无）" if lang == "zh" else "(none)"))
        for item in section.items:
            head = " ".join(p for p in (item.marker, item.text) if p)
            out.append(f"  - {head}" + (f"  [{item.basis}]" if item.basis else ""))
            out += [f"  {line}" for line in item.details]
    return "\n".join(out) + "\n"
