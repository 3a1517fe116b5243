"""The real app in a real X server at a 1024×768 projector: Xvfb, a window manager (openbox), the xcb
platform plugin, keys typed by xdotool. The window fits the screen, the cursor is in the first field
and typing lands there; a screenshot of the whole screen goes to build/.

Skipped, with the reason, where Xvfb, openbox or xdotool are missing (`tools/install-system-deps.sh test`
installs them). Also: `ABC_MDT_QUIT_AFTER_SHOW=1` makes the app exit 0 once its window has painted.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
TOOLS = ("Xvfb", "openbox", "xdotool")

PROBE = r"""
import json, os, sys, time
from pathlib import Path
import desktop_app.main as main
from desktop_app.qt import QApplication, QTimer

# the real start (main.run_gui): capture its window and report once the store has been opened
captured = {}
signal, out = Path(sys.argv[1]), Path(sys.argv[2])
started = time.monotonic()


class Capture(main._AfterFirstPaint):
    def __init__(self, window, then):
        captured["window"] = window

        def then_and_report():
            then()
            QTimer.singleShot(1000, first_report)

        super().__init__(window, then_and_report)


def first_report():
    focus = QApplication.focusWidget()
    window = captured["window"]
    Path(sys.argv[3]).write_text(json.dumps({"focus": focus.objectName() if focus else None,
                                             "active": window.isActiveWindow(), "store": window.store is not None,
                                             "evaluated": window.editor.evaluated_once,
                                             "offline": bool(getattr(window.store, "offline", False)),
                                             "badge": window.server_link.badge.isVisible()}))
    QTimer.singleShot(100, wait_for_typing)


def wait_for_typing():
    window = captured["window"]
    if not signal.exists() and time.monotonic() - started < 30:
        QTimer.singleShot(100, wait_for_typing)
        return
    QApplication.processEvents()
    frame, screen = window.frameGeometry(), window.screen().geometry()
    shot = window.screen().grabWindow(0)
    shot.save(sys.argv[4])
    focus = QApplication.focusWidget()
    name = window.editor.page("patient").group.rows["patient.name"].editor
    out.write_text(json.dumps({
        "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
        "screen": [screen.x(), screen.y(), screen.width(), screen.height()],
        "focus": focus.objectName() if focus else None, "name": name.text(),
        "font_px": QApplication.font().pointSizeF() * window.logicalDpiY() / 72}))
    window.editor.dirty = False
    QApplication.quit()


main._AfterFirstPaint = Capture
sys.exit(main.run_gui(["--lang", os.environ["SMOKE_LANG"]]))
"""


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


@pytest.fixture
def x_server(tmp_path: Path) -> Any:
    missing = missing_tools()
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (tools/install-system-deps.sh test installs them)")
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    number = b""
    deadline = time.monotonic() + 20
    while not number.endswith(b"\n") and time.monotonic() < deadline:
        chunk = os.read(read, 16)
        if not chunk:
            break
        number += chunk
    os.close(read)
    if not number.strip():
        server.kill()
        pytest.skip("Xvfb did not start")
    display = f":{number.decode().strip()}"
    env = {**os.environ, "DISPLAY": display}
    wm = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.8)
    try:
        yield env
    finally:
        for process in (wm, server):
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


def visible_windows(pid: int, env: dict) -> list[str]:
    return subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(pid)], env=env,
                          capture_output=True, text=True, timeout=20).stdout.split()


@pytest.mark.parametrize(("lang", "offline"), [("en", False), ("zh", False), ("zh", True)])
def test_real_window_fits_1024x768_and_typing_lands_in_the_first_field(x_server: dict, tmp_path: Path,
                                                                         lang: str, offline: bool) -> None:
    """`offline`: the configured case server is unreachable; Return in the dialog chooses 'work offline' (the
    default button), and the cursor is back in the first field afterwards."""
    env = {**x_server, "QT_QPA_PLATFORM": "xcb", "ABC_MDT_DATA_DIR": str(tmp_path / "data"),
           "ABC_MDT_CONFIG_DIR": str(tmp_path / "config"), "SMOKE_LANG": lang, "PYTHONPATH": str(ROOT)}
    env.pop("ABC_MDT_LANG", None)
    if offline:   # a socket folder where no server listens: the network outage as a client sees it
        (tmp_path / "no-server").mkdir()
        env["ABC_MDT_STORE_URL"] = f"postgresql://tester@/registry?host={tmp_path / 'no-server'}&port=5432"
    BUILD.mkdir(exist_ok=True)
    shot = BUILD / f"xvfb-smoke-{lang}{'-offline' if offline else ''}-1024x768.png"
    signal, out, first = tmp_path / "typed", tmp_path / "report.json", tmp_path / "first.json"
    app = subprocess.Popen([sys.executable, "-c", PROBE, str(signal), str(out), str(first), str(shot)], env=env,
                           cwd=str(ROOT), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        answered = not offline
        while not first.exists() and app.poll() is None and time.monotonic() < deadline:
            if not answered and len(visible_windows(app.pid, env)) >= 2:     # the window and the dialog over it
                time.sleep(0.3)
                subprocess.run(["xdotool", "key", "Return"], env=env, timeout=10, check=True)
                answered = True
            time.sleep(0.1)
        assert first.exists(), f"the app did not come up: {app.stderr.read() if app.poll() is not None else ''}"
        started = json.loads(first.read_text())
        assert started["focus"] == "patient.name"
        assert started["store"] and started["evaluated"]          # opened after the first paint
        assert started["offline"] is offline and started["badge"] is offline
        # by process: xdotool's --name does not match a title with a non-Latin-1 character ("new case — abc-mdt")
        window = visible_windows(app.pid, env)
        assert window, "xdotool does not see the window"
        geometry = subprocess.run(["xdotool", "getwindowgeometry", "--shell", window[-1]], env=env,
                                  capture_output=True, text=True, timeout=10).stdout
        size = dict(line.split("=", 1) for line in geometry.split())
        assert int(size["WIDTH"]) <= 1024 and int(size["HEIGHT"]) <= 768, geometry
        subprocess.run(["xdotool", "windowactivate", "--sync", window[-1]], env=env, timeout=10, check=False)
        subprocess.run(["xdotool", "type", "--delay", "30", "Wang Fang"], env=env, timeout=20, check=True)
        subprocess.run(["xdotool", "key", "Tab"], env=env, timeout=10, check=True)
        time.sleep(0.5)
        signal.write_text("done")
        app.wait(timeout=60)
        assert app.returncode == 0, app.stderr.read()
        report = json.loads(out.read_text())
    finally:
        if app.poll() is None:
            app.kill()
    x, y, width, height = report["frame"]
    assert x >= 0 and y >= 0 and x + width <= 1024 and y + height <= 768, report     # the frame fits the screen
    assert report["name"] == "Wang Fang"                                               # typing went into the field
    assert report["focus"] == "patient.hospital_id"                                    # and Tab to the next one
    assert report["font_px"] >= 15
    assert shot.exists() and shot.stat().st_size > 10_000


def test_quit_after_show_exits_zero_once_the_window_has_painted(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ABC_MDT_QUIT_AFTER_SHOW": "1",
           "ABC_MDT_DATA_DIR": str(tmp_path / "data"), "ABC_MDT_CONFIG_DIR": str(tmp_path / "config"),
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", "import sys; from desktop_app.main import run_gui; "
                           "sys.exit(run_gui(sys.argv[1:]))", "--lang", "en"],
                          env=env, cwd=str(ROOT), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
