"""The hooks `make bench` uses (bench/bench_parts.py): the real start-up without the event loop, and the
in-process timings of a step change and a live update, which must leave the form as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.gui.driver import WizardDriver


def test_build_app_for_benchmark_starts_like_run_gui(qtbot: Any, app: Any, data_dir: Path) -> None:
    from desktop_app import appearance, language
    from desktop_app.main import build_app_for_benchmark

    built_app, window = build_app_for_benchmark(["--demo", "--lang", "en"])
    qtbot.addWidget(window)
    try:
        assert built_app is app
        assert window.objectName() == "main_window" and not window.isVisible()    # the caller shows it
        assert window.editor.case.case_id == "demo-premenopausal-001" and not window.editor.dirty
        assert window.store is not None and window.store.path == data_dir / "cases.sqlite"
        assert language.current_language() == "en" and appearance.register_cjk_font() == "Droid Sans Fallback"
    finally:
        window.store.close()


def test_benchmark_interactions_measures_and_puts_the_form_back(qtbot: Any, window: Any) -> None:
    from desktop_app.main import load_demo_case

    window.editor.load_case(load_demo_case(), stored=False)
    window.editor.go_to(2)
    before = window.editor.state()
    figures = window.benchmark_interactions()
    assert set(figures) == {"step_change_ms", "live_update_ms", "debounce_ms"}
    assert figures["debounce_ms"] == window.editor.timer.interval() == 80
    assert 0 < figures["step_change_ms"] < 5000 and 0 < figures["live_update_ms"] < 5000
    assert window.editor.state() == before and not window.editor.dirty
    assert window.editor.current_step() == 2 and window.editor.case.patient.menopausal_status == "pre"


def test_review_is_rendered_when_shown_with_the_latest_evaluation(qtbot: Any, window: Any) -> None:
    """The review step is not re-rendered on every keystroke made on another step (it would delay the
    live panel), but it shows the latest evaluation as soon as it is shown."""
    from desktop_app import labels
    from desktop_app.main import load_demo_case

    editor = window.editor
    editor.load_case(load_demo_case(), stored=False)
    editor.go_to(6)
    review = editor.pages[6]
    assert review.displayed_facts["treatment_menopausal_status"] == labels.fact_value("treatment_menopausal_status", "pre")
    editor.go_to(0)
    WizardDriver(qtbot, editor).choose(editor.pages[0].group.rows["patient.menopausal_status"].editor, "post")
    qtbot.waitUntil(lambda: not editor.timer.isActive() and editor.case.patient.menopausal_status == "post",
                    timeout=2000)
    expected = labels.fact_value("treatment_menopausal_status", editor.evaluation.value("treatment_menopausal_status"))
    assert expected != labels.fact_value("treatment_menopausal_status", "pre")
    assert review.displayed_facts["treatment_menopausal_status"] != expected          # not rendered while hidden
    editor.go_to(6)
    assert review.displayed_facts["treatment_menopausal_status"] == expected
    editor.go_to(0)
    WizardDriver(qtbot, editor).choose(editor.pages[0].group.rows["patient.menopausal_status"].editor, "pre")
    qtbot.waitUntil(lambda: not editor.timer.isActive() and editor.case.patient.menopausal_status == "pre",
                    timeout=2000)
    assert editor.review.displayed_facts["treatment_menopausal_status"] == labels.fact_value(
        "treatment_menopausal_status", "pre")                                           # asked for: rendered
    editor.dirty = False
