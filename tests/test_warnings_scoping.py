"""Warnings reach only the subtypes they concern (the row's `subtypes`), and supportive rows respect `unless`.

While HER-2 (or HR) is still undetermined a row is shown when one of its subtypes remains possible."""

from __future__ import annotations

import pytest
from builders import base_case, build, hr_pos_her2_neg, therapy, with_receptors

from guideline_db.database import open_guideline
from guideline_db.engine import evaluate

CRISIS_BRAIN = {"organ": "brain", "lesion_count": 2, "symptomatic": True}
SUBTYPES = {"hr_pos_her2_neg": (90, 50, "low"), "hr_pos_her2_pos": (90, 50, "positive"),
            "hr_neg_her2_pos": (0, 0, "positive"), "triple_negative": (0, 0, "zero")}


def _case(subtype: str) -> dict:
    return with_receptors(base_case(), *SUBTYPES[subtype])


def _codes(case: dict) -> set[str]:
    return {w.key for w in evaluate(build(case)).warnings}


@pytest.mark.parametrize(("subtype", "shown"), [
    ("hr_pos_her2_neg", True), ("hr_pos_her2_pos", False), ("hr_neg_her2_pos", False), ("triple_negative", False)])
def test_cdk4_6_advice_in_visceral_crisis_only_for_hr_positive_her2_negative(subtype, shown) -> None:
    case = _case(subtype)
    case["metastases"] = [CRISIS_BRAIN]
    codes = _codes(case)
    assert "visceral_crisis" in codes
    assert ("visceral_crisis_cdk4_6_right_choice" in codes) is shown
    general = next(w for w in evaluate(build(case)).warnings if w.key == "visceral_crisis")
    assert "CDK4/6" not in general.text_en and "CDK4/6" not in general.text_zh


@pytest.mark.parametrize(("subtype", "shown"), [
    ("hr_pos_her2_neg", True), ("hr_pos_her2_pos", True), ("hr_neg_her2_pos", False), ("triple_negative", False)])
def test_amenorrhoea_and_male_ai_warnings_only_for_hr_positive(subtype, shown) -> None:
    case = _case(subtype)
    case["patient"].update(chemo_induced_amenorrhea=True, menopause_confirmed=False)
    assert ("chemo_induced_amenorrhea_unconfirmed" in _codes(case)) is shown
    man = _case(subtype)
    man["patient"].update(sex="male", menopausal_status=None)
    assert ("male_aromatase_inhibitor" in _codes(man)) is shown


@pytest.mark.parametrize(("subtype", "shown"), [
    ("hr_pos_her2_neg", True), ("hr_pos_her2_pos", True), ("hr_neg_her2_pos", False), ("triple_negative", False)])
def test_unknown_menopausal_status_prompt_only_where_endocrine_therapy_is_at_stake(subtype, shown) -> None:
    case = _case(subtype)
    case["patient"]["menopausal_status"] = "unknown"
    prompts = {m.key for m in evaluate(build(case)).missing_data}
    assert ("patient.menopausal_status" in prompts) is shown


@pytest.mark.parametrize(("subtype", "shown"), [
    ("hr_pos_her2_neg", True), ("hr_pos_her2_pos", False), ("triple_negative", False)])
def test_two_endocrine_lines_only_where_it_concerns(subtype, shown) -> None:
    case = _case(subtype)
    case["therapies"] = [
        therapy("advanced", ["letrozole"], "2024-05-05", "2024-06-01", line=1, progression="2024-06-01"),
        therapy("advanced", ["fulvestrant"], "2024-06-02", "2024-06-20", line=2, progression="2024-06-20")]
    assert ("two_endocrine_lines" in _codes(case)) is shown


@pytest.mark.parametrize(("er", "shown"), [(90, True), (0, False)])
def test_undetermined_her2_keeps_rows_whose_subtype_is_still_possible(er, shown) -> None:
    case = hr_pos_her2_neg()
    case["pathology"][0].update(er_percent=er, pr_percent=0, her2_ihc="2+", her2_ish=None)
    case["patient"].update(chemo_induced_amenorrhea=True, menopause_confirmed=False)
    evaluation = evaluate(build(case))
    assert evaluation.value("subtype") == "unknown"
    assert ("chemo_induced_amenorrhea_unconfirmed" in {w.key for w in evaluation.warnings}) is shown


@pytest.mark.parametrize(("pregnant", "shown"), [(True, False), (False, True)])
def test_contraception_advice_is_not_given_to_a_pregnant_patient(pregnant, shown) -> None:
    case = hr_pos_her2_neg()
    case["patient"].update(menopausal_status="pre", age=33, pregnant=pregnant)
    if pregnant:
        case["patient"]["pregnancy_trimester"] = 2
    topics = {item.key for item in evaluate(build(case)).supportive}
    assert ("contraception" in topics) is shown
    assert ("menopausal_symptoms" in topics) is shown


@pytest.mark.parametrize(("subtype", "shown"), [
    ("triple_negative", True), ("hr_neg_her2_pos", False), ("hr_pos_her2_neg", False)])
def test_trial_of_endocrine_therapy_for_indolent_er_pr_negative_disease_only_in_triple_negative(subtype, shown) -> None:
    case = _case(subtype)
    case["metastases"] = [{"organ": "bone", "lesion_count": 3}]
    assert ("hr_negative_indolent_endocrine_trial" in _codes(case)) is shown


SCOPED_AND_TESTED = {"visceral_crisis_cdk4_6_right_choice", "chemo_induced_amenorrhea_unconfirmed",
                     "male_aromatase_inhibitor", "two_endocrine_lines", "hr_negative_indolent_endocrine_trial",
                     "her2_brain_metastasis_cns_active", "menopausal_status"}


def test_every_row_limited_to_subtypes_has_a_scoping_test() -> None:
    db = open_guideline()
    scoped = {row.get("code") or row.get("id") for table in ("warning_catalog", "missing_data_catalog")
              for row in db.rows(table) if row.get("subtypes")}
    assert scoped == SCOPED_AND_TESTED
