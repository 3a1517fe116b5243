"""Every local-treatment threshold crossed from both sides (issue 3), asserting actions and reason text."""

from __future__ import annotations

import pytest
from builders import build, hr_pos_her2_neg
from test_local_treatment import brain_case

from guideline_db.engine import evaluate


def brain(case: dict):
    return next(item for item in evaluate(build(case)).local if item.site == "brain")


@pytest.mark.parametrize(("count", "volume", "action", "reason"), [
    (4, 12.0, "srs", "4 lesion(s), largest 2.0 cm (< 3 cm), symptomatic → SRS/FSRS"),
    (5, 12.0, "wbrt_hippocampal_avoidance", "5 lesions (> 4), total 12 ml (≥ 7 ml) → WBRT"),
    (5, 6.9, "srs", "5 lesions (> 4), total 6.9 ml (< 7 ml) → SRS/FSRS"),
    (5, 7.1, "wbrt_hippocampal_avoidance", "5 lesions (> 4), total 7.1 ml (≥ 7 ml) → WBRT"),
])
def test_lesion_count_and_volume_limits(count, volume, action, reason) -> None:
    item = brain(brain_case(count=count, volume=volume))
    assert action in item.actions
    assert any(reason in r for r in item.reasons_en), item.reasons_en


@pytest.mark.parametrize(("diameter", "action", "flag", "reason"), [
    (2.9, "srs", None, "largest 2.9 cm (< 3 cm)"),
    (3.5, "srs", "largest_lesion_between_3_and_4_cm", "largest 3.5 cm: inside the guideline's 3-4 cm range"),
    (4.1, "wbrt_hippocampal_avoidance", "largest_lesion_4_cm_or_more", "largest 4.1 cm (≥ 4 cm, beyond the SRS size"),
])
def test_diameter_range_3_to_4_cm(diameter, action, flag, reason) -> None:
    item = brain(brain_case(count=2, diameter=diameter))
    assert action in item.actions
    assert (flag in item.flags) if flag else not item.flags
    assert any(reason in r for r in item.reasons_en), item.reasons_en


@pytest.mark.parametrize(("kps", "systemic", "expected", "absent"), [
    (50, True, {"no_radiotherapy", "best_supportive_care"}, {"srs"}),
    (60, True, {"best_supportive_care", "srs"}, {"no_radiotherapy"}),
    (60, False, {"no_radiotherapy", "best_supportive_care"}, {"srs"}),
    (70, False, {"no_radiotherapy", "best_supportive_care"}, {"srs"}),
    (70, True, {"srs"}, {"no_radiotherapy", "best_supportive_care"}),
    (80, False, {"best_supportive_care", "srs"}, {"no_radiotherapy"}),
    (80, True, {"srs"}, {"no_radiotherapy", "best_supportive_care"}),
])
def test_asymptomatic_kps_limits(kps, systemic, expected, absent) -> None:
    case = brain_case(symptomatic=False, kps=kps)
    case["context"]["effective_systemic_options"] = systemic
    item = brain(case)
    assert expected <= set(item.actions) and not absent & set(item.actions), item.actions
    if "no_radiotherapy" in expected:
        assert any(f"KPS {kps} ≤" in r for r in item.reasons_en)
    if "best_supportive_care" in expected:
        assert any("Poor prognosis" in r for r in item.reasons_en)


@pytest.mark.parametrize(("survival", "action", "reason"), [
    (3, "wbrt", None),
    (4, "wbrt_hippocampal_avoidance", "expected survival 4 months (≥ 4)"),
])
def test_hippocampal_avoidance_needs_four_months(survival, action, reason) -> None:
    case = brain_case(count=8, volume=12)
    case["context"]["expected_survival_months"] = survival
    item = brain(case)
    other = "wbrt_hippocampal_avoidance" if action == "wbrt" else "wbrt"
    assert action in item.actions and other not in item.actions
    if reason:
        assert any(reason in r for r in item.reasons_en)


@pytest.mark.parametrize(("sites", "oligo", "reason"), [
    ([("liver", 3)], True, "3 lesions in 1 organ site(s) (liver); criterion ≤3-5 lesions in ≤3 organ sites → oligometastatic"),
    ([("liver", 5)], True, "upper end of the range"),
    ([("liver", 6)], False, "6 lesions in 1 organ site(s) (liver); criterion ≤3-5 lesions in ≤3 organ sites → not"),
    ([("liver", 1), ("lung", 1), ("bone", 1)], True, "3 lesions in 3 organ site(s)"),
    ([("liver", 1), ("lung", 1), ("bone", 1), ("adrenal", 1)], False, "4 lesions in 4 organ site(s)"),
])
def test_oligometastasis_limits(sites, oligo, reason) -> None:
    case = hr_pos_her2_neg()
    case["metastases"] = [{"organ": organ, "lesion_count": n} for organ, n in sites]
    evaluation = evaluate(build(case))
    assert evaluation.value("oligometastatic") is oligo
    assert reason in evaluation.facts["oligometastatic"].explanation_en
    items = {i.site: i for i in evaluation.local}
    assert ("oligometastasis" in items) is oligo
    if oligo:
        assert "local_therapy_discussion" in items["oligometastasis"].actions


@pytest.mark.parametrize(("sites", "surgery"), [
    ([("liver", 3)], True), ([("liver", 4)], False), ([("liver", 1), ("lung", 1)], False),
])
def test_metastasectomy_needs_three_lesions_in_one_organ(sites, surgery) -> None:
    case = hr_pos_her2_neg()
    case["metastases"] = [{"organ": organ, "lesion_count": n} for organ, n in sites]
    item = next(i for i in evaluate(build(case)).local if i.site == "oligometastasis")
    assert ("metastasectomy_consider" in item.actions) is surgery
