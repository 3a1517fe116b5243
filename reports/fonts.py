"""The report's fonts: registered once, embedded as TrueType subsets, and a per-character font chooser.

Why two faces: DroidSansFallbackFull.ttf (the CJK face we ship) has no Latin glyphs at all — not even
ASCII digits — so Latin text, arrows (→), ≥/≤, Greek and Roman numerals come from DejaVu Sans, which we
ship beside it. Both are TrueType and ReportLab embeds only the glyphs used (subsets), so the PDF
renders the same on every PC and in every archive, and no standard (unembedded) font is ever used.
ReportLab's paragraphs do not fall back from one font to another per glyph, so `markup()` wraps runs
of CJK characters in a `<font>` tag itself.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
CJK = "ABCMDT-CJK"            # DroidSansFallbackFull: Chinese, full-width punctuation
LATIN = "ABCMDT-Sans"         # DejaVu Sans: Latin, Greek, arrows, maths
LATIN_BOLD = "ABCMDT-Sans-Bold"
_FILES = {CJK: "DroidSansFallbackFull.ttf", LATIN: "DejaVuSans.ttf", LATIN_BOLD: "DejaVuSans-Bold.ttf"}
REPLACEMENT = "?"
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the three faces with ReportLab once per process (thread-safe, idempotent)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, file_name in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file_name)))
        # <b> inside a paragraph maps Latin text to the bold face; CJK has no bold face.
        pdfmetrics.registerFontFamily(LATIN, normal=LATIN, bold=LATIN_BOLD, italic=LATIN, boldItalic=LATIN_BOLD)
        pdfmetrics.registerFontFamily(LATIN_BOLD, normal=LATIN_BOLD, bold=LATIN_BOLD, italic=LATIN_BOLD,
                                      boldItalic=LATIN_BOLD)
        pdfmetrics.registerFontFamily(CJK, normal=CJK, bold=CJK, italic=CJK, boldItalic=CJK)
        _registered = True


@lru_cache(maxsize=1)
def _coverage() -> tuple[frozenset[int], frozenset[int]]:
    register_fonts()
    cjk = pdfmetrics.getFont(CJK).face.charToGlyph
    latin = pdfmetrics.getFont(LATIN).face.charToGlyph
    return frozenset(cjk), frozenset(latin)


def font_for(char: str) -> str | None:
    """Which face draws `char`: CJK ideographs and full-width forms from the CJK face, everything else
    from DejaVu when it has the glyph; None when neither face has it."""
    cjk, latin = _coverage()
    code = ord(char)
    if code >= 0x2E80 and code in cjk:
        return CJK
    if code in latin:
        return LATIN
    if code in cjk:
        return CJK
    return None


def runs(text: str) -> list[tuple[str, str]]:
    """Split text into (font, chunk) runs; characters no face can draw become REPLACEMENT."""
    out: list[tuple[str, str]] = []
    for char in text:
        font = font_for(char)
        if font is None:
            font, char = LATIN, (" " if char in "\t\r\n" else REPLACEMENT)
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + char)
        else:
            out.append((font, char))
    return out


def markup(text: object) -> str:
    """Paragraph markup for plain text: XML-escaped, CJK runs wrapped in the CJK font.

    The paragraph's own font must be LATIN (or LATIN_BOLD); only CJK runs need a tag.
    """
    value = "" if text is None else str(text)
    parts = []
    for font, chunk in runs(value):
        escaped = escape(chunk)
        parts.append(f'<font name="{CJK}">{escaped}</font>' if font == CJK else escaped)
    return "".join(parts)


def draw_string(canvas, x: float, y: float, text: str, size: float, *, bold: bool = False,
                align: str = "left") -> float:
    """Draw one line of mixed text on a canvas (headers, footers, stamps); returns its width."""
    latin = LATIN_BOLD if bold else LATIN
    pieces = [(latin if font == LATIN else CJK, chunk) for font, chunk in runs(text)]
    width = sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in pieces)
    if align == "right":
        x -= width
    elif align == "center":
        x -= width / 2
    for font, chunk in pieces:
        canvas.setFont(font, size)
        canvas.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, font, size)
    return width


def string_width(text: str, size: float, *, bold: bool = False) -> float:
    latin = LATIN_BOLD if bold else LATIN
    return sum(pdfmetrics.stringWidth(chunk, latin if font == LATIN else CJK, size) for font, chunk in runs(text))
