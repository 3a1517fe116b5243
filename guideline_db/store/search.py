"""Case search "as you type": what is indexed for each case, and the SQL behind `list_cases(search=...)`.

Why one trigram index with word marks: a trigram FTS5 index finds any substring of three or more
characters (part of an ID, a name, a diagnosis word) and walks its matches newest-first (its rowid is
the case's change sequence), so a search stops after `limit` rows even when all 100,000 cases match.
Trigrams cannot match one or two characters — a surname such as 王, the start of a hospital ID — so
the indexed text also lists every word behind two private-use "word start" characters: the word
prefix 王 becomes the three-character substring MARK+MARK+王. Every query word, long or short, is then
one phrase of a single FTS5 AND query, which FTS5 answers by skipping through its doclists.
Words of three or more characters match anywhere (substring); shorter ones match the start of a word.
"""

from __future__ import annotations

import re
import unicodedata

from guideline_db.case_model import Case

# Chinese search words for the subtype tokens, so a clinician can type 三阴 or 激素受体阳性.
SUBTYPE_WORDS = {
    "hr_pos_her2_neg": "HR+/HER2- 激素受体阳性 HER-2阴性 luminal",
    "hr_pos_her2_pos": "HR+/HER2+ 激素受体阳性 HER-2阳性",
    "hr_neg_her2_pos": "HR-/HER2+ 激素受体阴性 HER-2阳性",
    "triple_negative": "TNBC 三阴性",
    "unknown": "分型未明",
}
PRESENTATION_WORDS = {
    "de_novo_stage_iv": "初诊IV期",
    "recurrent_metastatic": "复发转移",
    "locally_advanced_inoperable": "局部晚期不可手术",
    "local_regional_recurrence": "局部区域复发",
}
WORD_MARK = "\ue000\ue000"        # private-use characters: never typed, removed from queries
SECTION_MARK = "\ue001"           # separates the plain text from the marked word list
_PRIVATE = str.maketrans("", "", WORD_MARK[0] + SECTION_MARK)
_WORD = re.compile(r"\w+")
SUMMARY_COLUMNS = ("c.case_id, c.hospital_id, c.name, c.subtype, c.status, c.updated_at, c.latest_version, "
                   "c.presentation, c.created_at")


def normalise(text: str | None) -> str:
    """Case-fold, width-fold (NFKC: full-width digits from Chinese IMEs) and treat '_' as a space."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("_", " ").translate(_PRIVATE)
    return " ".join(folded.split())


def diagnosis_text(subtype: str, presentation: str) -> str:
    return f"{subtype} {presentation}"


def index_text(case: Case, subtype: str) -> str:
    """What the search index holds for a case: the normalised text, then each word behind WORD_MARK."""
    plain = normalise(" ".join([
        case.case_id, case.patient.hospital_id or "", case.patient.name or "", subtype,
        SUBTYPE_WORDS.get(subtype, ""), case.presentation, PRESENTATION_WORDS.get(case.presentation, ""),
    ]))
    words = " ".join(WORD_MARK + word for word in _WORD.findall(plain))
    return f"{plain} {SECTION_MARK} {words}"


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def match_expression(search: str) -> str:
    """The FTS5 query: words of >= 3 characters as substrings, shorter ones as word prefixes; '' = all."""
    phrases = []
    for term in normalise(search).split():
        if len(term) >= 3:
            phrases.append(_phrase(term))
        else:  # "a-" is the prefix "a"; a word without letters or digits ("-") constrains nothing
            phrases.extend(_phrase(WORD_MARK + token) for token in _WORD.findall(term))
    return " AND ".join(phrases)


def build_query(search: str, limit: int | None) -> tuple[str, list[object]]:
    """SQL and parameters listing the cases matching `search`, most recently changed first."""
    match = match_expression(search)
    limit_sql, limit_args = (" LIMIT ?", [limit]) if limit is not None else ("", [])
    if not match:
        return f"SELECT {SUMMARY_COLUMNS} FROM cases c ORDER BY c.seq DESC{limit_sql}", limit_args
    return (f"SELECT {SUMMARY_COLUMNS} FROM cases_fts f JOIN cases c ON c.seq = f.rowid "
            f"WHERE cases_fts MATCH ? ORDER BY f.rowid DESC{limit_sql}", [match, *limit_args])
