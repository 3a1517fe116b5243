"""Paragraph styles and the one table builder every section uses, per report language.

Why one builder: every table of the summary must behave the same when it is long — split across
pages with its header row repeated (repeatRows=1), and a row taller than a page split inside the row
(splitInRow=1; free text of any length) — and every cell must wrap, which only Paragraph cells do.
Why per language: Chinese text wraps between any two characters (wordWrap='CJK', which
also keeps embedded Latin words whole where it can); English text wraps at spaces, and a long word
(or a Chinese phrase typed into an English report) is split only when it cannot fit (splitLongWords).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table, TableStyle

from reports.fonts import LATIN, LATIN_BOLD, markup, register_fonts

PAGE_SIZE = A4
MARGIN_X = 15 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 20 * mm
FRAME_WIDTH = PAGE_SIZE[0] - 2 * MARGIN_X
ACCENT = colors.HexColor("#1F4E79")
HEADER_FILL = colors.HexColor("#DCE6F1")
CHOSEN_FILL = colors.HexColor("#E2F0D9")
WARN = colors.HexColor("#9C2A00")
GRID = colors.HexColor("#8EA9C1")
_CELL_PADDING = [("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                 ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]


def _styles(lang: str) -> dict[str, ParagraphStyle]:
    wrap = "CJK" if lang == "zh" else None
    body = ParagraphStyle(f"body-{lang}", fontName=LATIN, fontSize=8.5, leading=11.5, wordWrap=wrap, spaceAfter=2,
                          splitLongWords=1)
    cell = ParagraphStyle(f"cell-{lang}", parent=body, fontSize=7.5, leading=9.6, spaceAfter=0)
    h1 = ParagraphStyle(f"h1-{lang}", parent=body, fontName=LATIN_BOLD, fontSize=14, leading=18, textColor=ACCENT,
                        spaceAfter=4)
    return {
        "body": body, "cell": cell, "h1": h1,
        "cell_head": ParagraphStyle(f"cell_head-{lang}", parent=cell, fontName=LATIN_BOLD),
        "small": ParagraphStyle(f"small-{lang}", parent=body, fontSize=7, leading=9),
        "h1_pre": ParagraphStyle(f"h1_pre-{lang}", parent=h1, textColor=WARN),
        "h2": ParagraphStyle(f"h2-{lang}", parent=body, fontName=LATIN_BOLD, fontSize=10.5, leading=13,
                             textColor=ACCENT, spaceBefore=7, spaceAfter=3),
        "bold": ParagraphStyle(f"bold-{lang}", parent=body, fontName=LATIN_BOLD, spaceBefore=3),
        "warning": ParagraphStyle(f"warning-{lang}", parent=body, textColor=WARN),
    }


class Kit:
    """Flowable builders bound to one report language."""

    def __init__(self, lang: str) -> None:
        register_fonts()
        self.lang = lang
        self.styles = _styles(lang)

    def colon(self) -> str:
        return "：" if self.lang == "zh" else ": "

    def para(self, text: object, style: str = "body") -> Paragraph:
        """A paragraph of plain (unescaped) text, CJK runs in the CJK face."""
        return Paragraph(markup(text), self.styles[style])

    def heading(self, text: str) -> list[Flowable]:
        """A section heading that is never left alone at the foot of a page."""
        return [CondPageBreak(28 * mm), self.para(text, "h2")]

    def cell(self, value: object, *, bold: bool = False) -> Paragraph:
        shown = "—" if value is None else value
        return self.para(shown, "cell_head" if bold else "cell")

    def lines_cell(self, values: Sequence[object]) -> Paragraph:
        """Several short lines in one cell (trial figures, reasons)."""
        if not values:
            return self.cell(None)
        return Paragraph("<br/>".join(markup(v) for v in values), self.styles["cell"])

    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float], *,
              fills: dict[int, colors.Color] | None = None, commands: Sequence[tuple] = ()) -> Table:
        """A full-width table whose header row repeats on every page it spans.

        `widths` are fractions of the frame width; `fills` maps a data-row index to a background colour;
        `commands` are further TableStyle commands (SPAN, NOSPLIT) in table coordinates.
        """
        data = [[self.cell(h, bold=True) for h in header]]
        data += [[v if isinstance(v, Flowable) else self.cell(v) for v in row] for row in rows]
        result = Table(data, colWidths=[w * FRAME_WIDTH for w in widths], repeatRows=1, hAlign="LEFT", splitInRow=1)
        style = [
            ("FONTNAME", (0, 0), (-1, -1), LATIN),   # else Table selects Helvetica, which is never embedded
            ("GRID", (0, 0), (-1, -1), 0.4, GRID),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            *_CELL_PADDING,
        ]
        style += [("BACKGROUND", (0, i + 1), (-1, i + 1), colour) for i, colour in (fills or {}).items()]
        result.setStyle(TableStyle([*style, *commands]))
        return result

    def key_values(self, pairs: Sequence[tuple[str, object]], columns: int = 2) -> Table:
        """Label/value pairs, `columns` pairs per row, labels shaded, no header row."""
        rows: list[list[Flowable]] = []
        for start in range(0, len(pairs), columns):
            row: list[Flowable] = []
            for label, value in pairs[start:start + columns]:
                row += [self.cell(label, bold=True), self.cell(value)]
            row += [self.cell("")] * (2 * columns - len(row))
            rows.append(row)
        label_w = 0.17
        widths = [label_w, 1 / columns - label_w] * columns
        result = Table(rows, colWidths=[w * FRAME_WIDTH for w in widths], hAlign="LEFT", splitInRow=1)
        result.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), LATIN),
            ("GRID", (0, 0), (-1, -1), 0.4, GRID),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            *[("BACKGROUND", (2 * i, 0), (2 * i, -1), HEADER_FILL) for i in range(columns)],
            *_CELL_PADDING,
        ]))
        return result

    @staticmethod
    def gap(height: float = 3) -> Spacer:
        return Spacer(1, height)


@lru_cache(maxsize=2)
def kit(lang: str) -> Kit:
    return Kit(lang)
