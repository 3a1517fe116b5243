"""Language switch at run time and the projector zoom, from the keyboard."""

from __future__ import annotations

from typing import Any

from desktop_app.qt import QApplication, Qt


def test_language_switch_changes_visible_texts_and_keeps_typing(qtbot: Any, window: Any) -> None:
    from desktop_app import language

    editor = window.editor
    age = editor.page("patient").group.rows["patient.age"]
    age.editor.setFocus()
    qtbot.keyClicks(age.editor, "58")
    assert editor.steps.item(0).text().startswith("1 · Patient")
    assert age.label.text() == "Age (years)"
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert language.current_language() == "zh"
    assert editor.steps.item(0).text().startswith("1 · 患者")
    assert age.label.text() == "年龄（岁）"
    assert window.file_menu.title() == "文件(&F)"
    assert editor.page("patient").group.rows["patient.sex"].editor.itemText(1) == "女性"
    assert window.case_list.model.headerData(0, Qt.Orientation.Horizontal) == "住院号"
    assert age.value() == "58"                                    # nothing typed is lost
    window.actions_by_name["lang_en"].trigger()
    assert editor.steps.item(0).text().startswith("1 · Patient")
    assert age.value() == "58"


def test_clinical_content_follows_the_language(qtbot: Any, window: Any) -> None:
    from desktop_app.main import load_demo_case

    window.editor.load_case(load_demo_case(), stored=False)
    window.editor.go_to(6)
    review = window.editor.review
    english = [label for _tier, label in review.displayed_options]
    window.set_language("zh")
    chinese = [label for _tier, label in review.displayed_options]
    evaluation = window.editor.evaluation
    assert english == [o.label_en for o in evaluation.systemic]
    assert chinese == [o.label_zh for o in evaluation.systemic]
    assert review.displayed_facts["subtype"] == "HR阳性HER-2阴性"            # the one name table
    assert "优先推荐" in review.view.toPlainText()
    window.set_language("en")


def test_zoom_scales_the_whole_ui_font(qtbot: Any, window: Any) -> None:
    app = QApplication.instance()
    title = window.editor.page("patient").title
    base_app, base_title = app.font().pointSizeF(), title.font().pointSizeF()
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert app.font().pointSizeF() > base_app * 1.2
    qtbot.waitUntil(lambda: title.font().pointSizeF() > base_title * 1.2, timeout=2000)
    assert window.editor.page("patient").group.rows["patient.age"].editor.font().pointSizeF() > base_app * 1.2
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert app.font().pointSizeF() < base_app * 1.2
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert app.font().pointSizeF() == base_app
    assert window.status_zoom.text() == "100 %"


def test_cjk_font_is_registered_and_used_as_fallback(app: Any) -> None:
    from desktop_app import appearance
    from desktop_app.qt import QFontDatabase

    family = appearance.register_cjk_font()
    assert family == "Droid Sans Fallback"
    assert family in QFontDatabase.families()
    assert family in QApplication.instance().font().families()


def test_step_shortcuts_and_tab_order(qtbot: Any, window: Any) -> None:
    for number in range(1, 9):
        qtbot.keyClick(window, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier)
        assert window.editor.current_step() == number - 1
    qtbot.keyClick(window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.current_step() == 6
    # Tab walks the patient step's inputs in reading order.
    window.editor.go_to(0)
    rows = window.editor.page("patient").group.rows
    order = [rows[p].editor for p in ("patient.name", "patient.hospital_id", "patient.sex", "patient.age")]
    for current, following in zip(order, order[1:], strict=False):
        assert next_tab_stop(current) is following


def next_tab_stop(widget: Any) -> Any:
    """The widget Tab moves to: the next one in the focus chain that accepts Tab focus."""
    current = widget.nextInFocusChain()
    while not (current.focusPolicy() & Qt.FocusPolicy.TabFocus and current.isEnabled()):
        current = current.nextInFocusChain()
    return current
