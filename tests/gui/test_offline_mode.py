# ruff: noqa: F811  (pytest fixtures imported from pg_server are test parameters here)
"""The window when the hospital's case server is unreachable (issue 18, item 4), against a real server: it says
so, offers this PC's copies, keeps saves locally, and sends them with a conflict check when the server is back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pg_server import PgServer, pg_server  # noqa: F401 (fixtures)
from store_helpers import edited, make_case

from desktop_app.qt import Qt


def unreachable(url: str, pg_server: PgServer, where: Path) -> str:
    return url.replace(f"host={pg_server.socket_dir}", f"host={where}")


@pytest.fixture
def registry(data_dir: Path, pg_server: PgServer) -> str:
    """A registry with one case that this PC has opened (so the offline cache holds its copy)."""
    from guideline_db.store.selection import open_server

    url = pg_server.new_database(users=("tester", "dr_wang"))
    with open_server(url) as store:
        store.save_version(make_case("MDT-1", name="王芳", hospital_id="H01"), author="tester")
        store.load("MDT-1")
    return url


def offline_window(qtbot: Any, url: str, monkeypatch: pytest.MonkeyPatch, pg_server: PgServer, data_dir: Path,
                   dialog_log: Any) -> Any:
    """The app started while the configured server is unreachable, the user choosing 'work offline'."""
    from desktop_app.main import open_store
    from desktop_app.main_window import MainWindow

    monkeypatch.setenv("ABC_MDT_STORE_URL", unreachable(url, pg_server, data_dir))
    monkeypatch.setenv("ABC_MDT_RECONNECT_SECONDS", "3600")     # the test says when to try again
    dialog_log.store_error_answer = "offline"
    store, problem = open_store()
    assert problem == "" and getattr(store, "offline", False)
    window = MainWindow(store=store)
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    window.server_link.url = url                               # from now on the server answers again
    return window


def back_online(qtbot: Any, window: Any) -> None:
    window.server_link.try_now()
    qtbot.waitUntil(lambda: not window.server_link.offline and not window.server_link.trying, timeout=15000)


def test_start_offline_edit_a_copy_and_push_it_when_the_server_is_back(
        qtbot: Any, app: Any, registry: str, monkeypatch: pytest.MonkeyPatch, pg_server: PgServer,
        data_dir: Path, dialog_log: Any) -> None:
    from guideline_db.store.selection import open_server

    window = offline_window(qtbot, registry, monkeypatch, pg_server, data_dir, dialog_log)
    error = dialog_log.calls[0][1][1]
    assert "unreachable" in error.message and "1 cases it last opened" in error.message
    assert window.server_link.badge.isVisible() and window.server_link.badge.text() == "Offline"
    assert window.server_link.action.isVisible()                # File → Reconnect (Ctrl+Shift+R)
    assert window.case_list.visible_ids() == ["MDT-1"]
    assert window.case_list.heading.text() == "Cases — offline copy on this PC"
    assert window.open_case("MDT-1")
    age = window.editor.page("patient").group.rows["patient.age"].editor
    age.selectAll()
    qtbot.keyClicks(age, "61")
    qtbot.waitUntil(lambda: window.editor.case is not None and window.editor.case.patient.age == 61, timeout=3000)
    assert window.save() is not None
    assert "Kept on this PC" in window.status_saved.text()
    assert window.server_link.badge.text() == "Offline · 1 local save(s) waiting"
    window.idle_lock.lock()
    assert window.idle_lock.is_locked
    window.server_link.try_now()                                # the timer's try: not while patient data is hidden
    assert not window.server_link.trying and window.server_link.offline
    window.idle_lock.unlock()
    back_online(qtbot, window)
    assert not window.server_link.action.isVisible() and window.case_list.heading.text() == "Cases"
    assert window.server_link.badge.text() == "Back online: 1 local save(s) sent to the case server"
    window.server_link.update_badge()                           # (after 15 s on its own)
    assert not window.server_link.badge.isVisible()
    with open_server(registry, data_dir=data_dir / "check") as server:
        versions = server.versions("MDT-1")
        assert [v.version for v in versions] == [1, 2] and server.load("MDT-1")[0].patient.age == 61
        assert versions[-1].author == "tester"
    assert window.editor.stored_version == 2                    # the next save is checked against version 2
    age.selectAll()
    qtbot.keyClicks(age, "62")
    qtbot.waitUntil(lambda: window.editor.case.patient.age == 62, timeout=3000)
    assert window.save().version == 3


def test_a_case_changed_on_the_server_meanwhile_is_shown_with_the_differences(
        qtbot: Any, app: Any, registry: str, monkeypatch: pytest.MonkeyPatch, pg_server: PgServer,
        data_dir: Path, dialog_log: Any) -> None:
    from guideline_db.store.postgres import PgCaseStore

    window = offline_window(qtbot, registry, monkeypatch, pg_server, data_dir, dialog_log)
    assert window.open_case("MDT-1")
    case, _info = window.store.load("MDT-1")
    window.store.save_version(edited(case, kps=50), author="tester", expected_version=1)
    window.store.save_version(edited(case, kps=60), author="tester", expected_version=1)
    with PgCaseStore.connect(registry.replace("tester@", "dr_wang@"), anchor_dir=data_dir / "wang") as wang:
        theirs, seen = wang.load("MDT-1")
        wang.save_version(edited(theirs, kps=90), author="dr_wang", expected_version=seen.version)
    dialog_log.offline_conflict_answer = "mine"
    back_online(qtbot, window)
    asked = [args for name, args in dialog_log.calls if name == "offline_conflict"]
    assert len(asked) == 1                                   # one question per case, with its newest local save
    args = asked[0]
    assert args[1] == "MDT-1" and "dr_wang" in args[2]                    # who saved meanwhile
    assert "patient.kps: 90 → 60" in args[3]                               # server → this PC
    assert window.editor.case.patient.kps == 60 and window.editor.dirty    # the local version, to review
    assert window.store.offline_cache.pending() == []                      # taken into the form ...
    assert any(d.key.startswith("conflict:MDT-1:") for d in window.store.list_drafts())   # ... and kept
    info = window.save()                                                    # saved as the next version
    assert info.version == 3 and window.store.load("MDT-1")[0].patient.kps == 60
    assert [v.author for v in window.store.versions("MDT-1")] == ["tester", "dr_wang", "tester"]


def test_the_server_going_away_during_a_save_offers_to_keep_it_on_this_pc(
        qtbot: Any, app: Any, registry: str, monkeypatch: pytest.MonkeyPatch, pg_server: PgServer,
        data_dir: Path, dialog_log: Any) -> None:
    from desktop_app.main_window import MainWindow
    from guideline_db.store.selection import open_server

    monkeypatch.setenv("ABC_MDT_RECONNECT_SECONDS", "3600")
    server = open_server(registry, timeout=1)
    window = MainWindow(store=server)
    qtbot.addWidget(window)
    window.show()
    assert window.open_case("MDT-1") and not window.server_link.badge.isVisible()
    age = window.editor.page("patient").group.rows["patient.age"].editor
    age.selectAll()
    qtbot.keyClicks(age, "66")
    qtbot.waitUntil(lambda: window.editor.case is not None and window.editor.case.patient.age == 66, timeout=3000)
    dialog_log.store_error_answer = "offline"
    pg_server.stop()
    try:
        assert window.save() is not None
        error = next(args[1] for name, args in dialog_log.calls if name == "store_error")
        assert "unreachable" in error.message
        assert window.server_link.offline and window.server_link.badge.isVisible()
        assert len(window.store.pending()) == 1
        window.server_link.try_now(quiet=False)
        qtbot.waitUntil(lambda: not window.server_link.trying, timeout=15000)
        assert window.server_link.offline and dialog_log.calls[-1][0] == "store_error"   # still down: said so
    finally:
        pg_server.start()
    back_online(qtbot, window)
    assert window.store.load("MDT-1")[0].patient.age == 66 and window.store.versions("MDT-1")[-1].version == 2
    window.editor.dirty = False


def test_signing_waits_for_the_server(qtbot: Any, app: Any, registry: str, monkeypatch: pytest.MonkeyPatch,
                                      pg_server: PgServer, data_dir: Path, dialog_log: Any) -> None:
    from desktop_app import report_view

    window = offline_window(qtbot, registry, monkeypatch, pg_server, data_dir, dialog_log)
    assert window.open_case("MDT-1")
    case = window.editor.settled_case()
    dialog = report_view.ReportDialog(window, case, window.editor.evaluation, store=window.store, lang="en")
    qtbot.addWidget(dialog)
    assert dialog.sign() is None
    assert "signing waits until abc-mdt is back online" in dialog_log.calls[-1][1][2]
    qtbot.keyClick(window, Qt.Key.Key_Escape)
