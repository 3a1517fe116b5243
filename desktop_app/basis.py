"""The basis of each line of the review, as HTML: the guideline text and rows it rests on.

Why: the board must be able to ask "why is this here?" of every line and see the guideline's own
words: the tier and evidence definitions (Tables 1 and 2), the row and section it comes from, the
condition and note, the trials with their figures, and the numbered principles of that chapter.
This module only looks rows up in the read-only guideline database and formats them; it decides
nothing.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

from desktop_app.qt import QT_TRANSLATE_NOOP, translate

CTX = "Basis"
TEXTS = {
    "tier": QT_TRANSLATE_NOOP("Basis", "Tier"),
    "evidence": QT_TRANSLATE_NOOP("Basis", "Evidence level"),
    "source": QT_TRANSLATE_NOOP("Basis", "Source"),
    "table": QT_TRANSLATE_NOOP("Basis", "Table"),
    "row": QT_TRANSLATE_NOOP("Basis", "Guideline row"),
    "condition": QT_TRANSLATE_NOOP("Basis", "Condition"),
    "note": QT_TRANSLATE_NOOP("Basis", "Note"),
    "tier_basis": QT_TRANSLATE_NOOP("Basis", "Tier read from"),
    "requires": QT_TRANSLATE_NOOP("Basis", "Requires"),
    "untested": QT_TRANSLATE_NOOP("Basis", "Not yet tested: test before choosing this option"),
    "approval": QT_TRANSLATE_NOOP("Basis", "Approval"),
    "trials": QT_TRANSLATE_NOOP("Basis", "Trials"),
    "modifiers": QT_TRANSLATE_NOOP("Basis", "Population rule applied"),
    "principles": QT_TRANSLATE_NOOP("Basis", "Principles of this chapter"),
    "also_in": QT_TRANSLATE_NOOP("Basis", "Also listed in"),
    "explanation": QT_TRANSLATE_NOOP("Basis", "How it was derived"),
    "section": QT_TRANSLATE_NOOP("Basis", "Guideline section"),
    "reasons": QT_TRANSLATE_NOOP("Basis", "Reasons"),
    "actions": QT_TRANSLATE_NOOP("Basis", "Actions"),
    "withheld": QT_TRANSLATE_NOOP("Basis", "Withheld because"),
    "none": QT_TRANSLATE_NOOP("Basis", "none"),
}


def t(key: str) -> str:
    return translate(CTX, TEXTS[key])


@lru_cache(maxsize=1)
def _db() -> Any:
    from guideline_db.database import open_guideline

    return open_guideline()


def _pick(row: dict[str, Any], stem: str, lang: str) -> str:
    return str(row.get(f"{stem}_{lang}") or row.get(f"{stem}_zh") or "")


def _e(text: Any) -> str:
    return html.escape(str(text))


def _source(table: str | None, section: str | None) -> str:
    """'表8 五（二）1' / 'Table 8, section 5.2.1' (guideline_db.digest.section_ref, the one format)."""
    from desktop_app import language
    from guideline_db.digest import section_ref

    return section_ref(str(section or ""), str(table or ""), language.current_language())


def _tier(tier: str, lang: str) -> str:
    from guideline_db.digest import tier_name

    return tier_name(tier, lang)


def _dl(rows: list[tuple[str, str]]) -> str:
    """Each label on its own line above its value: in the narrow basis pane of a 1024-px projector a
    label column broke words in the middle ("Eviden ce level")."""
    return "".join(f"<p class='row'><span class='k'>{_e(k)}</span><br>{v}</p>" for k, v in rows if v)


def chapter_principles(section: str | None, lang: str) -> list[str]:
    """The numbered principles (基本内容) of the chapter a section belongs to ('五（二）1' → 五)."""
    if not section:
        return []
    chapter = section.split("（")[0]
    return [f"{_source(p['table'], p['section'])} ({p['number']}) {_pick(p, 'text', lang)}"
            for p in _db().rows("principles") if str(p["section"]).split("（")[0] == chapter]


def option_html(option: Any, lang: str, withheld_reason: str | None = None) -> str:
    db = _db()
    tier = db.by_key("tiers", "code").get(option.tier, {})
    evidence = db.by_key("evidence_levels", "code").get(option.evidence or "", {})
    head = (f"<h2 class='tier-{option.tier}'>{_e(option.label(lang))}</h2>"
            f"<p><span class='badge tier-{option.tier}'>{_e(_tier(option.tier, lang))}</span> "
            f"<span class='badge'>{_e(option.evidence or '—')}</span></p>")
    rows = [
        (t("withheld"), _e(withheld_reason) if withheld_reason else ""),
        (t("tier"), f"{_e(_tier(option.tier, lang))} — {_e(_pick(tier, 'definition', lang))}"),
        (t("evidence"), f"{_e(option.evidence or '—')} — {_e(_pick(evidence, 'definition', lang))}"
         if option.evidence else "—"),
        (t("source"), _e(_source(option.table, option.section))),
        (t("row"), _e(option.row_zh if lang == "zh" else option.row_en)),
        (t("condition"), _e((option.condition_zh if lang == "zh" else option.condition_en) or "")),
        (t("note"), _e((option.note_zh if lang == "zh" else option.note_en) or "")),
        (t("tier_basis"), _e((option.tier_basis_zh if lang == "zh" else option.tier_basis_en) or "")),
        (t("requires"), _e(", ".join(_biomarker(b, lang) for b in option.requires))),
        (t("untested"), _e(", ".join(_biomarker(b, lang) for b in option.unknown_biomarkers))),
        (t("approval"), _e((option.approval_note_zh if lang == "zh" else option.approval_note_en) or "")),
        (t("also_in"), _e("; ".join(_source(r.table, r.section) for r in option.sources[1:]))),
    ]
    modifiers = db.by_key("population_modifiers", "id")
    mod_text = "<br>".join(
        f"{_e(_pick(modifiers[m], 'text', lang))} ({_e(_source(modifiers[m]['table'], modifiers[m]['section']))})"
        for m in option.modifiers if m in modifiers)
    rows.append((t("modifiers"), mod_text))
    out = head + _dl(rows)
    out += _trials_html(option, lang)
    out += _principles_html(option.section, lang)
    return out


def _biomarker(token: str, lang: str) -> str:
    from guideline_db.vocabulary import load_vocabulary

    return load_vocabulary().name(token, lang)


def _trials_html(option: Any, lang: str) -> str:
    if not option.trials:
        return ""
    trials = _db().by_key("trials", "name")
    figures = {f.split(":")[0]: f for f in option.key_figures}
    items = []
    for name in option.trials:
        row = trials.get(name, {})
        summary = _pick(row, "summary", lang)
        figure = figures.get(name, "")
        items.append(f"<li><b>{_e(name)}</b> {_e(figure.partition(': ')[2])}"
                     + (f"<br><span class='muted'>{_e(summary)}</span>" if summary else "") + "</li>")
    return f"<h3>{_e(t('trials'))}</h3><ul>{''.join(items)}</ul>"


def _principles_html(section: str | None, lang: str) -> str:
    rows = chapter_principles(section, lang)
    if not rows:
        return ""
    return f"<h3>{_e(t('principles'))}</h3><ul>" + "".join(f"<li>{_e(r)}</li>" for r in rows) + "</ul>"


def fact_html(item: Any, section: str, lang: str) -> str:
    """A derived fact of the digest (`guideline_db.digest.Item`): its value, how it was derived, its basis."""
    from desktop_app.labels import cap

    return (f"<h2>{_e(cap(item.name))}: {_e(item.value)}</h2>"
            + _dl([(t("explanation"), "<br>".join(_e(d.strip()) for d in item.details)),
                   (t("section"), _e(item.basis))])
            + _principles_html(section, lang))


def local_html(item: Any, section: str, lang: str) -> str:
    from desktop_app.labels import cap

    return (f"<h2>{_e(cap(item.name))}</h2>"
            + _dl([(t("actions"), _e(item.value)),
                   (t("reasons"), "<br>".join(_e(r.strip()) for r in item.details)),
                   (t("source"), _e(item.basis))])
            + _principles_html(section, lang))


def tier_html(tier: str, lang: str) -> str:
    row = _db().by_key("tiers", "code").get(tier, {})
    return (f"<h2 class='tier-{tier}'>{_e(_tier(tier, lang))}</h2><p>{_e(_pick(row, 'definition', lang))}</p>"
            + _dl([(t("source"), _e(_source(row.get("table"), row.get("section"))))]))


def advisory_html(title: str, item: Any, section: str, lang: str) -> str:
    head = f"{item.marker} " if item.marker else ""
    return (f"<h2>{_e(title)}</h2><p>{_e(head + item.text)}</p>"
            + _dl([(t("source"), _e(item.basis))])
            + _principles_html(section, lang))


STYLE = """
h2 { font-size: 1.25em; margin: 0 0 6px 0; } h3 { margin: 12px 0 4px 0; color: #334155; }
span.k { color: #475569; font-weight: 600; } p.row { margin: 0 0 8px 0; }
.badge { background: #e2e8f0; color: #0f172a; padding: 2px 6px; border-radius: 4px; }
.tier-preferred { color: #14532d; } .tier-recommended { color: #1e3a8a; } .tier-optional { color: #713f12; }
.muted { color: #475569; }
"""


def document(body: str) -> str:
    return f"<html><head><style>{STYLE}</style></head><body>{body}</body></html>"
