"""GUI rows of `make bench` for issue 13: start-up against a minimal PySide6 window measured in the same run,
and per public vignette the keystrokes of a keyboard-only entry with the estimated time a person needs
(0.28 s a keystroke + 1.35 s a field read from the chart; target ≤ 3 minutes).

Start-up is timed from outside, as a whole process: `ABC_MDT_QUIT_AFTER_SHOW=1` makes the app exit as
soon as its main window has painted once; the baseline is a process that shows one empty QWidget
the same way. Keystrokes come from tests/gui/keyboard_driver.py, the driver of
tests/gui/test_keyboard_entry.py (focus checked after every keystroke here too).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "cases"
START_RATIO_TARGET = 2.5
ENTRY_TARGET_S = 180.0

MINIMAL_WINDOW = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv)
window = QWidget()
class Quit(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, app.quit)
        return False
hook = Quit()
window.installEventFilter(hook)
window.resize(1024, 768)
window.show()
sys.exit(app.exec())
"""

APP = "import sys; from desktop_app.main import run_gui; sys.exit(run_gui(sys.argv[1:]))"

ENTRY = r"""
import json, os, sys
from pathlib import Path
sys.path.insert(0, os.environ["ABC_MDT_ROOT"])
from desktop_app.main import create_app
from desktop_app.qt import QApplication
from desktop_app.main_window import MainWindow
from guideline_db.store import CaseStore
from tests.gui.keyboard_driver import enter_case
app = create_app([])
store = CaseStore.open(Path(os.environ["ABC_MDT_DATA_DIR"]) / "cases.sqlite", mounts_file=None, user="bench")
for path in sys.argv[1:]:
    window = MainWindow(store=store)
    window.resize(1024, 740)
    window.show()
    window.dock.setVisible(False)
    QApplication.processEvents()
    case = json.loads(Path(path).read_text(encoding="utf-8"))
    entry = enter_case(window, case)
    saved = store.load(case["case_id"])[0].model_dump(mode="json", exclude_none=True) if not window.editor.problems else None
    print(json.dumps({"case": Path(path).stem, "keystrokes": entry.keystrokes, "fields": entry.fields,
                      "seconds": entry.seconds, "saved": saved is not None}), flush=True)
    window.editor.dirty = False
    window.autosave_timer.stop()
    window.close()
store.close()
"""


def _env(folder: str) -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ABC_MDT_DATA_DIR": str(Path(folder) / "data"),
            "ABC_MDT_CONFIG_DIR": str(Path(folder) / "config"), "ABC_MDT_LANG": "en", "ABC_MDT_ROOT": str(ROOT),
            "PYTHONPATH": str(ROOT)}


def _process_ms(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=str(ROOT), capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "exit " + str(done.returncode))
    return (time.perf_counter() - start) * 1000


def _row(name: str, samples: list[float], unit: str, target: float | None, **extra: object) -> dict:
    ordered = sorted(samples)
    median = statistics.median(samples)
    row = {"name": name, "unit": unit, "median": median, "min": ordered[0], "max": ordered[-1], "runs": len(samples),
           "target": target, "meets_target": None if target is None else median <= target}
    row.update(extra)
    return row


def bench_start_ratio(rounds: int = 5) -> list[dict]:
    with tempfile.TemporaryDirectory() as folder:
        env = {**_env(folder), "ABC_MDT_QUIT_AFTER_SHOW": "1"}
        app, minimal = [], []
        for _ in range(rounds):                     # interleaved: both see the same machine load
            minimal.append(_process_ms([sys.executable, "-c", MINIMAL_WINDOW], env))
            app.append(_process_ms([sys.executable, "-c", APP], env))
    ratio = statistics.median(app) / statistics.median(minimal)
    return [_row("GUI: start → window painted (whole process)", app, "ms", None,
                 baseline="minimal PySide6 window, same run", baseline_median=statistics.median(minimal),
                 ratio=ratio, ratio_target=START_RATIO_TARGET, meets_target=ratio <= START_RATIO_TARGET)]


def public_vignettes() -> list[Path]:
    if not SHARED.is_dir():
        return []
    return sorted(p for p in SHARED.glob("*.json") if not p.name.endswith(".expected.json"))


def bench_keyboard_entry() -> list[dict]:
    paths = public_vignettes() or sorted(p for p in (ROOT / "tests" / "cases").glob("*.json")
                                         if not p.name.endswith(".expected.json"))
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run([sys.executable, "-c", ENTRY, *map(str, paths)], env=_env(folder), cwd=str(ROOT),
                              capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "entry failed")
    rows = []
    for line in done.stdout.splitlines():
        if not line.startswith("{"):
            continue
        entry = json.loads(line)
        rows.append(_row(f"GUI keyboard entry {entry['case']}: {entry['keystrokes']} keys, {entry['fields']} fields",
                         [entry["seconds"]], "s", ENTRY_TARGET_S,
                         keystrokes=entry["keystrokes"], fields=entry["fields"], saved=entry["saved"]))
    return rows


def bench_gui_entry() -> list[dict]:
    return bench_start_ratio() + bench_keyboard_entry()


if __name__ == "__main__":
    for result in bench_gui_entry():
        print(json.dumps(result))
