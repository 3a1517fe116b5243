"""Steps 3 and 5: pathology specimens and the treatment history, each a table with a row form."""

from __future__ import annotations

from typing import Any

from desktop_app import labels, language
from desktop_app.models.pathology_model import PathologyModel
from desktop_app.models.therapy_model import TherapyModel
from desktop_app.problems import Problem
from desktop_app.qt import QT_TRANSLATE_NOOP, QFrame, QLabel, QVBoxLayout, QWidget
from desktop_app.steps.base import StepPage
from desktop_app.steps.rows_editor import RowsEditor
from desktop_app.widgets.agent_picker import AgentPicker
from desktop_app.widgets.fields import (
    ChoiceCombo,
    DateField,
    FieldRow,
    NumberField,
    TextField,
    TriCombo,
    not_given_label,
    repolish,
)


class RowsPage(StepPage):
    """A step whose content is one RowsEditor (plus whatever the subclass adds)."""

    rows: RowsEditor

    def state_into(self, state: dict[str, Any]) -> None:
        state["rows"][self.rows.model.TABLE] = self.rows.model.rows()

    def load_state(self, state: dict[str, Any]) -> None:
        self.rows.model.set_rows(state.get("rows", {}).get(self.rows.model.TABLE, []))

    def show_problems(self, problems: list[Problem]) -> set[int]:
        return self.rows.show_problems(problems)

    def retranslate_extra(self) -> None:
        self.rows.retranslate()

    def chain_widgets(self) -> list[QWidget]:
        return self.rows.chain_widgets()

    def add_row(self) -> None:
        self.rows.add_row()

    def first_field(self, first_problem: bool = True) -> QWidget | None:
        """With no row yet, Add; else the first field (with a problem) of the selected row."""
        if self.rows.current_row() is None:
            return self.rows.add_button
        from desktop_app.focus import has_problem

        fields = [w for w in self.tab_chain() if w not in (self.rows.view, self.rows.add_button)]
        problem = next((w for w in fields if has_problem(w)), None) if first_problem else None
        return problem or (fields[0] if fields else self.rows.add_button)


class PathologyPage(RowsPage):
    KEY = "pathology"
    TITLE = QT_TRANSLATE_NOOP("PathologyPage", "3 · Pathology")     # the step list names it before the page is built

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = PathologyModel(self)
        self.rows = RowsEditor(self.model, lambda: self.tr("&Add specimen"), lambda: self.tr("Remove specimen"),
                               lambda: self.tr("Specimen"), self.body)
        r = self.rows
        r.add_field(FieldRow("specimen", ChoiceCombo("specimen", not_given_label), lambda: self.tr("Specimen"), True))
        r.add_field(FieldRow("site", TextField(), lambda: self.tr("Site / procedure")), span=2)
        r.add_field(FieldRow("date", DateField(), lambda: self.tr("Date")))
        r.add_field(FieldRow("er_percent", NumberField("0-100"), lambda: self.tr("ER %")))
        r.add_field(FieldRow("pr_percent", NumberField("0-100"), lambda: self.tr("PR %")))
        r.add_field(FieldRow("ki67_percent", NumberField("0-100"), lambda: self.tr("Ki-67 %")))
        r.add_field(FieldRow("decalcified", TriCombo(), lambda: self.tr("Decalcified (bone)"),
                             hint=lambda: self.tr("Receptor results after decalcification are less reliable")))
        r.add_field(FieldRow("her2_ihc", ChoiceCombo("her2_ihc", not_given_label), lambda: self.tr("HER-2 IHC")))
        r.add_field(FieldRow("her2_ish", ChoiceCombo("her2_ish", not_given_label), lambda: self.tr("HER-2 ISH")))
        r.changed.connect(self.changed)
        r.removed.connect(self.removed)
        self.column.addWidget(self.rows)
        self.receptors = QFrame(self.body)
        self.receptors.setProperty("role", "infoBox")
        box = QVBoxLayout(self.receptors)
        self.source_label = QLabel(self.receptors)
        self.source_label.setWordWrap(True)
        self.source_label.setObjectName("receptor_source")
        self.discordance_label = QLabel(self.receptors)
        self.discordance_label.setWordWrap(True)
        self.discordance_label.setObjectName("receptor_discordance")
        box.addWidget(self.source_label)
        box.addWidget(self.discordance_label)
        self.column.addWidget(self.receptors)
        self._evaluation: Any = None
        self._context: Any = None
        self.finish()

    def title_text(self) -> str:
        return self.tr("3 · Pathology")

    def subtitle_text(self) -> str:
        return self.tr("Every biopsy or resection, newest last. The newest metastasis or recurrence specimen "
                       "decides the treatment; the row used is shaded green.")

    def retranslate_extra(self) -> None:
        super().retranslate_extra()
        self._show_receptors()

    def show_evaluation(self, evaluation: Any, context: Any) -> None:
        self._evaluation, self._context = evaluation, context
        self._show_receptors()

    def _show_receptors(self) -> None:
        evaluation, lang = self._evaluation, language.current_language()
        if evaluation is None:
            self.model.set_highlight(None)
            self.source_label.setText(self.tr("Receptors used: shown when the case is valid."))
            self.discordance_label.setText("")
            return
        source = evaluation.facts["receptor_source"]
        index = source.inputs.get("specimen_index")
        raw_row = self._context.raw_row("pathology", index) if index is not None else None
        self.model.set_highlight(raw_row)
        where = f" ({labels.row_label(raw_row + 1)})" if raw_row is not None else ""
        self.source_label.setText(self.tr("Receptors used: %1").replace(
            "%1", labels.fact_value("receptor_source", source.value) + where) + "\n" + source.explanation(lang))
        discordance = evaluation.facts["receptor_discordance"]
        flag = self.tr("Discordance: yes") if discordance.value else self.tr("Discordance: no")
        self.discordance_label.setText(f"{flag} — {discordance.explanation(lang)}")
        self.discordance_label.setProperty("flag", bool(discordance.value))
        repolish(self.discordance_label)


class TherapiesPage(RowsPage):
    KEY = "therapies"
    TITLE = QT_TRANSLATE_NOOP("TherapiesPage", "5 · Treatment history")     # the step list names it before the page is built

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TherapyModel(self)
        self.rows = RowsEditor(self.model, lambda: self.tr("&Add therapy"), lambda: self.tr("Remove therapy"),
                               lambda: self.tr("Therapy"), self.body)
        r = self.rows
        r.add_field(FieldRow("setting", ChoiceCombo("setting", not_given_label), lambda: self.tr("Setting"), True))
        r.add_field(FieldRow("line", NumberField(), lambda: self.tr("Advanced line"),
                             hint=lambda: self.tr("Only for advanced-disease therapy: 1, 2, 3 ...")))
        r.add_field(FieldRow("start", DateField(), lambda: self.tr("Start"), True))
        r.add_field(FieldRow("end", DateField(), lambda: self.tr("End"), hint=lambda: self.tr("Empty while ongoing")))
        self.agents = AgentPicker()
        r.add_field(FieldRow("agents", self.agents, lambda: self.tr("Agents"), True), span=4)
        r.add_field(FieldRow("stop_reason", ChoiceCombo("stop_reason", not_given_label), lambda: self.tr("Stop reason")))
        r.add_field(FieldRow("progression_date", DateField(), lambda: self.tr("Progression date"),
                             hint=lambda: self.tr("When disease progressed on or after this therapy")))
        r.add_field(FieldRow("best_response", ChoiceCombo("best_response", not_given_label),
                             lambda: self.tr("Best response")))
        r.changed.connect(self.changed)
        r.removed.connect(self.removed)
        self.column.addWidget(self.rows)
        self.history = QFrame(self.body)
        self.history.setProperty("role", "infoBox")
        self.history_label = QLabel(self.history)
        self.history_label.setObjectName("history_facts")
        self.history_label.setWordWrap(True)
        QVBoxLayout(self.history).addWidget(self.history_label)
        self.column.addWidget(self.history)
        self._evaluation: Any = None
        self.finish()

    def retranslate_extra(self) -> None:
        super().retranslate_extra()
        self._show_history()

    def show_evaluation(self, evaluation: Any, context: Any) -> None:
        self._evaluation = evaluation
        self._show_history()

    def _show_history(self) -> None:
        """What the engine read from this history: the line being decided and the endocrine status."""
        evaluation, lang = self._evaluation, language.current_language()
        if evaluation is None:
            self.history_label.setText(self.tr("The line and endocrine status are shown when the case is valid."))
            return
        from desktop_app.digest_view import digest_of
        from guideline_db.digest import SectionKey

        facts = {i.ref: i for i in digest_of(evaluation, None, lang).section(SectionKey.FACTS).items}   # the digest's
        raw = {**evaluation.facts, **evaluation.extra_facts}
        names = ("advanced_line", "endocrine_status", "prior_cdk4_6_inhibitor", "trastuzumab_free_interval_months",
                 "her2_treatment_line")
        lines = [f"{labels.cap(facts[n].name)}{labels.colon()}{facts[n].value} — {' '.join(d.strip() for d in facts[n].details)}"
                 for n in names if n in facts and (raw[n].value is not None or n == "advanced_line")]
        self.history_label.setText("\n".join(lines))

    def title_text(self) -> str:
        return self.tr("5 · Treatment history")

    def subtitle_text(self) -> str:
        return self.tr("Every systemic treatment ever given, in any order. Type drug names in Chinese or English.")
