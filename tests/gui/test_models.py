"""Table models without a window (Vorta's habit): columns, set_rows(), editing, headers, problems."""

from __future__ import annotations

from typing import Any

from desktop_app.models.attendee_model import COL_ROLE, AttendeeModel
from desktop_app.models.case_list_model import (
    COL_CASE_ID,
    COL_STATUS,
    COL_SUBTYPE,
    COL_UPDATED,
    CaseListModel,
)
from desktop_app.models.pathology_model import COL_ER, COL_HER2_IHC, COL_SPECIMEN, PathologyModel
from desktop_app.models.row_model import INVALID_BACKGROUND
from desktop_app.models.therapy_model import COL_AGENTS, COL_SETTING, TherapyModel
from desktop_app.qt import Qt
from guideline_db.store import CaseSummary

DISPLAY, EDIT, TOOLTIP, BACKGROUND = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole,
                                      Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.BackgroundRole)


def test_pathology_model_shows_tokens_by_name(app: Any) -> None:
    model = PathologyModel()
    model.set_rows([{"specimen": "metastasis", "er_percent": "90", "her2_ihc": "ultralow"}])
    assert model.rowCount() == 1 and model.columnCount() == 9
    assert model.data(model.index(0, COL_SPECIMEN), DISPLAY) == "Metastasis"
    assert model.data(model.index(0, COL_SPECIMEN), EDIT) == "metastasis"
    assert model.data(model.index(0, COL_HER2_IHC), DISPLAY) == "HER-2-ultralow"      # the one name table
    assert model.headerData(COL_ER, Qt.Orientation.Horizontal) == "ER %"


def test_set_rows_resets_and_fills_missing_keys(app: Any, qtbot: Any) -> None:
    model = PathologyModel()
    model.set_rows([{"specimen": "primary"}, {"specimen": "metastasis"}])
    with qtbot.waitSignal(model.modelReset):
        model.set_rows([{"site": "liver"}])
    assert model.rowCount() == 1
    assert model.rows()[0]["specimen"] == "" and model.rows()[0]["site"] == "liver"


def test_set_data_edits_and_announces_the_edit(app: Any, qtbot: Any) -> None:
    model = PathologyModel()
    model.set_rows([{}])
    with qtbot.waitSignal(model.rowEdited) as signal:
        assert model.setData(model.index(0, COL_ER), "85")
    assert signal.args == [0, "er_percent"]
    assert model.value(0, "er_percent") == "85"
    assert model.flags(model.index(0, COL_ER)) & Qt.ItemFlag.ItemIsEditable


def test_problems_colour_the_cell_and_do_not_count_as_edits(app: Any, qtbot: Any) -> None:
    model = PathologyModel()
    model.set_rows([{"er_percent": "120"}])
    with qtbot.assertNotEmitted(model.rowEdited):
        model.set_problems({(0, "er_percent"): ["must be at most 100"]})
    assert model.data(model.index(0, COL_ER), TOOLTIP) == "must be at most 100"
    assert model.data(model.index(0, COL_ER), BACKGROUND).color() == INVALID_BACKGROUND
    assert model.data(model.index(0, COL_SPECIMEN), BACKGROUND) is None


def test_therapy_agents_are_named_in_the_ui_language(app: Any) -> None:
    from desktop_app.main_window import MainWindow  # noqa: F401  (imports every module: no cycles)

    model = TherapyModel()
    model.set_rows([{"setting": "advanced", "line": "1", "agents": ["letrozole", "palbociclib"]}])
    assert model.data(model.index(0, COL_AGENTS), DISPLAY) == "Letrozole + Palbociclib"
    assert model.data(model.index(0, COL_SETTING), DISPLAY) == "Advanced"
    assert not model.flags(model.index(0, COL_AGENTS)) & Qt.ItemFlag.ItemIsEditable


def test_headers_follow_the_language(app: Any) -> None:
    from desktop_app import language

    model = AttendeeModel()
    model.set_rows([{"name": "Dr Li", "role": "pathology"}])
    language.set_language("zh")
    try:
        assert model.headerData(COL_ROLE, Qt.Orientation.Horizontal) == "专业"
        assert model.data(model.index(0, COL_ROLE), DISPLAY) == "病理科"
    finally:
        language.set_language("en")
    assert model.headerData(COL_ROLE, Qt.Orientation.Horizontal) == "Role"


def test_case_list_model(app: Any) -> None:
    summary = CaseSummary(case_id="c-1", hospital_id="H1", name="Wang", subtype="hr_pos_her2_neg",
                          status="decided", updated_at="2024-06-01T08:30:00.000000Z", latest_version=2)
    model = CaseListModel()
    model.set_rows([summary])
    assert model.data(model.index(0, COL_CASE_ID), DISPLAY) == "c-1"
    assert model.data(model.index(0, COL_SUBTYPE), DISPLAY) == "HR-positive HER-2-negative"
    assert model.data(model.index(0, COL_STATUS), DISPLAY) == "Decided"
    assert model.data(model.index(0, COL_UPDATED), DISPLAY).startswith("2024-06-01")
    assert model.row_of("c-1") == 0 and model.row_of("nope") is None
    assert model.headerData(COL_STATUS, Qt.Orientation.Horizontal) == "Status"
