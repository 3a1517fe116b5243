"""Board → Concordance audit… (issue 17): the share of decisions that follow the guideline in a period, by
subtype, line, tier chosen and quarter, and the deviations by coded reason — `guideline_db.workflow.concordance`.
The charts are the quarterly PDF's own (reports.workflow_pdf: one chart per dimension, the deviation reasons),
previewed beside the tables and written as is — one drawing of each chart for screen and paper. (QtCharts is
installed, but desktop_app.qt does not offer it yet.)
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from desktop_app import language
from desktop_app.qt import (
    QT_TRANSLATE_NOOP,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    Qt,
    QWidget,
)
from desktop_app.views.background import read_in_background
from desktop_app.views.files import save_bytes
from desktop_app.views.table_model import RecordTableModel, read_only_table, stack
from desktop_app.widgets.fields import LanguageAware

COL_GROUP, COL_DECISIONS, COL_FOLLOWED, COL_SHARE = range(4)
COL_REASON, COL_COUNT = range(2)
DIMENSIONS = ("subtype", "line", "tier", "quarter")


def share_text(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f} %"


class GroupModel(RecordTableModel):
    """One row per concordance Group of the chosen dimension."""

    CONTEXT = "ConcordanceView"
    HEADERS = (QT_TRANSLATE_NOOP("ConcordanceView", "Group"), QT_TRANSLATE_NOOP("ConcordanceView", "Decisions"),
               QT_TRANSLATE_NOOP("ConcordanceView", "Follow the guideline"), QT_TRANSLATE_NOOP("ConcordanceView", "Share"))

    def display(self, record: Any, column: int) -> str:
        if column == COL_GROUP:
            return record.label(language.current_language())
        if column == COL_DECISIONS:
            return str(record.decisions)
        if column == COL_FOLLOWED:
            return str(record.followed)
        return share_text(record.share)


class DeviationModel(RecordTableModel):
    """(reason code, count) rows of Concordance.deviations(): all seven codes, then the uncoded ones."""

    CONTEXT = "ConcordanceView"
    HEADERS = (QT_TRANSLATE_NOOP("ConcordanceView", "Deviation reason"), QT_TRANSLATE_NOOP("ConcordanceView", "Count"))

    def display(self, record: Any, column: int) -> str:
        from guideline_db.workflow.text import name

        code, count = record
        return name(code, language.current_language()) if column == COL_REASON else str(count)


class ConcordanceView(LanguageAware, QDialog):
    def __init__(self, store: Any, parent: QWidget | None = None, start: date | None = None,
                 end: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("concordance_view")
        self.store = store
        self.report: Any = None
        self.loading: Any = None
        end = end or date.today()
        start = start or end - timedelta(days=365)
        self.start_edit, self.end_edit = QLineEdit(str(start), self), QLineEdit(str(end), self)
        self.start_edit.setObjectName("concordance_from")
        self.end_edit.setObjectName("concordance_to")
        for edit in (self.start_edit, self.end_edit):
            edit.setInputMask("0000-00-00")
            edit.setMaximumWidth(120)
            edit.returnPressed.connect(self.refresh)
        self.from_label, self.to_label = QLabel(self), QLabel(self)
        self.from_label.setBuddy(self.start_edit)
        self.to_label.setBuddy(self.end_edit)
        self.dimension = QComboBox(self)
        self.dimension.setObjectName("concordance_dimension")
        self.dimension.addItems([""] * len(DIMENSIONS))
        self.dimension.currentIndexChanged.connect(lambda _i: self._show())
        self.refresh_button = QPushButton(self)
        self.refresh_button.clicked.connect(self.refresh)
        self.csv_button = QPushButton(self)
        self.csv_button.setObjectName("concordance_csv")
        self.csv_button.clicked.connect(lambda: self.export_csv())
        self.pdf_button = QPushButton(self)
        self.pdf_button.setObjectName("concordance_pdf")
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.reject)
        self.summary = QLabel(self)
        self.summary.setObjectName("concordance_summary")
        self.summary.setWordWrap(True)
        self.groups = GroupModel(self)
        self.deviations = DeviationModel(self)
        self.group_table = read_only_table(self, self.groups, "concordance_groups")
        self.deviation_table = read_only_table(self, self.deviations, "concordance_deviations")
        self.pdf: bytes = b""
        tables = QSplitter(Qt.Orientation.Vertical, self)
        tables.addWidget(self.group_table)
        tables.addWidget(self.deviation_table)
        body = QSplitter(Qt.Orientation.Horizontal, self)
        body.addWidget(tables)
        from desktop_app.qt import QPdfDocument, QPdfView

        self.document = QPdfDocument(self)
        self.chart_view = QPdfView(self)
        self.chart_view.setObjectName("concordance_charts")
        self.chart_view.setDocument(self.document)
        self.chart_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.chart_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.chart_view.setMinimumWidth(420)
        self._buffer: Any = None
        body.addWidget(self.chart_view)
        body.setSizes([470, 530])        # the tables readable beside the report's pages
        stack(self, [self.from_label, self.start_edit, self.to_label, self.end_edit, self.refresh_button, None,
                     self.dimension], self.summary, (body, 1), [self.csv_button, self.pdf_button, None, self.close_button])
        self.retranslate()
        self.refresh()
        self.resize(1000, 640)

    def retranslate(self) -> None:
        from guideline_db.workflow.concordance import name_of_dimension

        self.setWindowTitle(self.tr("Concordance audit"))
        self.from_label.setText(self.tr("&From"))
        self.to_label.setText(self.tr("&to"))
        self.refresh_button.setText(self.tr("&Update"))
        self.csv_button.setText(self.tr("Export &CSV…"))
        self.pdf_button.setText(self.tr("Export &PDF…"))
        self.close_button.setText(self.tr("Close"))
        lang = language.current_language()
        for i, dimension in enumerate(DIMENSIONS):
            self.dimension.setItemText(i, self.tr("by %1").replace("%1", name_of_dimension(dimension, lang)))
        if self.report is not None and self.isVisible():
            self._show()

    def period(self) -> tuple[date, date] | None:
        try:
            return date.fromisoformat(self.start_edit.text()), date.fromisoformat(self.end_edit.text())
        except ValueError:
            return None

    def refresh(self) -> Any:
        """Audit the period off the UI thread; False when the period is not valid (nothing is read)."""
        from guideline_db.workflow.concordance import concordance

        period = self.period()
        if period is None or period[1] < period[0]:
            self.summary.setText(self.tr("The period is not valid: two dates YYYY-MM-DD, the second not before the first."))
            return False
        read_in_background(self, self.store, lambda store: concordance(store, *period), self._report_read,
                           self.tr("read the decisions"))
        return True

    def _report_read(self, report: Any) -> None:
        self.report = report
        self._show()

    def dimension_key(self) -> str:
        return DIMENSIONS[max(0, self.dimension.currentIndex())]

    def _show(self) -> None:
        if self.report is None:
            return
        lang = language.current_language()
        self.summary.setText(self.report.summary(lang))
        self.groups.set_rows(self.report.groups(self.dimension_key()))
        self.deviations.set_rows(self.report.deviations())
        self._chart()

    def _chart(self) -> None:
        """The report's PDF (its charts and tables) in the preview; rebuilt for the period and language."""
        from desktop_app.qt import QBuffer, QByteArray, QIODevice
        from reports.workflow_pdf import build_concordance_pdf

        self.pdf = build_concordance_pdf(self.report, language.current_language())
        self.document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(self.pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer

    def export_csv(self) -> Path | None:
        if self.report is None:
            return None
        report, lang = self.report, language.current_language()
        return save_bytes(self, self.tr("Export concordance CSV"), "concordance.csv", "CSV, UTF-8 (*.csv)",
                          lambda _path: ("\ufeff" + report.csv_text(lang)).encode("utf-8"))

    def export_pdf(self) -> Path | None:
        from reports.workflow_pdf import build_concordance_pdf

        if self.report is None:
            return None
        return save_bytes(self, self.tr("Export concordance PDF"), "concordance.pdf", "PDF (*.pdf)",
                          lambda _path: self.pdf or build_concordance_pdf(self.report, language.current_language()))
