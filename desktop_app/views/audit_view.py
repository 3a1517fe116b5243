"""View → Audit log… (issue 16): the case store's audit log, read-only, filtered by case.

The rows are `guideline_db.interop.lists.audit_rows(store, case_id)`; the view adds nothing and changes
nothing (the store's log is append-only; this window has no way to write to it). Export as CSV/JSON uses the
core's `lists.render` with AUDIT_COLUMNS.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop_app import dialogs
from desktop_app.qt import (
    QT_TRANSLATE_NOOP,
    QComboBox,
    QDialog,
    QLabel,
    QPushButton,
    QWidget,
    translate,
)
from desktop_app.views.files import list_format, save_bytes
from desktop_app.views.table_model import RecordTableModel, read_only_table, stack
from desktop_app.widgets.fields import LanguageAware

COL_ID, COL_AT, COL_ACTOR, COL_ACTION, COL_CASE, COL_VERSION, COL_DETAIL = range(7)
KEYS = ("id", "at", "actor", "action", "case_id", "version", "detail")
# the store's audit actions (guideline_db.store.schema.ACTIONS); the vocabulary has no names for them
ACTION_NAMES = {
    "created": QT_TRANSLATE_NOOP("AuditLogView", "created"), "edited": QT_TRANSLATE_NOOP("AuditLogView", "edited"),
    "decided": QT_TRANSLATE_NOOP("AuditLogView", "decided"), "signed": QT_TRANSLATE_NOOP("AuditLogView", "signed"),
    "exported": QT_TRANSLATE_NOOP("AuditLogView", "exported"), "printed": QT_TRANSLATE_NOOP("AuditLogView", "printed"),
    "imported": QT_TRANSLATE_NOOP("AuditLogView", "imported"), "restored": QT_TRANSLATE_NOOP("AuditLogView", "restored"),
    "backed_up": QT_TRANSLATE_NOOP("AuditLogView", "backed up"),
}


class AuditModel(RecordTableModel):
    CONTEXT = "AuditLogView"
    HEADERS = (QT_TRANSLATE_NOOP("AuditLogView", "Entry"), QT_TRANSLATE_NOOP("AuditLogView", "Time (UTC)"),
               QT_TRANSLATE_NOOP("AuditLogView", "Actor"), QT_TRANSLATE_NOOP("AuditLogView", "Action"),
               QT_TRANSLATE_NOOP("AuditLogView", "Case ID"), QT_TRANSLATE_NOOP("AuditLogView", "Version"),
               QT_TRANSLATE_NOOP("AuditLogView", "Detail"))

    def display(self, record: Any, column: int) -> str:
        value = record.get(KEYS[column])
        if column == COL_ACTION and value in ACTION_NAMES:
            return translate("AuditLogView", ACTION_NAMES[value])
        return "" if value is None else str(value)

    def tooltip(self, record: Any, column: int) -> str | None:
        return str(record.get("action")) if column == COL_ACTION else None   # the token as stored


class AuditLogView(LanguageAware, QDialog):
    def __init__(self, store: Any, parent: QWidget | None = None, case_id: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("audit_log_view")
        self.store = store
        self.model = AuditModel(self)
        self.case_filter = QComboBox(self)
        self.case_filter.setObjectName("audit_case_filter")
        self.case_filter.setEditable(True)             # type a case ID, or pick one of the stored cases
        self.case_filter.setMinimumContentsLength(24)
        self.filter_label = QLabel(self)
        self.filter_label.setBuddy(self.case_filter)
        self.count = QLabel(self)
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("audit_export")
        self.export_button.clicked.connect(self.export)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.reject)
        self.table = read_only_table(self, self.model, "audit_table")
        stack(self, [self.filter_label, (self.case_filter, 1), self.count], (self.table, 1),
              [None, self.export_button, self.close_button])
        self.retranslate()
        self._fill_cases(case_id)
        self.case_filter.currentTextChanged.connect(lambda _text: self.refresh())
        self.refresh()
        self.resize(1000, 600)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Audit log (read-only)"))
        self.filter_label.setText(self.tr("&Case:"))
        self.export_button.setText(self.tr("&Export…"))
        self.close_button.setText(self.tr("Close"))
        if self.case_filter.count():
            self.case_filter.setItemText(0, self.tr("(all cases)"))
        self.case_filter.lineEdit().setPlaceholderText(self.tr("all cases"))
        self.model.retranslate()
        self._show_count()

    def _fill_cases(self, case_id: str | None) -> None:
        from guideline_db.store import StoreError

        self.case_filter.addItem(self.tr("(all cases)"), None)
        try:
            ids = sorted(s.case_id for s in self.store.list_cases(limit=None))
        except StoreError:
            ids = []
        for cid in ids:
            self.case_filter.addItem(cid, cid)
        if case_id:
            self.case_filter.setCurrentText(case_id)

    def case_id(self) -> str | None:
        text = self.case_filter.currentText().strip()
        return None if not text or self.case_filter.currentIndex() == 0 and text == self.case_filter.itemText(0) \
            else text

    def refresh(self) -> None:
        from guideline_db.interop import lists
        from guideline_db.store import StoreError

        try:
            self.model.set_rows(lists.audit_rows(self.store, self.case_id()))
        except StoreError as exc:
            self.model.set_rows([])
            dialogs.store_error(self, exc, self.tr("read the audit log"), ("close",))
        self._show_count()

    def _show_count(self) -> None:
        self.count.setText(self.tr("%n entries", "", self.model.rowCount()))

    def export(self) -> Path | None:
        from guideline_db.interop import lists

        rows = self.model.records()
        return save_bytes(self, self.tr("Export audit log"), "audit-log.csv", "CSV, UTF-8 (*.csv);;JSON (*.json)",
                          lambda path: lists.render(rows, lists.AUDIT_COLUMNS, list_format(path)).encode("utf-8"))
