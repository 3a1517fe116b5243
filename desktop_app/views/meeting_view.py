"""Board → Meeting… (issue 17): the cases of one meeting date, each with its one-line question (subtype, line,
what is to be decided, what data is missing), from `guideline_db.workflow.agenda`. From here the present mode
steps through them (present_view) and a double click opens a case in the form.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
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
    Qt,
    QWidget,
    Signal,
    translate,
)
from desktop_app.views.background import read_in_background
from desktop_app.views.files import save_bytes
from desktop_app.views.table_model import RecordTableModel, read_only_table, stack
from desktop_app.widgets.fields import LanguageAware

COL_CASE, COL_PATIENT, COL_QUESTION, COL_DECIDED = range(4)


class AgendaModel(RecordTableModel):
    """One row per AgendaItem (already in the reader's language)."""

    CONTEXT = "MeetingView"
    HEADERS = (QT_TRANSLATE_NOOP("MeetingView", "Case ID"), QT_TRANSLATE_NOOP("MeetingView", "Patient"),
               QT_TRANSLATE_NOOP("MeetingView", "Question for the board"), QT_TRANSLATE_NOOP("MeetingView", "Decided"))

    def display(self, record: Any, column: int) -> str:
        if column == COL_CASE:
            return record.case_id
        if column == COL_PATIENT:
            return record.patient
        if column == COL_QUESTION:
            return record.question
        return "✓ " + translate("MeetingView", "decided") if record.decided else translate("MeetingView", "open")

    def foreground(self, record: Any, column: int) -> Any:
        if column == COL_DECIDED:
            return QBrush(QColor("#1b7f3b" if record.decided else "#8a6d00"))
        return None


class MeetingView(LanguageAware, QDialog):
    presentRequested = Signal(object, int)   # noqa: N815  (the agenda items, the row to start at)
    openRequested = Signal(str)              # noqa: N815

    def __init__(self, store: Any, parent: QWidget | None = None, day: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meeting_view")
        self.store = store
        self.model = AgendaModel(self)
        self.dates = QComboBox(self)
        self.dates.setObjectName("meeting_dates")
        self.date_label = QLabel(self)
        self.date_label.setBuddy(self.dates)
        self.count = QLabel(self)
        self.table = read_only_table(self, self.model, "agenda_table", COL_QUESTION)
        self.table.doubleClicked.connect(lambda index: self.openRequested.emit(self.model.record(index.row()).case_id))
        self.present_button = QPushButton(self)
        self.present_button.setObjectName("meeting_present")
        self.present_button.setProperty("role", "primary")
        self.present_button.clicked.connect(self.present)
        self.open_button = QPushButton(self)
        self.open_button.clicked.connect(self._open_current)
        self.pdf_button = QPushButton(self)
        self.pdf_button.setObjectName("meeting_pdf")
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.reject)
        stack(self, [self.date_label, (self.dates, 1), self.count], (self.table, 1),
              [self.open_button, self.pdf_button, None, self.present_button, self.close_button])
        self.loading: Any = None
        self.retranslate()
        self.present_button.setEnabled(False)
        self.pdf_button.setEnabled(False)
        self.dates.currentIndexChanged.connect(lambda _i: self.refresh())
        self.fill_dates(day)
        self.resize(980, 600)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Meeting agenda"))
        self.date_label.setText(self.tr("&Meeting:"))
        self.present_button.setText(self.tr("&Present (full screen)"))
        self.open_button.setText(self.tr("&Open case"))
        self.pdf_button.setText(self.tr("&Agenda PDF…"))
        self.close_button.setText(self.tr("Close"))
        for i in range(self.dates.count()):
            day, n = self.dates.itemData(i)
            self.dates.setItemText(i, self.tr("%1 — %n case(s)", "", n).replace("%1", str(day)))
        if self.dates.count() and self.isVisible():   # a hidden view reads the store again when shown (menus)
            self.refresh()

    def fill_dates(self, day: date | None = None) -> None:
        """The meetings in the store (read off the UI thread), then the agenda of `day` or of the newest."""
        from guideline_db.workflow.agenda import meeting_dates

        read_in_background(self, self.store, meeting_dates, lambda found: self._dates_read(found, day),
                           self.tr("read the meetings"))

    def _dates_read(self, found: list[Any], day: date | None) -> None:
        self.dates.blockSignals(True)
        self.dates.clear()
        for meeting, n in found:
            self.dates.addItem(self.tr("%1 — %n case(s)", "", n).replace("%1", str(meeting)), (meeting, n))
        if day is not None:
            for i, (meeting, _n) in enumerate(found):
                if meeting == day:
                    self.dates.setCurrentIndex(i)
        self.dates.blockSignals(False)
        self.refresh()

    def day(self) -> date | None:
        data = self.dates.currentData()
        return data[0] if data else None

    def refresh(self) -> None:
        from guideline_db.workflow.agenda import agenda_items

        day, lang = self.day(), language.current_language()
        if day is None:
            self._items_read([])
            return
        read_in_background(self, self.store, lambda store: agenda_items(store, day, lang), self._items_read,
                           self.tr("read the agenda"))

    def _items_read(self, items: list[Any]) -> None:
        day = self.day()
        self.model.set_rows(items)
        self.table.resizeRowsToContents()
        if items:
            self.table.selectRow(0)
        self.count.setText(self.tr("%n open", "", sum(not i.decided for i in items)) if day else
                           self.tr("No meeting dates in the store."))
        self.present_button.setEnabled(bool(items))
        self.pdf_button.setEnabled(bool(items))

    def export_pdf(self) -> Path | None:
        """The agenda of this meeting as reports.workflow_pdf writes it (the CLI's `meeting agenda --out`)."""
        from guideline_db.database import open_guideline
        from reports.workflow_pdf import build_agenda_pdf

        day = self.day()
        if day is None or not self.model.rowCount():
            return None
        items, lang, db = self.model.records(), language.current_language(), open_guideline()
        return save_bytes(self, self.tr("Agenda PDF"), f"agenda-{day}.pdf", "PDF (*.pdf)", lambda _path: build_agenda_pdf(
            items, day, lang, {"edition": db.edition, "title": db.title, "db_sha256": db.sha256}))

    def _open_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.openRequested.emit(self.model.record(index.row()).case_id)

    def present(self) -> None:
        if self.model.rowCount():
            index = self.table.currentIndex()
            self.presentRequested.emit(self.model.records(), index.row() if index.isValid() else 0)

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.hasFocus():
            self._open_current()
            return
        super().keyPressEvent(event)
