"""Circumstances change the options only as the text says, each change visible as a withheld option or a
note with its citation: refusals, pregnancy, visceral crisis / rapid progression, RIGHT Choice, presentation,
age, performance status and intervals. Each rule is crossed from both sides."""

from __future__ import annotations

import pytest
from builders import base_case, build, hr_pos_her2_neg, recurrent, therapy, with_receptors

from guideline_db.engine import evaluate


def her2_positive(hr: bool = False) -> dict:
    return with_receptors(base_case(), 80 if hr else 0, 0, "positive")


def triple_negative() -> dict:
    return with_receptors(base_case(), 0, 0, "zero")


def shown(evaluation) -> dict[str, object]:
    return {i: o for o in evaluation.systemic for i in (o.id, *o.also_in)}


def held(evaluation) -> dict[str, object]:
    return {i: w for w in evaluation.withheld for i in (w.option.id, *w.option.also_in)}


def kinds(evaluation) -> set[str]:
    return {w.reason_code for w in evaluation.withheld}


# ------------------------------------------------------------------ refusals
@pytest.mark.parametrize("refuses", [True, False])
def test_refusing_chemotherapy_withholds_chemotherapy_and_brings_the_chemo_free_option_forward(refuses: bool) -> None:
    case = her2_positive(hr=True)
    case["patient"]["refuses_chemotherapy"] = refuses
    evaluation = evaluate(build(case))
    offered, withheld = shown(evaluation), held(evaluation)
    if refuses:
        assert "T10-L1-P1" in withheld and withheld["T10-L1-P1"].reason_code == "refused_by_patient"
        assert "意愿" in withheld["T10-L1-P1"].source_text_zh
        assert "BT-HER2-ENDOCRINE-REFUSES" in offered and "T10-L1-O3" in offered
        assert all(not any(c in ("taxane", "chemotherapy", "non_taxane_chemotherapy") for c in o.components)
                   for o in evaluation.systemic)
    else:
        assert offered["T10-L1-P1"].tier == "preferred" and "BT-HER2-ENDOCRINE-REFUSES" not in offered


@pytest.mark.parametrize("refuses", [True, False])
def test_refusing_ovarian_suppression_withholds_the_suppression_regimens_and_offers_a_serm(refuses: bool) -> None:
    case = hr_pos_her2_neg()
    case["patient"].update(age=40, menopausal_status="pre", refuses_ovarian_suppression=refuses)
    evaluation = evaluate(build(case))
    ofs = [o for o in evaluation.systemic if "ovarian_function_suppression" in o.components]
    if refuses:
        assert not ofs and "BT-PREMENO-SERM" in shown(evaluation)
        assert held(evaluation)["T8-L1-NAIVE-P1"].reason_code == "refused_by_patient"
    else:
        assert ofs and "BT-PREMENO-SERM" not in shown(evaluation)


# ------------------------------------------------------------------ pregnancy
def pregnant(trimester: int | None, case: dict | None = None) -> dict:
    case = case or hr_pos_her2_neg()
    case["patient"].update(age=33, menopausal_status="pre", pregnant=trimester is not None)
    if trimester:
        case["patient"]["pregnancy_trimester"] = trimester
    case["metastases"] = [{"organ": "bone", "lesion_count": 3, "symptomatic": True,
                           "bone": {"locations": ["thoracic_spine"], "lesion_type": "lytic", "pain": True}}]
    return case


def test_first_trimester_withholds_every_systemic_option_and_says_so() -> None:
    evaluation = evaluate(build(pregnant(1)))
    assert not evaluation.systemic and evaluation.withheld
    assert kinds(evaluation) == {"pregnancy"}
    assert any(a.key == "no_option_left" and a.severity == "critical" for a in evaluation.warnings)


@pytest.mark.parametrize("trimester", [2, 3])
def test_second_and_third_trimester_get_chemotherapy_from_section_4_when_no_table_row_has_it(trimester: int) -> None:
    evaluation = evaluate(build(pregnant(trimester)))
    assert [o.id for o in evaluation.systemic] == ["BT-PREGNANCY-CHEMO-1"]
    option = evaluation.systemic[0]
    assert option.section == "十" and any(n.rule == "chemotherapy_choices" and "表柔比星" in n.text_zh for n in option.notes)
    assert "pregnancy" in kinds(evaluation)


@pytest.mark.parametrize("trimester", [None, 2])
def test_pregnancy_removes_the_bone_agent_and_flags_radiotherapy(trimester: int | None) -> None:
    evaluation = evaluate(build(pregnant(trimester)))
    bone = next(item for item in evaluation.local if item.site == "bone")
    if trimester:
        assert "bone_modifying_agent" not in bone.actions and "dental_exam_before_bma" not in bone.actions
        assert any("不使用骨改良药物" in r for r in bone.reasons_zh)
        if "palliative_radiotherapy" in bone.actions:
            assert "pregnancy_radiotherapy_mdt" in bone.flags
        assert not any(a.key == "bone_modifying_agent" for a in evaluation.supportive)
    else:
        assert "bone_modifying_agent" in bone.actions


def test_pregnant_triple_negative_keeps_the_table_chemotherapy_and_withholds_immunotherapy() -> None:
    case = pregnant(2, triple_negative())
    case["biomarkers"] = {"pdl1_cps": 30, "gbrca": "negative"}
    evaluation = evaluate(build(case))
    assert held(evaluation)["T12-L1-PDL1POS-P1"].reason_code == "pregnancy"


# ------------------------------------------------------------------ visceral crisis and rapid progression
def crisis_liver(case: dict) -> dict:
    case["metastases"] = [{"organ": "liver", "lesion_count": 12,
                           "liver": {"diffuse": True, "bilirubin_x_uln": 2.0, "biliary_obstruction": False}}]
    return case


@pytest.mark.parametrize("strong_er,kept", [(True, True), (False, False), (None, True)])
def test_crisis_hr_positive_keeps_cdk4_6_only_with_strong_er_right_choice(strong_er: bool | None, kept: bool) -> None:
    case = crisis_liver(hr_pos_her2_neg())
    case["context"] = {"strong_er_expression": strong_er} if strong_er is not None else {}
    evaluation = evaluate(build(case))
    assert ("T8-L1-NAIVE-P1" in shown(evaluation)) == kept
    assert held(evaluation)["T8-L1-NAIVE-O1"].reason_code == "visceral_crisis_or_rapid_progression"   # AI alone
    assert "BT-RAPID-CHEMO" in shown(evaluation)
    notices = {a.key for a in evaluation.warnings}
    assert ("right_choice_er_unknown" in notices) == (strong_er is None)
    if strong_er:
        assert any("RIGHT Choice" in n.text_en for n in shown(evaluation)["T8-L1-NAIVE-P1"].notes)


def test_without_crisis_endocrine_options_keep_their_tier() -> None:
    evaluation = evaluate(build(hr_pos_her2_neg()))
    assert shown(evaluation)["T8-L1-NAIVE-O1"].tier == "optional" and not evaluation.withheld


@pytest.mark.parametrize("symptomatic", [True, False])
def test_her2_positive_symptomatic_brain_metastases_get_no_chemo_free_regimen(symptomatic: bool) -> None:
    case = her2_positive(hr=True)
    case["metastases"] = [{"organ": "brain", "lesion_count": 2, "max_diameter_cm": 1.5, "symptomatic": symptomatic}]
    case["context"] = {"rapid_progression": False}
    case["therapies"] = [therapy("advanced", ["trastuzumab", "pertuzumab", "docetaxel"], "2023-01-01", "2024-06-01",
                                 line=1, progression="2024-06-01")]
    evaluation = evaluate(build(case))
    chemo_free = [o for o in evaluation.systemic if o.id in ("BT-HER2-ENDOCRINE", "BT-HER2-ENDOCRINE-CDK")]
    if symptomatic:
        assert not chemo_free
        assert held(evaluation)["BT-HER2-ENDOCRINE"].reason_code == "visceral_crisis_or_rapid_progression"
    else:
        assert chemo_free


@pytest.mark.parametrize("rapid", [True, False])
def test_parp_inhibitor_waits_for_platinum_in_rapid_progression(rapid: bool) -> None:
    case = triple_negative()
    case["biomarkers"] = {"gbrca": "positive", "pdl1_cps": 1}
    case["context"] = {"rapid_progression": rapid}
    evaluation = evaluate(build(case))
    assert ("T12-L1-BRCA-R1" in shown(evaluation)) != rapid
    assert "T12-L1-BRCA-P1" in shown(evaluation)
    if rapid:
        assert "铂类为主" in held(evaluation)["T12-L1-BRCA-R1"].source_text_zh


# ------------------------------------------------------------------ presentation
@pytest.mark.parametrize("neoadjuvant", [False, True])
def test_untreated_locally_advanced_disease_gets_the_neoadjuvant_strategy_first(neoadjuvant: bool) -> None:
    case = hr_pos_her2_neg()
    case.update(presentation="locally_advanced_inoperable", metastatic_diagnosis_date=None, metastases=[])
    if neoadjuvant:
        case["therapies"] = [therapy("neoadjuvant", ["epirubicin", "cyclophosphamide"], "2024-05-05", "2024-06-20",
                                     stop_reason="completed")]
    evaluation = evaluate(build(case))
    if neoadjuvant:
        assert evaluation.systemic and not any(w.rule == "locally_advanced_neoadjuvant_first" for w in evaluation.withheld)
    else:
        assert not evaluation.systemic
        assert {w.rule for w in evaluation.withheld} == {"locally_advanced_neoadjuvant_first"}
        assert any(a.key == "neoadjuvant_strategy_first" for a in evaluation.warnings)


@pytest.mark.parametrize("er,option_id", [(90, "BT-LRR-HRPOS-ENDOCRINE"), (0, "BT-LRR-HRNEG-CHEMO")])
def test_isolated_locoregional_recurrence_gets_the_8_3_systemic_choice(er: int, option_id: str) -> None:
    case = recurrent(with_receptors(base_case(), er, 0, "low"), "2018-01-01", "2024-05-01")
    case.update(presentation="local_regional_recurrence", metastatic_diagnosis_date=None,
                metastases=[{"organ": "chest_wall", "lesion_count": 1}])
    case["pathology"].append({"specimen": "recurrence", "date": "2024-05-01", "er_percent": er, "pr_percent": 0,
                              "her2_ihc": "1+"})
    evaluation = evaluate(build(case))
    assert [o.id for o in evaluation.systemic] == [option_id]
    assert evaluation.systemic[0].section == "八（三）"
    assert evaluation.withheld and all(w.rule == "locoregional_recurrence_systemic" for w in evaluation.withheld)


# ------------------------------------------------------------------ age, performance status, intervals
@pytest.mark.parametrize("age,noted", [(69, False), (70, True)])
def test_elderly_patients_are_reminded_single_agent_chemotherapy_first(age: int, noted: bool) -> None:
    case = triple_negative()
    case["patient"]["age"] = age
    option = shown(evaluate(build(case)))["T12-L1-NONBRCA-P1"]
    assert any(n.rule == "elderly_single_agent" for n in option.notes) == noted


@pytest.mark.parametrize("kps,noted", [(70, False), (60, True)])
def test_reduced_performance_status_is_noted_on_chemotherapy(kps: int, noted: bool) -> None:
    case = triple_negative()
    case["patient"]["kps"] = kps
    option = shown(evaluate(build(case)))["T12-L1-NONBRCA-P1"]
    assert any(n.rule == "reduced_performance_single_agent" for n in option.notes) == noted


@pytest.mark.parametrize("relapse,noted", [("2023-12-31", True), ("2024-01-01", False)])
def test_disease_free_interval_under_two_years_favours_chemotherapy(relapse: str, noted: bool) -> None:
    case = recurrent(triple_negative(), "2022-01-01", relapse)
    option = shown(evaluate(build(case)))["T12-L1-NONBRCA-P1"]
    assert any(n.rule == "short_dfi_favours_chemotherapy" for n in option.notes) == noted


@pytest.mark.parametrize("months,noticed", [(23, False), (24, True)])
def test_long_remission_offers_a_treatment_holiday(months: int, noticed: bool) -> None:
    case = her2_positive()
    case["context"] = {"long_term_remission_months": months}
    keys = {a.key for a in evaluate(build(case)).warnings}
    assert ("treatment_holiday" in keys) == noticed and ("her2_treatment_pause" in keys) == noticed


@pytest.mark.parametrize("indolent", [True, False])
def test_er_pr_negative_indolent_bone_only_disease_may_try_endocrine_therapy(indolent: bool) -> None:
    case = recurrent(triple_negative(), "2015-01-01", "2024-05-01")
    case["metastases"] = [{"organ": "bone", "lesion_count": 2, "symptomatic": False}]
    case["context"] = {"rapid_progression": not indolent}
    assert ("BT-HRNEG-INDOLENT-ET" in shown(evaluate(build(case)))) == indolent


# ------------------------------------------------------------------ approval notes and merged rows
def test_approval_notes_carry_their_meaning() -> None:
    case = triple_negative()
    case["biomarkers"] = {"pdl1_cps": 30}
    ici = shown(evaluate(build(case)))["T12-L1-PDL1POS-P1"]
    assert ici.approval_status == "availability_dependent" and not ici.unapproved
    assert "可及" in ici.approval_note_zh and "not approved" not in (ici.approval_note_en or "")
    later = her2_positive()
    later["therapies"] = [therapy("advanced", ["trastuzumab", "paclitaxel"], f"2024-0{n}-01", f"2024-0{n}-20", line=n - 3,
                                  progression=f"2024-0{n}-20") for n in (4, 5)]
    tdxd = shown(evaluate(build(later)))["T10-L3-P1"]
    assert any(a.status == "approved_indication" and "HER-2阳性" in a.text_zh for a in tdxd.approvals)


def test_merged_rows_keep_every_source_with_its_tier_and_evidence() -> None:
    case = crisis_liver(hr_pos_her2_neg())
    case["therapies"] = [therapy("advanced", ["letrozole", "palbociclib"], "2023-01-01", "2024-06-01", line=1,
                                 progression="2024-06-01")]
    chemo = next(o for o in evaluate(build(case)).systemic if o.components == ("chemotherapy",))
    tiers = {(s.id, s.tier, s.evidence) for s in chemo.sources}
    assert ("T8-L2P-R4", "recommended", "IIA") in tiers and any(s.id == "BT-RAPID-CHEMO" for s in chemo.sources)
    assert chemo.tier == "preferred" and chemo.evidence == "IIA"


def test_informed_consent_warning_names_unapproved_drugs_only() -> None:
    case = triple_negative()
    case["biomarkers"] = {"pdl1_cps": 30, "gbrca": "negative"}
    keys = {a.key for a in evaluate(build(case)).warnings}
    assert "unapproved_drugs_informed_consent" not in keys        # ICI + chemotherapy: availability-dependent only
    later = her2_positive()
    later["therapies"] = [therapy("advanced", ["trastuzumab", "paclitaxel"], f"2024-0{n}-01", f"2024-0{n}-20", line=n - 3,
                                  progression=f"2024-0{n}-20") for n in (4, 5)]
    warning = next(a for a in evaluate(build(later)).warnings if a.key == "unapproved_drugs_informed_consent")
    assert "奈拉替尼" in warning.text_zh and "伊尼妥单抗" not in warning.text_zh


# ------------------------------------------------------------------ notes and notices the text attaches
def notes_of(option) -> set[str]:
    return {n.rule for n in option.notes}


def test_everolimus_options_carry_the_desiree_step_up_note() -> None:
    case = hr_pos_her2_neg()
    case["therapies"] = [therapy("advanced", ["letrozole", "palbociclib"], "2023-01-01", "2024-06-01", line=1,
                                 progression="2024-06-01")]
    option = shown(evaluate(build(case)))["T8-L2P-P1"]
    assert "everolimus_step_up_dosing" in notes_of(option) and any("DESIREE" in n.text_zh for n in option.notes)


def test_chemo_free_anti_her2_options_say_no_phase_3_supports_them() -> None:
    case = her2_positive(hr=True)
    evaluation = evaluate(build(case))
    assert "no_phase3_chemo_free_anti_her2" in notes_of(shown(evaluation)["T10-L1-O3"])        # T+P+ET
    assert "no_phase3_chemo_free_anti_her2" not in notes_of(shown(evaluation)["T10-L1-P1"])    # THP


@pytest.mark.parametrize("organs,noted", [(["bone"], True), (["bone", "liver"], False)])
def test_bone_only_disease_still_benefits_from_cdk4_6_inhibitors(organs: list[str], noted: bool) -> None:
    case = hr_pos_her2_neg()
    case["metastases"] = [{"organ": o, "lesion_count": 2} for o in organs]
    option = shown(evaluate(build(case)))["T8-L1-NAIVE-P1"]
    assert ("bone_only_cdk4_6" in notes_of(option)) == noted


def test_men_are_told_an_ai_chosen_for_endocrine_therapy_needs_gonadal_suppression() -> None:
    case = hr_pos_her2_neg()
    case["patient"] = {"sex": "male", "age": 66, "kps": 80}
    case["therapies"] = [therapy("advanced", ["tamoxifen", "palbociclib"], "2023-01-01", "2024-06-01", line=1,
                                 progression="2024-06-01")]
    option = shown(evaluate(build(case)))["T8-L2P-R1"]                  # endocrine therapy + chidamide
    assert "male_endocrine_choice" in notes_of(option)


def test_ovarian_suppression_options_say_irradiation_is_no_longer_routine() -> None:
    case = hr_pos_her2_neg()
    case["patient"].update(age=40, menopausal_status="pre")
    option = shown(evaluate(build(case)))["T8-L1-NAIVE-P1"]
    assert any("放疗去势失败率高" in n.text_zh for n in option.notes)


@pytest.mark.parametrize("lepto", [True, False])
def test_leptomeningeal_disease_names_the_options_the_small_studies_suggest(lepto: bool) -> None:
    case = her2_positive()
    case["metastases"] = [{"organ": "brain", "lesion_count": 0 if lepto else 2, "symptomatic": False,
                           "brain": {"leptomeningeal": lepto}}]
    keys = {a.key for a in evaluate(build(case)).warnings}
    assert ("leptomeningeal_systemic" in keys) == lepto


@pytest.mark.parametrize("her2,noticed", [("positive", True), ("low", False)])
def test_pregnancy_with_her2_positive_disease_asks_for_the_mdt(her2: str, noticed: bool) -> None:
    case = pregnant(2, with_receptors(base_case(), 0, 0, her2))
    keys = {a.key for a in evaluate(build(case)).warnings}
    assert ("pregnancy_her2_mdt" in keys) == noticed


@pytest.mark.parametrize("tested,noticed", [(True, False), (False, True)])
def test_untested_biomarkers_bring_the_testing_recommendation(tested: bool, noticed: bool) -> None:
    case = hr_pos_her2_neg()
    if tested:
        case["biomarkers"] = {name: "negative" for name in ("gbrca", "pik3ca", "esr1", "akt1", "pten", "msi_high")}
        case["biomarkers"]["pdl1_cps"] = 1
    keys = {a.key for a in evaluate(build(case)).warnings}
    assert ("biomarker_testing" in keys) == noticed


def test_triple_negative_later_lines_list_chemotherapy_with_an_akt_inhibitor() -> None:
    case = triple_negative()
    case["therapies"] = [therapy("advanced", ["paclitaxel"], "2023-01-01", "2024-06-01", line=1, progression="2024-06-01")]
    option = shown(evaluate(build(case)))["BT-TNBC-AKT"]
    assert option.tier == "optional" and option.section == "七（二）2"
