"""Lock the app after a while without keyboard or mouse input, hiding every patient detail.

Why: the app runs on a tumour-board projector and on shared ward PCs; a case left open when the
room empties shows a patient's name, history and plan to whoever walks in. There is no password
system to unlock with — the point is that nothing identifiable stays on screen unattended — so the
lock is an opaque cover with an Unlock button, and "returning" is pressing it.

How: one application-wide event filter (from the window's first showing on) restarts a single-shot
timer on every key, click, wheel or real mouse movement. When it fires, each window of the app (the main window and its dialogs,
including a modal question that is waiting for an answer) gets a `LockCover`: its own widgets are
hidden (not just painted over, so neither the screen nor accessibility tools can read them), its
actions and shortcuts are disabled, and its title loses the case. Nothing is closed or reset:
unlocking shows the same step, the same typing and the same focus. Timers keep running, so the
draft autosave goes on while the screen is locked.

The idle time: ABC_MDT_IDLE_LOCK_SECONDS (tests, kiosks) overrides the user's setting
(`idle_lock_minutes` in the settings file), which defaults to 10 minutes.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from desktop_app import user_settings
from desktop_app.qt import (
    QAction,
    QApplication,
    QEvent,
    QFrame,
    QLabel,
    QObject,
    QPushButton,
    QSize,
    Qt,
    QTimer,
    QToolTip,
    QVBoxLayout,
    QWidget,
    Signal,
    is_alive,
)

IDLE_ENV = "ABC_MDT_IDLE_LOCK_SECONDS"
SETTING_KEY = "idle_lock_minutes"
DEFAULT_MINUTES = 10
MIN_MINUTES, MAX_MINUTES = 1, 240

INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TabletPress,
    QEvent.Type.InputMethod,
})
TRANSIENT_WINDOWS = (Qt.WindowType.Popup, Qt.WindowType.ToolTip)


# -- the idle time ------------------------------------------------------------------------------------

def configured_minutes(settings: Mapping[str, Any] | None = None) -> int:
    """The user's idle-lock time in minutes (settings file), or the default when unset or invalid."""
    value = (user_settings.load() if settings is None else settings).get(SETTING_KEY)
    if isinstance(value, int) and not isinstance(value, bool) and MIN_MINUTES <= value <= MAX_MINUTES:
        return value
    return DEFAULT_MINUTES


def effective_seconds(environ: Mapping[str, str] | None = None, settings: Mapping[str, Any] | None = None) -> float:
    """ABC_MDT_IDLE_LOCK_SECONDS when it is a positive number, else the configured minutes × 60."""
    raw = (os.environ if environ is None else environ).get(IDLE_ENV, "").strip()
    try:
        seconds = float(raw)
    except ValueError:
        seconds = 0.0
    if math.isfinite(seconds) and seconds > 0:
        return seconds
    return configured_minutes(settings) * 60.0


def save_minutes(minutes: int) -> None:
    """Store the user's choice (raises OSError when the config folder is not writable)."""
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise ValueError(f"idle-lock minutes must be {MIN_MINUTES}-{MAX_MINUTES}, not {minutes}")
    user_settings.save(**{SETTING_KEY: minutes})


# -- the cover ------------------------------------------------------------------------------------

class LockCover(QFrame):
    """An opaque page over one window while the app is locked; its only control is Unlock.

    Keys pressed while locked stop here (Escape would otherwise answer a waiting dialog); Enter,
    Return and Space unlock, so the lock works with the keyboard alone. `compact` (over a dialog):
    the heading and the button only."""

    unlockRequested = Signal()  # noqa: N815

    def __init__(self, window: QWidget, compact: bool = False) -> None:
        super().__init__(window)
        self.setObjectName("idle_lock_cover")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addStretch(1)
        self.heading = QLabel(self.tr("abc-mdt is locked"), self)
        self.heading.setObjectName("idle_lock_heading")
        self.text = QLabel(self.tr("Patient data is hidden because there was no keyboard or mouse input for a "
                                   "while. Unlock to continue where you left off; nothing was closed or lost."), self)
        self.text.setWordWrap(True)
        self.text.setVisible(not compact)       # a dialog's cover: the heading and the button only
        self.button = QPushButton(self.tr("&Unlock"), self)
        self.button.setObjectName("idle_unlock_button")
        self.button.clicked.connect(self.unlockRequested)
        for widget in (self.heading, self.text):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(widget)
        layout.addSpacing(12)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        window.installEventFilter(self)
        self.setGeometry(window.rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.unlockRequested.emit()
        event.accept()


@dataclass(eq=False)
class _Covered:
    """What locking changed on one window, to be put back on unlock."""

    window: QWidget
    cover: LockCover
    title: str
    hidden: list[QWidget] = field(default_factory=list)
    disabled: list[QAction] = field(default_factory=list)
    sizes: tuple[QSize, QSize] | None = None


class IdleLock(QObject):
    """Watches the application's input and locks `window` (and its dialogs) after the idle time."""

    locked = Signal()
    unlocked = Signal()

    def __init__(self, window: QWidget, seconds: float | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._covered: list[_Covered] = []
        self._focus: QWidget | None = None
        self._last_mouse: Any = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._idle_elapsed)
        self.set_timeout(effective_seconds() if seconds is None else seconds)
        self._watching = False
        window.installEventFilter(self)     # only until the window is first shown: see _watch_input

    # -- state ---------------------------------------------------------------------------------
    @property
    def is_locked(self) -> bool:
        return bool(self._covered)

    @property
    def timeout_seconds(self) -> float:
        return self._timer.interval() / 1000

    def set_timeout(self, seconds: float) -> None:
        """Change the idle time; the wait starts again from now."""
        self._timer.setInterval(max(1, round(seconds * 1000)))
        if not self.is_locked:
            self._timer.start()

    def stop(self) -> None:
        """No more locking (the window is closing)."""
        self._timer.stop()

    def covers(self) -> list[LockCover]:
        return [c.cover for c in self._covered]

    # -- input -----------------------------------------------------------------------------------
    def _watch_input(self) -> None:
        """Watch every event of the application from now on.

        Why not from the start: every event then passes through this Python method (≈2 µs each), and
        building and first showing the window sends tens of thousands of them (≈90 ms of start-up),
        none of them input. So the filter sits on the window alone until it is shown, and moves to
        the application once the first frame's events are through."""
        app = QApplication.instance()
        if self._watching or app is None:
            return
        self._window.removeEventFilter(self)
        app.installEventFilter(self)
        self._watching = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if not self._watching:
            if kind == QEvent.Type.Show and watched is self._window:
                QTimer.singleShot(0, self._watch_input)
            return False
        if kind in INPUT_EVENTS:
            if not self._covered and self._is_activity(event):
                self._timer.start()
        elif self._covered and kind in (QEvent.Type.Show, QEvent.Type.LayoutRequest) and isinstance(watched, QWidget):
            if kind == QEvent.Type.LayoutRequest:
                return any(c.window is watched and c.sizes is not None for c in self._covered)
            if watched.isWindow():
                self._cover(watched)        # a dialog that opens while locked (an autosave failure) is covered too
        return False

    def _is_activity(self, event: QEvent) -> bool:
        """A mouse "move" that leaves the pointer where it was (Qt can send these when widgets appear
        or vanish under a resting pointer) is not someone at the desk."""
        if event.type() != QEvent.Type.MouseMove:
            return True
        position = event.globalPosition()
        if position == self._last_mouse:
            return False
        self._last_mouse = position
        return True

    def _idle_elapsed(self) -> None:
        if self._window.isVisible():
            self.lock()
        else:
            self._timer.start()         # not shown yet: wait until it is

    # -- lock and unlock -----------------------------------------------------------------------
    def lock(self) -> None:
        """Cover every window of the app now (also the "Lock now" action)."""
        if self.is_locked or not self._window.isVisible():
            return
        self._timer.stop()
        self._focus = QApplication.focusWidget()
        QToolTip.hideText()
        popup = QApplication.activePopupWidget()
        while popup is not None:            # a completer's list shows what was being typed
            popup.close()
            following = QApplication.activePopupWidget()
            popup = None if following is popup else following
        for window in [self._window, *self._other_windows()]:
            self._cover(window)
        modal = QApplication.activeModalWidget()
        target = next((c.cover for c in self._covered if c.window is modal), self._covered[0].cover)
        target.button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.locked.emit()

    def unlock(self) -> None:
        """Show everything again as it was."""
        if not self.is_locked:
            return
        covered, self._covered = self._covered, []
        for record in reversed(covered):
            self._uncover(record)
        focus, self._focus = self._focus, None
        if focus is not None and is_alive(focus) and focus.isVisible():
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self._timer.start()
        self.unlocked.emit()

    def _other_windows(self) -> list[QWidget]:
        """Visible windows that belong to this window: its dialogs, and parentless windows no other
        main window (with its own lock) owns."""
        windows = []
        for widget in QApplication.topLevelWidgets():
            if widget is self._window or not widget.isVisible() or widget.windowType() in TRANSIENT_WINDOWS:
                continue
            root = widget
            while root.parentWidget() is not None:
                root = root.parentWidget()
            owned = root is self._window or (root is widget and not isinstance(getattr(widget, "idle_lock", None),
                                                                               IdleLock))
            if owned:
                windows.append(widget)
        return windows

    def _cover(self, window: QWidget) -> None:
        if window.windowType() in TRANSIENT_WINDOWS or any(c.window is window for c in self._covered):
            return
        dialog = window is not self._window
        record = _Covered(window, LockCover(window, compact=dialog), window.windowTitle())
        self._covered.append(record)
        if dialog:
            # A dialog sizes itself to its contents (QMessageBox insists, on every LayoutRequest): keep
            # its size while the contents are hidden (eventFilter swallows the requests), big enough
            # for the cover, and give it back on unlock.
            record.sizes = (window.minimumSize(), window.maximumSize())
            if window.layout() is not None:
                window.layout().setEnabled(False)
            self._keep_size(record)
            QTimer.singleShot(0, lambda: self._keep_size(record))    # after a showEvent that resized it
        for child in window.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if child is not record.cover and not child.isWindow() and not child.isHidden():
                child.hide()
                record.hidden.append(child)
        actions = {id(a): a for a in [*window.findChildren(QAction), *window.actions()]}
        for action in actions.values():
            if action.isEnabled():
                action.setEnabled(False)
                record.disabled.append(action)
        window.setWindowTitle(self.tr("abc-mdt — locked") + ("" if dialog else "[*]"))
        record.cover.unlockRequested.connect(self.unlock)
        record.cover.setGeometry(window.rect())
        record.cover.show()
        record.cover.raise_()

    def _keep_size(self, record: _Covered) -> None:
        if record in self._covered and is_alive(record.window):
            record.window.setFixedSize(record.window.size().expandedTo(record.cover.sizeHint()))

    def _uncover(self, record: _Covered) -> None:
        window = record.window
        if not is_alive(window):
            return
        if is_alive(record.cover):
            window.removeEventFilter(record.cover)
            record.cover.hide()
            record.cover.deleteLater()
        for child in record.hidden:
            if is_alive(child):
                child.show()
        for action in record.disabled:
            if is_alive(action):
                action.setEnabled(True)
        if record.sizes is not None:
            if window.layout() is not None:
                window.layout().setEnabled(True)
            window.setMinimumSize(record.sizes[0])
            window.setMaximumSize(record.sizes[1])
            QApplication.postEvent(window, QEvent(QEvent.Type.LayoutRequest))   # let it size itself again
        window.setWindowTitle(record.title)
