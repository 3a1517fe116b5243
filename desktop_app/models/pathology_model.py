"""The specimens table of step 3 (pathology)."""

from __future__ import annotations

from desktop_app.models.row_model import Column, RowTableModel
from desktop_app.qt import QT_TRANSLATE_NOOP

COL_SPECIMEN, COL_SITE, COL_DATE, COL_ER, COL_PR, COL_HER2_IHC, COL_HER2_ISH, COL_KI67, COL_DECALCIFIED = range(9)


class PathologyModel(RowTableModel):
    TABLE = "pathology"
    COLUMNS = (
        Column("specimen", QT_TRANSLATE_NOOP("Columns", "Specimen"), "enum", "specimen"),
        Column("site", QT_TRANSLATE_NOOP("Columns", "Site")),
        Column("date", QT_TRANSLATE_NOOP("Columns", "Date")),
        Column("er_percent", QT_TRANSLATE_NOOP("Columns", "ER %")),
        Column("pr_percent", QT_TRANSLATE_NOOP("Columns", "PR %")),
        Column("her2_ihc", QT_TRANSLATE_NOOP("Columns", "HER-2 IHC"), "enum", "her2_ihc"),
        Column("her2_ish", QT_TRANSLATE_NOOP("Columns", "ISH"), "enum", "her2_ish"),
        Column("ki67_percent", QT_TRANSLATE_NOOP("Columns", "Ki-67 %")),
        Column("decalcified", QT_TRANSLATE_NOOP("Columns", "Decalcified"), "tri", "tri"),
    )
