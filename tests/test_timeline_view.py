"""Issue 17, item 1 on screen: the Qt timeline paints the core's layout — each therapy's bar where the layout
puts it, in its colour, no two bars sharing pixels — grabbed offscreen to PNG in both languages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest.importorskip("PySide6")

from builders import build  # noqa: E402
from test_timeline_layout import crowded_case  # noqa: E402

from guideline_db.case_io import load_case  # noqa: E402
from guideline_db.engine import evaluate  # noqa: E402
from guideline_db.workflow.timeline import timeline_layout  # noqa: E402


@pytest.fixture
def view(qtbot):
    from desktop_app.widgets.timeline_view import TimelineView

    widget = TimelineView()
    qtbot.addWidget(widget)
    widget.resize(900, 200)
    return widget


def colour_at(image, rect) -> tuple[int, int, int]:
    pixel = image.pixelColor(rect.center())
    return pixel.red(), pixel.green(), pixel.blue()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_bar_is_painted_where_the_layout_puts_it(view, tmp_path, lang):
    from desktop_app.qt import QPoint
    from desktop_app.widgets.timeline_view import ADVANCED, EARLY

    case = build(crowded_case())
    layout = timeline_layout(case, evaluate(case), lang)
    view.set_timeline(layout)
    view.resize(900, view.sizeHint().height())
    image = view.grab().toImage()
    assert image.save(str(tmp_path / f"timeline-{lang}.png"))
    rects = {bar.index: view.bar_rect(bar.index) for bar in layout.bars}
    assert len(rects) == len(case.therapies)
    for bar in layout.bars:
        expected = ADVANCED if bar.setting == "advanced" else EARLY
        inside = rects[bar.index].adjusted(1, 1, -1, -1)
        sample = inside.topLeft()
        pixel = image.pixelColor(sample)
        assert (pixel.red(), pixel.green(), pixel.blue()) == (expected.red(), expected.green(), expected.blue()), bar
    ordered = list(rects.values())
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            assert not a.intersects(b)
    assert view.height() == view.sizeHint().height() and view.bands()[4] > view.bands()[1]
    for bar in layout.bars:
        assert view.bar_at(rects[bar.index].center()) == bar.index
    assert view.bar_at(QPoint(1, 1)) is None


def test_an_empty_view_and_a_vignette_render(view, tmp_path):
    assert not view.grab().isNull()
    case = load_case(Path(__file__).parent / "cases" / "p13-her2-pyrotinib-after-pyrotinib.json")
    view.set_timeline(timeline_layout(case, lang="zh"))
    assert "3 therapies" in view.toolTip()
    image = view.grab().toImage()
    non_white = sum(1 for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)
                    if image.pixelColor(x, y).lightness() < 200)
    assert non_white > 50


def test_hovering_a_bar_names_its_agents_and_dates(view):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    case = build(crowded_case())
    layout = timeline_layout(case, lang="en")
    view.set_timeline(layout)
    view.resize(900, view.sizeHint().height())
    view.show()
    bar = layout.bars[-1]
    centre = view.bar_rect(bar.index).center()
    assert view.event(QHelpEvent(QEvent.Type.ToolTip, centre, view.mapToGlobal(centre))) is True
    assert "Gemcitabine" in QToolTip.text() and str(bar.start) in QToolTip.text()
