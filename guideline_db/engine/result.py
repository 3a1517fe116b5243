"""The evaluation: one frozen object rendered three ways (screen, JSON, PDF).

`to_dict()` is the public JSON contract of spec/evaluation-output.md (plus optional extra fields);
`summary()` is the one-paragraph answer shown in a terminal or a status bar.
"""

from __future__ import annotations

from guideline_db.engine.model import (  # noqa: F401 - re-exported for the views
    Evaluation,
    LocalItem,
    WithheldOption,
    option_dict,
    tier_names,
)

