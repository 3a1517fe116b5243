"""File → Export FHIR bundle… / Import FHIR bundle… (issue 16): the case as an HL7 FHIR R4 bundle and back.

The bundle is built and read by guideline_db.interop (fhir_export, fhir_import); this module only asks for
the file and shows what the import said. Every located message of an import (errors, warnings, notes) is
listed before the case is opened, and the import can be cancelled there: nothing is dropped silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop_app import dialogs
from desktop_app.qt import (
    QT_TRANSLATE_NOOP,
    QBrush,
    QColor,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
    translate,
)
from desktop_app.views.table_model import RecordTableModel, read_only_table

FHIR_FILTER = "FHIR bundle (*.json);;All files (*)"
COL_WHERE, COL_LEVEL, COL_TEXT = range(3)
LEVEL_NAMES = {"error": QT_TRANSLATE_NOOP("FhirExchange", "error"),
               "warning": QT_TRANSLATE_NOOP("FhirExchange", "warning"),
               "info": QT_TRANSLATE_NOOP("FhirExchange", "note")}
LEVEL_COLOURS = {"error": "#b42318", "warning": "#8a6d00", "info": "#444444"}


class ImportMessagesModel(RecordTableModel):
    """One row per located message of fhir_import (ImportMessage: where, level, text), in the importer's order."""

    CONTEXT = "FhirExchange"
    HEADERS = (QT_TRANSLATE_NOOP("FhirExchange", "Where"), QT_TRANSLATE_NOOP("FhirExchange", "Level"),
               QT_TRANSLATE_NOOP("FhirExchange", "Message"))

    def display(self, record: Any, column: int) -> str:
        if column == COL_WHERE:
            return record.where
        if column == COL_LEVEL:
            return translate("FhirExchange", LEVEL_NAMES.get(record.level, record.level))
        return record.text

    def foreground(self, record: Any, column: int) -> Any:
        return QBrush(QColor(LEVEL_COLOURS.get(record.level, "#444444"))) if column == COL_LEVEL else None


class ImportReview(QDialog):
    """What the import of one bundle said; Open case (when there is one) or Cancel."""

    def __init__(self, parent: QWidget | None, path: str, result: Any) -> None:
        super().__init__(parent)
        self.setObjectName("fhir_import_review")
        self.setWindowTitle(translate("FhirExchange", "Import FHIR bundle"))
        self.result_ = result
        self.model = ImportMessagesModel(self)
        self.model.set_rows(result.messages)
        counts = {level: sum(m.level == level for m in result.messages) for level in ("error", "warning", "info")}
        head = (translate("FhirExchange", "%1: case %2 read.").replace("%2", result.case.case_id) if result.case is not None
                else translate("FhirExchange", "%1: no case could be read."))
        self.heading = QLabel(head.replace("%1", Path(path).name) + " " + translate("FhirExchange",
            "%1 error(s), %2 warning(s), %3 note(s) — every one is listed below.")
            .replace("%1", str(counts["error"])).replace("%2", str(counts["warning"]))
            .replace("%3", str(counts["info"])), self)
        self.heading.setWordWrap(True)
        self.table = read_only_table(self, self.model, "fhir_import_messages")
        self.buttons = QDialogButtonBox(self)
        self.open_button = None
        if result.case is not None:
            self.open_button = self.buttons.addButton(translate("FhirExchange", "&Open the case"), QDialogButtonBox.ButtonRole.AcceptRole)
            self.open_button.setObjectName("fhir_import_open")
        self.buttons.addButton(translate("FhirExchange", "&Cancel") if result.case is not None else translate("FhirExchange", "&Close"),
                               QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(900, 480)


def export_bundle(window: Any, pseudonymise: bool = False) -> Path | None:
    """The case in the form as a FHIR bundle with its evaluation. A stored, unchanged case is exported through
    the store (audited; pseudonymised by the store's key on request); a case not stored yet from the form."""
    from guideline_db.case_io import parse_case_text
    from guideline_db.engine import evaluate
    from guideline_db.interop import fhir_export
    from guideline_db.store import StoreError

    editor = window.editor
    case_id = editor.stored_case_id
    if window.store is not None and case_id and not editor.dirty:
        try:
            case = parse_case_text(window.store.export_case(case_id, pseudonymise=pseudonymise))
        except StoreError as exc:
            window._store_failed(exc, translate("FhirExchange", "export %1").replace("%1", case_id))
            return None
    elif pseudonymise:
        dialogs.message(window, translate("FhirExchange", "Export FHIR bundle"), translate("FhirExchange",
            "A pseudonymised bundle is made from a saved case (the case store holds the pseudonym key). "
            "Save the case first."), warning=True)
        return None
    else:
        case = editor.case_for_save()
        if case is None:
            dialogs.message(window, translate("FhirExchange", "Export FHIR bundle"), translate("FhirExchange",
                "Complete the case first: the bundle needs a valid case."), warning=True)
            return None
    bundle = fhir_export.case_to_bundle(case, evaluate(case))
    suffix = "-pseudonymised" if pseudonymise else ""
    chosen = dialogs.save_file(window, translate("FhirExchange", "Export FHIR bundle"), f"{case.case_id}{suffix}.fhir.json", FHIR_FILTER)
    if not chosen:
        return None
    try:
        fhir_export.write_bundle(bundle, Path(chosen))
    except OSError as exc:
        dialogs.message(window, translate("FhirExchange", "Not written"), f"{chosen}: {exc.strerror or exc}", warning=True)
        return None
    window.statusBar().showMessage(translate("FhirExchange", "FHIR bundle written: %1 (%2 resources)").replace("%1", chosen)
                                   .replace("%2", str(len(bundle["entry"]))), 8000)
    return Path(chosen)


def review(parent: Any, path: str, result: Any) -> bool:
    """Show every message of the import; True when the user opens the case (tests replace nothing here:
    they accept or reject the dialog, found as parent.fhir_import_review)."""
    dialog = ImportReview(parent, path, result)
    parent.fhir_import_review = dialog
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    parent.fhir_import_review = None
    dialog.deleteLater()
    return accepted and result.case is not None


def import_bundle(window: Any) -> str | None:
    """Read a bundle, show what the importer said, then (when accepted) store the case and open it."""
    from guideline_db.interop.fhir_import import import_bundle_file
    from guideline_db.store import StoreError

    chosen = dialogs.open_file(window, translate("FhirExchange", "Import FHIR bundle"), FHIR_FILTER)
    if not chosen:
        return None
    result = import_bundle_file(Path(chosen))
    if not review(window, chosen, result):
        return None
    if not window._confirm_replace():
        return None
    case = result.case
    if window.store is None or window.editor.read_only:
        window._clear_case_views()
        window.editor.load_case(case, stored=False)
        window._update_status()
        return case.case_id
    try:
        window.store.save_version(case, author=window.store.user)
    except StoreError as exc:
        window._store_failed(exc, translate("FhirExchange", "import %1").replace("%1", Path(chosen).name))
        return None
    window.editor.dirty = False
    window.case_list.refresh(select=case.case_id)
    return case.case_id if window.open_case(case.case_id) else None
