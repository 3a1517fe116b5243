"""The case list: stored cases with a search box that filters as one types.

Why the store searches (not a proxy model): `CaseStore.list_cases(search)` matches case ID, hospital
ID, name and diagnosis, and is fast enough for every keystroke, so the list shows exactly what the
CLI's `cases list --search` would.
"""

from __future__ import annotations

from typing import Any

from desktop_app.models.case_list_model import COL_CASE_ID, COL_NAME, COL_PATIENT_ID, CaseListModel
from desktop_app.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from desktop_app.widgets.fields import LanguageAware


class CaseTable(QTableView):
    activatedRow = Signal(int)  # noqa: N815

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activatedRow.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class CaseListPanel(LanguageAware, QWidget):
    openRequested = Signal(str)  # noqa: N815
    newRequested = Signal()  # noqa: N815
    importRequested = Signal()  # noqa: N815
    exportRequested = Signal(str, bool)  # noqa: N815
    storeFailed = Signal(object)  # noqa: N815
    dismissed = Signal()          # Esc in the search or the table: back to the form

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case_list")
        self.store: Any = None
        self.store_problem = ""
        self.model = CaseListModel(self)
        self.search = QLineEdit(self)
        self.search.setObjectName("case_search")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self.refresh())
        self.search.returnPressed.connect(self._open_current)
        self.search.installEventFilter(self)
        self.table = CaseTable(self)
        self.table.setObjectName("case_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)
        # the Case ID tells imported cases of one patient apart
        self.table.horizontalHeader().setSectionResizeMode(COL_CASE_ID, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        self.table.activatedRow.connect(self._open_row)
        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        self.empty.setProperty("role", "subtitle")
        self.open_button = QPushButton(self)
        self.new_button = QPushButton(self)
        self.import_button = QPushButton(self)
        self.export_button = QPushButton(self)
        self.export_pseudo_button = QPushButton(self)
        self.open_button.clicked.connect(self._open_current)
        self.new_button.clicked.connect(self.newRequested)
        self.import_button.clicked.connect(self.importRequested)
        self.export_button.clicked.connect(lambda: self._export(False))
        self.export_pseudo_button.clicked.connect(lambda: self._export(True))
        self.heading = QLabel(self)
        self.heading.setProperty("role", "panelTitle")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(self.heading)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        for button in (self.open_button, self.new_button, self.import_button):
            row1.addWidget(button)
        for button in (self.export_button, self.export_pseudo_button):
            row2.addWidget(button)
        layout.addLayout(row1)
        layout.addLayout(row2)
        self.retranslate()

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 (Qt override)
        from desktop_app.qt import QEvent

        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            self.dismissed.emit()
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Escape:
            self.dismissed.emit()
            return
        super().keyPressEvent(event)

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Cases — offline copy on this PC") if getattr(self.store, "offline", False)
                             else self.tr("Cases"))
        self.search.setPlaceholderText(self.tr("Search ID, name or diagnosis…"))
        self.open_button.setText(self.tr("&Open"))
        self.new_button.setText(self.tr("&New case"))
        self.import_button.setText(self.tr("&Import JSON…"))
        self.export_button.setText(self.tr("&Export JSON…"))
        self.export_pseudo_button.setText(self.tr("Export &pseudonymised…"))
        self.model.retranslate()
        self._show_empty()

    def set_store(self, store: Any, problem: str = "") -> None:
        self.store, self.store_problem = store, problem
        self.retranslate()               # the heading says when the list is this PC's offline copy
        for button in (self.open_button, self.import_button, self.export_button, self.export_pseudo_button):
            button.setEnabled(store is not None)
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        if self.store is None:
            self.model.set_rows([])
        else:
            from guideline_db.store import StoreError

            try:
                self.model.set_rows(self.store.list_cases(search=self.search.text()))
            except StoreError as exc:
                self.model.set_rows([])
                self.storeFailed.emit(exc)
        self._show_empty()
        if select is not None:
            row = self.model.row_of(select)
            if row is not None:
                self.table.selectRow(row)
        elif self.model.rowCount():
            self.table.selectRow(0)

    def _show_empty(self) -> None:
        if self.store is None:
            text = self.tr("No case store: %1").replace("%1", self.store_problem or "-")
        elif self.model.rowCount() == 0:
            text = self.tr("No case matches.") if self.search.text() else self.tr("No saved cases yet.")
        else:
            text = ""
        self.empty.setText(text)
        self.empty.setVisible(bool(text))

    def current_case_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.summary(index.row()).case_id if index.isValid() else None

    def _open_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.openRequested.emit(self.model.summary(row).case_id)

    def _open_current(self) -> None:
        case_id = self.current_case_id()
        if case_id:
            self.openRequested.emit(case_id)

    def _export(self, pseudonymise: bool) -> None:
        case_id = self.current_case_id()
        if case_id:
            self.exportRequested.emit(case_id, pseudonymise)

    def visible_ids(self) -> list[str]:
        return [self.model.summary(r).case_id for r in range(self.model.rowCount())]

    def patient_ids(self) -> list[str]:
        return [self.model.data(self.model.index(r, COL_PATIENT_ID)) for r in range(self.model.rowCount())]
