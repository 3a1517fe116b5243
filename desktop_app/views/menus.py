"""The menu entries of the views (issues 16 and 17), added to the main window by `install(window)`.

Why here and not in main_window.py: the window's menus are shared by several changes at once; this keeps its
hunk to one call. The controller re-labels its actions on the window's LanguageChange and keeps the open views
(non-modal windows beside the form).
"""

from __future__ import annotations

from typing import Any

from desktop_app import dialogs
from desktop_app.qt import QAction, QEvent, QKeySequence, QObject


class ViewMenus(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.setObjectName("view_menus")
        self.window = window
        self.actions: dict[str, QAction] = {}
        self.views: dict[str, Any] = {}
        self.present_view: Any = None
        a = self._action
        a("fhir_export", lambda: self._fhir_export(False))
        a("fhir_export_pseudo", lambda: self._fhir_export(True))
        a("fhir_import", self._fhir_import)
        a("list_export", self._list_export)
        a("list_print", self._list_print)
        a("archive", lambda: self._open("archive"))
        a("meeting", lambda: self._open("meeting"), "Ctrl+Shift+G")
        a("back_to_meeting", self.back_to_meeting, "Ctrl+Shift+M").setEnabled(False)
        a("due", lambda: self._open("due"))
        a("concordance", lambda: self._open("concordance"))
        a("impact", lambda: self._open("impact"))
        a("audit_log", lambda: self._open("audit"))
        file_menu = window.file_menu
        quit_action = window.actions_by_name["quit"]
        before = next((act for act in file_menu.actions() if act.menu() is window.recent_menu), quit_action)
        for name in ("fhir_export", "fhir_export_pseudo", "fhir_import", None, "list_export", "list_print",
                     "archive", None):
            if name is None:
                file_menu.insertSeparator(before)
            else:
                file_menu.insertAction(before, self.actions[name])
        self.board_menu = window.menuBar().addMenu("")
        window.menuBar().insertMenu(window.help_menu.menuAction(), self.board_menu)
        for name in ("meeting", "back_to_meeting", None, "due", "concordance", "impact", None, "audit_log"):
            self.board_menu.addSeparator() if name is None else self.board_menu.addAction(self.actions[name])
        window.installEventFilter(self)
        self.retranslate()

    def _action(self, name: str, slot: Any, shortcut: str = "") -> QAction:
        action = QAction(self.window)
        action.setObjectName(f"action_{name}")
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        self.actions[name] = action
        self.window.actions_by_name[name] = action
        return action

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 (Qt override)
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def close_all(self) -> None:
        """Close the open views and the present mode (before the store they read is closed)."""
        if self.present_view is not None:
            self.present_view.close()
        for view in self.views.values():
            view.close()
        self.views.clear()

    def retranslate(self) -> None:
        texts = {
            "fhir_export": self.tr("Export F&HIR bundle…"),
            "fhir_export_pseudo": self.tr("Export pseudonymised FHIR bundle…"),
            "fhir_import": self.tr("Import FHIR &bundle…"),
            "list_export": self.tr("Export &list…"), "list_print": self.tr("Prin&t list…"),
            "archive": self.tr("Case &archive (export / import many cases)…"),
            "meeting": self.tr("&Meeting agenda and present mode…"),
            "back_to_meeting": self.tr("&Back to the meeting (save the decision)"),
            "due": self.tr("&Follow-up worklist…"), "concordance": self.tr("&Concordance audit…"),
            "impact": self.tr("Guideline-edition &impact…"), "audit_log": self.tr("Audit &log (read-only)…"),
        }
        for name, text in texts.items():
            self.actions[name].setText(text)
        self.board_menu.setTitle(self.tr("&Board"))

    # -- issue 16 ----------------------------------------------------------------------------------
    def _fhir_export(self, pseudonymise: bool) -> Any:
        from desktop_app.views import fhir_exchange

        return fhir_exchange.export_bundle(self.window, pseudonymise)

    def _fhir_import(self) -> Any:
        from desktop_app.views import fhir_exchange

        return fhir_exchange.import_bundle(self.window)

    def _list_export(self) -> Any:
        from desktop_app.views import list_export

        return list_export.export_list(self.window)

    def _list_print(self) -> Any:
        from desktop_app.views import list_export

        return list_export.print_list(self.window)

    # -- the views ---------------------------------------------------------------------------------
    def _needs_store(self) -> bool:
        if self.window.store is None:
            dialogs.message(self.window, self.tr("No case store"),
                            self.tr("This view reads the case store, which is not open."), warning=True)
            return False
        return True

    def _open(self, name: str) -> Any:
        """Open (or bring back) the view `name`; the view is built on the store now open."""
        if not self._needs_store():
            return None
        view = self.views.get(name)
        if view is None or getattr(view, "store", None) is not self.window.store:
            view = self._build(name)
            self.views[name] = view
        elif hasattr(view, "refresh"):
            view.refresh()
        view.show()
        view.raise_()
        view.activateWindow()
        return view

    def _build(self, name: str) -> Any:
        store, window = self.window.store, self.window
        if name == "archive":
            from desktop_app.views.archive_view import ArchiveView

            view = ArchiveView(window)
            view.store = store
            return view
        if name == "meeting":
            from desktop_app.views.meeting_view import MeetingView

            view = MeetingView(store, window)
            view.presentRequested.connect(self.present)
        elif name == "due":
            from desktop_app.views.due_view import DueView

            view = DueView(store, window)
        elif name == "concordance":
            from desktop_app.views.concordance_view import ConcordanceView

            view = ConcordanceView(store, window)
        elif name == "impact":
            from desktop_app.views.impact_view import ImpactView

            view = ImpactView(store, window)
        else:
            from desktop_app.views.audit_view import AuditLogView

            return AuditLogView(store, window, window.editor.stored_case_id)
        if hasattr(view, "openRequested"):
            view.openRequested.connect(self.open_case)
        return view

    def open_case(self, case_id: str) -> bool:
        """A double click in a view: the case in the form, the window brought in front of the view."""
        if not self.window.open_case(case_id):
            return False
        self.window.raise_()
        self.window.activateWindow()
        return True

    # -- present mode ------------------------------------------------------------------------------
    def present(self, items: list[Any], start: int = 0) -> Any:
        from desktop_app.views.present_view import PresentView

        if self.present_view is not None:
            self.present_view.close()
        self.present_view = PresentView(self.window.store, items, start, self.window)
        self.present_view.recordRequested.connect(self.record)
        self.present_view.left.connect(self._present_left)
        self.present_view.showFullScreen()
        self.present_view.activateWindow()
        self.present_view.setFocus()
        return self.present_view

    def record(self, case_id: str) -> bool:
        """Enter in present mode: the case at the decision step of the form; Ctrl+Shift+M saves and comes back."""
        window = self.window
        if not window.open_case(case_id):
            return False
        window.editor.go_to(window.editor._index("decision"))
        self.present_view.hide()
        self.actions["back_to_meeting"].setEnabled(True)
        window.show()
        window.activateWindow()
        window.statusBar().showMessage(self.tr("Record the decision, then Board → Back to the meeting (Ctrl+Shift+M) "
                                               "saves it and shows the next case."), 0)
        return True

    def back_to_meeting(self) -> bool:
        """Save the decision typed (the window's own save: validation, conflict check, audit), then the next case."""
        if self.present_view is None:
            return False
        window = self.window
        if window.editor.dirty and window.save() is None:
            return False                  # not saved: the window said why; the form keeps the typing
        self.actions["back_to_meeting"].setEnabled(False)
        window.statusBar().clearMessage()
        self.present_view.resume(advance=True)
        self.present_view.showFullScreen()
        self.present_view.activateWindow()
        self.present_view.setFocus()
        return True

    def _present_left(self) -> None:
        """Esc or F11 in present mode: the meeting is over (the agenda view is still open)."""
        self.actions["back_to_meeting"].setEnabled(False)
        self.present_view = None


def install(window: Any) -> ViewMenus:
    return ViewMenus(window)
