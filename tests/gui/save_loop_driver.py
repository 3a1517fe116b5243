"""The real GUI app in a child process, typing and saving in a loop until it is killed.

    python tests/gui/save_loop_driver.py PREFIX [--ticks N] [--hold SECONDS]

Run offscreen on the store in $ABC_MDT_DATA_DIR, built the way `abc-mdt --demo` builds it
(desktop_app.main: fonts, translators, store, demo case). On a QTimer, tick i types
"PREFIX i saved" into the patient's name, triggers the Save action, types "PREFIX i typed" and
autosaves. Each durable step is printed (and flushed) only after the store call returned, so the
parent (tests/gui/test_kill_during_save.py) knows what must survive a SIGKILL:

    ready KEY                       window shown; KEY is the draft key of the open case
    saving TICK                     about to trigger Save (the parent may aim a kill just after)
    version CASE_ID N SHA256 TICK   version N is committed
    draft KEY TICK                  the draft holding "PREFIX TICK typed" is committed
    holding / released              --hold: a write transaction is held open for SECONDS
    store_error CLASS MESSAGE       a store failure the GUI would have shown in a dialog
    done                            --ticks N finished; the app quits normally

Dialogs are answered without a window (they would block the loop): a store failure is printed and
answered "retry" while the store is in use by another instance (the app waits), else "close".
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("ABC_MDT_LANG", "en")

NAME_FIELD = "patient.name"


def say(*parts: object) -> None:
    print(*parts, flush=True)


def answer_dialogs() -> None:
    from desktop_app import dialogs
    from guideline_db.store import StoreInUseError

    def store_error(_parent: Any, error: Any, _doing: str, choices: tuple[str, ...] = ("close",)) -> str:
        say("store_error", type(error).__name__, str(error).replace("\n", " "))
        if isinstance(error, StoreInUseError) and "retry" in choices:
            return "retry"
        return "close" if "close" in choices else choices[-1]

    dialogs.store_error = store_error
    dialogs.message = lambda _parent, title, text, *_args, **_kwargs: say("message", title, text.replace("\n", " "))
    dialogs.unsaved_changes = lambda _parent: "discard"
    dialogs.recover_drafts = lambda _parent, _drafts: ("later", None)
    dialogs.version_conflict = lambda _parent, case_id, *_args: say("conflict", case_id) or "cancel"
    dialogs.second_instance = lambda _parent, holder: say("second_instance", holder) or "read_only"


def type_into(field: Any, text: str) -> None:
    """Select all and type, key by key, as a user does (each key emits textEdited → the form's loop)."""
    from PySide6.QtTest import QTest

    field.setFocus()
    field.selectAll()
    QTest.keyClicks(field, text)


class SaveLoop:
    def __init__(self, window: Any, prefix: str, ticks: int, interval_ms: int) -> None:
        from desktop_app.qt import QTimer

        self.window, self.prefix, self.ticks, self.tick = window, prefix, ticks, 0
        self.field = window.editor.page("patient").group.rows[NAME_FIELD].editor
        self.timer = QTimer(window)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.step)
        self.timer.start()

    def step(self) -> None:
        from desktop_app.qt import QApplication

        window, tick = self.window, self.tick
        if 0 <= self.ticks <= tick:
            self.timer.stop()
            say("done")
            window.editor.dirty = False
            QApplication.quit()
            return
        self.tick += 1
        type_into(self.field, f"{self.prefix} {tick} saved")
        say("saving", tick)
        window.actions_by_name["save"].trigger()
        if window.editor.dirty:
            say("not_saved", tick)
            return
        case_id = window.editor.stored_case_id
        latest = window.store.versions(case_id)[-1]
        say("version", case_id, latest.version, latest.sha256, tick)
        type_into(self.field, f"{self.prefix} {tick} typed")
        if window.autosave():
            say("draft", window.editor.session_key, tick)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("prefix")
    parser.add_argument("--ticks", type=int, default=-1, help="stop after N ticks (default: until killed)")
    parser.add_argument("--hold", type=float, default=0.0, help="first hold a write transaction this long")
    parser.add_argument("--interval", type=int, default=0, help="ms between ticks")
    args = parser.parse_args(argv)

    answer_dialogs()
    from desktop_app.main import build_window, create_app, open_store

    app = create_app([])
    store, problem = open_store()
    if store is None:
        say("no_store", problem)
        return 3
    window = build_window(demo=True, store=store, store_problem=problem)
    window.show()
    app.processEvents()
    demo_id = window.editor.case.case_id
    if store.list_cases(search=demo_id):
        # a restart after a kill: open the stored case, as a user would (saving the untouched demo form over
        # a stored version this window never saw is refused, see StoreActions._may_save_over)
        window.open_case(demo_id)
    say("ready", window.editor.session_key)
    if args.hold > 0:
        store.conn.execute("BEGIN IMMEDIATE")       # what a save stuck mid-transaction looks like to others
        say("holding")
        time.sleep(args.hold)
        store.conn.execute("COMMIT")
        say("released")
    loop = SaveLoop(window, args.prefix, args.ticks, args.interval)  # noqa: F841 (keeps the timer's slot alive)
    code = app.exec()
    store.close()
    return int(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
