# ruff: noqa: F811  (pytest fixtures imported from pg_server are test parameters here)
"""The board's views (worklist, meeting) on the hospital's case server (issue 18): read off the UI thread on their
own read-only connection to the server, with the same rows as the core's answer; and on this PC's offline store."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

from pg_server import PgServer, pg_server  # noqa: F401 (fixtures)
from workflow_population import population

from guideline_db.workflow.due import due_items

TODAY = date(2024, 3, 1)


def settled(qtbot: Any, view: Any) -> Any:
    qtbot.waitUntil(lambda: view.loading is None, timeout=30000)
    return view


def test_the_worklist_reads_the_server_on_its_own_read_only_connection(
        qtbot: Any, app: Any, pg_server: PgServer, data_dir: Path, dialog_log: Any, monkeypatch: Any) -> None:
    from desktop_app.views.due_view import DueView
    from guideline_db.store.postgres import PgCaseStore
    from guideline_db.store.selection import open_server
    from guideline_db.workflow import due

    seen: list[tuple[str, Any]] = []
    real = due.due_items

    def recording(own_store: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append((threading.current_thread().name, own_store))
        return real(own_store, *args, **kwargs)

    url = pg_server.new_database()
    with open_server(url) as server:
        server.save_many(population(12, meetings=2), author="tester")
        expected = [item.case_id for item in due_items(server, date(2024, 3, 15), "en", TODAY)]
        assert expected, "nothing due in the generated registry: the test proves nothing"
        monkeypatch.setattr(due, "due_items", recording)
        view = settled(qtbot, DueView(server, None, today=TODAY))
        qtbot.addWidget(view)
        assert dialog_log.calls == []
        assert seen[0][0] != threading.main_thread().name
        assert isinstance(seen[0][1], PgCaseStore) and seen[0][1] is not server and seen[0][1].read_only
        assert [view.model.text(r, 0) for r in range(view.model.rowCount())] == expected
        view.close()                                # (due_items above opened every case: all copied)
    from guideline_db.store.postgres.offline_store import OfflineStore
    from guideline_db.store.selection import open_offline_cache

    seen.clear()
    with OfflineStore(open_offline_cache(), url) as offline:
        view = settled(qtbot, DueView(offline, None, today=TODAY))
        qtbot.addWidget(view)
        assert dialog_log.calls == [] and seen[0][1] is offline      # the few copies: read on the UI thread
        assert [view.model.text(r, 0) for r in range(view.model.rowCount())] == expected
        view.close()
