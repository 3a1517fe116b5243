"""Start-up, packaging and architecture rules of the desktop app."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "desktop_app"




def test_only_qt_module_imports_pyside6() -> None:
    offenders = {str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                 if p.name != "qt.py" and re.search(r"^\s*(from|import)\s+PySide6", p.read_text(encoding="utf-8"),
                                                    re.MULTILINE)}
    assert offenders == set()


def test_qt_module_re_exports_what_the_report_window_needs() -> None:
    from desktop_app import qt

    for name in ("QPdfDocument", "QPdfView", "QPrinter", "QPrintDialog", "QBuffer", "QImage", "QPainter"):
        assert getattr(qt, name).__name__ == name


def test_every_translation_is_finished_and_compiled() -> None:
    ts = PACKAGE / "i18n" / "abc_mdt_zh_CN.ts"
    root = ET.parse(ts).getroot()
    unfinished = [m.findtext("source") for m in root.iter("message")
                  if m.find("translation").get("type") in ("unfinished", "obsolete", "vanished")]
    assert unfinished == []
    qm = ts.with_suffix(".qm")
    assert qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime - 1


def test_demo_case_is_a_valid_premenopausal_hr_positive_case() -> None:
    from desktop_app.main import load_demo_case
    from guideline_db.engine import evaluate

    evaluation = evaluate(load_demo_case())
    assert evaluation.value("subtype") == "hr_pos_her2_neg"
    assert evaluation.value("treatment_menopausal_status") == "pre"
    assert evaluation.systemic


def test_run_gui_demo_opens_and_quits(qtbot: Any, app: Any, monkeypatch: Any) -> None:
    """run_gui wires font, language, store and window; its event loop is stood in for (a nested
    exec()/quit() would leave the test session's event loop unusable)."""
    from desktop_app import appearance, language, main
    from desktop_app.qt import QApplication

    shown: list[Any] = []

    class App:
        def __init__(self, real: Any) -> None:
            self.real = real

        def exec(self) -> int:
            window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "main_window")
            qtbot.waitExposed(window)
            shown.append((window.editor.case.case_id, window.isVisible(), window.store is not None,
                          language.current_language(), appearance.register_cjk_font()))
            window.editor.dirty = False
            window.close()
            return 0

    monkeypatch.setattr(main, "create_app", lambda argv=None: App(main.configure(app) or app))
    assert main.run_gui(["--demo", "--lang", "en"]) == 0
    assert shown == [("demo-premenopausal-001", True, True, "en", "Droid Sans Fallback")]


def test_store_that_cannot_open_offers_to_continue(qtbot: Any, app: Any, monkeypatch: Any,
                                                  dialog_log: Any, tmp_path: Path) -> None:
    from desktop_app import main

    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("ABC_MDT_DATA_DIR", str(blocker / "sub"))
    dialog_log.store_error_answer = "continue"
    store, problem = main.open_store()
    assert store is None and problem
    assert dialog_log.names() == ["store_error"]
    assert set(dialog_log.calls[0][1][3]) == {"retry", "continue", "quit"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_step_renders_at_1280x800(qtbot: Any, window: Any, lang: str, tmp_path: Path) -> None:
    from desktop_app.main import load_demo_case

    window.set_language(lang)
    window.editor.load_case(load_demo_case(), stored=False)
    for step in range(8):
        window.editor.go_to(step)
        image = window.grab()
        assert image.width() == 1280 and image.height() == 800
        assert image.save(str(tmp_path / f"{lang}-{step + 1}.png"))
    window.set_language("en")
