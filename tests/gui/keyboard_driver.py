"""Enter a whole case with key events only, as a coordinator at the keyboard does, checking after every
keystroke that the focus is where the step's tab order says it must be.

Why its own driver (tests/gui/driver.py sets focus and clicks buttons): the meeting's defects were
keystrokes that went nowhere or one field down. This driver never calls setFocus or clicks: it starts
with Ctrl+N, moves only with Tab / Shift+Tab / Ctrl+PgDown, picks with Down/Up and Space, adds rows
and sites with Space on their Add button, types drug names into the type-ahead and takes the
highlighted suggestion with Enter, and saves with Ctrl+S. Keys go where the keyboard sends them: the
open popup if there is one, else the focus widget. `expected` is the widget the focus must be in;
every keystroke moves it by the step's `tab_chain()` (Tab), `first_field()` (a step change) or the
Add contract (the new row's first field), and a mismatch fails at that keystroke, naming both.

Also used by `make bench` (bench/bench_parts.py) for keystrokes per vignette; no pytest needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from tests.gui.driver import raw_text as raw  # noqa: E402 (what is typed for a case value)

SECONDS_PER_KEY = 0.28
SECONDS_PER_FIELD = 1.35
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier


class FocusLost(AssertionError):
    """The focus is not where the tab order says after a keystroke."""


def dig(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def count_fields(data: Any) -> int:
    """Values a coordinator reads from the chart: every non-empty leaf (each drug and bone location counts)."""
    if isinstance(data, dict):
        return sum(count_fields(v) for k, v in data.items() if k != "schema_version")
    if isinstance(data, list):
        return sum(count_fields(v) for v in data) if data and isinstance(data[0], dict) else len(data)
    return 0 if data is None else 1


@dataclass
class Entry:
    """What entering one case took."""
    keystrokes: int = 0
    fields: int = 0
    log: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return self.keystrokes * SECONDS_PER_KEY + self.fields * SECONDS_PER_FIELD


class KeyboardDriver:
    def __init__(self, window: Any, check: bool = True) -> None:
        self.window = window
        self.editor = window.editor
        self.check = check
        self.expected: QWidget | None = None
        self.entry = Entry()

    # -- keystrokes ---------------------------------------------------------------------------------
    def target(self) -> QWidget:
        return QApplication.activePopupWidget() or QApplication.focusWidget() or self.window

    def key(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = NONE, note: str = "", expect: Any = None) -> None:
        """One keystroke; `expect()` (evaluated once the key has acted) is where the focus must then be."""
        QTest.keyClick(self.target(), key, modifiers)
        self._after(note or key.name, expect)

    def char(self, text: str) -> None:
        """One character; Chinese as an input method commits it (QTest cannot press non-ASCII keys)."""
        if text.isascii():
            QTest.keyClicks(self.target(), text)
        else:
            event = QInputMethodEvent()
            event.setCommitString(text)
            QApplication.sendEvent(QApplication.focusWidget(), event)
        self._after(repr(text))

    def type(self, text: str) -> None:
        for character in text:
            self.char(character)

    def _after(self, note: str, expect: Any = None) -> None:
        self.entry.keystrokes += 1
        QApplication.processEvents()
        self.entry.log.append(f"{note}→{describe(QApplication.focusWidget())}")
        if expect is not None:
            self.expected = expect()
        if not self.check:
            return
        found = QApplication.focusWidget()
        if found is not self.expected:
            raise FocusLost(f"after keystroke {self.entry.keystrokes} ({note}) on step "
                            f"{self.editor.current_step() + 1}: focus is in {describe(found)}, "
                            f"the tab order says {describe(self.expected)}; the keys before: "
                            + " ".join(self.entry.log[-12:-1]))

    # -- moving -------------------------------------------------------------------------------------
    def chain(self) -> list[QWidget]:
        return self.editor.current_page().tab_chain()

    def anchor(self, chain: list[QWidget]) -> int:
        """Where in the chain the focus is: a box of a one-stop group counts as the group's stop."""
        if self.expected in chain:
            return chain.index(self.expected)
        for position, widget in enumerate(chain):
            if widget.parentWidget() is self.expected.parentWidget() and hasattr(widget.parentWidget(), "tab_stops"):
                return position
        raise AssertionError(f"{describe(self.expected)} is not in the tab chain")

    def tab(self, backwards: bool = False) -> None:
        chain = self.chain()
        position = self.anchor(chain)
        self.expected = chain[(position + (-1 if backwards else 1)) % len(chain)]
        self.key(Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab, SHIFT if backwards else NONE,
                 "Shift+Tab" if backwards else "Tab")

    def tab_to(self, widget: QWidget) -> None:
        """Tab (or Shift+Tab, when shorter) until `widget` has the focus."""
        chain = self.chain()
        here, there = self.anchor(chain), chain.index(widget)
        forward = (there - here) % len(chain)
        backward = (here - there) % len(chain)
        for _ in range(forward if forward <= backward else backward):
            self.tab(backwards=forward > backward)

    def new_case(self) -> None:
        self.key(Qt.Key.Key_N, CTRL, "Ctrl+N", expect=lambda: self.editor.pages[0].tab_chain()[0])

    def next_step(self) -> None:
        """Ctrl+PgDown: the next step, the cursor in its first field (or its first field with a problem)."""
        page = self.editor.pages[self.editor.current_step() + 1]

        def first_of_step() -> QWidget:
            assert self.editor.current_page() is page, "Ctrl+PgDown did not go to the next step"
            first = page.first_field()
            chain = page.tab_chain()
            assert first in chain and (first is chain[0] or first.property("invalid") or
                                       first is getattr(getattr(page, "rows", None), "add_button", None))
            return first

        self.key(Qt.Key.Key_PageDown, CTRL, "Ctrl+PgDown", expect=first_of_step)

    def press_add(self, button: QPushButton, first: Any) -> None:
        """Add a row (site): Space on the Add button when the focus is next to it, else Ctrl+Enter (add
        a row to this step); the new row's (site's) first field takes the focus."""
        chain = self.chain()
        distance = min((chain.index(button) - self.anchor(chain)) % len(chain),
                       (self.anchor(chain) - chain.index(button)) % len(chain))
        if distance > 1:
            self.key(Qt.Key.Key_Return, CTRL, note="Ctrl+Enter (add a row)", expect=first)
            return
        self.tab_to(button)
        self.key(Qt.Key.Key_Space, note="Space on Add", expect=first)

    # -- values -------------------------------------------------------------------------------------
    def enter(self, widget: QWidget, value: Any) -> None:
        """Type or pick `value` into the focused widget (the focus stays there)."""
        from desktop_app import labels
        from desktop_app.widgets.agent_picker import AgentPicker, agent_names, resolve_agent
        from desktop_app.widgets.check_list import CheckList
        from desktop_app.widgets.fields import DateField, MultiChoice

        picker = widget.parent()
        if isinstance(picker, AgentPicker) and widget is picker.line:
            for token in value:
                name = agent_names()[token][1]
                # type until the name's first letters name this drug alone (at least 3), then Enter
                length = next((n for n in range(3, len(name) + 1) if resolve_agent(name[:n]) == token), len(name))
                self.type(name[:length])
                self.key(Qt.Key.Key_Return, note="Enter (take the highlighted drug)")
            return
        group = widget.parent()
        if isinstance(group, MultiChoice):
            boxes = [group.box(token) for token, _label in labels.choices(group._name)]
            position = 0
            for token in value:                 # in the chart's order (the saved list keeps it)
                wanted = boxes.index(group.box(token))
                while position != wanted:
                    step = 1 if wanted > position else -1
                    position += step
                    self.key(Qt.Key.Key_Right if step > 0 else Qt.Key.Key_Left, note="arrow (location)",
                             expect=lambda p=position: boxes[p])
                self.key(Qt.Key.Key_Space, note="Space (tick)")
            return
        if isinstance(widget, QComboBox):
            target = widget.findData(raw(value))
            assert target >= 0, f"{widget.objectName()}: no entry {value!r}"
            if abs(target - widget.currentIndex()) >= 2:
                # type-ahead, as one does in a long list: the first letters of the entry's label that name it
                # (one letter, then arrows, when that is as short)
                prefix = self.type_ahead(widget, target)
                if prefix:
                    self.type(prefix)
            while widget.currentIndex() != target:
                self.key(Qt.Key.Key_Down if widget.currentIndex() < target else Qt.Key.Key_Up)
            return
        if isinstance(widget, QCheckBox):
            if bool(value) != widget.isChecked():
                self.key(Qt.Key.Key_Space)
            return
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            text = raw(value)
            if isinstance(widget, DateField) and len(text) == 10 and text[4] == text[7] == "-":
                text = text.replace("-", "")        # a date field takes 20240601 as 2024-06-01
            self.type(text)
            return
        if isinstance(widget, CheckList):
            raise AssertionError("CheckList entry is not driven by the keyboard driver")
        raise AssertionError(f"no keyboard entry for {describe(widget)}")

    @staticmethod
    def type_ahead(widget: QComboBox, target: int) -> str:
        """The shortest start of the target's label that a drop-down's type-ahead takes to it, if it is
        shorter than its first letter and the arrows from the first entry with that letter."""
        texts = [widget.itemText(i).lower() for i in range(widget.count())]
        label = texts[target]
        if not (label[:1].isascii() and label[:1].isalnum()):
            return ""
        first = next(i for i, t in enumerate(texts) if t.startswith(label[:1]))
        best = label[:1]
        cost = 1 + abs(target - first)
        for n in range(2, min(len(label), 6) + 1):
            prefix = label[:n]
            if not (prefix.isascii() and prefix.replace(" ", "").isalnum()):
                break
            if next(i for i, t in enumerate(texts) if t.startswith(prefix)) == target and n < cost:
                return widget.itemText(target)[:n]
        return widget.itemText(target)[:len(best)]

    @staticmethod
    def shows(widget: QWidget, value: Any) -> bool:
        """True when a drop-down already shows `value` (a default such as "not tested")."""
        return isinstance(widget, QComboBox) and widget.currentIndex() == widget.findData(raw(value)) >= 0

    def value_of(self, widget: QWidget, case: dict[str, Any], prefix: dict[str, Any] | None = None) -> Any:
        """The case's value for the field `widget` (None: nothing to enter)."""
        from desktop_app.widgets.agent_picker import AgentPicker
        from desktop_app.widgets.fields import MultiChoice

        source = prefix if prefix is not None else case
        parent = widget.parent()
        if isinstance(parent, AgentPicker):
            return dig(source, parent.objectName()) or None
        if isinstance(parent, MultiChoice):
            return dig(source, parent.objectName()) or None
        value = dig(source, widget.objectName())
        return None if value is None or value == [] else value

    def fill_fields(self, widgets: list[QWidget], case: dict[str, Any], source: dict[str, Any] | None = None) -> None:
        """Walk the given widgets in tab order, entering the values the case has."""
        for widget in widgets:
            value = self.value_of(widget, case, source)
            if value is None or self.shows(widget, value):
                continue                    # a person reading the chart leaves a field that already shows it
            if widget is not self.expected:
                self.tab_to(widget)
            self.enter(widget, value)

    # -- the whole case -----------------------------------------------------------------------------
    def fill(self, case: dict[str, Any]) -> Entry:
        self.entry.fields = count_fields(case)
        self.new_case()
        for index, page in enumerate(self.editor.pages):
            if index:
                if page.KEY in ("review", "decision"):
                    break
                self.next_step()
            if page.KEY in ("pathology", "therapies"):
                self._rows(page, case.get(page.KEY, []))
            elif page.KEY == "metastases":
                self._sites(page, case)
            else:
                self.fill_fields(page.tab_chain(), case)
        return self.entry

    def _rows(self, page: Any, rows: list[dict[str, Any]]) -> None:
        editor = page.rows
        for row in rows:
            self.press_add(editor.add_button, lambda e=editor: next(iter(e.group.rows.values())).editor)
            fields = [w for w in page.tab_chain() if w not in (editor.view, editor.add_button)]
            self.fill_fields(fields, {}, row)

    def _sites(self, page: Any, case: dict[str, Any]) -> None:
        for number, site in enumerate(case.get("metastases", [])):
            self.press_add(page.add_button, lambda n=number: page.cards[n].organ)
            card = page.cards[number]
            self.tab_to(card.organ)
            self.enter(card.organ, site["organ"])
            fields = [w for w in page.tab_chain() if w in card.chain_widgets() and w is not card.organ]
            self.fill_fields(fields, {}, site)
        context = [w for w in page.tab_chain() if w.objectName().startswith("context.")]
        self.fill_fields(context, case)

    def save(self) -> None:
        self.key(Qt.Key.Key_S, CTRL, "Ctrl+S")


def describe(widget: QWidget | None) -> str:
    if widget is None:
        return "nothing"
    name = widget.objectName() or (widget.parent().objectName() if widget.parent() else "")
    return f"{type(widget).__name__}({name!r})"


def enter_case(window: Any, case: dict[str, Any], check: bool = True, save: bool = True) -> Entry:
    """Enter `case` into `window` with key events only (and save it with Ctrl+S); what it took."""
    driver = KeyboardDriver(window, check)
    entry = driver.fill(case)
    QTest.qWait(120)                       # the debounced evaluation
    if save:
        driver.save()
    return entry
