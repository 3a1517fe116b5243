"""Validation messages appear at the field, in the user's language, and nothing typed is lost."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.qt import Qt
from tests.gui.driver import WizardDriver

MINIMAL = {"case_id": "val-1", "evaluation_date": "2024-06-01", "patient": {"sex": "female", "age": 60},
           "presentation": "recurrent_metastatic"}


def settle(qtbot: Any, editor: Any) -> None:
    """Wait for the debounced evaluation, as a user waits for the screen to update."""
    qtbot.waitUntil(lambda: not editor.timer.isActive(), timeout=2000)


@pytest.fixture
def filled(qtbot: Any, editor: Any) -> WizardDriver:
    driver = WizardDriver(qtbot, editor)
    driver.fill(MINIMAL)
    settle(qtbot, editor)
    assert editor.problems == [] and editor.evaluation is not None
    return driver


@pytest.mark.parametrize(("path", "typed", "message", "message_zh"), [
    ("patient.age", "7O", "enter a whole number", "请输入整数"),
    ("patient.age", "150", "must be at most 110", "不能大于 110"),
    ("case_id", "bad id!", "use only letters", "只能使用字母"),
    ("evaluation_date", "2024-13-01", "is not a real calendar date", "不是有效日期"),
    ("primary_diagnosis_date", "2024/01/01", "write the date as YYYY-MM-DD", "日期格式应为"),
    ("metastatic_diagnosis_date", "2030-01-01", "is after the evaluation date", "晚于MDT讨论日期"),
    ("biomarkers.pdl1_cps", "-3", "must be at least 0", "不能小于 0"),
])
def test_message_at_the_field_in_both_languages(qtbot: Any, editor: Any, filled: WizardDriver, path: str,
                                                 typed: str, message: str, message_zh: str) -> None:
    from desktop_app import language

    page = next(p for p in editor.pages if path in p.group.rows)
    editor.go_to(editor.pages.index(page))
    row = page.group.rows[path]
    filled.type_text(row.editor, typed)
    settle(qtbot, editor)
    assert row.error.isVisible()
    assert message in row.error.text()
    assert row.editor.property("invalid") is True
    assert row.value() == typed                                   # the typed text stays as typed
    assert editor.page("patient").group.rows["patient.age"].value() in ("60", typed)
    assert "⚠" in editor.steps.item(editor.pages.index(page)).text()
    assert editor.evaluation is None and editor.review.banner.text()
    language.set_language("zh")
    try:
        qtbot.waitUntil(lambda: message_zh in row.error.text(), timeout=2000)
    finally:
        language.set_language("en")
    # Correcting the value clears the message.
    filled.type_text(row.editor, {"patient.age": "61", "case_id": "val-2", "biomarkers.pdl1_cps": "5"}
                     .get(path, "2024-05-01"))
    settle(qtbot, editor)
    assert not row.error.isVisible() and editor.problems == []


def test_specimen_problem_shows_in_the_row_form_and_the_table(qtbot: Any, editor: Any, filled: WizardDriver) -> None:
    page = editor.page("pathology")
    editor.go_to(2)
    qtbot.mouseClick(page.rows.add_button, Qt.MouseButton.LeftButton)
    filled.choose(page.rows.group.rows["specimen"].editor, "metastasis")
    filled.type_text(page.rows.group.rows["er_percent"].editor, "120")
    settle(qtbot, editor)
    row = page.rows.group.rows["er_percent"]
    assert row.error.isVisible() and "must be at most 100" in row.error.text()
    index = page.model.index(0, page.model.column_of("er_percent"))
    assert "must be at most 100" in page.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "Row 1" in page.rows.summary.text()
    assert page.model.value(0, "er_percent") == "120"


def test_therapy_dates_and_line_rules(qtbot: Any, editor: Any, filled: WizardDriver) -> None:
    page = editor.page("therapies")
    editor.go_to(4)
    qtbot.mouseClick(page.rows.add_button, Qt.MouseButton.LeftButton)
    form = page.rows.group.rows
    filled.choose(form["setting"].editor, "advanced")
    filled.add_agents(form["agents"].editor, ["letrozole"])
    filled.type_text(form["start"].editor, "2021-01-01")
    filled.type_text(form["end"].editor, "2020-01-01")
    settle(qtbot, editor)
    assert "earlier than the start date" in form["end"].error.text()
    assert "required for advanced-disease therapy" in form["line"].error.text()
    filled.type_text(form["line"].editor, "1")
    filled.type_text(form["end"].editor, "2022-01-01")
    settle(qtbot, editor)
    assert editor.problems == []


def test_kps_and_ecog_must_agree(qtbot: Any, editor: Any, filled: WizardDriver) -> None:
    rows = editor.page("patient").group.rows
    filled.choose(rows["patient.kps"].editor, "90")
    filled.choose(rows["patient.ecog"].editor, "3")
    settle(qtbot, editor)
    assert "KPS 90 disagrees with ECOG 3" in rows["patient.kps"].error.text()


def test_deviation_reason_required_when_not_following(qtbot: Any, editor: Any, filled: WizardDriver) -> None:
    decision = editor.decision
    editor.go_to(7)
    filled.add_agents(decision.agents, ["capecitabine"])
    settle(qtbot, editor)
    reason = decision.group.rows["mdt.decision.deviation_reason"]
    assert decision.follows.value() == "no"
    assert reason.label.text().endswith("*")
    assert "required: the decision does not follow the guideline" in reason.error.text()
    filled.type_text(reason.editor, "Patient prefers oral therapy")
    settle(qtbot, editor)
    assert editor.problems == []
    assert editor.case.mdt.decision.follows_guideline is False


def test_metastasis_card_problem_and_subform(qtbot: Any, editor: Any, filled: WizardDriver) -> None:
    page = editor.page("metastases")
    editor.go_to(5)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    card = page.cards[0]
    filled.choose(card.organ, "liver")
    assert card.subforms["liver"].isVisibleTo(card) and not card.subforms["bone"].isVisibleTo(card)
    filled.type_text(card.field("liver.bilirubin_x_uln").editor, "abc")
    settle(qtbot, editor)
    assert "enter a number" in card.field("liver.bilirubin_x_uln").error.text()
    filled.choose(card.organ, "bone")                            # switching organ keeps the liver answers
    assert card.values()["liver.bilirubin_x_uln"] == "abc"
    settle(qtbot, editor)
    assert editor.problems == []                                  # the hidden liver sub-form is not sent
