"""Issue 17, item 5: guideline-edition impact — every stored case re-evaluated against a second database built
from modified sources (one table cell's tier raised, a new edition name), and the report
lists exactly the patients whose options change, with both editions and hashes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from workflow_population import RAISED_OPTION as RAISED
from workflow_population import build_other_edition, populated_store

from guideline_db.cli import main
from guideline_db.database import GuidelineIntegrityError, open_guideline
from guideline_db.engine import evaluate
from guideline_db.store import CaseStore
from guideline_db.workflow.impact import changed_kinds, edition_impact, open_other_edition


@pytest.fixture(scope="module")
def other_db(tmp_path_factory) -> Path:
    return build_other_edition(tmp_path_factory.mktemp("edition"))


@pytest.fixture(scope="module")
def population():
    return populated_store()


def raised_in(case) -> bool:
    return any(RAISED in (o.id, *(s.id for s in o.sources)) and str(o.tier) == "recommended"
               for o in evaluate(case).systemic)


def test_exactly_the_patients_offered_the_changed_row_are_listed(population, other_db):
    path, cases = population
    other = open_other_edition(other_db)
    assert not other.released and other.edition == "2025-test"
    with CaseStore.open(path, read_only=True) as store:
        report = edition_impact(store, other)
    expected = {c.case_id for c in cases if raised_in(c)}
    assert expected, "no generated case is offered the changed row: the test proves nothing"
    assert {i.case_id for i in report.items} == expected
    assert report.cases_checked == len(cases)
    for item in report.items:
        assert [c.kind for c in item.changes] == ["tier_changed"]
        assert (item.changes[0].old, item.changes[0].new) == ("recommended", "preferred")
        assert "Fulvestrant" in item.changes[0].describe("en") and "氟维司群" in item.changes[0].describe("zh")
        assert "优先推荐" in item.changes[0].describe("zh")
    assert changed_kinds(report)["tier_changed"] == len(expected)
    current = open_guideline()
    assert (report.current.sha256, report.other.sha256) == (current.sha256, other.sha256)
    assert report.current.released and not report.other.released
    assert current.sha256 in report.summary("zh") and other.sha256 in report.summary("en")


def test_the_same_edition_changes_nobody(population):
    path, cases = population
    with CaseStore.open(path, read_only=True) as store:
        report = edition_impact(store, open_guideline(), progress=None)
    assert report.items == () and report.cases_checked == len(cases)


def test_cli_json_names_both_editions_and_refuses_a_modified_database(population, other_db, tmp_path, capsys):
    path, _ = population
    assert main(["impact", "--guideline-db", str(other_db), "--store", str(path), "--format", "json", "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["current"]["released"] is True and data["other"]["released"] is False
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
