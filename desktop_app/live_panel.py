"""The panel beside every step: the key derived facts and the current top options, live as one types.

Why: the board sees at once what a change means (a specimen date that makes the metastasis the
receptor source, a progression date that turns 'secondary' into 'primary' resistance) without
leaving the step. It shows the engine's output only; it computes nothing.
"""

from __future__ import annotations

from typing import Any

from desktop_app import language
from desktop_app.qt import QFrame, QGridLayout, QLabel, QScrollArea, QSizePolicy, Qt, QVBoxLayout, QWidget
from desktop_app.widgets.fields import LanguageAware, repolish

KEY_FACTS = ("subtype", "her2_status", "treatment_menopausal_status", "advanced_line", "endocrine_status",
             "visceral_crisis", "oligometastatic", "pdl1_positive")
MAX_OPTIONS = 4
SHOWN = frozenset({"facts", "systemic", "warnings", "missing"})
"""Digest sections the panel draws from (`SectionKey` values): of the facts only KEY_FACTS, of the options
the first MAX_OPTIONS, of warnings and missing data the counts (with the gravest warning's marker). It leaves
out the rest (withheld, local, supportive, assessment, principles, decision): the review shows them."""


def _part(digest: Any, key: str) -> tuple[Any, ...]:
    """The items of a digest section the panel draws from (one of SHOWN)."""
    if key not in SHOWN:
        raise ValueError(f"the live panel leaves out the {key} section")
    return digest.section(key).items


class LivePanel(LanguageAware, QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("live_panel")
        self.setProperty("role", "panel")
        self._fit_width()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)     # read-only panel: never a Tab stop beside the form
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget(scroll)
        content.setObjectName("live_content")
        scroll.setWidget(content)
        outer.addWidget(scroll)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(12, 10, 10, 10)
        self.heading = QLabel(content)
        self.heading.setProperty("role", "panelTitle")
        self.status = QLabel(content)
        self.status.setObjectName("live_status")
        self.status.setWordWrap(True)
        self.status.setProperty("role", "status")
        layout.addWidget(self.heading)
        layout.addWidget(self.status)
        self.facts = QGridLayout()
        self.facts.setHorizontalSpacing(10)
        self.fact_names: dict[str, QLabel] = {}
        self.fact_values: dict[str, QLabel] = {}
        for row, name in enumerate(KEY_FACTS):
            key, value = QLabel(content), QLabel(content)
            key.setProperty("role", "factName")
            key.setWordWrap(True)
            value.setProperty("role", "factValue")
            value.setObjectName(f"live_{name}")
            value.setWordWrap(True)
            self.facts.addWidget(key, row, 0)
            self.facts.addWidget(value, row, 1)
            self.fact_names[name], self.fact_values[name] = key, value
        self.facts.setColumnStretch(1, 1)
        layout.addLayout(self.facts)
        self.options_heading = QLabel(content)
        self.options_heading.setProperty("role", "panelTitle")
        layout.addWidget(self.options_heading)
        self.options_box = QVBoxLayout()
        self.options_box.setSpacing(4)
        layout.addLayout(self.options_box)
        self.counts = QLabel(content)
        self.counts.setObjectName("live_counts")
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)
        layout.addStretch(1)
        self.content = content
        self._evaluation: Any = None
        self._problem_count = 0
        self.retranslate()

    def _fit_width(self) -> None:
        """About 18 line-heights wide: follows the projector zoom, which changes the font."""
        width = self.fontMetrics().height() * 18
        self.setMinimumWidth(width)
        self.setMaximumWidth(width + width // 10)

    def changeEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        from desktop_app.qt import QEvent

        if event.type() == QEvent.Type.FontChange:
            self._fit_width()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Live evaluation"))
        self.options_heading.setText(self.tr("Top options"))
        from desktop_app import labels
        from desktop_app.widgets.fields import ChoiceCombo

        for name, label in self.fact_names.items():        # named after the first paint of a lazy start
            label.setText("" if ChoiceCombo.names_deferred() else labels.fact_name(name))
        self._render()

    def show_evaluation(self, evaluation: Any, problem_count: int) -> None:
        self._evaluation, self._problem_count = evaluation, problem_count
        self._render()

    def option_labels(self) -> list[str]:
        return [w.text() for i in range(self.options_box.count())
                if (w := self.options_box.itemAt(i).widget()) is not None and w.property("role") == "option"]

    def _render(self) -> None:
        evaluation, lang = self._evaluation, language.current_language()
        if self._problem_count:
            text = self.tr("%n field(s) need attention", "", self._problem_count)
            if evaluation is not None:
                text += "\n" + self.tr("Showing the last valid evaluation")
            self.status.setText(text)
        elif evaluation is None:
            self.status.setText(self.tr("Enter the case to see the evaluation"))
        else:
            self.status.setText(self.tr("Case is valid"))
        self.status.setProperty("state", "bad" if self._problem_count else "ok")
        repolish(self.status)
        while self.options_box.count():
            item = self.options_box.takeAt(0)
            if item.widget():
                item.widget().hide()          # deleteLater acts later: do not paint the old label meanwhile
                item.widget().deleteLater()
        if evaluation is None:                # (the digest is not even imported before the first evaluation)
            for label in self.fact_values.values():
                label.setText("—")
                label.setToolTip("")
            self.counts.setText("")
            self.counts.setStyleSheet("")
            return
        from desktop_app import colours
        from desktop_app.digest_view import digest_of
        from guideline_db.digest import SectionKey, tier_name

        shown = digest_of(evaluation, None, lang)
        facts = {item.ref: item for item in _part(shown, SectionKey.FACTS)}
        for name, label in self.fact_values.items():
            item = facts.get(name)
            label.setText(item.value if item else "—")
            label.setToolTip(" ".join(d.strip() for d in item.details) if item else "")
        options = _part(shown, SectionKey.SYSTEMIC)
        for option in options[:MAX_OPTIONS]:
            label = QLabel(option.name, self.content)
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
            label.setProperty("role", "option")
            label.setProperty("tier", str(option.tier))
            label.setToolTip(f"{tier_name(str(option.tier), lang)} · {option.value}")
            self.options_box.addWidget(label)
        if not options:
            self.options_box.addWidget(QLabel(self.tr("No systemic option applies"), self.content))
        elif len(options) > MAX_OPTIONS:
            more = QLabel(self.tr("… and %1 more (step 7)").replace("%1", str(len(options) - MAX_OPTIONS)),
                          self.content)
            more.setProperty("role", "factName")
            self.options_box.addWidget(more)
        warnings = _part(shown, SectionKey.WARNINGS)
        text = (self.tr("Warnings: %1 · Missing data: %2").replace("%1", str(len(warnings)))
                .replace("%2", str(len(_part(shown, SectionKey.MISSING)))))
        gravest = warnings[0] if warnings else None            # the digest lists the gravest first
        self.counts.setText(f"{gravest.marker}  {text}" if gravest else text)
        fg, bg = colours.severity_colours(gravest.severity if gravest else None)
        self.counts.setStyleSheet(f"color: {fg}; background: {bg}; padding: 2px 4px;" if gravest else "")
