"""The case list: one row per stored case (the store's CaseSummary objects), newest change first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from desktop_app import labels
from desktop_app.qt import QT_TRANSLATE_NOOP, QAbstractTableModel, QBrush, QColor, QModelIndex, Qt, translate

COL_PATIENT_ID, COL_NAME, COL_CASE_ID, COL_SUBTYPE, COL_STATUS, COL_UPDATED = range(6)
HEADERS = (
    QT_TRANSLATE_NOOP("Columns", "Patient ID"),
    QT_TRANSLATE_NOOP("Columns", "Name"),
    QT_TRANSLATE_NOOP("Columns", "Case ID"),
    QT_TRANSLATE_NOOP("Columns", "Subtype"),
    QT_TRANSLATE_NOOP("Columns", "Status"),
    QT_TRANSLATE_NOOP("Columns", "Last change"),
)
STATUS_COLOURS = {"draft": "#8a6d00", "decided": "#1a5fb4", "signed": "#1b7f3b"}


def format_time(value: Any) -> str:
    """Store timestamps (ISO text or datetime, UTC or local) as 'YYYY-MM-DD HH:MM' local time."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone()
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


class CaseListModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def summary(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, case_id: str) -> int | None:
        for position, summary in enumerate(self._rows):
            if summary.case_id == case_id:
                return position
        return None

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        summary, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_PATIENT_ID:
                return summary.hospital_id or ""
            if column == COL_NAME:
                return summary.name or ""
            if column == COL_CASE_ID:
                return summary.case_id
            if column == COL_SUBTYPE:
                return labels.fact_value("subtype", summary.subtype) if summary.subtype else ""
            if column == COL_STATUS:
                return labels.status_name(summary.status)
            if column == COL_UPDATED:
                return format_time(summary.updated_at)
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_STATUS:
            return QBrush(QColor(STATUS_COLOURS.get(summary.status, "#333333")))
        if role == Qt.ItemDataRole.UserRole:
            return summary.case_id
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{summary.case_id} · v{summary.latest_version}"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return translate("Columns", HEADERS[section])
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(HEADERS) - 1))
