"""The real GUI app killed (SIGKILL) while it types and saves: the store opens intact, with every version
it reported committed and its last autosaved draft. A second app instance on the same store waits
for the first, or says clearly that the store is in use, and never corrupts it.

The app runs in a child process (tests/gui/save_loop_driver.py) on the test's own data folder.
3 kills by default; ABC_MDT_STRESS=full (`make stress`) runs 20.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from guideline_db.store import CaseStore, StoreInUseError
from tests.gui.test_store_flow import CASE, enter

DRIVER = Path(__file__).resolve().parent / "save_loop_driver.py"
ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 60.0


def kill_count() -> int:
    return 20 if os.environ.get("ABC_MDT_STRESS") == "full" else 3


class Driver:
    """The app in a child process; its stdout lines are collected as they come."""

    def __init__(self, data_dir: Path, log: Path, *args: str) -> None:
        env = {**os.environ, "ABC_MDT_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen", "ABC_MDT_LANG": "en",
               "ABC_MDT_CONFIG_DIR": str(data_dir.parent / "driver-config")}
        self.log = log
        with log.open("w") as stderr:
            self.process = subprocess.Popen([sys.executable, str(DRIVER), *args], stdout=subprocess.PIPE,
                                            stderr=stderr, text=True, cwd=ROOT, env=env)
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line.strip())
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, word: str, after: int = 0, timeout: float = STARTUP_TIMEOUT) -> int:
        """Index of the first line from `after` on that starts with `word` (waiting for it)."""
        def found() -> int | None:
            return next((i for i in range(after, len(self.lines)) if self.lines[i].split()[:1] == [word]), None)

        with self._changed:
            self._changed.wait_for(lambda: found() is not None or self.process.poll() is not None, timeout)
            index = found()
        if index is None:
            raise AssertionError(f"the app never said {word!r}; said {self.lines[-5:]}; stderr:\n"
                                 + self.log.read_text(errors="replace")[-2000:])
        return index

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self._reader.join(timeout=30)
        assert self.process.returncode == -signal.SIGKILL

    def finish(self, timeout: float = 120) -> None:
        assert self.process.wait(timeout=timeout) == 0, self.log.read_text(errors="replace")[-2000:]
        self._reader.join(timeout=30)


@dataclass(frozen=True)
class Reported:
    kind: str            # "version" | "draft"
    tick: int
    case_id: str = ""
    version: int = 0
    sha256: str = ""
    key: str = ""


def reported(lines: list[str]) -> list[Reported]:
    """What the app said was committed, in order."""
    out = []
    for line in lines:
        parts = line.split()
        if parts[:1] == ["version"] and len(parts) == 5:
            out.append(Reported("version", int(parts[4]), case_id=parts[1], version=int(parts[2]), sha256=parts[3]))
        elif parts[:1] == ["draft"] and len(parts) == 3:
            out.append(Reported("draft", int(parts[2]), key=parts[1]))
    return out


def patient_name(store: CaseStore, case_id: str, version: int | None = None) -> str:
    case, _info = store.load(case_id, version)
    return case.patient.name


def check_store(path: Path, prefix: str, events: list[Reported], earlier: list[Reported]) -> None:
    """After a kill: sound file, intact chains, every reported version, and the last draft."""
    with CaseStore.open(path, mounts_file=None) as store:
        assert [row[0] for row in store.conn.execute("PRAGMA integrity_check")] == ["ok"]
        report = store.verify_audit()
        assert report.ok, report.first_break
        versions = [e for e in earlier + events if e.kind == "version"]
        for event in versions:                                   # nothing reported committed is lost
            case, info = store.load(event.case_id, event.version)
            assert (info.version, info.sha256) == (event.version, event.sha256), event
        mine = [e for e in events if e.kind == "version"]
        last_version = mine[-1]
        assert patient_name(store, last_version.case_id, last_version.version) == f"{prefix} {last_version.tick} saved"
        _case, latest = store.load(last_version.case_id)
        unreported = latest.version > last_version.version      # killed after a commit, before saying so
        if unreported:
            assert latest.version == last_version.version + 1
            assert patient_name(store, last_version.case_id) == f"{prefix} {last_version.tick + 1} saved"
        last = events[-1]
        key = f"case:{last_version.case_id}"
        text = store.load_draft(key)
        draft = json.loads(text)["fields"]["patient.name"] if text is not None else None
        if last.kind == "draft":
            # Still the reported draft, unless a later save (which discards the draft) committed.
            allowed = {f"{prefix} {last.tick} typed"} | ({None} if unreported else set())
        else:
            # Saving discarded the draft; the next one may have been committed before it was reported.
            assert not unreported
            allowed = {None, f"{prefix} {last.tick} typed"}
        assert draft in allowed, (draft, allowed, last)


def test_sigkill_during_saves_keeps_every_reported_version_and_the_last_draft(tmp_path: Path) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    data_dir = tmp_path / "data"
    path = data_dir / "cases.sqlite"
    earlier: list[Reported] = []
    for round_number in range(kill_count()):
        prefix = f"K{round_number}"
        driver = Driver(data_dir, tmp_path / f"driver-{round_number}.err", prefix)
        first = driver.wait_for("version")                  # past start-up, saving
        if rng.random() < 0.5:
            time.sleep(rng.uniform(0.0, 0.3))               # anywhere in the loop
        else:
            driver.wait_for("saving", after=first + 1)      # aimed at a save: Save was just triggered
            time.sleep(rng.uniform(0.0, 0.012))
        driver.kill()
        events = reported(driver.lines)
        assert not [line for line in driver.lines if line.startswith(("store_error", "not_saved", "message"))]
        check_store(path, prefix, events, earlier)
        earlier += events
    with CaseStore.open(path, mounts_file=None) as store:  # earlier rounds survived the later kills
        for event in earlier:
            if event.kind == "version":
                assert store.load(event.case_id, event.version)[1].sha256 == event.sha256, f"seed {seed}"


# -- a second instance ----------------------------------------------------------------------------

def wait_until(predicate: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def second_window(qtbot: Any, app: Any, data_dir: Path, dialog_log: Any) -> Callable[[float], Any]:
    """This process as the second app instance, on the store the driver (the first) uses."""
    from desktop_app.main_window import MainWindow

    made: list[Any] = []

    def make(timeout: float) -> Any:
        store = CaseStore.open(data_dir / "cases.sqlite", timeout=timeout, mounts_file=None, user="second")
        window = MainWindow(store=store)
        qtbot.addWidget(window)
        window.show()
        made.append(window)
        return window

    yield make
    for window in made:
        window.editor.dirty = False
        window.autosave_timer.stop()
        window.store.close()


def test_second_instance_waits_for_the_first(qtbot: Any, second_window: Any, data_dir: Path, dialog_log: Any,
                                             tmp_path: Path) -> None:
    window = second_window(5.0)
    enter(qtbot, window)
    first = Driver(data_dir, tmp_path / "first.err", "F", "--hold", "1.5", "--ticks", "5")
    first.wait_for("holding")
    began = time.monotonic()
    info = window.save()                                    # blocks on the first instance's transaction
    assert time.monotonic() - began > 0.3 and info is not None and info.version == 1
    assert dialog_log.names() == []
    first.finish()
    assert "released" in first.lines and first.lines[-1] == "done"
    with CaseStore.open(data_dir / "cases.sqlite", mounts_file=None) as store:
        assert store.check_integrity() == [] and store.verify_audit().ok
        assert store.load(CASE["case_id"])[0].patient.name == CASE["patient"]["name"]
        for event in reported(first.lines):
            if event.kind == "version":
                assert store.load(event.case_id, event.version)[1].sha256 == event.sha256


def test_second_instance_says_the_store_is_in_use_and_keeps_the_typing(qtbot: Any, second_window: Any,
                                                                      data_dir: Path, dialog_log: Any,
                                                                      tmp_path: Path) -> None:
    from desktop_app import main

    CaseStore.open(data_dir / "cases.sqlite", mounts_file=None).close()
    first = Driver(data_dir, tmp_path / "first.err", "F", "--hold", "120")
    first.wait_for("holding")
    # Opening the store while the first instance writes: no wait and no question (WAL readers).
    opened, problem = main.open_store()
    assert opened is not None and problem == "" and dialog_log.names() == []
    opened.close()
    window = second_window(0.3)
    enter(qtbot, window)
    age = window.editor.page("patient").group.rows["patient.age"]
    assert window.save() is None
    assert dialog_log.names() == ["store_error"]
    _parent, error, doing, choices = dialog_log.calls[0][1]
    assert isinstance(error, StoreInUseError) and "in use by another abc-mdt window" in str(error)
    assert "retry" in choices and "export" in choices
    assert window.editor.dirty and age.value() == str(CASE["patient"]["age"])      # nothing typed is lost
    window._typed_since_autosave = True
    assert not window.autosave()
    assert "Autosave failed" in window.statusBar().currentMessage()
    first.kill()                                            # the first instance dies mid-transaction
    info = window.save()
    assert info is not None and info.version == 1 and not window.editor.dirty
    with CaseStore.open(data_dir / "cases.sqlite", mounts_file=None) as store:
        assert store.check_integrity() == [] and store.verify_audit().ok
        assert store.counts()["case_versions"] == 1
