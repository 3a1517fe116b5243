"""Every modal question the app asks, in one module.

Why: modal dialogs block a test and hide what the user was offered. Keeping them here gives each
question one wording and one set of ways out, and lets tests replace a function (monkeypatch) to
answer it. No dialog ever shows a traceback: store failures show the StoreError's message and hint.
"""

from __future__ import annotations

from typing import Any

from desktop_app.qt import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    Qt,
    QVBoxLayout,
    QWidget,
    translate,
)


def store_error(parent: QWidget | None, error: Any, doing: str, choices: tuple[str, ...] = ("retry", "close")) -> str:
    """Show a case-store failure with its hint; returns the way out chosen: one of `choices`.

    choices: retry | close | export (save the case as a JSON file instead) | continue (without a store) | quit |
    offline (the case server is unreachable: work from this PC's offline copy, desktop_app.server_link)
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("Dialogs", "Case store"))
    box.setText(translate("Dialogs", "Could not %1.").replace("%1", doing))
    message = getattr(error, "message", None) or str(error)
    hint = getattr(error, "hint", "")
    box.setInformativeText(message + (f"\n\n{translate('Dialogs', 'What to do')}: {hint}" if hint else ""))
    problems = getattr(error, "problems", None)
    if problems:
        box.setDetailedText("\n".join(problems))
    labels = {
        "retry": translate("Dialogs", "Try again"),
        "close": translate("Dialogs", "Close"),
        "export": translate("Dialogs", "Save as JSON file instead…"),
        "continue": translate("Dialogs", "Continue without the case store"),
        "offline": translate("Dialogs", "Work &offline (this PC's copy)"),
        "quit": translate("Dialogs", "Quit"),
    }
    buttons = {}
    for choice in choices:
        role = QMessageBox.ButtonRole.RejectRole if choice in ("close", "quit") else QMessageBox.ButtonRole.AcceptRole
        buttons[box.addButton(labels[choice], role)] = choice
    box.exec()
    return buttons.get(box.clickedButton(), choices[-1])


def open_file(parent: QWidget | None, title: str, filters: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
    return path or None


def save_file(parent: QWidget | None, title: str, suggested: str, filters: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return path or None


def unsaved_changes(parent: QWidget | None) -> str:
    """'save' | 'discard' | 'cancel' before the form is replaced (Alt+S / Alt+D / Esc)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(translate("Dialogs", "Unsaved changes"))
    box.setText(translate("Dialogs", "The current case has changes that are not saved as a version. Save them first?"))
    save = box.addButton(translate("Dialogs", "&Save"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(translate("Dialogs", "&Discard"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(translate("Dialogs", "&Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    return {save: "save", discard: "discard"}.get(box.clickedButton(), "cancel")


def message(parent: QWidget | None, title: str, text: str, details: str = "", warning: bool = False) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    if details:
        box.setDetailedText(details)
    box.exec()


def idle_minutes(parent: QWidget | None, current: int, minimum: int, maximum: int) -> int | None:
    """Ask after how many idle minutes the app locks; None when cancelled."""
    value, ok = QInputDialog.getInt(
        parent, translate("Dialogs", "Idle lock"),
        translate("Dialogs", "Hide patient data after this many minutes without keyboard or mouse input:"),
        current, minimum, maximum, 1)
    return int(value) if ok else None


def recover_drafts(parent: QWidget | None, drafts: list[Any]) -> tuple[str, str | None]:
    """Offer autosaved drafts after a crash: ('recover', key) | ('discard', None) | ('later', None)."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(translate("Dialogs", "Recover unsaved work"))
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel(translate(
        "Dialogs", "abc-mdt was closed with unsaved typing. Choose a draft to recover it into the form."), dialog))
    listing = QListWidget(dialog)
    for draft in drafts:
        item = QListWidgetItem(f"{draft_title(draft.key)} — {draft.updated_at[:19].replace('T', ' ')} UTC", listing)
        item.setData(Qt.ItemDataRole.UserRole, draft.key)
    listing.setCurrentRow(0)
    layout.addWidget(listing)
    buttons = QDialogButtonBox(dialog)
    recover = buttons.addButton(translate("Dialogs", "Recover"), QDialogButtonBox.ButtonRole.AcceptRole)
    discard = buttons.addButton(translate("Dialogs", "Discard all drafts"), QDialogButtonBox.ButtonRole.DestructiveRole)
    buttons.addButton(translate("Dialogs", "Later"), QDialogButtonBox.ButtonRole.RejectRole)
    layout.addWidget(buttons)
    chosen: dict[str, str] = {}
    recover.clicked.connect(lambda: (chosen.update(action="recover"), dialog.accept()))
    discard.clicked.connect(lambda: (chosen.update(action="discard"), dialog.accept()))
    buttons.rejected.connect(dialog.reject)
    dialog.exec()
    action = chosen.get("action", "later")
    item = listing.currentItem()
    return action, (item.data(Qt.ItemDataRole.UserRole) if action == "recover" and item else None)


def draft_title(key: str) -> str:
    kind, _, name = key.partition(":")
    return name if kind == "case" else translate("Dialogs", "New case")


def version_conflict(parent: QWidget | None, case_id: str, mine: int | None, theirs: int, author: str,
                     differences: str) -> str:
    """The case changed in the store since this window opened it: 'reload' | 'cancel' (never overwrite).

    Show Details… compares field by field (stored → yours); Reload keeps the typing as a draft."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("Dialogs", "Changed elsewhere — not saved"))
    seen = (translate("Dialogs", "version %1").replace("%1", str(mine)) if mine is not None
            else translate("Dialogs", "no version of it"))
    box.setText(translate("Dialogs", "Case %1 was saved elsewhere (version %2 by %3) after this window opened %4. "
                                     "Saving now would overwrite that change, so nothing was saved.")
                .replace("%1", case_id).replace("%2", str(theirs)).replace("%3", author).replace("%4", seen))
    box.setInformativeText(translate("Dialogs", "Show Details to compare (stored → yours). Reload shows the stored "
                                                "version; what you typed is kept as a draft you can recover."))
    box.setDetailedText(differences)
    reload_button = box.addButton(translate("Dialogs", "&Reload the stored version"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(translate("Dialogs", "&Keep editing"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return "reload" if box.clickedButton() is reload_button else "cancel"


def second_instance(parent: QWidget | None, holder: str) -> str:
    """Another abc-mdt window has this case store open: 'read_only' | 'quit'."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("Dialogs", "abc-mdt is already open"))
    box.setText(translate("Dialogs", "Another abc-mdt window (process %1) has the case store open. One case belongs "
                                     "in one window: switch to that window, or open this one read-only.")
                .replace("%1", holder or "?"))
    read_only = box.addButton(translate("Dialogs", "Open &read-only"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(translate("Dialogs", "&Quit"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return "read_only" if box.clickedButton() is read_only else "quit"


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question before something destructive; No is the default (Enter does not destroy)."""
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def offline_conflict(parent: QWidget | None, case_id: str, message: str, differences: str) -> str:
    """A save made offline was refused: the case changed on the server meanwhile. 'mine' | 'theirs' | 'later'."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("Dialogs", "Saved on the server meanwhile"))
    box.setText(translate("Dialogs", "Case %1 was changed on the case server while this PC was offline, so the save "
                                     "made here was not sent.").replace("%1", case_id))
    box.setInformativeText(message + "\n\n" + translate(
        "Dialogs", "Show Details to compare (server → this PC). Open mine shows the local version: review it and save "
                   "it as the next version (the other version stays in the history). Open the server's shows theirs; "
                   "yours is kept as a draft. Later keeps it waiting."))
    box.setDetailedText(differences)
    mine = box.addButton(translate("Dialogs", "Open &mine"), QMessageBox.ButtonRole.AcceptRole)
    theirs = box.addButton(translate("Dialogs", "Open the &server's"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(translate("Dialogs", "&Later"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return "mine" if box.clickedButton() is mine else "theirs" if box.clickedButton() is theirs else "later"
