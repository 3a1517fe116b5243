"""The defects a coordinator met in a real meeting (issue 13), one test each: the previous patient on the
live panel, a half-typed drug dropped on Tab/Save, Ctrl+L closing the list, Remove without undo, and two
windows saving over each other."""

from __future__ import annotations

import functools
import html
import json
from pathlib import Path
from typing import Any

from desktop_app.qt import QApplication, Qt
from tests.gui.driver import WizardDriver

CASES = Path(__file__).resolve().parents[1] / "cases"
CTRL = Qt.KeyboardModifier.ControlModifier


def load(name: str) -> Any:
    from guideline_db.case_io import load_case

    return load_case(CASES / name)


def settle(qtbot: Any, editor: Any) -> None:
    qtbot.waitUntil(lambda: not editor.timer.isActive(), timeout=3000)


def test_new_case_clears_every_view_of_the_previous_patient(qtbot: Any, window: Any) -> None:
    editor = window.editor
    editor.load_case(load("p08-ultralow-after-cdk.json"), stored=False)
    window.open_report = lambda: None
    assert editor.live.option_labels()                        # HR+ options on the panel
    assert window.status_case.text()
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    assert editor.evaluation is None and editor.last_valid is None
    assert editor.live.option_labels() == []
    assert all(label.text() == "—" for label in editor.live.fact_values.values())
    assert window.status_case.text() == ""
    assert editor.review.displayed_options == [] and editor.review.displayed_facts == {}
    assert editor.decision.options.count() == 0
    # Typing the next (triple-negative) patient: while her case is still incomplete, nothing of the
    # previous patient comes back on the panel.
    driver = WizardDriver(qtbot, editor)
    driver.choose(editor.page("patient").group.rows["patient.sex"].editor, "female")
    settle(qtbot, editor)
    assert editor.live.option_labels() == []
    assert editor.case is None


def test_new_case_puts_the_cursor_in_the_first_field(qtbot: Any, window: Any) -> None:
    editor = window.editor
    editor.go_to(3)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    assert editor.current_step() == 0
    assert QApplication.focusWidget() is editor.page("patient").group.rows["patient.name"].editor


def therapy_picker(qtbot: Any, window: Any) -> Any:
    editor = window.editor
    editor.go_to(4)
    page = editor.page("therapies")
    qtbot.keyClick(page.rows.add_button, Qt.Key.Key_Space)
    return page.agents


def test_tab_commits_a_drug_name_that_names_one_drug(qtbot: Any, window: Any) -> None:
    picker = therapy_picker(qtbot, window)
    picker.line.setFocus()
    qtbot.keyClicks(picker.line, "letroz")
    picker.completer.popup().hide()
    qtbot.keyClick(picker.line, Qt.Key.Key_Tab)
    assert picker.value() == ["letrozole"]
    assert picker.line.text() == ""
    assert QApplication.focusWidget() is not picker.line           # Tab still moved on


def test_save_refuses_a_drug_name_that_names_no_single_drug(qtbot: Any, window: Any, store: Any,
                                                           dialog_log: Any) -> None:
    from guideline_db.case_io import case_to_json

    window.editor.load_case(load("p08-ultralow-after-cdk.json"), stored=False)
    picker = therapy_picker(qtbot, window)
    picker.line.setFocus()
    qtbot.keyClicks(picker.line, "zzzmab")
    picker.completer.popup().hide()
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    assert store.list_cases() == []                                 # not saved without the drug
    assert dialog_log.names() == ["message"]
    assert "zzzmab" in dialog_log.calls[0][1][2]
    assert picker.feedback.isVisible() and "zzzmab" in picker.feedback.text()
    assert window.editor.current_step() == 4 and QApplication.focusWidget() is picker.line
    assert picker.line.text() == "zzzmab"                           # the typing is kept
    assert "zzzmab" not in case_to_json(window.editor.case)


def test_first_suggestion_is_preselected_and_enter_takes_it(qtbot: Any, window: Any) -> None:
    picker = therapy_picker(qtbot, window)
    picker.line.setFocus()
    qtbot.keyClicks(picker.line, "mab")                 # many drugs end in -mab
    popup = picker.completer.popup()
    qtbot.waitUntil(lambda: popup.isVisible() and popup.currentIndex().isValid(), timeout=2000)
    first = popup.currentIndex().data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.value() == [first]


def test_ctrl_l_and_ctrl_f_always_open_the_list_with_the_cursor_in_its_search(qtbot: Any, window: Any) -> None:
    editor = window.editor
    editor.load_case(load("p01-male-hr-positive.json"), stored=False)
    hospital_id = editor.page("patient").group.rows["patient.hospital_id"].editor
    before = hospital_id.text()
    for key in (Qt.Key.Key_L, Qt.Key.Key_L, Qt.Key.Key_F, Qt.Key.Key_L):
        hospital_id.setFocus()
        qtbot.keyClick(QApplication.focusWidget(), key, CTRL)
        assert window.dock.isVisible()
        assert QApplication.focusWidget() is window.case_list.search
    qtbot.keyClicks(QApplication.focusWidget(), "ZS-9")
    assert window.case_list.search.text() == "ZS-9"
    assert hospital_id.text() == before
    qtbot.keyClick(window.case_list.search, Qt.Key.Key_Escape)
    assert not window.dock.isVisible()
    assert QApplication.focusWidget() is editor.current_page().first_field()


def test_removed_site_is_out_of_the_tab_path_and_ctrl_z_puts_it_back(qtbot: Any, window: Any) -> None:
    editor = window.editor
    editor.load_case(load("p04-tnbc-gbrca-second-line.json"), stored=False)
    editor.go_to(5)
    page = editor.page("metastases")
    assert len(page.cards) >= 2
    before = [card.values() for card in page.cards]
    assert all(card.remove_button not in page.tab_chain() for card in page.cards)
    qtbot.mouseClick(page.cards[0].remove_button, Qt.MouseButton.LeftButton)
    assert [card.values() for card in page.cards] == before[1:]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, CTRL)
    assert [card.values() for card in page.cards] == before
    assert "put back" in window.statusBar().currentMessage()


def test_removed_specimen_and_attendee_come_back_with_ctrl_z(qtbot: Any, window: Any) -> None:
    editor = window.editor
    editor.load_case(load("p03-her2-early-relapse-after-trastuzumab.json"), stored=False)
    editor.go_to(2)
    rows = editor.page("pathology").rows
    before = rows.model.rows()
    assert rows.remove_button not in editor.page("pathology").tab_chain()
    rows.select_row(0)
    qtbot.mouseClick(rows.remove_button, Qt.MouseButton.LeftButton)
    assert rows.model.rows() == before[1:]
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, CTRL)
    assert rows.model.rows() == before
    editor.go_to(7)
    decision = editor.decision
    decision.attendees.set_rows([{"name": "Dr A", "role": "surgery"}, {"name": "Dr B", "role": "pathology"}])
    decision.attendee_view.setCurrentIndex(decision.attendees.index(0, 0))
    qtbot.mouseClick(decision.remove_attendee, Qt.MouseButton.LeftButton)
    assert [r["name"] for r in decision.attendees.rows()] == ["Dr B"]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, CTRL)
    assert [r["name"] for r in decision.attendees.rows()] == ["Dr A", "Dr B"]


def test_undo_never_brings_back_a_row_of_the_previous_patient(qtbot: Any, window: Any) -> None:
    editor = window.editor
    editor.load_case(load("p06-visceral-crisis-liver.json"), stored=False)
    editor.go_to(5)
    page = editor.page("metastases")
    qtbot.mouseClick(page.cards[0].remove_button, Qt.MouseButton.LeftButton)
    editor.dirty = False
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    window.undo_remove()
    assert page.cards == []
    assert "Nothing" in window.statusBar().currentMessage()


def second_window(qtbot: Any, store_path: Path) -> tuple[Any, Any]:
    from desktop_app.main_window import MainWindow
    from guideline_db.store import CaseStore

    other_store = CaseStore.open(store_path, mounts_file=None, user="colleague")
    other = MainWindow(store=other_store)
    qtbot.addWidget(other)
    other.resize(1280, 800)
    other.show()
    return other, other_store


def test_a_save_over_a_change_made_elsewhere_is_refused_and_can_be_reloaded(
        qtbot: Any, window: Any, store: Any, dialog_log: Any) -> None:
    case = load("p01-male-hr-positive.json")
    store.save_version(case, author="tester")
    other, other_store = second_window(qtbot, store.path)
    try:
        assert window.open_case(case.case_id) and other.open_case(case.case_id)
        driver_a, driver_b = WizardDriver(qtbot, window.editor), WizardDriver(qtbot, other.editor)
        age_b = other.editor.page("patient").group.rows["patient.age"].editor
        driver_b.type_text(age_b, "60")
        assert other.save().version == 2
        age_a = window.editor.page("patient").group.rows["patient.age"].editor
        driver_a.type_text(age_a, "59")
        settle(qtbot, window.editor)
        assert window.save() is None                                       # refused
        assert [v.version for v in store.versions(case.case_id)] == [1, 2]
        name, args = dialog_log.calls[-1]
        assert name == "version_conflict"
        assert "patient.age: 60 → 59" in args[-1]                        # Compare: stored → yours
        dialog_log.conflict_answer = "reload"
        assert window.save() is None
        assert window.editor.page("patient").group.rows["patient.age"].value() == "60"
        assert window.editor.stored_version == 2
        assert any(d.key.startswith("conflict:") for d in store.list_drafts())   # the typing is kept
        driver_a.type_text(age_a, "61")
        settle(qtbot, window.editor)
        assert window.save().version == 3                                  # now it has seen version 2
    finally:
        other.editor.dirty = False
        other.autosave_timer.stop()
        other.close()
        other_store.close()


def test_a_new_case_with_the_id_of_a_stored_case_does_not_overwrite_it(
        qtbot: Any, window: Any, store: Any, dialog_log: Any) -> None:
    case = load("p01-male-hr-positive.json")
    store.save_version(case, author="tester")
    data = json.loads((CASES / "p01-male-hr-positive.json").read_text(encoding="utf-8"))
    data["patient"]["age"] = 33
    from guideline_db.case_io import parse_case

    window.editor.load_case(parse_case(data), stored=False)
    assert window.save() is None
    assert dialog_log.names()[-1] == "version_conflict"
    assert len(store.versions(case.case_id)) == 1


def test_a_second_window_on_the_same_store_is_told_and_read_only(qtbot: Any, window: Any, store: Any,
                                                                  dialog_log: Any) -> None:
    from desktop_app.main import claim_store

    lock = claim_store(window, store)
    assert lock is not None and not window.editor.read_only
    other, other_store = second_window(qtbot, store.path)
    try:
        assert claim_store(other, other_store) is None
        assert dialog_log.names() == ["second_instance"]
        assert other.editor.read_only and "read-only" in other.windowTitle()
        other.editor.load_case(load("p01-male-hr-positive.json"), stored=False)
        assert other.save() is None
        assert store.list_cases() == []
        assert "read-only" in dialog_log.calls[-1][1][2]
    finally:
        lock.release()
        other.editor.dirty = False
        other.autosave_timer.stop()
        other.close()
        other_store.close()


def test_save_confirmation_stays_visible_until_the_next_edit(qtbot: Any, window: Any, store: Any) -> None:
    window.editor.load_case(load("p01-male-hr-positive.json"), stored=False)
    info = window.save()
    assert window.status_saved.isVisible()
    assert f"version {info.version}" in window.status_saved.text()
    WizardDriver(qtbot, window.editor).type_text(
        window.editor.page("patient").group.rows["patient.age"].editor, "70")
    assert not window.status_saved.isVisible()


def test_review_answers_why_an_option_is_not_offered(qtbot: Any, window: Any) -> None:
    from guideline_db.engine import resolve_token, why_not

    editor = window.editor
    case = load("p04-tnbc-gbrca-second-line.json")
    editor.load_case(case, stored=False)
    qtbot.keyClick(window, Qt.Key.Key_7, CTRL)
    review = editor.review
    assert QApplication.focusWidget() is review.why_input          # the review's first field
    qtbot.keyClicks(review.why_input, "letrozole")
    qtbot.keyClick(review.why_input, Qt.Key.Key_Return)
    expected = why_not(case, resolve_token("letrozole"), evaluation=editor.evaluation)
    assert expected
    assert review.why_result.isVisible()
    text = review.why_result.text()
    assert all(html.escape(row.answer("en")) in text for row in expected)
    review.why_input.clear()
    qtbot.keyClicks(review.why_input, "no-such-drug")
    qtbot.keyClick(review.why_input, Qt.Key.Key_Return)
    assert "no-such-drug" in review.why_result.text()
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)                      # another patient: the answer goes
    assert not review.why_result.isVisible()


def test_a_to_fix_item_in_the_review_puts_the_cursor_in_its_field(qtbot: Any, window: Any) -> None:
    from desktop_app.qt import QUrl

    editor = window.editor
    editor.load_case(load("p08-ultralow-after-cdk.json"), stored=False)
    age = editor.page("patient").group.rows["patient.age"].editor
    WizardDriver(qtbot, editor).type_text(age, "7O")
    therapies = editor.page("therapies")
    therapies.rows.select_row(1)
    WizardDriver(qtbot, editor).type_text(therapies.rows.group.rows["start"].editor, "2021-13-01")
    editor.evaluate_now()
    editor.go_to(6)
    review = editor.review
    lines = review._problem_lines
    age_line = next(n for n, (_step, text) in enumerate(lines) if text.startswith("Age"))
    review._jump(QUrl(f"fix:{age_line}"))
    assert editor.current_step() == 0 and QApplication.focusWidget() is age
    editor.go_to(6)
    start_line = next(n for n, (step, _text) in enumerate(lines) if step == 4)
    review._jump(QUrl(f"fix:{start_line}"))
    assert editor.current_step() == 4 and therapies.rows.current_row() == 1
    assert QApplication.focusWidget() is therapies.rows.group.rows["start"].editor


def test_a_save_racing_another_writer_is_refused_inside_the_store_transaction(
        qtbot: Any, window: Any, store: Any, dialog_log: Any, monkeypatch: Any) -> None:
    """The version check and the write are one transaction: another writer saving between the window's
    check and its write does not lose its version; the window shows the compare/reload dialog instead."""
    case = load("p01-male-hr-positive.json")
    store.save_version(case, author="tester")
    assert window.open_case(case.case_id)
    age = window.editor.page("patient").group.rows["patient.age"].editor
    WizardDriver(qtbot, window.editor).type_text(age, "59")
    settle(qtbot, window.editor)
    real_save = store.save_version
    other = case.model_copy(update={"patient": case.patient.model_copy(update={"age": 60})})

    @functools.wraps(real_save)          # same signature: the window still passes expected_version
    def racing(*args: Any, **kwargs: Any) -> Any:
        if len(store.versions(case.case_id)) == 1:                      # the other writer gets in first
            real_save(other, author="other desk")
        return real_save(*args, **kwargs)

    monkeypatch.setattr(store, "save_version", racing)
    assert window.save() is None
    assert [v.author for v in store.versions(case.case_id)] == ["tester", "other desk"]     # nothing overwritten
    assert dialog_log.names()[-1] == "version_conflict"
