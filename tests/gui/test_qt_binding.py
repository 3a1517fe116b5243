"""The pinned Qt binding must survive many signal emissions (PySide6 6.12 on Python 3.11 aborted)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
class Emitter(QObject):
    changed = Signal(str)
emitter = Emitter()
emitter.changed.connect(lambda text: None)
before = sys.getrefcount(True)
for _ in range(200000):
    emitter.changed.emit("x")
print(sys.getrefcount(True) - before)
"""


def test_many_signal_emissions_do_not_leak_references_to_true() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-500:]
    assert abs(int(result.stdout.strip())) < 100
