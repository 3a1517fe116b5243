"""Evaluation work grows linearly with the treatment history (issue 10, item 8).

No timing: the test counts vocabulary look-ups (the engine's unit of work on a therapy) for a history
and for one four times as long. Linear work gives a ratio near 4; the former pairwise concurrency
check gave 16.
"""

from __future__ import annotations

import pytest
from builders import build
from scaling_cases import many_therapies

from guideline_db.engine import evaluate
from guideline_db.vocabulary import Vocabulary


def _lookups(count: int, monkeypatch: pytest.MonkeyPatch) -> int:
    case = build(many_therapies(count))
    calls = 0
    original = Vocabulary.in_class

    def counted(self, token, class_token):
        nonlocal calls
        calls += 1
        return original(self, token, class_token)

    with monkeypatch.context() as patch:
        patch.setattr(Vocabulary, "in_class", counted)
        evaluate(case)
    return calls


def test_vocabulary_lookups_grow_linearly_with_the_number_of_therapies(monkeypatch) -> None:
    small, large = _lookups(500, monkeypatch), _lookups(2000, monkeypatch)
    assert large / small < 5, f"500 therapies: {small} look-ups; 2000: {large} (quadratic would be ~16x)"


def test_concurrent_chemotherapy_and_endocrine_therapy_is_still_found_in_a_long_history() -> None:
    evaluation = evaluate(build(many_therapies(400)))
    warning = next(w for w in evaluation.warnings if w.key == "concurrent_chemo_endocrine")
    assert "therapy 1 (adjuvant: Letrozole, from 1990-02-01)" in warning.text_en
    assert "more" in warning.text_en and "therapies[" not in warning.text_en
    assert "治疗第1项" in warning.text_zh
