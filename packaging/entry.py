"""Entry point of the bundled application (PyInstaller): the same `abc-mdt` command line.

Hidden smoke-test switch (used by tests/test_dist.py and documented in docs/install.md):

    ABC_MDT_SMOKE_EXIT_MS=N abc-mdt --demo

starts the desktop app as usual and, once the main window is shown, prints `window shown` and one
`smoke: {...}` JSON line (frozen or not, the bundle folder, where fonts and translations were loaded
from, the UI language), then quits the event loop after N ms with exit code 0. With
ABC_MDT_SMOKE_REPORT=1 it also opens the report window (the QtPdf preview of the loaded case) and
adds its page count to the JSON line. Nothing else changes: without the variable this file only
calls `guideline_db.cli.main`, and the CLI never imports Qt.

Why a wrapper here and not in desktop_app: the hook is a packaging concern. `desktop_app.main.run_gui`
looks `build_window` up in its module at call time, so wrapping that one function gives a clean
"the window exists and is about to be shown" point without touching the app.
"""

from __future__ import annotations

import json
import os
import sys

SMOKE_EXIT_ENV = "ABC_MDT_SMOKE_EXIT_MS"
SMOKE_REPORT_ENV = "ABC_MDT_SMOKE_REPORT"


def _smoke_facts(window) -> dict:
    """What the smoke test checks: resources were found inside the bundle, not on some Python path."""
    from desktop_app import appearance, language

    translators = [t.filePath() for t in language._state.get("translators", [])]  # noqa: SLF001
    return {
        "frozen": bool(getattr(sys, "frozen", False)),
        "bundle_dir": getattr(sys, "_MEIPASS", ""),
        "title": window.windowTitle(),
        "language": language.current_language(),
        "i18n_dir": str(language.I18N_DIR),
        "translators": translators,
        "font_dir": str(appearance.font_dir()),
        "cjk_font": appearance.register_cjk_font(),
        "latin_font": appearance.register_latin_font(),
        "demo_case": window.editor.case.case_id if window.editor.case is not None else None,
    }


def _smoke_report(window) -> dict:
    """Open the report window on the loaded case: renders the PDF and loads it into QtPdf."""
    from desktop_app import language
    from desktop_app.report_view import open_report_dialog

    if window.editor.case is None:
        return {"report_pages": None}
    import time

    from desktop_app.qt import QApplication

    dialog = open_report_dialog(window, window.editor.case, lang=language.current_language())
    deadline = time.monotonic() + 60
    while dialog.is_busy() and time.monotonic() < deadline:   # the PDF is built off the UI thread
        QApplication.processEvents()
        time.sleep(0.01)
    return {"report_pages": dialog.document.pageCount(), "report_bytes": len(dialog.pdf)}


def install_smoke_hook(delay_ms: int) -> None:
    """Wrap desktop_app.main.build_window: once the window is shown, report and quit after delay_ms."""
    from desktop_app import main as gui_main
    from desktop_app.qt import QApplication, QTimer

    original = gui_main.build_window

    def build_window(*args, **kwargs):
        window = original(*args, **kwargs)

        def shown() -> None:
            if not window.isVisible():          # run_gui shows it before exec(); wait if not yet
                QTimer.singleShot(10, shown)
                return
            print("window shown", flush=True)
            facts = _smoke_facts(window)
            if os.environ.get(SMOKE_REPORT_ENV) == "1":
                facts.update(_smoke_report(window))
            print("smoke: " + json.dumps(facts, ensure_ascii=False), flush=True)
            QTimer.singleShot(delay_ms, QApplication.instance().quit)

        # A 0 ms timer fires from inside app.exec(), i.e. after run_gui's window.show().
        QTimer.singleShot(0, shown)
        return window

    gui_main.build_window = build_window


def main() -> int:
    delay = os.environ.get(SMOKE_EXIT_ENV, "").strip()
    if delay:
        install_smoke_hook(max(0, int(delay)))
    from guideline_db.cli import run as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
