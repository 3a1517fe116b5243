"""Form fields that hold raw values, show their own validation message, and re-label on language change.

Why not QSpinBox/QDateEdit: the case format distinguishes "not known" from every value, and the
board must be able to type a half-finished date or a wrong number without the widget silently
changing it. Every field here keeps exactly what was typed (see form_schema) and shows the
validator's message directly beneath itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from desktop_app import labels
from desktop_app.qt import (
    QCheckBox,
    QComboBox,
    QEvent,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QObject,
    QPlainTextEdit,
    QSizePolicy,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property changed (Qt does not do it by itself)."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


class ChoiceCombo(QComboBox):
    """A combo whose value is a token of one enumeration; the empty entry means 'not given'.

    The names come from the guideline database's name table. While a lazily started window builds its first
    step (`deferring_names`), a combo showing its empty entry waits for them: opening the database is not
    needed for the first paint, and `fill_deferred()` (right after it) or any use of the combo fills it."""

    edited = Signal()
    _deferred: list[ChoiceCombo] | None = None

    @classmethod
    def deferring_names(cls) -> None:
        cls._deferred = []

    @classmethod
    def names_deferred(cls) -> bool:
        return cls._deferred is not None

    @classmethod
    def fill_deferred(cls) -> None:
        waiting, cls._deferred = cls._deferred or [], None
        for combo in waiting:
            with contextlib.suppress(RuntimeError):      # deleted meanwhile (its C++ object is gone)
                combo._fill_now()

    def __init__(self, choice_name: str, empty_label: Callable[[], str] | None = None,
                 parent: QWidget | None = None, default: str = "") -> None:
        super().__init__(parent)
        self._name = choice_name
        self._empty_label = empty_label
        self._default = default
        # shrinkable (long Chinese/English labels must not force a horizontal scroll bar)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(6)
        self._waiting = (ChoiceCombo._deferred is not None and empty_label is not None and not default
                         and choice_name not in labels.UI_CHOICES)
        if self._waiting:
            ChoiceCombo._deferred.append(self)  # type: ignore[union-attr]
        self._fill()
        self.activated.connect(lambda _index: self.edited.emit())

    def _fill_now(self) -> None:
        if self._waiting:
            self._waiting = False
            self._fill()

    def focusInEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        self._fill_now()
        super().focusInEvent(event)

    def showPopup(self) -> None:  # noqa: N802 (Qt override)
        self._fill_now()
        super().showPopup()

    def _fill(self) -> None:
        if self._waiting:                 # only the empty entry until the names are wanted
            self.blockSignals(True)
            self.clear()
            self.addItem(self._empty_label(), "")  # type: ignore[misc]
            self.blockSignals(False)
            return
        current = self.value() if self.count() else ""
        self.blockSignals(True)
        self.clear()
        if self._empty_label is not None:
            self.addItem(self._empty_label(), "")
        for token, text in labels.choices(self._name):
            self.addItem(text, token)
        self.set_value(current)
        self.blockSignals(False)

    def retranslate(self) -> None:
        self._fill()

    def value(self) -> str:
        data = self.currentData()
        return "" if data is None else str(data)

    def set_value(self, token: Any) -> None:
        if token not in (None, ""):
            self._fill_now()
        token = self._default if token in (None, "") else str(token)
        index = self.findData(token)
        self.blockSignals(True)
        self.setCurrentIndex(max(index, 0) if self._empty_label is not None or index >= 0 else -1)
        self.blockSignals(False)


def unknown_label() -> str:
    return labels.ui("Unknown")


def not_given_label() -> str:
    return "—"


class TriCombo(ChoiceCombo):
    """Yes / No / Unknown: the format's optional booleans (unknown is never guessed as No)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("tri", unknown_label, parent)


def alt_letter(event: Any) -> bool:
    """Alt+letter (a menu or button mnemonic), which a text box must not type as the letter."""
    modifiers = event.modifiers()
    return bool(modifiers & Qt.KeyboardModifier.AltModifier) and not modifiers & Qt.KeyboardModifier.ControlModifier \
        and bool(event.text()) and event.text().isprintable()


class TextField(QLineEdit):
    """Free text, numbers or dates as typed; the value is the text."""

    edited = Signal()

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._placeholder = placeholder
        self.setPlaceholderText(placeholder)
        self.textEdited.connect(lambda _text: self.edited.emit())

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        if alt_letter(event):
            event.ignore()            # to the window: Alt+T in a field typed "t" (issue 13)
            return
        super().keyPressEvent(event)

    def value(self) -> str:
        return self.text()

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if text != self.text():
            self.setText(text)

    def retranslate(self) -> None:
        pass


class DateField(TextField):
    """A date typed as YYYY-MM-DD (the format's only date notation); eight digits typed in a row
    (20240601) are shown as 2024-06-01 at once, two keystrokes fewer per date."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("YYYY-MM-DD", parent)
        self.setMaxLength(10)
        self.textEdited.connect(self._dashes)

    def _dashes(self, text: str) -> None:
        if len(text) == 8 and text.isdigit() and self.cursorPosition() == 8:
            self.setText(f"{text[:4]}-{text[4:6]}-{text[6:]}")
            self.edited.emit()


class NumberField(TextField):
    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(placeholder, parent)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft)


class NotesField(QPlainTextEdit):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setMaximumHeight(110)
        self.textChanged.connect(self._changed)
        self._setting = False

    def _changed(self) -> None:
        if not self._setting:
            self.edited.emit()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        if alt_letter(event):
            event.ignore()
            return
        super().keyPressEvent(event)

    def value(self) -> str:
        return self.toPlainText()

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if text != self.toPlainText():
            self._setting = True
            self.setPlainText(text)
            self._setting = False

    def retranslate(self) -> None:
        pass


class MultiChoice(QWidget):
    """Check boxes for a multi-choice enumeration (bone locations); the value is a token list."""

    edited = Signal()

    def __init__(self, choice_name: str, columns: int = 5, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = choice_name
        self._boxes: dict[str, QCheckBox] = {}
        self._order: list[str] = []       # ticked tokens in the order given (a case's list round-trips as is)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (token, text) in enumerate(labels.choices(choice_name)):
            box = QCheckBox(text, self)
            box.setObjectName(f"choice_{token}")
            box.toggled.connect(lambda on, token=token: self._toggled(token, on))
            box.installEventFilter(self)
            if self._boxes:
                box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)    # reached with the arrow keys from the first
            self._boxes[token] = box
            grid.addWidget(box, i // columns, i % columns)

    def box(self, token: str) -> QCheckBox:
        return self._boxes[token]

    def tab_stops(self) -> list[QWidget]:
        """One Tab stop for the group (its first box); the arrow keys move between the boxes and Space
        ticks one, as in a radio group, so ten bone locations cost one Tab, not ten."""
        return list(self._boxes.values())[:1]

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 (Qt override)
        keys = {Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1, Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1}
        if event.type() == QEvent.Type.KeyPress and event.key() in keys and watched in self._boxes.values():
            boxes = list(self._boxes.values())
            target = boxes[(boxes.index(watched) + keys[event.key()]) % len(boxes)]
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return super().eventFilter(watched, event)

    def _toggled(self, token: str, on: bool) -> None:
        if on and token not in self._order:
            self._order.append(token)
        elif not on and token in self._order:
            self._order.remove(token)
        self.edited.emit()

    def value(self) -> list[str]:
        return [token for token in self._order if self._boxes[token].isChecked()]

    def set_value(self, tokens: Any) -> None:
        self._order = [str(t) for t in tokens or [] if str(t) in self._boxes]
        chosen = set(tokens or [])
        for token, box in self._boxes.items():
            box.blockSignals(True)
            box.setChecked(token in chosen)
            box.blockSignals(False)

    def retranslate(self) -> None:
        for token, text in labels.choices(self._name):
            self._boxes[token].setText(text)


class FieldRow(QWidget):
    """Label (marked when required), the input, and the input's validation message beneath it.

    A FieldRow is placed into a form grid with `place_field()`, which puts its label, input and
    messages in three grid rows, so that the inputs of one form row line up whatever the length of
    their labels or messages. Used on its own (in a layout), it stacks the three itself.
    """

    def __init__(self, path: str, editor: QWidget, label: Callable[[], str], required: bool = False,
                 hint: Callable[[], str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.editor = editor
        self._label_fn = label
        self._hint_fn = hint
        self.required = required
        self.setObjectName(f"field:{path}")
        editor.setObjectName(path)
        self.label = QLabel(self)
        self.label.setProperty("role", "fieldLabel")
        self.label.setBuddy(editor)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.messages_box = QWidget(self)
        box = QVBoxLayout(self.messages_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        self.error = QLabel(self.messages_box)
        self.error.setProperty("role", "fieldError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info = QLabel(self.messages_box)
        self.info.setProperty("role", "fieldInfo")
        self.info.setWordWrap(True)
        self.info.setVisible(False)
        box.addWidget(self.error)
        box.addWidget(self.info)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 2)
        layout.setSpacing(2)
        layout.addWidget(self.label)
        layout.addWidget(editor)
        layout.addWidget(self.messages_box)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._messages: list[str] = []
        self.retranslate()

    def retranslate(self) -> None:
        text = self._label_fn()
        self.label.setText(f"{text} *" if self.required else text)
        self.label.setProperty("required", self.required)
        if self._hint_fn is not None and not self._messages:
            self.editor.setToolTip(self._hint_fn())
        retranslate = getattr(self.editor, "retranslate", None)
        if retranslate:
            retranslate()

    def set_messages(self, messages: list[str]) -> None:
        if messages == self._messages:
            return
        self._messages = messages
        self.error.setText("\n".join(messages))
        self.error.setVisible(bool(messages))
        self.editor.setProperty("invalid", bool(messages))
        self.editor.setToolTip("\n".join(messages) or (self._hint_fn() if self._hint_fn else ""))
        repolish(self.editor)

    def set_info(self, text: str) -> None:
        """A non-blocking note from the engine (e.g. why a missing test matters)."""
        if text != self.info.text():
            self.info.setText(text)
        self.info.setVisible(bool(text))

    @property
    def messages(self) -> list[str]:
        return list(self._messages)

    def value(self) -> Any:
        return self.editor.value()  # type: ignore[attr-defined]

    def set_value(self, value: Any) -> None:
        self.editor.set_value(value)  # type: ignore[attr-defined]


def place_field(grid: QGridLayout, item: QWidget, row: int, column: int, span: int = 1) -> None:
    """Put a FieldRow's label, input and messages in grid rows 3*row .. 3*row+2 (inputs of one form
    row line up); any other widget takes the three rows."""
    if isinstance(item, FieldRow):
        grid.addWidget(item.label, 3 * row, column, 1, span, Qt.AlignmentFlag.AlignBottom)
        grid.addWidget(item.editor, 3 * row + 1, column, 1, span)
        grid.addWidget(item.messages_box, 3 * row + 2, column, 1, span, Qt.AlignmentFlag.AlignTop)
        if grid.parentWidget() is not None:
            item.setParent(grid.parentWidget())
        item.hide()           # an empty holder now: the three parts live in the grid
    else:
        grid.addWidget(item, 3 * row, column, 3, span)


def place_fields(grid: QGridLayout, items: list[QWidget], columns: int, spans: dict[int, int] | None = None) -> None:
    """Lay items out left to right, `columns` per form row; spans[i] widens item i."""
    position = 0
    for i, item in enumerate(items):
        span = (spans or {}).get(i, 1)
        if position % columns + span > columns:
            position += columns - position % columns
        place_field(grid, item, position // columns, position % columns, span)
        position += span
    for column in range(columns):
        grid.setColumnStretch(column, 1)


class FieldGroup(QObject):
    """The field rows of one form, by path: read and write their raw values, show problems.

    A field row whose path is `prefix + key` handles problems on that path and on sub-paths the
    form has no own widget for (e.g. 'agents[1]' shows at 'agents')."""

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[str, FieldRow] = {}

    def add(self, row: FieldRow) -> FieldRow:
        self.rows[row.path] = row
        row.editor.edited.connect(lambda path=row.path: self.changed.emit(path))  # type: ignore[attr-defined]
        return row

    def values(self) -> dict[str, Any]:
        return {path: row.value() for path, row in self.rows.items()}

    def set_values(self, values: dict[str, Any]) -> None:
        for path, row in self.rows.items():
            row.set_value(values.get(path))

    def show_problems(self, by_path: dict[str, list[str]]) -> None:
        for path, row in self.rows.items():
            row.set_messages(by_path.get(path, []))

    def retranslate(self) -> None:
        for row in self.rows.values():
            row.retranslate()


def hbox(*widgets: QWidget, stretch: bool = True) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    if stretch:
        layout.addStretch(1)
    return holder


class LanguageAware:
    """Mixin: call `retranslate()` when Qt announces a language change (translator installed)."""

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()  # type: ignore[attr-defined]
        super().changeEvent(event)  # type: ignore[misc]
