"""Issue 17, item 4: the concordance audit — `concordance(store, start, end)` and `abc-mdt audit concordance`,
checked against counts made independently from the generated cases (four quarters of weekly meetings)."""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections import Counter
from datetime import date

import pytest
from pypdf import PdfReader
from test_report_support import font_problems, squash, vignette_paths
from test_timeline_layout import ink_fraction, pdf_pages_to_png
from workflow_population import populated_store

from guideline_db.case_io import load_case
from guideline_db.cli import main
from guideline_db.database import open_guideline
from guideline_db.engine import evaluate
from guideline_db.store import CaseStore
from guideline_db.workflow.concordance import concordance, decision_line
from guideline_db.workflow.text import DEVIATION_CODES, name

TOKEN = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
Q2 = (date(2024, 4, 1), date(2024, 6, 30))


@pytest.fixture(scope="module")
def population():
    return populated_store()


def decided_in(cases, start, end):
    return [c for c in cases if c.mdt and start <= c.mdt.meeting_date <= end and c.mdt.decision
            and c.mdt.decision.follows_guideline is not None]


def test_totals_and_every_grouping_match_an_independent_count(population):
    path, cases = population
    with CaseStore.open(path, read_only=True) as store:
        report = concordance(store, *Q2)
    decided = decided_in(cases, *Q2)
    assert len(report.decisions) == len(decided) > 50
    assert report.followed == sum(c.mdt.decision.follows_guideline for c in decided)
    assert report.undocumented == sum(1 for c in cases if Q2[0] <= c.mdt.meeting_date <= Q2[1]
                                      and (c.mdt.decision is None or c.mdt.decision.follows_guideline is None))
    tiers = {row["id"]: row["tier"] for row in open_guideline().rows("regimen_options")}
    expected_subtype, expected_line, expected_tier = Counter(), Counter(), Counter()
    for c in decided:
        evaluation = evaluate(c)
        follows = c.mdt.decision.follows_guideline
        for counter, key in ((expected_subtype, evaluation.value("subtype")),
                             (expected_line, str(evaluation.value("advanced_line"))),
                             (expected_tier, tiers[c.mdt.decision.chosen_options[0]] if c.mdt.decision.chosen_options
                              else "no_option")):
            counter[(key, "n")] += 1
            counter[(key, "followed")] += follows
    for dimension, expected in (("subtype", expected_subtype), ("line", expected_line), ("tier", expected_tier)):
        groups = report.groups(dimension)
        assert sum(g.decisions for g in groups) == len(decided)
        for g in groups:
            assert (g.decisions, g.followed) == (expected[(g.key, "n")], expected[(g.key, "followed")]), (dimension, g)
    assert [g.key for g in report.groups("quarter")] == ["2024-Q2"]
    codes = Counter(c.mdt.decision.deviation_reason_code for c in decided if not c.mdt.decision.follows_guideline)
    assert dict(report.deviations()) == {code: codes.get(code, 0) for code in DEVIATION_CODES}


def test_a_year_has_four_quarters_and_an_empty_period_has_no_share(population):
    path, cases = population
    with CaseStore.open(path, read_only=True) as store:
        year = concordance(store, date(2024, 1, 1), date(2024, 12, 31))
        empty = concordance(store, date(2020, 1, 1), date(2020, 12, 31))
        with pytest.raises(ValueError):
            concordance(store, date(2024, 2, 1), date(2024, 1, 1))
    assert [g.key for g in year.groups("quarter")] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    assert sum(g.decisions for g in year.groups("quarter")) == len(decided_in(cases, date(2024, 1, 1), date(2024, 12, 31)))
    assert empty.decisions == () and empty.share is None and empty.groups("subtype") == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cli_writes_pdf_with_charts_and_csv_with_bom(population, tmp_path, capsys, lang):
    path, cases = population
    pdf_path, csv_path = tmp_path / "audit.pdf", tmp_path / "audit.csv"
    assert main(["audit", "concordance", "--from", str(Q2[0]), "--to", str(Q2[1]), "--out", str(pdf_path),
                 "--csv", str(csv_path), "--store", str(path), "--lang", lang]) == 0
    decided = decided_in(cases, *Q2)
    assert str(len(decided)) in capsys.readouterr().out
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == ("维度" if lang == "zh" else "dimension")
    assert rows[1][2:4] == [str(len(decided)), str(sum(c.mdt.decision.follows_guideline for c in decided))]
    assert any(row[1] == name("clinical_trial", lang) for row in rows)
    assert not any(TOKEN.search(cell) for row in rows for cell in row)
    pdf = pdf_path.read_bytes()
    text = squash("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    for code in DEVIATION_CODES:
        assert squash(name(code, lang)) in text
    assert squash(name("triple_negative", lang)) in text
    assert not TOKEN.search(text)
    assert font_problems(pdf) == []
    if shutil.which("pdftoppm"):
        pngs = pdf_pages_to_png(pdf, tmp_path / f"audit-{lang}")
        assert ink_fraction(pngs[0]) > 0.05


def test_cli_refuses_a_reversed_period(population, capsys):
    path, _ = population
    assert main(["audit", "concordance", "--from", "2024-06-01", "--to", "2024-01-01", "--store", str(path)]) == 2
    assert "before" in capsys.readouterr().err


@pytest.mark.parametrize("path", vignette_paths(), ids=[p.stem for p in vignette_paths()])
def test_the_audited_line_is_the_engines_line(path):
    case = load_case(path)
    assert decision_line(case) == evaluate(case).value("advanced_line")
