"""The treatment-history table of step 5 (one row per line of systemic therapy)."""

from __future__ import annotations

from desktop_app.models.row_model import Column, RowTableModel
from desktop_app.qt import QT_TRANSLATE_NOOP

COL_SETTING, COL_LINE, COL_AGENTS, COL_START, COL_END, COL_STOP_REASON, COL_PROGRESSION, COL_RESPONSE = range(8)


class TherapyModel(RowTableModel):
    TABLE = "therapies"
    COLUMNS = (
        Column("setting", QT_TRANSLATE_NOOP("Columns", "Setting"), "enum", "setting"),
        Column("line", QT_TRANSLATE_NOOP("Columns", "Line")),
        Column("agents", QT_TRANSLATE_NOOP("Columns", "Agents"), "agents", editable=False),
        Column("start", QT_TRANSLATE_NOOP("Columns", "Start")),
        Column("end", QT_TRANSLATE_NOOP("Columns", "End")),
        Column("stop_reason", QT_TRANSLATE_NOOP("Columns", "Stop reason"), "enum", "stop_reason"),
        Column("progression_date", QT_TRANSLATE_NOOP("Columns", "Progression")),
        Column("best_response", QT_TRANSLATE_NOOP("Columns", "Best response"), "enum", "best_response"),
    )
