"""The whole flow as a user drives it, once per public vignette: enter the case through the wizard,
check the review shows what `abc-mdt evaluate` prints for the same file, record a decision with the
keyboard and the attendees table, save, reopen from the case list found by typing a search."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from tests.gui.conftest import vignette_paths
from tests.gui.driver import WizardDriver

pytestmark = pytest.mark.skipif(not vignette_paths(), reason="../shared/cases is not present beside this checkout")

PATIENT = {"name": "Test Patient {n}", "hospital_id": "H-{n}-77"}


def cli_evaluation(path: Path) -> dict[str, Any]:
    """What `abc-mdt evaluate CASE.json --lang en` prints (run in-process)."""
    from guideline_db.cli import main

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["evaluate", str(path), "--lang", "en"]) == 0
    return json.loads(out.getvalue())


def edit_attendee(qtbot: Any, page: Any, name: str, role_index: int) -> None:
    """Add an attendee and edit both cells in place, keyboard only."""
    from desktop_app.qt import QLineEdit, Qt
    from desktop_app.widgets.fields import ChoiceCombo

    qtbot.mouseClick(page.add_attendee, Qt.MouseButton.LeftButton)
    row = page.attendees.rowCount() - 1
    editor = next((w for w in page.attendee_view.findChildren(QLineEdit) if w.isVisible()), None)
    assert editor is not None, "the name cell did not open for editing"
    qtbot.keyClicks(editor, name)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)            # commit the name, move to the role cell
    view = page.attendee_view
    view.setCurrentIndex(page.attendees.index(row, 1))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    combo = next((w for w in view.findChildren(ChoiceCombo) if w.isVisible()), None)
    assert combo is not None, "the role cell did not open for editing"
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(role_index + 1):                   # +1: the empty entry comes first
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    assert page.attendees.value(row, "name") == name


@pytest.mark.parametrize("path", vignette_paths(), ids=lambda p: p.stem)
def test_vignette_through_the_wizard(qtbot: Any, window: Any, store: Any, path: Path) -> None:
    from desktop_app import labels
    from desktop_app.qt import Qt
    from guideline_db.case_io import parse_case
    from guideline_db.vocabulary import load_vocabulary

    number = path.name[:2]
    vignette = json.loads(path.read_text(encoding="utf-8"))
    vignette["patient"].update({k: v.format(n=number) for k, v in PATIENT.items()})
    expected_case = parse_case(vignette)
    editor = window.editor
    driver = WizardDriver(qtbot, editor)
    driver.fill(vignette)
    qtbot.waitUntil(lambda: editor.case is not None and not editor.timer.isActive(), timeout=3000)
    assert editor.problems == []
    assert editor.case == expected_case

    # Review (Ctrl+7) shows what the CLI prints for the same file.
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert editor.current_step() == 6
    cli = cli_evaluation(path)
    review = editor.review
    for name, fact_label in review.displayed_facts.items():
        if name in cli["derived"]:
            assert fact_label == labels.fact_value(name, cli["derived"][name]), name
    for name in ("subtype", "her2_status", "advanced_line", "endocrine_status", "visceral_crisis"):
        assert f"{labels.fact_name(name)}: {labels.fact_value(name, cli['derived'][name])}" in review.view.toPlainText()
    shown_preferred = [label for tier, label in review.displayed_options if tier == "preferred"]
    assert shown_preferred == [o["label_en"] for o in cli["systemic"] if o["tier"] == "preferred"]
    assert [label for _tier, label in review.displayed_options] == [o["label_en"] for o in cli["systemic"]]
    # Open the basis of the first option with the keyboard-equivalent action (F3 opens it larger).
    first_option = next((k for k in review.lines if k.startswith("option:")), None)
    if first_option:
        review.select(first_option)
        assert review.details.toPlainText()

    # Decision (Ctrl+8): check the first option, name agents for its classes, attendees, dates.
    qtbot.keyClick(window, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    decision = editor.decision
    vocabulary = load_vocabulary()
    if cli["systemic"]:
        option = cli["systemic"][0]
        driver.check_item(decision.options, option["id"])
        agents = [c if c in vocabulary.agent_tokens else sorted(vocabulary.class_agents[c])[0]
                  for c in option["components"] if c in vocabulary.agent_tokens or vocabulary.class_agents.get(c)]
        missing = [a for a in dict.fromkeys(agents) if a not in decision.agents.value()]
        driver.add_agents(decision.agents, missing)
        assert decision.follows.value() == "yes"
    else:
        driver.add_agents(decision.agents, ["capecitabine"])
        assert decision.follows.value() == "no"
        driver.type_text(decision.group.rows["mdt.decision.deviation_reason"].editor, "Board preference")
    suggested = [a for item in editor.evaluation.local for a in item.actions]
    if suggested:
        driver.check_item(decision.local, suggested[0])
    edit_attendee(qtbot, decision, "Dr Wang", 0)
    edit_attendee(qtbot, decision, "Dr Li", 2)
    driver.type_text(decision.group.rows["mdt.meeting_date"].editor, vignette["evaluation_date"])
    driver.type_text(decision.group.rows["mdt.decision.next_assessment_date"].editor, "2025-01-15")
    qtbot.waitUntil(lambda: editor.case is not None and not editor.timer.isActive(), timeout=3000)
    assert editor.problems == []
    decided = editor.case.mdt
    assert [a.role for a in decided.attendees] == ["medical_oncology", "radiation_oncology"]

    # Save (Ctrl+S): a new version, status decided.
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    versions = store.versions(vignette["case_id"])
    assert [v.status for v in versions] == ["decided"]
    assert not editor.dirty

    # A new case, then find the saved one in the list by typing, open it with Enter.
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert editor.case is None
    window.show_case_list()
    qtbot.keyClicks(window.case_list.search, f"H-{number}")
    assert window.case_list.visible_ids() == [vignette["case_id"]]
    window.case_list.table.setFocus()
    qtbot.keyClick(window.case_list.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.case is not None, timeout=3000)
    stored, _info = store.load(vignette["case_id"])
    assert editor.case == stored
    assert stored.mdt.decision.systemic == decided.decision.systemic
    if cli["systemic"]:
        assert decision.options.value() == [cli["systemic"][0]["id"]]
