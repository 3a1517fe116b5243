"""What every wizard step shares: a title that states the board's question, sections of fields, the
validator's messages shown at each field, and re-labelling on a language change.

Why steps own no clinical logic: a step only reads and writes raw values (form_schema) and shows
what the validator and the engine said; the controller (case_editor) does the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop_app import focus
from desktop_app.problems import Problem, widget_path_candidates
from desktop_app.qt import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from desktop_app.widgets.fields import FieldGroup, FieldRow, LanguageAware, place_fields


class StepPage(LanguageAware, QScrollArea):
    """One step of the wizard. Subclasses build fields in __init__ and implement the title texts."""

    changed = Signal()
    removed = Signal(str, object)   # what was removed (for the status bar) and a callable that puts it back
    KEY = ""
    TITLE = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"step_{self.KEY}")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        focus.no_focus(self)          # the scroll area is decoration: never a Tab stop of its own
        self.body = QWidget()
        self.body.setObjectName("stepBody")
        self.setWidget(self.body)
        self.column = QVBoxLayout(self.body)
        self.column.setContentsMargins(24, 16, 24, 24)
        self.column.setSpacing(14)
        self.title = QLabel(self.body)
        self.title.setProperty("role", "title")
        self.subtitle = QLabel(self.body)
        self.subtitle.setProperty("role", "subtitle")
        self.subtitle.setWordWrap(True)
        self.column.addWidget(self.title)
        self.column.addWidget(self.subtitle)
        self.group = FieldGroup(self)
        self.group.changed.connect(lambda _path: self.changed.emit())
        self._sections: list[tuple[QGroupBox, Callable[[], str]]] = []
        self._texts: list[tuple[Any, Callable[[], str]]] = []

    # -- building ------------------------------------------------------------------------------
    def title_text(self) -> str:
        raise NotImplementedError

    def subtitle_text(self) -> str:
        return ""

    def field(self, path: str, editor: QWidget, label: Callable[[], str], required: bool = False,
              hint: Callable[[], str] | None = None) -> FieldRow:
        return self.group.add(FieldRow(path, editor, label, required, hint))

    def section(self, title: Callable[[], str], rows: list[QWidget], columns: int = 3,
                spans: dict[int, int] | None = None) -> QGroupBox:
        box = QGroupBox(self.body)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(3)
        place_fields(grid, rows, columns, spans)
        self._sections.append((box, title))
        self.column.addWidget(box)
        return box

    def translated(self, widget: Any, text: Callable[[], str]) -> Any:
        """Register a widget whose setText() is re-run on a language change."""
        self._texts.append((widget, text))
        widget.setText(text())
        return widget

    def finish(self) -> None:
        self.column.addStretch(1)
        self.retranslate()
        self.apply_tab_order()

    # -- focus (see desktop_app.focus) -----------------------------------------------------------
    def chain_widgets(self) -> list[QWidget]:
        """Every Tab stop of the step in visual order (top to bottom, left to right), hidden ones included.
        Subclasses with tables, cards or buttons override this."""
        return [w for row in self.group.rows.values() for w in focus.tab_stops(row.editor)]

    def tab_chain(self) -> list[QWidget]:
        """The widgets Tab visits now, in order (the chain wraps from the last to the first)."""
        return [w for w in self.chain_widgets() if focus.reachable(w, self)]

    def apply_tab_order(self) -> None:
        focus.apply_order(self.chain_widgets())

    def first_field(self, first_problem: bool = True) -> QWidget | None:
        """Where the cursor goes when the step is shown: the first field with a problem, else the first."""
        chain = self.tab_chain()
        problem = next((w for w in chain if focus.has_problem(w)), None) if first_problem else None
        return problem or (chain[0] if chain else None)

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 (Qt override)
        """Tab and Shift+Tab follow `tab_chain()` and wrap within the step. Qt's own walk of the focus chain
        also jumps into compound widgets by their focus proxy (Tab from the last therapy field landed in
        the drug box), so the step's chain, not Qt's, decides."""
        from desktop_app.qt import QApplication

        chain = self.tab_chain()
        current = QApplication.focusWidget()
        if current not in chain and current is not None:
            # inside a group with one Tab stop (the bone-location boxes): Tab leaves from the group's stop
            current = next((w for w in chain if w.parentWidget() is current.parentWidget()
                            and callable(getattr(w.parentWidget(), "tab_stops", None))), current)
        if current not in chain:
            return super().focusNextPrevChild(forward)
        target = chain[(chain.index(current) + (1 if forward else -1)) % len(chain)]
        target.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
        self.ensureWidgetVisible(target)
        return True

    def focus_first(self, first_problem: bool = True) -> QWidget | None:
        target = self.first_field(first_problem)
        if target is not None:
            # not TabFocusReason: that selects a field's text, and the first key typed would replace it
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            self.ensureWidgetVisible(target)
        return target

    # -- language ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(self.title_text())
        self.subtitle.setText(self.subtitle_text())
        self.subtitle.setVisible(bool(self.subtitle_text()))
        for box, text in self._sections:
            box.setTitle(text())
        for widget, text in self._texts:
            widget.setText(text())
        self.group.retranslate()
        self.retranslate_extra()

    def retranslate_extra(self) -> None:
        """Subclasses re-label their tables, buttons and engine-derived texts here."""

    # -- state ---------------------------------------------------------------------------------
    def state_into(self, state: dict[str, Any]) -> None:
        state["fields"].update(self.group.values())

    def load_state(self, state: dict[str, Any]) -> None:
        fields = state.get("fields", {})
        self.group.set_values({path: fields.get(path) for path in self.group.rows})

    # -- validator and engine output -------------------------------------------------------------
    def show_problems(self, problems: list[Problem]) -> set[int]:
        """Show each problem at its field; return the indices of the problems shown here."""
        claimed: set[int] = set()
        by_path: dict[str, list[str]] = {}
        for i, problem in enumerate(problems):
            for candidate in widget_path_candidates(problem.path):
                if candidate in self.group.rows:
                    by_path.setdefault(candidate, []).append(problem.text())
                    claimed.add(i)
                    break
        self.group.show_problems(by_path)
        return claimed

    def show_evaluation(self, evaluation: Any, context: Any) -> None:
        """Called after each evaluation (None when the case is invalid); `context` is the editor."""
        for path, row in self.group.rows.items():
            row.set_info(context.missing_reason(path) if evaluation is not None else "")
