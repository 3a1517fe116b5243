"""The report window (offscreen): preview, sign with the dialog, refuse a stale preview, save, print.

Building the preview and signing run in the background (desktop_app.operations): the tests wait for
the dialog to be idle again, as a user waits for the buttons to come back."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSize
from test_report_support import PASSPHRASE, decided_case, squash, stamp_text

from reports.case_hash import case_version_hash
from reports.identity import create_identity
from reports.verify import verify_pdf


@pytest.fixture(scope="module")
def identity(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("gui-identity") / "chair.p12"
    create_identity("Dr Chair", "MDT chair", path, PASSPHRASE, key_type="ecdsa-p256")
    return path


def wait_idle(qtbot: Any, dialog) -> None:
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=20000)
    assert dialog.rebuild_button.isEnabled() and dialog.sign_button.isEnabled()


def open_dialog(qtbot: Any, case, store=None, lang: str = "en", **kwargs):
    """The report window, once its PDF is loaded."""
    from desktop_app.report_view import open_report_dialog

    dialog = open_report_dialog(None, case, None, store=store, lang=lang, **kwargs)
    qtbot.addWidget(dialog)
    assert dialog.is_busy() and not dialog.sign_button.isEnabled()     # built in the background
    wait_idle(qtbot, dialog)
    from PySide6.QtPdf import QPdfDocument

    qtbot.waitUntil(lambda: dialog.document.status() == QPdfDocument.Status.Ready, timeout=5000)
    return dialog


def try_sign(qtbot: Any, dialog, sign_dialog) -> bool:
    """Press OK in the signing dialog and wait; True when the signature was made (the dialog closed)."""
    started = sign_dialog.try_sign()
    assert sign_dialog.passphrase_edit.text() == ""          # cleared at once, on every attempt
    if started:
        assert not sign_dialog.buttons.isEnabled()
        wait_idle(qtbot, dialog)
        assert sign_dialog.buttons.isEnabled()
    return started and sign_dialog.result() == sign_dialog.DialogCode.Accepted


def fill_and_sign(qtbot: Any, dialog, identity: Path, passphrase: bytes, meaning_index: int = 0):
    sign_dialog = dialog.sign()
    assert sign_dialog is not None
    assert sign_dialog.passphrase_edit.echoMode() == sign_dialog.passphrase_edit.EchoMode.Password
    sign_dialog.identity_edit.setText(str(identity))
    sign_dialog.passphrase_edit.setText(passphrase.decode())
    sign_dialog.meaning_combo.setCurrentIndex(meaning_index)
    return sign_dialog, try_sign(qtbot, dialog, sign_dialog)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_preview_shows_every_page(qtbot: Any, app: Any, lang: str) -> None:
    dialog = open_dialog(qtbot, decided_case(), lang=lang)
    assert dialog.document.pageCount() == len(PdfReader(io.BytesIO(dialog.pdf)).pages) >= 2
    image = dialog.document.render(0, QSize(298, 421))
    assert not image.isNull() and image != dialog.document.render(1, QSize(298, 421))
    assert dialog.preview_hash == case_version_hash(decided_case())
    assert decided_case().case_id in dialog.status_label.text()


def test_sign_with_the_dialog_and_record_in_the_store(qtbot: Any, app: Any, store: Any, dialog_log: Any,
                                                      identity: Path, tmp_path: Path) -> None:
    case = decided_case()
    saved = store.save_version(case, author="tester")
    dialog = open_dialog(qtbot, case, store=store)
    dialog_log.save_paths.append(str(tmp_path / "signed.pdf"))     # signing offers to save the result
    last, size = dialog.document.pageCount() - 1, QSize(298, 421)
    unsigned_last_page = dialog.document.render(last, size)
    assert dialog.document.render(last, size) == unsigned_last_page      # rendering is repeatable
    sign_dialog, ok = fill_and_sign(qtbot, dialog, identity, b"not the passphrase")
    assert not ok and "wrong passphrase" in sign_dialog.error_label.text()
    assert sign_dialog.isVisible() and dialog.signers == []
    sign_dialog.passphrase_edit.setText(PASSPHRASE.decode())
    assert try_sign(qtbot, dialog, sign_dialog)
    from reports.identity import load_identity

    result = verify_pdf(dialog.pdf, [load_identity(identity, PASSPHRASE).certificate])   # its signer trusted
    assert result.ok, result.summary()
    assert result.signatures[0].meaning == "MDT 主席审核批准 / approved by MDT chair"
    assert "DrChair" in squash(stamp_text(dialog.pdf))
    latest = store.versions(case.case_id)[-1]
    assert latest.status == "signed" and latest.signs_version == saved.version
    assert latest.pdf_sha256 == hashlib.sha256(dialog.pdf).hexdigest()
    assert dialog.signers == ["Dr Chair"]
    assert (tmp_path / "signed.pdf").read_bytes() == dialog.pdf
    # the preview shows the stamp (painted into the display copy): the last page now looks different
    qtbot.waitUntil(lambda: dialog.document.pageCount() == last + 1, timeout=5000)
    assert dialog.document.render(last, size) != unsigned_last_page


def test_signing_a_changed_case_is_refused_until_the_preview_is_rebuilt(qtbot: Any, app: Any, dialog_log: Any,
                                                                        identity: Path) -> None:
    case = decided_case()
    dialog = open_dialog(qtbot, case)
    changed = case.model_copy(update={"evaluation_date": case.evaluation_date.replace(day=2)})
    dialog.set_case(changed)
    assert dialog.is_stale()
    assert dialog.sign() is None
    assert dialog_log.names() == ["message"]
    assert dialog.sign_with(identity, PASSPHRASE, "chair") is not None   # refused at the last step too
    dialog.rebuild()
    wait_idle(qtbot, dialog)
    assert dialog.preview_hash == case_version_hash(changed) and not dialog.is_stale()
    dialog_log.save_paths.append("")                                  # the user cancels the offered save
    _, ok = fill_and_sign(qtbot, dialog, identity, PASSPHRASE)
    assert ok and verify_pdf(dialog.pdf).signatures[0].case_version_hash == case_version_hash(changed)
    assert "not saved" in dialog.status_label.text()


def test_current_case_provider_makes_the_preview_stale(qtbot: Any, app: Any, dialog_log: Any) -> None:
    case = decided_case()
    state = {"case": case}
    dialog = open_dialog(qtbot, case, current_case=lambda: state["case"])
    assert not dialog.is_stale()
    state["case"] = case.model_copy(update={"case_id": "renamed-case"})
    assert dialog.is_stale() and dialog.sign() is None


def test_unsaved_case_cannot_be_signed_into_the_store(qtbot: Any, app: Any, store: Any, dialog_log: Any) -> None:
    dialog = open_dialog(qtbot, decided_case("never-saved"), store=store)
    assert dialog.sign() is None
    assert dialog_log.names() == ["message"]


def test_save_and_print(qtbot: Any, app: Any, store: Any, dialog_log: Any, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    case = decided_case()
    store.save_version(case, author="tester")
    dialog = open_dialog(qtbot, case, store=store, lang="zh")
    dialog_log.save_paths.append(str(tmp_path / "summary.pdf"))
    saved = dialog.save()
    assert saved is not None and saved.read_bytes() == dialog.pdf
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.print_to(printer)
    printed = PdfReader(str(tmp_path / "printed.pdf"))
    assert len(printed.pages) == dialog.document.pageCount()
    actions = [entry.action for entry in store.audit_entries(case.case_id)]
    assert "exported" in actions and "printed" in actions


def test_the_report_window_reuses_the_editors_evaluation(qtbot: Any, window: Any, monkeypatch: Any) -> None:
    """Opening the report window and its "is the preview stale?" check evaluate nothing again (issue 11):
    the window renders the editor's evaluation of that very case (its case_sha256 matches)."""
    import guideline_db.engine as engine
    from desktop_app.main import load_demo_case

    editor = window.editor
    editor.load_case(load_demo_case(), stored=False)
    editor.evaluate_now()
    calls: list[Any] = []
    real = engine.evaluate
    monkeypatch.setattr(engine, "evaluate", lambda case, *a, **k: calls.append(case) or real(case, *a, **k))
    dialog = window.open_report()
    qtbot.addWidget(dialog)
    wait_idle(qtbot, dialog)
    for _ in range(3):
        assert not dialog.is_stale()
    assert calls == []
    assert dialog.preview_hash == editor.evaluation.case_sha256 == case_version_hash(editor.case)
    age = editor.page("patient").group.rows["patient.age"].editor
    age.set_value(str(int(age.value()) + 1))
    editor._changed()                                  # an edit waiting for the debounce …
    assert dialog.is_stale()                           # … is evaluated once, and makes the preview stale
    assert len(calls) == 1
    dialog.rebuild()
    wait_idle(qtbot, dialog)
    assert len(calls) == 1 and not dialog.is_stale()   # rebuilt from the editor's new evaluation


def test_the_sign_dialog_has_no_printed_name_field(qtbot: Any, app: Any, dialog_log: Any) -> None:
    from desktop_app.qt import QLineEdit
    from desktop_app.report_view import SignDialog

    sign_dialog = SignDialog(None, "en", lambda *args: None)
    qtbot.addWidget(sign_dialog)
    assert sign_dialog.findChild(QLineEdit, "printed_name") is None
    assert {e.objectName() for e in sign_dialog.findChildren(QLineEdit)} >= {"identity_path", "passphrase"}
    assert "certificate" in sign_dialog.name_note.text()


def test_the_report_windows_own_words_follow_the_ui_language(qtbot: Any, app: Any, dialog_log: Any) -> None:
    """Buttons and messages of the report window go through Qt's translation (issue 11), whatever the report's
    language; the meanings offered are the report's own (reports.labels.MEANINGS)."""
    from desktop_app import language
    from desktop_app.report_view import SignDialog

    language.set_language("zh")
    try:
        sign_dialog = SignDialog(None, "en", lambda *args: None)
        qtbot.addWidget(sign_dialog)
        assert sign_dialog.windowTitle() == "签署病例摘要"
        assert sign_dialog.name_note.text() == "签名人姓名与专业取自证书。"
        assert sign_dialog.meaning_combo.itemText(0) == "approved by MDT chair"     # the report's language
    finally:
        language.set_language("en")
    sign_dialog = SignDialog(None, "zh", lambda *args: None)
    qtbot.addWidget(sign_dialog)
    assert sign_dialog.windowTitle() == "Sign the case summary"
