"""The focus contract: where the cursor goes, and in which order Tab visits the fields.

Why one module: a keystroke that lands in the wrong field is silent data loss at a meeting (a case
ID typed into nothing, a Yes moved one question down). So every step states its tab chain as data —
the input widgets in visual order — and this module applies it (`QWidget.setTabOrder`), answers
"which widget should have the focus now", and keeps decoration (scroll areas, panels, the step
sidebar, remove buttons) out of the Tab path. tests/gui/test_keyboard_entry.py checks it after every
keystroke.
"""

from __future__ import annotations

from collections.abc import Iterable

from desktop_app.qt import Qt, QWidget

TAB_FOCUS = Qt.FocusPolicy.TabFocus


def tab_stops(editor: QWidget) -> list[QWidget]:
    """The widgets Tab visits inside one field editor (a check-box group has one stop per box)."""
    stops = getattr(editor, "tab_stops", None)
    if callable(stops):
        return list(stops())
    proxy = editor.focusProxy()
    return [proxy if proxy is not None else editor]


def takes_tab(widget: QWidget) -> bool:
    return (widget.focusPolicy() & TAB_FOCUS) == TAB_FOCUS


def reachable(widget: QWidget, root: QWidget) -> bool:
    """Visible (within `root`), enabled and a Tab stop: what Tab will actually land on."""
    return widget.isVisibleTo(root) and widget.isEnabled() and takes_tab(widget)


def apply_order(widgets: Iterable[QWidget]) -> None:
    """Make Tab visit `widgets` in this order (Qt skips the hidden and disabled ones by itself)."""
    chain = [w for w in widgets if w is not None]
    for first, second in zip(chain, chain[1:], strict=False):
        QWidget.setTabOrder(first, second)


def out_of_tab_path(*widgets: QWidget) -> None:
    """Clickable (and reachable by its shortcut), but never a Tab stop: decoration and destructive buttons."""
    for widget in widgets:
        widget.setFocusPolicy(Qt.FocusPolicy.ClickFocus if widget.focusPolicy() != Qt.FocusPolicy.NoFocus
                              else Qt.FocusPolicy.NoFocus)


def no_focus(*widgets: QWidget) -> None:
    for widget in widgets:
        widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)


def has_problem(widget: QWidget) -> bool:
    return bool(widget.property("invalid"))
