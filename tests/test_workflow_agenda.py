"""Issue 17, item 2: the meeting agenda — `agenda_items(store, day, lang)` and `abc-mdt meeting agenda`, on a
store of generated cases across forty weekly meetings (four quarters)."""

from __future__ import annotations

import io
import json
import re
import shutil

import pytest
from pypdf import PdfReader
from test_report_support import font_problems, squash
from test_timeline_layout import ink_fraction, pdf_pages_to_png
from workflow_population import meeting_dates, populated_store

from guideline_db.cli import main
from guideline_db.engine import evaluate
from guideline_db.store import CaseStore
from guideline_db.vocabulary import load_vocabulary
from guideline_db.workflow.agenda import agenda_items
from guideline_db.workflow.agenda import meeting_dates as stored_meeting_dates

TOKEN = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b|biomarkers\.")


@pytest.fixture(scope="module")
def population():
    return populated_store()


def cases_of(cases, day):
    return sorted(c.case_id for c in cases if c.mdt and c.mdt.meeting_date == day)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_agenda_lists_exactly_the_cases_of_the_meeting_with_their_question(population, lang):
    path, cases = population
    day = meeting_dates(40)[5]
    with CaseStore.open(path, read_only=True) as store:
        items = agenda_items(store, day, lang)
    assert [i.case_id for i in items] == cases_of(cases, day) and len(items) == 8
    by_id = {c.case_id: c for c in cases}
    vocabulary = load_vocabulary()
    for item in items:
        evaluation = evaluate(by_id[item.case_id])
        subtype = vocabulary.name(str(evaluation.value("subtype")), lang)
        line = evaluation.value("advanced_line")
        assert item.subtype == subtype and item.line == line
        assert item.question.startswith(subtype)
        assert (f"第{line}线" if lang == "zh" else f"line {line}") in item.question
        assert not TOKEN.search(item.question), item.question
        assert len(item.missing) == len({a.key for a in evaluation.missing_data})
        assert item.decided == bool(by_id[item.case_id].mdt.decision)


def test_missing_data_is_named_in_the_readers_language(population):
    path, cases = population
    with CaseStore.open(path, read_only=True) as store:
        found = [i for day in meeting_dates(40)[:10] for i in agenda_items(store, day, "en") if i.missing]
    assert found, "the generated cases never miss data: the test proves nothing"
    assert any("mutation" in m or "pathology" in m for i in found for m in i.missing)
    assert all("missing: " in i.question for i in found)


def test_a_day_without_a_meeting_has_an_empty_agenda_and_meetings_are_counted(population):
    path, cases = population
    with CaseStore.open(path, read_only=True) as store:
        assert agenda_items(store, meeting_dates(40)[0].replace(day=4), "zh") == []
        counted = dict(stored_meeting_dates(store))
    assert len(counted) == 40 and sum(counted.values()) == len(cases)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cli_writes_the_agenda_pdf_in_the_readers_language(population, tmp_path, capsys, lang):
    path, cases = population
    day = meeting_dates(40)[12]
    out = tmp_path / f"agenda-{lang}.pdf"
    assert main(["meeting", "agenda", "--date", str(day), "--out", str(out), "--store", str(path), "--lang", lang]) == 0
    printed = capsys.readouterr().out
    pdf = out.read_bytes()
    text = squash("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert squash("MDT会议议程" if lang == "zh" else "MDT meeting agenda") in text
    for case_id in cases_of(cases, day):
        assert case_id in text and case_id in printed
    assert font_problems(pdf) == []
    assert not TOKEN.search(text)
    if shutil.which("pdftoppm"):
        pngs = pdf_pages_to_png(pdf, tmp_path / f"agenda-{lang}")
        assert ink_fraction(pngs[0]) > 0.02


def test_cli_json_and_errors(population, capsys, tmp_path):
    path, cases = population
    day = meeting_dates(40)[7]
    assert main(["meeting", "agenda", "--date", str(day), "--format", "json", "--store", str(path), "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [i["case_id"] for i in data["items"]] == cases_of(cases, day)
    with pytest.raises(SystemExit) as caught:
        main(["meeting", "agenda", "--date", "2024-13-01", "--store", str(path)])
    assert caught.value.code == 2
    assert main(["meeting", "agenda", "--date", str(day), "--store", str(tmp_path / "none.sqlite")]) == 1
    assert "no case store" in capsys.readouterr().err


def test_every_local_site_of_the_engine_has_a_name_in_both_languages():
    from guideline_db.engine.local import SITE_SOURCES
    from guideline_db.vocabulary import load_vocabulary
    from guideline_db.workflow.text import name

    names = load_vocabulary().names
    assert set(SITE_SOURCES) <= set(names)                        # the one name table knows every site
    assert all(name(site, "zh") != name(site, "en") for site in SITE_SOURCES)
