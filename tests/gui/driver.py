"""A test driver that enters a case the way a user would: focus a field, type, pick with the keyboard.

It reads a case JSON (a public vignette) and enters every value through the wizard's widgets —
keystrokes into text fields, Home/Down into combo boxes, Space on check boxes, drug names typed
into the type-ahead and confirmed with Enter, the add buttons clicked for specimens, therapies and
sites. It never hands the dict to the form. Every leaf value of the vignette must find a widget,
or the driver fails: a field the GUI cannot enter is a bug.
"""

from __future__ import annotations

from typing import Any

from desktop_app.qt import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, Qt
from desktop_app.widgets.agent_picker import AgentPicker, agent_names
from desktop_app.widgets.check_list import CheckList
from desktop_app.widgets.fields import ChoiceCombo, FieldRow, MultiChoice, NotesField, TextField

ROW_TABLES = ("pathology", "therapies", "metastases")


def raw_text(value: Any) -> Any:
    """What a user types for a value (independent of the GUI's own conversion code)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return value
    return "" if value is None else str(value)


def leaves(data: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted path → value for every leaf that carries information (nulls and empty lists are 'not given')."""
    out: dict[str, Any] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(leaves(value, f"{prefix}.{key}" if prefix else key))
    elif data is not None and data != []:
        out[prefix] = data
    return out


def type_unicode(qtbot: Any, widget: Any, text: str) -> None:
    """Type text as a user does: ASCII as key presses, Chinese as an input method commits it
    (QTest cannot synthesise key presses for non-ASCII characters)."""
    from PySide6.QtGui import QInputMethodEvent

    from desktop_app.qt import QApplication

    run = ""
    for char in text + "\0":
        if char != "\0" and not char.isascii():
            run += char
            continue
        if run:
            event = QInputMethodEvent()
            event.setCommitString(run)
            QApplication.sendEvent(widget, event)
            run = ""
        if char != "\0":
            qtbot.keyClicks(widget, char)


class WizardDriver:
    def __init__(self, qtbot: Any, editor: Any) -> None:
        self.qtbot = qtbot
        self.editor = editor
        self.entered: set[str] = set()

    # -- single widgets -------------------------------------------------------------------------
    def type_text(self, widget: QLineEdit | QPlainTextEdit, text: str) -> None:
        widget.setFocus()
        if isinstance(widget, QLineEdit):
            widget.selectAll()
            if widget.text():
                self.qtbot.keyClick(widget, Qt.Key.Key_Backspace)
        else:
            widget.selectAll()
            if widget.toPlainText():
                self.qtbot.keyClick(widget, Qt.Key.Key_Backspace)
        type_unicode(self.qtbot, widget, text)

    def choose(self, combo: QComboBox, token: str) -> None:
        """Pick an entry with the keyboard: Home, then Down until the wanted entry."""
        index = combo.findData(token)
        assert index >= 0, f"{combo.objectName()}: no entry {token!r}"
        combo.setFocus()
        self.qtbot.keyClick(combo, Qt.Key.Key_Home)
        for _ in range(index):
            self.qtbot.keyClick(combo, Qt.Key.Key_Down)
        assert combo.currentIndex() == index, f"{combo.objectName()}: keyboard did not reach {token!r}"

    def toggle(self, box: QCheckBox, on: bool) -> None:
        if box.isChecked() != on:
            box.setFocus()
            self.qtbot.keyClick(box, Qt.Key.Key_Space)
        assert box.isChecked() == on

    def add_agents(self, picker: AgentPicker, tokens: list[str], chinese: bool = False) -> None:
        if not tokens:
            return                                # nothing to add ([-0:] below would be the whole list)
        for n, token in enumerate(tokens):
            zh, en = agent_names()[token]
            name = zh if chinese and n % 2 == 0 else en
            picker.line.setFocus()
            type_unicode(self.qtbot, picker.line, name)
            self.qtbot.keyClick(picker.line, Qt.Key.Key_Return)
            if picker.line.completer().popup().isVisible():
                picker.line.completer().popup().hide()
            if token not in picker.value():      # the popup took the first Enter
                self.qtbot.keyClick(picker.line, Qt.Key.Key_Return)
        assert picker.value()[-len(tokens):] == tokens, (picker.value(), tokens)

    def set_field(self, row: FieldRow, value: Any) -> None:
        editor = row.editor
        if isinstance(editor, ChoiceCombo):
            self.choose(editor, raw_text(value))
        elif isinstance(editor, TextField | NotesField):
            self.type_text(editor, raw_text(value))
        elif isinstance(editor, MultiChoice):
            for token in value:
                self.toggle(editor.box(token), True)
        elif isinstance(editor, AgentPicker):
            self.add_agents(editor, list(value), chinese=True)
        elif isinstance(editor, CheckList):
            for token in value:
                self.check_item(editor, token)
        else:
            raise AssertionError(f"no way to enter {row.path} into {type(editor).__name__}")

    def check_item(self, checklist: CheckList, token: str) -> None:
        item = checklist.item_for(token)
        assert item is not None, f"{token} not offered"
        checklist.setFocus()
        checklist.setCurrentItem(item)
        self.qtbot.keyClick(checklist.viewport(), Qt.Key.Key_Space)
        if token not in checklist.value():
            self.qtbot.keyClick(checklist, Qt.Key.Key_Space)
        assert token in checklist.value()

    # -- whole case -----------------------------------------------------------------------------
    def go(self, step: int) -> None:
        self.editor.go_to(step)

    def fill(self, case: dict[str, Any]) -> None:
        """Enter the whole case step by step."""
        for index, page in enumerate(self.editor.pages):
            self.go(index)
            for path, row in page.group.rows.items():
                value = self._value(case, path)
                if value is not None and value != []:
                    self.set_field(row, value)
                    self.entered.add(path)
            if page.KEY == "pathology":
                self._rows(page.rows, case.get("pathology", []), "pathology")
            elif page.KEY == "therapies":
                self._rows(page.rows, case.get("therapies", []), "therapies")
            elif page.KEY == "metastases":
                self._sites(page, case.get("metastases", []))
        missing = flatten_case({k: v for k, v in case.items() if k != "schema_version"}) - self.entered
        assert not missing, f"no widget took these values: {sorted(missing)}"

    def _value(self, case: dict[str, Any], path: str) -> Any:
        node: Any = case
        for part in path.split("."):
            if not isinstance(node, dict):
                return None
            node = node.get(part)
        return node

    def _rows(self, rows_editor: Any, rows: list[dict[str, Any]], table: str) -> None:
        for n, row in enumerate(rows):
            self.qtbot.mouseClick(rows_editor.add_button, Qt.MouseButton.LeftButton)
            assert rows_editor.current_row() == n
            for key, value in leaves(row).items():
                self.set_field(rows_editor.group.rows[key], value)
                self.entered.add(f"{table}.{n}.{key}")

    def _sites(self, page: Any, sites: list[dict[str, Any]]) -> None:
        for n, site in enumerate(sites):
            self.qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
            card = page.cards[n]
            self.set_field(card.field("organ"), site["organ"])
            for key, value in leaves(site).items():
                if key != "organ":
                    self.set_field(card.field(key), value)
                self.entered.add(f"metastases.{n}.{key}")


def flatten_case(case: dict[str, Any]) -> set[str]:
    """Leaf paths of a case with list indices as path parts (matches WizardDriver.entered)."""
    out: dict[str, Any] = {}
    for key, value in case.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            out.update(leaves({key: {str(i): row for i, row in enumerate(value)}}))
        else:
            out.update(leaves({key: value}))
    return set(out)
