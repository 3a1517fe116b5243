"""The PDF case summary: `build_report(case, evaluation) -> bytes` (ReportLab platypus, A4).

Why these choices:
- page "n / N" on every page needs the total before any page is written, so the canvas keeps each
  page's state and draws header and footer only when the document is complete (NumberedCanvas);
- the output is deterministic for a given case, evaluation, language, settings and `created` time
  (ReportLab's invariant mode plus an explicit creation date), so a re-render can be compared byte
  for byte and tests can pin it;
- the case ID and case version hash are written into the document information (Subject, Keywords)
  and the footer, so a signature over the document covers them and `sign_report` can refuse a PDF
  rendered for another version of the case;
- every page's header names the patient (name, hospital ID), the case ID, the case version and the
  page n / N, so a page separated from the others still says whose it is; the footer is 7 pt black
  (legible on a 1-bit print);
- a character that no shipped font can draw, or a control character, is refused with the field it
  is in (`ReportContentError`), never printed as "?" or dropped;
- the pages then become a PDF/A-3b record with the case and the evaluation attached and the
  signature places reserved as empty, locked signature fields (`reports.archive`).
"""

from __future__ import annotations

import io
import json
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, SimpleDocTemplate, Spacer

import guideline_db
from guideline_db.case_io import case_to_json
from guideline_db.case_model import Case
from guideline_db.engine import Evaluation
from guideline_db.vocabulary import load_vocabulary
from reports.archive import CASE_ATTACHMENT, EVALUATION_ATTACHMENT, Attachment, ReservedSlot, finish_report
from reports.case_hash import case_version_hash as compute_case_hash
from reports.fonts import LATIN, draw_string, register_fonts, string_width, undrawable
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
    decision_tail,
    derived_section,
    local_section,
    systemic_section,
    warnings_section,
)
from reports.settings import ReportSettings, load_settings
from reports.signature_area import (
    KEYWORD_CASE_HASH,
    KEYWORD_CASE_ID,
    KEYWORD_PRE_DECISION,
    SignatureArea,
    slot_field_name,
    slot_label,
)
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
from reports.timeline_drawing import timeline_section


@dataclass(frozen=True)
class PageChrome:
    """What the header and footer of every page show."""
    hospital: str
    department: str
    title: str
    pre_decision: bool
    case_id: str
    meeting: str
    footer_lines: tuple[str, ...]
    page_label: str           # contains {n} and {total}
    patient_line: str         # patient name · hospital ID
    case_line: str            # case ID · case version


FOOTER_SIZE = 7.0             # pt, black: the smallest size that survives a 1-bit print
HEADER_SIZE = 8.0


class ReportContentError(ValueError):
    """Case text the report cannot print faithfully; `problems` are `field.path: message` lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _walk_text(value, path: str):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk_text(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk_text(item, f"{path}[{index}]")


def _is_control(char: str) -> bool:
    return char not in "\n\t" and unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn")


def text_problems(case: Case) -> list[str]:
    """`field.path: message` for every character of the case the report cannot print as typed."""
    problems = []
    for path, text in _walk_text(case.model_dump(mode="json"), ""):
        controls = sorted({c for c in text if _is_control(c) and c != "\r"})
        if controls:
            listed = ", ".join(f"U+{ord(c):04X}" for c in controls)
            problems.append(f"{path}: control or unassigned character {listed} cannot be printed; remove it")
        missing = [c for c in undrawable(text) if c not in controls and c != "\r"]
        if missing:
            listed = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing[:10])
            problems.append(f"{path}: no font of the report can draw {listed}; "
                            "type it another way (e.g. a pinyin or an image-free description)")
    return problems


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
        draw_string(self, left, height - 10 * mm, f"{c.hospital} · {c.department}", 8.5, bold=True)
        draw_string(self, right, height - 10 * mm, c.page_label.format(n=self._pageNumber, total=total), 8.5,
                    bold=True, align="right")
        self.setFillColor(WARN if c.pre_decision else ACCENT)
        draw_string(self, left, height - 14.5 * mm, c.title, _fit(c.title, c.meeting, HEADER_SIZE))
        self.setFillColor(ACCENT)
        draw_string(self, right, height - 14.5 * mm, c.meeting, _fit(c.title, c.meeting, HEADER_SIZE), align="right")
        self.setFillColor(colors.black)
        size = _fit(c.patient_line, c.case_line, HEADER_SIZE + 0.5)
        draw_string(self, left, height - 19 * mm, c.patient_line, size, bold=True)
        draw_string(self, right, height - 19 * mm, c.case_line, size, align="right")
        self.setStrokeColor(GRID)
        self.setLineWidth(0.6)
        self.line(left, height - 21 * mm, right, height - 21 * mm)
        self.line(left, 15 * mm, right, 15 * mm)
        self.setFillColor(colors.black)
        y = 11.5 * mm
        for line in c.footer_lines:
            draw_string(self, left, y, line, FOOTER_SIZE)
            y -= FOOTER_SIZE * 1.25
        self.restoreState()


def _fit(left: str, right: str, size: float) -> float:
    """Shrink a header line (never below 6.5 pt) rather than let its two halves overlap."""
    while size > 6.5 and string_width(left, size) + string_width(right, size) > FRAME_WIDTH - 12:
        size -= 0.25
    return size


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
    lines = tuple(part for line in (line1, line2) for part in _split_footer(line))
    patient = case.patient
    patient_line = (f"{t('name', lang)} {patient.name or '—'} · {t('hospital_id', lang)} {patient.hospital_id or '—'}")
    case_line = f"{t('case_id', lang)} {case.case_id} · {t('case_version', lang)} {case_hash[:12]}"
    return PageChrome(settings.hospital(lang), settings.department(lang), title, pre, case.case_id, meeting_text,
                      lines, t("page", lang), patient_line, case_line)


def _split_footer(line: str) -> list[str]:
    """A footer line too wide at 7 pt is broken at its ' · ' separators, never shrunk."""
    if string_width(line, FOOTER_SIZE) <= FRAME_WIDTH:
        return [line]
    parts, out = line.split(" · "), [""]
    for part in parts:
        candidate = f"{out[-1]} · {part}" if out[-1] else part
        if string_width(candidate, FOOTER_SIZE) <= FRAME_WIDTH or not out[-1]:
            out[-1] = candidate
        else:
            out.append(part)
    return out


def _front_matter(case: Case, lang: str, created: datetime) -> list[Flowable]:
    k = kit(lang)
    title, pre = report_title(case, lang)
    meeting = case.mdt.meeting_date if case.mdt else None
    pairs = [(t("case_id", lang), case.case_id), (t("meeting_date", lang), meeting),
             (t("evaluation_date", lang), case.evaluation_date), (t("generated", lang), f"{created:%Y-%m-%d %H:%M}")]
    return [k.para(title, "h1_pre" if pre else "h1"), k.key_values(pairs), k.gap(2),
            k.para(t("disclaimer", lang), "small")]


def story(case: Case, evaluation: Evaluation, lang: str, created: datetime,
          area: SignatureArea | None = None) -> list[Flowable]:
    """Every section, in the order the issue lists them; the end of the decision section and the
    signature area are kept on one page, so the signatures never stand alone."""
    vocabulary = load_vocabulary()
    area = area or SignatureArea(FRAME_WIDTH, lang)
    decision = decision_section(case, evaluation, vocabulary, lang)
    tail_length = len(decision_tail(case, evaluation, lang))
    body, tail = decision[:-tail_length], decision[-tail_length:]
    return [
        *_front_matter(case, lang, created),
        *timeline_section(case, evaluation, lang),
        *patient_section(case, lang),
        *pathology_section(case, evaluation, lang),
        *biomarker_section(case, vocabulary, lang),
        *therapy_section(case, vocabulary, lang),
        *metastasis_section(case, lang),
        *derived_section(evaluation, lang),
        *systemic_section(evaluation, case, vocabulary, lang),
        *local_section(evaluation, vocabulary, lang),
        *warnings_section(evaluation, lang),
        *body,
        KeepTogether([*tail, Spacer(1, 4 * mm), area]),
    ]


def build_report(case: Case, evaluation: Evaluation, lang: str = "zh", settings: ReportSettings | None = None,
                 case_version_hash: str | None = None, created: datetime | None = None,
                 audit_head: str | None = None) -> bytes:
    """Render the case summary as PDF bytes.

    `evaluation` must be `guideline_db.engine.evaluate(case)`; `case_version_hash` defaults to the hash
    of `case`; `created` (default: now) is printed and written as the creation date. `audit_head` (the case
    store's `audit_head().token()`) is written into the metadata, so `cases verify-audit --against PDF` can
    later prove the store still contains the chain this record was made from.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    if evaluation.case_id != case.case_id:
        raise ValueError(f"evaluation is for case {evaluation.case_id!r}, not {case.case_id!r}")
    register_fonts()
    problems = text_problems(case)
    if problems:
        raise ReportContentError(problems)
    settings = settings or load_settings()
    case_hash = case_version_hash or compute_case_hash(case)
    created = (created or datetime.now().astimezone()).replace(microsecond=0)
    title, pre = report_title(case, lang)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=PAGE_SIZE, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=f"{title} — {case.case_id}",
        author=f"{settings.hospital(lang)} {settings.department(lang)}",
        subject=f"abc-mdt case {case.case_id} version {case_hash}",
        keywords=[KEYWORD_CASE_ID + case.case_id, KEYWORD_CASE_HASH + case_hash,
                  KEYWORD_PRE_DECISION + ("yes" if pre else "no"), *([audit_head] if audit_head else [])],
        creator=f"abc-mdt {guideline_db.__version__}", producer=f"abc-mdt {guideline_db.__version__} (ReportLab)",
        invariant=1, initialFontName=LATIN, lang="zh-CN" if lang == "zh" else "en",
    )
    chrome = _chrome(case, evaluation, lang, settings, case_hash, created)
    area = SignatureArea(FRAME_WIDTH, lang)
    doc.build(story(case, evaluation, lang, created, area),
              canvasmaker=partial(NumberedCanvas, chrome=chrome, created=created))
    slots = [ReservedSlot(slot_field_name(i), area.page_index, box, slot_label(i, lang))
             for i, box in enumerate(area.placed, start=1)]
    attachments = [
        Attachment(CASE_ATTACHMENT, case_to_json(case).encode("utf-8"), f"case {case.case_id} version {case_hash}",
                   "/Source"),
        Attachment(EVALUATION_ATTACHMENT,
                   json.dumps(evaluation.to_dict(lang), ensure_ascii=False, indent=2).encode("utf-8"),
                   f"evaluation of case {case.case_id} version {case_hash}", "/Data"),
    ]
    return finish_report(buffer.getvalue(), slots=slots, attachments=attachments, created=created, lang=lang)
