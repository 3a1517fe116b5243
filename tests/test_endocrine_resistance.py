"""Endocrine sensitivity per 五（一）: the 2-year adjuvant and 6-month first-line cut-offs at their edges."""

from __future__ import annotations

import pytest
from builders import build, hr_pos_her2_neg, recurrent, therapy

from guideline_db.engine import evaluate


def adjuvant_relapse(relapse: str, end: str | None = None, completed: bool = False) -> str:
    case = recurrent(hr_pos_her2_neg(), "2019-12-01", relapse)
    case["evaluation_date"] = "2026-01-01"
    if completed:
        case["therapies"] = [therapy("adjuvant", ["anastrozole"], "2020-01-01", end, stop_reason="completed")]
    else:
        case["therapies"] = [therapy("adjuvant", ["anastrozole"], "2020-01-01", end or relapse, progression=relapse)]
    evaluation = evaluate(build(case))
    return evaluation.value("endocrine_status")


@pytest.mark.parametrize(("relapse", "status"), [
    ("2021-12-31", "primary_resistance"),    # one day before 2 years on adjuvant therapy
    ("2022-01-01", "secondary_resistance"),  # exactly 2 years: no longer "within the first 2 years"
    ("2022-01-02", "secondary_resistance"),
    ("2020-03-01", "primary_resistance"),
])
def test_relapse_around_two_years_into_adjuvant_therapy(relapse: str, status: str) -> None:
    assert adjuvant_relapse(relapse) == status


def test_relapse_after_completing_adjuvant_therapy_is_secondary() -> None:
    assert adjuvant_relapse("2025-06-01", end="2025-01-01", completed=True) == "secondary_resistance"


def first_line_progression(progression: str) -> tuple[str, str]:
    case = hr_pos_her2_neg()
    case.update(primary_diagnosis_date="2023-01-01", metastatic_diagnosis_date="2023-01-01", evaluation_date="2024-03-01")
    case["pathology"][0]["date"] = "2023-01-01"
    case["therapies"] = [therapy("advanced", ["letrozole"], "2023-01-10", progression, line=1, progression=progression)]
    evaluation = evaluate(build(case))
    return evaluation.value("endocrine_status"), evaluation.facts["endocrine_status"].explanation_en


def test_progression_at_5_9_months_of_first_line_endocrine_therapy_is_primary() -> None:
    status, why = first_line_progression("2023-07-08")  # 179 days = 5.9 months after 2023-01-10
    assert status == "primary_resistance"
    assert "2023-07-10" in why  # the 6-month cut-off date is named


def test_progression_at_6_1_months_of_first_line_endocrine_therapy_is_secondary() -> None:
    status, why = first_line_progression("2023-07-15")  # 186 days = 6.1 months
    assert status == "secondary_resistance"
    assert "not within 6 months" in why


def test_never_treated_with_endocrine_therapy_is_naive_even_after_chemotherapy() -> None:
    case = recurrent(hr_pos_her2_neg(), "2015-01-01", "2024-05-01")
    case["therapies"] = [therapy("adjuvant", ["epirubicin", "cyclophosphamide"], "2015-02-01", "2015-06-01",
                                 stop_reason="completed")]
    assert evaluate(build(case)).value("endocrine_status") == "naive"


def test_hr_negative_disease_has_no_endocrine_status() -> None:
    case = hr_pos_her2_neg()
    case["pathology"][0].update(er_percent=0, pr_percent=0)
    assert evaluate(build(case)).value("endocrine_status") == "not_applicable"


def test_explanation_names_dates_and_rule() -> None:
    case = recurrent(hr_pos_her2_neg(), "2019-12-01", "2021-06-01")
    case["therapies"] = [therapy("adjuvant", ["anastrozole"], "2020-01-01", "2021-06-01", progression="2021-06-01")]
    fact = evaluate(build(case)).facts["endocrine_status"]
    assert "2020-01-01" in fact.explanation_en and "2021-06-01" in fact.explanation_en
    assert "2 years" in fact.explanation_en and "2年" in fact.explanation_zh and fact.section == "五（一）"


def test_local_regional_recurrence_is_dated_by_its_biopsy() -> None:
    case = hr_pos_her2_neg()
    case.update(presentation="local_regional_recurrence", primary_diagnosis_date="2020-01-01",
                metastatic_diagnosis_date=None)
    case["pathology"][0]["date"] = "2020-01-02"
    case["pathology"].append({"specimen": "recurrence", "site": "chest wall", "date": "2021-03-01", "er_percent": 80,
                              "pr_percent": 20, "her2_ihc": "1+"})
    case["therapies"] = [therapy("adjuvant", ["letrozole"], "2020-02-01")]
    case["metastases"] = [{"organ": "chest_wall", "lesion_count": 1}]
    assert evaluate(build(case)).value("endocrine_status") == "primary_resistance"
