"""Long work off the UI thread, with visible progress (Anki's `aqt.operations`).

`run_in_background(parent, work, on_success, on_failure, label, disable)` runs `work()` on a worker
thread and calls `on_success(result)` or `on_failure(exception)` back on the UI thread, through a
queued Qt signal. Meanwhile the widgets in `disable` are disabled and, if the work takes longer than
`SHOW_AFTER_MS`, a busy dialog (indeterminate progress bar, no cancel button) names what is running.

Rules for callers:
- `work` is pure computation (building PDF bytes, signing them, flattening stamps): it never touches
  a widget, and never a CaseStore, whose SQLite connection belongs to the UI thread. Read the inputs
  before starting and write the results (widgets, store) in `on_success`.
- Jobs run one at a time, in the order started (one worker thread, like Anki's collection ops): the
  PDF and signing libraries keep process-wide state (registered fonts, caches) that was never meant
  to be shared between threads.
- When `parent` has been deleted by the time the work ends (a window closed meanwhile), the
  callbacks are skipped: there is nothing left to update.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from desktop_app import dialogs
from desktop_app.qt import (
    QApplication,
    QObject,
    QProgressDialog,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    QWidget,
    Signal,
    is_alive,
)

T = TypeVar("T")
SHOW_AFTER_MS = 300

_running: set[Operation] = set()        # keeps each operation (and its signals) alive until it ends
_disabled: dict[QWidget, int] = {}      # widget -> how many running operations disabled it
_pool: QThreadPool | None = None


def thread_pool() -> QThreadPool:
    """The app's one worker thread (owned by the QApplication, whose end waits for a running job)."""
    global _pool
    if _pool is None or not is_alive(_pool):
        _pool = QThreadPool(QApplication.instance())
        _pool.setMaxThreadCount(1)
    return _pool


def is_running() -> bool:
    """True while any background operation has not delivered its result yet."""
    return bool(_running)


class Operation(QObject):
    """One background job. `done` is emitted on the UI thread after its callback has run."""

    succeeded = Signal(object)
    failed = Signal(object)
    done = Signal()

    def __init__(self, parent: QWidget | None, on_success: Callable[[Any], None],
                 on_failure: Callable[[Exception], None], label: str, disable: Iterable[QWidget]) -> None:
        super().__init__()          # no Qt parent: it must outlive a parent window closed meanwhile
        self._parent = parent
        self._on_success = on_success
        self._on_failure = on_failure
        self._label = label
        self._disabled = [widget for widget in disable if widget is not None]
        self._progress: QProgressDialog | None = None
        self.finished = False
        # Emitted from the worker thread; queued, so the slots run on this object's (the UI) thread.
        self.succeeded.connect(self._succeeded, Qt.ConnectionType.QueuedConnection)
        self.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_progress)

    def start(self, work: Callable[[], Any]) -> None:
        _running.add(self)
        for widget in self._disabled:
            _disabled[widget] = _disabled.get(widget, 0) + 1
            widget.setEnabled(False)
        self._timer.start(SHOW_AFTER_MS)
        thread_pool().start(_Job(work, self))

    def _show_progress(self) -> None:
        if self.finished or (self._parent is not None and not is_alive(self._parent)):
            return
        progress = QProgressDialog(self._label, "", 0, 0, self._parent)
        progress.setObjectName("operation_progress")
        progress.setCancelButton(None)
        progress.setWindowTitle(self._label)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.show()
        self._progress = progress

    def _end(self) -> bool:
        """Hide the progress and re-enable the widgets; False when the parent window is gone."""
        self.finished = True
        self._timer.stop()
        if self._progress is not None and is_alive(self._progress):
            self._progress.close()
            self._progress.deleteLater()
        self._progress = None
        for widget in self._disabled:
            left = _disabled.get(widget, 1) - 1
            if left > 0:
                _disabled[widget] = left
                continue
            _disabled.pop(widget, None)
            if is_alive(widget):
                widget.setEnabled(True)
        return self._parent is None or is_alive(self._parent)

    def _succeeded(self, result: Any) -> None:
        try:
            if self._end():
                self._on_success(result)
        finally:
            self._finish()

    def _failed(self, error: Exception) -> None:
        try:
            if self._end():
                self._on_failure(error)
        finally:
            self._finish()

    def _finish(self) -> None:
        _running.discard(self)
        self.done.emit()


class _Job(QRunnable):
    """Runs on the worker thread: calls `work` and emits its outcome; touches no widget."""

    def __init__(self, work: Callable[[], Any], operation: Operation) -> None:
        super().__init__()
        self._work: Callable[[], Any] | None = work
        self._operation = operation

    def run(self) -> None:
        work, self._work = self._work, None     # drop the closure (it may hold a passphrase) once run
        try:
            result = work()
        except Exception as exc:   # delivered to on_failure on the UI thread
            self._operation.failed.emit(exc)
        else:
            self._operation.succeeded.emit(result)


def run_in_background(parent: QWidget | None, work: Callable[[], T], on_success: Callable[[T], None],
                      on_failure: Callable[[Exception], None] | None = None, label: str = "",
                      disable: Iterable[QWidget] = ()) -> Operation:
    """Run `work()` off the UI thread; `on_success(result)` or `on_failure(exc)` then runs on the UI thread.

    Without `on_failure`, the error is shown in a warning message titled `label`. Returns the
    operation, whose `done` signal fires once the callback has run (tests wait on it).
    """
    if on_failure is None:
        def on_failure(exc: Exception) -> None:
            dialogs.message(parent, label, str(exc), warning=True)
    operation = Operation(parent, on_success, on_failure, label, disable)
    operation.start(work)
    return operation
