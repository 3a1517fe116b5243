"""The patient timeline as ReportLab graphics (the PDF's first page), drawn from the core's layout
(`guideline_db.workflow.timeline`): this module only maps fractions and lanes to points.

Text is split into font runs (DejaVu for Latin, the CJK face for Chinese) because a graphics String has
one font; a label is shrunk, never clipped, to the extent the layout reserved for it.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from guideline_db.case_model import Case
from guideline_db.engine import Evaluation
from guideline_db.workflow.timeline import LABEL_SIZE, TimelineLayout, timeline_layout
from reports.fonts import LATIN, register_fonts, runs
from reports.styles import ACCENT, FRAME_WIDTH, WARN, kit

MARKER_ROW, BAR_ROW, SPECIMEN_ROW, WINDOW_ROW, AXIS = 9.0, 17.0, 10.0, 15.0, 12.0
BAR_HEIGHT = 6.0
ADVANCED = ACCENT
EARLY = colors.HexColor("#7F9DB9")          # neoadjuvant / adjuvant
WINDOW_FILL = colors.HexColor("#FCEAD7")   # opaque (no transparency in the PDF/A record)
WINDOW_LINE = colors.HexColor("#C0620F")
MARKER_LINE = colors.HexColor("#808080")
HEADINGS = {"zh": "治疗时间线", "en": "Treatment timeline"}
WIDTH = FRAME_WIDTH - 12         # the platypus frame's padding
MAX_HEIGHT = 110 * mm


def text_group(x: float, y: float, text: str, size: float = LABEL_SIZE, max_width: float | None = None,
               color=colors.black) -> Group:
    """A one-line mixed-script label at (x, y), shrunk to `max_width` when wider."""
    register_fonts()
    pieces = [(font, chunk.replace("\n", " ")) for font, chunk in runs(text)]
    width = sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in pieces)
    if max_width is not None and width > max_width > 0:
        size = size * max_width / width
    group = Group()
    for font, chunk in pieces:
        group.add(String(x, y, chunk, fontName=font, fontSize=size, fillColor=color))
        x += pdfmetrics.stringWidth(chunk, font, size)
    return group


def label_width(text: str, size: float = LABEL_SIZE) -> float:
    register_fonts()
    return sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in runs(text))


def timeline_drawing(layout: TimelineLayout, width: float = WIDTH, max_height: float = MAX_HEIGHT) -> Drawing:
    """The layout drawn `width` points wide; the height follows from the lanes, and a drawing taller than
    `max_height` is scaled down as a whole (a long history stays on the first page)."""
    drawing = _drawing(layout, width)
    if drawing.height <= max_height:
        return drawing
    factor = max_height / drawing.height
    scaled = Drawing(width * factor, max_height, initialFontName=LATIN, initialFontSize=LABEL_SIZE)
    group = Group(*drawing.contents)
    group.scale(factor, factor)
    scaled.add(group)
    return scaled


def _drawing(layout: TimelineLayout, width: float) -> Drawing:
    row, bar_height = BAR_ROW, BAR_HEIGHT
    if not layout.bar_labels:    # bars only: lanes as thin as the page needs (at least 1.5 pt)
        others = (layout.marker_rows * MARKER_ROW + layout.specimen_rows * SPECIMEN_ROW
                  + layout.window_rows * WINDOW_ROW + AXIS + 4)
        row = max(1.5, min(BAR_HEIGHT + 3, (MAX_HEIGHT - others) / max(layout.bar_rows, 1)))
        bar_height = max(1.0, row - 1.0)
    inset = 2.0 if layout.bar_labels else (row - bar_height) / 2
    mark = min(4.0, bar_height)     # half-height of the progression diamond and the arrow head
    bands = [layout.marker_rows * MARKER_ROW, layout.bar_rows * row, layout.specimen_rows * SPECIMEN_ROW,
             layout.window_rows * WINDOW_ROW]
    height = sum(bands) + AXIS + 4
    drawing = Drawing(width, height, initialFontName=LATIN, initialFontSize=LABEL_SIZE)

    def px(fraction: float) -> float:
        return fraction * width

    top = height
    marker_top, bar_top = top, top - bands[0]
    specimen_top = bar_top - bands[1]
    window_top = specimen_top - bands[2]
    axis_y = window_top - bands[3]
    for marker in layout.markers:   # the vertical lines first, under everything
        drawing.add(Line(px(marker.x), axis_y, px(marker.x), marker_top - (marker.row + 1) * MARKER_ROW + 7,
                         strokeColor=MARKER_LINE, strokeWidth=0.5, strokeDashArray=[2, 2]))
    for marker in layout.markers:
        y = marker_top - (marker.row + 1) * MARKER_ROW + 2
        left = px(marker.label_x0) + (2 if marker.label_x0 == marker.x else 0)
        drawing.add(text_group(left, y, marker.label, max_width=_room(left, marker, px),
                               color=colors.HexColor("#404040")))
    for bar in layout.bars:
        row_top = bar_top - bar.row * row
        colour = ADVANCED if bar.setting == "advanced" else EARLY
        drawing.add(Rect(px(bar.x0), row_top - row + inset, max(px(bar.x1) - px(bar.x0), 1.0), bar_height,
                         fillColor=colour, strokeColor=None))
        if bar.open_ended:      # still running at the evaluation date: an arrow head
            x1, y = px(bar.x1), row_top - row + inset + bar_height / 2
            drawing.add(Polygon([x1, y - mark, x1 + 1.25 * mark, y, x1, y + mark], fillColor=colour, strokeColor=None))
        if bar.progression_x is not None:   # a diamond on the bar, below the label
            x, y = px(bar.progression_x), row_top - row + inset + bar_height / 2
            drawing.add(Polygon([x, y + mark, x + 0.75 * mark, y, x, y - mark, x - 0.75 * mark, y], fillColor=WARN,
                                strokeColor=colors.white, strokeWidth=0.4 if layout.bar_labels else 0))
        if not layout.bar_labels:
            continue
        reserved = px(min(bar.label_x1, 1.0)) - px(bar.label_x0)
        drawing.add(text_group(px(bar.label_x0), row_top - row + inset + bar_height + 2.5, bar.label,
                               max_width=max(reserved, px(1) - px(bar.label_x0))))
    for spec in layout.specimens:
        y = specimen_top - (spec.row + 1) * SPECIMEN_ROW + 3
        x = px(spec.x)
        drawing.add(Polygon([x, y + 6, x + 3, y + 3, x, y, x - 3, y + 3], fillColor=colors.HexColor("#5B8C3A"),
                            strokeColor=None))
        left = px(spec.label_x0) + (4 if spec.label_x0 == spec.x else 0)
        drawing.add(text_group(left, y + 0.5, spec.label, max_width=_room(left, spec, px)))
    for window in layout.windows:
        row_top = window_top - window.row * WINDOW_ROW
        drawing.add(Rect(px(window.x0), row_top - WINDOW_ROW + 2, max(px(window.x1) - px(window.x0), 1.0), 5,
                         fillColor=WINDOW_FILL, strokeColor=WINDOW_LINE, strokeWidth=0.6))
        if window.event_x is not None:
            x, y = px(window.event_x), row_top - WINDOW_ROW + 4.5
            drawing.add(Line(x, y - 3.5, x, y + 3.5, strokeColor=WARN if window.inside else colors.black,
                             strokeWidth=1.4))
        drawing.add(text_group(px(window.label_x0), row_top - WINDOW_ROW + 8.5, window.label,
                               max_width=px(1) - px(window.label_x0), color=WINDOW_LINE))
    drawing.add(Line(0, axis_y, width, axis_y, strokeColor=colors.black, strokeWidth=0.6))
    last_end = -1e9
    for tick in layout.ticks:
        x = px(tick.x)
        drawing.add(Line(x, axis_y, x, axis_y - 2.5, strokeColor=colors.black, strokeWidth=0.6))
        if x - 2 > last_end:
            drawing.add(String(x + 1, axis_y - 9, tick.label, fontName=LATIN, fontSize=6))
            last_end = x + 1 + pdfmetrics.stringWidth(tick.label, LATIN, 6)
    return drawing


def _room(left: float, item, px) -> float:
    """Width a point item's label may take: up to the point when it ends there, else to the right edge."""
    return px(item.x) - 4 - left if item.label_x1 <= item.x else px(1) - left


def timeline_section(case: Case, evaluation: Evaluation, lang: str) -> list[Flowable]:
    """The heading and the drawing, for the report's first page (nothing when the case has no dates to draw)."""
    layout = timeline_layout(case, evaluation, lang)
    if layout.empty:
        return []
    k = kit(lang)
    return [*k.heading(HEADINGS[lang]), timeline_drawing(layout)]
