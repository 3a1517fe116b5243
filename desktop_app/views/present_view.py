"""Present mode (issue 17): the cases of a meeting one after the other, full screen on the projector — the
one-line question, the patient timeline, and the options of the digest (guideline_db.digest) — with the
keyboard: Page Down / → / Space next, Page Up / ← previous, Enter records the decision of this case, Esc leaves.

Recording goes through the existing decision step and save of the main window (its validation, version
conflict check and audit), not a second decision form: Enter opens the case at the decision step, and
Board → Back to the meeting (Ctrl+Shift+M) saves it and comes back here, on the next case.
"""

from __future__ import annotations

import html
from typing import Any

from desktop_app import language
from desktop_app.qt import (
    QFrame,
    QLabel,
    QScrollArea,
    Qt,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    Signal,
)
from desktop_app.widgets.fields import LanguageAware

NEXT_KEYS = (Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Space)
PREVIOUS_KEYS = (Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Backspace)
SHOWN_SECTIONS = ("systemic", "local", "warnings", "missing", "decision")


class PresentView(LanguageAware, QWidget):
    """A top-level window over the agenda items; `show_item(n)` draws the n-th case from the store."""

    recordRequested = Signal(str)  # noqa: N815  (the case ID whose decision is to be recorded)
    left = Signal()

    def __init__(self, store: Any, items: list[Any], start: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("present_view")
        self.store = store
        self.items = list(items)
        self.index = -1
        self.case: Any = None
        self.evaluation: Any = None
        self.digest: Any = None
        self.position = QLabel(self)
        self.position.setObjectName("present_position")
        self.question = QLabel(self)
        self.question.setObjectName("present_question")
        self.question.setWordWrap(True)
        big = self.question.font()
        big.setPointSizeF(big.pointSizeF() * 1.5)
        big.setBold(True)
        self.question.setFont(big)
        self.timeline = self._timeline_widget()
        self.options = QTextBrowser(self)
        self.options.setObjectName("present_options")
        self.options.setFrameShape(QFrame.Shape.NoFrame)
        larger = self.options.font()
        larger.setPointSizeF(larger.pointSizeF() * 1.25)
        self.options.setFont(larger)
        self.hint = QLabel(self)
        self.hint.setObjectName("present_hint")
        self.hint.setProperty("role", "subtitle")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.addWidget(self.position)
        layout.addWidget(self.question)
        if self.timeline is not None:
            scroll = QScrollArea(self)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(self.timeline)
            self.timeline_area = scroll
            layout.addWidget(scroll)
        layout.addWidget(self.options, 1)
        layout.addWidget(self.hint)
        # keys go to the view itself (its parts take no focus), so no scroll area eats Page Down or Space
        for part in [self.options] + ([self.timeline_area] if self.timeline is not None else []):
            part.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.options.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.retranslate()
        if self.items:
            self.show_item(max(0, min(start, len(self.items) - 1)))

    def _timeline_widget(self) -> Any:
        try:
            from desktop_app.widgets.timeline_view import TimelineView
        except ImportError:      # the timeline widget is optional in this view
            return None
        view = TimelineView(self)
        view.setObjectName("present_timeline")
        return view

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Meeting — present mode"))
        self.hint.setText(self.tr("PgDn / → next  ·  PgUp / ← previous  ·  ↑↓ scroll  ·  Enter record the decision  ·  Esc leave"))
        if 0 <= self.index < len(self.items) and self.isVisible():
            self.show_item(self.index)

    def current_item(self) -> Any:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def show_item(self, index: int) -> None:
        from guideline_db.digest import digest
        from guideline_db.engine import evaluate
        from guideline_db.store import StoreError

        self.index = index
        item = self.items[index]
        lang = language.current_language()
        self.position.setText(self.tr("Case %1 of %2").replace("%1", str(index + 1)).replace("%2", str(len(self.items)))
                              + f"  ·  {item.case_id}" + (f"  ·  {item.patient}" if item.patient else "")
                              + ("  ·  ✓ " + self.tr("decided") if item.decided else ""))
        self.question.setText(item.question)
        try:
            self.case, _info = self.store.load(item.case_id)
        except StoreError as exc:
            self.case = self.evaluation = self.digest = None
            self.options.setPlainText(str(exc))
            return
        self.evaluation = evaluate(self.case)
        self.digest = digest(self.evaluation, self.case, lang)
        if self.timeline is not None:
            from guideline_db.workflow.timeline import timeline_layout

            self.timeline.set_timeline(timeline_layout(self.case, self.evaluation, lang))
            self.timeline_area.setFixedHeight(min(self.timeline.height() + 4, 300))
        self.options.setHtml(self.digest_html())

    def digest_html(self) -> str:
        """The digest's sections the board decides from (systemic and local options, warnings, missing data,
        the decision as recorded), in the digest's own words and order."""
        parts = []
        for section in self.digest.sections:
            if section.key not in SHOWN_SECTIONS or not section.items:
                continue
            parts.append(f"<h3>{html.escape(section.title)}</h3><ul>")
            for item in section.items:
                text = " ".join(p for p in (item.marker, item.text) if p)
                basis = f" <span style='color:#666; font-weight:normal'>[{html.escape(item.basis)}]</span>" if item.basis else ""
                weight = "font-weight:600;" if item.chosen or str(item.tier or "") == "preferred" else ""
                parts.append(f"<li style='{weight}'>{html.escape(text)}{basis}</li>")
            parts.append("</ul>")
        return "".join(parts)

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        key = event.key()
        if key in NEXT_KEYS:
            self.next()
        elif key in PREVIOUS_KEYS:
            self.previous()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.record()
        elif key in (Qt.Key.Key_Escape, Qt.Key.Key_F11):
            self.leave()
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Up):          # scroll long option lists
            bar = self.options.verticalScrollBar()
            bar.setValue(bar.value() + (1 if key == Qt.Key.Key_Down else -1) * bar.singleStep() * 3)
        else:
            super().keyPressEvent(event)

    def next(self) -> None:
        if self.index + 1 < len(self.items):
            self.show_item(self.index + 1)

    def previous(self) -> None:
        if self.index > 0:
            self.show_item(self.index - 1)

    def record(self) -> None:
        item = self.current_item()
        if item is not None:
            self.recordRequested.emit(item.case_id)

    def resume(self, advance: bool = True) -> None:
        """Back from the decision step: the current item read again from the store, then the next one."""
        from guideline_db.engine import evaluate
        from guideline_db.store import StoreError
        from guideline_db.workflow.agenda import agenda_item

        item = self.current_item()
        if item is not None:
            try:
                case, info = self.store.load(item.case_id)
                self.items[self.index] = agenda_item(case, info.version, evaluate(case), language.current_language())
            except StoreError:
                pass
        if advance and self.index + 1 < len(self.items):
            self.show_item(self.index + 1)
        elif item is not None:
            self.show_item(self.index)

    def leave(self) -> None:
        self.close()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        self.left.emit()
        super().closeEvent(event)
