"""The visible signature stamp, drawn by ReportLab and placed by pyHanko.

Why not pyHanko's own text stamp: its built-in font is Helvetica (no Chinese, and not embedded), and
its OpenType engine needs fontTools and HarfBuzz, which this project does not ship. So the stamp is a
one-page PDF drawn with the report's own embedded fonts, imported as the appearance of the signature
field. It is a `TextStampStyle` only so that pyHanko hands it the signing time it writes into the
signature, formatted with `timestamp_format`: the time on the stamp is the signature's own time.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pyhanko.pdf_utils import content, layout
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.stamp import StaticStampStyle, TextStampStyle
from pyhanko.stamp.static import StaticContentStamp
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from reports.fonts import LATIN, draw_string, register_fonts, string_width

if TYPE_CHECKING:
    from reports.signing import SignatureMeta

STAMP_TIME_FORMAT = "%Y-%m-%d %H:%M:%S %z"
BORDER = colors.HexColor("#1F4E79")


class PdfBytesPage(content.PdfContent):
    """First page of an in-memory PDF as form XObject content (pyHanko's ImportedPdfPage needs a file)."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self.data = data

    def render(self) -> bytes:
        writer = self._ensure_writer
        xobject = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        name = "/StampPage" + uuid.uuid4().hex
        self.resources.xobject[name] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x2 - x1), height=abs(y2 - y1))
        return name.encode("ascii") + b" Do"


def _fit(text: str, size: float, width: float) -> float:
    """The largest font size <= size at which text fits in width (down to 4.5 pt)."""
    while size > 4.5 and string_width(text, size) > width:
        size -= 0.25
    return size


STAMP_WIDTH_HINT = 245.0     # pt of text in a reserved place (the place's width less the margins)


def _wrap(text: str, size: float, width: float, bold: bool) -> list[str]:
    """Break `text` into lines no wider than `width` at `size`: at a space when one is near, else
    between any two characters (Chinese)."""
    lines, current = [], ""
    for char in text:
        if current and string_width(current + char, size, bold=bold) > width:
            cut = current.rfind(" ")
            if cut > len(current) // 2:
                lines.append(current[:cut])
                current = current[cut + 1:] + char
            else:
                lines.append(current)
                current = char
        else:
            current += char
    return [*lines, current] if current else lines


def _meaning_lines(text: str, width: float, size: float, smallest: float) -> list[tuple[str, float, bool]]:
    """A meaning is never clipped: shrunk to `smallest`, then wrapped onto as many lines as it needs."""
    while size > smallest and string_width(text, size, bold=True) > width:
        size -= 0.25
    return [(line, size, True) for line in _wrap(text, size, width, True)]


def stamp_lines(meta: SignatureMeta, signed_at: str, width: float = STAMP_WIDTH_HINT) -> list[tuple[str, float, bool]]:
    """(text, font size, bold) for each line of the stamp, in the stamp's language; the meaning in the
    other language follows on its own line. Bold lines are the meaning."""
    zh = meta.lang == "zh"
    meaning = meta.meaning_zh if zh else meta.meaning_en
    other = meta.meaning_en if zh else meta.meaning_zh
    lines = _meaning_lines(meaning, width, 8.5, 7)
    if other and other != meaning:
        lines += _meaning_lines(other, width, 7, 6)
    return [
        *lines,
        (f"{meta.signer_name} · {meta.role}" if meta.role else meta.signer_name, 8.5, False),
        (("签署时间 " if zh else "Signed ") + signed_at, 7.5, False),
        *([(meta.time_note, 6.5, False)] if meta.time_note else []),
        (("病例 " if zh else "Case ") + meta.case_id, 7, False),
        (("病例版本 " if zh else "Case version ") + meta.case_version_hash[:32], 6.5, False),
        (("        " if zh else "             ") + meta.case_version_hash[32:], 6.5, False),
        ("数字签名（PAdES）· abc-mdt" if zh else "Digital signature (PAdES) · abc-mdt", 6, False),
    ]


def render_stamp_pdf(meta: SignatureMeta, signed_at: str, width: float, height: float) -> bytes:
    """A width × height pt one-page PDF showing who signed, in which role, when, and what it means."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1, initialFontName=LATIN)
    canvas.setFillColor(colors.white)
    canvas.setStrokeColor(BORDER)
    canvas.setLineWidth(1.2)
    canvas.rect(0.6, 0.6, width - 1.2, height - 1.2, stroke=1, fill=1)
    inner = width - 4 * mm
    lines = stamp_lines(meta, signed_at, inner)
    leading = 1.25 if sum(size for _, size, _ in lines) * 1.25 < height - 4 * mm else 1.12
    y = height - 2 * mm - lines[0][1]
    for text, size, bold in lines:
        size = _fit(text, size, inner)
        canvas.setFillColor(BORDER if bold else colors.black)
        draw_string(canvas, 2 * mm, y, text, size, bold=bold)
        y -= size * leading
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@dataclass(frozen=True)
class ReportStampStyle(TextStampStyle):
    """Stamp style that draws `render_stamp_pdf` at signing time, with pyHanko's signing time."""

    meta: SignatureMeta | None = None
    timestamp_format: str = STAMP_TIME_FORMAT

    def create_stamp(self, writer, box: layout.BoxConstraints, text_params: dict) -> StaticContentStamp:
        if self.meta is None:
            raise ValueError("ReportStampStyle needs the signature's meta")
        pdf = render_stamp_pdf(self.meta, text_params.get("ts", ""), box.width, box.height)
        style = StaticStampStyle(
            background=PdfBytesPage(pdf), border_width=0, background_opacity=1.0,
            background_layout=layout.SimpleBoxLayoutRule(x_align=layout.AxisAlignment.ALIGN_MID,
                                                         y_align=layout.AxisAlignment.ALIGN_MID,
                                                         margins=layout.Margins.uniform(0)))
        return StaticContentStamp(writer=writer, style=style, box=box)
