"""Issue 16 in the GUI: Export/Print list, FHIR bundle export and import (every located message shown first),
the read-only audit log view, and the case archive with per-case results — each through the window's own
actions, the file dialogs answered by the dialog log (paths injected)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from store_helpers import make_case

from desktop_app.qt import Qt, QTimer
from guideline_db.interop import lists

SAMPLES = Path(__file__).resolve().parents[1] / "fhir_samples"


@pytest.fixture(autouse=True)
def views_closed(window: Any) -> Any:
    """The views close before the store they read does (the language reset at teardown re-labels them)."""
    yield
    window.view_menus.close_all()


@pytest.fixture
def filled(store: Any) -> list[Any]:
    cases = [make_case("view-001", name="张秀英", hospital_id="=H001"),
             make_case("view-002", name="Li Mei", hospital_id="H002", subtype="triple_negative"),
             make_case("view-003", name="王芳", hospital_id="H003", subtype="hr_neg_her2_pos")]
    store.save_many(cases, author="tester")
    return cases


def trigger(window: Any, name: str) -> None:
    window.actions_by_name[name].trigger()


def answer_dialog(qtbot: Any, window: Any, attribute: str, check: Any, accept: bool = True) -> list[Any]:
    """Accept (or reject) the modal dialog the action opens, after `check(dialog)` has looked at it."""
    seen: list[Any] = []

    def answer() -> None:
        dialog = getattr(window, attribute, None)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, answer)
            return
        seen.append(check(dialog))
        dialog.accept() if accept else dialog.reject()

    QTimer.singleShot(0, answer)
    return seen


def test_export_list_writes_the_searched_list_as_excel_csv_and_json(window: Any, filled: Any, dialog_log: Any,
                                                                     tmp_path: Path, qtbot: Any) -> None:
    window.case_list.refresh()
    dialog_log.save_paths.append(str(tmp_path / "all.csv"))
    trigger(window, "list_export")
    raw = (tmp_path / "all.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    text = raw.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].split(",") == [title for _, title in lists.CASE_COLUMNS]
    assert len(lines) == 4 and "张秀英" in text and "王芳" in text
    assert "'=H001" in text                     # a formula-looking cell cannot run in Excel
    window.case_list.search.setText("Li Mei")
    dialog_log.save_paths.append(str(tmp_path / "li.json"))
    trigger(window, "list_export")
    rows = json.loads((tmp_path / "li.json").read_text(encoding="utf-8"))
    assert [r["case_id"] for r in rows] == ["view-002"]


def test_print_list_prints_the_cores_table(window: Any, filled: Any, tmp_path: Path) -> None:
    from desktop_app.qt import QPrinter
    from desktop_app.views import list_export

    rows = lists.case_list_rows(window.store, "")
    document = list_export.list_document(rows, "Case list")
    plain = document.toPlainText()
    assert all(case.case_id in plain for case in filled) and "张秀英" in plain
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "list.pdf"))
    assert list_export.print_list(window, printer)
    pdf = (tmp_path / "list.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000


def test_fhir_bundle_round_trip_through_the_menu(window: Any, store: Any, filled: Any, dialog_log: Any,
                                                  tmp_path: Path, qtbot: Any) -> None:
    original = filled[0]
    assert window.open_case(original.case_id)
    dialog_log.save_paths.append(str(tmp_path / "b.fhir.json"))
    trigger(window, "fhir_export")
    bundle = json.loads((tmp_path / "b.fhir.json").read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle" and (tmp_path / "b.fhir.json").stat().st_mode & 0o077 == 0
    assert any(e["resource"]["resourceType"] == "GuidanceResponse" for e in bundle["entry"])
    assert store.audit_entries(original.case_id)[-1].action == "exported"
    store.save_version(make_case(original.case_id, name="changed"), author="tester")   # so the import is seen
    window.new_case()
    dialog_log.open_paths.append(str(tmp_path / "b.fhir.json"))
    from guideline_db.interop.fhir_import import import_bundle_file

    expected = import_bundle_file(tmp_path / "b.fhir.json")
    seen = answer_dialog(qtbot, window, "fhir_import_review",
                         lambda d: [d.model.text(r, 0) for r in range(d.model.rowCount())])
    trigger(window, "fhir_import")
    assert seen == [[m.where for m in expected.messages]]
    assert window.editor.stored_case_id == original.case_id
    stored, info = store.load(original.case_id)
    assert info.version == 3
    assert stored.model_dump(mode="json", exclude_none=True) == original.model_dump(mode="json", exclude_none=True)


def test_an_other_systems_bundle_shows_every_message_and_cancel_stores_nothing(
        window: Any, store: Any, dialog_log: Any, qtbot: Any) -> None:
    from guideline_db.interop.fhir_import import import_bundle_file

    path = SAMPLES / "ehr_medication_statement_style.json"
    expected = import_bundle_file(path)
    assert expected.messages, "the sample says nothing: the test proves nothing"
    dialog_log.open_paths.append(str(path))

    def check(dialog: Any) -> list[tuple[str, str]]:
        model = dialog.model
        return [(model.text(r, 0), model.text(r, 2)) for r in range(model.rowCount())]

    seen = answer_dialog(qtbot, window, "fhir_import_review", check, accept=False)
    trigger(window, "fhir_import")
    assert seen == [[(m.where, m.text) for m in expected.messages]]
    assert store.list_cases() == []


def test_the_audit_log_view_is_read_only_and_filters_by_case(window: Any, store: Any, filled: Any,
                                                             qtbot: Any) -> None:
    window.open_case("view-002")
    view = window.view_menus._open("audit")
    assert view.case_id() == "view-002"
    assert [view.model.record(r)["id"] for r in range(view.model.rowCount())] == \
        [r["id"] for r in lists.audit_rows(store, "view-002")]
    view.case_filter.setCurrentIndex(0)
    everything = lists.audit_rows(store)
    assert view.model.rowCount() == len(everything) >= 3
    assert {view.model.text(r, 4) for r in range(view.model.rowCount())} >= {c.case_id for c in filled}
    index = view.model.index(0, 6)
    assert not view.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    view.case_filter.setCurrentText("view-003")
    assert {view.model.text(r, 4) for r in range(view.model.rowCount())} == {"view-003"}
    view.close()


def test_archive_export_and_import_show_a_result_per_case(window: Any, store: Any, filled: Any, dialog_log: Any,
                                                           tmp_path: Path) -> None:
    view = window.view_menus._open("archive")
    view.content.setCurrentIndex(1)                          # FHIR bundles
    dialog_log.save_paths.append(str(tmp_path / "a.zip"))
    results = view.export()
    assert sorted((r.name, r.ok) for r in results) == sorted((c.case_id, True) for c in filled)
    assert view.model.rowCount() == 3 and {view.model.text(r, 1) for r in range(3)} == {"ok"}
    # a member altered after export fails alone
    altered = tmp_path / "altered.zip"
    with zipfile.ZipFile(tmp_path / "a.zip") as src, zipfile.ZipFile(altered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("view-002.fhir.json"):
                data = data.replace(b"Li Mei", b"Li Mie")
            dst.writestr(info, data)
    dialog_log.open_paths.append(str(altered))
    results = view.import_()
    by_name = {r.name: r for r in results}
    assert not by_name["cases/view-002.fhir.json"].ok
    assert by_name["cases/view-001.fhir.json"].ok and by_name["cases/view-003.fhir.json"].ok
    failed_row = next(r for r in range(view.model.rowCount()) if view.model.text(r, 0).endswith("view-002.fhir.json"))
    assert view.model.text(failed_row, 1) == "FAILED" and "SHA-256" in view.model.text(failed_row, 4)
    assert "2 ok, 1 failed" in view.summary.text()


def test_a_file_that_cannot_be_written_is_said_and_nothing_claims_success(window: Any, filled: Any, dialog_log: Any,
                                                                         tmp_path: Path) -> None:
    from desktop_app.views import list_export

    dialog_log.save_paths.append(str(tmp_path / "no-such-folder" / "list.csv"))
    assert list_export.export_list(window) is None
    name, args = dialog_log.calls[-1]
    assert name == "message" and "no-such-folder" in args[2]
    assert not (tmp_path / "no-such-folder").exists()


def test_a_pseudonymised_bundle_carries_no_name_or_hospital_id(window: Any, store: Any, filled: Any,
                                                                dialog_log: Any, tmp_path: Path) -> None:
    window.open_case("view-002")
    dialog_log.save_paths.append(str(tmp_path / "p.fhir.json"))
    window.actions_by_name["fhir_export_pseudo"].trigger()
    text = (tmp_path / "p.fhir.json").read_text(encoding="utf-8")
    assert "Li Mei" not in text and "H002" not in text and "view-002" not in text and "PSEUDO-" in text
    window.new_case()                                  # a case not saved yet cannot be pseudonymised
    window.actions_by_name["fhir_export_pseudo"].trigger()
    assert dialog_log.names()[-1] == "message" and not dialog_log.save_paths


def test_without_a_case_store_the_views_say_so(qtbot: Any, app: Any, dialog_log: Any) -> None:
    from desktop_app.main_window import MainWindow

    lonely = MainWindow(store=None)
    qtbot.addWidget(lonely)
    for name in ("meeting", "due", "concordance", "impact", "audit_log", "archive", "list_export"):
        before = len(dialog_log.calls)
        lonely.actions_by_name[name].trigger()
        assert dialog_log.names()[before:] == ["message"], name
    assert lonely.view_menus.views == {}
    lonely.autosave_timer.stop()
