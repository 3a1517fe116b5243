"""The board's decision is data: chosen option ids and a coded deviation reason, validated with located
messages (spec/case-format.md), read the same way by every view."""

from __future__ import annotations

import pytest
from builders import build, hr_pos_her2_neg

from guideline_db.case_io import CaseFileError
from guideline_db.engine import evaluate


def decided(**decision) -> dict:
    case = hr_pos_her2_neg()
    case["mdt"] = {"meeting_date": "2024-07-01", "decision": decision}
    return case


def test_chosen_options_are_ids_of_the_evaluation_options() -> None:
    case = build(decided(systemic=["letrozole", "ribociclib"], chosen_options=["T8-L1-NAIVE-P1"], follows_guideline=True))
    offered = {o.id for o in evaluate(case).systemic}
    assert set(case.mdt.decision.chosen_options) <= offered


def test_an_unknown_option_id_is_a_located_error_with_the_nearest_ids() -> None:
    with pytest.raises(CaseFileError) as error:
        build(decided(chosen_options=["T8-L1-NAIVE-P9"], follows_guideline=True))
    message = "\n".join(error.value.problems)
    assert "mdt.decision.chosen_options[0]" in message and "T8-L1-NAIVE-P1" in message


@pytest.mark.parametrize("follows,valid", [(False, True), (True, False), (None, False)])
def test_a_deviation_code_goes_with_a_deviation(follows: bool | None, valid: bool) -> None:
    data = decided(follows_guideline=follows, deviation_reason="patient wishes oral therapy",
                   deviation_reason_code="patient_preference")
    if valid:
        assert build(data).mdt.decision.deviation_reason_code == "patient_preference"
    else:
        with pytest.raises(CaseFileError) as error:
            build(data)
        assert any("deviation_reason_code" in p for p in error.value.problems)


def test_an_unknown_deviation_code_is_refused() -> None:
    with pytest.raises(CaseFileError) as error:
        build(decided(follows_guideline=False, deviation_reason="x", deviation_reason_code="cost"))
    assert any("deviation_reason_code" in p for p in error.value.problems)
