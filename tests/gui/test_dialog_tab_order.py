"""Tab order in the dialogs follows the visual order: each Tab moves right along a row, then down to the next
row — so a coordinator typing through a dialog never lands in a field above or behind the one just filled."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from desktop_app.identity_dialogs import CreateIdentityDialog, TrustStoreDialog
from desktop_app.report_view import SignDialog


def tab_chain(dialog: QWidget) -> list[QWidget]:
    """The widgets Tab visits, starting from the dialog's first focus, once round."""
    first = dialog.focusWidget() or dialog.nextInFocusChain()
    chain: list[QWidget] = []
    widget = first
    for _ in range(200):
        if (widget.isVisibleTo(dialog) and widget.isEnabled() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and widget is not dialog and widget not in chain):
            chain.append(widget)
        widget = widget.nextInFocusChain()
        if widget is first:
            break
    return chain


def position(widget: QWidget, dialog: QWidget) -> tuple[int, int]:
    point = widget.mapTo(dialog, QPoint(0, 0))
    return point.y() // 12, point.x()          # rows within 12 px count as one row


@pytest.mark.parametrize("make", [
    lambda: CreateIdentityDialog(None, "en"),
    lambda: CreateIdentityDialog(None, "zh"),
    lambda: SignDialog(None, "en", lambda *_a: None),
    lambda: SignDialog(None, "zh", lambda *_a: None),
    lambda: TrustStoreDialog(None, "en", store=_EmptyTrust()),
], ids=["identity-en", "identity-zh", "sign-en", "sign-zh", "trust-en"])
def test_tab_visits_the_fields_in_reading_order(qtbot: Any, make) -> None:
    dialog = make()
    qtbot.addWidget(dialog)
    dialog.resize(700, 500)
    dialog.show()
    qtbot.waitExposed(dialog)
    chain = [w for w in tab_chain(dialog) if w.height() > 0]
    assert len(chain) >= 2
    fields = [w for w in chain if w.metaObject().className() != "QPushButton"]
    places = [position(w, dialog) for w in fields]
    assert places == sorted(places), [(w.objectName() or w.metaObject().className(), p) for w, p in zip(fields, places,
                                                                                                         strict=True)]


class _EmptyTrust:
    folder = "(test)"

    def anchors(self) -> list:
        return []

    def certificates(self) -> list:
        return []
