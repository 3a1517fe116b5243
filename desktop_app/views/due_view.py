"""Board → Follow-up worklist… (issue 17): patients whose next assessment has passed or is near, decisions not
yet carried out, signed summaries without the chair's signature — `guideline_db.workflow.due.due_items`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from desktop_app import language
from desktop_app.qt import (
    QT_TRANSLATE_NOOP,
    QBrush,
    QColor,
    QComboBox,
    QDialog,
    QLabel,
    QPushButton,
    QWidget,
    Signal,
)
from desktop_app.views.background import read_in_background
from desktop_app.views.table_model import RecordTableModel, read_only_table, stack
from desktop_app.widgets.fields import LanguageAware

COL_CASE, COL_PATIENT, COL_MEETING, COL_NEXT, COL_REASONS = range(5)
URGENT = frozenset({"assessment_overdue", "not_carried_out"})


class DueModel(RecordTableModel):
    CONTEXT = "DueView"
    HEADERS = (QT_TRANSLATE_NOOP("DueView", "Case ID"), QT_TRANSLATE_NOOP("DueView", "Patient"),
               QT_TRANSLATE_NOOP("DueView", "Meeting"), QT_TRANSLATE_NOOP("DueView", "Next assessment"),
               QT_TRANSLATE_NOOP("DueView", "What is due"))

    def display(self, record: Any, column: int) -> str:
        if column == COL_CASE:
            return record.case_id
        if column == COL_PATIENT:
            return record.patient
        if column == COL_MEETING:
            return str(record.meeting_date or "")
        if column == COL_NEXT:
            return str(record.next_assessment or "")
        return "\n".join(r.text for r in record.reasons)

    def foreground(self, record: Any, column: int) -> Any:
        if column == COL_REASONS and URGENT & set(record.kinds):
            return QBrush(QColor("#b42318"))
        return None


class DueView(LanguageAware, QDialog):
    openRequested = Signal(str)  # noqa: N815

    def __init__(self, store: Any, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("due_view")
        self.store = store
        self.today = today              # None: the system date (tests fix it)
        self.model = DueModel(self)
        from guideline_db.workflow.due import NEAR_DAYS

        self.days = QComboBox(self)             # days ahead: the core's default first
        self.days.setObjectName("due_days")
        self.days.setMinimumContentsLength(4)    # "14" whole beside the focus frame
        self.days.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        for n in dict.fromkeys((NEAR_DAYS, 0, 7, 14, 28, 56, 90)):
            self.days.addItem(str(n), n)
        self.days_label = QLabel(self)
        self.days_label.setBuddy(self.days)
        self.count = QLabel(self)
        self.table = read_only_table(self, self.model, "due_table")
        self.table.doubleClicked.connect(lambda index: self.openRequested.emit(self.model.record(index.row()).case_id))
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.reject)
        stack(self, [self.days_label, self.days, None, self.count], (self.table, 1), [None, self.close_button])
        self.loading: Any = None
        self.retranslate()
        self.days.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh()
        self.resize(1000, 600)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Follow-up worklist"))
        self.days_label.setText(self.tr("&Assessments due within (days):"))
        self.close_button.setText(self.tr("Close"))
        if hasattr(self, "count") and self.isVisible():   # a hidden view reads the store again when shown (menus)
            self.refresh()

    def refresh(self) -> None:
        from guideline_db.workflow.due import due_items

        today, lang = self.today or date.today(), language.current_language()
        before = today + timedelta(days=self.days.currentData())
        read_in_background(self, self.store, lambda store: due_items(store, before, lang, today), self._items_read,
                           self.tr("read the worklist"))

    def _items_read(self, items: list[Any]) -> None:
        self.model.set_rows(items)
        self.table.resizeRowsToContents()
        self.count.setText(self.tr("%n patient(s)", "", len(items)))
