"""The review step: every line opens its basis (keyboard, click, F3), the basis cites the guideline."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.qt import QDialog, Qt
from guideline_db.digest import SectionKey


@pytest.fixture
def demo(window: Any) -> Any:
    from desktop_app.main import load_demo_case

    window.editor.load_case(load_demo_case(), stored=False)
    window.editor.go_to(6)
    return window


def test_keyboard_opens_the_basis_of_a_line(qtbot: Any, demo: Any) -> None:
    review = demo.editor.review
    review.current_key = None
    review.details.clear()
    review.view.setFocus()
    qtbot.keyClick(review.view, Qt.Key.Key_Tab)          # to the first link: the gravest warning
    qtbot.keyClick(review.view, Qt.Key.Key_Return)
    first = review.digest.section(SectionKey.WARNINGS).items[0]
    assert review.current_key == "warnings:0"
    assert first.text in review.details.toPlainText()
    qtbot.keyClick(demo, Qt.Key.Key_F3)
    dialog = demo.findChild(QDialog, "basis_dialog")
    assert dialog is not None and dialog.isVisible()
    dialog.close()


def test_option_basis_shows_tier_evidence_trials_and_principles(demo: Any) -> None:
    review = demo.editor.review
    option = demo.editor.evaluation.systemic[0]
    review.select(f"option:{option.id}")
    text = review.details.toPlainText()
    assert option.label_en in text
    assert "Expert endorsement" in text                    # tier definition (Table 2)
    assert option.evidence and f"{option.evidence} — Evidence" in text   # evidence definition (Table 1)
    assert f"Table {option.table}" in text
    assert all(trial in text for trial in option.trials)
    assert "PFS" in text                                  # key figures of the trials
    assert "Principles of this chapter" in text
    assert "Population rule applied" in text               # ovarian suppression added for a premenopausal woman


def test_every_line_kind_has_a_basis(demo: Any) -> None:
    review = demo.editor.review
    kinds = {}
    for key, line in review.lines.items():
        kinds.setdefault(line.kind, key)
    assert {"fact", "tier", "option", "local", "advisory"} <= set(kinds)
    for key in kinds.values():
        review.select(key)
        assert review.details.toPlainText().strip(), key


def test_untested_biomarker_is_prompted_not_hidden(demo: Any) -> None:
    review = demo.editor.review
    untested = [o for o in demo.editor.evaluation.systemic if o.unknown_biomarkers]
    assert untested                                       # the demo has PIK3CA not tested
    assert "to test: PIK3CA" in review.view.toPlainText()      # the digest's words
    pik3ca = demo.editor.page("biomarkers").group.rows["biomarkers.pik3ca"]
    assert not pik3ca.info.isHidden() and "PIK3CA" in pik3ca.info.text()


def test_invalid_case_lists_what_to_fix_with_the_step(qtbot: Any, demo: Any) -> None:
    editor = demo.editor
    editor.page("pathology").model.set_value(1, "er_percent", "120")
    qtbot.waitUntil(lambda: not editor.timer.isActive(), timeout=2000)
    review = editor.review
    assert editor.evaluation is None and review.lines == {}
    assert "3 · Pathology — Row 2 · ER %: must be at most 100" in review.view.toPlainText()
    assert "Showing the last valid evaluation" in editor.live.status.text()
    review._jump(type("Url", (), {"toString": lambda self: "step:2"})())
    assert editor.current_step() == 2


def test_tab_reaches_the_first_option_after_the_warnings_not_the_derived_facts(qtbot: Any, demo: Any) -> None:
    """Issue 13: 18 Tab stops through the derived facts before the first option; now the warnings (gravest
    first) and the tier heading come before it, the facts after the options."""
    review = demo.editor.review
    warnings = len(review.digest.section(SectionKey.WARNINGS).items)
    review.current_key = None
    review.view.setFocus()
    review.view.moveCursor(review.view.textCursor().MoveOperation.Start)
    keys = []
    for _ in range(warnings + 2):
        qtbot.keyClick(review.view, Qt.Key.Key_Tab)
        keys.append(review.view.textCursor().charFormat().anchorHref())
    assert keys[warnings] == "tier:preferred"
    assert keys[warnings + 1] == f"option:{demo.editor.evaluation.systemic[0].id}"
    text = review.view.toPlainText()
    assert text.index("Systemic options") < text.index("Derived facts")


def test_why_not_answers_cite_sections_in_the_readers_language(demo: Any) -> None:
    review = demo.editor.review
    review.why_input.setText("T-DXd")
    rows = review.ask_why_not()
    assert rows
    text = review.why_result.text()
    assert "Table 8, section 5.2.1" in text and "五（二）" not in text
