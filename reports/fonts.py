"""The report's fonts: registered once, embedded as TrueType subsets, and a per-character font chooser.

Every character of a case must reach the page (GB 18030-2022 names include characters such as 𫖯 in
赵孟𫖯, CJK Extension C). Droid Sans Fallback covers the common set; behind it, loaded only when a
character needs them, come HanaMinA (BMP and Extension A) and HanaMinB (plane 2: Extensions B-F) of
the Hanazono fonts (GlyphWiki; Hanazono licence or SIL OFL 1.1), and BabelStone Han (Arphic Public
Licence / CC BY-SA) for the Unicode 11-15 additions Hanazono lacks, and Nanum Gothic (OFL) for Korean
names (Hangul syllables and jamo). Together they draw all of the
通用规范汉字表, the CJK Unified Ideographs block, Extensions A to F and the compatibility supplement
(tests/test_report_fonts.py checks every code point). A character that no face has is never
replaced: `undrawable()` finds it so that the report refuses it, naming the field.

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

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
CJK = "ABCMDT-CJK"            # DroidSansFallbackFull: Chinese, full-width punctuation
LATIN = "ABCMDT-Sans"         # DejaVu Sans: Latin, Greek, arrows, maths
LATIN_BOLD = "ABCMDT-Sans-Bold"
_FILES = {CJK: "DroidSansFallbackFull.ttf", LATIN: "DejaVuSans.ttf", LATIN_BOLD: "DejaVuSans-Bold.ttf"}
# Faces for rare ideographs, in order of preference; registered on first use (each is 20-50 MB).
FALLBACKS = {"ABCMDT-HanaMinA": "HanaMinA.ttf", "ABCMDT-HanaMinB": "HanaMinB.ttf",
             "ABCMDT-BabelStoneHan": "BabelStoneHan.ttf", "ABCMDT-NanumGothic": "NanumGothic.ttf"}
LAYOUT_CONTROLS = "\t\r\n"   # drawn as space / line break, never as glyphs
_lock = threading.Lock()
_registered = False
_fallbacks: dict[str, frozenset[int]] = {}


def _to_unicode_cmap(fontname: str, subset) -> str:
    """ReportLab's ToUnicode CMap, with characters beyond U+FFFF written as UTF-16BE surrogate pairs.

    ReportLab writes every code point as `<%04X>`, which gives five hex digits for 𫖯 (U+2B5AF): an
    invalid CMap entry, so the character is drawn but cannot be searched or copied from the PDF.
    """
    def utf16(code: int) -> str:
        return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()

    entries = [f"<{index:02X}> <{utf16(code)}>" for index, code in enumerate(subset)]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange", f"{len(subset)} beginbfchar", *entries, "endbfchar", "endcmap",
        "CMapName currentdict /CMap defineresource pop", "end", "end"])


def register_fonts() -> None:
    """Register the three faces with ReportLab once per process (thread-safe, idempotent)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap   # looked up by name when a subset is written
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


def _fallback_coverage(name: str) -> frozenset[int]:
    with _lock:
        if name not in _fallbacks:
            font = TTFont(name, str(FONT_DIR / FALLBACKS[name]))
            pdfmetrics.registerFont(font)
            pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
            _fallbacks[name] = frozenset(font.face.charToGlyph)
        return _fallbacks[name]


@lru_cache(maxsize=65536)
def font_for(char: str) -> str | None:
    """Which face draws `char`: CJK ideographs and full-width forms from the CJK face, everything else
    from DejaVu when it has the glyph, rare ideographs from the fallbacks; None when no face has it."""
    cjk, latin = _coverage()
    code = ord(char)
    if code >= 0x2E80 and code in cjk:
        return CJK
    if code in latin:
        return LATIN
    if code in cjk:
        return CJK
    if code >= 0x1100:
        for name in FALLBACKS:
            if code in _fallback_coverage(name):
                return name
    return None


def undrawable(text: object) -> list[str]:
    """The distinct characters of `text` that no face can draw (line breaks and tabs excepted)."""
    value = "" if text is None else str(text)
    return list(dict.fromkeys(c for c in value if c not in LAYOUT_CONTROLS and font_for(c) is None))


def runs(text: str) -> list[tuple[str, str]]:
    """Split text into (font, chunk) runs. Callers refuse undrawable characters first (`undrawable`);
    any that still arrive are left out rather than replaced by a look-alike."""
    out: list[tuple[str, str]] = []
    for char in text:
        font = font_for(char)
        if font is None:
            if char not in LAYOUT_CONTROLS:
                continue
            font, char = LATIN, char
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
    for font, chunk in runs(value.replace("\r\n", "\n").replace("\r", "\n")):
        escaped = escape(chunk).replace("\n", "<br/>").replace("\t", " ")
        parts.append(escaped if font == LATIN else f'<font name="{font}">{escaped}</font>')
    return "".join(parts)


def draw_string(canvas, x: float, y: float, text: str, size: float, *, bold: bool = False,
                align: str = "left") -> float:
    """Draw one line of mixed text on a canvas (headers, footers, stamps); returns its width."""
    latin = LATIN_BOLD if bold else LATIN
    pieces = [(latin if font == LATIN else font, chunk.replace("\n", " ")) for font, chunk in runs(text)]
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
    return sum(pdfmetrics.stringWidth(chunk, latin if font == LATIN else font, size) for font, chunk in runs(text))
