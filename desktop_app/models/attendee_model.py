"""The attendees of the board meeting (step 8): name and role, edited in place."""

from __future__ import annotations

from desktop_app.models.row_model import Column, RowTableModel
from desktop_app.qt import QT_TRANSLATE_NOOP

COL_NAME, COL_ROLE = range(2)


class AttendeeModel(RowTableModel):
    TABLE = "mdt.attendees"
    COLUMNS = (
        Column("name", QT_TRANSLATE_NOOP("Columns", "Name")),
        Column("role", QT_TRANSLATE_NOOP("Columns", "Role"), "enum", "role"),
    )
