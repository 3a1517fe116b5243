"""Help → About (version, guideline edition and database hash, licences) and the shortcuts sheet (F1).

Why the hash in About: a coordinator asked "which guideline is this?" must be able to read the
edition and the SHA-256 the app checked at start-up (the same text as `abc-mdt db info`), and the
licences of what ships inside (Qt, the fonts, ReportLab, pyHanko).
"""

from __future__ import annotations

import html
from typing import Any

from desktop_app.qt import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget, translate

LICENCES = (
    ("Qt for Python (PySide6)", "LGPL-3.0"),
    ("Droid Sans Fallback (CJK font)", "Apache-2.0"),
    ("DejaVu Sans", "Bitstream Vera / DejaVu licence"),
    ("ReportLab", "BSD-3-Clause"),
    ("pyHanko", "MIT"),
    ("pydantic, sqlite-utils", "MIT / Apache-2.0"),
)


def shortcuts() -> list[tuple[str, str]]:
    """(keys, what) for the sheet; the keys are the ones MainWindow binds."""
    return [
        ("Ctrl+N", translate("Help", "New case (the cursor goes to its first field)")),
        ("Ctrl+F / Ctrl+L", translate("Help", "Find a case: open the case list with the cursor in its search")),
        ("Esc", translate("Help", "Close the case list and go back to the form")),
        ("Ctrl+S", translate("Help", "Save a version (visible confirmation in the status bar)")),
        ("Ctrl+1 … Ctrl+8", translate("Help", "Go to step 1 … 8")),
        ("Ctrl+PgDown / Ctrl+PgUp", translate("Help", "Next / previous step")),
        ("Tab / Shift+Tab", translate("Help", "Next / previous field, in the order they are shown")),
        ("Enter", translate("Help", "Add the highlighted drug in a drug field")),
        ("Ctrl+Enter", translate("Help", "Add a specimen, therapy, site or attendee to this step")),
        ("Space", translate("Help", "Tick a box; press an Add button")),
        ("← →", translate("Help", "Move between the bone locations (one Tab stop)")),
        ("Ctrl+Z", translate("Help", "Put back the last removed specimen, therapy, site or attendee")),
        ("Ctrl+B", translate("Help", "Show or hide the step sidebar")),
        ("F11", translate("Help", "Present the review full screen (Esc or F11 to leave)")),
        ("F3", translate("Help", "Open the basis of the selected review line")),
        ("Ctrl+= / Ctrl+- / Ctrl+0", translate("Help", "Zoom in / out / actual size (projector)")),
        ("Ctrl+Shift+L", translate("Help", "Switch language 中文 / English")),
        ("Ctrl+P", translate("Help", "Report / sign")),
        ("Ctrl+Alt+L", translate("Help", "Lock now (hide patient data)")),
        ("F1", translate("Help", "This sheet")),
    ]


def shortcuts_html() -> str:
    rows = "".join(f"<tr><td style='padding:3px 14px 3px 0;'><b>{html.escape(k)}</b></td>"
                   f"<td style='padding:3px 0;'>{html.escape(v)}</td></tr>" for k, v in shortcuts())
    return f"<h2>{html.escape(translate('Help', 'Keyboard shortcuts'))}</h2><table>{rows}</table>"


def about_facts() -> dict[str, str]:
    """Version, guideline title, edition and database hash (what About shows)."""
    from guideline_db import __version__
    from guideline_db.database import open_guideline

    try:
        info = open_guideline().info()
    except Exception as exc:  # noqa: BLE001 - About must open even when the database does not
        info = {"title": "?", "edition": "?", "sha256": f"({exc})"}
    return {"version": __version__, "title": str(info.get("title", "")), "edition": str(info.get("edition", "")),
            "sha256": str(info.get("sha256", ""))}


def about_html() -> str:
    facts = about_facts()
    licences = "".join(f"<li>{html.escape(name)} — {html.escape(lic)}</li>" for name, lic in LICENCES)
    words = {
        "intro": translate("Help", "An assistant for breast-cancer tumour boards. It supports clinicians; it never decides."),
        "guideline": translate("Help", "Guideline"), "edition": translate("Help", "Edition"),
        "hash": translate("Help", "Database SHA-256"), "licences": translate("Help", "Licences"),
    }
    w = {key: html.escape(text) for key, text in words.items()}
    f = {key: html.escape(text) for key, text in facts.items()}
    return (f"<h2>abc-mdt {f['version']}</h2><p>{w['intro']}</p>"
            f"<p><b>{w['guideline']}:</b> {f['title']}<br><b>{w['edition']}:</b> {f['edition']}<br>"
            f"<b>{w['hash']}:</b> <code>{f['sha256']}</code></p>"
            f"<h3>{w['licences']}</h3><ul>{licences}</ul>")


def show_sheet(parent: QWidget | None, title: str, body: str, name: str) -> QDialog:
    dialog = QDialog(parent)
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    browser = QTextBrowser(dialog)
    browser.setObjectName(f"{name}_text")
    browser.setOpenExternalLinks(False)
    browser.setHtml(body)
    layout.addWidget(browser)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    screen = parent.screen().availableGeometry() if parent is not None and parent.screen() else None
    width, height = 760, 620
    if screen is not None:
        width, height = min(width, screen.width() - 40), min(height, screen.height() - 60)
    dialog.resize(width, height)
    dialog.open()
    return dialog


def show_about(parent: Any) -> QDialog:
    return show_sheet(parent, translate("Help", "About abc-mdt"), about_html(), "about_dialog")


def show_shortcuts(parent: Any) -> QDialog:
    return show_sheet(parent, translate("Help", "Keyboard shortcuts"), shortcuts_html(), "shortcuts_dialog")
