"""The PDF case summary: `build_report(case, evaluation) -> bytes` (ReportLab platypus, A4).

Why these choices:
- page "n / N" on every page needs the total before any page is written, so the canvas keeps each
  page's state and draws header and footer only when the document is complete (NumberedCanvas);
- the output is deterministic for a given case, evaluation, language, settings and `created` time
  (ReportLab's invariant mode plus an explicit creation date), so a re-render can be compared byte
  for byte and tests can pin it;
- the case ID and case version hash are written into the document information (Subject, Keywords)
  and the footer, so a signature over the document covers them and `sign_report` can refuse a PDF
  rendered for another version of the case.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, SimpleDocTemplate, Spacer

import guideline_db
from guideline_db.case_model import Case
from guideline_db.engine import Evaluation
from guideline_db.vocabulary import load_vocabulary
from reports.case_hash import case_version_hash as compute_case_hash
from reports.fonts import LATIN, draw_string, register_fonts, string_width
from reports.labels import t
from reports.sections_case import (
    biomarker_section,
    metastasis_section,
    pathology_section,
    patient_section,
    therapy_section,
)
from reports.sections_evaluation import (
    decision_section,
    derived_section,
    local_section,
    systemic_section,
    warnings_section,
)
from reports.settings import ReportSettings, load_settings
from reports.signature_area import KEYWORD_CASE_HASH, KEYWORD_CASE_ID, SignatureArea
from reports.styles import (
    ACCENT,
    FRAME_WIDTH,
    GRID,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_SIZE,
    WARN,
    kit,
)


@dataclass(frozen=True)
class PageChrome:
    """What the header and footer of every page show."""
    hospital: str
    department: str
    title: str
    pre_decision: bool
    case_id: str
    meeting: str
    footer_lines: tuple[str, str]
    page_label: str           # contains {n} and {total}


class NumberedCanvas(Canvas):
    """Holds every page until the end, then draws header/footer with the page count."""

    def __init__(self, *args, chrome: PageChrome, created: datetime, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._chrome = chrome
        self._pages: list[dict] = []
        stamp = self._doc._timeStamp   # pin CreationDate/ModDate (invariant mode pins the rest)
        offset = created.utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset else 0
        stamp.YMDhms = (created.year, created.month, created.day, created.hour, created.minute, created.second)
        stamp.dhh, stamp.dmm = int(minutes / 60), abs(minutes) % 60

    def showPage(self) -> None:  # noqa: N802 (ReportLab API)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_chrome(total)
            super().showPage()
        super().save()

    def _draw_chrome(self, total: int) -> None:
        c, width, height = self._chrome, PAGE_SIZE[0], PAGE_SIZE[1]
        left, right = MARGIN_X, width - MARGIN_X
        self.saveState()
        self.setFillColor(ACCENT)
        draw_string(self, left, height - 11 * mm, f"{c.hospital} · {c.department}", 8.5, bold=True)
        draw_string(self, right, height - 11 * mm, c.page_label.format(n=self._pageNumber, total=total), 8.5,
                    align="right")
        case_text = f"{c.case_id} · {c.meeting}"
        size = 8.0   # shrink the second header line rather than let title and case ID overlap
        while size > 5 and string_width(c.title, size) + string_width(case_text, size) > FRAME_WIDTH - 12:
            size -= 0.5
        self.setFillColor(WARN if c.pre_decision else ACCENT)
        draw_string(self, left, height - 16 * mm, c.title, size)
        self.setFillColor(ACCENT)
        draw_string(self, right, height - 16 * mm, case_text, size, align="right")
        self.setStrokeColor(GRID)
        self.setLineWidth(0.6)
        self.line(left, height - 18 * mm, right, height - 18 * mm)
        self.line(left, 14 * mm, right, 14 * mm)
        self.setFillColorRGB(0.3, 0.3, 0.3)
        draw_string(self, left, 10.5 * mm, c.footer_lines[0], 6)
        draw_string(self, left, 7.5 * mm, c.footer_lines[1], 6)
        self.restoreState()


def report_title(case: Case, lang: str) -> tuple[str, bool]:
    """The title, and whether this is a pre-decision summary (no MDT decision recorded yet)."""
    pre = case.mdt is None or case.mdt.decision is None
    return t("title_pre" if pre else "title", lang), pre


def _chrome(case: Case, evaluation: Evaluation, lang: str, settings: ReportSettings, case_hash: str,
            created: datetime) -> PageChrome:
    _, pre = report_title(case, lang)
    title = t("title_pre_short" if pre else "title_short", lang)
    meeting = case.mdt.meeting_date if case.mdt and case.mdt.meeting_date else None
    meeting_text = f"{t('meeting_date', lang)} {meeting}" if meeting else f"{t('meeting_date', lang)} —"
    g = evaluation.guideline
    line1 = t("footer", lang).format(title=g.get("title", ""), edition=g.get("edition", ""),
                                     sha=g.get("db_sha256", ""))
    line2 = (f"abc-mdt {guideline_db.__version__} · {t('case_version', lang)} {case_hash} · "
             f"{t('generated', lang)} {created:%Y-%m-%d %H:%M}")
    return PageChrome(settings.hospital(lang), settings.department(lang), title, pre, case.case_id, meeting_text,
                      (line1, line2), t("page", lang))


def _front_matter(case: Case, lang: str, created: datetime) -> list[Flowable]:
    k = kit(lang)
    title, pre = report_title(case, lang)
    meeting = case.mdt.meeting_date if case.mdt else None
    pairs = [(t("case_id", lang), case.case_id), (t("meeting_date", lang), meeting),
             (t("evaluation_date", lang), case.evaluation_date), (t("generated", lang), f"{created:%Y-%m-%d %H:%M}")]
    return [k.para(title, "h1_pre" if pre else "h1"), k.key_values(pairs), k.gap(2),
            k.para(t("disclaimer", lang), "small")]


def story(case: Case, evaluation: Evaluation, lang: str, created: datetime) -> list[Flowable]:
    """Every section, in the order the issue lists them."""
    vocabulary = load_vocabulary()
    area = SignatureArea(FRAME_WIDTH, lang)
    return [
        *_front_matter(case, lang, created),
        *patient_section(case, lang),
        *pathology_section(case, evaluation, lang),
        *biomarker_section(case, vocabulary, lang),
        *therapy_section(case, vocabulary, lang),
        *metastasis_section(case, lang),
        *derived_section(evaluation, lang),
        *systemic_section(evaluation, case, vocabulary, lang),
        *local_section(evaluation, vocabulary, lang),
        *warnings_section(evaluation, lang),
        *decision_section(case, evaluation, vocabulary, lang),
        CondPageBreak(area.height + 4 * mm), Spacer(1, 4 * mm), area,
    ]


def build_report(case: Case, evaluation: Evaluation, lang: str = "zh", settings: ReportSettings | None = None,
                 case_version_hash: str | None = None, created: datetime | None = None) -> bytes:
    """Render the case summary as PDF bytes.

    `evaluation` must be `guideline_db.engine.evaluate(case)`; `case_version_hash` defaults to the hash
    of `case`; `created` (default: now) is printed and written as the creation date.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    if evaluation.case_id != case.case_id:
        raise ValueError(f"evaluation is for case {evaluation.case_id!r}, not {case.case_id!r}")
    register_fonts()
    settings = settings or load_settings()
    case_hash = case_version_hash or compute_case_hash(case)
    created = created or datetime.now().astimezone()
    title, _ = report_title(case, lang)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=PAGE_SIZE, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=f"{title} — {case.case_id}",
        author=f"{settings.hospital(lang)} {settings.department(lang)}",
        subject=f"abc-mdt case {case.case_id} version {case_hash}",
        keywords=[KEYWORD_CASE_ID + case.case_id, KEYWORD_CASE_HASH + case_hash],
        creator=f"abc-mdt {guideline_db.__version__}", producer=f"abc-mdt {guideline_db.__version__} (ReportLab)",
        invariant=1, initialFontName=LATIN, lang="zh-CN" if lang == "zh" else "en",
    )
    chrome = _chrome(case, evaluation, lang, settings, case_hash, created)
    doc.build(story(case, evaluation, lang, created), canvasmaker=partial(NumberedCanvas, chrome=chrome,
                                                                         created=created))
    return buffer.getvalue()
