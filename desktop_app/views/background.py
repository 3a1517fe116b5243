"""The views read the whole case store (every case's latest version; the impact view evaluates each twice):
that runs off the UI thread through desktop_app.operations, on the worker's own read-only connection to the
same store file (a CaseStore's SQLite connection belongs to the thread that opened it; see operations).

The hospital's case server (issue 18) is read on the worker's own read-only connection to it; this PC's offline
store (the server unreachable) is read on the UI thread: it holds only the few cases the PC last opened.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app import dialogs


def read_in_background(view: Any, store: Any, work: Callable[[Any], Any], on_success: Callable[[Any], None],
                       doing: str, label: str = "") -> Any:
    """`work(store)` on the worker thread, then `on_success(result)` on the UI thread; `view.loading` holds the
    operation until then (tests wait for it to be None). A store failure is shown as "Could not <doing>";
    `label` names the work in the busy dialog shown when it takes long (default: `doing`)."""
    from desktop_app.operations import run_in_background
    from guideline_db.store import CaseStore, StoreError

    def failed(exc: Exception) -> None:
        if isinstance(exc, StoreError):
            dialogs.store_error(view, exc, doing, ("close",))
        else:
            dialogs.message(view, doing, str(exc), warning=True)

    path = getattr(store, "path", None)
    if not isinstance(path, Path) or getattr(store, "offline", False):
        try:
            on_success(work(store))
        except StoreError as exc:
            failed(exc)
        return None

    url = getattr(store, "url", None)

    def job() -> Any:
        if url is not None:      # the case server: the worker's own read-only connection (this PC's anchor)
            from guideline_db.store.postgres.store import PgCaseStore

            with PgCaseStore.connect(url, anchor_dir=path.parent, read_only=True, pool_size=1) as own:
                return work(own)
        with CaseStore.open(path, read_only=True, mounts_file=None) as own:   # checked when the app opened it
            return work(own)

    operation = run_in_background(view, job, on_success, failed, label or doing)

    def done() -> None:
        if getattr(view, "loading", None) is operation:    # a later read may have started meanwhile
            view.loading = None

    operation.done.connect(done)
    view.loading = operation
    return operation
