"""Facts read from the treatment history: line, endocrine sensitivity, CDK4/6 and trastuzumab exposure.

The endocrine classes follow 五（一）: (1) never received endocrine therapy → naive; (2) relapse within
the first 2 years of adjuvant endocrine therapy, or progression within the first 6 months of first-line
endocrine therapy for advanced disease → primary resistance; (3) everything else → secondary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from guideline_db.case_model import Case, Therapy
from guideline_db.engine.dates import add_months, months_between, within_months
from guideline_db.engine.facts import Fact
from guideline_db.engine.thresholds import Thresholds
from guideline_db.vocabulary import Vocabulary, load_vocabulary

ENDOCRINE_CLASSES = ("aromatase_inhibitor", "fulvestrant", "serm", "oral_serd")
RESPONDING = ("cr", "pr", "sd")


@dataclass(frozen=True)
class HistoryFacts:
    advanced_line: Fact
    endocrine_status: Fact
    prior_cdk4_6_inhibitor: Fact
    prior_endocrine_lines_advanced: Fact
    trastuzumab_free_interval_months: Fact
    her2_line: Fact
    prior_serm_failure: Fact
    inavolisib_window: Fact
    maintenance_after_chemotherapy: Fact
    maintenance_after_anti_her2_chemotherapy: Fact
    ongoing_advanced_line: int | None
    prior_endocrine_benefit: Fact


class TherapyReader:
    """Classifies the agents of a therapy entry with the vocabulary."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary

    def has_class(self, therapy: Therapy, *classes: str) -> bool:
        return any(self.vocabulary.in_class(a, c) for a in therapy.agents for c in classes)

    def is_endocrine(self, therapy: Therapy) -> bool:
        """Endocrine exposure: an AI, fulvestrant, SERM or oral SERD, or ovarian suppression given without
        chemotherapy (goserelin during chemotherapy is usually for ovarian protection)."""
        if self.has_class(therapy, *ENDOCRINE_CLASSES):
            return True
        return self.has_class(therapy, "ovarian_function_suppression") and not self.is_chemotherapy(therapy)

    def is_chemotherapy(self, therapy: Therapy) -> bool:
        return self.has_class(therapy, "chemotherapy")


def _label(therapy: Therapy, index: int, lang: str = "en") -> str:
    """A therapy as a reader names it: 1-based, with its setting, line, agents and start ("therapy 2 …")."""
    v = load_vocabulary()
    names = "+".join(v.name(a, lang) for a in therapy.agents)
    if lang == "zh":
        line = f"第{therapy.line}线" if therapy.line else ""
        return f"（治疗记录第{index + 1}项：{v.name(therapy.setting, 'zh')}{line} {names}，{therapy.start}起）"
    line = f" line {therapy.line}" if therapy.line else ""
    return f"therapy {index + 1} ({v.name(therapy.setting, 'en')}{line}: {names}, from {therapy.start})"


def _progressed(therapy: Therapy) -> date | None:
    if therapy.progression_date:
        return therapy.progression_date
    if therapy.stop_reason == "progression":
        return therapy.end
    return None


def relapse_date(case: Case) -> date | None:
    """First distant or unresectable disease, the date every adjuvant interval is measured to."""
    if case.metastatic_diagnosis_date:
        return case.metastatic_diagnosis_date
    adjuvant = [p for t in case.therapies if t.setting != "advanced" and (p := t.progression_date)]
    if adjuvant:
        return min(adjuvant)
    # A local-regional recurrence has no metastatic date: its biopsy dates the relapse.
    biopsies = [s.date for s in case.pathology if s.specimen in ("recurrence", "metastasis") and s.date]
    return min(biopsies) if biopsies else None


def _on_therapy(therapy: Therapy, day: date) -> bool:
    return therapy.start <= day and (therapy.end is None or day <= therapy.end)


def derive_history(case: Case, vocabulary: Vocabulary, thresholds: Thresholds) -> HistoryFacts:
    reader = TherapyReader(vocabulary)
    indexed = list(enumerate(case.therapies))
    advanced = sorted(((i, t) for i, t in indexed if t.setting == "advanced"), key=lambda it: it[1].line or 0)
    advanced_line = _advanced_line(advanced)
    ongoing = next((t.line for _, t in reversed(advanced)
                    if t.end is None and _progressed(t) is None and t.stop_reason in (None, "ongoing")), None)
    relapse = relapse_date(case)
    cdk = [(i, t) for i, t in indexed if reader.has_class(t, "cdk4_6_inhibitor")]
    cdk_fact = Fact(
        bool(cdk), "五（二）1",
        ("既往CDK4/6抑制剂：" + "；".join(_label(t, i, 'zh') for i, t in cdk)) if cdk else "未使用过CDK4/6抑制剂",
        ("Prior CDK4/6 inhibitor: " + "; ".join(_label(t, i) for i, t in cdk)) if cdk else "No prior CDK4/6 inhibitor",
        {"therapies": [i for i, _ in cdk]})
    endocrine_advanced = [(i, t) for i, t in advanced if reader.is_endocrine(t)]
    lines_fact = Fact(
        len(endocrine_advanced), "五（一）",
        f"晚期阶段内分泌治疗线数：{len(endocrine_advanced)}", f"Endocrine lines for advanced disease: {len(endocrine_advanced)}",
        {"therapies": [i for i, _ in endocrine_advanced]})
    tfi = _trastuzumab_free_interval(case, reader, relapse)
    return HistoryFacts(
        advanced_line=advanced_line,
        endocrine_status=_endocrine_status(case, reader, thresholds, indexed, endocrine_advanced, relapse),
        prior_cdk4_6_inhibitor=cdk_fact,
        prior_endocrine_lines_advanced=lines_fact,
        trastuzumab_free_interval_months=tfi,
        her2_line=_her2_line(advanced_line.value, tfi, thresholds),
        prior_serm_failure=_serm_failure(reader, indexed, relapse),
        inavolisib_window=_inavolisib_window(reader, indexed, relapse, thresholds),
        maintenance_after_chemotherapy=_maintenance(reader, advanced, anti_her2=False),
        maintenance_after_anti_her2_chemotherapy=_maintenance(reader, advanced, anti_her2=True),
        ongoing_advanced_line=ongoing,
        prior_endocrine_benefit=_endocrine_benefit(endocrine_advanced, thresholds, case.today),
    )


def _endocrine_benefit(endocrine_advanced: list[tuple[int, Therapy]], thresholds: Thresholds, today: date) -> Fact:
    """五（一）: endocrine therapy for advanced disease that controlled the disease for ≥ 6 months suggests
    further endocrine therapy may still work (change of mechanism)."""
    cut = thresholds["endocrine_benefit_months"]
    if not endocrine_advanced:
        return Fact(False, cut.section, "晚期阶段未接受内分泌治疗", "No endocrine therapy for advanced disease", {})
    index, latest = endocrine_advanced[-1]
    stop = _progressed(latest) or latest.end or today
    benefit = not within_months(latest.start, stop, cut.value)
    months = months_between(latest.start, stop)
    word_zh = "≥" if benefit else "<"
    return Fact(benefit, cut.section,
                f"最近晚期内分泌治疗{_label(latest, index, 'zh')}无进展{months}个月（{word_zh}{cut.shown_zh}）",
                f"Latest endocrine therapy for advanced disease {_label(latest, index)}: {months} months without "
                f"progression ({word_zh} {cut.shown})", {"therapy": index, "months": months})


def _advanced_line(advanced: list[tuple[int, Therapy]]) -> Fact:
    if not advanced:
        return Fact(1, "五（二）", "无晚期阶段治疗史 → 一线", "No prior therapy for advanced disease → first line",
                    {"prior_lines": []})
    lines = sorted({t.line for _, t in advanced if t.line})
    value = max(lines) + 1
    listed = ", ".join(str(n) for n in lines)
    return Fact(value, "五（二）", f"既往晚期治疗线：{listed} → 当前为第{value}线",
                f"Prior advanced lines: {listed} → this decision is line {value}", {"prior_lines": lines})


def _endocrine_status(case, reader, thresholds, indexed, endocrine_advanced, relapse) -> Fact:
    adjuvant_cut = thresholds["primary_resistance_adjuvant_months"]
    first_line_cut = thresholds["primary_resistance_first_line_months"]
    adj_zh, adj_en = adjuvant_cut.span("zh"), adjuvant_cut.span("en")
    first_zh, first_en = first_line_cut.span("zh"), first_line_cut.span("en")
    endocrine_any = [(i, t) for i, t in indexed if reader.is_endocrine(t)]
    if not endocrine_any:
        return Fact("naive", "五（一）", "既往未接受过内分泌治疗 → 未接受内分泌治疗（敏感性未知）",
                    "Never received endocrine therapy → endocrine-naive (sensitivity unknown)", {})
    adjuvant = [(i, t) for i, t in endocrine_any if t.setting != "advanced"]
    if adjuvant and relapse:
        start = min(t.start for _, t in adjuvant)
        on = [(i, t) for i, t in adjuvant if _on_therapy(t, relapse)]
        cutoff = add_months(start, int(adjuvant_cut.value))
        inputs = {"adjuvant_start": start, "relapse": relapse, "cutoff": cutoff}
        if on and relapse < cutoff:
            return Fact("primary_resistance", "五（一）",
                        f"辅助内分泌治疗自{start}开始，{relapse}复发（{months_between(start, relapse)}个月，早于{adj_zh}界值{cutoff}）"
                        f"：术后辅助内分泌治疗{adj_zh}内复发 → 原发性内分泌耐药",
                        f"Adjuvant endocrine therapy from {start}, relapse {relapse} ({months_between(start, relapse)} months, "
                        f"before the {adj_en} cut-off {cutoff}): relapse within the first {adj_en} of adjuvant endocrine "
                        "therapy → primary endocrine resistance", inputs)
    if endocrine_advanced:
        index, first = endocrine_advanced[0]
        progressed = _progressed(first)
        if progressed and within_months(first.start, progressed, first_line_cut.value):
            cutoff = add_months(first.start, int(first_line_cut.value))
            return Fact("primary_resistance", "五（一）",
                        f"晚期首个内分泌治疗{_label(first, index, 'zh')}于{progressed}进展（{months_between(first.start, progressed)}个月，"
                        f"早于{first_zh}界值{cutoff}）→ 原发性内分泌耐药",
                        f"First endocrine therapy for advanced disease {_label(first, index)} progressed on {progressed} "
                        f"({months_between(first.start, progressed)} months, before the {first_en} cut-off {cutoff}) → primary "
                        "endocrine resistance",
                        {"therapy": index, "progression": progressed, "cutoff": cutoff})
    parts_zh, parts_en = [], []
    if adjuvant and relapse:
        start = min(t.start for _, t in adjuvant)
        on_any = any(_on_therapy(t, relapse) for _, t in adjuvant)
        parts_en.append(f"adjuvant endocrine therapy from {start}, relapse {relapse} "
                        f"({months_between(start, relapse)} months after its start, "
                        f"{'during' if on_any else 'after'} treatment; not within the first {adj_en} on it)")
        parts_zh.append(f"辅助内分泌治疗自{start}开始，{relapse}复发（距开始{months_between(start, relapse)}个月，"
                        f"{'治疗中' if on_any else '治疗结束后'}；不属于辅助内分泌治疗前{adj_zh}内复发）")
    if endocrine_advanced:
        index, first = endocrine_advanced[0]
        progressed = _progressed(first)
        when = (f"progressed {progressed} ({months_between(first.start, progressed)} months)" if progressed
                else "no progression recorded")
        parts_en.append(f"first endocrine therapy for advanced disease {_label(first, index)}: {when}, not within {first_en}")
        when_zh = f"{progressed}进展（{months_between(first.start, progressed)}个月）" if progressed else "未记录进展"
        parts_zh.append(f"晚期首个内分泌治疗{_label(first, index, 'zh')}：{when_zh}，不在{first_zh}内")
    if not parts_en:
        parts_en.append("endocrine therapy given, relapse date unknown")
        parts_zh.append("曾接受内分泌治疗，复发日期未知")
    return Fact("secondary_resistance", "五（一）", "；".join(parts_zh) + " → 继发性内分泌耐药（其他所有情况）",
                "; ".join(parts_en) + " → secondary endocrine resistance (all other situations)",
                {"relapse": relapse})


def _trastuzumab_free_interval(case: Case, reader: TherapyReader, relapse: date | None) -> Fact:
    section = "六（一）"
    before = [(i, t) for i, t in enumerate(case.therapies)
              if "trastuzumab" in t.agents and (relapse is None or t.start <= relapse) and t.setting != "advanced"]
    if not before or relapse is None:
        reason_en = "no trastuzumab before metastatic diagnosis" if relapse else "metastatic diagnosis date unknown"
        reason_zh = "转移前未使用曲妥珠单抗" if relapse else "转移诊断日期未知"
        return Fact(None, section, f"{reason_zh} → 无曲妥珠单抗无治疗间期", f"{reason_en} → no trastuzumab-free interval", {})
    index, last = max(before, key=lambda it: (it[1].end or relapse, it[0]))
    end = last.end if last.end and last.end <= relapse else relapse
    months = months_between(end, relapse)
    return Fact(months, section,
                f"末次含曲妥珠单抗治疗{_label(last, index, 'zh')}结束于{end}，转移诊断{relapse} → 间隔{months}个月",
                f"Last trastuzumab-containing therapy {_label(last, index)} ended {end}; metastatic diagnosis {relapse} "
                f"→ {months} months", {"trastuzumab_end": end, "relapse": relapse, "therapy": index})


def _her2_line(line: int, tfi: Fact, thresholds: Thresholds) -> Fact:
    cut = thresholds["trastuzumab_free_interval_months"]
    if line >= 3:
        return Fact("later", "六（二）2", f"第{line}线 → 表10后线", f"Line {line} → Table 10 later lines", {"line": line})
    if line == 2:
        return Fact("second", "六（二）2", "第2线 → 表10二线", "Line 2 → Table 10 second line", {"line": line})
    if tfi.value is not None:
        relapse, end = tfi.inputs["relapse"], tfi.inputs["trastuzumab_end"]
        if relapse <= add_months(end, int(cut.value)):
            return Fact("second", cut.section,
                        f"一线，但停用曲妥珠单抗至复发间隔{tfi.value}个月（≤{cut.span('zh')}）→ 推荐二线抗HER-2方案（表10二线）",
                        f"First line, but relapse {tfi.value} months after stopping trastuzumab (≤ {cut.span('en')}) → second-line "
                        "anti-HER-2 regimens (Table 10 second line)", {"line": line, "tfi_months": tfi.value})
        return Fact("first", cut.section,
                    f"一线，停用曲妥珠单抗至复发间隔{tfi.value}个月（>{cut.span('zh')}）→ 基于曲妥珠单抗的双靶方案（表10一线）",
                    f"First line, relapse {tfi.value} months after stopping trastuzumab (> {cut.span('en')}) → trastuzumab-based "
                    "dual blockade (Table 10 first line)", {"line": line, "tfi_months": tfi.value})
    return Fact("first", "六（二）1", "一线，既往未用曲妥珠单抗 → 表10一线",
                "First line, no prior trastuzumab → Table 10 first line", {"line": line})


def _serm_failure(reader: TherapyReader, indexed, relapse: date | None) -> Fact:
    failed = []
    for i, t in indexed:
        if not reader.has_class(t, "serm"):
            continue
        if t.setting == "advanced" and _progressed(t) or t.setting != "advanced" and relapse and _on_therapy(t, relapse):
            failed.append((i, t))
    if failed:
        labels_zh = "；".join(_label(t, i, "zh") for i, t in failed)
        labels_en = "; ".join(_label(t, i) for i, t in failed)
        return Fact(True, "五（二）2", f"SERM治疗中进展/复发：{labels_zh}", f"Progression or relapse on a SERM: {labels_en}",
                    {"therapies": [i for i, _ in failed]})
    return Fact(False, "五（二）2", "无SERM治疗失败记录", "No progression or relapse on a SERM recorded", {})


def _inavolisib_window(reader: TherapyReader, indexed, relapse: date | None, thresholds: Thresholds) -> Fact:
    cut = thresholds["inavolisib_after_adjuvant_months"]
    adjuvant = [(i, t) for i, t in indexed if t.setting != "advanced" and reader.is_endocrine(t)]
    if not adjuvant or relapse is None:
        return Fact(False, cut.section, "无辅助内分泌治疗后复发记录", "No relapse after adjuvant endocrine therapy recorded", {})
    if any(_on_therapy(t, relapse) for _, t in adjuvant):
        return Fact(True, cut.section, f"辅助内分泌治疗中复发（{relapse}）", f"Relapse during adjuvant endocrine therapy ({relapse})",
                    {"relapse": relapse})
    ends = [t.end for _, t in adjuvant if t.end and t.end <= relapse]
    if not ends:
        return Fact(False, cut.section, "辅助内分泌治疗结束日期未知或晚于复发", "Adjuvant endocrine end date unknown or after relapse",
                    {"relapse": relapse})
    end = max(ends)
    within = relapse < add_months(end, int(cut.value))
    months = months_between(end, relapse)
    return Fact(within, cut.section,
                f"辅助内分泌治疗结束于{end}，{relapse}复发（{months}个月，{'<' if within else '≥'}{cut.span('zh')}）",
                f"Adjuvant endocrine therapy ended {end}, relapse {relapse} ({months} months, {'<' if within else '≥'} "
                f"{cut.span('en')})",
                {"end": end, "relapse": relapse})


def _maintenance(reader: TherapyReader, advanced: list[tuple[int, Therapy]], anti_her2: bool) -> Fact:
    section = "六（一）" if anti_her2 else "四"
    if not advanced:
        return Fact(False, section, "无晚期治疗", "No advanced therapy", {})
    index, latest = advanced[-1]
    benefit = (reader.is_chemotherapy(latest) and _progressed(latest) is None
               and latest.stop_reason in (None, "ongoing", "completed") and latest.best_response in RESPONDING)
    if anti_her2:
        benefit = benefit and latest.line == 1 and reader.has_class(latest, "anti_her2_antibody", "her2_tki")
    word_zh = "获益且未进展，可讨论维持治疗" if benefit else "不属于化疗获益后维持的情形"
    word_en = "benefit without progression: maintenance may be discussed" if benefit else "not a post-chemotherapy maintenance setting"
    return Fact(benefit, section, f"最近晚期治疗{_label(latest, index, 'zh')}：{word_zh}",
                f"Latest advanced therapy {_label(latest, index)}: {word_en}", {"therapy": index})
