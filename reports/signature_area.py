"""The signature area at the end of the report, and where its places are (for `sign_report`).

Why reserve places when rendering: a signature added later may only add its own field and appearance
(an incremental update); it may not move the report's text to make room, or the earlier signatures
would no longer cover what is shown. So the report ends with an empty block of SLOT_COUNT places, and
writes their page and rectangles into the document's Keywords, which every signature then covers.
The Keywords also carry the case ID and case version hash (`abc-mdt-case-id=...`), read back here.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from reports.fonts import draw_string
from reports.labels import t

KEYWORD_CASE_ID = "abc-mdt-case-id="
KEYWORD_CASE_HASH = "abc-mdt-case-sha256="
KEYWORD_SLOTS = "abc-mdt-signature-slots="
KEYWORD_PRE_DECISION = "abc-mdt-pre-decision="
FIELD_PREFIX = "MDTSignature"
SLOT_COUNT = 4
SLOT_ROLES = {1: ("作者", "author"), 2: ("MDT 主席", "MDT chair")}   # further places: any configured meaning
SLOT_HEIGHT = 32 * mm
GAP = 3 * mm
TITLE_HEIGHT = 7 * mm


def slot_field_name(number: int) -> str:
    """The signature field reserved for the number-th signature (1-based)."""
    return f"{FIELD_PREFIX}{number}"


def slot_label(number: int, lang: str) -> str:
    zh, en = SLOT_ROLES.get(number, ("审阅", "reviewer"))
    return f"{number} · {zh if lang == 'zh' else en}"


@dataclass(frozen=True)
class Slot:
    page_index: int          # 0-based
    box: tuple[float, float, float, float]   # x1, y1, x2, y2 in PDF user space


class SignatureArea(Flowable):
    """Empty, outlined places for up to SLOT_COUNT visible signatures, two per row."""

    def __init__(self, width: float, lang: str) -> None:
        super().__init__()
        self.width = width
        self.lang = lang
        rows = (SLOT_COUNT + 1) // 2
        self.height = TITLE_HEIGHT + rows * SLOT_HEIGHT + (rows - 1) * GAP
        self.page_index = -1                                  # set when drawn
        self.placed: list[tuple[float, float, float, float]] = []   # page coordinates, set when drawn

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def slot_rects(self) -> list[tuple[float, float, float, float]]:
        """Slot rectangles relative to this flowable's origin (bottom left)."""
        slot_w = (self.width - GAP) / 2
        rects = []
        for i in range(SLOT_COUNT):
            row, col = divmod(i, 2)
            top = self.height - TITLE_HEIGHT - row * (SLOT_HEIGHT + GAP)
            x = col * (slot_w + GAP)
            rects.append((x, top - SLOT_HEIGHT, x + slot_w, top))
        return rects

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#1F4E79"))
        draw_string(canvas, 0, self.height - TITLE_HEIGHT + 2 * mm, t("signatures", self.lang), 10.5, bold=True)
        canvas.setStrokeColor(colors.HexColor("#B0B0B0"))
        canvas.setFillColor(colors.HexColor("#A0A0A0"))
        canvas.setDash(2, 2)
        canvas.setLineWidth(0.5)
        absolute = []
        for i, (x1, y1, x2, y2) in enumerate(self.slot_rects()):
            canvas.rect(x1, y1, x2 - x1, y2 - y1, stroke=1, fill=0)
            draw_string(canvas, x1 + 2 * mm, y1 + 2 * mm, slot_label(i + 1, self.lang), 7)
            ax1, ay1 = canvas.absolutePosition(x1, y1)
            ax2, ay2 = canvas.absolutePosition(x2, y2)
            self.placed.append((ax1, ay1, ax2, ay2))
            absolute.append(f"{ax1:.2f} {ay1:.2f} {ax2:.2f} {ay2:.2f}")   # no commas: Keywords are comma-separated
        canvas.restoreState()
        page_index = canvas.getPageNumber() - 1
        self.page_index = page_index
        info = canvas._doc.info
        info.keywords = f"{info.keywords}, {KEYWORD_SLOTS}{page_index}:{'|'.join(absolute)}"


def read_keywords(keywords: str | None) -> dict[str, str]:
    """abc-mdt's `name=value` entries of a document's Keywords."""
    found: dict[str, str] = {}
    for item in (keywords or "").split(","):
        name, sep, value = item.strip().partition("=")
        if sep and name.startswith("abc-mdt-"):
            found[name + "="] = value
    return found


def parse_slots(keywords: dict[str, str]) -> list[Slot]:
    """The reserved signature places recorded in a report's Keywords (see `read_keywords`)."""
    value = keywords.get(KEYWORD_SLOTS)
    if not value:
        return []
    try:
        page, rects = value.split(":", 1)
        slots = [Slot(int(page), tuple(float(v) for v in rect.split())) for rect in rects.split("|")]
    except ValueError:
        return []
    return [slot for slot in slots if len(slot.box) == 4]
