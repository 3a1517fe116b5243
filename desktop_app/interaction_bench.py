"""In-process timings of what a board member feels: a wizard step change and a live re-evaluation.

Why in the app and not in `bench/`: the figures must come from the real window as `run_gui` builds it
(fonts, style sheet, translators, the demo case), and only the window knows how a change reaches the
live panel. Each sample ends when Qt has laid out and painted the result (processEvents, then a
synchronous repaint), so the figure includes layout and painting, not just our Python. The debounce
delay (the editor waits that long after the last keystroke) is reported apart: it is a deliberate
pause, not work, and the live update is measured from the change with the wait skipped.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from desktop_app.qt import QApplication

STEP_ROUNDS = 3           # every step visited this many times
LIVE_ROUNDS = 15
LIVE_FIELD = "patient.menopausal_status"
LIVE_FACT = "treatment_menopausal_status"   # a live-panel fact the field above changes
LIVE_TIMEOUT_S = 2.0


def _settle(widget: Any) -> None:
    """Deliver pending events (layout requests, deferred deletes) and paint the widget now."""
    QApplication.processEvents()
    widget.repaint()


def step_change_samples(window: Any) -> list[float]:
    """ms from go_to(step) until the window is laid out and painted, for each step in turn."""
    editor = window.editor
    start_step = editor.current_step()
    samples = []
    count = len(editor.pages)
    _settle(window)
    for n in range(STEP_ROUNDS * count):
        target = (start_step + 1 + n) % count
        began = time.perf_counter()
        editor.go_to(target)
        _settle(window)
        samples.append((time.perf_counter() - began) * 1000)
    editor.go_to(start_step)
    _settle(window)
    return samples


def live_update_samples(window: Any) -> list[float]:
    """ms from a field change until the live panel shows the new evaluation, the debounce skipped.

    Alternates the menopausal status of the open case (pre ↔ post), which changes a fact the live
    panel shows; each sample waits until that fact's label has changed and the panel is painted.
    """
    editor = window.editor
    start_step = editor.current_step()
    editor.go_to(0)                                   # the patient step: the live panel is beside it
    _settle(window)
    row = editor.page("patient").group.rows[LIVE_FIELD]
    label = editor.live.fact_values[LIVE_FACT]
    original, was_dirty = row.value(), editor.dirty
    values = ("post", "pre") if original != "post" else ("pre", "post")
    samples = []
    for n in range(LIVE_ROUNDS):
        before = label.text()
        began = time.perf_counter()
        row.editor.set_value(values[n % 2])
        row.editor.edited.emit()                      # what a user's pick emits: starts the debounce timer
        editor.evaluate_now()                         # the debounce timer's slot, without its wait
        deadline = began + LIVE_TIMEOUT_S
        while label.text() == before and time.perf_counter() < deadline:
            QApplication.processEvents()
        _settle(editor.live)
        samples.append((time.perf_counter() - began) * 1000)
        if label.text() == before:
            raise RuntimeError(f"the live panel did not change after {LIVE_FIELD} changed")
    row.editor.set_value(original)
    editor.evaluate_now()
    editor.dirty = was_dirty
    editor.go_to(start_step)
    _settle(window)
    return samples


def benchmark_interactions(window: Any) -> dict[str, float]:
    """Median ms of a step change and of a live update, and the debounce delay (ms) beside them."""
    return {
        "step_change_ms": statistics.median(step_change_samples(window)),
        "live_update_ms": statistics.median(live_update_samples(window)),
        "debounce_ms": float(window.editor.timer.interval()),
    }
