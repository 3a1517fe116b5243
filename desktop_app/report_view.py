"""The report window: preview the PDF summary (QtPdf), sign it, save it, print it.

Why a preview that is rebuilt on request rather than on every edit: what the board signs must be
exactly what they looked at. The preview remembers the case version hash it was rendered from; a
signature is refused while the wizard's current case hashes differently, until the preview is
rebuilt. The passphrase is read from a password field at the moment of signing, passed on as bytes,
and the field is cleared: it is never kept, stored or logged. QtPdf (PDFium) does not draw signature
widgets, so the window shows and prints a copy with the stamps painted in (`reports.preview`) while
saving writes the signed bytes themselves. With a case store, signing records the
signed PDF's SHA-256 in the case history (`mark_signed`), and saving or printing records an event.

Building the PDF and signing it take seconds on a slow machine, so both run off the UI thread
(`desktop_app.operations`): the buttons are disabled meanwhile and a busy dialog appears if it takes
long. The worker only computes bytes; the dialog's state, the preview and the case store are
changed in the success callback, on the UI thread.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app import dialogs
from desktop_app.operations import run_in_background
from desktop_app.qt import (
    QT_TRANSLATE_NOOP,
    QApplication,
    QBuffer,
    QByteArray,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QImage,
    QIODevice,
    QLabel,
    QLineEdit,
    QPainter,
    QPdfDocument,
    QPdfView,
    QPrintDialog,
    QPrinter,
    QPushButton,
    QRect,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
    translate,
)
from guideline_db.case_model import Case
from reports.case_hash import case_version_hash
from reports.labels import MEANINGS

# The window's own words (Qt's .ts, context "ReportDialog"); the report's language is chosen separately.
TEXT = {
    "title": QT_TRANSLATE_NOOP("ReportDialog", "Case summary PDF"),
    "rebuild": QT_TRANSLATE_NOOP("ReportDialog", "Rebuild preview"),
    "sign": QT_TRANSLATE_NOOP("ReportDialog", "Sign…"),
    "save": QT_TRANSLATE_NOOP("ReportDialog", "Save…"),
    "print": QT_TRANSLATE_NOOP("ReportDialog", "Print…"),
    "close": QT_TRANSLATE_NOOP("ReportDialog", "Close"),
    "language": QT_TRANSLATE_NOOP("ReportDialog", "Language"),
    "identity": QT_TRANSLATE_NOOP("ReportDialog", "Identity file"),
    "browse": QT_TRANSLATE_NOOP("ReportDialog", "Browse…"),
    "passphrase": QT_TRANSLATE_NOOP("ReportDialog", "Passphrase"),
    "meaning": QT_TRANSLATE_NOOP("ReportDialog", "Meaning"),
    "name_from_certificate": QT_TRANSLATE_NOOP("ReportDialog",
                                               "The signer's printed name and role come from the certificate."),
    "sign_title": QT_TRANSLATE_NOOP("ReportDialog", "Sign the case summary"),
    "stale": QT_TRANSLATE_NOOP("ReportDialog",
                               "The case changed after this preview was made: rebuild the preview before signing."),
    "preview_of": QT_TRANSLATE_NOOP("ReportDialog", "Preview of case {case}, version {hash}…"),
    "signed_by": QT_TRANSLATE_NOOP("ReportDialog", "Signed by: {names}"),
    "unsigned": QT_TRANSLATE_NOOP("ReportDialog", "not signed"),
    "need_identity": QT_TRANSLATE_NOOP("ReportDialog", "Choose the identity file (.p12)"),
    "need_meaning": QT_TRANSLATE_NOOP("ReportDialog", "Enter what the signature means"),
    "not_stored": QT_TRANSLATE_NOOP("ReportDialog", "The case is not saved in the case store (or has unsaved changes): save it first, so that the signature is recorded in its history."),  # noqa: E501
    "offline": QT_TRANSLATE_NOOP("ReportDialog", "The case server is unreachable: a signature is recorded in the registry, so signing waits until abc-mdt is back online. The preview can be saved and printed meanwhile."),  # noqa: E501
    "store_failed": QT_TRANSLATE_NOOP("ReportDialog", "Signed, but the case store could not record it: {error}"),
    "saved": QT_TRANSLATE_NOOP("ReportDialog", "Saved {path}"),
    "printed": QT_TRANSLATE_NOOP("ReportDialog", "Printed"),
    "not_saved": QT_TRANSLATE_NOOP("ReportDialog", "The signed PDF is not saved yet"),
    "building": QT_TRANSLATE_NOOP("ReportDialog", "Building the preview…"),
    "signing": QT_TRANSLATE_NOOP("ReportDialog", "Signing…"),
}
P12_FILTER = "PKCS#12 (*.p12 *.pfx);;All files (*)"
PDF_FILTER = "PDF (*.pdf)"
PRINT_DPI = 300


def _t(key: str, lang: str = "") -> str:
    """A word of the window in the UI language (through Qt's translation, like every other UI string); `lang`,
    the report's language, does not choose it."""
    return translate("ReportDialog", TEXT[key])


OnSign = Callable[[Path, bytes, str, Callable[[str | None], None]], str | None]


class SignDialog(QDialog):
    """Asks for identity file, passphrase and meaning; `on_sign` does the signing (in the background).

    `on_sign(path, passphrase, meaning, on_done)` returns an error message when it
    refuses at once, else None and later calls `on_done(error or None)` on the UI thread. An error is
    shown here so the user can correct the passphrase without starting again.
    """

    def __init__(self, parent: QWidget | None, lang: str, on_sign: OnSign) -> None:
        super().__init__(parent)
        self.lang = lang
        self._on_sign = on_sign
        self.signing = False
        self.setWindowTitle(_t("sign_title", lang))
        self.setObjectName("sign_dialog")
        self.identity_edit = QLineEdit(self)
        self.identity_edit.setObjectName("identity_path")
        browse = QPushButton(_t("browse", lang), self)
        browse.clicked.connect(self._browse)
        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setObjectName("passphrase")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.meaning_combo = QComboBox(self)
        self.meaning_combo.setObjectName("meaning")
        self.meaning_combo.setEditable(True)
        for zh, en in MEANINGS.values():
            self.meaning_combo.addItem(zh if lang == "zh" else en)
        self.name_note = QLabel(_t("name_from_certificate", lang), self)   # no printed-name field: the certificate's
        self.name_note.setObjectName("name_from_certificate")
        self.name_note.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("sign_error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #9C2A00")
        row = QHBoxLayout()
        row.addWidget(self.identity_edit, 1)
        row.addWidget(browse)
        from desktop_app.identity_dialogs import t as identity_text

        self.create_button = QPushButton(identity_text("create", lang), self)
        self.create_button.setObjectName("create_identity")
        self.create_button.clicked.connect(self.create_identity)
        self.trust_button = QPushButton(identity_text("trust", lang), self)
        self.trust_button.setObjectName("trust_store")
        self.trust_button.clicked.connect(self.manage_trust)
        identity_buttons = QHBoxLayout()
        identity_buttons.addWidget(self.create_button)
        identity_buttons.addWidget(self.trust_button)
        identity_buttons.addStretch(1)
        form = QFormLayout()
        form.addRow(_t("identity", lang), row)
        form.addRow("", identity_buttons)
        form.addRow(_t("passphrase", lang), self.passphrase_edit)
        form.addRow(_t("meaning", lang), self.meaning_combo)
        form.addRow("", self.name_note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.try_sign)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def create_identity(self) -> Any:
        """Create identity…: a new .p12 (and, if chosen, its certificate trusted here); the new file is
        then the identity to sign with."""
        from desktop_app.identity_dialogs import CreateIdentityDialog

        dialog = CreateIdentityDialog(self, self.lang)
        dialog.accepted.connect(lambda: self._identity_created(dialog.created))
        dialog.open()
        return dialog

    def _identity_created(self, path: Path | None) -> None:
        if path is not None:
            self.identity_edit.setText(str(path))
            self.passphrase_edit.setFocus()

    def manage_trust(self) -> Any:
        from desktop_app.identity_dialogs import TrustStoreDialog

        dialog = TrustStoreDialog(self, self.lang)
        dialog.open()
        return dialog

    def _browse(self) -> None:
        path = dialogs.open_file(self, _t("identity", self.lang), P12_FILTER)
        if path:
            self.identity_edit.setText(path)

    def try_sign(self) -> bool:
        """Read the fields, clear the passphrase and start signing; True when it started.

        The dialog closes when the signature is made, or shows why not (`signed`)."""
        if self.signing:
            return False
        path_text = self.identity_edit.text().strip()
        meaning = self.meaning_combo.currentText().strip()
        if not path_text:
            self.error_label.setText(_t("need_identity", self.lang))
            return False
        if not meaning:
            self.error_label.setText(_t("need_meaning", self.lang))
            return False
        passphrase = self.passphrase_edit.text().encode("utf-8")
        self.passphrase_edit.clear()
        self.error_label.clear()
        self.signing = True
        error = self._on_sign(Path(path_text), passphrase, meaning, self.signed)
        del passphrase
        if error:
            self.signing = False
            self.signed(error)
            return False
        return True

    def signed(self, error: str | None) -> None:
        """Signing ended (UI thread): close, or show the error and ask for the passphrase again."""
        self.signing = False
        if error:
            self.error_label.setText(error)
            self.passphrase_edit.setFocus()
            return
        self.accept()

    def reject(self) -> None:
        if not self.signing:        # Esc or Cancel cannot abandon a signature being made
            super().reject()


def fitting(parent: QWidget | None, wanted: QSize) -> QSize:
    """`wanted`, shrunk to the available screen area (less a frame and title bar)."""
    screen = (parent.screen() if parent is not None else None) or QApplication.primaryScreen()
    if screen is None:
        return wanted
    area = screen.availableGeometry()
    return QSize(min(wanted.width(), area.width() - 16), min(wanted.height(), area.height() - 48))


class ReportDialog(QDialog):
    """The PDF preview with Rebuild, Sign…, Save… and Print…."""

    def __init__(self, parent: QWidget | None, case: Case, evaluation: Any = None, store: Any = None,
                 lang: str = "zh", current_case: Callable[[], Case | None] | None = None,
                 current_evaluation: Callable[[], Any] | None = None) -> None:
        super().__init__(parent)
        self.lang = lang if lang in ("zh", "en") else "zh"
        self.store = store
        self._current_case = current_case
        self._current_evaluation = current_evaluation
        self._latest: Case = case
        self.case: Case = case
        self.evaluation = evaluation
        self.preview_hash = ""
        self.pdf = b""
        self.signers: list[str] = []
        self.sign_dialog: SignDialog | None = None
        self.operation: Any = None          # the running background job (desktop_app.operations), if any
        self.setObjectName("report_dialog")
        self.setWindowTitle(_t("title", self.lang))
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("pdf_view")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._buffer: QBuffer | None = None
        self.status_label = QLabel(self)
        self.status_label.setObjectName("report_status")
        self.status_label.setWordWrap(True)
        self.language_combo = QComboBox(self)
        self.language_combo.addItem("中文", "zh")
        self.language_combo.addItem("English", "en")
        self.language_combo.setCurrentIndex(0 if self.lang == "zh" else 1)
        self.language_combo.currentIndexChanged.connect(self._language_changed)
        self.rebuild_button = self._button("rebuild", self.rebuild)
        self.sign_button = self._button("sign", self.sign)
        self.save_button = self._button("save", self.save)
        self.print_button = self._button("print", self.print_dialog)
        close = self._button("close", self.close)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_t("language", self.lang), self))
        bar.addWidget(self.language_combo)
        for button in (self.rebuild_button, self.sign_button, self.save_button, self.print_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.status_label)
        layout.addWidget(self.view, 1)
        self.resize(fitting(parent, QSize(900, 1000)))     # never taller than a 768-px projector
        self.rebuild(case)

    def _button(self, key: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(_t(key, self.lang), self)
        button.setObjectName(f"{key}_button")
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- the case and the preview -------------------------------------------------------------------
    def set_case(self, case: Case) -> None:
        """The wizard's case changed: remembered, but the preview is only rebuilt on request."""
        self._latest = case
        self._show_status()

    def current_case(self) -> Case:
        if self._current_case is not None:
            case = self._current_case()
            if case is not None:
                self._latest = case
        return self._latest

    def is_stale(self) -> bool:
        """True when the case now differs from the one the preview shows: a hash of the case, compared with
        the hash the previewed evaluation was computed from (`Evaluation.case_sha256`); nothing re-evaluated."""
        return case_version_hash(self.current_case()) != self.preview_hash

    def evaluation_for(self, case: Case) -> Any:
        """The evaluation of exactly `case`: the one the window was given (or the wizard has now) when its
        `case_sha256` matches, else computed (about a millisecond) — never one case's options on another."""
        from guideline_db.engine import evaluate

        wanted = case_version_hash(case)
        offered = [self.evaluation, self._current_evaluation() if self._current_evaluation is not None else None]
        return next((e for e in offered if e is not None and getattr(e, "case_sha256", "") == wanted), None) \
            or evaluate(case)

    def is_busy(self) -> bool:
        """True while the preview is being built or the PDF signed (off the UI thread)."""
        return self.operation is not None

    def _action_widgets(self) -> list[QWidget]:
        return [self.rebuild_button, self.sign_button, self.save_button, self.print_button, self.language_combo]

    def _run(self, work: Callable[[], Any], on_success: Callable[[Any], None], label: str,
             on_failure: Callable[[Exception], None] | None = None,
             progress_parent: QWidget | None = None, disable: tuple[QWidget, ...] = ()) -> None:
        """Run `work` in the background with this window's buttons disabled; see desktop_app.operations."""
        def ended(operation: Any) -> None:
            if self.operation is operation:
                self.operation = None

        operation = run_in_background(progress_parent or self, work, on_success, on_failure, label,
                                      disable=[*self._action_widgets(), *disable])
        operation.done.connect(lambda: ended(operation))
        self.operation = operation

    def rebuild(self, case: Case | None = None) -> None:
        """Render the preview of the current case (discarding signatures made on the old preview).

        The evaluation is the given one when it was computed from this very case (`evaluation_for`), so
        the PDF can never pair one version of the case with another version's recommendations. The PDF
        is built in the background; the dialog shows the new preview, hash and language only once
        it is ready, so what is shown and what is signed never disagree.
        """
        from reports.pdf_report import build_report

        case = case or self.current_case()
        evaluation = self.evaluation_for(case)
        case_hash, lang = evaluation.case_sha256, self.lang

        def built(pdf: bytes) -> None:
            self.case, self.evaluation, self._latest = case, evaluation, case
            self.preview_hash = case_hash
            self.signers = []
            self._show(pdf)

        def failed(exc: Exception) -> None:
            self._show_status()
            dialogs.message(self, _t("title", self.lang), f"{type(exc).__name__}: {exc}", warning=True)

        self.status_label.setText(_t("building", self.lang))
        head = self._audit_head()
        self._run(lambda: build_report(case, evaluation, lang=lang, case_version_hash=case_hash, audit_head=head),
                  built, _t("building", self.lang), on_failure=failed)

    def _audit_head(self) -> str | None:
        """The store's audit-chain head, written into the record (cases verify-audit --against PDF)."""
        if self.store is None:
            return None
        try:
            return self.store.audit_head().token()
        except Exception:  # noqa: BLE001 - a store that cannot tell its head still lets the report be built
            return None

    def _language_changed(self) -> None:
        self.lang = self.language_combo.currentData()
        self.rebuild(self.case)

    def _show(self, pdf: bytes, display: bytes | None = None) -> None:
        """Keep `pdf` (what is saved and signed); show and print `display`, a copy with the stamps
        painted in (`reports.preview.flatten_stamps`, computed by the caller off the UI thread)."""
        self.pdf = pdf
        self.document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(display if display is not None else pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        self._show_status()

    def _show_status(self) -> None:
        text = _t("preview_of", self.lang).format(case=self.case.case_id, hash=self.preview_hash[:12])
        text += " · " + (_t("signed_by", self.lang).format(names=", ".join(self.signers)) if self.signers
                         else _t("unsigned", self.lang))
        if self.is_stale():
            text += "\n" + _t("stale", self.lang)
        self.status_label.setText(text)

    # -- signing ------------------------------------------------------------------------------------
    def sign(self) -> SignDialog | None:
        """Open the signing dialog, or refuse (None) when the case changed since the preview or the case server
        is unreachable (the registry records every signature)."""
        if getattr(self.store, "offline", False):
            dialogs.message(self, _t("sign_title", self.lang), _t("offline", self.lang), warning=True)
            return None
        if self.is_stale():
            self._show_status()
            dialogs.message(self, _t("sign_title", self.lang), _t("stale", self.lang), warning=True)
            return None
        if self.store is not None and self._store_version() is None:
            dialogs.message(self, _t("sign_title", self.lang), _t("not_stored", self.lang), warning=True)
            return None
        self.sign_dialog = SignDialog(self, self.lang, self.sign_with)
        self.sign_dialog.accepted.connect(self.save)     # a signed PDF is worth keeping: offer to save it
        self.sign_dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.sign_dialog.open()
        return self.sign_dialog

    def sign_with(self, identity: Path, passphrase: bytes, meaning: str,
                  on_done: Callable[[str | None], None] | None = None) -> str | None:
        """Start signing the preview in the background, with `reports.signing.sign_case_report` (the CLI's
        one call: the printed name and role are the certificate's, the metadata is read from the PDF).

        Returns an error message when refused at once (stale preview, or busy), else None; then
        `on_done(None)` once signed, shown and recorded, or `on_done(message)` when signing failed
        (wrong passphrase, unusable identity), called on the UI thread.
        """
        from reports.preview import flatten_stamps
        from reports.settings import load_settings
        from reports.signing import SignatureMeta, SigningError, sign_case_report

        if self.is_stale():
            return _t("stale", self.lang)
        if self.is_busy():
            return _t("building", self.lang)
        pdf, lang = self.pdf, self.lang
        location = load_settings().location(lang)
        done = on_done or (lambda _error: None)

        def work() -> tuple[SignatureMeta, bytes, bytes]:      # worker thread: bytes in, bytes out
            signed, meta = sign_case_report(pdf, identity, passphrase, meaning, lang=lang, location=location)
            return meta, signed, flatten_stamps(signed)

        def signed(result: tuple[SignatureMeta, bytes, bytes]) -> None:
            meta, signed_pdf, display = result
            self.signers.append(meta.signer_name)
            self._show(signed_pdf, display)
            self._record_signature(meta.signer_name, meta.meaning(self.lang), signed_pdf)
            done(None)

        def failed(exc: Exception) -> None:      # e.g. the wrong passphrase: the same message as ever
            done(str(exc) if isinstance(exc, SigningError) else f"{type(exc).__name__}: {exc}")

        sign_dialog = self.sign_dialog if self.sign_dialog is not None and self.sign_dialog.isVisible() else None
        self._run(work, signed, _t("signing", self.lang), on_failure=failed, progress_parent=sign_dialog,
                  disable=(sign_dialog.buttons,) if sign_dialog is not None else ())
        return None

    def _store_version(self) -> int | None:
        """The case store's version holding exactly the previewed case, if it is the latest one."""
        try:
            versions = self.store.versions(self.case.case_id)
        except Exception:   # CaseNotFoundError or any store failure: not recorded, so not signable
            return None
        latest = versions[-1] if versions else None
        return latest.version if latest is not None and latest.sha256 == self.preview_hash else None

    def _record_signature(self, signer: str, meaning: str, pdf: bytes) -> None:
        if self.store is None:
            return
        try:
            version = self._store_version()
            if version is None:
                raise LookupError(_t("not_stored", self.lang))
            self.store.mark_signed(self.case.case_id, version, hashlib.sha256(pdf).hexdigest(), signer, meaning)
        except Exception as exc:   # the signed PDF is still shown and can be saved
            dialogs.message(self, _t("sign_title", self.lang), _t("store_failed", self.lang).format(error=exc),
                            warning=True)

    def _record_event(self, action: str, detail: str) -> None:
        if self.store is None:
            return
        try:
            self.store.record_event(self.case.case_id, action, getattr(self.store, "user", "abc-mdt"), detail,
                                    version=self._store_version())
        except Exception as exc:   # recording is secondary to the user's action, which succeeded
            dialogs.message(self, _t("title", self.lang), str(exc), warning=True)

    # -- save and print -----------------------------------------------------------------------------
    def suggested_name(self) -> str:
        suffix = "-signed" if self.signers else ""
        return f"{self.case.case_id}-{self.lang}{suffix}.pdf"

    def save(self) -> Path | None:
        path = dialogs.save_file(self, _t("save", self.lang), self.suggested_name(), PDF_FILTER)
        if not path:
            if self.signers:
                self.status_label.setText(self.status_label.text() + "\n" + _t("not_saved", self.lang))
            return None
        target = Path(path)
        try:
            target.write_bytes(self.pdf)
        except OSError as exc:
            dialogs.message(self, _t("save", self.lang), f"{target}: {exc.strerror}", warning=True)
            return None
        self._record_event("exported", f"PDF {target.name} sha256 {hashlib.sha256(self.pdf).hexdigest()}")
        self.status_label.setText(_t("saved", self.lang).format(path=target))
        return target

    def print_dialog(self) -> bool:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        chooser = QPrintDialog(printer, self)
        if chooser.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.print_to(printer)

    def print_to(self, printer: QPrinter) -> bool:
        """Paint every page as an image at up to PRINT_DPI (the printer scales it to the paper)."""
        pages = self.document.pageCount()
        if pages <= 0:
            return False
        painter = QPainter()
        if not painter.begin(printer):
            return False
        try:
            dpi = min(printer.resolution(), PRINT_DPI)
            target = printer.pageLayout().paintRectPixels(printer.resolution())
            for index in range(pages):
                if index:
                    printer.newPage()
                points = self.document.pagePointSize(index)
                size = QSize(int(points.width() * dpi / 72), int(points.height() * dpi / 72))
                image: QImage = self.document.render(index, size)
                fitted = size.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                # the painter scales (no resampled copy at printer resolution, which can be 1200 dpi)
                painter.drawImage(QRect(target.topLeft(), fitted), image)
        finally:
            painter.end()
        self._record_event("printed", f"{pages} pages, PDF sha256 {hashlib.sha256(self.pdf).hexdigest()}")
        return True


def open_report_dialog(parent: QWidget | None, case: Case, evaluation: Any = None, store: Any = None,
                       lang: str = "zh", current_case: Callable[[], Case | None] | None = None,
                       current_evaluation: Callable[[], Any] | None = None) -> ReportDialog:
    """Show the report window for `case` (non-blocking) and return it.

    `current_case` (optional) returns the wizard's case as it is now; without it, the wizard can call
    `dialog.set_case(case)` on every edit. Either way signing is refused once the case differs from
    the previewed one, until the preview is rebuilt.
    """
    dialog = ReportDialog(parent, case, evaluation, store=store, lang=lang, current_case=current_case,
                          current_evaluation=current_evaluation)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
