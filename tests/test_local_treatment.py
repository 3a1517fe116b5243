"""Local treatment (issue 3): brain (八（二）/表14), bone (八（一）/表13), oligometastasis, primary tumour,
locoregional and chest-wall recurrence — each rule reached by a case built for it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from builders import base_case, build, hr_pos_her2_neg, with_receptors

from guideline_db.engine import evaluate


def local(case: dict) -> dict[str, object]:
    return {item.site: item for item in evaluate(build(case)).local}


def brain_case(count=3, diameter=2.0, volume=4.0, symptomatic=True, kps=80, her2="low", **brain) -> dict:
    case = with_receptors(base_case(), 90 if her2 != "positive" else 0, 10, her2)
    case["patient"]["kps"] = kps
    details = {"total_volume_ml": volume, "mass_effect": False, "hippocampus_involved": False, "leptomeningeal": False,
               "diffuse": False, "resectable": False, **brain}
    case["metastases"] = [{"organ": "brain", "lesion_count": count, "max_diameter_cm": diameter, "symptomatic": symptomatic,
                           "brain": details}, {"organ": "lung", "lesion_count": 6}]
    case["context"] = {"expected_survival_months": 12, "extracranial_disease_controlled": True,
                       "effective_systemic_options": True}
    return case


def brain_actions(case: dict) -> set[str]:
    item = local(case).get("brain")
    return set(item.actions) if item else set()


def test_symptomatic_one_to_four_small_lesions_get_srs() -> None:
    item = local(brain_case())["brain"]
    assert set(item.actions) == {"srs", "brain_mri_followup"}
    assert any("3 lesion(s), largest 2.0 cm (< 3 cm), symptomatic → SRS/FSRS" in r for r in item.reasons_en)


def test_large_lesion_with_mass_effect_goes_to_surgery_first() -> None:
    actions = brain_actions(brain_case(count=1, diameter=4.5, mass_effect=True, resectable=True))
    assert {"neurosurgical_resection", "postoperative_cavity_radiotherapy"} <= actions
    assert "srs" not in actions


def test_lesion_between_3_and_4_cm_is_flagged_for_the_board() -> None:
    item = local(brain_case(count=2, diameter=3.5))["brain"]
    assert "largest_lesion_between_3_and_4_cm" in item.flags
    assert any("3-4 cm range" in r for r in item.reasons_en)


def test_more_than_four_lesions_small_volume_get_srs_else_wbrt_with_hippocampal_avoidance() -> None:
    assert "srs" in brain_actions(brain_case(count=5, diameter=1.0, volume=5.2))
    big = brain_actions(brain_case(count=8, diameter=1.5, volume=12))
    assert "wbrt_hippocampal_avoidance" in big and "wbrt" not in big and "srs" not in big


def test_whole_brain_without_hippocampal_avoidance_when_hippocampus_involved() -> None:
    actions = brain_actions(brain_case(count=8, volume=12, hippocampus_involved=True))
    assert "wbrt" in actions and "wbrt_hippocampal_avoidance" not in actions


def test_asymptomatic_her2_positive_may_defer_radiotherapy() -> None:
    actions = brain_actions(brain_case(symptomatic=False, her2="positive"))
    assert "defer_radiotherapy_cns_active_anti_her2" in actions and "srs" in actions


def test_asymptomatic_kps_50_or_kps_70_without_systemic_therapy_get_no_radiotherapy() -> None:
    assert brain_actions(brain_case(symptomatic=False, kps=50)) >= {"no_radiotherapy"}
    assert "srs" not in brain_actions(brain_case(symptomatic=False, kps=50))
    case = brain_case(symptomatic=False, kps=70)
    case["context"]["effective_systemic_options"] = False
    assert "no_radiotherapy" in brain_actions(case)
    assert "no_radiotherapy" not in brain_actions(brain_case(symptomatic=False, kps=70))


def test_poor_prognosis_gets_best_supportive_care() -> None:
    assert "best_supportive_care" in brain_actions(brain_case(kps=60))
    case = brain_case()
    case["context"]["extracranial_disease_controlled"] = False
    assert "best_supportive_care" in brain_actions(case)
    assert "best_supportive_care" not in brain_actions(brain_case())


def test_diffuse_and_leptomeningeal_disease() -> None:
    assert {"wbrt_hippocampal_avoidance", "memantine", "srs"} <= brain_actions(brain_case(count=20, diffuse=True))
    case = brain_case(leptomeningeal=True)
    assert {"spine_mri", "wbrt", "memantine"} <= brain_actions(case)


def bone_case(**bone) -> dict:
    case = hr_pos_her2_neg()
    details = {"locations": ["lumbar_spine"], "lesion_type": "lytic", "pain": False, **bone}
    case["metastases"] = [{"organ": "bone", "lesion_count": 2, "bone": details}]
    return case


def bone_actions(case: dict) -> set[str]:
    return set(local(case)["bone"].actions)


def test_bone_at_risk_gets_agent_dental_exam_and_monitoring() -> None:
    actions = bone_actions(bone_case())
    assert {"bone_modifying_agent", "dental_exam_before_bma", "monitor_calcium_renal_phosphate_magnesium",
            "bma_interval_3_months_when_stable"} <= actions and "bma_may_defer" not in actions
    evaluation = evaluate(build(bone_case()))
    assert any(s.key == "bone_modifying_agent" and "8.8%" in s.text_zh for s in evaluation.supportive)


def test_dental_exam_already_done_is_not_asked_again() -> None:
    case = bone_case()
    case["context"] = {"dental_exam_done": True}
    assert "dental_exam_before_bma" not in bone_actions(case)


@pytest.mark.parametrize("bone", [{"locations": ["sternum"], "lesion_type": "mixed"},
                                  {"locations": ["rib"], "lesion_type": "lytic"},
                                  {"locations": ["pelvis", "thoracic_spine"], "lesion_type": "blastic"}])
def test_isolated_sternal_rib_or_osteoblastic_disease_may_defer(bone) -> None:
    actions = bone_actions(bone_case(**bone))
    assert "bma_may_defer" in actions and "bone_modifying_agent" not in actions


def test_spinal_cord_compression_and_long_bone_fracture() -> None:
    assert {"urgent_spine_mri", "surgical_decompression", "palliative_radiotherapy"} <= bone_actions(
        bone_case(spinal_cord_compression=True))
    actions = bone_actions(bone_case(locations=["long_bone"], impending_fracture=True, pain=True))
    assert {"orthopedic_evaluation", "surgical_fixation_then_radiotherapy", "fracture_risk_imaging"} <= actions
    assert "palliative_radiotherapy" not in actions  # fracture risk: fixation first


def test_oligometastasis_surgery_needs_the_favourable_features() -> None:
    case = hr_pos_her2_neg()
    case["metastases"] = [{"organ": "liver", "lesion_count": 2}]
    item = local(case)["oligometastasis"]
    assert {"local_therapy_discussion", "metastasectomy_consider"} <= set(item.actions)
    case["metastases"] = [{"organ": "liver", "lesion_count": 2}, {"organ": "lung", "lesion_count": 1}]
    assert "metastasectomy_consider" not in local(case)["oligometastasis"].actions


def test_locally_advanced_and_de_novo_primary() -> None:
    case = hr_pos_her2_neg()
    case.update(presentation="locally_advanced_inoperable", metastatic_diagnosis_date=None, inflammatory=True)
    case["metastases"] = [{"organ": "breast", "lesion_count": 1}]
    item = local(case)["primary_tumor"]
    assert set(item.actions) == {"neoadjuvant_systemic_therapy", "mastectomy_axillary_dissection", "locoregional_radiotherapy"}
    assert "primary_surgery_uncertain_benefit" in local(hr_pos_her2_neg())["primary_tumor"].actions


@pytest.mark.parametrize(("prior", "dissection"), [("sentinel_node_biopsy", True), ("none", True),
                                                   ("axillary_dissection", False)])
def test_axillary_recurrence(prior, dissection) -> None:
    case = hr_pos_her2_neg()
    case.update(presentation="local_regional_recurrence", metastatic_diagnosis_date=None)
    case["metastases"] = [{"organ": "regional_lymph_node", "lesion_count": 2}]
    case["context"] = {"prior_axillary_surgery": prior}
    actions = set(local(case)["locoregional"].actions)
    assert "radical_local_treatment" in actions and ("axillary_dissection" in actions) is dissection


@pytest.mark.parametrize(("prior_rt", "action"), [(False, "chest_wall_radiotherapy"), (True, "re_irradiation_assessment")])
def test_chest_wall_recurrence(prior_rt, action) -> None:
    case = hr_pos_her2_neg()
    case.update(presentation="local_regional_recurrence", metastatic_diagnosis_date=None)
    case["metastases"] = [{"organ": "chest_wall", "lesion_count": 1}]
    case["context"] = {"prior_breast_or_chest_wall_radiotherapy": prior_rt}
    assert {"chest_wall_resection_r0", action} <= set(local(case)["chest_wall"].actions)


def test_every_local_item_names_inputs_and_source() -> None:
    evaluation = evaluate(build(brain_case()))
    for item in evaluation.local:
        assert item.section and item.reasons_zh and len(item.reasons_zh) == len(item.reasons_en) and item.rules


def test_local_rules_hold_no_threshold_literals() -> None:
    """Thresholds live in the database: the rule modules may only use 0 and 1 as numbers."""
    engine = Path(__file__).resolve().parents[1] / "guideline_db" / "engine"
    for name in ("local_brain.py", "local_bone.py", "local_regional.py"):
        tree = ast.parse((engine / name).read_text(encoding="utf-8"))
        numbers = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and type(n.value) in (int, float)}
        assert numbers <= {0, 1, 12}, (name, numbers)  # 12 = months per year when printing years


def test_her2_positive_brain_metastases_prefer_tki_and_t_dxd() -> None:
    case = brain_case(her2="positive")
    preferred = {frozenset(o.components) for o in evaluate(build(case)).systemic if o.tier == "preferred"}
    assert {frozenset({"pyrotinib", "capecitabine"}), frozenset({"t_dxd"}),
            frozenset({"tucatinib", "trastuzumab", "capecitabine"})} <= preferred
    tucatinib = next(o for o in evaluate(build(case)).systemic if "tucatinib" in o.components)
    assert "尚未" in (tucatinib.approval_note_zh or "")
    no_brain = brain_case(her2="positive")
    no_brain["metastases"] = no_brain["metastases"][1:]
    assert not any("tucatinib" in o.components for o in evaluate(build(no_brain)).systemic)


def test_three_lesions_in_one_organ_bring_metastasectomy_with_or_without_the_favouring_features() -> None:
    """三4: ≤ 3 lesions in one organ — resection with systemic therapy may improve PFS and OS; DFI ≥ 2 years,
    a single lesion or HR-positive disease only make benefit more likely (named, never required)."""
    from builders import base_case, build, recurrent, with_receptors

    from guideline_db.engine import evaluate

    case = recurrent(with_receptors(base_case(), 0, 0, "zero"), "2023-01-01", "2024-05-01")   # DFI 16 months, HR-
    case["metastases"] = [{"organ": "liver", "lesion_count": 2, "max_diameter_cm": 1.5}]
    item = next(i for i in evaluate(build(case)).local if i.site == "oligometastasis")
    assert "metastasectomy_consider" in item.actions
    assert any("均不具备" in r for r in item.reasons_zh)
