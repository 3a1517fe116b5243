"""The visible stamp: a meaning is never clipped, and the whole stamp fits its reserved place."""

from __future__ import annotations

import pytest
from reportlab.lib.units import mm

from reports.fonts import string_width
from reports.signature_area import SLOT_HEIGHT, SignatureArea
from reports.signing import SignatureMeta
from reports.stamp import stamp_lines
from reports.styles import FRAME_WIDTH

LONG_ZH = "病理科确认：本摘要所述病理、免疫组化与分子检测结果均与原始报告一致，已逐项核对"
LONG_EN = "pathology: every result matches the original reports, checked"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_60_character_meaning_wraps_instead_of_being_clipped(lang):
    width = SignatureArea(FRAME_WIDTH, lang).slot_rects()[0][2] - 4 * mm
    meta = SignatureMeta("王主任", "MDT 主席", LONG_ZH, LONG_EN[:60], "case-1", "ab" * 32, lang=lang,
                         time_note="本机时钟时间，未经时间戳认证" if lang == "zh" else "time from this PC's clock, not certified")
    lines = stamp_lines(meta, "2024-07-01 09:30:00 +0000", width)
    meaning = [text for text, _, bold in lines if bold]
    assert "".join(meaning).replace(" ", "") == (LONG_ZH + LONG_EN[:60] if lang == "zh" else LONG_EN[:60] + LONG_ZH
                                                 ).replace(" ", "")
    for text, size, bold in lines:
        assert size >= 6, text
        assert string_width(text, size, bold=bold) <= width + 0.01, text
    assert sum(size for _, size, _ in lines) * 1.12 <= SLOT_HEIGHT - 2 * mm
