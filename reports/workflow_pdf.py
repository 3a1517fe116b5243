"""The board's workflow documents (issue 17): the meeting agenda and the concordance audit, as A4 PDFs in
the reader's language. They render the core's objects (guideline_db.workflow); no figure is computed here.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime

from reportlab.platypus import Flowable, SimpleDocTemplate

import guideline_db
from guideline_db.workflow.agenda import AgendaItem
from guideline_db.workflow.concordance import Concordance, Group, name_of_dimension
from guideline_db.workflow.impact import ImpactReport
from guideline_db.workflow.text import name
from reports.charts import Bar, bar_chart
from reports.fonts import LATIN, draw_string, register_fonts
from reports.styles import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE_SIZE, kit

TEXT = {
    "agenda_title": ("MDT会议议程", "MDT meeting agenda"),
    "meeting": ("会议日期", "Meeting date"), "cases": ("病例数", "Cases"), "generated": ("生成时间", "Generated"),
    "guideline": ("指南版本", "Guideline"), "patient": ("患者", "Patient"), "case_id": ("病例号", "Case ID"),
    "question": ("讨论问题", "Question for the board"), "missing": ("缺少资料", "Missing data"),
    "status": ("状态", "Status"), "decided": ("已有决定", "decided"), "open": ("待讨论", "to discuss"),
    "no_cases": ("该日期无已保存的病例。", "No stored case has this meeting date."),
    "audit_title": ("MDT决策与指南一致性审计", "MDT concordance audit"),
    "period": ("统计期间", "Period"), "decisions": ("决定数", "Decisions"),
    "followed": ("遵循指南", "Following the guideline"), "undocumented": ("未记录是否遵循", "Not documented"),
    "share_by": ("遵循比例：按", "Share following the guideline by "), "deviation_chart": ("偏离原因（按编码）",
                                                                                      "Deviation reasons (coded)"),
    "group": ("分组", "Group"), "share": ("比例", "Share"), "count": ("例数", "Count"),
    "page": ("第{n}页", "page {n}"),
    "dashed": ("虚线：总体遵循比例", "dashed line: overall share"),
}


def tr(key: str, lang: str) -> str:
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


def _document(story: list[Flowable], title: str, lang: str, created: datetime) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=PAGE_SIZE, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=title,
                            creator=f"abc-mdt {guideline_db.__version__}", invariant=1, initialFontName=LATIN,
                            lang="zh-CN" if lang == "zh" else "en")

    def footer(canvas, doc_) -> None:
        canvas.saveState()
        draw_string(canvas, MARGIN_X, MARGIN_BOTTOM / 2, f"{title} · {created:%Y-%m-%d %H:%M}", 7)
        draw_string(canvas, PAGE_SIZE[0] - MARGIN_X, MARGIN_BOTTOM / 2, tr("page", lang).format(n=doc_.page), 7,
                    align="right")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def build_agenda_pdf(items: Sequence[AgendaItem], day: date, lang: str, guideline: dict[str, str],
                     created: datetime | None = None) -> bytes:
    """The agenda of one meeting: one row per case with its question and missing data."""
    created = (created or datetime.now()).replace(microsecond=0)
    k = kit(lang)
    title = f"{tr('agenda_title', lang)} {day}"
    story: list[Flowable] = [k.para(title, "h1"), k.key_values([
        (tr("meeting", lang), str(day)), (tr("cases", lang), str(len(items))),
        (tr("guideline", lang), f"{guideline.get('edition', '')} · sha256 {guideline.get('db_sha256', '')[:16]}…"),
        (tr("generated", lang), f"{created:%Y-%m-%d %H:%M}")]), k.gap(6)]
    if not items:
        story.append(k.para(tr("no_cases", lang)))
    else:
        rows = [[str(n), f"{item.case_id}\n{item.patient}".strip(), item.question, tr("decided" if item.decided
                                                                                     else "open", lang)]
                for n, item in enumerate(items, start=1)]
        story.append(k.table(["#", f"{tr('case_id', lang)} / {tr('patient', lang)}", tr("question", lang),
                              tr("status", lang)], rows, [0.05, 0.22, 0.61, 0.12]))
    return _document(story, title, lang, created)


def _share_bars(groups: Sequence[Group], lang: str) -> list[Bar]:
    return [Bar(g.label(lang), g.share or 0.0, f"{(g.share or 0):.0%} ({g.followed}/{g.decisions})") for g in groups]


def build_concordance_pdf(report: Concordance, lang: str, created: datetime | None = None) -> bytes:
    """The audit: totals, one chart per dimension with its table, deviation reasons by code."""
    created = (created or datetime.now()).replace(microsecond=0)
    k = kit(lang)
    title = tr("audit_title", lang)
    share = "—" if report.share is None else f"{report.share:.1%}"
    story: list[Flowable] = [k.para(title, "h1"), k.key_values([
        (tr("period", lang), f"{report.start} – {report.end}"), (tr("decisions", lang), str(len(report.decisions))),
        (tr("followed", lang), f"{report.followed} ({share})"), (tr("undocumented", lang), str(report.undocumented)),
        (tr("guideline", lang), f"{report.guideline.get('edition', '')} · sha256 "
                                f"{report.guideline.get('db_sha256', '')[:16]}…"),
        (tr("generated", lang), f"{created:%Y-%m-%d %H:%M}")]), k.gap(4), k.para(tr("dashed", lang), "small")]
    for dimension in ("subtype", "line", "tier", "quarter"):
        groups = report.groups(dimension)
        heading = tr("share_by", lang) + name_of_dimension(dimension, lang)
        story += [k.gap(6), bar_chart(heading, _share_bars(groups, lang), maximum=1.0, reference=report.share)]
    deviations = report.deviations()
    total = sum(n for _, n in deviations)
    story += [k.gap(8), bar_chart(tr("deviation_chart", lang),
                                  [Bar(name(code, lang), n, f"{n} ({n / total:.0%})" if total else "0")
                                   for code, n in deviations])]
    story += [*k.heading(tr("deviation_chart", lang)),
              k.table([tr("group", lang), tr("count", lang), tr("share", lang)],
                      [[name(code, lang), str(n), f"{n / total:.1%}" if total else "—"] for code, n in deviations],
                      [0.5, 0.25, 0.25])]
    return _document(story, title, lang, created)


IMPACT_TEXT = {
    "impact_title": ("指南版本更新影响评估", "Guideline-edition impact"),
    "current": ("现用版本", "Current edition"), "other": ("对比版本", "Other edition"),
    "released": ("正式发布版", "released"), "not_released": ("非正式发布版", "not the released database"),
    "checked": ("复核病例数", "Cases re-evaluated"), "changed": ("推荐改变的患者", "Patients whose options change"),
    "changes": ("改变", "Changes"), "none": ("无患者的推荐会改变。", "No patient's options would change."),
}


def build_impact_pdf(report: ImpactReport, lang: str, created: datetime | None = None) -> bytes:
    """The impact report: both editions with their SHA-256, then one row per patient whose options change."""
    created = (created or datetime.now()).replace(microsecond=0)
    k = kit(lang)

    def say(key: str) -> str:
        zh, en = IMPACT_TEXT[key]
        return zh if lang == "zh" else en

    def edition(e) -> str:
        return f"{e.edition} · {say('released' if e.released else 'not_released')}\nsha256 {e.sha256}\n{e.path}"

    title = say("impact_title")
    story: list[Flowable] = [k.para(title, "h1"), k.key_values([
        (say("current"), edition(report.current)), (say("other"), edition(report.other)),
        (say("checked"), str(report.cases_checked)), (say("changed"), str(len(report.items))),
        (tr("generated", lang), f"{created:%Y-%m-%d %H:%M}")], columns=1), k.gap(6)]
    if not report.items:
        story.append(k.para(say("none")))
    else:
        rows = [[f"{item.case_id}\n{item.patient}".strip(), k.lines_cell([c.describe(lang) for c in item.changes])]
                for item in report.items]
        story.append(k.table([f"{tr('case_id', lang)} / {tr('patient', lang)}", say("changes")], rows, [0.25, 0.75]))
    return _document(story, title, lang, created)
