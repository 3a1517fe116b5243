"""The case store as the window uses it: versions, search, drafts and recovery, import/export,
store failures shown with a way out, and the report action."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

from desktop_app.qt import Qt
from tests.gui.driver import WizardDriver

CASE = {"case_id": "store-1", "evaluation_date": "2024-06-01",
        "patient": {"name": "Zhang San", "hospital_id": "ZS-001", "sex": "female", "age": 50,
                    "menopausal_status": "post"},
        "presentation": "de_novo_stage_iv",
        "pathology": [{"specimen": "primary", "er_percent": 90, "pr_percent": 50, "her2_ihc": "0"}]}


def enter(qtbot: Any, window: Any, case: dict[str, Any] = CASE) -> WizardDriver:
    driver = WizardDriver(qtbot, window.editor)
    driver.fill(case)
    qtbot.waitUntil(lambda: window.editor.case is not None and not window.editor.timer.isActive(), timeout=2000)
    return driver


def test_every_save_is_a_new_version_and_the_list_searches(qtbot: Any, window: Any, store: Any) -> None:
    driver = enter(qtbot, window)
    assert window.save().version == 1
    assert window.case_list.visible_ids() == ["store-1"]
    driver.type_text(window.editor.page("patient").group.rows["patient.age"].editor, "51")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert [v.version for v in store.versions("store-1")] == [1, 2]
    assert [v.status for v in store.versions("store-1")] == ["draft", "draft"]
    for text, found in (("zhang", ["store-1"]), ("ZS-0", ["store-1"]), ("nobody", [])):
        window.case_list.search.clear()
        qtbot.keyClicks(window.case_list.search, text)
        assert window.case_list.visible_ids() == found
    assert window.case_list.empty.text() == "No case matches."


def test_invalid_case_is_not_saved_and_typing_is_kept(qtbot: Any, window: Any, store: Any, dialog_log: Any) -> None:
    driver = enter(qtbot, window)
    driver.type_text(window.editor.page("patient").group.rows["patient.age"].editor, "abc")
    assert window.save() is None
    assert dialog_log.names() == ["message"]
    assert window.editor.current_step() == 0                     # taken to the step with the problem
    assert window.editor.page("patient").group.rows["patient.age"].value() == "abc"
    assert store.list_cases() == []


def test_autosave_keeps_invalid_typing_and_recovery_restores_it(qtbot: Any, window: Any, store: Any,
                                                                 dialog_log: Any, monkeypatch: Any) -> None:
    from desktop_app import main_window

    driver = enter(qtbot, window)
    driver.type_text(window.editor.page("patient").group.rows["patient.age"].editor, "7O")
    window.autosave_timer.setInterval(50)
    qtbot.waitUntil(lambda: bool(store.list_drafts()), timeout=3000)
    key = window.editor.session_key
    draft = json.loads(store.load_draft(key))
    assert draft["fields"]["patient.age"] == "7O"
    # "Crash": a new window on the same store offers the draft; recovering restores the raw typing.
    second = main_window.MainWindow(store=store)
    qtbot.addWidget(second)
    dialog_log.recover_answer = ("recover", key)
    assert second.offer_recovery()
    assert second.editor.page("patient").group.rows["patient.age"].value() == "7O"
    assert second.editor.page("presentation").group.rows["case_id"].value() == "store-1"
    assert second.editor.dirty
    second.editor.dirty = False
    # Saving a valid case removes its draft.
    driver.type_text(window.editor.page("patient").group.rows["patient.age"].editor, "52")
    window.save()
    assert store.list_drafts() == []


def test_store_failure_shows_a_message_with_a_way_out(qtbot: Any, window: Any, store: Any, dialog_log: Any,
                                                       tmp_path: Path, monkeypatch: Any) -> None:
    from guideline_db.store import StoreDiskFullError

    enter(qtbot, window)

    def full(*_args: Any, **_kwargs: Any) -> Any:
        raise StoreDiskFullError("the disk holding the case store is full")

    monkeypatch.setattr(store, "save_version", full)
    dialog_log.store_error_answer = "export"
    target = tmp_path / "rescued.json"
    dialog_log.save_paths.append(str(target))
    assert window.save() is None
    name, args = dialog_log.calls[0]
    assert name == "store_error" and isinstance(args[1], StoreDiskFullError)
    assert "export" in args[3]
    assert json.loads(target.read_text(encoding="utf-8"))["case_id"] == "store-1"
    assert window.editor.dirty and window.editor.case is not None        # nothing lost


def test_import_and_export(qtbot: Any, window: Any, store: Any, dialog_log: Any, tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps({**CASE, "case_id": "imported-1"}), encoding="utf-8")
    dialog_log.open_paths.append(str(source))
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.case.case_id == "imported-1"
    assert window.editor.stored_case_id == "imported-1"
    out = tmp_path / "out.json"
    dialog_log.save_paths.append(str(out))
    window.case_list.refresh(select="imported-1")
    qtbot.mouseClick(window.case_list.export_pseudo_button, Qt.MouseButton.LeftButton)
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["patient"].get("name") != "Zhang San"
    assert (tmp_path / "out.json.manifest.json").exists() and out.stat().st_mode & 0o077 == 0   # 0600 + manifest
    assert [e.action for e in store.audit_entries("imported-1")][-1] == "exported"
    assert exported["pathology"] == CASE["pathology"] or exported["pathology"][0]["specimen"] == "primary"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**CASE, "patient": {"sex": "x"}}), encoding="utf-8")
    dialog_log.open_paths.append(str(bad))
    window.import_case()
    assert dialog_log.names()[-1] == "store_error"
    assert any("patient.sex" in line for line in dialog_log.calls[-1][1][1].problems)


def test_open_with_unsaved_changes_asks_first(qtbot: Any, window: Any, store: Any, dialog_log: Any) -> None:
    enter(qtbot, window)
    window.save()
    window.new_case()
    enter(qtbot, window, {**CASE, "case_id": "store-2"})
    dialog_log.unsaved_answer = "cancel"
    assert not window.open_case("store-1")
    assert window.editor.case.case_id == "store-2"
    dialog_log.unsaved_answer = "discard"
    assert window.open_case("store-1")
    assert window.editor.case.case_id == "store-1"


def test_report_action_calls_the_report_module(qtbot: Any, window: Any, monkeypatch: Any) -> None:
    calls = []
    fake = types.ModuleType("desktop_app.report_view")
    fake.open_report_dialog = lambda parent, case, evaluation, store=None, lang="zh", **kw: calls.append(
        (parent, case, evaluation, store, lang))
    monkeypatch.setitem(sys.modules, "desktop_app.report_view", fake)
    import desktop_app

    monkeypatch.setattr(desktop_app, "report_view", fake, raising=False)
    enter(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert len(calls) == 1
    parent, case, evaluation, store, lang = calls[0]
    assert parent is window and case.case_id == "store-1" and evaluation.case_id == "store-1"
    assert store is window.store and lang == "en"


def test_window_without_a_store_still_works(qtbot: Any, app: Any, dialog_log: Any, tmp_path: Path) -> None:
    from desktop_app.main_window import MainWindow

    window = MainWindow(store=None, store_problem="the case store folder is not writable")
    qtbot.addWidget(window)
    assert "not writable" in window.case_list.empty.text()
    enter(qtbot, window)
    target = tmp_path / "no-store.json"
    dialog_log.save_paths.append(str(target))
    window.save()
    assert json.loads(target.read_text(encoding="utf-8"))["case_id"] == "store-1"
    window.editor.dirty = False


def test_saving_passes_the_editors_subtype_so_the_store_runs_no_engine(qtbot: Any, window: Any, store: Any,
                                                                        monkeypatch: Any) -> None:
    """The case list's subtype column comes from the editor's evaluation (issue 11), not a second engine run."""
    from collections import OrderedDict

    import guideline_db.engine as engine
    from desktop_app.main import load_demo_case
    from guideline_db.store import subtype

    window.editor.load_case(load_demo_case(), stored=False)
    window.editor.evaluate_now()
    monkeypatch.setattr(subtype, "_cache", OrderedDict())          # nothing remembered from earlier tests
    calls: list[Any] = []
    real = engine.evaluate
    monkeypatch.setattr(engine, "evaluate", lambda case, *a, **k: calls.append(case) or real(case, *a, **k))
    assert window.save() is not None
    assert calls == []
    listed = store.list_cases()[0]
    assert listed.subtype == window.editor.evaluation.value("subtype")
    # without the argument the store still computes it (another caller, the CLI)
    demo = window.editor.case
    case = demo.model_copy(update={"case_id": "other-caller",
                                   "patient": demo.patient.model_copy(update={"age": demo.patient.age + 1})})
    store.save_version(case, author="tester")
    assert len(calls) == 1 and store.list_cases()[0].subtype == listed.subtype
