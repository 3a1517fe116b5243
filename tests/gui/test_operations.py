"""desktop_app.operations: work runs off the UI thread, its result comes back on the UI thread."""

from __future__ import annotations

import threading
import time
from typing import Any


def test_work_runs_off_the_ui_thread_and_success_comes_back_on_it(qtbot: Any, app: Any) -> None:
    from desktop_app.operations import is_running, run_in_background

    ui_thread = threading.get_ident()
    seen: dict[str, Any] = {}

    def work() -> int:
        seen["work"] = threading.get_ident()
        return 42

    def success(result: int) -> None:
        seen["success"] = threading.get_ident()
        seen["result"] = result

    operation = run_in_background(None, work, success, lambda exc: seen.setdefault("failure", exc), "sum")
    assert is_running()
    with qtbot.waitSignal(operation.done, timeout=5000):
        pass
    assert seen["work"] != ui_thread
    assert seen["success"] == ui_thread and seen["result"] == 42
    assert "failure" not in seen and not is_running()


def test_an_exception_reaches_on_failure_on_the_ui_thread(qtbot: Any, app: Any) -> None:
    from desktop_app.operations import run_in_background

    seen: dict[str, Any] = {}

    def work() -> None:
        raise ValueError("bad passphrase")

    def failure(exc: Exception) -> None:
        seen["failure"], seen["thread"] = exc, threading.get_ident()

    operation = run_in_background(None, work, lambda result: seen.setdefault("success", result), failure, "x")
    with qtbot.waitSignal(operation.done, timeout=5000):
        pass
    assert isinstance(seen["failure"], ValueError) and str(seen["failure"]) == "bad passphrase"
    assert seen["thread"] == threading.get_ident() and "success" not in seen


def test_without_on_failure_the_error_is_shown(qtbot: Any, app: Any, dialog_log: Any) -> None:
    from desktop_app.operations import run_in_background

    def work() -> None:
        raise OSError("disk full")

    operation = run_in_background(None, work, lambda _result: None, label="Export")
    with qtbot.waitSignal(operation.done, timeout=5000):
        pass
    assert dialog_log.names() == ["message"]
    assert dialog_log.calls[0][1][1:] == ("Export", "disk full")


def test_the_ui_stays_responsive_with_progress_during_a_slow_job(qtbot: Any, app: Any) -> None:
    from desktop_app.operations import SHOW_AFTER_MS, run_in_background
    from desktop_app.qt import QProgressDialog, QPushButton, QTimer, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    button = QPushButton("Go", window)
    window.show()
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    progress_seen: list[bool] = []
    results: list[str] = []

    def check_progress() -> None:
        progress = window.findChild(QProgressDialog, "operation_progress")
        progress_seen.append(progress is not None and progress.isVisible())

    QTimer.singleShot(SHOW_AFTER_MS + 150, check_progress)
    started = time.monotonic()
    operation = run_in_background(window, lambda: time.sleep(0.6) or "done", results.append, label="Slow",
                                  disable=[button])
    assert not button.isEnabled()
    with qtbot.waitSignal(operation.done, timeout=5000):
        pass
    timer.stop()
    assert results == ["done"] and time.monotonic() - started >= 0.6
    assert len([t for t in ticks if t < started + 0.6]) >= 10     # the event loop kept turning meanwhile
    assert progress_seen == [True]                                 # a busy dialog appeared after 300 ms
    assert button.isEnabled()
    progress = window.findChild(QProgressDialog, "operation_progress")
    assert progress is None or not progress.isVisible()


def test_a_quick_job_shows_no_progress_dialog(qtbot: Any, app: Any) -> None:
    from desktop_app.operations import run_in_background
    from desktop_app.qt import QProgressDialog, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    operation = run_in_background(window, lambda: 1, lambda _result: None, label="Quick")
    with qtbot.waitSignal(operation.done, timeout=5000):
        pass
    qtbot.wait(400)
    assert window.findChild(QProgressDialog, "operation_progress") is None


def test_callbacks_are_skipped_when_the_parent_window_is_gone(qtbot: Any, app: Any) -> None:
    from desktop_app.operations import run_in_background
    from desktop_app.qt import QApplication, QEvent, QWidget, is_alive

    window = QWidget()
    release = threading.Event()
    called: list[Any] = []
    operation = run_in_background(window, lambda: release.wait(5), called.append, called.append, "closed")
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not is_alive(window)
    release.set()
    with qtbot.waitSignal(operation.done, timeout=5000):
        pass
    assert called == []
