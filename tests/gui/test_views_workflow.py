"""Issue 17 in the GUI: the meeting view and present mode (keyboard, timeline, the digest's options, each
decision recorded through the form's decision step and save), the follow-up worklist, the concordance audit
(table, QtCharts chart, CSV) and the guideline-edition impact — each on a store of generated cases, its rows
compared with the core's own answer."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from workflow_population import build_other_edition, population

from desktop_app.qt import Qt
from guideline_db.workflow.agenda import agenda_items, meeting_dates
from guideline_db.workflow.concordance import concordance
from guideline_db.workflow.due import due_items

TODAY = date(2024, 3, 1)


@pytest.fixture(autouse=True)
def views_closed(window: Any) -> Any:
    """The views close before the store they read does (the language reset at teardown re-labels them)."""
    yield
    window.view_menus.close_all()


@pytest.fixture
def filled(store: Any) -> list[Any]:
    cases = population(24, meetings=4)
    store.save_many(cases, author="Dr Test")
    return cases


def settled(qtbot: Any, view: Any) -> Any:
    """The view's store read (off the UI thread) has been delivered."""
    qtbot.waitUntil(lambda: view.loading is None, timeout=30000)
    return view


def agenda_of(qtbot: Any, window: Any) -> Any:
    view = settled(qtbot, window.view_menus._open("meeting"))
    assert view.day() is not None
    return view


def test_the_meeting_view_lists_each_meeting_and_its_questions(window: Any, store: Any, filled: Any,
                                                               dialog_log: Any, tmp_path: Path, qtbot: Any) -> None:
    view = agenda_of(qtbot, window)
    dates = meeting_dates(store)
    assert [view.dates.itemData(i) for i in range(view.dates.count())] == dates and len(dates) == 4
    for i, (day, n) in enumerate(dates):
        view.dates.setCurrentIndex(i)
        settled(qtbot, view)
        expected = agenda_items(store, day, "en")
        assert view.model.rowCount() == n == len(expected)
        assert [view.model.text(r, 0) for r in range(n)] == [item.case_id for item in expected]
        assert [view.model.text(r, 2) for r in range(n)] == [item.question for item in expected]
        assert all(view.model.text(r, 3).endswith("decided") == expected[r].decided for r in range(n))
    dialog_log.save_paths.append(str(tmp_path / "agenda.pdf"))
    assert view.export_pdf().read_bytes().startswith(b"%PDF")
    window.set_language("zh")                      # the questions are read again in the reader's language
    settled(qtbot, view)
    assert [view.model.text(r, 2) for r in range(view.model.rowCount())] == \
        [item.question for item in agenda_items(store, view.day(), "zh")]
    assert view.model.headerData(2, Qt.Orientation.Horizontal) == "提请MDT讨论的问题"
    assert window.view_menus.board_menu.title() == "MDT会议(&B)"


def test_present_mode_steps_with_the_keyboard_and_shows_timeline_and_options(window: Any, store: Any, filled: Any,
                                                                             qtbot: Any) -> None:
    from guideline_db.digest import SectionKey

    view = agenda_of(qtbot, window)
    items = view.model.records()
    view.present()
    present = window.view_menus.present_view
    qtbot.waitExposed(present)
    assert present.isFullScreen() and present.index == 0
    for key, expected in ((Qt.Key.Key_PageDown, 1), (Qt.Key.Key_Right, 2), (Qt.Key.Key_PageUp, 1),
                          (Qt.Key.Key_Left, 0), (Qt.Key.Key_Left, 0), (Qt.Key.Key_Space, 1)):
        qtbot.keyClick(present, key)
        assert present.index == expected, key
        assert present.case.case_id == items[expected].case_id
        assert items[expected].question == present.question.text()
    layout = present.timeline.timeline()
    assert layout is not None and len(layout.bars) == len(present.case.therapies)
    plain = present.options.toPlainText()
    systemic = present.digest.section(SectionKey.SYSTEMIC)
    assert systemic.items and all(item.text in plain for item in systemic.items)
    for _ in range(len(items) + 2):
        qtbot.keyClick(present, Qt.Key.Key_PageDown)
    assert present.index == len(items) - 1
    qtbot.keyClick(present, Qt.Key.Key_Escape)
    assert not present.isVisible() and window.view_menus.present_view is None


def test_present_mode_records_each_decision_through_the_decision_step(window: Any, store: Any, filled: Any,
                                                                      qtbot: Any) -> None:
    view = agenda_of(qtbot, window)
    view.present()
    menus = window.view_menus
    present = menus.present_view
    qtbot.waitExposed(present)
    first = present.current_item().case_id
    before = store.versions(first)[-1].version
    qtbot.keyClick(present, Qt.Key.Key_Return)
    assert not present.isVisible() and window.editor.current_step() == window.editor._index("decision")
    assert window.editor.stored_case_id == first and menus.actions["back_to_meeting"].isEnabled()
    from .driver import WizardDriver

    WizardDriver(qtbot, window.editor).type_text(window.editor.decision.group.rows["mdt.decision.notes"].editor,
                                                 "Board: continue as decided")
    assert window.editor.dirty
    window.actions_by_name["back_to_meeting"].trigger()
    case, info = store.load(first)
    assert info.version == before + 1 and "Board: continue as decided" in (case.mdt.decision.notes or "")
    assert present.isVisible() and present.index == 1
    assert not menus.actions["back_to_meeting"].isEnabled()


def test_the_worklist_lists_what_is_due(window: Any, store: Any, filled: Any, qtbot: Any) -> None:
    from desktop_app.views.due_view import DueView

    view = settled(qtbot, DueView(store, window, today=TODAY))
    expected = due_items(store, date(2024, 3, 15), "en", TODAY)
    assert expected, "nothing due in the generated store: the test proves nothing"
    assert [view.model.text(r, 0) for r in range(view.model.rowCount())] == [i.case_id for i in expected]
    assert [view.model.text(r, 4) for r in range(view.model.rowCount())] == \
        ["\n".join(x.text for x in i.reasons) for i in expected]
    view.days.setCurrentIndex(view.days.findData(0))
    settled(qtbot, view)
    assert view.model.rowCount() == len(due_items(store, TODAY, "en", TODAY)) <= len(expected)
    view.close()


def test_the_concordance_view_shows_groups_deviations_chart_and_csv(window: Any, store: Any, filled: Any,
                                                                    dialog_log: Any, tmp_path: Path,
                                                                    qtbot: Any) -> None:
    from desktop_app.views.concordance_view import DIMENSIONS, ConcordanceView

    start, end = date(2024, 1, 1), date(2024, 12, 31)
    view = settled(qtbot, ConcordanceView(store, window, start, end))
    report = concordance(store, start, end)
    assert report.decisions and view.report.summary("en") == view.summary.text()
    for i, dimension in enumerate(DIMENSIONS):
        view.dimension.setCurrentIndex(i)
        groups = report.groups(dimension)
        assert [(view.groups.text(r, 0), view.groups.text(r, 1)) for r in range(view.groups.rowCount())] == \
            [(g.label("en"), str(g.decisions)) for g in groups]
    assert view.deviations.rowCount() >= 7
    from desktop_app.qt import QPdfDocument
    from reports.workflow_pdf import build_concordance_pdf

    assert view.document.status() == QPdfDocument.Status.Ready and view.document.pageCount() >= 1
    shown = " ".join(view.document.getAllText(p).text() for p in range(view.document.pageCount()))
    assert all(g.label("en") in shown for g in report.groups("subtype"))     # the report's charts and tables
    assert view.pdf[:4] == b"%PDF" and build_concordance_pdf(report, "en")[:4] == b"%PDF"
    dialog_log.save_paths.append(str(tmp_path / "c.csv"))
    raw = view.export_csv().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8-sig") == report.csv_text("en")
    view.start_edit.setText("2024-12-31")
    view.end_edit.setText("2024-01-01")
    assert view.refresh() is False and "not valid" in view.summary.text()
    view.close()


def test_the_impact_view_lists_the_patients_whose_options_change(window: Any, store: Any, filled: Any,
                                                                  dialog_log: Any, tmp_path: Path,
                                                                  qtbot: Any) -> None:
    from store_helpers import make_case

    from desktop_app.views.impact_view import ImpactView
    from guideline_db.workflow.impact import edition_impact, open_other_edition

    store.save_version(make_case("impact-naive"), author="Dr Test")   # first line, endocrine-naive: the raised row
    other = build_other_edition(tmp_path / "edition")
    view = ImpactView(store, window)
    assert view.compare(str(other))
    report = settled(qtbot, view).report
    expected = edition_impact(store, open_other_edition(other))
    assert [view.model.text(r, 0) for r in range(view.model.rowCount())] == [i.case_id for i in expected.items]
    assert expected.items, "no generated case changes: the test proves nothing"
    assert view.model.text(0, 2) == "\n".join(c.describe("en") for c in expected.items[0].changes)
    assert report.other.sha256 in view.summary.text() and "not the released database" in view.summary.text()
    dialog_log.save_paths.append(str(tmp_path / "impact.pdf"))
    assert view.export_pdf().read_bytes().startswith(b"%PDF")
    view.close()


def test_the_views_read_the_store_off_the_ui_thread_on_their_own_connection(window: Any, store: Any, filled: Any,
                                                                           qtbot: Any, monkeypatch: Any) -> None:
    import threading

    from guideline_db.workflow import due

    seen: list[tuple[str, Any]] = []
    real = due.due_items

    def recording(own_store: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append((threading.current_thread().name, own_store))
        return real(own_store, *args, **kwargs)

    monkeypatch.setattr(due, "due_items", recording)
    from desktop_app.views.due_view import DueView

    view = settled(qtbot, DueView(store, window, today=TODAY))
    assert seen and seen[0][0] != threading.main_thread().name
    assert seen[0][1] is not store and seen[0][1].read_only
    assert view.model.rowCount() == len(real(store, date(2024, 3, 15), "en", TODAY))
    view.close()


def test_a_double_click_in_the_worklist_opens_the_case_in_the_form(window: Any, store: Any, filled: Any,
                                                                    qtbot: Any) -> None:
    view = settled(qtbot, window.view_menus._open("due"))
    first = view.model.record(0).case_id
    rect = view.table.visualRect(view.model.index(0, 0))
    qtbot.waitExposed(view)
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.editor.stored_case_id == first
