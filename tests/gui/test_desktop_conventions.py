"""Desktop conventions of issue 13: readable sizes and WCAG AA contrast in the style sheet, F1 and About,
the command line, drag-and-drop of a case file, remembered window state, the sidebar toggle and the
full-screen present view."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from desktop_app.qt import QApplication, Qt

CASES = Path(__file__).resolve().parents[1] / "cases"


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_text_colour_of_the_style_sheet_has_aa_contrast_on_its_background() -> None:
    from desktop_app import appearance

    sheet = appearance.style_sheet(appearance.point_size())
    checked = 0
    for selector, body in re.findall(r"([^{}]+)\{\{?([^{}]*)\}", sheet):
        colour = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", body)
        background = re.search(r"background:\s*(#[0-9a-fA-F]{6})", body)
        if colour is None:
            continue
        ground = background[1] if background else "#ffffff"
        if background is None and ("idle_lock" in selector or "step_list" in selector):
            ground = "#0f2942"                     # drawn on the dark cover / sidebar of their parent rule
        assert contrast(colour[1], ground) >= 4.5, (selector.strip(), colour[1], ground)
        checked += 1
    assert checked >= 20
    assert contrast(appearance.PLACEHOLDER, "#ffffff") >= 4.5
    assert contrast(appearance.FOCUS, "#ffffff") >= 4.5 and contrast(appearance.FOCUS, "#fff5f5") >= 4.5


def test_body_text_is_at_least_15_px_and_secondary_text_13_px(app: Any, window: Any) -> None:
    from desktop_app import appearance

    dpi = window.logicalDpiY()
    assert QApplication.font().pointSizeF() * dpi / 72 >= 15
    assert appearance.point_size() * 0.9 * dpi / 72 >= 13            # fieldInfo, the smallest size used
    assert "font-size: small" not in appearance.style_sheet(appearance.point_size())


def test_f1_lists_the_shortcuts_and_about_names_version_edition_and_hash(qtbot: Any, window: Any) -> None:
    from desktop_app.help import about_facts
    from desktop_app.qt import QDialog, QTextBrowser

    qtbot.keyClick(window, Qt.Key.Key_F1)
    sheet = next(d for d in window.findChildren(QDialog) if d.objectName() == "shortcuts_dialog")
    text = sheet.findChild(QTextBrowser).toPlainText()
    for keys in ("Ctrl+F / Ctrl+L", "Ctrl+Z", "Ctrl+Enter", "F11", "Ctrl+B"):
        assert keys in text
    window.actions_by_name["about"].trigger()
    about = next(d for d in window.findChildren(QDialog) if d.objectName() == "about_dialog")
    facts = about_facts()
    shown = about.findChild(QTextBrowser).toPlainText()
    assert facts["version"] in shown and facts["edition"] in shown and facts["sha256"] in shown
    assert len(facts["sha256"]) == 64 and "LGPL" in shown


def test_command_line_takes_language_and_a_case_file() -> None:
    from desktop_app.main import parse_args

    args, rest = parse_args(["--lang", "en", "case.json", "-platform", "offscreen"])
    assert (args.lang, args.case) == ("en", "case.json") and "-platform" in rest
    with pytest.raises(SystemExit):
        parse_args(["--lang", "fr"])


def test_a_dropped_case_file_is_imported_and_shown(qtbot: Any, window: Any, store: Any) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDropEvent

    from desktop_app.qt import QMimeData, QPoint, QUrl

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(CASES / "p01-male-hr-positive.json"))])
    event = QDropEvent(QPointF(QPoint(200, 200)), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert window.editor.case.case_id == "p01-male-hr-positive"
    assert store.list_cases()[0].case_id == "p01-male-hr-positive"
    assert window.editor.stored_version == 1
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile("/tmp/not-a-case.txt")])
    assert window._dropped_path(other) is None


def test_window_state_zoom_and_sidebar_are_remembered(qtbot: Any, app: Any, window: Any, store: Any) -> None:
    from desktop_app import appearance, window_settings
    from desktop_app.main_window import MainWindow

    window.zoom("in")
    window.toggle_sidebar()
    assert window.editor.steps.isHidden()
    window.resize(760, 560)           # inside the offscreen screen (restoreGeometry keeps a window on it)
    window.close()
    assert window_settings.value("zoom_index") is not None
    appearance.zoom_reset(app)
    again = MainWindow(store=store)
    qtbot.addWidget(again)
    again.restore_settings()
    again.show()
    assert appearance.zoom_factor() > 1.0
    assert again.editor.steps.isHidden()
    assert (again.width(), again.height()) == (760, 560)
    again.editor.dirty = False
    again.autosave_timer.stop()


def test_ctrl_b_toggles_the_sidebar_and_f11_presents_the_review(qtbot: Any, window: Any) -> None:
    from guideline_db.case_io import load_case

    window.editor.load_case(load_case(CASES / "p01-male-hr-positive.json"), stored=False)
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.steps.isHidden()
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert not window.editor.steps.isHidden()
    window.editor.go_to(2)
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert window.presenting and window.editor.current_page().KEY == "review"
    assert window.editor.steps.isHidden() and not window.menuBar().isVisible()
    assert window.editor.review.displayed_options
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Escape)
    assert not window.presenting and window.editor.current_step() == 2 and window.menuBar().isVisible()


def test_report_dialog_fits_a_768_px_screen(qtbot: Any, app: Any) -> None:
    from desktop_app.qt import QSize
    from desktop_app.report_view import fitting

    screen = QApplication.primaryScreen().availableGeometry()
    size = fitting(None, QSize(900, 1000))
    assert size.height() <= screen.height() - 48 and size.width() <= screen.width() - 16
    assert fitting(None, QSize(10, 10)) == QSize(10, 10)


def test_alt_letter_in_a_text_field_or_the_notes_types_nothing(qtbot: Any, window: Any) -> None:
    editor = window.editor
    editor.go_to(7)
    notes = editor.decision.group.rows["mdt.decision.notes"].editor
    notes.setFocus()
    qtbot.keyClicks(notes, "ok")
    qtbot.keyClick(notes, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert notes.toPlainText() == "ok"
    editor.go_to(0)
    name = editor.page("patient").group.rows["patient.name"].editor
    qtbot.keyClicks(name, "Li")
    qtbot.keyClick(name, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert name.text() == "Li"


def test_lazy_start_builds_step_1_first_and_keeps_what_was_typed(qtbot: Any, app: Any, store: Any) -> None:
    from desktop_app.main_window import MainWindow

    window = MainWindow(lazy=True)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    editor = window.editor
    assert len(editor.pages) == 1 and not editor.evaluated_once and window.store is None
    assert editor.steps.count() == 8 and editor.steps.item(7).text().startswith("8 · Decision")
    sex = editor.pages[0].group.rows["patient.sex"].editor
    assert sex.count() == 1 and editor.live.fact_names["subtype"].text() == ""   # names wait for the database
    name = editor.pages[0].group.rows["patient.name"].editor
    name.setFocus()
    qtbot.keyClicks(name, "Typed early")
    window.attach_store(store)
    editor.finish_start()
    assert len(editor.pages) == 8 and editor.evaluated_once
    assert [sex.itemText(i) for i in range(sex.count())] == ["—", "Female", "Male"]     # named after the paint
    assert editor.live.fact_names["subtype"].text() == "Subtype"
    assert name.text() == "Typed early" and editor.state()["fields"]["patient.name"] == "Typed early"
    assert window.case_list.store is store
    other = MainWindow(lazy=True)
    qtbot.addWidget(other)
    other.editor.go_to(4)                       # a step asked for before the paint: built then
    assert len(other.editor.pages) == 8 and other.editor.current_page().KEY == "therapies"
    for win in (window, other):
        win.editor.dirty = False
        win.autosave_timer.stop()
