"""A readable terminal rendering of an evaluation (`abc-mdt evaluate --format text`)."""

from __future__ import annotations

from guideline_db.engine.result import TIER_NAMES, Evaluation

LABELS = {
    "zh": {"derived": "推导结果", "systemic": "全身治疗方案", "local": "局部治疗", "warnings": "警示",
           "missing": "缺失数据", "assessment": "疗效评价", "withheld": "暂缓的方案", "source": "出处",
           "trials": "关键研究", "requires": "需要", "untested": "未检测", "table": "表", "none": "（无）"},
    "en": {"derived": "Derived facts", "systemic": "Systemic options", "local": "Local treatment",
           "warnings": "Warnings", "missing": "Missing data", "assessment": "Assessment plan",
           "withheld": "Withheld options", "source": "source", "trials": "trials", "requires": "requires",
           "untested": "untested", "table": "Table", "none": "(none)"},
}


def render_text(evaluation: Evaluation, lang: str = "zh") -> str:
    t = LABELS[lang]
    out = [f"{evaluation.case_id} — {evaluation.guideline['title']}", evaluation.summary(lang), "", f"## {t['derived']}"]
    for name, fact in {**evaluation.facts, **evaluation.extra_facts}.items():
        out.append(f"- {name}: {fact.value}  [{fact.section}]")
        out.append(f"    {fact.explanation(lang)}")
    out += ["", f"## {t['systemic']}"]
    tier = None
    for option in evaluation.systemic:
        if option.tier != tier:
            tier = option.tier
            out.append(f"{TIER_NAMES[tier][0]} / {TIER_NAMES[tier][1]}")
        source = f"{t['table']}{option.table} " if option.table else ""
        line = f"  - {option.label(lang)} ({option.evidence or '—'}) — {t['source']}: {source}{option.section}"
        if option.unknown_biomarkers:
            line += f" — {t['requires']} {', '.join(option.unknown_biomarkers)} ({t['untested']})"
        out.append(line)
        for approval in option.approvals:
            meaning = approval.meaning_zh if lang == "zh" else approval.meaning_en
            out.append(f"      {'!' if approval.unapproved else '·'} {meaning}: {approval.text_zh if lang == 'zh' else approval.text_en}")
        condition = option.condition_zh if lang == "zh" else option.condition_en
        if condition:
            out.append(f"      {condition}")
        out += [f"      · {n.text(lang)} [{n.section}]" for n in option.notes]
        if option.trials:
            out.append(f"      {t['trials']}: {', '.join(option.trials)}")
    if not evaluation.systemic:
        out.append(f"  {t['none']}")
    if evaluation.withheld:
        out += ["", f"## {t['withheld']}"]
        for w in evaluation.withheld:
            tier = TIER_NAMES[w.option.tier][0 if lang == "zh" else 1]
            out.append(f"  - {w.option.label(lang)} ({tier}, {w.option.evidence or '—'}): {w.reason(lang)}")
            out.append(f"      {w.source_section}: {w.source_text_zh if lang == 'zh' else w.source_text_en}")
    if evaluation.local:
        out += ["", f"## {t['local']}"]
        for item in evaluation.local:
            out.append(f"  - {item.site}: {', '.join(item.actions)}  [{t['table']}{item.table} {item.section}]")
            out += [f"      {reason}" for reason in (item.reasons_zh if lang == "zh" else item.reasons_en)]
    for title, items in ((t["warnings"], evaluation.warnings), (t["missing"], evaluation.missing_data)):
        if items:
            out += ["", f"## {title}"]
            out += [f"  - [{a.key}] {a.text(lang)}" for a in items]
    plan = evaluation.assessment_plan(lang)
    out += ["", f"## {t['assessment']}", f"  {plan['interval']} — {plan['modality']}"]
    out += [f"  - {item['text_zh'] if lang == 'zh' else item['text_en']}" for item in plan["items"]]
    return "\n".join(out) + "\n"
