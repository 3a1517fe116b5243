"""Report sections drawn from the Evaluation: derived facts, options, local items, warnings, decision.

Why the Evaluation object and not the JSON: the PDF must say exactly what the screen and
`abc-mdt evaluate` say, so it reads the same frozen object (`guideline_db.engine.evaluate`).
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from guideline_db.case_model import Case, Decision
from guideline_db.engine import Evaluation
from guideline_db.engine.result import TIER_NAMES
from guideline_db.engine.systemic import SystemicOption
from guideline_db.vocabulary import Vocabulary
from reports.labels import FACT_NAMES, enum, fact_value, pick, t, yes_no
from reports.sections_case import agents_text
from reports.styles import CHOSEN_FILL, HEADER_FILL, kit


def derived_section(evaluation: Evaluation, lang: str) -> list[Flowable]:
    k, rows = kit(lang), []
    for name, fact in {**evaluation.facts, **evaluation.extra_facts}.items():
        label = pick(FACT_NAMES[name], lang) if name in FACT_NAMES else name
        basis = fact.explanation(lang) + (f" [{fact.section}]" if fact.section else "")
        rows.append([label, fact_value(name, fact.value, lang), basis])
    header = [t("fact", lang), t("value", lang), t("basis", lang)]
    return [*k.heading(t("derived", lang)), k.table(header, rows, [0.2, 0.22, 0.58])]


def _explained(option: SystemicOption, agents: list[str], vocabulary: Vocabulary) -> tuple[bool, int]:
    """(every component covered by a chosen agent, how many chosen agents the option explains)."""
    covered = all(any(vocabulary.covers(c, a) for a in agents) for c in option.components)
    explained = sum(1 for a in agents if any(vocabulary.covers(c, a) for c in option.components))
    return covered, explained


def chosen_option_ids(evaluation: Evaluation, decision: Decision | None, vocabulary: Vocabulary) -> set[str]:
    """The options the decision chose: a chosen agent belongs to each of the option's components, and
    no other such option explains more of the chosen agents (so "AI + CDK4/6 inhibitor" is marked for
    letrozole + ribociclib, not "AI" alone)."""
    if decision is None or not decision.systemic:
        return set()
    scored = {o.id: _explained(o, list(decision.systemic), vocabulary) for o in evaluation.systemic}
    full = {oid: n for oid, (covered, n) in scored.items() if covered and n}
    best = max(full.values(), default=0)
    return {oid for oid, n in full.items() if n == best}


def _regimen_cell(option: SystemicOption, vocabulary: Vocabulary, lang: str) -> Flowable:
    lines = [option.label(lang)]
    condition = option.condition_zh if lang == "zh" else option.condition_en
    if condition:
        lines.append(condition)
    note = option.note_zh if lang == "zh" else option.note_en
    if note:
        lines.append(note)
    if option.unknown_biomarkers:
        names = ", ".join(vocabulary.name(b, lang) for b in option.unknown_biomarkers)
        lines.append(f"{t('requires', lang)} {names}{kit(lang).colon()}{t('untested', lang)}")
    return kit(lang).lines_cell(lines)


def _source_text(option: SystemicOption, lang: str) -> str:
    table_ref = f"{t('table', lang)}{option.table} " if option.table else ""
    row = option.row_zh if lang == "zh" else option.row_en
    basis = option.tier_basis_zh if lang == "zh" else option.tier_basis_en
    text = f"{table_ref}{option.section}" + (f" · {row}" if row else "")
    return text + (f" ({basis})" if basis else "")


def systemic_section(evaluation: Evaluation, case: Case, vocabulary: Vocabulary, lang: str) -> list[Flowable]:
    k = kit(lang)
    out: list[Flowable] = k.heading(t("systemic", lang))
    if not evaluation.systemic:
        out.append(k.para(t("none", lang)))
    else:
        decision = case.mdt.decision if case.mdt else None
        chosen = chosen_option_ids(evaluation, decision, vocabulary)
        rows: list[list[object]] = []
        fills, spans = {}, []
        tier = None
        for option in evaluation.systemic:
            if option.tier != tier:
                tier = option.tier
                zh, en = TIER_NAMES[tier]
                fills[len(rows)] = HEADER_FILL
                spans.append(("SPAN", (0, len(rows) + 1), (-1, len(rows) + 1)))
                spans.append(("NOSPLIT", (0, len(rows) + 1), (-1, len(rows) + 2)))   # tier row stays with a row
                rows.append([f"{zh} / {en}" if lang == "en" else zh, "", "", "", "", ""])
            if option.id in chosen:
                fills[len(rows)] = CHOSEN_FILL
            note = option.approval_note_zh if lang == "zh" else option.approval_note_en
            rows.append([t("chosen_mark", lang) if option.id in chosen else "", _regimen_cell(option, vocabulary, lang),
                         option.evidence, _source_text(option, lang), k.lines_cell(option.key_figures), note])
        header = [t("chosen", lang), t("regimen", lang), t("evidence", lang), t("source", lang),
                  t("trials", lang), t("notes", lang)]
        out.append(k.table(header, rows, [0.08, 0.26, 0.08, 0.17, 0.26, 0.15], fills=fills, commands=spans))
    if evaluation.withheld:
        out.append(k.para(t("withheld", lang), "bold"))
        rows = [[w.option.label(lang), w.reason_zh if lang == "zh" else w.reason_en] for w in evaluation.withheld]
        out.append(k.table([t("regimen", lang), t("reasons", lang)], rows, [0.5, 0.5]))
    return out


def local_section(evaluation: Evaluation, vocabulary: Vocabulary, lang: str) -> list[Flowable]:
    k = kit(lang)
    out: list[Flowable] = k.heading(t("local", lang))
    if not evaluation.local:
        return out + [k.para(t("no_local", lang))]
    rows = []
    for item in evaluation.local:
        actions = [vocabulary.name(a, lang) for a in item.actions]
        reasons = item.reasons_zh if lang == "zh" else item.reasons_en
        source = f"{t('table', lang)}{item.table} {item.section}" if item.table else item.section
        rows.append([enum("local_site", item.site, lang), k.lines_cell(actions), k.lines_cell(reasons), source])
    header = [t("site", lang), t("actions", lang), t("reasons", lang), t("source", lang)]
    out.append(k.table(header, rows, [0.14, 0.27, 0.44, 0.15]))
    return out


def warnings_section(evaluation: Evaluation, lang: str) -> list[Flowable]:
    k = kit(lang)
    out: list[Flowable] = k.heading(t("warnings_missing", lang))
    if not evaluation.warnings and not evaluation.missing_data:
        return out + [k.para(t("none", lang))]
    for item in evaluation.warnings:
        out.append(k.para(f"⚠ {item.text(lang)} [{t('table', lang)}{item.table} {item.section}]", "warning"))
    if evaluation.missing_data:
        out.append(k.para(t("missing", lang), "bold"))
        for item in evaluation.missing_data:
            out.append(k.para(f"• {item.key}{k.colon()}{item.text(lang)}"))
    return out


def decision_section(case: Case, evaluation: Evaluation, vocabulary: Vocabulary, lang: str) -> list[Flowable]:
    mdt = case.mdt
    decision = mdt.decision if mdt else None
    k = kit(lang)
    out: list[Flowable] = k.heading(t("decision", lang))
    if decision is None:
        out.append(k.para(t("no_decision", lang), "warning"))
    else:
        systemic = agents_text(decision.systemic, vocabulary, lang) if decision.systemic else t("none", lang)
        local = ", ".join(vocabulary.name(a, lang) for a in decision.local) or t("none", lang)
        pairs: list[tuple[str, object]] = [
            (t("decision_systemic", lang), systemic), (t("decision_local", lang), local),
            (t("follows", lang), yes_no(decision.follows_guideline, lang)),
            (t("next_assessment", lang), decision.next_assessment_date),
        ]
        out.append(k.key_values(pairs, columns=1))
        # Free text of any length, line breaks kept: paragraphs flow across pages, table cells would not.
        for label, text in ((t("deviation", lang), decision.deviation_reason), (t("decision_notes", lang), decision.notes)):
            if text:
                out += [k.gap(2), k.para(label, "bold"), k.para(text)]
    return out + decision_tail(case, evaluation, lang)


def decision_tail(case: Case, evaluation: Evaluation, lang: str) -> list[Flowable]:
    """The end of the decision section (assessment plan, attendees): kept on the page of the signatures."""
    k = kit(lang)
    mdt = case.mdt
    plan = evaluation.assessment_plan(lang)
    out: list[Flowable] = [k.gap(2), k.para(f"{t('assessment', lang)}{k.colon()}{plan['interval']} — {plan['modality']}")]
    if mdt and mdt.attendees:
        out.append(k.para(t("attendees", lang), "bold"))
        rows = [[a.name, enum("role", a.role, lang)] for a in mdt.attendees]
        out.append(k.table([t("name", lang), t("role", lang)], rows, [0.5, 0.5]))
    return out
