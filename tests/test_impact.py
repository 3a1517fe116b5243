"""Issue 17, item 5: guideline-edition impact — every stored case re-evaluated against a second database built
from modified sources (one table cell's tier raised, a new edition name), and the report
lists exactly the patients whose options change, with both editions and hashes."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_report_support import font_problems, squash
from test_timeline_layout import ink_fraction, pdf_pages_to_png
from workflow_population import RAISED_OPTION as RAISED
from workflow_population import build_other_edition, populated_store

from guideline_db.cli import main
from guideline_db.database import DATABASE_ENV, GuidelineIntegrityError, open_guideline
from guideline_db.engine import evaluate
from guideline_db.store import CaseStore
from guideline_db.workflow import impact
from guideline_db.workflow.impact import changed_kinds, edition_impact, open_other_edition


@pytest.fixture(scope="module")
def other_db(tmp_path_factory) -> Path:
    return build_other_edition(tmp_path_factory.mktemp("edition"))


@pytest.fixture(scope="module")
def baseline_db(tmp_path_factory) -> Path:
    """The same sources unmodified: the two editions differ only in the changed cell, even while the
    working tree's sources are ahead of the shipped database."""
    return build_other_edition(tmp_path_factory.mktemp("baseline"), modify=False)


@pytest.fixture
def as_current(baseline_db, monkeypatch):
    monkeypatch.setenv(DATABASE_ENV, str(baseline_db))
    return open_guideline()


@pytest.fixture(scope="module")
def population():
    return populated_store()


def raised_in(case, db=None) -> bool:
    return any(RAISED in (o.id, *(s.id for s in o.sources)) and str(o.tier) == "recommended"
               for o in evaluate(case, db).systemic)


def test_exactly_the_patients_offered_the_changed_row_are_listed(population, other_db, as_current):
    path, cases = population
    other = open_other_edition(other_db)
    assert not other.released and other.edition == "2025-test"
    with CaseStore.open(path, read_only=True) as store:
        report = edition_impact(store, other, as_current)
    expected = {c.case_id for c in cases if raised_in(c, as_current)}
    assert expected, "no generated case is offered the changed row: the test proves nothing"
    assert {i.case_id for i in report.items} == expected
    assert report.cases_checked == len(cases)
    for item in report.items:
        assert [c.kind for c in item.changes] == ["tier_changed"]
        assert (item.changes[0].old, item.changes[0].new) == ("recommended", "preferred")
        assert "Fulvestrant" in item.changes[0].describe("en") and "氟维司群" in item.changes[0].describe("zh")
        assert "优先推荐" in item.changes[0].describe("zh")
    assert changed_kinds(report)["tier_changed"] == len(expected)
    assert (report.current.sha256, report.other.sha256) == (as_current.sha256, other.sha256)
    assert report.current.sha256 != report.other.sha256
    assert as_current.sha256 in report.summary("zh") and other.sha256 in report.summary("en")


def test_the_same_edition_changes_nobody_and_the_released_one_says_so(population):
    path, cases = population
    seen = []
    with CaseStore.open(path, read_only=True) as store:
        report = edition_impact(store, open_guideline(), progress=lambda n, total: seen.append((n, total)))
    assert report.items == () and report.cases_checked == len(cases)
    assert report.current.released and report.other.released
    assert seen[-1] == (len(cases), len(cases))


def test_cli_json_names_both_editions_and_refuses_a_modified_database(population, other_db, as_current, tmp_path,
                                                                     capsys):
    path, _ = population
    assert main(["impact", "--guideline-db", str(other_db), "--store", str(path), "--format", "json", "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["current"]["sha256"] == as_current.sha256 and data["other"]["released"] is False
    assert data["other"]["edition"] == "2025-test" and len(data["other"]["sha256"]) == 64
    assert data["patients"] and all(p["changes"][0]["kind"] == "tier_changed" for p in data["patients"])
    assert main(["impact", "--guideline-db", str(other_db), "--store", str(path), "--lang", "zh"]) == 0
    assert "推荐 → 优先推荐" in capsys.readouterr().out
    tampered = tmp_path / "guideline.sqlite"
    shutil.copy(other_db, tampered)
    (tmp_path / "guideline.sqlite.sha256").write_text("0" * 64 + "\n", encoding="ascii")
    with pytest.raises(GuidelineIntegrityError):
        open_other_edition(tampered)
    assert main(["impact", "--guideline-db", str(tampered), "--store", str(path)]) == 2
    assert "was modified" in capsys.readouterr().err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cli_writes_the_impact_pdf_with_both_hashes(population, other_db, as_current, tmp_path, lang):
    path, cases = population
    out = tmp_path / f"impact-{lang}.pdf"
    assert main(["impact", "--guideline-db", str(other_db), "--store", str(path), "--out", str(out), "--lang", lang]) == 0
    pdf = out.read_bytes()
    text = squash("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert as_current.sha256 in text and open_other_edition(other_db).sha256 in text
    assert squash("非正式发布版" if lang == "zh" else "not the released database") in text
    changed = sorted(c.case_id for c in cases if raised_in(c, as_current))
    assert all(case_id in text for case_id in changed)
    assert font_problems(pdf) == []
    if shutil.which("pdftoppm"):
        pngs = pdf_pages_to_png(pdf, tmp_path / f"impact-{lang}")
        assert ink_fraction(pngs[0]) > 0.02


def test_forked_workers_find_the_same_patients(population, other_db, as_current):
    path, _ = population
    other = open_other_edition(other_db)
    with CaseStore.open(path, read_only=True) as store:
        alone = edition_impact(store, other, as_current)
        seen = []
        split = impact._parallel(store, other, as_current, lambda n, total: seen.append((n, total)), 2)
    assert split == alone and alone.items
    assert seen[-1] == (alone.cases_checked, alone.cases_checked) and len(seen) > 2


def test_workers_are_not_forked_from_a_qt_process(monkeypatch):
    monkeypatch.setitem(sys.modules, "PySide6", object())
    assert impact._fork_is_safe() is False
