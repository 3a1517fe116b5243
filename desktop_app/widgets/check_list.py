"""A list of checkable items whose value is the list of checked tokens (local plan, chosen options).

Why a list widget: Space toggles the current item and the arrow keys move, so the board can pick
with the keyboard alone; items can be re-labelled or re-ordered (new evaluation, new language)
without losing which ones are checked.
"""

from __future__ import annotations

from typing import Any

from desktop_app.qt import QBrush, QColor, QFont, QListWidget, QListWidgetItem, Qt, QWidget, Signal

ROLE = Qt.ItemDataRole.UserRole


class CheckList(QListWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._checked: list[str] = []
        self._items: list[tuple[str, str, str | None, bool]] = []
        self._loading = False
        self.itemChanged.connect(self._item_changed)
        self.setMinimumHeight(140)
        # long option labels wrap at word boundaries instead of running off to the right (projector)
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setUniformItemSizes(False)

    def set_items(self, items: list[tuple[str, str, str | None, bool]]) -> None:
        """(token, label, colour or None, emphasised) per item; checked tokens stay checked."""
        self._items = list(items)
        self._loading = True
        current = self.currentRow()
        self.clear()
        known = {token for token, *_ in items}
        for token, label, colour, emphasised in items:
            item = QListWidgetItem(label, self)
            item.setData(ROLE, token)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if token in self._checked else Qt.CheckState.Unchecked)
            if colour:
                item.setForeground(QBrush(QColor(colour)))
            if emphasised:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
        # a checked token the new list no longer offers stays in the value, shown at the end
        for token in self._checked:
            if token not in known:
                item = QListWidgetItem(token, self)
                item.setData(ROLE, token)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
        if 0 <= current < self.count():
            self.setCurrentRow(current)
        self._loading = False

    def _item_changed(self, item: QListWidgetItem) -> None:
        if self._loading:
            return
        token = item.data(ROLE)
        checked = item.checkState() == Qt.CheckState.Checked
        if checked and token not in self._checked:
            self._checked.append(token)
        elif not checked and token in self._checked:
            self._checked.remove(token)
        self.edited.emit()

    def item_for(self, token: str) -> QListWidgetItem | None:
        for row in range(self.count()):
            if self.item(row).data(ROLE) == token:
                return self.item(row)
        return None

    def value(self) -> list[str]:
        return list(self._checked)

    def set_value(self, tokens: Any) -> None:
        tokens = [str(t) for t in tokens or []]
        if tokens != self._checked:
            self._checked = tokens
            self.set_items(self._items)

    def retranslate(self) -> None:
        pass
