"""Working without the hospital's case server, and getting back to it (issue 18, item 4).

When the server cannot be reached (at start, or when a save finds it gone), the window works from this PC's
offline store (guideline_db.store.postgres.offline_store): the cases it last opened, saves kept locally. This
controller shows that in the status bar (a badge that stays while offline), tries the server again every
`RETRY_SECONDS` on its own thread (a connection attempt may take the whole connect timeout; the form must not
freeze meanwhile) and, once the server answers, pushes what was kept — each save checked against the version it
was based on — and switches the window back to the server. A save refused because someone else changed the
case meanwhile is reported with their name; the clinician may open the local version to compare and save it
again over the new version (the usual compare dialog), or keep it for later.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from desktop_app import dialogs
from desktop_app.qt import QAction, QEvent, QLabel, QObject, QTimer, Signal

RETRY_SECONDS = 20
RETRY_ENV = "ABC_MDT_RECONNECT_SECONDS"     # IT (and the tests) may shorten or lengthen the retry interval
BACK_ONLINE_MS = 15000
OFFLINE_STYLE = "QLabel { color: white; background: #b3261e; padding: 1px 6px; font-weight: bold; }"
BACK_STYLE = "QLabel { color: white; background: #1b6e3a; padding: 1px 6px; font-weight: bold; }"


def retry_seconds() -> float:
    try:
        return max(0.2, float(os.environ.get(RETRY_ENV, RETRY_SECONDS)))
    except ValueError:
        return RETRY_SECONDS


def go_offline(url: str) -> Any:
    """This PC's offline store for the server at `url` (the GUI's choice "work offline")."""
    from guideline_db.store.postgres.offline_store import OfflineStore
    from guideline_db.store.postgres.store import display_url
    from guideline_db.store.selection import open_offline_cache

    return OfflineStore(open_offline_cache(), display_url(url))


class ServerLink(QObject):
    """The window's link to the case server while it is offline: badge, reconnect timer, push on return."""

    attempted = Signal(object, object)       # (server store or None, error or None), from the worker thread

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.setObjectName("server_link")
        self.window = window
        self.url: str | None = None
        self.trying = False
        self.badge = QLabel(window)
        self.badge.setObjectName("status_offline")
        self.badge.setStyleSheet(OFFLINE_STYLE)
        self.badge.setVisible(False)
        window.statusBar().insertPermanentWidget(1, self.badge)   # after the "saved" note, before the case
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.try_now)
        self.attempted.connect(self._attempted)
        self.action = QAction(window)
        self.action.setObjectName("action_reconnect")
        self.action.setShortcut("Ctrl+Shift+R")
        self.action.triggered.connect(lambda _checked=False: self.try_now(quiet=False))
        self.action.setVisible(False)
        window.addAction(self.action)
        window.file_menu.insertAction(window.actions_by_name["save"], self.action)
        self._quiet = True
        self.retranslate()
        window.installEventFilter(self)

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 (Qt override)
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def retranslate(self) -> None:
        self.action.setText(self.tr("Reconnect to the case &server"))
        self.update_badge()

    @property
    def offline(self) -> bool:
        return bool(getattr(self.window.store, "offline", False))

    # -- going offline ------------------------------------------------------------------------------
    def watch(self, store: Any, url: str | None = None) -> None:
        """Called when the window gets a store: an offline one starts the badge and the reconnect timer."""
        if getattr(store, "offline", False):
            from guideline_db.store.selection import configured_store_url

            self.url = url or self.url or configured_store_url()
            self.timer.start(int(retry_seconds() * 1000))
        else:
            self.timer.stop()
        self.action.setVisible(self.offline)
        self.update_badge()

    def switch_to_offline(self) -> bool:
        """A save found the server gone: work from the offline store (True when switched)."""
        from guideline_db.store import StoreError

        url = getattr(self.window.store, "url", None)
        if url is None:
            return False
        try:
            offline = go_offline(url)
        except StoreError as exc:
            dialogs.store_error(self.window, exc, self.tr("open this PC's offline copy"), ("close",))
            return False
        server = self.window.store
        self.window.attach_store(offline, url=url)
        server.close()
        return True

    def update_badge(self) -> None:
        store = self.window.store
        if not getattr(store, "offline", False):
            self.badge.setVisible(False)
            return
        self.badge.setStyleSheet(OFFLINE_STYLE)
        waiting = len(store.pending())
        text = self.tr("Offline") + (" · " + self.tr("%n local save(s) waiting", "", waiting) if waiting else "")
        self.badge.setText(text)
        self.badge.setToolTip(self.tr("The case server %1 is unreachable. This PC shows the cases it last opened "
                                      "and keeps new saves locally; they are sent, with a conflict check, when the "
                                      "server is back (abc-mdt tries every %2 s; Ctrl+Shift+R tries now).")
                              .replace("%1", store.server).replace("%2", str(round(retry_seconds()))))
        self.badge.setVisible(True)

    def show_back_online(self, sent: int) -> None:
        """The badge turns green for a while: the board sees the server is back and what was sent."""
        self.badge.setText(self.tr("Back online: %1 local save(s) sent to the case server").replace("%1", str(sent)))
        self.badge.setToolTip("")
        self.badge.setStyleSheet(BACK_STYLE)
        self.badge.setVisible(True)
        QTimer.singleShot(BACK_ONLINE_MS, self.update_badge)

    # -- coming back --------------------------------------------------------------------------------
    def try_now(self, quiet: bool = True) -> None:
        """Try the server on a worker thread; the answer comes back through `attempted`. Not by the timer while the
        idle lock hides the window: a conflict question would show patient data over the lock (next tick)."""
        if self.trying or not self.offline or self.url is None:
            return
        if quiet and self.window.idle_lock.is_locked:
            return
        self.trying, self._quiet = True, quiet
        url = self.url

        def attempt() -> None:
            from guideline_db.store.selection import open_server

            try:
                server = open_server(url)
            except Exception as exc:  # noqa: BLE001 - a StoreError, or anything else: a dialog, never a traceback
                self.attempted.emit(None, exc)
            else:
                self.attempted.emit(server, None)

        threading.Thread(target=attempt, name="abc-mdt-reconnect", daemon=True).start()

    def _attempted(self, server: Any, error: Any) -> None:
        self.trying = False
        if server is None:
            if not self._quiet:
                dialogs.store_error(self.window, error, self.tr("reach the case server"), ("close",))
            return
        if not self.offline:             # already back (a second attempt answered first)
            server.close()
            return
        self._push_and_switch(server)

    def _push_and_switch(self, server: Any) -> None:
        from guideline_db.store import StoreError

        offline = self.window.store
        try:
            result = offline.push_to(server)
        except StoreError as exc:        # gone again mid-push: what was not pushed stays pending
            server.close()
            self.update_badge()
            if not self._quiet:
                dialogs.store_error(self.window, exc, self.tr("send the local saves to the case server"), ("close",))
            return
        editor = self.window.editor
        pushed = {info.case_id: info.version for info in result.pushed}
        if editor.stored_case_id in pushed:
            editor.stored_version = pushed[editor.stored_case_id]
        self.window.attach_store(server)
        offline.close()
        self.show_back_online(len(result.pushed))
        if result.conflicts:
            self.resolve_conflicts(result)

    def resolve_conflicts(self, result: Any) -> None:
        """Each local save the server refused, with the differences (server → this PC): open the local version
        (review it, then save it as the next version: the other writer's version stays in the history), open the
        server's (the local one kept as a recoverable draft), or keep it for later (pushed again next time)."""
        from desktop_app.store_actions import case_differences
        from guideline_db.store import StoreError

        store = self.window.store
        cache = getattr(store, "offline_cache", None)
        if cache is None:
            return
        latest: dict[str, tuple[Any, str, list[Any]]] = {}     # one question per case: its newest local save
        for item, message in result.conflicts:
            first_message = latest[item.case_id][1] if item.case_id in latest else message
            earlier = latest[item.case_id][2] if item.case_id in latest else []
            latest[item.case_id] = (item, first_message, [*earlier, item])
        for item, message, items in latest.values():
            try:
                mine = cache.pending_case(item.id)
                theirs, info = store.load(item.case_id)
            except StoreError as exc:
                dialogs.store_error(self.window, exc, self.tr("compare the local save with the server"), ("close",))
                return
            differences = "\n".join(case_differences(theirs, mine))
            choice = dialogs.offline_conflict(self.window, item.case_id, message, differences)
            if choice == "later":
                continue
            if self.take_local_version(cache, items, mine, info.version, keep_mine_in_form=choice == "mine"):
                return                       # one case in the form at a time; the others stay kept

    def take_local_version(self, cache: Any, items: list[Any], mine: Any, server_version: int,
                           keep_mine_in_form: bool) -> bool:
        """Resolve the refused local saves of one case (`items`, oldest first; `mine` is the newest's content). That
        content is first kept as a draft (`conflict:<case>:<time>`, offered at the next start like every draft),
        then the case's waiting saves are dropped (the earlier ones were steps towards it): nothing typed is lost."""
        item = items[-1]
        import json

        from guideline_db.store import StoreError

        window = self.window
        if not window._confirm_replace():
            return False
        window._clear_case_views()
        window.editor.load_case(mine)
        try:
            window.store.autosave_draft(f"conflict:{item.case_id}:{item.saved_at}",
                                        json.dumps(window.editor.state(), ensure_ascii=False))
        except StoreError as exc:
            dialogs.store_error(window, exc, self.tr("keep the local version as a draft"), ("close",))
            return False
        for each in items:
            cache.drop_pending(each.id)
        if keep_mine_in_form:
            window.editor.stored_version = server_version   # the clinician chose to save it as the next version
            window.editor.dirty = True
            window._typed_since_autosave = True
            window._update_status()
            window.editor.focus_step(first_problem=False)
            return True
        window.editor.dirty = False
        return window.open_case(item.case_id)
