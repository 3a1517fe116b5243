"""File → Export case archive… / Import case archive… (issue 16): many cases as one zip, with a result line
for every case (guideline_db.interop.archive). One bad or altered member fails alone; the table shows it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop_app import dialogs
from desktop_app.qt import (
    QT_TRANSLATE_NOOP,
    QBrush,
    QCheckBox,
    QColor,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QWidget,
)
from desktop_app.views.table_model import RecordTableModel, read_only_table, stack
from desktop_app.widgets.fields import LanguageAware

ARCHIVE_FILTER = "Case archive (*.zip);;All files (*)"
COL_NAME, COL_RESULT, COL_CASE, COL_VERSION, COL_MESSAGES = range(5)


class ResultsModel(RecordTableModel):
    """One row per archive.CaseResult (name, ok, case_id, version, messages)."""

    CONTEXT = "ArchiveView"
    HEADERS = (QT_TRANSLATE_NOOP("ArchiveView", "Case / member"), QT_TRANSLATE_NOOP("ArchiveView", "Result"),
               QT_TRANSLATE_NOOP("ArchiveView", "Case ID"), QT_TRANSLATE_NOOP("ArchiveView", "Version"),
               QT_TRANSLATE_NOOP("ArchiveView", "Messages"))

    def display(self, record: Any, column: int) -> str:
        from desktop_app.qt import translate

        if column == COL_NAME:
            return record.name
        if column == COL_RESULT:
            return translate("ArchiveView", "ok") if record.ok else translate("ArchiveView", "FAILED")
        if column == COL_CASE:
            return record.case_id or ""
        if column == COL_VERSION:
            return "" if record.version is None else str(record.version)
        return "; ".join(record.messages)

    def tooltip(self, record: Any, column: int) -> str | None:
        return "\n".join(record.messages) if column == COL_MESSAGES and record.messages else None

    def foreground(self, record: Any, column: int) -> Any:
        if column == COL_RESULT:
            return QBrush(QColor("#1b7f3b" if record.ok else "#b42318"))
        return None


class ArchiveView(LanguageAware, QDialog):
    """Export (the cases the list shows, or all) or import an archive; the results stay in the table."""

    def __init__(self, window: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setObjectName("archive_view")
        self.window_ = window
        self.model = ResultsModel(self)
        self.content = QComboBox(self)
        self.content.setObjectName("archive_content")
        self.content.addItems(["", ""])
        self.scope = QComboBox(self)
        self.scope.setObjectName("archive_scope")
        self.scope.addItems(["", ""])
        self.pseudonymise = QCheckBox(self)
        self.pseudonymise.setObjectName("archive_pseudonymise")
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("archive_export")
        self.export_button.clicked.connect(self.export)
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("archive_import")
        self.import_button.clicked.connect(self.import_)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.reject)
        self.summary = QLabel(self)
        self.summary.setObjectName("archive_summary")
        self.summary.setWordWrap(True)
        self.table = read_only_table(self, self.model, "archive_results")
        form = QFormLayout()
        self.content_label, self.scope_label = QLabel(self), QLabel(self)
        form.addRow(self.content_label, self.content)
        form.addRow(self.scope_label, self.scope)
        form.addRow("", self.pseudonymise)
        layout = stack(self, [self.export_button, self.import_button, None, self.close_button], self.summary,
                       (self.table, 1))
        layout.insertLayout(0, form)
        self.retranslate()
        self.resize(900, 560)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Case archive"))
        self.content_label.setText(self.tr("Content:"))
        self.content.setItemText(0, self.tr("case JSON files"))
        self.content.setItemText(1, self.tr("FHIR bundles (with the evaluation)"))
        self.scope_label.setText(self.tr("Cases:"))
        self.scope.setItemText(0, self.tr("all stored cases"))
        self.scope.setItemText(1, self.tr("the cases the list shows (its search)"))
        self.pseudonymise.setText(self.tr("&Pseudonymise (the store's key; dates shifted)"))
        self.export_button.setText(self.tr("&Export archive…"))
        self.import_button.setText(self.tr("&Import archive…"))
        self.close_button.setText(self.tr("Close"))
        self.model.retranslate()

    def _show(self, results: list[Any], what: str) -> None:
        self.model.set_rows(results)
        failed = sum(not r.ok for r in results)
        self.summary.setText(what + " " + self.tr("%1 ok, %2 failed.").replace("%1", str(len(results) - failed))
                             .replace("%2", str(failed)))

    def export(self) -> list[Any] | None:
        from guideline_db.interop.archive import export_archive

        store = self.window_.store
        if store is None:
            return None
        ids = None
        if self.scope.currentIndex() == 1:
            ids = self.window_.case_list.visible_ids()
            if not ids:
                self.summary.setText(self.tr("The list shows no case: nothing exported."))
                return []
        chosen = dialogs.save_file(self, self.tr("Export case archive"), "cases.zip", ARCHIVE_FILTER)
        if not chosen:
            return None
        try:
            results = export_archive(store, ids, Path(chosen), fmt="fhir" if self.content.currentIndex() == 1 else "json",
                                     pseudonymise=self.pseudonymise.isChecked())
        except OSError as exc:
            dialogs.message(self, self.tr("Not written"), f"{chosen}: {exc.strerror or exc}", warning=True)
            return None
        self._show(results, self.tr("Exported to %1:").replace("%1", chosen))
        return results

    def import_(self) -> list[Any] | None:
        from guideline_db.interop.archive import import_archive

        store = self.window_.store
        if store is None or self.window_.editor.read_only:
            return None
        chosen = dialogs.open_file(self, self.tr("Import case archive"), ARCHIVE_FILTER)
        if not chosen:
            return None
        results = import_archive(store, Path(chosen), store.user)
        self._show(results, self.tr("Imported from %1:").replace("%1", chosen))
        self.window_.case_list.refresh()
        return results
