"""Step 7: the evaluation as the board reviews it, each line openable to show its guideline basis.

Why rich text rather than a tree: explanations, labels and reasons are sentences that must wrap
and stay readable on a projector; tier colours mark the options. Every line is a link: a click, or
Tab to it and Enter, shows its basis in the pane beside (condition, note, tier and evidence
definitions, trial figures, the chapter's principles); F3 or the button opens that basis larger.
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from typing import Any

from desktop_app import basis, colours, labels, language
from desktop_app.problems import Problem
from desktop_app.qt import (
    QT_TRANSLATE_NOOP,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    Qt,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from desktop_app.steps.base import StepPage

OMITS: frozenset[Any] = frozenset()
"""Digest sections the review leaves out (`guideline_db.digest.SectionKey`): none — the board reviews all of it."""
ORDER = ("warnings", "systemic", "withheld", "local", "missing", "facts", "supportive", "assessment", "principles",
         "decision")
"""The review's order of the digest's sections (`SectionKey` values): warnings (gravest first) and the options
the board decides between come first — Tab reaches the first option after the warnings, not after 17 derived
facts (issue 13); the facts behind them follow, each still a line with its basis."""


@dataclass(frozen=True)
class Line:
    """One openable line of the review: its kind and the engine object it shows."""
    key: str
    kind: str          # fact | option | withheld | local | advisory | tier
    payload: Any
    title: str = ""


def _e(text: Any) -> str:
    return html.escape(str(text))


def _basis(item: Any) -> str:
    """' [Table 8, section 5.2.1]' after a line, nothing when the digest gives no basis."""
    return f" <span class='sec'>[{_e(item.basis)}]</span>" if item.basis else ""


class ReviewBrowser(QTextBrowser):
    """The review list: links are reachable with Tab, Enter opens the focused one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setTabChangesFocus(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)


class ReviewPage(StepPage):
    KEY = "review"
    TITLE = QT_TRANSLATE_NOOP("ReviewPage", "7 · Review")     # the step list names it before the page is built

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.banner = QLabel(self.body)
        self.banner.setProperty("role", "banner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.banner.setObjectName("review_banner")
        self.column.addWidget(self.banner)
        self.why_label = QLabel(self.body)
        self.why_label.setProperty("role", "fieldLabel")
        self.why_input = QLineEdit(self.body)
        self.why_input.setObjectName("why_not_input")
        self.why_input.returnPressed.connect(self.ask_why_not)
        self.why_label.setBuddy(self.why_input)
        why_row = QHBoxLayout()
        why_row.addWidget(self.why_label)
        why_row.addWidget(self.why_input, 1)
        self.column.addLayout(why_row)
        self.why_result = QLabel(self.body)
        self.why_result.setObjectName("why_not_result")
        self.why_result.setWordWrap(True)
        self.why_result.setTextFormat(Qt.TextFormat.RichText)
        self.why_result.setVisible(False)
        self.column.addWidget(self.why_result)
        self.view = ReviewBrowser(self.body)
        self.view.setObjectName("review_view")
        self.details = QTextBrowser(self.body)
        self.details.setObjectName("review_details")
        self.details.setOpenLinks(False)
        self.open_button = QPushButton(self.body)
        self.open_button.setObjectName("open_basis")
        self.open_button.clicked.connect(lambda: self.open_details())
        right = QWidget(self.body)
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        self.details_title = QLabel(right)
        self.details_title.setProperty("role", "panelTitle")
        right_box.addWidget(self.details_title)
        right_box.addWidget(self.details, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        right_box.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal, self.body)
        splitter.addWidget(self.view)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setMinimumHeight(480)
        from desktop_app.widgets.timeline_view import TimelineView  # issue 17: the case's timeline

        self.timeline = TimelineView(self.body)
        self.timeline.setObjectName("review_timeline")
        self.column.addWidget(self.timeline)
        self.column.addWidget(splitter, 1)
        self.view.anchorClicked.connect(lambda url: self.select(url.toString()))
        self.lines: dict[str, Line] = {}
        self.current_key: str | None = None
        self.displayed_facts: dict[str, str] = {}
        self.displayed_options: list[tuple[str, str]] = []
        self._evaluation: Any = None
        self._problems: list[Problem] = []
        self._problem_lines: list[tuple[int, str]] = []
        self.view.anchorClicked.connect(self._jump)
        self.finish()
        self.column.takeAt(self.column.count() - 1)   # no trailing stretch: the splitter takes the height

    def chain_widgets(self) -> list[QWidget]:
        return [self.why_input, self.view, self.details, self.open_button]

    def ask_why_not(self) -> list[Any]:
        """"Why isn't … offered?": the engine's answer (guideline_db.engine.why_not) for the typed drug or
        class, one line per guideline row: offered, withheld and why, or the first condition that failed."""
        from guideline_db.engine import resolve_token, why_not

        text, lang = self.why_input.text().strip(), language.current_language()
        steps = getattr(self, "_steps", None)
        case = getattr(steps, "case", None)
        rows: list[Any] = []
        if not text:
            message = ""
        elif case is None:
            message = _e(self.tr("Complete the case first: the question needs a valid case."))
        else:
            token = resolve_token(text)
            if token is None:
                message = _e(self.tr("No drug or drug class is called '%1'.").replace("%1", text))
            else:
                rows = why_not(case, token, evaluation=self._evaluation)
                from guideline_db.digest import section_ref

                items = "".join(
                    f"<li><b>{_e(row.label_zh if lang == 'zh' else row.label_en)}</b> "
                    f"<span style='color:#475569;'>[{_e(section_ref(row.section, row.table, lang))}]</span> — "
                    f"{_e(row.answer(lang))}</li>" for row in rows)
                message = f"<ul style='margin:0;'>{items}</ul>" if rows else _e(
                    self.tr("The guideline has no option with '%1'.").replace("%1", text))
        self.why_result.setText(message)
        self.why_result.setVisible(bool(message))
        return rows

    def title_text(self) -> str:
        return self.tr("7 · Review")

    def subtitle_text(self) -> str:
        return self.tr("What the guideline says for this case. Click a line (or Tab to it and press Enter) to see "
                       "its basis; F3 opens the basis larger.")

    def retranslate_extra(self) -> None:
        self.open_button.setText(self.tr("Open basis larger (F3)"))
        self.why_label.setText(self.tr("Why isn't … offered?"))
        self.why_input.setPlaceholderText(self.tr("a drug or class, e.g. T-DXd, 阿贝西利, CDK4/6 — Enter"))
        self.details_title.setText(self.tr("Basis"))
        self._render()

    # -- input -------------------------------------------------------------------------------------
    def show_problems(self, problems: list[Problem]) -> set[int]:
        return set()

    def set_unplaced_problems(self, problems: list[Problem]) -> None:
        self._problems = problems
        self._render_banner()

    def set_problem_lines(self, lines: list[tuple[int, str]]) -> None:
        """(step index, text) of every current problem: listed, with a link to its step, while the case
        cannot be evaluated."""
        self._problem_lines = lines

    def show_evaluation(self, evaluation: Any, context: Any) -> None:
        self._evaluation = evaluation
        self._steps = context
        if evaluation is None:             # another patient, or the case became invalid: the answer is stale
            self.why_result.setVisible(False)
        elif self.why_result.isVisibleTo(self) and self.why_input.text().strip():
            self.ask_why_not()             # the case changed: answer again for it
        self._render()

    def _jump(self, url: Any) -> None:
        target = url.toString()
        if target.startswith("step:") and getattr(self, "_steps", None) is not None:
            self._steps.go_to(int(target[5:]))
        elif target.startswith("fix:") and getattr(self, "_steps", None) is not None:
            self._steps.focus_problem(int(target[4:]))      # the field itself, not just its step

    def _problems_html(self) -> str:
        steps = getattr(self, "_steps", None)
        items = []
        for number, (index, text) in enumerate(self._problem_lines):
            title = steps.pages[index].title_text() if steps is not None else str(index + 1)
            items.append(f"<li><a href='fix:{number}'>{_e(title)}</a> — {_e(text)}</li>")
        heading = self.tr("To fix before the guideline can be applied")
        return f"<h3>{_e(heading)}</h3><ul>{''.join(items)}</ul>" if items else ""

    # -- rendering ---------------------------------------------------------------------------------
    def _render_banner(self) -> None:
        if self._evaluation is None:
            lines = [self.tr("The case is not complete or not valid yet; the steps marked ⚠ show what to fix.")]
            lines += [p.text() for p in self._problems]
            self.banner.setText("\n".join(lines))
        self.banner.setVisible(self._evaluation is None)

    def _show_timeline(self, case: Any, evaluation: Any) -> None:
        from guideline_db.workflow.timeline import timeline_layout

        layout = timeline_layout(case, evaluation, language.current_language()) if case is not None else None
        self.timeline.set_timeline(layout)
        self.timeline.setVisible(layout is not None and not layout.empty)

    def _render(self) -> None:
        """Draw the digest (guideline_db.digest) of the evaluation: every section, in its order (OMITS)."""
        from guideline_db.digest import digest

        self._render_banner()
        self.lines, self.displayed_facts, self.displayed_options = {}, {}, []
        evaluation = self._evaluation
        if evaluation is None:
            self.digest = None
            self._show_timeline(None, None)
            self.view.setHtml(f"<html><head><style>{REVIEW_STYLE}</style></head><body>{self._problems_html()}</body></html>")
            self.details.setHtml("")
            return
        steps = getattr(self, "_steps", None)
        case = getattr(steps, "case", None)
        self.digest = digest(evaluation, case if case is not None and case.case_id == evaluation.case_id else None,
                             language.current_language())
        self._show_timeline(case if case is not None and case.case_id == evaluation.case_id else None, evaluation)
        sections = sorted(self.digest.sections, key=lambda section: ORDER.index(section.key.value))
        parts = [self._section_html(section) for section in sections if section.key not in OMITS]
        scroll = self.view.verticalScrollBar().value()
        self.view.setHtml(f"<html><head><style>{REVIEW_STYLE}</style></head><body>{''.join(parts)}</body></html>")
        self.view.verticalScrollBar().setValue(scroll)
        key = self.current_key if self.current_key in self.lines else next(iter(self.lines), None)
        if key:
            self.select(key)

    def _link(self, line: Line, text: str, colour: str = "") -> str:
        self.lines[line.key] = line
        style = f" style='color:{colour};'" if colour else ""
        return f"<a href='{_e(line.key)}'{style}>{_e(text)}</a>"

    def _heading(self, title: str, count: int) -> str:
        return f"<h3>{_e(title)} <span class='count'>({count})</span></h3>"

    def _section_html(self, section: Any) -> str:
        from guideline_db.digest import SectionKey

        key = section.key
        if key == SectionKey.FACTS:
            body = "".join(self._fact_html(item) for item in section.items)
        elif key in (SectionKey.SYSTEMIC, SectionKey.WITHHELD):
            body = self._options_html(section)
        elif key == SectionKey.LOCAL:
            body = "".join(self._local_html(n, item) for n, item in enumerate(section.items))
        elif key == SectionKey.DECISION:
            body = "".join(f"<p class='fact'>{_e(item.text)}</p>"
                           + "".join(f"<p class='expl'>{_e(d.strip())}</p>" for d in item.details)
                           for item in section.items)
        else:
            if not section.items:
                return ""
            body = self._advisories_html(section)
        if not section.items:
            body = f"<p class='muted'>{_e(self._empty_text(key))}</p>"
        return self._heading(section.title, len(section.items)) + body

    def _empty_text(self, key: Any) -> str:
        from guideline_db.digest import WORDS, SectionKey

        if key == SectionKey.SYSTEMIC:
            return self.tr("No systemic option applies.")
        if key == SectionKey.LOCAL:
            return self.tr("No local-treatment item.")
        return WORDS[language.current_language()]["none"]

    def _fact_html(self, item: Any) -> str:
        self.displayed_facts[item.ref] = item.value
        link = self._link(Line(f"fact:{item.ref}", "fact", item, item.name), labels.cap(item.name))
        explanation = " ".join(d.strip() for d in item.details)
        return (f"<p class='fact'>{link}{labels.colon()}<span class='value'>{_e(item.value)}</span>{_basis(item)}"
                f"<br><span class='expl'>{_e(explanation)}</span></p>")

    def _options_html(self, section: Any) -> str:
        from guideline_db.digest import SectionKey, tier_name

        lang = language.current_language()
        withheld = section.key == SectionKey.WITHHELD
        kind = "withheld" if withheld else "option"
        out: list[str] = []
        rows: list[str] = []
        tier = None
        for item in section.items:
            if not withheld and item.tier != tier:
                if rows:
                    out.append(f"<table width='100%' cellspacing='0'>{''.join(rows)}</table>")
                    rows = []
                tier = item.tier
                fg, bg, _bar = colours.tier_colours(tier)
                count = sum(1 for i in section.items if i.tier == tier)
                link = self._link(Line(f"tier:{tier}", "tier", tier), tier_name(tier, lang))
                out.append(f"<p class='tier' style='color:{fg}; background:{bg};'>{link} ({count})</p>")
            rows.append(self._option_row(item, kind))
            if not withheld:
                self.displayed_options.append((str(item.tier), item.name))
        if rows:
            out.append(f"<table width='100%' cellspacing='0'>{''.join(rows)}</table>")
        return "".join(out)

    def _option_row(self, item: Any, kind: str) -> str:
        fg, _bg, bar = colours.tier_colours(item.tier)
        if kind == "withheld":
            fg, bar = colours.NEUTRAL[0], colours.NEUTRAL[2]
        link = self._link(Line(f"{kind}:{item.ref}", kind, item, item.name), item.name)
        marker = f"<span class='chosen'>{_e(item.marker)}</span> " if item.marker else ""
        details = "<br>".join(_e(d.strip()) for d in item.details)
        return (f"<tr><td width='1%' style='background:{bar};'>&nbsp;</td>"
                f"<td width='71%' class='opt' style='color:{fg};'>{marker}{link}<br><span class='small'>{details}"
                f"</span></td><td width='8%' class='ev' style='white-space: nowrap;'>{_e(item.value)}</td>"
                f"<td width='20%' class='sec'>{_e(item.basis)}</td></tr>")

    def _local_html(self, n: int, item: Any) -> str:
        link = self._link(Line(f"local:{n}", "local", item, item.name), labels.cap(item.name))
        reasons = "".join(f"<li>{_e(r.strip())}</li>" for r in item.details)
        return (f"<p class='fact'>{link}{labels.colon()}<span class='value'>{_e(item.value)}</span>{_basis(item)}</p>"
                f"<ul class='expl'>{reasons}</ul>")

    def _advisories_html(self, section: Any) -> str:
        rows = []
        for n, item in enumerate(section.items):
            fg, bg = colours.severity_colours(item.severity) if item.severity else ("#1e293b", "#ffffff")
            link = self._link(Line(f"{section.key.value}:{n}", "advisory", (section.title, item), section.title),
                              item.marker or "›", fg)
            bar = fg if item.severity else bg            # a bar in the severity's colour, its marker in the text
            rows.append(f"<tr><td width='1%' style='background:{bar};'>&nbsp;</td>"
                        f"<td width='99%' class='adv' style='color:{fg}; background:{bg};'>{link} "
                        f"{_e(item.text)}{_basis(item)}</td></tr>")
        return f"<table width='100%' cellspacing='2'>{''.join(rows)}</table>"

    # -- details -----------------------------------------------------------------------------------
    def select(self, key: str) -> None:
        if key not in self.lines:
            return
        self.current_key = key
        self.details.setHtml(self.details_html(key))

    def details_html(self, key: str | None) -> str:
        line = self.lines.get(key or "")
        if line is None or self._evaluation is None:
            return ""
        lang = language.current_language()
        if line.kind == "fact":
            fact = {**self._evaluation.facts, **self._evaluation.extra_facts}.get(line.payload.ref)
            body = basis.fact_html(line.payload, getattr(fact, "section", ""), lang)
        elif line.kind in ("option", "withheld"):
            option = self._option(line.payload.ref, line.kind == "withheld")
            reason = line.payload.details[0].strip() if line.kind == "withheld" and line.payload.details else None
            body = basis.option_html(option, lang, reason) if option is not None else ""
        elif line.kind == "local":
            entry = next((e for e in self._evaluation.local if e.site == line.payload.ref), None)
            body = basis.local_html(line.payload, getattr(entry, "section", ""), lang)
        elif line.kind == "advisory":
            title, item = line.payload
            advisory = next((a for group in (self._evaluation.warnings, self._evaluation.missing_data,
                                             self._evaluation.supportive, self._evaluation.assessment,
                                             self._evaluation.principles)
                             for a in group if a.key == item.ref), None)
            body = basis.advisory_html(title, item, getattr(advisory, "section", ""), lang)
        else:
            body = basis.tier_html(line.payload, lang)
        return basis.document(body)

    def _option(self, option_id: str, withheld: bool) -> Any:
        if withheld:
            return next((w.option for w in self._evaluation.withheld if w.option.id == option_id), None)
        return next((o for o in self._evaluation.systemic if o.id == option_id), None)

    def open_details(self, key: str | None = None) -> QDialog | None:
        html_text = self.details_html(key or self.current_key)
        if not html_text:
            return None
        dialog = QDialog(self)
        dialog.setObjectName("basis_dialog")
        dialog.setWindowTitle(self.tr("Basis"))
        dialog.resize(900, 640)
        layout = QVBoxLayout(dialog)
        browser = QTextBrowser(dialog)
        browser.setHtml(html_text)
        layout.addWidget(browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog


@functools.cache
def action_name(token: str, lang: str) -> str:
    """The vocabulary's name of a local-treatment action. Cached: the decision step names every action
    after each keystroke, and the vocabulary (read-only guideline data) never changes while running."""
    from guideline_db.vocabulary import load_vocabulary

    return load_vocabulary().name(token, lang)


REVIEW_STYLE = """
h3 { color: #0f172a; margin-top: 14px; margin-bottom: 4px; }
.count { color: #64748b; font-weight: normal; }
a { color: #0f172a; text-decoration: none; font-weight: 600; }
p.fact { margin-top: 4px; margin-bottom: 2px; }
.value { font-weight: 700; color: #0f172a; }
.sec { color: #64748b; }
.expl { color: #475569; }
ul.expl { margin-top: 0px; margin-bottom: 6px; }
td.sec, td.ev { color: #475569; padding: 4px 6px; }
td.ev { white-space: nowrap; }
td.opt { padding: 4px 8px; }
td.bullet { padding-right: 6px; }
td.adv { padding: 3px 6px; }
p.tier { font-weight: 700; padding: 4px 8px; margin-top: 8px; margin-bottom: 2px; }
.small { color: #334155; font-weight: normal; }
.untested { color: #b45309; } .approval { color: #9f1239; } .muted { color: #64748b; }
.chosen { color: #14532d; background: #dcfce7; font-weight: 700; }
"""
