"""GUI test fixtures: offscreen Qt, a fresh case store in a temporary data folder, English UI.

QT_QPA_PLATFORM is set before anything imports Qt (Dangerzone's habit), so the suite runs headless.
Dialogs are answered by recorders (desktop_app.dialogs is the one place that asks questions), so a
test never blocks on a modal window and can assert what the user would have been told.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("ABC_MDT_LANG", "en")

from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402

import desktop_app.qt  # noqa: E402,F401  (the one Qt import point, after QT_QPA_PLATFORM is set)

SHARED_CASES = Path(__file__).resolve().parents[2].parent / "shared" / "cases"


def vignette_paths() -> list[Path]:
    if not SHARED_CASES.is_dir():
        return []
    return sorted(p for p in SHARED_CASES.glob("*.json") if not p.name.endswith(".expected.json"))


def all_case_paths() -> list[Path]:
    """The project's own cases (always present) and the public vignettes (when ../shared is there)."""
    project = Path(__file__).resolve().parents[1] / "cases"
    return sorted(p for p in project.glob("*.json") if not p.name.endswith(".expected.json")) + vignette_paths()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "abc-mdt-data"
    monkeypatch.setenv("ABC_MDT_DATA_DIR", str(folder))
    monkeypatch.setenv("ABC_MDT_CONFIG_DIR", str(tmp_path / "abc-mdt-config"))   # never the tester's own settings
    monkeypatch.delenv("ABC_MDT_IDLE_LOCK_SECONDS", raising=False)
    return folder


@pytest.fixture
def app(qapp: Any) -> Any:
    """The configured QApplication, English, zoom 100 %.

    Widgets closed by earlier tests are deleted first (deleteLater needs an event loop turn that a
    test session may never give): otherwise every style-sheet or language change walks hundreds of
    dead windows and the suite slows down test after test."""
    from desktop_app import appearance, language
    from desktop_app.main import configure
    from desktop_app.qt import QApplication, QEvent

    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    if not qapp.property("abc_mdt_configured"):
        configure(qapp, "en")
        qapp.setProperty("abc_mdt_configured", True)
    yield qapp
    if language.current_language() != "en":
        language.set_language("en")
    if appearance.zoom_factor() != 1.0:
        appearance.zoom_reset(qapp)


class DialogLog:
    """Stands in for desktop_app.dialogs: records every question and gives the scripted answer."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple]] = []
        self.store_error_answer = "close"
        self.unsaved_answer = "discard"
        self.recover_answer: tuple[str, str | None] = ("later", None)
        self.conflict_answer = "cancel"
        self.instance_answer = "read_only"
        self.confirm_answer = True
        self.offline_conflict_answer = "later"
        self.open_paths: list[str] = []
        self.save_paths: list[str] = []

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from desktop_app import dialogs

        def record(name: str, answer: Any):
            def fake(*args: Any, **kwargs: Any) -> Any:
                self.calls.append((name, args))
                return answer() if callable(answer) else answer
            return fake

        monkeypatch.setattr(dialogs, "message", record("message", None))
        monkeypatch.setattr(dialogs, "store_error", record("store_error", lambda: self.store_error_answer))
        monkeypatch.setattr(dialogs, "unsaved_changes", record("unsaved_changes", lambda: self.unsaved_answer))
        monkeypatch.setattr(dialogs, "recover_drafts", record("recover_drafts", lambda: self.recover_answer))
        monkeypatch.setattr(dialogs, "open_file", record("open_file", lambda: self.open_paths.pop(0)))
        monkeypatch.setattr(dialogs, "save_file", record("save_file", lambda: self.save_paths.pop(0)))
        monkeypatch.setattr(dialogs, "version_conflict", record("version_conflict", lambda: self.conflict_answer))
        monkeypatch.setattr(dialogs, "second_instance", record("second_instance", lambda: self.instance_answer))
        monkeypatch.setattr(dialogs, "confirm", record("confirm", lambda: self.confirm_answer))
        monkeypatch.setattr(dialogs, "offline_conflict",
                            record("offline_conflict", lambda: self.offline_conflict_answer))


@pytest.fixture
def dialog_log(monkeypatch: pytest.MonkeyPatch) -> DialogLog:
    log = DialogLog()
    log.install(monkeypatch)
    return log


@pytest.fixture
def store(data_dir: Path) -> Any:
    from guideline_db.store import CaseStore

    opened = CaseStore.open(data_dir / "cases.sqlite", mounts_file=None, user="tester")
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot: Any, app: Any, store: Any, dialog_log: DialogLog) -> Any:
    from desktop_app.main_window import MainWindow

    main = MainWindow(store=store)
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    main.activateWindow()
    qtbot.waitExposed(main)
    yield main
    main.editor.dirty = False
    main.autosave_timer.stop()


@pytest.fixture
def editor(qtbot: Any, app: Any) -> Any:
    from desktop_app.case_editor import CaseEditor

    widget = CaseEditor()
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    return widget
