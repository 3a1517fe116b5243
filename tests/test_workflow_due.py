"""Issue 17, item 3: the follow-up worklist — `due_items(store, before, lang, today)` and `abc-mdt cases due`:
assessments overdue or near, decisions not carried out, signed summaries without the chair's signature."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from builders import base_case, build, therapy
from workflow_population import populated_store

from guideline_db.cli import main
from guideline_db.store import CaseStore
from guideline_db.workflow.due import due_items

TODAY = date(2024, 7, 1)
PDF_HASH = "ab" * 32


def decided(case_id: str, meeting: str, next_assessment: str | None, systemic: list[str], started: str | None = None):
    data = base_case(case_id)
    data["patient"]["name"] = f"王 {case_id}"
    data["mdt"] = {"meeting_date": meeting, "decision": {"systemic": systemic, "follows_guideline": True,
                                                         "next_assessment_date": next_assessment}}
    if started:
        data["therapies"] = [therapy("advanced", systemic, started, line=1)]
    return build(data)


@pytest.fixture
def store(tmp_path):
    with CaseStore.open(tmp_path / "cases.sqlite", mounts_file=None, user="tester") as opened:
        opened.save_many([
            decided("overdue", "2024-05-08", "2024-06-01", ["letrozole", "palbociclib"], started="2024-05-10"),
            decided("near", "2024-05-22", "2024-07-10", ["fulvestrant"], started="2024-05-25"),
            decided("later", "2024-06-05", "2024-09-01", ["capecitabine"], started="2024-06-06"),
            decided("not-given", "2024-06-12", "2024-09-01", ["t_dxd"]),
            decided("given-other", "2024-06-12", "2024-09-01", ["eribulin"], started="2024-06-01"),  # before the meeting
        ], author="Dr Li")
        for case_id in ("author-only", "chair-signed"):
            info = opened.save_version(decided(case_id, "2024-06-19", None, []), author="Dr Li", status="decided")
            opened.mark_signed(case_id, info.version, PDF_HASH, "Dr Li", "author")
        opened.mark_signed("chair-signed", opened.versions("chair-signed")[-1].version, "cd" * 32, "Prof Zhang", "chair")
        yield opened


def test_each_reason_is_found_and_nothing_else(store):
    items = {i.case_id: i.kinds for i in due_items(store, today=TODAY, lang="en")}
    assert items == {"overdue": ("assessment_overdue",), "near": ("assessment_near",),
                     "not-given": ("not_carried_out",), "given-other": ("not_carried_out",),
                     "author-only": ("chair_signature_missing",)}


def test_before_widens_the_window_and_the_order_is_soonest_first(store):
    items = due_items(store, before=date(2024, 9, 30), today=TODAY, lang="en", kinds=("assessment_overdue", "assessment_near"))
    assert [i.case_id for i in items] == ["overdue", "near", "given-other", "later", "not-given"]
    assert all(i.next_assessment <= date(2024, 9, 30) for i in items)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reasons_are_in_the_readers_language(store, lang):
    texts = {i.case_id: " ".join(r.text for r in i.reasons) for i in due_items(store, today=TODAY, lang=lang)}
    if lang == "zh":
        assert "逾期30天" in texts["overdue"] and "德曲妥珠单抗" in texts["not-given"] and "主席" in texts["author-only"]
        assert "（作者）" in texts["author-only"]
    else:
        assert "30 days ago" in texts["overdue"] and "T-DXd" in texts["not-given"] and "chair" in texts["author-only"]
    assert "t_dxd" not in " ".join(texts.values())
    assert lang == "en" or "author" not in texts["author-only"]


def test_cli_text_and_json(store, capsys):
    path = str(store.path)
    store.close()
    assert main(["cases", "due", "--today", str(TODAY), "--store", path, "--format", "json", "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {d["case_id"] for d in data} == {"overdue", "near", "not-given", "given-other", "author-only"}
    assert main(["cases", "due", "--today", str(TODAY), "--before", "2024-06-15", "--store", path]) == 0
    out = capsys.readouterr().out
    listed = {line.split()[0] for line in out.splitlines() if line and not line.startswith(" ")}
    assert {"overdue", "not-given", "given-other", "author-only"} <= listed and "near" not in listed
    assert "待处理" in out


def test_on_the_generated_store_every_listed_assessment_is_due(capsys):
    path, cases = populated_store()
    today = date(2024, 6, 1)
    with CaseStore.open(path, read_only=True) as opened:
        items = due_items(opened, today=today, lang="en")
    assert items
    by_id = {c.case_id: c for c in cases}
    for item in items:
        decision = by_id[item.case_id].mdt.decision
        if "assessment_overdue" in item.kinds:
            assert decision.next_assessment_date < today
        if "assessment_near" in item.kinds:
            assert today <= decision.next_assessment_date <= today + timedelta(days=14)
        if "not_carried_out" in item.kinds:
            assert by_id[item.case_id].mdt.meeting_date <= today and decision.systemic
    expected_overdue = {c.case_id for c in cases if c.mdt.decision and c.mdt.decision.next_assessment_date
                        and c.mdt.decision.next_assessment_date < today}
    assert {i.case_id for i in items if "assessment_overdue" in i.kinds} == expected_overdue
