"""Every vignette through every non-GUI view (the text view and the signed PDF, zh and en): no internal
token, no field path, no 0-based index; each severity drawn distinctly (colour and a printed word)."""

from __future__ import annotations

import io
import re

import pytest
from conftest import PROJECT_CASES, SHARED_CASES
from pypdf import PdfReader
from test_report_support import FIXED_TIME

from guideline_db.case_io import load_case
from guideline_db.digest import SectionKey, digest
from guideline_db.engine import evaluate
from guideline_db.engine.model import Advisory, Severity
from guideline_db.text_summary import render_text
from reports.pdf_report import build_report
from reports.sections_evaluation import SEVERITY_COLOURS

TOKEN = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
FIELD_PATH = re.compile(r"\b(?:patient|biomarkers|therapies|pathology|metastases|context|mdt)(?:\[\d+\]|\.[a-z])")
PATHS = sorted(p for d in (PROJECT_CASES, SHARED_CASES) if d.is_dir() for p in d.glob("*.json")
               if not p.name.endswith(".expected.json"))


def leaks(text: str) -> set[str]:
    return set(TOKEN.findall(text)) | set(FIELD_PATH.findall(text))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_the_text_view_shows_no_token_or_field_path(path, lang) -> None:
    case = load_case(path)
    text = render_text(evaluate(case), lang, case)
    assert not leaks(text), sorted(leaks(text))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_the_pdf_shows_no_token_or_field_path(path, lang) -> None:
    case = load_case(path)
    pdf = build_report(case, evaluate(case), lang=lang, created=FIXED_TIME)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert not leaks(text), sorted(leaks(text))


def test_the_digest_marks_each_severity_with_its_own_word_and_colour() -> None:
    case = load_case(PATHS[0])
    evaluation = evaluate(case)
    fake = tuple(Advisory(f"w{i}", f"提示{i}", f"warning {i}", "", "一", s) for i, s in enumerate(Severity))
    evaluation = evaluation.__class__(**{**evaluation.__dict__, "warnings": fake})
    for lang in ("zh", "en"):
        items = digest(evaluation, case, lang).section(SectionKey.WARNINGS).items
        assert [i.severity for i in items] == sorted(Severity)             # gravest first
        markers = [i.marker for i in items]
        assert len(set(markers)) == len(markers) and all("[" in m for m in markers)
    assert len({c.hexval() for c in SEVERITY_COLOURS.values()}) == len(Severity)
    pdf = build_report(case, evaluation, lang="en", created=FIXED_TIME)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for word in ("CRITICAL", "WARNING", "CAUTION", "NOTE"):
        assert f"[{word}]" in text
