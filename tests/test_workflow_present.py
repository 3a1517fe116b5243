"""Issue 17, item 2 (present mode's write): `record_decision` saves the board's decision as a new version,
refuses a stale view and an invalid decision, and the agenda then shows the case as decided."""

from __future__ import annotations

from datetime import date

import pytest
from builders import base_case, build

from guideline_db.case_io import CaseFileError
from guideline_db.store import CaseStore, VersionConflictError
from guideline_db.workflow.agenda import agenda_items
from guideline_db.workflow.concordance import concordance
from guideline_db.workflow.present import record_decision

MEETING = "2024-06-26"


@pytest.fixture
def store(tmp_path):
    data = base_case("present-1")
    data["mdt"] = {"meeting_date": MEETING}
    with CaseStore.open(tmp_path / "cases.sqlite", mounts_file=None, user="tester") as opened:
        opened.save_version(build(data), author="Dr Li")
        yield opened


def test_the_decision_is_saved_and_the_agenda_and_audit_see_it(store):
    day = date.fromisoformat(MEETING)
    assert [i.decided for i in agenda_items(store, day, "en")] == [False]
    info = record_decision(store, "present-1", {"systemic": ["letrozole", "palbociclib"], "follows_guideline": False,
                                                "deviation_reason": "declined", "deviation_reason_code": "patient_preference"},
                           "Prof Zhang", seen_version=1)
    assert (info.version, info.status) == (2, "decided")
    case, _ = store.load("present-1")
    assert case.mdt.meeting_date == day and case.mdt.decision.systemic == ["letrozole", "palbociclib"]
    assert [i.decided for i in agenda_items(store, day, "en")] == [True]
    assert dict(concordance(store, day, day).deviations())["patient_preference"] == 1


def test_a_stale_view_and_an_invalid_decision_are_refused(store):
    with pytest.raises(VersionConflictError):
        record_decision(store, "present-1", {"follows_guideline": True}, "Dr Li", seen_version=0)
    with pytest.raises(CaseFileError) as caught:
        record_decision(store, "present-1", {"follows_guideline": False}, "Dr Li", seen_version=1)
    assert any("deviation_reason" in p for p in caught.value.problems)
    assert len(store.versions("present-1")) == 1
