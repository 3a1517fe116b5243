"""The wizard: eight steps, the live panel, and the loop form → case → validator → engine → screen.

Why a controller apart from the steps (Anki's habit of thin views): the loop is the same for every
step. After each edit (debounced) it reads the raw form state, converts it (form_schema), validates it
with `parse_case` — the single validator of the case format — and, when valid, calls
`guideline_db.engine.evaluate`. Problems go back to the field they concern; the evaluation goes to
the live panel, the review and the decision step. The GUI computes no clinical logic.
"""

from __future__ import annotations

import os
from typing import Any

from desktop_app import focus, language
from desktop_app.form_schema import Conversion, empty_state, from_case_dict, to_case_dict
from desktop_app.live_panel import LivePanel
from desktop_app.problems import Problem, split_problem
from desktop_app.qt import (
    QApplication,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    Qt,
    QTimer,
    QWidget,
    Signal,
)
from desktop_app.steps.base import StepPage
from desktop_app.steps.decision_step import DecisionPage
from desktop_app.steps.metastases_step import MetastasesPage
from desktop_app.steps.review_step import ReviewPage
from desktop_app.steps.simple_steps import BiomarkersPage, PatientPage, PresentationPage
from desktop_app.steps.table_steps import PathologyPage, TherapiesPage
from desktop_app.widgets.fields import ChoiceCombo, LanguageAware

DEBOUNCE_MS = 80
STEP_CLASSES = (PatientPage, PresentationPage, PathologyPage, BiomarkersPage, TherapiesPage, MetastasesPage,
                ReviewPage, DecisionPage)
WIDE_STEPS = ("review", "decision")   # the live panel is hidden: these steps show the evaluation themselves
# Rendered when shown (or asked for), not after every keystroke: the review is the costliest view of the
# evaluation (a whole HTML document) and nothing else reads it, so re-rendering it while another step
# is on screen only delayed the live panel.
LAZY_STEPS = ("review",)


class CaseEditor(LanguageAware, QWidget):
    evaluated = Signal(object)          # the Evaluation, or None while the case is invalid
    edited = Signal()                   # the user changed something
    saveRequested = Signal()  # noqa: N815
    removed = Signal(str)               # a row/site was removed: the window says how to undo it

    def __init__(self, parent: QWidget | None = None, evaluate: bool = True) -> None:
        """`evaluate=False`: the empty form is evaluated later (run_gui does it after the first paint, so
        the engine and the case model are not imported before the window shows)."""
        super().__init__(parent)
        self.setObjectName("case_editor")
        self.steps = QListWidget(self)
        self.steps.setObjectName("step_list")
        self.steps.setProperty("role", "sidebar")
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps.setWordWrap(True)             # step names wrap at word boundaries, never '3 · …'
        self.steps.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.steps.setUniformItemSizes(False)
        self.steps.setResizeMode(QListWidget.ResizeMode.Adjust)
        focus.no_focus(self.steps)      # clicked, or Ctrl+1..8 / Ctrl+PgUp/PgDn: never a Tab stop beside the form
        self.stack = QStackedWidget(self)
        # Lazily started (run_gui): only step 1 is built before the first paint; steps 2-8 (about 150 ms of
        # widgets and style) are built right after it (finish_start), or as soon as something needs them.
        self.pages: list[StepPage] = []
        self._pending = list(STEP_CLASSES[1:]) if not evaluate else []
        self._stale: set[int] = set()      # LAZY_STEPS pages not yet showing the current evaluation
        self.evaluated_once = False
        if self._pending:
            ChoiceCombo.deferring_names()         # no guideline database opened before the first paint
        for cls in STEP_CLASSES[:len(STEP_CLASSES) - len(self._pending)]:
            self._add_page(cls)
        for _cls in STEP_CLASSES:
            QListWidgetItem(self.steps)
        self.live = LivePanel(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.steps)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.live)
        self.steps.currentRowChanged.connect(self._step_changed)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.evaluate_now)
        self.session_key = f"new:{os.urandom(6).hex()}"
        self.stored_case_id: str | None = None
        self.stored_version: int | None = None     # the store's version this form was loaded from
        self.read_only = False
        self.undo_removals: list[tuple[str, Any]] = []
        self.dirty = False
        self.case: Any = None
        self.evaluation: Any = None
        self.last_valid: Any = None
        self.problems: list[Problem] = []
        self.conversion: Conversion | None = None
        self._step_problems: list[int] = [0] * len(STEP_CLASSES)
        self._live_allowed = True
        self.steps.setCurrentRow(0)
        self._fit_sidebar()
        self.retranslate()
        if evaluate:
            self.evaluate_now()

    # -- pages ------------------------------------------------------------------------------------
    def page(self, key: str) -> StepPage:
        """The step page `key`, showing the current evaluation (a lazy page is rendered now if stale)."""
        index = self._index(key)
        self._bring_up_to_date(index)
        return self.pages[index]

    def _index(self, key: str) -> int:
        index = next(i for i, cls in enumerate(STEP_CLASSES) if key == cls.KEY)
        if index >= len(self.pages):
            self.finish_start()
        return index

    def _bring_up_to_date(self, index: int) -> None:
        if index in self._stale:
            self._stale.discard(index)
            self.pages[index].show_evaluation(self.evaluation, self)

    @property
    def review(self) -> ReviewPage:
        return self.page("review")  # type: ignore[return-value]

    @property
    def decision(self) -> DecisionPage:
        return self.page("decision")  # type: ignore[return-value]

    def _add_page(self, cls: type) -> StepPage:
        page = cls(self)
        self.pages.append(page)
        self.stack.addWidget(page)
        page.changed.connect(self._changed)
        page.removed.connect(self._removed)
        if page.KEY == "decision":
            page.saveRequested.connect(self.saveRequested)
        return page

    def finish_start(self) -> None:
        """After the first paint of a lazily started window: build steps 2-8 and evaluate the empty form
        (the engine and the case model are imported now)."""
        if ChoiceCombo.names_deferred():
            ChoiceCombo.fill_deferred()
            self.live.retranslate()
        if self._pending:
            while self._pending:                      # new pages start blank; step 1 keeps what was typed
                self._add_page(self._pending.pop(0))
            self._fit_sidebar()
            self._label_steps()
        if not self.evaluated_once:
            self.evaluate_now()

    def step_count(self) -> int:
        return len(STEP_CLASSES)

    def step_title(self, index: int) -> str:
        """A step's name, also before its page is built."""
        if index < len(self.pages):
            return self.pages[index].title_text()
        cls = STEP_CLASSES[index]
        return QApplication.translate(cls.__name__, cls.TITLE)

    def go_to(self, index: int) -> None:
        if self._pending and index >= len(self.pages):
            self.finish_start()
        if 0 <= index < len(self.pages):
            self.steps.setCurrentRow(index)

    def current_step(self) -> int:
        return self.steps.currentRow()

    def _step_changed(self, index: int) -> None:
        if index < 0:
            return
        self._bring_up_to_date(index)
        self.stack.setCurrentIndex(index)
        self._show_live()
        self.focus_step()

    def focus_step(self, first_problem: bool = True) -> QWidget | None:
        """Put the cursor in the current step's first field with a problem, else its first field; a new
        or just opened case starts in the first field (`first_problem=False`)."""
        index = self.steps.currentRow()
        return self.pages[index].focus_first(first_problem) if index >= 0 else None

    def current_page(self) -> StepPage:
        return self.pages[self.steps.currentRow()]

    def add_row(self) -> bool:
        """Ctrl+Enter: a new specimen, therapy, site or attendee in the current step, cursor in its first field."""
        page = self.current_page()
        adder = getattr(page, "add_row", None)
        if adder is None:
            return False
        adder()
        return True

    # -- removing and putting back -----------------------------------------------------------------
    def _removed(self, what: str, restore: Any) -> None:
        self.undo_removals.append((what, restore))
        self.removed.emit(what)

    def undo_remove(self) -> str | None:
        """Put the last removed row or site back where it was (Ctrl+Z); its name, or None."""
        if not self.undo_removals:
            return None
        what, restore = self.undo_removals.pop()
        restore()
        return what

    def commit_pending(self) -> list[tuple[int, Any, str]]:
        """Commit half-typed drug names; (step, picker, message) for each that names no single drug."""
        from desktop_app.widgets.agent_picker import AgentPicker

        left = []
        for index, page in enumerate(self.pages):
            for picker in page.findChildren(AgentPicker):
                if not picker.commit_pending():
                    left.append((index, picker, picker.pending_problem()))
        return left

    def set_live_allowed(self, allowed: bool) -> None:
        """The window hides the live panel while the case list takes the room (1280 px projectors)."""
        self._live_allowed = allowed
        self._show_live()

    def _show_live(self) -> None:
        """Shown beside the form steps, unless the form would become too narrow to use (a high projector
        zoom on a small screen): then the review step is where the evaluation is read."""
        index = self.steps.currentRow()
        wide = index >= 0 and self.pages[index].KEY in WIDE_STEPS
        line = self.fontMetrics().height()
        sidebar = 0 if self.steps.isHidden() else self.steps.minimumWidth()
        room = self.width() - sidebar - self.live.minimumWidth() >= line * 34
        self.live.setVisible(self._live_allowed and not wide and room)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit_sidebar()
        self._show_live()

    def _fit_sidebar(self) -> None:
        """About 12 line-heights wide, following the projector zoom, but never more than a fifth of the
        window (at 175 % on a 1024-px projector it took 42 %); step names wrap at word boundaries."""
        metrics = self.steps.fontMetrics()
        line = metrics.height()
        width = line * 12
        if self.width() > 0:
            width = max(line * 6, min(width, self.width() // 5))
        # a word that does not fit (English 'Presentation' at 175 % on 1024 px): numbers only, names as tooltips
        words = [w for index in range(len(STEP_CLASSES)) for w in self.step_title(index).split()]
        # Chinese breaks between any two characters: only a Latin word must fit whole
        longest = max((metrics.horizontalAdvance(w) if w.isascii() else max(map(metrics.horizontalAdvance, w))
                       for w in words), default=0)
        compact = longest + 60 > width
        if compact:
            width = line * 4
        if width != self.steps.minimumWidth() or compact != getattr(self, "_compact", None):
            self._compact = compact
            self.steps.setMinimumWidth(width)
            self.steps.setMaximumWidth(width)
            self._label_steps()

    def _step_size(self, text: str) -> Any:
        """The height a step name needs when wrapped to the sidebar (Qt's own estimate breaks Chinese
        names without spaces onto a second line it gives no room to: '4 · 生物标' was cut)."""
        from desktop_app.qt import QRect, QSize

        metrics = self.steps.fontMetrics()
        scrollbar = self.steps.style().pixelMetric(self.steps.style().PixelMetric.PM_ScrollBarExtent)
        width = max(self.steps.minimumWidth() - 36 - scrollbar, metrics.height() * 3)   # padding, border, scroll bar
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.TextFlag.TextWrapAnywhere)
        box = metrics.boundingRect(QRect(0, 0, width, 10_000), flags, text)
        return QSize(self.steps.minimumWidth(), box.height() + 22)

    def set_sidebar_visible(self, visible: bool) -> None:
        """Ctrl+B: the step sidebar collapses (the steps stay reachable with Ctrl+1..8)."""
        self.steps.setVisible(visible)
        self._show_live()

    def changeEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        from desktop_app.qt import QEvent

        if event.type() == QEvent.Type.FontChange:
            self._fit_sidebar()
            self._show_live()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Re-word the step list and the validator's messages (shown in the UI language)."""
        if hasattr(self, "problems"):
            self._distribute(self.problems)
        self._fit_sidebar()                # the words of the step names changed: they may not fit any more
        self._label_steps()
        self.live.retranslate()

    def _label_steps(self) -> None:
        for index in range(len(STEP_CLASSES)):
            count = self._step_problems[index]
            full = self.step_title(index)
            title = str(index + 1) if getattr(self, "_compact", False) else full
            text = title + (f"  ⚠\u00a0{count}" if count else "")   # the count never wraps away from its ⚠
            item = self.steps.item(index)
            item.setText(text)
            item.setSizeHint(self._step_size(text))
            item.setData(Qt.ItemDataRole.UserRole, count)
            subtitle = self.pages[index].subtitle_text() if index < len(self.pages) else ""
            tip = self.tr("%n problem(s) in this step", "", count) if count else subtitle
            item.setToolTip(f"{full}\n{tip}" if getattr(self, "_compact", False) else tip)

    # -- state --------------------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        state = empty_state()
        for page in self.pages:
            page.state_into(state)
        return state

    def load_state(self, state: dict[str, Any], session_key: str | None = None,
                   stored_case_id: str | None = None) -> None:
        full = empty_state()
        full["fields"].update(state.get("fields", {}))
        full["rows"].update(state.get("rows", {}))
        full["extra"].update(state.get("extra", {}))
        # One patient on screen: nothing derived from the previous case survives into this one (the
        # live panel falls back to the last valid evaluation, which must be this case's).
        self.timer.stop()
        self.evaluation = self.last_valid = self.case = None
        self.undo_removals.clear()
        for page in self.pages:
            page.load_state(full)
        self.session_key = session_key or f"new:{os.urandom(6).hex()}"
        self.stored_case_id = stored_case_id
        self.stored_version = None
        for index in sorted(self._stale):
            self.pages[index].show_evaluation(None, self)   # blank now; rendered for this case when shown
        self.evaluate_now()
        self.dirty = False

    def load_case(self, case: Any, stored: bool = True) -> None:
        """Show a validated Case (from the store or a file)."""
        state = from_case_dict(case.model_dump(mode="json"))
        self.load_state(state, session_key=f"case:{case.case_id}", stored_case_id=case.case_id if stored else None)
        self.show_step(0)

    def new_case(self) -> None:
        self.load_state(empty_state())
        self.show_step(0)

    def show_step(self, index: int) -> None:
        """Go to a step and put the cursor in its first field, also when it is already the current step."""
        self.go_to(index)
        self.focus_step(first_problem=False)

    # -- the loop -----------------------------------------------------------------------------------
    def _changed(self) -> None:
        self.dirty = True
        self.edited.emit()
        self.timer.start()

    def evaluate_now(self) -> None:
        """Convert, validate and evaluate the form now (the debounce timer calls this)."""
        from guideline_db.case_io import CaseFileError, parse_case
        from guideline_db.engine import evaluate

        self.timer.stop()
        if self._pending:
            self.finish_start()        # finish_start evaluates: nothing left to do here
            return
        self.evaluated_once = True
        conversion = to_case_dict(self.state())
        problems = [Problem(p.path, p.raw, p.code) for p in conversion.problems]
        case = None
        try:
            case = parse_case(conversion.case)
        except CaseFileError as exc:
            for line in exc.problems:
                path, text = split_problem(line)
                problems.append(Problem(conversion.raw_path(path), text))
        if problems:
            case = None
        self.conversion, self.case, self.problems = conversion, case, problems
        self.evaluation = evaluate(case) if case is not None else None
        if self.evaluation is not None:
            self.last_valid = self.evaluation
        self._distribute(problems)
        self.evaluated.emit(self.evaluation)

    def _distribute(self, problems: list[Problem]) -> None:
        claimed_all: set[int] = set()
        for index, page in enumerate(self.pages):
            claimed = page.show_problems(problems)
            self._step_problems[index] = len(claimed)
            claimed_all |= claimed
        unplaced = [p for i, p in enumerate(problems) if i not in claimed_all]
        review_index = next(i for i, cls in enumerate(STEP_CLASSES) if cls.KEY == "review")
        if review_index < len(self.pages):        # built (a lazily started window builds it after the paint)
            review: Any = self.pages[review_index]
            review.set_unplaced_problems(unplaced)
            review.set_problem_lines([self._problem_line(p) for p in problems])
            self._step_problems[review_index] = len(unplaced)
        self._label_steps()
        current = self.steps.currentRow()
        for index, page in enumerate(self.pages):
            if page.KEY in LAZY_STEPS and index != current:
                self._stale.add(index)
            else:
                self._stale.discard(index)
                page.show_evaluation(self.evaluation, self)
        self.live.show_evaluation(self.evaluation or self.last_valid, len(problems))

    def _problem_line(self, problem: Problem) -> tuple[int, str]:
        """(step index, 'Field label: message') for the review's list of what to fix."""
        from desktop_app.problems import widget_path_candidates

        for index, page in enumerate(self.pages):
            for candidate in widget_path_candidates(problem.path):
                if candidate in page.group.rows:
                    label = page.group.rows[candidate].label.text().rstrip(" *")
                    return index, f"{label}: {problem.text()}"
        import re

        from desktop_app import labels

        match = re.match(r"^(pathology|therapies|metastases|mdt\.attendees)\[(\d+)\]\.?([^\[]*)", problem.path)
        if match:
            table, row, key = match[1], int(match[2]), match[3]
            page = next((p for p in self.pages if getattr(getattr(p, "rows", None), "model", None) is not None
                         and table == p.rows.model.TABLE), None)
            name = key
            if page is not None and key in page.rows.group.rows:
                name = page.rows.group.rows[key].label.text().rstrip(" *")
            step = {"pathology": 2, "therapies": 4, "metastases": 5, "mdt.attendees": 7}[table]
            return step, f"{labels.row_label(row + 1)} · {name}: {problem.text()}"
        step = 7 if problem.path.startswith("mdt") else 6
        return step, f"{problem.path}: {problem.text()}"

    def focus_problem(self, number: int) -> QWidget | None:
        """Go to the field of problem `number` (the review's "to fix" list) and put the cursor in it."""
        import re

        from desktop_app.problems import widget_path_candidates

        if not 0 <= number < len(self.problems):
            return None
        path = self.problems[number].path
        step, _text = self._problem_line(self.problems[number])
        target: QWidget | None = None
        for index, page in enumerate(self.pages):
            row = next((page.group.rows[c] for c in widget_path_candidates(path) if c in page.group.rows), None)
            if row is not None:
                step, target = index, row.editor
                break
        match = re.match(r"^(pathology|therapies|metastases)\[(\d+)\]\.?(.*)$", path)
        if target is None and match:
            table, row_number, rest = match[1], int(match[2]), match[3] or ""
            page: Any = self.page(table)
            step = self._index(table)
            if table == "metastases" and row_number < len(page.cards):
                group = page.cards[row_number].group
            elif table != "metastases":
                page.rows.select_row(row_number)
                group = page.rows.group
            else:
                group = None
            key = next((c for c in widget_path_candidates(rest) if group is not None and c in group.rows), None)
            if key is None and group is not None and rest.split(".")[0] in ("bone", "liver", "lung", "pleura", "brain"):
                key = "organ"
            target = group.rows[key].editor if key is not None else None
        self.go_to(step)
        if target is None or not target.isVisibleTo(self.pages[step]):
            return self.focus_step()
        focus_target = focus.tab_stops(target)[0]
        focus_target.setFocus(Qt.FocusReason.OtherFocusReason)
        self.pages[step].ensureWidgetVisible(focus_target)
        return focus_target

    def first_step_with_problems(self) -> int | None:
        return next((i for i, count in enumerate(self._step_problems) if count), None)

    # -- helpers for the steps ---------------------------------------------------------------------
    def raw_row(self, table: str, case_index: int) -> int | None:
        rows = self.conversion.row_map.get(table, []) if self.conversion else []
        return rows[case_index] if 0 <= case_index < len(rows) else None

    def missing_reason(self, path: str) -> str:
        """Why the engine asks for this field (its missing-data prompt), in the UI language."""
        if self.evaluation is None:
            return ""
        lang = language.current_language()
        return "\n".join(a.text(lang) for a in self.evaluation.missing_data if a.key == path)

    def settled_case(self) -> Any:
        """The validated Case the form shows: evaluated again only when an edit still waits for the debounce
        (the report window's "is the preview stale?" check asks on every redraw)."""
        if self.timer.isActive() or not self.evaluated_once:
            self.evaluate_now()
        return self.case

    def case_for_save(self) -> Any:
        """The validated Case as the form shows it now (the chosen options are `mdt.decision.chosen_options`,
        a field of the form like any other), or None. Evaluated again only when an edit waits for the debounce."""
        return self.settled_case()

    def has_decision(self) -> bool:
        case = self.case
        decision = case.mdt.decision if case is not None and case.mdt else None
        return bool(decision and (decision.systemic or decision.local))
