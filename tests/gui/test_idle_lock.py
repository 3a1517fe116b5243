"""The idle lock: after a while without input every window is covered and no patient detail is on
screen; unlocking brings back the same step, typing and focus; autosave goes on meanwhile."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop_app.qt import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QModelIndex,
    QPlainTextEdit,
    QPoint,
    Qt,
    QTimer,
)
from tests.gui.driver import WizardDriver

NAME, HOSPITAL_ID, CASE_ID = "Wang Fang", "WF-0601", "wang-fang-0601"
CASE = {"case_id": CASE_ID, "evaluation_date": "2024-06-01",
        "patient": {"name": NAME, "hospital_id": HOSPITAL_ID, "sex": "female", "age": 50,
                    "menopausal_status": "post"},
        "presentation": "de_novo_stage_iv",
        "pathology": [{"specimen": "primary", "er_percent": 90, "pr_percent": 50, "her2_ihc": "0"}]}
SECRETS = (NAME, HOSPITAL_ID, CASE_ID)


def model_texts(model: Any, parent: Any = None) -> list[str]:
    parent = parent if parent is not None else QModelIndex()
    texts = []
    for row in range(model.rowCount(parent)):
        column = 0
        while (index := model.index(row, column, parent)).isValid():   # list models hide columnCount
            texts.append(str(model.data(index) or ""))
            texts += model_texts(model, index) if column == 0 else []
            column += 1
    return texts


def visible_texts() -> list[str]:
    """Every text a person (or a screen reader) could read off the screen now."""
    texts = []
    for widget in QApplication.allWidgets():
        if not widget.isVisible():
            continue
        if widget.isWindow():
            texts.append(widget.windowTitle())
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts += [widget.text(), widget.placeholderText()]
        elif isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            texts.append(widget.currentText())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            texts += model_texts(widget.model())
    return texts


def shown(secret: str) -> list[str]:
    return [text for text in visible_texts() if secret.lower() in text.lower()]


def name_field(window: Any) -> Any:
    return window.editor.page("patient").group.rows["patient.name"].editor


@pytest.fixture
def entered(qtbot: Any, window: Any) -> WizardDriver:
    """The case typed in, saved, listed in the case list, then more typing on the patient step."""
    driver = WizardDriver(qtbot, window.editor)
    driver.fill(CASE)
    qtbot.waitUntil(lambda: window.editor.case is not None and not window.editor.timer.isActive(), timeout=2000)
    assert window.save().version == 1
    window.show_case_list()
    window.editor.go_to(0)
    driver.type_text(name_field(window), NAME + " Jr")
    return driver


def wait_locked(qtbot: Any, window: Any, seconds: float = 0.2) -> None:
    window.idle_lock.set_timeout(seconds)
    qtbot.waitUntil(lambda: window.idle_lock.is_locked, timeout=3000)


def test_locks_after_idle_time_and_hides_every_patient_detail(qtbot: Any, window: Any, entered: Any) -> None:
    for secret in SECRETS:
        assert shown(secret), f"{secret} should be on screen before the lock (else this test proves nothing)"
    assert CASE_ID in window.windowTitle()
    wait_locked(qtbot, window)
    for secret in SECRETS:
        assert shown(secret) == [], secret
    assert window.windowTitle().startswith("abc-mdt — locked")
    assert not window.editor.isVisible() and not window.dock.isVisible() and not window.menuBar().isVisible()
    cover = window.idle_lock.covers()[0]
    assert cover.isVisible() and cover.geometry() == window.rect()
    assert QApplication.focusWidget() is cover.button
    assert window.statusBar().isHidden()


def test_unlock_restores_the_same_step_typing_and_focus(qtbot: Any, window: Any, entered: Any) -> None:
    window.editor.go_to(3)
    window.editor.go_to(0)
    field = name_field(window)
    field.setFocus()
    qtbot.keyClicks(field, " II")
    title = window.windowTitle()
    wait_locked(qtbot, window)
    qtbot.mouseClick(window.idle_lock.covers()[0].button, Qt.MouseButton.LeftButton)
    assert not window.idle_lock.is_locked and window.idle_lock.covers() == []
    assert window.editor.current_step() == 0
    assert field.text() == NAME + " Jr II"
    assert window.editor.isVisible() and window.dock.isVisible() and window.menuBar().isVisible()
    assert window.windowTitle() == title
    assert QApplication.focusWidget() is field
    assert shown(NAME)
    qtbot.keyClicks(field, "I")                       # typing goes on where it stopped
    assert field.text() == NAME + " Jr III"


def test_nothing_typed_or_pressed_while_locked_reaches_the_case(qtbot: Any, window: Any, entered: Any) -> None:
    window.dock.setVisible(False)
    before = name_field(window).text()
    wait_locked(qtbot, window)
    cover = window.idle_lock.covers()[0]
    qtbot.keyClicks(cover.button, "xyz")
    qtbot.keyClick(cover.button, Qt.Key.Key_Escape)
    qtbot.keyClick(cover.button, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)   # the case list shortcut
    qtbot.keyClick(cover.button, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)   # go to step 2
    assert window.idle_lock.is_locked
    assert not window.actions_by_name["case_list"].isEnabled()
    assert not window.dock.isVisible() and shown(NAME) == []
    qtbot.keyClick(cover.button, Qt.Key.Key_Return)   # the keyboard alone unlocks
    assert not window.idle_lock.is_locked
    assert window.actions_by_name["case_list"].isEnabled() and not window.dock.isVisible()
    assert window.editor.current_step() == 0 and name_field(window).text() == before


def test_input_keeps_the_app_unlocked(qtbot: Any, window: Any) -> None:
    field = name_field(window)
    field.setFocus()
    window.idle_lock.set_timeout(0.6)
    for n in range(12):                               # a key every 0.1 s, for twice the idle time
        qtbot.keyClick(field, "a")
        qtbot.wait(100)
        assert not window.idle_lock.is_locked, n
    for n in range(12):                               # the mouse moving about
        qtbot.mouseMove(window.editor, QPoint(100 + 10 * n, 200))
        qtbot.wait(100)
        assert not window.idle_lock.is_locked, n
    qtbot.waitUntil(lambda: window.idle_lock.is_locked, timeout=3000)


def test_lock_now_shortcut(qtbot: Any, window: Any) -> None:
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert window.idle_lock.is_locked
    qtbot.keyClick(window.idle_lock.covers()[0].button, Qt.Key.Key_Space)
    assert not window.idle_lock.is_locked


def test_autosave_keeps_running_while_locked(qtbot: Any, window: Any, entered: Any, store: Any) -> None:
    window.actions_by_name["lock_now"].trigger()
    assert window.idle_lock.is_locked and store.load_draft(window.editor.session_key) is None
    window.autosave_timer.setInterval(50)
    qtbot.waitUntil(lambda: store.load_draft(window.editor.session_key) is not None, timeout=3000)
    assert window.idle_lock.is_locked
    draft = json.loads(store.load_draft(window.editor.session_key))
    assert draft["fields"]["patient.name"] == NAME + " Jr"


def test_a_dialog_waiting_for_an_answer_is_covered_and_still_answerable(qtbot: Any, window: Any,
                                                                       entered: Any) -> None:
    """A modal question open when the lock comes (its exec() loop running) is covered, not closed."""
    box = QMessageBox(QMessageBox.Icon.Question, "Delete?", f"Delete the draft of {NAME}?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, window)
    seen: dict[str, Any] = {}

    def while_open() -> None:
        try:
            seen["size"] = box.size()
            window.idle_lock.set_timeout(0.1)
            qtbot.waitUntil(lambda: window.idle_lock.is_locked, timeout=3000)
            seen["locked_texts"] = shown(NAME)
            seen["covered"] = [c.parentWidget() for c in window.idle_lock.covers()]
            seen["focus_on_box_cover"] = QApplication.focusWidget() is window.idle_lock.covers()[-1].button
            seen["box_title"] = box.windowTitle()
            qtbot.keyClick(window.idle_lock.covers()[-1].button, Qt.Key.Key_Escape)   # must not answer the box
            seen["still_open"] = box.isVisible()
            qtbot.mouseClick(window.idle_lock.covers()[-1].button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: box.size() == seen["size"], timeout=2000)
            seen["unlocked_texts"] = shown(NAME)
        finally:
            box.button(QMessageBox.StandardButton.No).click()

    QTimer.singleShot(0, while_open)
    assert box.exec() == QMessageBox.StandardButton.No
    assert seen["locked_texts"] == [] and seen["still_open"]
    assert seen["covered"] == [window, box] and seen["focus_on_box_cover"]
    assert seen["box_title"] == "abc-mdt — locked"
    assert any("Delete the draft" in text for text in seen["unlocked_texts"])
    assert not window.idle_lock.is_locked


def test_a_window_opened_while_locked_is_covered_too(qtbot: Any, window: Any) -> None:
    window.actions_by_name["lock_now"].trigger()
    box = QMessageBox(QMessageBox.Icon.Warning, "Case store", f"Could not autosave {NAME}", parent=window)
    qtbot.addWidget(box)
    box.show()
    assert [c.parentWidget() for c in window.idle_lock.covers()] == [window, box]
    assert shown(NAME) == []
    window.idle_lock.unlock()
    assert shown(NAME)


def test_idle_time_from_the_environment(qtbot: Any, app: Any, store: Any, monkeypatch: Any) -> None:
    from desktop_app.main_window import MainWindow

    monkeypatch.setenv("ABC_MDT_IDLE_LOCK_SECONDS", "0.2")
    window = MainWindow(store=store)
    qtbot.addWidget(window)
    assert window.idle_lock.timeout_seconds == pytest.approx(0.2)
    qtbot.wait(500)
    assert not window.idle_lock.is_locked                 # a window not shown yet has nothing to hide
    window.show()
    qtbot.waitUntil(lambda: window.idle_lock.is_locked, timeout=3000)
    window.idle_lock.unlock()


def test_idle_time_is_set_from_the_menu_and_kept(qtbot: Any, window: Any, store: Any, dialog_log: Any,
                                                monkeypatch: Any, tmp_path: Path) -> None:
    from desktop_app import dialogs, user_settings
    from desktop_app.main_window import MainWindow

    asked: list[tuple[int, int, int]] = []
    monkeypatch.setattr(dialogs, "idle_minutes", lambda _parent, current, low, high: asked.append(
        (current, low, high)) or 3)
    assert window.idle_lock.timeout_seconds == 600               # the default: 10 minutes
    assert window.actions_by_name["idle_lock_time"] in window.view_menu.actions()
    window.actions_by_name["idle_lock_time"].trigger()
    assert asked == [(10, 1, 240)]
    assert window.idle_lock.timeout_seconds == 180
    assert json.loads(user_settings.settings_path().read_text(encoding="utf-8")) == {"idle_lock_minutes": 3}
    later = MainWindow(store=store)                              # the next start reads it
    qtbot.addWidget(later)
    assert later.idle_lock.timeout_seconds == 180
    # A config folder that cannot be written: the time applies for this session, and the user is told.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("ABC_MDT_CONFIG_DIR", str(blocker / "abc-mdt"))
    monkeypatch.setattr(dialogs, "idle_minutes", lambda *_args: 5)
    window.actions_by_name["idle_lock_time"].trigger()
    assert window.idle_lock.timeout_seconds == 300
    assert dialog_log.names() == ["message"]


def test_cover_text_is_translated(qtbot: Any, window: Any) -> None:
    window.set_language("zh")
    window.idle_lock.lock()
    cover = window.idle_lock.covers()[0]
    assert cover.heading.text() == "abc-mdt 已锁定"
    assert cover.button.text() == "解锁(&U)"
    window.idle_lock.unlock()
    window.set_language("en")


@pytest.mark.parametrize(("env", "settings", "expected"), [
    ({}, {}, 600.0),
    ({"ABC_MDT_IDLE_LOCK_SECONDS": "0.2"}, {"idle_lock_minutes": 3}, 0.2),
    ({"ABC_MDT_IDLE_LOCK_SECONDS": "abc"}, {"idle_lock_minutes": 3}, 180.0),
    ({"ABC_MDT_IDLE_LOCK_SECONDS": "-5"}, {}, 600.0),
    ({"ABC_MDT_IDLE_LOCK_SECONDS": "nan"}, {}, 600.0),
    ({"ABC_MDT_IDLE_LOCK_SECONDS": "inf"}, {}, 600.0),
    ({}, {"idle_lock_minutes": 0}, 600.0),
    ({}, {"idle_lock_minutes": 241}, 600.0),
    ({}, {"idle_lock_minutes": True}, 600.0),
    ({}, {"idle_lock_minutes": "5"}, 600.0),
    ({}, {"idle_lock_minutes": 240}, 14400.0),
])
def test_effective_idle_time(env: dict[str, str], settings: dict[str, Any], expected: float) -> None:
    from desktop_app.idle_lock import effective_seconds

    assert expected == effective_seconds(env, settings)


def test_settings_file_damaged_or_missing_gives_defaults(tmp_path: Path) -> None:
    from desktop_app import idle_lock, user_settings

    assert user_settings.load() == {} and idle_lock.configured_minutes() == 10
    path = user_settings.settings_path()
    path.parent.mkdir(parents=True)
    for broken in ("{not json", "[1, 2]", "\xff\xfe"):
        path.write_text(broken, encoding="latin-1")
        assert user_settings.load() == {} and idle_lock.configured_minutes() == 10
    path.write_text(json.dumps({"zoom": 2}), encoding="utf-8")
    idle_lock.save_minutes(15)
    assert json.loads(path.read_text(encoding="utf-8")) == {"idle_lock_minutes": 15, "zoom": 2}
    assert [p.name for p in path.parent.iterdir()] == [path.name]      # no temporary file left
    with pytest.raises(ValueError):
        idle_lock.save_minutes(0)
