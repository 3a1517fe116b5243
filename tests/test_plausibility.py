"""Contradictions in a case become missing-data prompts or warnings naming the fields in words
(issue 10, item 6), instead of confident answers."""

from __future__ import annotations

import pytest
from builders import build, hr_pos_her2_neg, recurrent, therapy

from guideline_db.database import open_guideline
from guideline_db.engine import evaluate
from guideline_db.engine.thresholds import Thresholds

THRESHOLDS = Thresholds(open_guideline())


def _prompts(case: dict) -> dict[str, str]:
    return {m.key: m.text_en for m in evaluate(build(case)).missing_data}


@pytest.mark.parametrize(("counts", "oligo", "zero_prompt"), [
    ([0, 0], False, "metastases[0].lesion_count"),
    ([1, 0], False, "metastases[1].lesion_count"),
    ([1, 1], True, None),
])
def test_lesion_count_zero_is_not_oligometastatic(counts, oligo, zero_prompt) -> None:
    case = hr_pos_her2_neg()
    case["metastases"] = [{"organ": "liver", "lesion_count": counts[0]}, {"organ": "lung", "lesion_count": counts[1]}]
    evaluation = evaluate(build(case))
    assert evaluation.value("oligometastatic") is oligo
    prompts = {m.key: m.text_en for m in evaluation.missing_data}
    zero = [k for k in prompts if k.endswith(".lesion_count") and "0 lesions" in prompts[k]]
    assert zero == ([zero_prompt] if zero_prompt else [])
    if zero_prompt:
        index = int(zero_prompt.split("[")[1].split("]")[0])
        organ = case["metastases"][index]["organ"]
        assert f"metastatic site {index + 1} ({organ})" in prompts[zero_prompt]
        assert "recorded as 0" in evaluation.facts["oligometastatic"].explanation_en


@pytest.mark.parametrize(("presentation", "sites", "prompt"), [
    ("recurrent_metastatic", [], "distant_metastasis_missing"),
    ("de_novo_stage_iv", [{"organ": "chest_wall", "lesion_count": 1}], "distant_metastasis_missing"),
    ("de_novo_stage_iv", [{"organ": "bone", "lesion_count": 1}], None),
    ("local_regional_recurrence", [{"organ": "chest_wall", "lesion_count": 1}], None),
    ("local_regional_recurrence", [{"organ": "liver", "lesion_count": 1}], "presentation_contradicts_metastases"),
    ("locally_advanced_inoperable", [{"organ": "lung", "lesion_count": 2}], "presentation_contradicts_metastases"),
])
def test_presentation_and_recorded_sites_must_agree(presentation, sites, prompt) -> None:
    case = hr_pos_her2_neg()
    case["presentation"] = presentation
    case["metastases"] = sites
    if presentation != "de_novo_stage_iv":
        case = recurrent(case, "2020-01-01", "2024-05-01")
        case["presentation"] = presentation
    prompts = {m.key: m for m in evaluate(build(case)).missing_data}
    found = {k: m for k, m in prompts.items() if k in ("metastases", "presentation")}
    expected_field = {"distant_metastasis_missing": "metastases", "presentation_contradicts_metastases": "presentation"}
    assert set(found) == ({expected_field[prompt]} if prompt else set())
    if prompt == "distant_metastasis_missing":
        words = {"recurrent_metastatic": "recurrent metastatic", "de_novo_stage_iv": "de novo stage IV"}[presentation]
        assert f"recorded as {words} but no distant metastatic site" in found["metastases"].text_en
    if prompt == "presentation_contradicts_metastases":
        assert "metastatic site 1 (" in found["presentation"].text_en


def _lines(*numbers: int) -> dict:
    case = recurrent(hr_pos_her2_neg(), "2015-01-01", "2018-01-01")
    case["therapies"] = [therapy("advanced", ["capecitabine"], f"{2018 + n}-01-01", f"{2018 + n}-06-01", line=n,
                                 progression=f"{2018 + n}-06-01") for n in numbers]
    return case


@pytest.mark.parametrize(("lines", "text"), [
    ((5,), "lines 5 recorded, line(s) 1, 2, 3, 4 missing"),
    ((1, 3), "lines 1, 3 recorded, line(s) 2 missing"),
    ((1, 2, 3), None),
])
def test_gaps_in_advanced_lines_are_a_prompt(lines, text) -> None:
    prompts = _prompts(_lines(*lines))
    if text is None:
        assert "therapies" not in prompts
    else:
        assert text in prompts["therapies"]


@pytest.mark.parametrize(("start", "prompted"), [("2017-12-31", True), ("2018-01-01", False)])
def test_advanced_therapy_before_the_metastatic_diagnosis(start, prompted) -> None:
    case = recurrent(hr_pos_her2_neg(), "2015-01-01", "2018-01-01")
    case["therapies"] = [therapy("advanced", ["capecitabine"], start, "2018-06-01", line=1, progression="2018-06-01")]
    prompts = _prompts(case)
    assert ("metastatic_diagnosis_date" in prompts) is prompted
    if prompted:
        assert "therapy 1 (advanced line 1: Capecitabine, from 2017-12-31)" in prompts["metastatic_diagnosis_date"]


@pytest.mark.parametrize(("second_start", "text"), [
    ("2019-12-31", "line 2 (from 2019-12-31) starts before line 1 (from 2020-01-01)"),
    ("2020-01-01", None),
])
def test_advanced_lines_must_follow_their_dates(second_start, text) -> None:
    case = recurrent(hr_pos_her2_neg(), "2015-01-01", "2019-06-01")
    case["therapies"] = [
        therapy("advanced", ["capecitabine"], "2020-01-01", "2020-06-01", line=1, progression="2020-06-01"),
        therapy("advanced", ["eribulin"], second_start, "2020-09-01", line=2, progression="2020-09-01")]
    prompts = _prompts(case)
    if text is None:
        assert "therapies" not in prompts
    else:
        assert text in prompts["therapies"]


@pytest.mark.parametrize(("start", "prompted"), [("2014-12-31", True), ("2015-01-01", False)])
def test_therapy_before_the_primary_diagnosis(start, prompted) -> None:
    case = recurrent(hr_pos_her2_neg(), "2015-01-01", "2019-06-01")
    case["therapies"] = [therapy("neoadjuvant", ["paclitaxel"], start, "2015-04-01")]
    prompts = _prompts(case)
    assert ("primary_diagnosis_date" in prompts) is prompted
    if prompted:
        assert f"therapy 1 (neoadjuvant: Paclitaxel, from {start})" in prompts["primary_diagnosis_date"]


@pytest.mark.parametrize(("status", "prompted"), [("post", True), ("pre", False)])
def test_pregnant_and_postmenopausal_is_a_contradiction(status, prompted) -> None:
    case = hr_pos_her2_neg()
    case["patient"].update(menopausal_status=status, pregnant=True, pregnancy_trimester=2, age=38)
    prompts = _prompts(case)
    assert ("patient.menopausal_status" in prompts and "both pregnant and postmenopausal" in
            prompts["patient.menopausal_status"]) is prompted


VERY_POOR = int(THRESHOLDS["very_poor_performance_kps"].value)
IMPLAUSIBLE = int(THRESHOLDS["implausible_kps"].value)


@pytest.mark.parametrize(("patient", "warned", "implausible"), [
    ({"kps": IMPLAUSIBLE}, False, True),
    ({"kps": IMPLAUSIBLE + 10}, True, False),
    ({"kps": VERY_POOR}, True, False),
    ({"kps": VERY_POOR + 10}, False, False),
    ({"kps": None, "ecog": 3}, True, False),
    ({"kps": None, "ecog": 4}, True, False),
    ({"kps": None, "ecog": 2}, False, False),
])
def test_performance_status_reaches_the_report(patient, warned, implausible) -> None:
    case = hr_pos_her2_neg()
    case["patient"].update(patient)
    evaluation = evaluate(build(case))
    warning = [w for w in evaluation.warnings if w.key == "performance_status_very_poor"]
    assert bool(warning) is warned
    if warned:
        shown = f"KPS {patient['kps']}" if patient.get("kps") is not None else f"ECOG {patient['ecog']}"
        assert shown in warning[0].text_en and "single-agent chemotherapy" in warning[0].text_en
    prompts = {m.key: m.text_en for m in evaluation.missing_data}
    assert ("patient.kps" in prompts and "KPS 0 means death" in prompts["patient.kps"]) is implausible


def test_missing_performance_status_says_where_the_guideline_uses_it() -> None:
    case = hr_pos_her2_neg()
    case["patient"].pop("kps")
    prompts = _prompts(case)
    assert "general condition" in prompts["patient.kps"]


@pytest.mark.parametrize(("age", "prompted"), [(None, True), (60, False)])
def test_missing_age_is_a_prompt_where_chemotherapy_is_offered(age, prompted) -> None:
    case = hr_pos_her2_neg()
    case["pathology"][0].update(er_percent=0, pr_percent=0, her2_ihc="0")
    case["patient"]["age"] = age
    evaluation = evaluate(build(case))
    prompts = {m.key: m.text_en for m in evaluation.missing_data}
    assert ("patient.age" in prompts) is prompted
    if prompted:
        assert "elderly patients start with single-agent chemotherapy" in prompts["patient.age"]
        assert evaluation.systemic[0].label_en in prompts["patient.age"]
