"""A read-only table of frozen core results (agenda items, due items, audit rows ...): the shared model of the
views. A subclass names its columns (HEADERS, translated in its CONTEXT) and how one record shows in each
(`display`); `set_rows()` replaces the records, `record(row)` gives one back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop_app.qt import QAbstractTableModel, QModelIndex, Qt, translate


class RecordTableModel(QAbstractTableModel):
    CONTEXT = "Columns"
    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def record(self, row: int) -> Any:
        return self._rows[row]

    def records(self) -> list[Any]:
        return list(self._rows)

    def display(self, record: Any, column: int) -> str:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def tooltip(self, record: Any, column: int) -> str | None:
        return None

    def foreground(self, record: Any, column: int) -> Any:
        return None

    def text(self, row: int, column: int) -> str:
        """What the cell shows (tests read the rows through this)."""
        return self.display(self._rows[row], column)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(record, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(record, index.column())
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(record, index.column())
        if role == Qt.ItemDataRole.UserRole:
            return record
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return translate(self.CONTEXT, self.HEADERS[section])
        return None

    def retranslate(self) -> None:
        self.beginResetModel()      # headers and every cell (the core's texts are per language: callers reload)
        self.endResetModel()


def read_only_table(parent: Any, model: QAbstractTableModel, name: str, stretch: int | None = None) -> Any:
    """A QTableView for one of these models: rows selected whole, not editable, columns sized to content;
    column `stretch` (default: the last) takes the rest of the width and wraps its text."""
    from desktop_app.qt import QAbstractItemView, QHeaderView, QTableView

    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(True)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.sectionResized.connect(lambda *_args: table.resizeRowsToContents())
    return table


def stack(parent: Any, *rows: Any) -> Any:
    """The view's layout, top to bottom. A list is a row of widgets (None: a stretch; `(widget, n)`: stretch n);
    `(widget, 1)` alone takes the rest of the height; a widget alone its own height."""
    from desktop_app.qt import QHBoxLayout, QVBoxLayout

    layout = QVBoxLayout(parent)
    for row in rows:
        if isinstance(row, list):
            line = QHBoxLayout()
            for item in row:
                if item is None:
                    line.addStretch(1)
                elif isinstance(item, tuple):
                    line.addWidget(*item)
                else:
                    line.addWidget(item)
            layout.addLayout(line)
        elif isinstance(row, tuple):
            layout.addWidget(*row)
        else:
            layout.addWidget(row)
    return layout
