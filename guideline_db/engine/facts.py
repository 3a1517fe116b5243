"""A derived fact: its value plus the rule and the inputs that produced it.

Every fact the board sees carries a one-sentence explanation in both languages naming the rule
(with its guideline section) and the dates or values it used, so nothing on screen is unexplained.
"""

from __future__ import annotations

from guideline_db.engine.model import Fact

__all__ = ["Fact"]
