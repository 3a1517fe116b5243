"""Type-ahead drug entry in both languages: '来曲' or 'letro' both find letrozole.

Why a picker and not a free text box: therapy agents must be vocabulary tokens (an unknown token is
a validation error), but clinicians think in drug names, in Chinese or English. The completer lists
'来曲唑 · Letrozole' with the first suggestion preselected; Enter adds it as a chip. Text left in the
box is never silently dropped: Tab commits it when it names exactly one drug, and otherwise the
field says so and Save is refused (`pending_problem`). Chips are clickable but out of the Tab path
(a destructive button in the data path deletes by accident); Backspace in the empty box removes the
last chip.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from desktop_app import focus, language
from desktop_app.qt import (
    QCompleter,
    QEvent,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStandardItem,
    QStandardItemModel,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from desktop_app.widgets.flow import FlowLayout


@lru_cache(maxsize=1)
def agent_names() -> dict[str, tuple[str, str]]:
    """Agent token → (Chinese, English) name, from the guideline vocabulary."""
    from guideline_db.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    return {token: vocabulary.names.get(token, (token, token)) for token in sorted(vocabulary.agent_tokens)}


def agent_label(token: str, lang: str | None = None) -> str:
    zh, en = agent_names().get(token, (token, token))
    return zh if (lang or language.current_language()) == "zh" else en


def resolve_agent(text: str) -> str | None:
    """The agent token a typed or completed text names, if exactly one matches."""
    wanted = text.strip().casefold()
    if not wanted:
        return None
    exact = [t for t, (zh, en) in agent_names().items()
             if wanted in (t.casefold(), zh.casefold(), en.casefold(), f"{zh} · {en}".casefold())]
    if len(exact) == 1:
        return exact[0]
    prefix = [t for t, (zh, en) in agent_names().items()
              if zh.casefold().startswith(wanted) or en.casefold().startswith(wanted) or t.casefold().startswith(wanted)]
    if len(prefix) == 1:
        return prefix[0]
    partial = [t for t, (zh, en) in agent_names().items()
               if wanted in zh.casefold() or wanted in en.casefold() or wanted in t.casefold()]
    return partial[0] if len(partial) == 1 else None


def completion_model(parent: Any = None) -> QStandardItemModel:
    model = QStandardItemModel(parent)
    for token, (zh, en) in agent_names().items():
        item = QStandardItem(f"{zh} · {en}")
        item.setData(token, Qt.ItemDataRole.UserRole)
        model.appendRow(item)
    return model


class AgentPicker(QWidget):
    """A token list edited by type-ahead; value() is the list of agent tokens."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tokens: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.line = QLineEdit(self)
        self.line.setObjectName("agent_input")
        completer = QCompleter(QStandardItemModel(self), self)     # filled on first focus (_ensure_model)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(12)
        self.line.setCompleter(completer)
        self.completer = completer
        completer.activated[str].connect(self._add_text)
        self.line.returnPressed.connect(lambda: self._add_text(self.line.text()))
        self.line.textEdited.connect(lambda _text: QTimer.singleShot(0, self._preselect_first))
        self.line.installEventFilter(self)
        self.feedback = QLabel(self)
        self.feedback.setProperty("role", "fieldError")
        self.feedback.setVisible(False)
        self.chips = QWidget(self)
        self.chip_layout = FlowLayout(self.chips, spacing=4)
        row = QHBoxLayout()
        row.addWidget(self.line, 1)
        layout.addLayout(row)
        layout.addWidget(self.chips)
        layout.addWidget(self.feedback)
        self.setFocusProxy(self.line)
        self.retranslate()

    def retranslate(self) -> None:
        self.line.setPlaceholderText(self.tr("Type a drug name (中文 or English), Enter to add"))
        self._rebuild_chips()

    def _ensure_model(self) -> None:
        """The drug list is read from the guideline vocabulary when the box is first used, not when the
        window is built (it opens the guideline database: no cost before the first paint)."""
        if not self.completer.model().rowCount():
            self.completer.setModel(completion_model(self))

    def _preselect_first(self) -> None:
        """Highlight the suggestion Enter will take: the drug the text names, else the first one listed.

        The selection model's signals are blocked: the completer would otherwise copy the highlighted
        name into the box while the user is still typing."""
        popup = self.completer.popup()
        model = self.completer.completionModel()
        if not popup.isVisible() or not model.rowCount() or popup.currentIndex().isValid():
            return
        wanted = resolve_agent(self.line.text())
        row = next((r for r in range(model.rowCount())
                    if wanted is not None and model.index(r, 0).data(Qt.ItemDataRole.UserRole) == wanted), 0)
        selection = popup.selectionModel()
        selection.blockSignals(True)
        selection.setCurrentIndex(model.index(row, 0), selection.SelectionFlag.ClearAndSelect)
        selection.blockSignals(False)
        popup.viewport().update()

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 (Qt override)
        if watched is self.line:
            if event.type() in (QEvent.Type.FocusIn, QEvent.Type.KeyPress, QEvent.Type.InputMethod):
                self._ensure_model()
            if event.type() == QEvent.Type.FocusOut and event.reason() in (
                    Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
                self.commit_pending()
            elif (event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Backspace
                  and not self.line.text() and self._tokens):
                self.remove_token(self._tokens[-1])
                return True
        return super().eventFilter(watched, event)

    def pending_text(self) -> str:
        return self.line.text().strip()

    def commit_pending(self) -> bool:
        """Add the typed text when it names exactly one drug; True when nothing is left pending."""
        if not self.pending_text():
            return True
        self._add_text(self.line.text())
        return not self.pending_text()

    def pending_problem(self) -> str:
        """The message shown at the field while typed text names no single drug ('' when none)."""
        text = self.pending_text()
        if not text or resolve_agent(text) is not None:
            return ""
        return self.tr("'%1' is not added: it names no single drug. Pick one from the list or clear the text.") \
            .replace("%1", text)

    def _add_text(self, text: str) -> None:
        token = resolve_agent(text)
        if token is None:
            if text.strip():
                self.feedback.setText(self.pending_problem())
                self.feedback.setVisible(True)
            return
        self.feedback.setVisible(False)
        self.line.clear()
        # QLineEdit writes the activated completion into the box after this slot has run: clear it again
        # once control is back in the event loop, so the next drug is not typed after the last one's name
        QTimer.singleShot(0, self._clear_added)
        if token not in self._tokens:
            self._tokens.append(token)
            self._rebuild_chips()
            self.edited.emit()

    def _clear_added(self) -> None:
        if resolve_agent(self.line.text()) in self._tokens:
            self.line.clear()

    def add_token(self, token: str) -> None:
        if token not in self._tokens:
            self._tokens.append(token)
            self._rebuild_chips()
            self.edited.emit()

    def remove_token(self, token: str) -> None:
        if token in self._tokens:
            self._tokens.remove(token)
            self._rebuild_chips()
            self.edited.emit()
            self.line.setFocus()

    def _rebuild_chips(self) -> None:
        while self.chip_layout.count():
            item = self.chip_layout.takeAt(0)
            if item.widget():
                item.widget().hide()
                item.widget().deleteLater()
        for token in self._tokens:
            chip = QPushButton(f"{agent_label(token)}  ✕", self.chips)
            chip.setProperty("role", "chip")
            chip.setObjectName(f"chip_{token}")
            chip.setToolTip(self.tr("Remove %1").replace("%1", agent_label(token)))
            focus.out_of_tab_path(chip)
            chip.clicked.connect(lambda _checked=False, t=token: self.remove_token(t))
            self.chip_layout.addWidget(chip)
        self.chips.setVisible(bool(self._tokens))

    def value(self) -> list[str]:
        return list(self._tokens)

    def set_value(self, tokens: Any) -> None:
        tokens = list(tokens or [])
        if tokens != self._tokens:
            self._tokens = tokens
            self._rebuild_chips()
        self.line.clear()               # a loaded case has no half-typed drug
        self.feedback.setVisible(False)
