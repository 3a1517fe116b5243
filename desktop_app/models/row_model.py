"""A table of raw form rows (specimens, therapies, attendees), editable in place or through a form.

Why one generic model: every row table of the wizard holds the same kind of data (flat dicts of
raw values, see form_schema) and needs the same things: localised display of tokens, in-place
editing, the validator's messages on the offending cell, and a reset through `set_rows()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop_app import labels
from desktop_app.form_schema import blank_row
from desktop_app.qt import (
    QAbstractTableModel,
    QBrush,
    QColor,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    translate,
)

INVALID_BACKGROUND = QColor("#fde2e1")
HIGHLIGHT_BACKGROUND = QColor("#e3f1e6")

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str                 # key in the raw row
    header: str              # English source text, translated in the "Columns" context
    kind: str = "text"       # text | enum | tri | agents
    choice: str | None = None
    editable: bool = True


class RowTableModel(QAbstractTableModel):
    """Rows of raw values. `rowEdited(row, key)` fires only for edits of content (in place or through
    a form), never for problem or highlight changes, so listeners can re-evaluate without looping."""

    TABLE = ""
    COLUMNS: tuple[Column, ...] = ()
    rowEdited = Signal(int, str)  # noqa: N815 (Qt signal naming)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []
        self._problems: dict[tuple[int, str], list[str]] = {}
        self._highlight: int | None = None

    # -- content ---------------------------------------------------------------------------------
    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = [{**blank_row(self.TABLE), **row} for row in rows]
        self._problems = {}
        self._highlight = None
        self.endResetModel()

    def rows(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._rows]

    def append_row(self, row: dict[str, Any] | None = None, position: int | None = None) -> int:
        """Add a row at the end (or at `position`, to put a removed row back where it was)."""
        position = len(self._rows) if position is None else max(0, min(position, len(self._rows)))
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, {**blank_row(self.TABLE), **(row or {})})
        self.endInsertRows()
        return position

    def remove_row(self, position: int) -> None:
        if 0 <= position < len(self._rows):
            self.beginRemoveRows(QModelIndex(), position, position)
            del self._rows[position]
            self.endRemoveRows()

    def value(self, row: int, key: str) -> Any:
        return self._rows[row].get(key, "")

    def set_value(self, row: int, key: str, value: Any) -> None:
        if self._rows[row].get(key) == value:
            return
        self._rows[row][key] = value
        self.rowEdited.emit(row, key)
        column = self.column_of(key)
        if column is not None:
            index = self.index(row, column)
            self.dataChanged.emit(index, index)
        else:
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def column_of(self, key: str) -> int | None:
        for position, column in enumerate(self.COLUMNS):
            if column.key == key:
                return position
        return None

    # -- problems and highlight -------------------------------------------------------------------
    def set_problems(self, problems: dict[tuple[int, str], list[str]]) -> None:
        if problems == self._problems:
            return
        self._problems = problems
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))

    def problems_of_row(self, row: int) -> dict[str, list[str]]:
        return {key: messages for (r, key), messages in self._problems.items() if r == row}

    def set_highlight(self, row: int | None) -> None:
        if row != self._highlight:
            self._highlight = row
            if self._rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))

    @property
    def highlight(self) -> int | None:
        return self._highlight

    # -- Qt model interface -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def display(self, column: Column, raw: Any) -> str:
        if column.kind in ("enum", "tri"):
            return labels.choice_label(column.choice or "tri", raw)
        if column.kind == "agents":
            from desktop_app.widgets.agent_picker import agent_label

            return " + ".join(agent_label(token) for token in raw or [])
        return "" if raw is None else str(raw)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), self.COLUMNS[index.column()]
        raw = self._rows[row].get(column.key)
        problems = self._cell_problems(row, column.key)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(column, raw)
        if role == Qt.ItemDataRole.EditRole:
            return raw
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.display(column, raw)
            return "\n".join(problems) or (text if column.kind in ("text", "agents") and len(text) > 16 else None)
        if role == Qt.ItemDataRole.BackgroundRole:
            if problems:
                return QBrush(INVALID_BACKGROUND)
            if row == self._highlight:
                return QBrush(HIGHLIGHT_BACKGROUND)
        return None

    def _cell_problems(self, row: int, key: str) -> list[str]:
        found = []
        for (r, problem_key), messages in self._problems.items():
            if r == row and (problem_key == key or problem_key.startswith(key + "[") or problem_key.startswith(key + ".")):
                found.extend(messages)
        return found

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        column = self.COLUMNS[index.column()]
        self.set_value(index.row(), column.key, "" if value is None else value)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self.COLUMNS[index.column()].editable:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return translate("Columns", self.COLUMNS[section].header)
        return str(section + 1)

    def retranslate(self) -> None:
        """Headers and token labels changed language: tell the views to re-read everything."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(self.columnCount() - 1, 0))
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))
