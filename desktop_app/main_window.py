"""The main window: menus and shortcuts, the case list dock, the wizard, saving and autosave.

Why the store is reached only from here: every store call can fail (disk full, read-only folder,
another window saving...), and each failure must end in a dialog with a way out, never a traceback
and never lost typing. Autosave writes the raw form state every few seconds, valid or not (also
while the idle lock hides the window: see idle_lock).
"""

from __future__ import annotations

from typing import Any

from desktop_app import appearance, dialogs, language
from desktop_app.case_editor import CaseEditor
from desktop_app.case_list import CaseListPanel
from desktop_app.idle_lock import MAX_MINUTES, MIN_MINUTES, IdleLock, configured_minutes, save_minutes
from desktop_app.qt import (
    QAction,
    QApplication,
    QDockWidget,
    QKeySequence,
    QLabel,
    QMainWindow,
    QShortcut,
    Qt,
    QTimer,
)
from desktop_app.store_actions import StoreActions
from desktop_app.widgets.fields import LanguageAware

AUTOSAVE_MS = 3000


def help_sheets() -> Any:
    from desktop_app import help as sheets

    return sheets


class MainWindow(LanguageAware, StoreActions, QMainWindow):
    def __init__(self, store: Any = None, store_problem: str = "", lazy: bool = False) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.store = store
        self.editor = CaseEditor(self, evaluate=not lazy)
        self.setCentralWidget(self.editor)
        self.case_list = CaseListPanel(self)
        self.dock = QDockWidget(self)
        self.dock.setObjectName("case_list_dock")
        self.dock.setWidget(self.case_list)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                              | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        self.dock.visibilityChanged.connect(self._case_list_shown)
        if not lazy:
            self.case_list.set_store(store, store_problem)
        self.case_list.openRequested.connect(self.open_case)
        self.case_list.newRequested.connect(self.new_case)
        self.case_list.importRequested.connect(self.import_case)
        self.case_list.exportRequested.connect(self.export_case)
        self.case_list.storeFailed.connect(lambda exc: self._store_failed(exc, self.tr("read the case list")))
        self.case_list.dismissed.connect(self.hide_case_list)
        self.editor.saveRequested.connect(self.save)
        self.editor.edited.connect(self._edited)
        self.editor.evaluated.connect(lambda _evaluation: self._update_status())
        self.editor.removed.connect(self._removed)
        self.status_saved = QLabel(self)
        self.status_saved.setObjectName("status_saved")
        self.status_saved.setVisible(False)
        self.status_case = QLabel(self)
        self.status_case.setObjectName("status_case")
        self.status_case.setMinimumWidth(1)       # the digest's summary can be long: clipped, never widening
        self.status_zoom = QLabel(self)
        self.statusBar().addWidget(self.status_saved)
        self.statusBar().addPermanentWidget(self.status_case, 1)
        self.statusBar().addPermanentWidget(self.status_zoom)
        self.setAcceptDrops(True)
        self.presenting = False
        self._before_present: dict[str, Any] = {}
        self.instance_holder = ""          # set when another window holds the store: this one is read-only
        self._typed_since_autosave = False
        self._autosave_warned = False
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        self.idle_lock = IdleLock(self)
        self.idle_lock.unlocked.connect(self._update_status)
        self.actions_by_name: dict[str, QAction] = {}
        self._build_menus()
        from desktop_app.server_link import ServerLink

        self.server_link = ServerLink(self)      # offline badge, reconnect and push (issue 18)
        if not lazy:
            self.server_link.watch(store)
        self.leave_present_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.leave_present_shortcut.setEnabled(False)
        self.leave_present_shortcut.activated.connect(self.toggle_present)
        self.retranslate()
        self.resize(*self.fitting_size())
        self._first_show = True

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._first_show:
            self._first_show = False
            if self.width() < 1200:
                self.dock.setVisible(False)   # on a 1024-px projector the list crops the form: Ctrl+F opens it

    def attach_store(self, store: Any, problem: str = "", url: str | None = None) -> None:
        """The case store, opened after the first paint (run_gui); until then saving says there is none. Also
        when the window moves between the case server and this PC's offline store (server_link; `url`: the
        server's, when the offline store replaces it)."""
        self.store = store
        self.case_list.set_store(store, problem)
        self.server_link.watch(store, url)

    def fitting_size(self) -> tuple[int, int]:
        """1280×800, or the screen's available area when smaller (a 1024×768 projector)."""
        screen = self.screen() or QApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else None
        if area is None or area.width() <= 0:
            return 1280, 800
        frame_w, frame_h = 16, 40            # the window manager's frame and title bar
        return min(1280, area.width() - frame_w), min(800, area.height() - frame_h)

    # -- menus and shortcuts -------------------------------------------------------------------------
    def _action(self, name: str, slot: Any, shortcuts: tuple[Any, ...] = ()) -> QAction:
        action = QAction(self)
        action.setObjectName(f"action_{name}")
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        self.actions_by_name[name] = action
        return action

    def _build_menus(self) -> None:
        key = QKeySequence.StandardKey
        a = self._action
        a("new", self.new_case, (key.New,))
        a("open", self.show_case_list, (key.Open,))
        a("import", self.import_case, ("Ctrl+I",))
        a("export", lambda: self.export_case(None, False), ("Ctrl+E",))
        a("export_pseudo", lambda: self.export_case(None, True), ("Ctrl+Shift+E",))
        a("save", self.save, (key.Save,))
        a("report", self.open_report, ("Ctrl+P",))
        a("quit", self.close, (key.Quit,))
        a("find_case", self.show_case_list, ("Ctrl+F", "Ctrl+L"))
        a("case_list", self.toggle_case_list)
        a("undo_remove", self.undo_remove, (key.Undo,))
        a("add_row", self.editor.add_row, ("Ctrl+Return", "Ctrl+Enter"))
        a("toggle_sidebar", self.toggle_sidebar, ("Ctrl+B",))
        a("present", self.toggle_present, ("F11",))
        a("about", lambda: help_sheets().show_about(self))
        a("shortcuts", lambda: help_sheets().show_shortcuts(self), ("F1",))
        a("zoom_in", lambda: self.zoom("in"), ("Ctrl+=", "Ctrl++"))
        a("zoom_out", lambda: self.zoom("out"), ("Ctrl+-",))
        a("zoom_reset", lambda: self.zoom("reset"), ("Ctrl+0",))
        a("lock_now", self.idle_lock.lock, ("Ctrl+Alt+L",))
        a("idle_lock_time", self.configure_idle_lock)
        a("lang_zh", lambda: self.set_language("zh"))
        a("lang_en", lambda: self.set_language("en"))
        a("lang_toggle", lambda: self.set_language("en" if language.current_language() == "zh" else "zh"),
          ("Ctrl+Shift+L",))
        for i in range(self.editor.step_count()):
            a(f"step_{i + 1}", lambda i=i: self.editor.go_to(i), (f"Ctrl+{i + 1}",))
        a("next_step", lambda: self.editor.go_to(self.editor.current_step() + 1), ("Ctrl+PgDown",))
        a("previous_step", lambda: self.editor.go_to(self.editor.current_step() - 1), ("Ctrl+PgUp",))
        a("basis", lambda: self.editor.review.open_details(), ("F3",))
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        for name in ("new", "open", "find_case", "import", None, "save", "export", "export_pseudo", "report", None):
            self.file_menu.addSeparator() if name is None else self.file_menu.addAction(self.actions_by_name[name])
        self.recent_menu = self.file_menu.addMenu("")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.actions_by_name["quit"])
        self.edit_menu = bar.addMenu("")
        self.edit_menu.addAction(self.actions_by_name["add_row"])
        self.edit_menu.addAction(self.actions_by_name["undo_remove"])
        self.view_menu = bar.addMenu("")
        for name in ("case_list", "toggle_sidebar", "present", None, "zoom_in", "zoom_out", "zoom_reset", None,
                     "lock_now", "idle_lock_time"):
            self.view_menu.addSeparator() if name is None else self.view_menu.addAction(self.actions_by_name[name])
        self.language_menu = self.view_menu.addMenu("")
        self.language_menu.addAction(self.actions_by_name["lang_zh"])
        self.language_menu.addAction(self.actions_by_name["lang_en"])
        self.language_menu.addAction(self.actions_by_name["lang_toggle"])
        self.go_menu = bar.addMenu("")
        for i in range(self.editor.step_count()):
            self.go_menu.addAction(self.actions_by_name[f"step_{i + 1}"])
        self.go_menu.addSeparator()
        for name in ("next_step", "previous_step", "basis"):
            self.go_menu.addAction(self.actions_by_name[name])
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.actions_by_name["shortcuts"])
        self.help_menu.addAction(self.actions_by_name["about"])
        # FHIR, lists, archive, audit log in File; the Board menu (issues 16, 17)
        from desktop_app.views import menus as view_menus

        self.view_menus = view_menus.install(self)

    def retranslate(self) -> None:
        texts = {
            "new": self.tr("&New case"), "open": self.tr("&Open case…"), "import": self.tr("&Import case JSON…"),
            "export": self.tr("&Export case JSON…"), "export_pseudo": self.tr("Export &pseudonymised JSON…"),
            "save": self.tr("&Save version"), "report": self.tr("&Report / 报告…"), "quit": self.tr("&Quit"),
            "case_list": self.tr("Show/hide the &case list"), "find_case": self.tr("&Find case…"),
            "undo_remove": self.tr("&Undo remove (specimen, therapy, site, attendee)"),
            "add_row": self.tr("&Add a specimen / therapy / site / attendee to this step"),
            "toggle_sidebar": self.tr("Step &sidebar"), "present": self.tr("&Present the review (full screen)"),
            "about": self.tr("&About abc-mdt"), "shortcuts": self.tr("&Keyboard shortcuts"),
            "zoom_in": self.tr("Zoom &in (projector)"),
            "zoom_out": self.tr("Zoom &out"), "zoom_reset": self.tr("&Actual size"),
            "lock_now": self.tr("Loc&k now (hide patient data)"), "idle_lock_time": self.tr("Idle-lock &time…"),
            "lang_zh": "中文", "lang_en": "English", "lang_toggle": self.tr("Switch language"),
            "next_step": self.tr("&Next step"), "previous_step": self.tr("&Previous step"),
            "basis": self.tr("Open &basis of the selected line"),
        }
        for name, text in texts.items():
            self.actions_by_name[name].setText(text)
        for i in range(self.editor.step_count()):
            self.actions_by_name[f"step_{i + 1}"].setText(self.editor.step_title(i))
        self.file_menu.setTitle(self.tr("&File"))
        self.recent_menu.setTitle(self.tr("Open &recent file"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.view_menu.setTitle(self.tr("&View"))
        self.language_menu.setTitle(self.tr("&Language / 语言"))
        self.go_menu.setTitle(self.tr("&Go"))
        self.dock.setWindowTitle(self.tr("Case list"))
        self._update_status()

    def _update_status(self) -> None:
        if self.idle_lock.is_locked:
            return                     # the title and status bar show the case; unlocking calls this again
        case_id = self.editor.case.case_id if self.editor.case is not None else ""
        new_case = self.tr("new case")
        read_only = f" ({self.tr('read-only')})" if self.editor.read_only else ""
        self.setWindowTitle(f"{case_id or new_case}{read_only}[*]")   # Qt appends " — abc-mdt" (display name)
        self.setWindowModified(self.editor.dirty)
        summary = self._summary()
        self.status_case.setText(summary)
        self.status_case.setToolTip(summary)
        self.status_zoom.setText(f"{round(appearance.zoom_factor() * 100)} %")

    def _summary(self) -> str:
        """One line for the status bar: the digest's summary (subtype, line, endocrine status, crisis, the
        preferred options). The status bar leaves out every digest section (the review shows them)."""
        from desktop_app.digest_view import digest_of

        evaluation = self.editor.evaluation
        if evaluation is None:
            return ""
        return digest_of(evaluation, None, language.current_language()).summary

    # -- view ---------------------------------------------------------------------------------------
    def zoom(self, how: str) -> None:
        app = QApplication.instance()
        {"in": appearance.zoom_in, "out": appearance.zoom_out, "reset": appearance.zoom_reset}[how](app)
        self._update_status()

    def set_language(self, lang: str) -> None:
        language.set_language(lang)
        QApplication.processEvents()   # deliver LanguageChange now, so every widget re-labels at once
        self.retranslate()

    def configure_idle_lock(self) -> None:
        """Ask for the idle-lock minutes, keep them in the settings file and apply them now."""
        minutes = dialogs.idle_minutes(self, configured_minutes(), MIN_MINUTES, MAX_MINUTES)
        if minutes is None:
            return
        self.idle_lock.set_timeout(minutes * 60)
        try:
            save_minutes(minutes)
        except OSError as exc:
            dialogs.message(self, self.tr("Setting not saved"), self.tr(
                "The idle-lock time applies until abc-mdt closes, but could not be saved: %1")
                .replace("%1", exc.strerror or str(exc)), warning=True)
            return
        self.statusBar().showMessage(self.tr("abc-mdt locks after %n minute(s) without input", "", minutes), 8000)

    def toggle_case_list(self) -> None:
        if self.dock.isVisible():
            self.hide_case_list()
        else:
            self.show_case_list()

    def show_case_list(self) -> None:
        """Ctrl+F / Ctrl+L: always open the list and put the cursor in its search (never a toggle: a
        toggle closed the list and the search text went into the patient's hospital ID)."""
        if self.presenting:
            self.toggle_present()
        self.dock.setVisible(True)
        if not self.list_crops_form():
            self.resizeDocks([self.dock], [min(560, self.width() * 2 // 5)], Qt.Orientation.Horizontal)
        self.case_list.refresh()
        self.case_list.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.case_list.search.selectAll()

    def _case_list_shown(self, visible: bool) -> None:
        """On a projector-sized window the open list takes the whole window (beside the form it cropped
        it); on a wide screen it sits beside the form, which then hides its live panel for the room."""
        lock = getattr(self, "idle_lock", None)
        if lock is not None and lock.is_locked:
            return                        # the idle lock hides and restores both itself
        self.editor.set_live_allowed(not visible)
        if visible and self.list_crops_form():
            self._form_hidden_for_list = True
            self.editor.setVisible(False)
            self.resizeDocks([self.dock], [self.width()], Qt.Orientation.Horizontal)
        elif not visible and getattr(self, "_form_hidden_for_list", False):
            self._form_hidden_for_list = False
            self.editor.setVisible(True)

    def list_crops_form(self) -> bool:
        """Would the list beside the form leave the form less room than it needs (1024 px, high zoom)?"""
        beside = min(560, self.width() * 2 // 5)
        return self.width() - beside < self.editor.minimumSizeHint().width() or self.width() < 1200

    def hide_case_list(self) -> None:
        """Esc in the list: close it and go back to the form, cursor in the step."""
        self.dock.setVisible(False)
        self.editor.focus_step()

    def toggle_sidebar(self) -> None:
        self.editor.set_sidebar_visible(self.editor.steps.isHidden())

    def toggle_present(self) -> None:
        """F11: the review alone, full screen, for the projector; Esc or F11 goes back."""
        if not self.presenting:
            self._before_present = {"step": self.editor.current_step(), "dock": self.dock.isVisible(),
                                    "sidebar": not self.editor.steps.isHidden(), "maximized": self.isMaximized()}
            self.presenting = True
            self.dock.setVisible(False)
            self.menuBar().setVisible(False)
            self.statusBar().setVisible(False)
            self.editor.set_sidebar_visible(False)
            self.editor.go_to(self.editor._index("review"))
            self.showFullScreen()
        else:
            before = self._before_present
            self.presenting = False
            self.menuBar().setVisible(True)
            self.statusBar().setVisible(True)
            self.editor.set_sidebar_visible(bool(before.get("sidebar", True)))
            self.showMaximized() if before.get("maximized") else self.showNormal()
            self.editor.go_to(int(before.get("step", 0)))
            self.dock.setVisible(bool(before.get("dock", False)))
        self.leave_present_shortcut.setEnabled(self.presenting)

    def undo_remove(self) -> None:
        what = self.editor.undo_remove()
        if what is None:
            self.statusBar().showMessage(self.tr("Nothing removed to put back"), 4000)
        else:
            self.statusBar().showMessage(self.tr("%1 put back").replace("%1", what), 6000)

    def _removed(self, what: str) -> None:
        self.statusBar().showMessage(self.tr("%1 removed — Ctrl+Z puts it back").replace("%1", what), 10000)

    def _fill_recent(self) -> None:
        from desktop_app import window_settings

        self.recent_menu.clear()
        files = window_settings.recent_files()
        for path in files:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
        if not files:
            self.recent_menu.addAction(self.tr("(none)")).setEnabled(False)

    # -- drag and drop of case files -----------------------------------------------------------------
    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        if self._dropped_path(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        path = self._dropped_path(event.mimeData())
        if path:
            event.acceptProposedAction()
            self.open_path(path)

    @staticmethod
    def _dropped_path(mime: Any) -> str | None:
        urls = mime.urls() if mime is not None and mime.hasUrls() else []
        paths = [u.toLocalFile() for u in urls if u.isLocalFile() and u.toLocalFile().lower().endswith(".json")]
        return paths[0] if len(paths) == 1 else None

    # -- remembered between launches -----------------------------------------------------------------
    def restore_settings(self) -> None:
        """Geometry, docks, zoom, sidebar (the language is restored before the window is built)."""
        from desktop_app import window_settings

        geometry = window_settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = window_settings.value("window_state")
        if state is not None:
            self.restoreState(state)
        zoom = window_settings.value("zoom_index")
        if zoom is not None and str(zoom).lstrip("-").isdigit() and int(zoom) != appearance.DEFAULT_ZOOM_INDEX:
            appearance.set_zoom(QApplication.instance(), int(zoom))
        self.editor.set_sidebar_visible(str(window_settings.value("sidebar", "true")).lower() != "false")
        self._update_status()

    def save_settings(self) -> None:
        from desktop_app import window_settings

        # QSettings never raises: a read-only config folder means nothing is remembered, nothing is lost
        window_settings.put(geometry=self.saveGeometry(), window_state=self.saveState(),
                            zoom_index=appearance.zoom_index(), language=language.current_language(),
                            sidebar="false" if self.editor.steps.isHidden() and not self.presenting else "true")

    def benchmark_interactions(self) -> dict[str, float]:
        """Median ms of a wizard step change and of a live update, and the debounce delay (`make bench`).

        Shown offscreen and in-process; the form is put back as it was (see interaction_bench)."""
        from desktop_app.interaction_bench import benchmark_interactions

        typed = self._typed_since_autosave
        figures = benchmark_interactions(self)
        self._typed_since_autosave = typed
        self._update_status()
        return figures

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        if self.editor.dirty and not self._confirm_replace():
            event.ignore()
            return
        if self.presenting:
            self.toggle_present()
        self.save_settings()
        self.autosave_timer.stop()
        self.idle_lock.stop()
        event.accept()
