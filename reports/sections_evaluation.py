"""Report sections drawn from the digest of the evaluation: derived facts, options, withheld options, local
items, warnings, missing data, supportive care, assessment, principles and the decision.

Why the digest (guideline_db/digest.py) and not the evaluation itself: the screen, the terminal and the
signed record must say the same words in the same order, so every view renders the one digest. The PDF
leaves out nothing the board relies on: each digest section appears here.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable

from guideline_db.case_model import Case
from guideline_db.digest import Digest, Item, SectionKey, digest, tier_name
from guideline_db.engine import Evaluation
from guideline_db.engine.model import Severity
from guideline_db.vocabulary import Vocabulary
from reports.labels import enum, t
from reports.styles import CHOSEN_FILL, HEADER_FILL, kit

# Each severity a colour and (in the digest's marker) a word, so black-and-white print keeps the difference.
SEVERITY_COLOURS = {Severity.CRITICAL: colors.HexColor("#9C0006"), Severity.WARNING: colors.HexColor("#9C4A00"),
                    Severity.CAUTION: colors.HexColor("#6B5A00"), Severity.INFO: colors.HexColor("#1F3B57")}


def _digest(evaluation: Evaluation, case: Case | None, lang: str) -> Digest:
    return digest(evaluation, case, lang)


def _item_lines(item: Item) -> list[str]:
    return [item.text, *(d.strip() for d in item.details)]


def derived_section(evaluation: Evaluation, lang: str) -> list[Flowable]:
    k = kit(lang)
    section = _digest(evaluation, None, lang).section(SectionKey.FACTS)
    rows = []
    for item in section.items:
        name, _, value = item.text.partition("：" if lang == "zh" else ": ")
        basis = " ".join(d.strip() for d in item.details) + (f" [{item.basis}]" if item.basis else "")
        rows.append([name, value, basis])
    header = [t("fact", lang), t("value", lang), t("basis", lang)]
    return [*k.heading(section.title), k.table(header, rows, [0.2, 0.22, 0.58])]


def chosen_option_ids(evaluation: Evaluation, case: Case | None) -> set[str]:
    """The options the board chose: `mdt.decision.chosen_options`, the one definition (the GUI writes it)."""
    decision = case.mdt.decision if case is not None and case.mdt and case.mdt.decision else None
    if decision is None:
        return set()
    chosen = set(decision.chosen_options)
    return {o.id for o in evaluation.systemic if {o.id, *o.also_in} & chosen}


def _options_table(items: tuple[Item, ...], lang: str, withheld: bool = False) -> Flowable:
    k = kit(lang)
    rows: list[list[object]] = []
    fills, spans = {}, []
    tier = None
    for item in items:
        if item.tier is not None and item.tier != tier and not withheld:
            tier = item.tier
            fills[len(rows)] = HEADER_FILL
            spans.append(("SPAN", (0, len(rows) + 1), (-1, len(rows) + 1)))
            spans.append(("NOSPLIT", (0, len(rows) + 1), (-1, len(rows) + 2)))   # a tier row stays with a row
            rows.append([tier_name(tier, lang), "", "", ""])
        if item.chosen:
            fills[len(rows)] = CHOSEN_FILL
        mark = item.marker or ""
        rows.append([mark, k.lines_cell(_item_lines(item)), item.basis, ""])
    header = [t("chosen", lang), t("regimen", lang), t("source", lang), ""]
    return k.table(header[:3], [r[:3] for r in rows], [0.1, 0.65, 0.25], fills=fills, commands=spans)


def systemic_section(evaluation: Evaluation, case: Case, vocabulary: Vocabulary, lang: str) -> list[Flowable]:
    k = kit(lang)
    d = _digest(evaluation, case, lang)
    section = d.section(SectionKey.SYSTEMIC)
    out: list[Flowable] = k.heading(section.title)
    out.append(_options_table(section.items, lang) if section.items else k.para(t("none", lang)))
    held = d.section(SectionKey.WITHHELD)
    if held.items:
        out.append(k.para(held.title, "bold"))
        out.append(_options_table(held.items, lang, withheld=True))
    return out


def local_section(evaluation: Evaluation, vocabulary: Vocabulary, lang: str) -> list[Flowable]:
    k = kit(lang)
    section = _digest(evaluation, None, lang).section(SectionKey.LOCAL)
    out: list[Flowable] = k.heading(section.title)
    if not section.items:
        return out + [k.para(t("no_local", lang))]
    rows = [[k.lines_cell(_item_lines(item)), item.basis] for item in section.items]
    out.append(k.table([t("actions", lang), t("source", lang)], rows, [0.8, 0.2]))
    return out


def warnings_section(evaluation: Evaluation, lang: str) -> list[Flowable]:
    """Warnings by severity (colour and a printed word), missing data, supportive care and the principles
    that concern the case (the assessment plan closes the decision): the signed record leaves none out."""
    k = kit(lang)
    d = _digest(evaluation, None, lang)
    out: list[Flowable] = []
    for key in (SectionKey.WARNINGS, SectionKey.MISSING, SectionKey.SUPPORTIVE, SectionKey.PRINCIPLES):
        section = d.section(key)
        if not section.items:
            continue
        out += k.heading(section.title)
        for item in section.items:
            text = " ".join(p for p in (item.marker, item.text) if p) + (f" [{item.basis}]" if item.basis else "")
            paragraph = k.para(text, "bold" if item.severity in (Severity.CRITICAL, Severity.WARNING) else "body")
            if item.severity is not None:
                paragraph.style = paragraph.style.clone(f"{paragraph.style.name}-{item.severity.value}",
                                                        textColor=SEVERITY_COLOURS[item.severity])
            out.append(paragraph)
    return out


def decision_section(case: Case, evaluation: Evaluation, vocabulary: Vocabulary, lang: str) -> list[Flowable]:
    k = kit(lang)
    section = _digest(evaluation, case, lang).section(SectionKey.DECISION)
    out: list[Flowable] = k.heading(section.title)
    if not section.items:
        out.append(k.para(t("no_decision", lang), "warning"))
    for item in section.items:
        out.append(k.para(" ".join(p for p in (item.text, item.basis and f"[{item.basis}]") if p),
                          "bold" if item.chosen else "body"))
        # Free text of any length, line breaks kept: paragraphs flow across pages, table cells would not.
        out += [k.para(line.strip()) for line in item.details]
    return out + decision_tail(case, evaluation, lang)


def decision_tail(case: Case, evaluation: Evaluation, lang: str) -> list[Flowable]:
    """The end of the decision section (assessment plan, attendees): kept on the page of the signatures."""
    k = kit(lang)
    mdt = case.mdt
    assessment = _digest(evaluation, case, lang).section(SectionKey.ASSESSMENT)
    out: list[Flowable] = [k.gap(2), k.para(assessment.title, "bold")]
    out += [k.para(" ".join(p for p in (item.text, item.basis and f"[{item.basis}]") if p)) for item in assessment.items]
    if mdt and mdt.attendees:
        out.append(k.para(t("attendees", lang), "bold"))
        rows = [[a.name, enum("role", a.role, lang)] for a in mdt.attendees]
        out.append(k.table([t("name", lang), t("role", lang)], rows, [0.5, 0.5]))
    return out
