"""Step 6: metastatic sites, each with the sub-form its organ needs, and the board's context judgements.

Why cards rather than a table: bone, brain, liver, lung and pleura each ask different questions
(cord compression, mass effect, bilirubin, oxygen at rest, drainage...). A card shows the common
fields and only the sub-form of its organ; the answers of a sub-form stay in the raw state if the
organ is changed back and forth, so nothing typed is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from desktop_app import focus
from desktop_app.form_schema import ORGAN_DETAILS, blank_row
from desktop_app.problems import Problem, widget_path_candidates
from desktop_app.qt import (
    QT_TRANSLATE_NOOP,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from desktop_app.steps.base import StepPage
from desktop_app.widgets.fields import (
    ChoiceCombo,
    FieldGroup,
    FieldRow,
    LanguageAware,
    MultiChoice,
    NumberField,
    TriCombo,
    not_given_label,
    place_field,
    place_fields,
)

ROW_PATH = re.compile(r"^metastases\[(\d+)\](?:\.(.+))?$")


class SiteCard(LanguageAware, QGroupBox):
    """One organ site: organ, lesion count, size, symptoms, and the organ's own sub-form."""

    changed = Signal()
    removeRequested = Signal(object)  # noqa: N815

    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = number
        self.setProperty("role", "card")
        self.group = FieldGroup(self)
        self.group.changed.connect(self._edited)
        self._extra: dict[str, Any] = {}
        layout = QVBoxLayout(self)
        top = QGridLayout()
        self.organ = ChoiceCombo("organ", not_given_label)
        common = [
            self._row("organ", self.organ, lambda: self.tr("Organ"), True),
            self._row("lesion_count", NumberField(), lambda: self.tr("Number of lesions")),
            self._row("max_diameter_cm", NumberField(), lambda: self.tr("Largest lesion (cm)")),
            self._row("symptomatic", TriCombo(), lambda: self.tr("Symptomatic")),
        ]
        top.setVerticalSpacing(3)
        top.setHorizontalSpacing(14)
        for i, row in enumerate(common):
            place_field(top, row, 0, i)
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName(f"remove_site_{number}")
        self.remove_button.clicked.connect(lambda: self.removeRequested.emit(self))
        focus.out_of_tab_path(self.remove_button)   # destructive: clickable and undoable (Ctrl+Z), not a Tab stop
        top.addWidget(self.remove_button, 1, 4)
        layout.addLayout(top)
        self.subforms: dict[str, QWidget] = {}
        specs: dict[str, list[tuple[str, QWidget, Callable[[], str]]]] = {
            "bone": [
                ("bone.locations", MultiChoice("bone_location"), lambda: self.tr("Locations")),
                ("bone.lesion_type", ChoiceCombo("lesion_type", not_given_label), lambda: self.tr("Lesion type")),
                ("bone.pain", TriCombo(), lambda: self.tr("Bone pain")),
                ("bone.pathological_fracture", TriCombo(), lambda: self.tr("Pathological fracture")),
                ("bone.impending_fracture", TriCombo(), lambda: self.tr("Impending fracture")),
                ("bone.spinal_cord_compression", TriCombo(), lambda: self.tr("Spinal cord compression")),
                ("bone.hypercalcemia", TriCombo(), lambda: self.tr("Hypercalcaemia")),
                ("bone.extensive_marrow_involvement", TriCombo(), lambda: self.tr("Extensive marrow involvement")),
            ],
            "liver": [
                ("liver.diffuse", TriCombo(), lambda: self.tr("Diffuse liver metastases")),
                ("liver.bilirubin_x_uln", NumberField("× ULN"), lambda: self.tr("Bilirubin (× ULN)")),
                ("liver.biliary_obstruction", TriCombo(), lambda: self.tr("Biliary obstruction")),
            ],
            "lung": [
                ("lung.lymphangitic_spread", TriCombo(), lambda: self.tr("Lymphangitic spread")),
                ("lung.oxygen_at_rest", TriCombo(), lambda: self.tr("Needs oxygen at rest")),
            ],
            "pleura": [
                ("pleura.effusion", TriCombo(), lambda: self.tr("Effusion")),
                ("pleura.dyspnea_at_rest", TriCombo(), lambda: self.tr("Dyspnoea at rest")),
                ("pleura.relieved_by_drainage", TriCombo(), lambda: self.tr("Relieved by drainage")),
            ],
            "brain": [
                ("brain.total_volume_ml", NumberField("ml"), lambda: self.tr("Total volume (ml)")),
                ("brain.mass_effect", TriCombo(), lambda: self.tr("Mass effect")),
                ("brain.hippocampus_involved", TriCombo(), lambda: self.tr("Hippocampus involved")),
                ("brain.leptomeningeal", TriCombo(), lambda: self.tr("Leptomeningeal disease")),
                ("brain.diffuse", TriCombo(), lambda: self.tr("Diffuse")),
                ("brain.resectable", TriCombo(), lambda: self.tr("Resectable")),
                ("brain.prior_brain_radiotherapy", TriCombo(), lambda: self.tr("Prior brain radiotherapy")),
            ],
        }
        for organ, fields in specs.items():
            holder = QWidget(self)
            holder.setObjectName(f"subform_{organ}")
            grid = QGridLayout(holder)
            grid.setContentsMargins(0, 4, 0, 0)
            grid.setVerticalSpacing(3)
            grid.setHorizontalSpacing(14)
            rows = [self._row(key, editor, label) for key, editor, label in fields]
            place_fields(grid, rows, 4, {0: 4} if organ == "bone" else None)
            self.subforms[organ] = holder
            layout.addWidget(holder)
        self._show_subform()
        self.retranslate()

    def _row(self, key: str, editor: QWidget, label: Callable[[], str], required: bool = False) -> FieldRow:
        return self.group.add(FieldRow(key, editor, label, required, parent=self))

    def _edited(self, key: str) -> None:
        if key == "organ":
            self._show_subform()
        self.changed.emit()

    def _show_subform(self) -> None:
        organ = self.organ.value()
        for name, holder in self.subforms.items():
            holder.setVisible(name == organ)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Site %1").replace("%1", str(self.number)))
        self.remove_button.setText(self.tr("Remove site"))
        self.group.retranslate()

    def values(self) -> dict[str, Any]:
        return {**self._extra, **self.group.values()}

    def set_values(self, row: dict[str, Any]) -> None:
        self._extra = {k: v for k, v in row.items() if k not in self.group.rows}
        self.group.set_values({**blank_row("metastases"), **row})
        self._show_subform()

    def field(self, key: str) -> FieldRow:
        return self.group.rows[key]

    def chain_widgets(self) -> list[QWidget]:
        """The common fields, then every organ's sub-form (only the shown one is reachable)."""
        return [w for row in self.group.rows.values() for w in focus.tab_stops(row.editor)]


class MetastasesPage(StepPage):
    KEY = "metastases"
    TITLE = QT_TRANSLATE_NOOP("MetastasesPage", "6 · Metastases and context")     # the step list names it before the page is built

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards: list[SiteCard] = []
        self.cards_box = QVBoxLayout()
        self.column.addLayout(self.cards_box)
        self.add_button = QPushButton(self.body)
        self.add_button.setObjectName("add_metastases")
        self.add_button.clicked.connect(self.add_site)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        self.column.addLayout(row)
        f = self.field
        self.section(lambda: self.tr("The board's judgement"), [
            f("context.expected_survival_months", NumberField(), lambda: self.tr("Expected survival (months)")),
            f("context.extracranial_disease_controlled", TriCombo(), lambda: self.tr("Extracranial disease controlled")),
            f("context.effective_systemic_options", TriCombo(), lambda: self.tr("Effective systemic therapy available")),
            f("context.rapid_progression", TriCombo(), lambda: self.tr("Rapid progression / needs fast response")),
            f("context.strong_er_expression", TriCombo(), lambda: self.tr("Strong ER expression")),
            f("context.long_term_remission_months", NumberField(), lambda: self.tr("Long-term remission so far (months)")),
        ])
        self.section(lambda: self.tr("Before local or bone-directed treatment"), [
            f("context.dental_exam_done", TriCombo(), lambda: self.tr("Dental examination done")),
            f("context.invasive_dental_procedure_planned", TriCombo(), lambda: self.tr("Invasive dental procedure planned")),
            f("context.prior_breast_or_chest_wall_radiotherapy", TriCombo(),
              lambda: self.tr("Prior breast / chest-wall radiotherapy")),
            f("context.prior_axillary_surgery", ChoiceCombo("axillary_surgery", not_given_label),
              lambda: self.tr("Prior axillary surgery")),
        ])
        self.finish()

    def title_text(self) -> str:
        return self.tr("6 · Metastases and context")

    def subtitle_text(self) -> str:
        return self.tr("One card per organ site, with the questions that organ raises; then the board's judgements.")

    def retranslate_extra(self) -> None:
        self.add_button.setText(self.tr("&Add metastatic site"))

    # -- cards ------------------------------------------------------------------------------------
    def add_site(self, row: dict[str, Any] | None = None, emit: bool = True) -> SiteCard:
        card = SiteCard(len(self.cards) + 1, self.body)
        card.changed.connect(self.changed)
        card.removeRequested.connect(self.remove_site)
        if row:
            card.set_values(row)
        self.cards.append(card)
        self.cards_box.addWidget(card)
        self.apply_tab_order()
        if emit:
            card.organ.setFocus()
            self.changed.emit()
        return card

    def chain_widgets(self) -> list[QWidget]:
        cards = getattr(self, "cards", [])
        fields = super().chain_widgets()
        return [w for card in cards for w in card.chain_widgets()] + [self.add_button] + fields

    def add_row(self) -> None:
        self.add_site()

    def remove_site(self, card: SiteCard) -> None:
        position = self.cards.index(card)
        content = card.values()
        rows = [c.values() for c in self.cards if c is not card]
        self._rebuild(rows)
        self.changed.emit()
        self.removed.emit(self.tr("Site %1").replace("%1", str(position + 1)),
                          lambda: self.restore_site(position, content))
        target = self.cards[min(position, len(self.cards) - 1)].organ if self.cards else self.add_button
        target.setFocus()

    def restore_site(self, position: int, content: dict[str, Any]) -> None:
        rows = [c.values() for c in self.cards]
        rows.insert(min(position, len(rows)), content)
        self._rebuild(rows)
        self.changed.emit()
        self.cards[min(position, len(self.cards) - 1)].organ.setFocus()

    def _rebuild(self, rows: list[dict[str, Any]]) -> None:
        for card in self.cards:
            card.setParent(None)
            card.deleteLater()
        self.cards = []
        for row in rows:
            self.add_site(row, emit=False)
        self.apply_tab_order()

    # -- state ------------------------------------------------------------------------------------
    def state_into(self, state: dict[str, Any]) -> None:
        super().state_into(state)
        state["rows"]["metastases"] = [card.values() for card in self.cards]

    def load_state(self, state: dict[str, Any]) -> None:
        super().load_state(state)
        self._rebuild(state.get("rows", {}).get("metastases", []))

    def show_problems(self, problems: list[Problem]) -> set[int]:
        claimed = super().show_problems(problems)
        per_card: dict[int, dict[str, list[str]]] = {}
        for i, problem in enumerate(problems):
            match = ROW_PATH.match(problem.path)
            if not match or int(match[1]) >= len(self.cards):
                continue
            card = self.cards[int(match[1])]
            rest = match[2] or "organ"
            key = next((c for c in widget_path_candidates(rest) if c in card.group.rows), None)
            if key is None and rest.split(".")[0] in ORGAN_DETAILS:
                key = "organ"
            if key is not None:
                per_card.setdefault(int(match[1]), {}).setdefault(key, []).append(problem.text())
                claimed.add(i)
        for number, card in enumerate(self.cards):
            card.group.show_problems(per_card.get(number, {}))
        return claimed
