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
from desktop_app.qt import QAction, QApplication, QDockWidget, QKeySequence, QLabel, QMainWindow, Qt, QTimer
from desktop_app.store_actions import StoreActions
from desktop_app.widgets.fields import LanguageAware

AUTOSAVE_MS = 3000


class MainWindow(LanguageAware, StoreActions, QMainWindow):
    def __init__(self, store: Any = None, store_problem: str = "") -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.store = store
        self.editor = CaseEditor(self)
        self.setCentralWidget(self.editor)
        self.case_list = CaseListPanel(self)
        self.dock = QDockWidget(self)
        self.dock.setObjectName("case_list_dock")
        self.dock.setWidget(self.case_list)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                              | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        self.dock.visibilityChanged.connect(lambda visible: self.editor.set_live_allowed(not visible))
        self.case_list.set_store(store, store_problem)
        self.case_list.openRequested.connect(self.open_case)
        self.case_list.newRequested.connect(self.new_case)
        self.case_list.importRequested.connect(self.import_case)
        self.case_list.exportRequested.connect(self.export_case)
        self.case_list.storeFailed.connect(lambda exc: self._store_failed(exc, self.tr("read the case list")))
        self.editor.saveRequested.connect(self.save)
        self.editor.edited.connect(self._edited)
        self.editor.evaluated.connect(lambda _evaluation: self._update_status())
        self.status_case = QLabel(self)
        self.status_zoom = QLabel(self)
        self.statusBar().addPermanentWidget(self.status_case)
        self.statusBar().addPermanentWidget(self.status_zoom)
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
        self.retranslate()
        self.resize(1280, 800)

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
        a("case_list", self.toggle_case_list, ("Ctrl+L",))
        a("zoom_in", lambda: self.zoom("in"), ("Ctrl+=", "Ctrl++"))
        a("zoom_out", lambda: self.zoom("out"), ("Ctrl+-",))
        a("zoom_reset", lambda: self.zoom("reset"), ("Ctrl+0",))
        a("lock_now", self.idle_lock.lock, ("Ctrl+Alt+L",))
        a("idle_lock_time", self.configure_idle_lock)
        a("lang_zh", lambda: self.set_language("zh"))
        a("lang_en", lambda: self.set_language("en"))
        a("lang_toggle", lambda: self.set_language("en" if language.current_language() == "zh" else "zh"),
          ("Ctrl+Shift+L",))
        for i in range(len(self.editor.pages)):
            a(f"step_{i + 1}", lambda i=i: self.editor.go_to(i), (f"Ctrl+{i + 1}",))
        a("next_step", lambda: self.editor.go_to(self.editor.current_step() + 1), ("Ctrl+PgDown",))
        a("previous_step", lambda: self.editor.go_to(self.editor.current_step() - 1), ("Ctrl+PgUp",))
        a("basis", lambda: self.editor.review.open_details(), ("F3",))
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        for name in ("new", "open", "import", None, "save", "export", "export_pseudo", "report", None, "quit"):
            self.file_menu.addSeparator() if name is None else self.file_menu.addAction(self.actions_by_name[name])
        self.view_menu = bar.addMenu("")
        for name in ("case_list", None, "zoom_in", "zoom_out", "zoom_reset", None, "lock_now", "idle_lock_time"):
            self.view_menu.addSeparator() if name is None else self.view_menu.addAction(self.actions_by_name[name])
        self.language_menu = self.view_menu.addMenu("")
        self.language_menu.addAction(self.actions_by_name["lang_zh"])
        self.language_menu.addAction(self.actions_by_name["lang_en"])
        self.language_menu.addAction(self.actions_by_name["lang_toggle"])
        self.go_menu = bar.addMenu("")
        for i in range(len(self.editor.pages)):
            self.go_menu.addAction(self.actions_by_name[f"step_{i + 1}"])
        self.go_menu.addSeparator()
        for name in ("next_step", "previous_step", "basis"):
            self.go_menu.addAction(self.actions_by_name[name])

    def retranslate(self) -> None:
        texts = {
            "new": self.tr("&New case"), "open": self.tr("&Open case…"), "import": self.tr("&Import case JSON…"),
            "export": self.tr("&Export case JSON…"), "export_pseudo": self.tr("Export &pseudonymised JSON…"),
            "save": self.tr("&Save version"), "report": self.tr("&Report / 报告…"), "quit": self.tr("&Quit"),
            "case_list": self.tr("&Case list"), "zoom_in": self.tr("Zoom &in (projector)"),
            "zoom_out": self.tr("Zoom &out"), "zoom_reset": self.tr("&Actual size"),
            "lock_now": self.tr("Loc&k now (hide patient data)"), "idle_lock_time": self.tr("Idle-lock &time…"),
            "lang_zh": "中文", "lang_en": "English", "lang_toggle": self.tr("Switch language"),
            "next_step": self.tr("&Next step"), "previous_step": self.tr("&Previous step"),
            "basis": self.tr("Open &basis of the selected line"),
        }
        for name, text in texts.items():
            self.actions_by_name[name].setText(text)
        for i, page in enumerate(self.editor.pages):
            self.actions_by_name[f"step_{i + 1}"].setText(page.title_text())
        self.file_menu.setTitle(self.tr("&File"))
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
        self.setWindowTitle(f"abc-mdt — {case_id or new_case}[*]")
        self.setWindowModified(self.editor.dirty)
        self.status_case.setText(self._summary())
        self.status_zoom.setText(f"{round(appearance.zoom_factor() * 100)} %")

    def _summary(self) -> str:
        """One line for the status bar: subtype, line, endocrine status, first preferred option."""
        from desktop_app import labels

        evaluation = self.editor.evaluation
        if evaluation is None:
            return ""
        facts = evaluation.facts
        parts = [evaluation.case_id, labels.fact_value("subtype", facts["subtype"].value),
                 f"{labels.fact_name('advanced_line')} {facts['advanced_line'].value}"]
        if facts["endocrine_status"].value != "not_applicable":
            parts.append(labels.fact_value("endocrine_status", facts["endocrine_status"].value))
        preferred = [o for o in evaluation.systemic if o.tier == "preferred"]
        if preferred:
            parts.append(f"{labels.tier_name('preferred')}: {preferred[0].label(language.current_language())}")
        return "  ·  ".join(parts)

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
            self.dock.setVisible(False)
        else:
            self.show_case_list()

    def show_case_list(self) -> None:
        self.dock.setVisible(True)
        self.resizeDocks([self.dock], [min(560, self.width() // 2)], Qt.Orientation.Horizontal)
        self.case_list.refresh()
        self.case_list.search.setFocus()
        self.case_list.search.selectAll()

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
        self.autosave_timer.stop()
        self.idle_lock.stop()
        event.accept()
