"""File → Export list… and Print list… (issue 16): the case list, as the search shows it, as CSV (UTF-8 with
BOM, for Excel) or JSON, or printed as the HTML table of guideline_db.interop.lists.

The rows and the formats are the core's (`lists.case_list_rows`, `lists.render`); this module picks the file
or the printer.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from desktop_app import dialogs
from desktop_app.qt import translate
from desktop_app.views.files import list_format, save_bytes

LIST_FILTER = "CSV, UTF-8 (*.csv);;JSON (*.json)"


def _rows(window: Any) -> list[dict[str, Any]] | None:
    from guideline_db.interop import lists
    from guideline_db.store import StoreError

    if window.store is None:
        dialogs.message(window, translate("ListExport", "Case list"),
                        translate("ListExport", "There is no case store, so there is no list."), warning=True)
        return None
    try:
        return lists.case_list_rows(window.store, window.case_list.search.text())
    except StoreError as exc:
        window._store_failed(exc, translate("ListExport", "read the case list"))
        return None


def list_title(search: str) -> str:
    title = translate("ListExport", "Case list %1").replace("%1", datetime.now().strftime("%Y-%m-%d %H:%M"))
    return title + (" · " + translate("ListExport", "search: %1").replace("%1", search) if search else "")


def export_list(window: Any) -> Path | None:
    """The list (filtered by the case list's search) into a .csv or .json file chosen by the user."""
    from guideline_db.interop import lists

    rows = _rows(window)
    if rows is None:
        return None
    title = list_title(window.case_list.search.text())
    path = save_bytes(window, translate("ListExport", "Export list"), f"cases-{datetime.now():%Y%m%d}.csv", LIST_FILTER,
                      lambda chosen: lists.render(rows, lists.CASE_COLUMNS, list_format(chosen), title).encode("utf-8"))
    if path is None:
        return None
    window.statusBar().showMessage(translate("ListExport", "%1 cases written to %2").replace("%1", str(len(rows)))
                                   .replace("%2", str(path)), 8000)
    return path


def list_document(rows: list[dict[str, Any]], title: str) -> Any:
    """The core's printable HTML table in a QTextDocument (a text browser's: desktop_app.qt offers that one)."""
    from desktop_app.qt import QTextBrowser
    from guideline_db.interop import lists

    holder = QTextBrowser()
    document = holder.document()
    document.setParent(None)          # the document outlives its browser
    holder.deleteLater()
    document.setHtml(lists.render(rows, lists.CASE_COLUMNS, "html", title))
    return document


def print_list(window: Any, printer: Any = None) -> bool:
    """Print the list: into `printer` when given (tests: a PDF printer), else through the print dialog
    (printer, pages, or "Print to PDF")."""
    rows = _rows(window)
    if rows is None:
        return False
    document = list_document(rows, list_title(window.case_list.search.text()))
    if printer is not None:
        document.print_(printer)
        return True
    from desktop_app.qt import QPrintDialog, QPrinter

    chosen = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(chosen, window)
    dialog.setWindowTitle(translate("ListExport", "Print list"))
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    document.print_(chosen)
    return True
