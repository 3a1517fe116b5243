"""Report sections drawn from the case itself: patient, pathology, biomarkers, treatments, metastases.

Why separate from the evaluation sections: these print what the board entered, verbatim and in the
order entered, so a reader can check the input the recommendations were derived from.
"""

from __future__ import annotations

from collections.abc import Iterable

from reportlab.platypus import Flowable

from guideline_db.case_model import ORGAN_DETAIL_FIELDS, Case, MetastaticSite, PathologySpecimen
from guideline_db.engine import Evaluation
from guideline_db.vocabulary import Vocabulary
from reports.labels import CONTEXT_NAMES, DETAIL_NAMES, enum, fact_value, pick, t, yes_no
from reports.labels import name as token_name
from reports.styles import CHOSEN_FILL, kit


def _num(value: float | None, unit: str = "") -> str | None:
    return None if value is None else f"{value:g}{unit}"


def _join(parts: Iterable[str], lang: str) -> str:
    return ("；" if lang == "zh" else "; ").join(parts)


def patient_section(case: Case, lang: str) -> list[Flowable]:
    k, p = kit(lang), case.patient
    pairs: list[tuple[str, object]] = []
    if p.name:
        pairs.append((t("name", lang), p.name))
    if p.hospital_id:
        pairs.append((t("hospital_id", lang), p.hospital_id))
    age = f"{p.age} {t('years', lang)}" if p.age is not None else None
    pairs += [(t("sex", lang), enum("sex", p.sex, lang)), (t("age", lang), age)]
    if p.sex == "female":
        status = enum("menopausal_status", p.menopausal_status, lang)
        if p.chemo_induced_amenorrhea:
            status += "；化疗致闭经" if lang == "zh" else "; chemotherapy-induced amenorrhoea"
        pairs.append((t("menopause", lang), status))
    performance = " / ".join(x for x in (f"KPS {p.kps}" if p.kps is not None else "",
                                         f"ECOG {p.ecog}" if p.ecog is not None else "") if x)
    pairs.append((t("performance", lang), performance or None))
    presentation = enum("presentation", case.presentation, lang)
    if case.inflammatory:
        presentation += f"（{t('inflammatory', lang)}）" if lang == "zh" else f" ({t('inflammatory', lang)})"
    pairs += [(t("presentation", lang), presentation),
              (t("primary_date", lang), case.primary_diagnosis_date),
              (t("metastatic_date", lang), case.metastatic_diagnosis_date)]
    if p.pregnant:
        trimester = f"{t('trimester', lang)} {p.pregnancy_trimester}" if p.pregnancy_trimester else ""
        pairs.append((t("pregnant", lang), f"{t('yes', lang)} {trimester}".strip()))
    refusals = [token_name(key, lang) for key, flag in (("refuses_ovarian_suppression", p.refuses_ovarian_suppression),
                                                   ("refuses_chemotherapy", p.refuses_chemotherapy)) if flag]
    if refusals:
        pairs.append((t("refusals", lang), _join(refusals, lang)))
    if case.context.expected_survival_months is not None:
        pairs.append((t("expected_survival", lang), f"{case.context.expected_survival_months:g} {t('months', lang)}"))
    out: list[Flowable] = [*k.heading(t("patient", lang)), k.key_values(pairs)]
    context = _context_text(case, lang)
    if context:
        out += [k.gap(2), k.para(context)]
    return out


def _context_text(case: Case, lang: str) -> str:
    k, parts = kit(lang), []
    for name, value in case.context.model_dump(exclude_none=True).items():
        if name == "expected_survival_months":
            continue
        label = pick(CONTEXT_NAMES[name], lang) if name in CONTEXT_NAMES else name
        if isinstance(value, bool):
            shown = yes_no(value, lang)
        elif isinstance(value, str):
            shown = enum("axillary_surgery", value, lang)
        else:
            shown = f"{value:g}"
        parts.append(f"{label}{k.colon()}{shown}")
    if not parts:
        return ""
    return ("MDT评估背景：" if lang == "zh" else "Board context: ") + _join(parts, lang)


def _her2_text(s: PathologySpecimen, lang: str) -> str | None:
    parts = []
    if s.her2_ihc is not None:
        parts.append(f"IHC {s.her2_ihc}")
    if s.her2_ish is not None:
        parts.append(enum("her2_ish", s.her2_ish, lang))
    return ", ".join(parts) or None


def pathology_section(case: Case, evaluation: Evaluation, lang: str) -> list[Flowable]:
    k = kit(lang)
    out: list[Flowable] = k.heading(t("pathology", lang))
    if not case.pathology:
        return out + [k.para(t("not_recorded", lang))]
    source_fact = evaluation.facts["receptor_source"]
    used = source_fact.inputs.get("specimen_index")
    rows, fills = [], {}
    for i, s in enumerate(case.pathology):
        specimen = enum("specimen", s.specimen, lang) + (f" — {s.site}" if s.site else "")
        if s.decalcified:
            specimen += f" ({t('decalcified', lang)})"
        if i == used:
            fills[i] = CHOSEN_FILL
        rows.append([str(i + 1), specimen, s.date, _num(s.er_percent, "%"), _num(s.pr_percent, "%"),
                     _her2_text(s, lang), _num(s.ki67_percent, "%"), t("used_mark", lang) if i == used else ""])
    header = ["#", t("specimen", lang), t("date", lang), "ER", "PR", "HER-2", "Ki-67", t("used", lang)]
    out.append(k.table(header, rows, [0.04, 0.33, 0.11, 0.07, 0.07, 0.16, 0.08, 0.14], fills=fills))
    discordance = evaluation.facts["receptor_discordance"]
    used_text = fact_value("receptor_source", source_fact.value, lang)
    out += [k.gap(2),
            k.para(f"{t('used', lang)}{k.colon()}{used_text} — {source_fact.explanation(lang)}"),
            k.para(f"{t('discordance', lang)}{k.colon()}{yes_no(discordance.value, lang)} — "
                   f"{discordance.explanation(lang)}", "warning" if discordance.value else "body")]
    return out


def biomarker_section(case: Case, vocabulary: Vocabulary, lang: str) -> list[Flowable]:
    k, b = kit(lang), case.biomarkers
    pairs: list[tuple[str, object]] = []
    for token in ("gbrca", "pik3ca", "esr1", "akt1", "pten", "msi_high"):
        pairs.append((vocabulary.name(token, lang), enum("biomarker", getattr(b, token), lang)))
    cps = f"CPS {b.pdl1_cps:g}" if b.pdl1_cps is not None else enum("biomarker", "not_tested", lang)
    if b.pdl1_assay:
        cps += f" ({b.pdl1_assay})"
    pairs.append(("PD-L1", cps))
    return [*k.heading(t("biomarkers", lang)), k.key_values(pairs)]


def agents_text(agents: Iterable[str], vocabulary: Vocabulary, lang: str) -> str:
    return " + ".join(vocabulary.name(a, lang) for a in agents)


def therapy_section(case: Case, vocabulary: Vocabulary, lang: str) -> list[Flowable]:
    k = kit(lang)
    out: list[Flowable] = k.heading(t("therapies", lang))
    if not case.therapies:
        return out + [k.para(t("none", lang))]
    ordered = sorted(enumerate(case.therapies), key=lambda pair: (pair[1].start, pair[0]))
    rows = []
    for i, th in ordered:
        setting = enum("setting", th.setting, lang)
        if th.line is not None:
            setting += f" 第{th.line}线" if lang == "zh" else f" line {th.line}"
        rows.append([str(i + 1), setting, agents_text(th.agents, vocabulary, lang), th.start, th.end,
                     enum("stop_reason", th.stop_reason, lang) if th.stop_reason else None,
                     th.progression_date, enum("response", th.best_response, lang) if th.best_response else None])
    header = ["#", t("setting", lang), t("agents", lang), t("start", lang), t("end", lang),
              t("stop_reason", lang), t("progression", lang), t("response", lang)]
    out.append(k.table(header, rows, [0.04, 0.12, 0.29, 0.1, 0.1, 0.12, 0.12, 0.11]))
    return out


def _details_text(site: MetastaticSite, lang: str) -> str:
    details = getattr(site, site.organ) if site.organ in ORGAN_DETAIL_FIELDS else None
    if details is None:
        return ""
    parts = []
    for name, value in details.model_dump(exclude_none=True).items():
        label = pick(DETAIL_NAMES[name], lang) if name in DETAIL_NAMES else name
        if isinstance(value, bool):
            if value:
                parts.append(label)
        elif isinstance(value, list):
            if value:
                parts.append(f"{label}{kit(lang).colon()}" + ", ".join(enum("bone_location", v, lang) for v in value))
        elif isinstance(value, str):
            parts.append(enum("lesion_type", value, lang))
        else:
            parts.append(f"{label} {value:g}" + (" ml" if name.endswith("_ml") else ""))   # the unit after the number
    return _join(parts, lang)


def metastasis_section(case: Case, lang: str) -> list[Flowable]:
    k = kit(lang)
    out: list[Flowable] = k.heading(t("metastases", lang))
    if not case.metastases:
        return out + [k.para(t("none", lang))]
    rows = [[enum("organ", m.organ, lang), m.lesion_count, _num(m.max_diameter_cm, " cm"),
             yes_no(m.symptomatic, lang) if m.symptomatic is not None else None, _details_text(m, lang)]
            for m in case.metastases]
    header = [t("organ", lang), t("lesions", lang), t("max_diameter", lang), t("symptomatic", lang),
              t("details", lang)]
    out.append(k.table(header, rows, [0.15, 0.09, 0.12, 0.13, 0.51]))
    return out
