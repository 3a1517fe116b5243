"""Step 8: the board's decision — options picked, agents, local plan, attendees, next assessment.

Why the deviation reason is required here and checked by the validator: a decision that does not
follow the guideline must say why, in the record. The step proposes 'follows the guideline' when an
option is checked and 'does not follow' when only other agents are entered, but the board can
change it; the validator, not this step, enforces the reason.
"""

from __future__ import annotations

from typing import Any

from desktop_app import focus, labels, language
from desktop_app.colours import tier_colours
from desktop_app.models.attendee_model import AttendeeModel
from desktop_app.problems import Problem
from desktop_app.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from desktop_app.steps.base import StepPage
from desktop_app.steps.review_step import action_name
from desktop_app.steps.rows_editor import ROW_PATH, ChoiceDelegate
from desktop_app.widgets.agent_picker import AgentPicker
from desktop_app.widgets.check_list import CheckList
from desktop_app.widgets.fields import ChoiceCombo, DateField, NotesField, TriCombo, not_given_label


class DecisionPage(StepPage):
    KEY = "decision"
    TITLE = QT_TRANSLATE_NOOP("DecisionPage", "8 · Decision")     # the step list names it before the page is built
    saveRequested = Signal()  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._evaluation: Any = None
        self._follows_touched = False
        self.options = CheckList(self.body)
        self.options.setObjectName("decision_options")
        self.options.edited.connect(self._options_edited)
        self.agents = AgentPicker()
        self.agents.edited.connect(self._agents_edited)
        self.class_hint = QLabel(self.body)
        self.class_hint.setProperty("role", "fieldInfo")
        self.class_hint.setWordWrap(True)
        self.local = CheckList()
        self.local.setObjectName("decision_local")
        self.follows = TriCombo()
        self.follows.edited.connect(self._follows_edited)
        f = self.field
        self.options_label = QLabel(self.body)
        self.options_label.setProperty("role", "fieldLabel")
        self.options_label.setBuddy(self.options)
        self.column.addWidget(self.options_label)
        self.column.addWidget(self.options)
        self.section(lambda: self.tr("Systemic treatment decided"), [
            f("mdt.decision.systemic", self.agents, lambda: self.tr("Agents (other agents: type to add)")),
            f("mdt.decision.follows_guideline", self.follows, lambda: self.tr("Follows the guideline")),
            self.class_hint,
            f("mdt.decision.deviation_reason_code", ChoiceCombo("deviation_reason_code", not_given_label),
              lambda: self.tr("Kind of deviation")),
            f("mdt.decision.deviation_reason", NotesField(), lambda: self.tr("Reason for not following the guideline"),
              hint=lambda: self.tr("Required when the decision does not follow the guideline")),
        ], columns=2, spans={2: 2, 4: 2})
        self.section(lambda: self.tr("Local treatment plan"), [
            f("mdt.decision.local", self.local, lambda: self.tr("Local-treatment actions (suggested ones in bold)")),
        ], columns=1)
        self.attendees = AttendeeModel(self)
        self.attendees.rowEdited.connect(lambda _row, _key: self.changed.emit())
        self.attendee_view = QTableView(self.body)
        self.attendee_view.setObjectName("table_attendees")
        self.attendee_view.setModel(self.attendees)
        self.attendee_view.setItemDelegate(ChoiceDelegate(self.attendee_view))
        self.attendee_view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                           | QAbstractItemView.EditTrigger.EditKeyPressed
                                           | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.attendee_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.attendee_view.setMinimumHeight(130)
        self.attendee_view.setTabKeyNavigation(False)
        self.add_attendee = QPushButton(self.body)
        self.add_attendee.setObjectName("add_attendee")
        self.add_attendee.clicked.connect(self._add_attendee)
        self.remove_attendee = QPushButton(self.body)
        self.remove_attendee.setObjectName("remove_attendee")
        self.remove_attendee.clicked.connect(self._remove_attendee)
        focus.out_of_tab_path(self.remove_attendee)
        self.attendee_problems = QLabel(self.body)
        self.attendee_problems.setProperty("role", "fieldError")
        self.attendee_problems.setVisible(False)
        holder = QWidget(self.body)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_attendee)
        buttons.addWidget(self.remove_attendee)
        buttons.addStretch(1)
        box.addWidget(self.attendee_view)
        box.addLayout(buttons)
        box.addWidget(self.attendee_problems)
        self.section(lambda: self.tr("Meeting"), [
            f("mdt.meeting_date", DateField(), lambda: self.tr("Meeting date")),
            f("mdt.decision.next_assessment_date", DateField(), lambda: self.tr("Next assessment")),
            holder,
            f("mdt.decision.notes", NotesField(), lambda: self.tr("Notes")),
        ], columns=2, spans={2: 2, 3: 2})
        self.save_button = QPushButton(self.body)
        self.save_button.setObjectName("save_button")
        self.save_button.setProperty("role", "primary")
        self.save_button.clicked.connect(self.saveRequested)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_button)
        self.column.addLayout(row)
        self.finish()
        self._built = True

    def title_text(self) -> str:
        return self.tr("8 · Decision")

    def subtitle_text(self) -> str:
        return self.tr("What did the board decide? Check the guideline options chosen, or enter other agents "
                       "with the reason for deviating.")

    def retranslate_extra(self) -> None:
        self.options_label.setText(self.tr("Guideline options chosen"))
        self.add_attendee.setText(self.tr("Add &attendee"))
        self.remove_attendee.setText(self.tr("Remove attendee"))
        self.save_button.setText(self.tr("&Save decision"))
        self.attendees.retranslate()
        self._fill_lists()
        self._update_required()

    # -- behaviour --------------------------------------------------------------------------------
    def _options_edited(self) -> None:
        from guideline_db.vocabulary import load_vocabulary

        vocabulary = load_vocabulary()
        chosen = [o for o in self._offered() if o.id in self.options.value()]
        for option in chosen:
            for component in option.components:
                if component in vocabulary.agent_tokens:
                    self.agents.add_token(component)
        if not self._follows_touched:
            self.follows.set_value("yes" if chosen else ("no" if self.agents.value() else ""))
        self._update_hint(chosen)
        self._update_required()
        self.changed.emit()

    def _agents_edited(self) -> None:
        if not self._follows_touched and not self.options.value():
            self.follows.set_value("no" if self.agents.value() else "")
            self.group.changed.emit("mdt.decision.follows_guideline")
        self._update_required()

    def _follows_edited(self) -> None:
        self._follows_touched = True
        self._update_required()

    def _update_required(self) -> None:
        row = self.group.rows["mdt.decision.deviation_reason"]
        row.required = self.follows.value() == "no"
        row.label.setText(row._label_fn() + (" *" if row.required else ""))

    def _update_hint(self, chosen: list[Any]) -> None:
        from guideline_db.vocabulary import load_vocabulary

        vocabulary, lang = load_vocabulary(), language.current_language()
        lines = []
        for option in chosen:
            for component in option.components:
                if component in vocabulary.class_agents and component not in vocabulary.agent_tokens:
                    agents = " / ".join(vocabulary.name(a, lang) for a in sorted(vocabulary.class_agents[component]))
                    lines.append(f"{vocabulary.name(component, lang)}: {agents}")
        text = self.tr("Choose the agents for: %1").replace("%1", "; ".join(dict.fromkeys(lines))) if lines else ""
        self.class_hint.setText(text)
        self.class_hint.setVisible(bool(text))

    def _offered(self) -> list[Any]:
        return list(self._evaluation.systemic) if self._evaluation is not None else []

    def _fill_lists(self) -> None:
        if not getattr(self, "_built", False):
            return          # filled by the first evaluation, not while the window is built (no vocabulary yet)
        from guideline_db.digest import tier_name

        lang = language.current_language()
        offered = self._offered()
        offered_ids = {i for o in offered for i in (o.id, *o.also_in)}
        self.options.set_items([
            (o.id, f"{tier_name(o.tier, lang)} · {o.label(lang)}  ({o.evidence or '—'})", tier_colours(o.tier)[0],
             o.tier == "preferred") for o in offered] + self._no_longer_offered(offered_ids, lang))
        suggested = [a for item in (self._evaluation.local if self._evaluation is not None else ()) for a in item.actions]
        from guideline_db.vocabulary import load_vocabulary

        others = sorted(load_vocabulary().local_action_tokens - set(suggested))
        self.local.set_items([(a, action_name(a, lang), None, True) for a in dict.fromkeys(suggested)]
                             + [(a, action_name(a, lang), None, False) for a in others])
        self._update_hint([o for o in self._offered() if o.id in self.options.value()])

    def _no_longer_offered(self, offered_ids: set[str], lang: str) -> list[tuple[str, str, str | None, bool]]:
        """A chosen option the case no longer offers stays checked, named by its guideline row (never its id)."""
        from guideline_db.database import open_guideline

        rows = open_guideline().by_key("regimen_options", "id")
        note = self.tr("not offered for the case as it is now")
        return [(i, f"{rows.get(i, {}).get(f'label_{lang}') or i}  ({note})", "#64748b", False)
                for i in self.options.value() if i not in offered_ids]

    def _add_attendee(self) -> None:
        row = self.attendees.append_row()
        index = self.attendees.index(row, 0)
        self.attendee_view.setCurrentIndex(index)
        self.attendee_view.setFocus()
        self.attendee_view.edit(index)
        self.changed.emit()

    def add_row(self) -> None:
        self._add_attendee()

    def _remove_attendee(self) -> None:
        index = self.attendee_view.currentIndex()
        if index.isValid():
            row = index.row()
            content = self.attendees.rows()[row]
            self.attendees.remove_row(row)
            self.changed.emit()
            self.removed.emit(self.tr("Attendee %1").replace("%1", str(row + 1)),
                              lambda: self._restore_attendee(row, content))

    def _restore_attendee(self, row: int, content: dict[str, Any]) -> None:
        position = self.attendees.append_row(content, row)
        self.attendee_view.setCurrentIndex(self.attendees.index(position, 0))
        self.attendee_view.setFocus()
        self.changed.emit()

    def chain_widgets(self) -> list[QWidget]:
        """Visual order: options, agents, follows, reason, local plan, the two dates, attendees, notes, Save."""
        rows = self.group.rows
        editors = [rows[p].editor for p in ("mdt.decision.follows_guideline", "mdt.decision.deviation_reason_code",
                                            "mdt.decision.deviation_reason",
                                            "mdt.decision.local", "mdt.meeting_date",
                                            "mdt.decision.next_assessment_date")]
        return [self.options, self.agents.line, *editors, self.attendee_view, self.add_attendee,
                rows["mdt.decision.notes"].editor, self.save_button]

    # -- state -----------------------------------------------------------------------------------
    def state_into(self, state: dict[str, Any]) -> None:
        super().state_into(state)
        state["rows"]["mdt.attendees"] = self.attendees.rows()
        state["fields"]["mdt.decision.chosen_options"] = self.options.value()   # the case format's field
        state["extra"]["follows_touched"] = self._follows_touched

    def load_state(self, state: dict[str, Any]) -> None:
        super().load_state(state)
        self.attendees.set_rows(state.get("rows", {}).get("mdt.attendees", []))
        extra = state.get("extra", {})
        chosen = state.get("fields", {}).get("mdt.decision.chosen_options") or extra.get("chosen_options") or []
        self.options.set_value(list(chosen))
        self._follows_touched = bool(extra.get("follows_touched", state.get("fields", {}).get(
            "mdt.decision.follows_guideline")))
        self._update_required()

    def show_problems(self, problems: list[Problem]) -> set[int]:
        claimed = super().show_problems(problems)
        cells: dict[tuple[int, str], list[str]] = {}
        lines = []
        for i, problem in enumerate(problems):
            match = ROW_PATH.match(problem.path)
            if match and match["table"] == "mdt.attendees":
                key = (match["rest"] or "name").split(".")[0]
                cells.setdefault((int(match["row"]), key), []).append(problem.text())
                lines.append(f"{labels.row_label(int(match['row']) + 1)}: {problem.text()}")
                claimed.add(i)
        self.attendees.set_problems(cells)
        self.attendee_problems.setText("\n".join(lines))
        self.attendee_problems.setVisible(bool(lines))
        return claimed

    def show_evaluation(self, evaluation: Any, context: Any) -> None:
        # while the case is briefly invalid, the options of this case's last valid evaluation stay listed
        # (the editor resets that on New/Open, so another patient's options never show here)
        self._evaluation = evaluation if evaluation is not None else getattr(context, "last_valid", None)
        if getattr(context, "evaluated_once", True):     # not while a lazily started window is being built
            self._fill_lists()
