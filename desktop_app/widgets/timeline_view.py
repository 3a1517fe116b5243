"""The patient timeline on screen: QPainter over the core's layout (guideline_db.workflow.timeline), the same
object the PDF draws with ReportLab. No clinical logic here: lanes, windows and verdicts come computed.

    view = TimelineView()
    view.set_timeline(timeline_layout(case, evaluation, lang))   # in the review step, after each evaluation
"""

from __future__ import annotations

from desktop_app.qt import QColor, QEvent, QPoint, QRect, QSize, Qt, QToolTip, QWidget
from guideline_db.workflow.timeline import TimelineLayout

MARGIN = 8
MARKER_ROW, BAR_ROW, SPECIMEN_ROW, WINDOW_ROW, AXIS = 15, 26, 16, 22, 18
BAR_HEIGHT = 9
ADVANCED, EARLY = QColor("#1F4E79"), QColor("#7F9DB9")
PROGRESSION, SPECIMEN = QColor("#9C2A00"), QColor("#5B8C3A")
WINDOW_FILL, WINDOW_LINE = QColor(237, 140, 33, 46), QColor("#C0620F")
MARKER_LINE = QColor("#808080")


class TimelineView(QWidget):
    """Draws one TimelineLayout; its height follows the number of lanes, its width the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout: TimelineLayout | None = None
        self.setMinimumWidth(360)

    def set_timeline(self, layout: TimelineLayout | None) -> None:
        self._layout = layout
        self.setToolTip(layout.summary() if layout else "")
        self.updateGeometry()
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def timeline(self) -> TimelineLayout | None:
        return self._layout

    def bands(self) -> tuple[int, int, int, int, int]:
        """Tops (px) of the marker, therapy, specimen and window bands, and the axis line."""
        layout = self._layout
        if layout is None:
            return (MARGIN,) * 5
        top = MARGIN
        bars = top + layout.marker_rows * MARKER_ROW
        specimens = bars + layout.bar_rows * BAR_ROW
        windows = specimens + layout.specimen_rows * SPECIMEN_ROW
        return top, bars, specimens, windows, windows + layout.window_rows * WINDOW_ROW

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(720, self.bands()[4] + AXIS + MARGIN)

    def bar_rect(self, index: int) -> QRect:
        """Where the bar of case.therapies[index] is drawn (for tests and tooltips)."""
        assert self._layout is not None
        bar = next(b for b in self._layout.bars if b.index == index)
        top = self.bands()[1] + bar.row * BAR_ROW + BAR_ROW - BAR_HEIGHT - 3
        x0, x1 = self._x(bar.x0), self._x(bar.x1)
        return QRect(x0, top, max(x1 - x0, 2), BAR_HEIGHT)

    def bar_at(self, point: QPoint) -> int | None:
        """The therapy (its index in case.therapies) whose bar is under `point`, if any."""
        if self._layout is None:
            return None
        for bar in self._layout.bars:
            if self.bar_rect(bar.index).adjusted(-2, -2, 2, 2).contains(point):
                return bar.index
        return None

    def event(self, event) -> bool:  # noqa: ANN001 (Qt API)
        """Hovering a bar shows its agents and dates (the only place they show when lanes are unlabelled)."""
        if event.type() == QEvent.Type.ToolTip and self._layout is not None:
            index = self.bar_at(event.pos())
            if index is not None:
                bar = next(b for b in self._layout.bars if b.index == index)
                QToolTip.showText(event.globalPos(), f"{bar.label}\n{bar.start} – {bar.end}", self)
                return True
        return super().event(event)

    def _x(self, fraction: float) -> int:
        return MARGIN + round(fraction * (self.width() - 2 * MARGIN))

    def _text(self, painter, x: int, baseline: int, text: str, room: int, colour: QColor) -> None:
        metrics = painter.fontMetrics()
        painter.setPen(colour)
        painter.drawText(QPoint(x, baseline), metrics.elidedText(text, Qt.ElideRight, max(room, 20)))

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt API)
        from desktop_app.qt import QPainter

        layout = self._layout
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        if layout is None:
            painter.end()
            return
        font = painter.font()
        font.setPointSizeF(8)
        painter.setFont(font)
        ink = self.palette().text().color()
        marker_top, bar_top, specimen_top, window_top, axis_y = self.bands()
        right = self.width() - MARGIN
        pen = painter.pen()
        pen.setStyle(Qt.DashLine)
        pen.setColor(MARKER_LINE)
        for marker in layout.markers:
            painter.setPen(pen)
            x = self._x(marker.x)
            painter.drawLine(x, marker_top + marker.row * MARKER_ROW + 4, x, axis_y)
        for marker in layout.markers:
            x = self._x(marker.label_x0) + (3 if marker.label_x0 == marker.x else 0)
            room = self._x(marker.x) - 4 - x if marker.label_x1 <= marker.x else right - x
            self._text(painter, x, marker_top + (marker.row + 1) * MARKER_ROW - 4, marker.label, room, MARKER_LINE)
        painter.setPen(Qt.NoPen)
        for bar in layout.bars:
            rect = self.bar_rect(bar.index)
            painter.fillRect(rect, ADVANCED if bar.setting == "advanced" else EARLY)
            if bar.progression_x is not None:
                x, y = self._x(bar.progression_x), rect.center().y()
                painter.setPen(Qt.NoPen)
                painter.setBrush(PROGRESSION)
                painter.drawPolygon([QPoint(x, y - 5), QPoint(x + 4, y), QPoint(x, y + 5), QPoint(x - 4, y)])
            if layout.bar_labels:
                x = self._x(bar.label_x0)
                self._text(painter, x, rect.top() - 3, bar.label, right - x, ink)
        for spec in layout.specimens:
            x, y = self._x(spec.x), specimen_top + spec.row * SPECIMEN_ROW + SPECIMEN_ROW // 2
            painter.setPen(Qt.NoPen)
            painter.setBrush(SPECIMEN)
            painter.drawPolygon([QPoint(x, y - 4), QPoint(x + 4, y), QPoint(x, y + 4), QPoint(x - 4, y)])
            left = self._x(spec.label_x0) + (6 if spec.label_x0 == spec.x else 0)
            room = x - 6 - left if spec.label_x1 <= spec.x else right - left
            self._text(painter, left, y + 4, spec.label, room, ink)
        for window in layout.windows:
            top = window_top + window.row * WINDOW_ROW + WINDOW_ROW - 9
            x0, x1 = self._x(window.x0), self._x(window.x1)
            painter.setPen(WINDOW_LINE)
            painter.setBrush(WINDOW_FILL)
            painter.drawRect(QRect(x0, top, max(x1 - x0, 2), 6))
            if window.event_x is not None:
                x = self._x(window.event_x)
                painter.fillRect(QRect(x - 1, top - 2, 3, 10), PROGRESSION if window.inside else ink)
            left = self._x(window.label_x0)
            self._text(painter, left, top - 3, window.label, right - left, WINDOW_LINE)
        painter.setPen(ink)
        painter.drawLine(MARGIN, axis_y, right, axis_y)
        last = -1000
        for tick in layout.ticks:
            x = self._x(tick.x)
            painter.drawLine(x, axis_y, x, axis_y + 4)
            if x > last + 4:
                painter.drawText(QPoint(x + 2, axis_y + 14), tick.label)
                last = x + 2 + painter.fontMetrics().horizontalAdvance(tick.label)
        painter.end()
