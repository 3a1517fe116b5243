"""Every character of a case reaches the page: coverage of the shipped faces, checked code point by code point.

Claimed (reports/fonts.py): all 8,105 characters of the 通用规范汉字表 (tests/data/tongyong_guifan_hanzi.txt,
from Unihan's kTGH field), the whole CJK Unified Ideographs block U+4E00-9FFF, Extensions A to F and the
CJK Compatibility Ideographs Supplement, and the Hangul syllables. A character outside them is refused by
name, never replaced.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from reports.fonts import FALLBACKS, font_for, markup, register_fonts, undrawable

DATA = Path(__file__).resolve().parent / "data" / "tongyong_guifan_hanzi.txt"
CLAIMED = {
    "CJK Unified Ideographs": (0x4E00, 0x9FFF),
    "Extension A": (0x3400, 0x4DBF),
    "Extension B": (0x20000, 0x2A6DF),
    "Extension C": (0x2A700, 0x2B739),
    "Extension D": (0x2B740, 0x2B81D),
    "Extension E": (0x2B820, 0x2CEA1),
    "Extension F": (0x2CEB0, 0x2EBE0),
    "Compatibility Ideographs Supplement": (0x2F800, 0x2FA1D),
    "Hangul Syllables": (0xAC00, 0xD7A3),
}


def _has_glyph(char: str) -> bool:
    face = font_for(char)
    return face is not None and ord(char) in pdfmetrics.getFont(face).face.charToGlyph


def test_every_character_of_the_general_standard_table_is_drawable():
    table = DATA.read_text(encoding="utf-8").splitlines()[1]
    assert len(table) == 8105 and len(set(table)) == 8105
    missing = [c for c in table if not _has_glyph(c)]
    assert missing == []


@pytest.mark.parametrize("block", sorted(CLAIMED))
def test_every_code_point_of_the_claimed_blocks_is_drawable(block):
    start, end = CLAIMED[block]
    missing = [f"U+{c:04X}" for c in range(start, end + 1) if not _has_glyph(chr(c))]
    assert missing == []


def test_rare_name_characters_come_from_a_fallback_face():
    register_fonts()
    for char in "𫖯𬌗":
        assert font_for(char) in FALLBACKS, char
    assert f'<font name="{font_for("𫖯")}">𫖯</font>' in markup("赵孟𫖯")


def test_undrawable_characters_are_named_not_replaced():
    assert undrawable("随访\U0001F9EC 𮯰 后") == ["\U0001F9EC", "\U0002EBF0"]
    assert "?" not in markup("a\U0001F9ECb") and markup("a\U0001F9ECb") == "ab"


def test_line_breaks_are_kept_as_breaks():
    assert markup("第一行\n第二行\r\nthird").count("<br/>") == 2
