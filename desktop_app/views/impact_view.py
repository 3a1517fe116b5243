"""Board → Guideline-edition impact… (issue 17): every stored case re-evaluated with another built edition of
the guideline database (`guideline_db.workflow.impact`), and the patients whose options, tiers or local actions
would change, with each difference; both editions with their SHA-256 and whether each is the released one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop_app import dialogs, language
from desktop_app.qt import (
    QT_TRANSLATE_NOOP,
    QDialog,
    QLabel,
    QPushButton,
    Qt,
    QWidget,
    Signal,
)
from desktop_app.views.background import read_in_background
from desktop_app.views.files import save_bytes
from desktop_app.views.table_model import RecordTableModel, read_only_table, stack
from desktop_app.widgets.fields import LanguageAware

COL_CASE, COL_PATIENT, COL_CHANGES = range(3)
DB_FILTER = "Guideline database (*.sqlite);;All files (*)"


class ImpactModel(RecordTableModel):
    CONTEXT = "ImpactView"
    HEADERS = (QT_TRANSLATE_NOOP("ImpactView", "Case ID"), QT_TRANSLATE_NOOP("ImpactView", "Patient"),
               QT_TRANSLATE_NOOP("ImpactView", "What would change"))

    def display(self, record: Any, column: int) -> str:
        if column == COL_CASE:
            return record.case_id
        if column == COL_PATIENT:
            return record.patient
        return "\n".join(c.describe(language.current_language()) for c in record.changes)


class ImpactView(LanguageAware, QDialog):
    openRequested = Signal(str)  # noqa: N815
    progressed = Signal(int, int)   # emitted on the worker thread; delivered queued to the view

    def __init__(self, store: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("impact_view")
        self.store = store
        self.report: Any = None
        self.loading: Any = None
        self.progressed.connect(self._progress)
        self.model = ImpactModel(self)
        self.choose_button = QPushButton(self)
        self.choose_button.setObjectName("impact_choose")
        self.choose_button.clicked.connect(lambda: self.compare())
        self.summary = QLabel(self)
        self.summary.setObjectName("impact_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = read_only_table(self, self.model, "impact_table")
        self.table.doubleClicked.connect(lambda index: self.openRequested.emit(self.model.record(index.row()).case_id))
        self.pdf_button = QPushButton(self)
        self.pdf_button.setObjectName("impact_pdf")
        self.pdf_button.setEnabled(False)
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.reject)
        stack(self, [self.choose_button, None], self.summary, (self.table, 1), [self.pdf_button, None, self.close_button])
        self.retranslate()
        self.resize(1000, 600)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Guideline-edition impact"))
        self.choose_button.setText(self.tr("&Compare with another guideline database…"))
        self.choose_button.setMinimumWidth(self.choose_button.sizeHint().width() + 24)   # room for the focus frame
        self.pdf_button.setText(self.tr("Export &PDF…"))
        self.close_button.setText(self.tr("Close"))
        self._show_summary()
        self.model.retranslate()

    def _show_summary(self) -> None:
        from guideline_db.workflow.impact import changed_kinds

        if self.report is None:
            self.summary.setText(self.tr("Choose another built edition of the guideline database (guideline.sqlite "
                                         "with its .sha256): every stored case is evaluated with both."))
            return
        r, lang = self.report, language.current_language()
        released = {True: self.tr("released"), False: self.tr("not the released database")}
        kinds = changed_kinds(r)
        lines = [r.summary(lang),
                 self.tr("In use: %1 · compared: %2").replace("%1", released[r.current.released])
                 .replace("%2", released[r.other.released]),
                 " · ".join(f"{self.kind_name(k)}: {n}" for k, n in kinds.items() if n)]
        if r.skipped:
            lines.append(self.tr("Not readable, skipped: %1").replace("%1", ", ".join(r.skipped)))
        self.summary.setText("\n".join(line for line in lines if line))

    def kind_name(self, kind: str) -> str:
        """The change kinds of guideline_db.workflow.impact.CHANGE_KINDS, for the overview line."""
        return {"option_added": self.tr("patients with a new option"),
                "option_removed": self.tr("patients with an option no longer listed"),
                "tier_changed": self.tr("patients with a changed tier"),
                "local_added": self.tr("patients with a new local action"),
                "local_removed": self.tr("patients with a local action no longer listed")}.get(kind, kind)

    def compare(self, path: str | None = None) -> bool:
        """Check the other edition here (its errors at once), then evaluate every case with both off the UI
        thread; True when started."""
        from guideline_db.database import GuidelineIntegrityError
        from guideline_db.workflow.impact import edition_impact, open_other_edition

        path = path or dialogs.open_file(self, self.tr("Another guideline database"), DB_FILTER)
        if not path:
            return False
        try:
            other = open_other_edition(path)
        except (GuidelineIntegrityError, OSError, ValueError) as exc:
            dialogs.message(self, self.tr("Not opened"), self.tr("This guideline database cannot be used: %1")
                            .replace("%1", str(exc)), warning=True)
            return False
        self.summary.setText(self.tr("Evaluating every stored case with both editions…"))
        progressed = self.progressed

        def work(store: Any) -> Any:
            return edition_impact(store, other, progress=lambda n, total: progressed.emit(n, total))

        read_in_background(self, self.store, work, self._report_read, self.tr("read the stored cases"),
                           self.tr("Evaluating every stored case with both editions…"))
        return True

    def _progress(self, n: int, total: int) -> None:
        if self.loading is not None and (n == total or n % 50 == 0):
            self.summary.setText(self.tr("Evaluating every stored case with both editions…") + f" {n} / {total}")

    def _report_read(self, report: Any) -> None:
        self.report = report
        self.model.set_rows(report.items)
        self.table.resizeRowsToContents()
        self._show_summary()
        self.pdf_button.setEnabled(True)

    def export_pdf(self) -> Path | None:
        """The report as reports.workflow_pdf writes it (the CLI's `impact --out`)."""
        from reports.workflow_pdf import build_impact_pdf

        if self.report is None:
            return None
        report, lang = self.report, language.current_language()
        return save_bytes(self, self.tr("Export impact PDF"), "impact.pdf", "PDF (*.pdf)",
                          lambda _path: build_impact_pdf(report, lang))
