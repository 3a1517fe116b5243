"""Bar charts a quality committee prints (ReportLab graphics): horizontal bars, one per group, the reader's
labels on the left (mixed Chinese and Latin text, in font runs), the value written beside each bar, so
the chart reads in black-and-white print too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, Rect
from reportlab.lib import colors

from reports.fonts import LATIN
from reports.styles import ACCENT, FRAME_WIDTH, GRID
from reports.timeline_drawing import label_width, text_group

ROW = 13.0
LABEL_SIZE = 7.5
TITLE_SIZE = 8.5
BACKGROUND = colors.HexColor("#EEF2F6")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float          # 0..1 for shares; a count for counts
    text: str             # what is written beside the bar ("82% (45/55)")


def bar_chart(title: str, bars: Sequence[Bar], *, maximum: float | None = None, width: float = FRAME_WIDTH,
              colour=ACCENT, reference: float | None = None) -> Drawing:
    """One horizontal bar per item; `maximum` is the full-scale value (1 for shares, else the largest value);
    `reference` draws a dashed vertical line (e.g. the overall share)."""
    top = maximum if maximum is not None else max([b.value for b in bars] + [1])
    label_w = min(0.34 * width, max([label_width(b.label, LABEL_SIZE) for b in bars] + [40]) + 6)
    value_w = 70.0
    plot_x, plot_w = label_w, width - label_w - value_w
    height = TITLE_SIZE + 6 + ROW * max(len(bars), 1) + 4
    drawing = Drawing(width, height, initialFontName=LATIN, initialFontSize=LABEL_SIZE)
    drawing.add(text_group(0, height - TITLE_SIZE, title, TITLE_SIZE, color=ACCENT))
    y = height - TITLE_SIZE - 6
    for bar in bars:
        y -= ROW
        drawing.add(text_group(0, y + 3, bar.label, LABEL_SIZE, max_width=label_w - 4))
        drawing.add(Rect(plot_x, y + 1.5, plot_w, ROW - 4, fillColor=BACKGROUND, strokeColor=None))
        length = plot_w * (bar.value / top if top else 0)
        if length > 0:
            drawing.add(Rect(plot_x, y + 1.5, length, ROW - 4, fillColor=colour, strokeColor=None))
        drawing.add(text_group(plot_x + plot_w + 4, y + 3, bar.text, LABEL_SIZE, max_width=value_w - 4))
    if reference is not None and top:
        x = plot_x + plot_w * reference / top
        drawing.add(Line(x, y, x, height - TITLE_SIZE - 6, strokeColor=colors.black, strokeWidth=0.7,
                         strokeDashArray=[2, 2]))
    drawing.add(Line(plot_x, y, plot_x, height - TITLE_SIZE - 6, strokeColor=GRID, strokeWidth=0.5))
    return drawing
