"""`run_gui(argv)`: start the desktop app (what `abc-mdt` and `make run` call).

Start-up order matters: High-DPI rounding must be set before the QApplication exists; the CJK
font is registered and the language installed before the first widget is built, so the first frame
is already in the user's language and renders Chinese. The case store is opened here, and a failure
to open it ends in a dialog with ways out (retry, continue without it, quit), never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from desktop_app import appearance, dialogs, language
from desktop_app.qt import QApplication, QGuiApplication, Qt

DEMO_CASE = Path(__file__).resolve().parent / "resources" / "demo_case.json"
ICON = Path(__file__).resolve().parent / "resources" / "abc-mdt.png"
QUIT_AFTER_SHOW_ENV = "ABC_MDT_QUIT_AFTER_SHOW"


def create_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication, configured once (also used by the tests through pytest-qt's qapp)."""
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication([sys.argv[0] if sys.argv else "abc-mdt", *(argv or [])])
    configure(app)
    return app


def configure(app: QApplication, lang: str | None = None) -> None:
    app.setApplicationName("abc-mdt")
    app.setOrganizationName("abc-mdt")
    app.setApplicationDisplayName("abc-mdt")
    app.setStyle("Fusion")
    app.setDesktopFileName("abc-mdt")
    if ICON.exists():
        from desktop_app.qt import QIcon

        app.setWindowIcon(QIcon(str(ICON)))
    appearance.apply(app)
    language.set_language(lang or language.system_language())


def open_store(parent: Any = None) -> tuple[Any, str]:
    """(store, '') or (None, why) after the user chose to continue without the store. When the configured case
    server is unreachable the user may work offline instead: (this PC's offline store, '') (server_link)."""
    try:
        from guideline_db.store import CaseStore, StoreError
    except ModuleNotFoundError:
        return None, "case store module not installed"
    while True:
        try:
            return CaseStore.open(), ""
        except StoreError as exc:
            url = getattr(exc, "url", None)           # ServerUnreachableError.url, set by store.selection
            choices = ("offline", "retry", "continue", "quit") if url else ("retry", "continue", "quit")
            choice = dialogs.store_error(parent, exc, QApplication.translate("Main", "open the case store"), choices)
            if choice == "retry":
                continue
            if choice == "quit":
                raise SystemExit(1) from None
            if choice == "offline":
                from desktop_app.server_link import go_offline

                try:
                    return go_offline(url), ""
                except StoreError as offline_exc:
                    exc = offline_exc
            return None, str(exc)


def load_demo_case() -> Any:
    from guideline_db.case_io import parse_case

    return parse_case(json.loads(DEMO_CASE.read_text(encoding="utf-8")))


def build_window(demo: bool = False, store: Any = None, store_problem: str = "", lazy: bool = False) -> Any:
    """`lazy`: the store is attached and the empty form evaluated after the first paint (run_gui)."""
    from desktop_app.main_window import MainWindow

    window = MainWindow(store=store, store_problem=store_problem, lazy=lazy)
    if demo:
        window.editor.load_case(load_demo_case(), stored=False)
        window.editor.dirty = False      # untouched demo: closing does not ask to save it
        window.dock.setVisible(False)
    return window


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """`abc-mdt [--lang zh|en] [--demo] [CASE.json]`; the rest goes to Qt."""
    parser = argparse.ArgumentParser(prog="abc-mdt")
    parser.add_argument("--demo", action="store_true", help="open with the built-in demo case")
    parser.add_argument("--lang", choices=language.LANGUAGES, default=None)
    parser.add_argument("case", nargs="?", default=None, help="a case JSON file to open")
    return parser.parse_known_args(argv)


def remembered_language() -> str | None:
    from desktop_app import window_settings

    lang = window_settings.value("language")
    return str(lang) if lang in language.LANGUAGES else None


def _start(argv: list[str]) -> tuple[QApplication, Any, Any, argparse.Namespace]:
    """What every start does before the event loop: parse the arguments, configure the application
    (fonts, style, translators), open the store and build the main window (not shown yet)."""
    args, qt_args = parse_args(argv)
    app = create_app(qt_args)
    lang = args.lang or (None if os.environ.get(language.LANGUAGE_ENV) else remembered_language())
    if lang and lang != language.current_language():
        language.set_language(lang)
    store, problem = open_store()
    window = build_window(demo=args.demo, store=store, store_problem=problem)
    return app, window, store, args


def claim_store(window: Any, store: Any, ask: bool = True) -> Any:
    """One store, one window: when another abc-mdt holds the store, say so and open read-only (or quit)."""
    from desktop_app.instance_lock import InstanceLock

    if store is None:
        return None
    lock = InstanceLock(Path(store.path).parent)
    if lock.acquire():
        return lock
    holder = lock.holder()
    if ask and dialogs.second_instance(window, holder) == "quit":
        raise SystemExit(0)
    window.instance_holder = holder
    window.editor.read_only = True
    window._update_status()
    window.statusBar().showMessage(QApplication.translate(
        "Main", "Read-only: another abc-mdt window has the case store open (%1)").replace("%1", holder or "?"))
    return None


class _AfterFirstPaint:
    """Run `then` once the window has painted once (from the event loop, after the paint). With
    ABC_MDT_QUIT_AFTER_SHOW=1 `then` quits (exit 0), so start-up can be timed from outside as a whole process."""

    def __init__(self, window: Any, then: Any) -> None:
        from desktop_app.qt import QObject

        class Filter(QObject):
            def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 (Qt override)
                from desktop_app.qt import QEvent, QTimer

                if event.type() == QEvent.Type.Paint:
                    watched.removeEventFilter(self)
                    QTimer.singleShot(0, then)
                return False

        self.filter = Filter(window)
        window.installEventFilter(self.filter)


def build_app_for_benchmark(argv: list[str]) -> tuple[QApplication, Any]:
    """(QApplication, MainWindow) started exactly as `run_gui` starts them, without the event loop.

    Why a separate entry point: `make bench` measures process start → first shown window and the
    window's interactions (`MainWindow.benchmark_interactions`) in one offscreen process; it must
    time the real start-up path, not a test fixture's shortcut. The caller shows the window.
    """
    app, window, _store, _args = _start(argv)
    return app, window


def run_gui(argv: list[str]) -> int:
    """The desktop app. The window is shown and painted first, with the cursor in the first field; the
    case store and the guideline engine (pydantic models, SQLite) are opened right after that first
    paint, so the start feels as fast as Qt itself (`make bench`: start → painted window against a
    minimal PySide6 window in the same run). Typing before the store is open is kept: the form holds it."""
    args, qt_args = parse_args(argv)
    app = create_app(qt_args)
    lang = args.lang or (None if os.environ.get(language.LANGUAGE_ENV) else remembered_language())
    if lang and lang != language.current_language():
        language.set_language(lang)
    quit_after_show = os.environ.get(QUIT_AFTER_SHOW_ENV, "") not in ("", "0")
    state: dict[str, Any] = {"store": None, "lock": None}
    if args.demo:
        state["store"], problem = open_store()
        window = build_window(demo=True, store=state["store"], store_problem=problem)
    else:
        window = build_window(lazy=True)

    def after_first_paint() -> None:
        if quit_after_show:
            QApplication.quit()
            return
        _report_problems_in_dialogs(window)
        if not args.demo:
            state["store"], problem = open_store(window)
            window.attach_store(state["store"], problem)
        state["lock"] = claim_store(window, state["store"])
        window.editor.finish_start()
        if args.case:
            window.open_path(args.case)
        elif not args.demo:
            window.offer_recovery()

    if not quit_after_show:
        window.restore_settings()
    hook = _AfterFirstPaint(window, after_first_paint)  # noqa: F841 (kept alive until the loop ends)
    window.show()
    window.editor.focus_step(first_problem=False)
    code = app.exec()
    if state["lock"] is not None:
        state["lock"].release()
    if state["store"] is not None:
        state["store"].close()
    return int(code)


def _report_problems_in_dialogs(window: Any) -> None:
    """An uncaught error shows a dialog naming the log file (and is logged); an IT settings file that does not
    parse is reported once, never overwritten (guideline_db.user_dirs)."""
    from guideline_db import app_logging, user_dirs

    app_logging.setup_logging("gui")
    app_logging.install_excepthook(show=lambda text: dialogs.message(window, "abc-mdt", text, warning=True))
    for problem in user_dirs.settings_problems(clear=True):
        dialogs.message(window, "abc-mdt", str(problem), warning=True)


if __name__ == "__main__":
    sys.exit(run_gui(sys.argv[1:]))
