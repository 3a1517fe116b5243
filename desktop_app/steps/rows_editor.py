"""A table of rows with a form for the selected row: the overview and the detail of one specimen or
one line of therapy.

Why both: the table shows the whole history at a glance on the projector (and can be edited in
place); the form below gives each field of the selected row its label, its type-ahead and its own
validation message. Both write through the model's `set_value`, so they never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from desktop_app import focus, labels
from desktop_app.models.row_model import RowTableModel
from desktop_app.problems import Problem, widget_path_candidates
from desktop_app.qt import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QItemSelectionModel,
    QLabel,
    QModelIndex,
    QPushButton,
    QStyledItemDelegate,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from desktop_app.widgets.fields import (
    ChoiceCombo,
    FieldGroup,
    FieldRow,
    not_given_label,
    place_field,
    unknown_label,
)

ROW_PATH = re.compile(r"^(?P<table>[a-z_.]+)\[(?P<row>\d+)\](?:\.(?P<rest>.+))?$")


class ChoiceDelegate(QStyledItemDelegate):
    """In-place editing of token columns with the same combo as the form (labels in the UI language)."""

    def createEditor(self, parent: QWidget, option: Any, index: QModelIndex) -> QWidget:  # noqa: N802
        column = index.model().COLUMNS[index.column()]
        if column.kind in ("enum", "tri"):
            empty = unknown_label if column.kind == "tri" else not_given_label
            return ChoiceCombo(column.choice or "tri", empty, parent)
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # noqa: N802
        if isinstance(editor, ChoiceCombo):
            editor.set_value(index.data(0x0002))  # EditRole
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex) -> None:  # noqa: N802
        if isinstance(editor, ChoiceCombo):
            model.setData(index, editor.value())
        else:
            super().setModelData(editor, model, index)


class RowsEditor(QWidget):
    """Table + add/remove + the form of the selected row."""

    changed = Signal()
    rowSelected = Signal(int)  # noqa: N815
    removed = Signal(str, object)   # (what, restore): Ctrl+Z in the window puts the row back

    def __init__(self, model: RowTableModel, add_text: Callable[[], str], remove_text: Callable[[], str],
                 detail_title: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._add_text, self._remove_text, self._detail_title = add_text, remove_text, detail_title
        self._loading = False
        self.view = QTableView(self)
        self.view.setObjectName(f"table_{model.TABLE}")
        self.view.setModel(model)
        self.view.setItemDelegate(ChoiceDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        wide = next((i for i, c in enumerate(model.COLUMNS) if c.key in ("agents", "site")), None)
        if wide is not None:        # the free-text column takes the rest, so no sideways scrolling
            header.setSectionResizeMode(wide, QHeaderView.ResizeMode.Stretch)
            # drug lists wrap (short words); a long site text is elided, the full text is in its tooltip
            self.view.setWordWrap(model.COLUMNS[wide].key == "agents")
            self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        else:
            header.setStretchLastSection(True)
        self.view.setMinimumHeight(150)
        self.view.setTabKeyNavigation(False)
        self.add_button = QPushButton(self)
        self.add_button.setObjectName(f"add_{model.TABLE}")
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName(f"remove_{model.TABLE}")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_current)
        focus.out_of_tab_path(self.remove_button)     # destructive: clickable, undoable, never a Tab stop
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.detail = QGroupBox(self)
        self.detail_grid = QGridLayout(self.detail)
        self.detail_grid.setHorizontalSpacing(18)
        self.detail_grid.setVerticalSpacing(3)
        for column in range(4):
            self.detail_grid.setColumnStretch(column, 1)
        self.group = FieldGroup(self)
        self.group.changed.connect(self._detail_edited)
        self.summary = QLabel(self)
        self.summary.setProperty("role", "fieldError")
        self.summary.setWordWrap(True)
        self.summary.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.detail)
        self.view.selectionModel().currentRowChanged.connect(lambda current, _prev: self._select(current.row()))
        model.rowEdited.connect(self._model_edited)
        model.modelReset.connect(self._after_reset)
        for signal in (model.modelReset, model.rowsInserted, model.dataChanged):
            signal.connect(lambda *_args: self.view.resizeRowsToContents())
        self._cell = 0
        self._columns = 4
        self._problems: list[tuple[int, str, str]] = []

    # -- building --------------------------------------------------------------------------------
    def add_field(self, row: FieldRow, span: int = 1) -> FieldRow:
        if self._cell % self._columns + span > self._columns:
            self._cell += self._columns - self._cell % self._columns
        place_field(self.detail_grid, row, self._cell // self._columns, self._cell % self._columns, span)
        self._cell += span
        return self.group.add(row)

    def retranslate(self) -> None:
        self.add_button.setText(self._add_text())
        self.remove_button.setText(self._remove_text())
        self.group.retranslate()
        self.model.retranslate()
        self._update_detail_title()
        self._show_summary()

    def _update_detail_title(self) -> None:
        row = self.current_row()
        suffix = f" — {labels.row_label(row + 1)}" if row is not None else ""
        self.detail.setTitle(self._detail_title() + suffix)

    # -- rows ------------------------------------------------------------------------------------
    def current_row(self) -> int | None:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else None

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.view.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self._select(self.current_row() if self.model.rowCount() else -1)

    def add_row(self) -> int:
        row = self.model.append_row()
        self.select_row(row)
        first = next(iter(self.group.rows.values()), None)
        if first is not None:
            first.editor.setFocus()
        self.changed.emit()
        return row

    def chain_widgets(self) -> list[QWidget]:
        """Table, Add, then the selected row's form (Remove is out of the Tab path)."""
        from desktop_app.focus import tab_stops

        return [self.view, self.add_button, *(w for row in self.group.rows.values() for w in tab_stops(row.editor))]

    def remove_current(self) -> None:
        row = self.current_row()
        if row is None:
            return
        content = self.model.rows()[row]
        self.model.remove_row(row)
        self.select_row(min(row, self.model.rowCount() - 1))
        self.changed.emit()
        self.removed.emit(f"{self._detail_title()} {labels.row_label(row + 1)}",
                          lambda: self.restore_row(row, content))
        (self.view if self.model.rowCount() else self.add_button).setFocus()

    def restore_row(self, row: int, content: dict[str, Any]) -> None:
        position = self.model.append_row(content, row)
        self.select_row(position)
        self.changed.emit()

    def _after_reset(self) -> None:
        self.select_row(0)

    def _select(self, row: int) -> None:
        has_row = row is not None and 0 <= row < self.model.rowCount()
        self.detail.setEnabled(has_row)
        self.remove_button.setEnabled(has_row)
        self._loading = True
        if has_row:
            self.group.set_values({key: self.model.value(row, key) for key in self.group.rows})
        else:
            self.group.set_values({})
        self._loading = False
        self._update_detail_title()
        self._show_row_problems()
        if has_row:
            self.rowSelected.emit(row)

    def _detail_edited(self, key: str) -> None:
        row = self.current_row()
        if self._loading or row is None:
            return
        self.model.set_value(row, key, self.group.rows[key].value())

    def _model_edited(self, row: int, key: str) -> None:
        if row == self.current_row() and key in self.group.rows and not self._loading:
            self._loading = True
            self.group.rows[key].set_value(self.model.value(row, key))
            self._loading = False
        self.changed.emit()

    # -- problems --------------------------------------------------------------------------------
    def show_problems(self, problems: list[Problem]) -> set[int]:
        claimed: set[int] = set()
        cells: dict[tuple[int, str], list[str]] = {}
        self._problems = []
        for i, problem in enumerate(problems):
            match = ROW_PATH.match(problem.path)
            if not match or match["table"] != self.model.TABLE:
                continue
            row, rest = int(match["row"]), match["rest"] or ""
            key = next((c for c in widget_path_candidates(rest) if c in self.group.rows), rest)
            cells.setdefault((row, key), []).append(problem.text())
            self._problems.append((row, key, problem.text()))
            claimed.add(i)
        self.model.set_problems(cells)
        self._show_row_problems()
        self._show_summary()
        return claimed

    def _show_row_problems(self) -> None:
        row = self.current_row()
        messages: dict[str, list[str]] = {}
        for problem_row, key, text in self._problems:
            if problem_row == row:
                messages.setdefault(key, []).append(text)
        self.group.show_problems(messages)

    def _show_summary(self) -> None:
        lines = []
        for row, key, text in self._problems:
            column = self.model.column_of(key)
            name = self.model.headerData(column, Qt.Orientation.Horizontal) if column is not None else (
                self.group.rows[key].label.text().rstrip(" *") if key in self.group.rows else key)
            lines.append(f"{labels.row_label(row + 1)} · {name}: {text}" if name else f"{labels.row_label(row + 1)}: {text}")
        self.summary.setText("\n".join(lines))
        self.summary.setVisible(bool(lines))
