"""Derived facts: HER-2 categories, receptor source and discordance, visceral crisis, oligometastasis, PD-L1."""

from __future__ import annotations

import pytest
from builders import base_case, build, hr_pos_her2_neg, with_receptors

from guideline_db.engine import evaluate


@pytest.mark.parametrize(("ihc", "ish", "status"), [
    ("3+", None, "positive"), ("2+", "amplified", "positive"), ("2+", "not_amplified", "low"), ("1+", None, "low"),
    ("ultralow", None, "ultralow"), ("0", None, "zero"), ("2+", None, "unknown"), (None, None, "unknown"),
])
def test_her2_category(ihc, ish, status) -> None:
    case = hr_pos_her2_neg()
    case["pathology"][0].update(her2_ihc=ihc, her2_ish=ish)
    assert evaluate(build(case)).value("her2_status") == status


def test_ihc_2plus_without_ish_asks_for_ish_and_leaves_subtype_unknown() -> None:
    case = hr_pos_her2_neg()
    case["pathology"][0].update(her2_ihc="2+", her2_ish=None)
    evaluation = evaluate(build(case))
    assert evaluation.value("subtype") == "unknown"
    assert evaluation.systemic == ()
    assert any(m.key == "pathology[0].her2_ish" for m in evaluation.missing_data)


@pytest.mark.parametrize(("er", "pr", "her2", "subtype"), [
    (90, 0, "low", "hr_pos_her2_neg"), (0, 1, "zero", "hr_pos_her2_neg"), (80, 10, "positive", "hr_pos_her2_pos"),
    (0, 0, "positive", "hr_neg_her2_pos"), (0, 0, "zero", "triple_negative"), (0.5, 0, "low", "triple_negative"),
])
def test_subtype(er, pr, her2, subtype) -> None:
    assert evaluate(build(with_receptors(base_case(), er, pr, her2))).value("subtype") == subtype


def test_newest_metastasis_decides_and_discordance_is_flagged() -> None:
    case = hr_pos_her2_neg("zero")
    case["pathology"].append({"specimen": "metastasis", "site": "liver", "date": "2024-05-20",
                              "er_percent": 0, "pr_percent": 0, "her2_ihc": "3+"})
    evaluation = evaluate(build(case))
    assert evaluation.value("receptor_source") == "metastasis"
    assert evaluation.value("subtype") == "hr_neg_her2_pos"
    assert evaluation.value("receptor_discordance") is True
    assert "receptor_discordance" in {w.key for w in evaluation.warnings}


def test_decalcified_bone_biopsy_is_flagged() -> None:
    case = hr_pos_her2_neg()
    case["pathology"].append({"specimen": "metastasis", "site": "iliac bone", "date": "2024-05-20", "er_percent": 80,
                              "pr_percent": 5, "her2_ihc": "1+", "decalcified": True})
    assert "decalcified_specimen" in {w.key for w in evaluate(build(case)).warnings}


CRISES = [
    ({"organ": "lung", "lesion_count": 3, "lung": {"lymphangitic_spread": True, "oxygen_at_rest": True}}, "lymphangitic_oxygen"),
    ({"organ": "pleura", "pleura": {"effusion": True, "dyspnea_at_rest": True, "relieved_by_drainage": False}},
     "dyspnea_effusion_refractory"),
    ({"organ": "liver", "lesion_count": 20, "liver": {"diffuse": True, "bilirubin_x_uln": 1.5, "biliary_obstruction": False}},
     "diffuse_liver_bilirubin"),
    ({"organ": "bone", "lesion_count": 30, "bone": {"extensive_marrow_involvement": True}}, "extensive_marrow"),
    ({"organ": "brain", "brain": {"leptomeningeal": True}}, "leptomeningeal"),
    ({"organ": "brain", "lesion_count": 2, "symptomatic": True}, "symptomatic_brain_parenchymal"),
]


@pytest.mark.parametrize(("site", "reason"), CRISES)
def test_each_visceral_crisis_criterion(site, reason) -> None:
    case = hr_pos_her2_neg()
    case["metastases"] = [site]
    evaluation = evaluate(build(case))
    assert evaluation.value("visceral_crisis") is True
    assert reason in evaluation.visceral_crisis_reasons
    # chemotherapy is then preferred by the body text (五（一）)
    assert any(o.components == ("chemotherapy",) and o.tier == "preferred" for o in evaluation.systemic)


@pytest.mark.parametrize("site", [
    {"organ": "liver", "lesion_count": 20, "liver": {"diffuse": True, "bilirubin_x_uln": 1.4}},
    {"organ": "liver", "lesion_count": 20, "liver": {"diffuse": True, "bilirubin_x_uln": 3.0, "biliary_obstruction": True}},
    {"organ": "pleura", "pleura": {"effusion": True, "dyspnea_at_rest": True, "relieved_by_drainage": True}},
    {"organ": "lung", "lesion_count": 3, "lung": {"lymphangitic_spread": True, "oxygen_at_rest": False}},
    {"organ": "brain", "lesion_count": 2, "symptomatic": False},
])
def test_not_visceral_crisis(site) -> None:
    case = hr_pos_her2_neg()
    case["metastases"] = [site]
    assert evaluate(build(case)).value("visceral_crisis") is False


def test_unknown_bilirubin_with_diffuse_liver_disease_is_a_missing_data_prompt() -> None:
    case = hr_pos_her2_neg()
    case["metastases"] = [{"organ": "liver", "lesion_count": 20, "liver": {"diffuse": True}}]
    evaluation = evaluate(build(case))
    assert any("bilirubin_x_uln" in m.key for m in evaluation.missing_data)


@pytest.mark.parametrize(("sites", "oligo"), [
    ([{"organ": "liver", "lesion_count": 1}], True),
    ([{"organ": "liver", "lesion_count": 2}, {"organ": "lung", "lesion_count": 2}, {"organ": "bone", "lesion_count": 1}], True),
    ([{"organ": "liver", "lesion_count": 3}, {"organ": "lung", "lesion_count": 3}], False),
    ([{"organ": "liver", "lesion_count": 1}, {"organ": "lung", "lesion_count": 1}, {"organ": "bone", "lesion_count": 1},
      {"organ": "adrenal", "lesion_count": 1}], False),
    ([{"organ": "liver"}], False),
])
def test_oligometastatic(sites, oligo) -> None:
    case = hr_pos_her2_neg()
    case["metastases"] = sites
    evaluation = evaluate(build(case))
    assert evaluation.value("oligometastatic") is oligo


@pytest.mark.parametrize(("cps", "positive"), [(10, True), (9.9, False), (None, None)])
def test_pdl1_cut_off(cps, positive) -> None:
    case = with_receptors(base_case(), 0, 0, "zero")
    case["biomarkers"] = {"pdl1_cps": cps}
    assert evaluate(build(case)).value("pdl1_positive") is positive


def test_every_fact_has_a_sentence_in_both_languages() -> None:
    evaluation = evaluate(build(hr_pos_her2_neg()))
    for name, fact in {**evaluation.facts, **evaluation.extra_facts}.items():
        assert fact.explanation_zh and fact.explanation_en and fact.section, name


def test_principles_tied_to_the_case_situation() -> None:
    bone_case = hr_pos_her2_neg()
    ids = {p.key for p in evaluate(build(bone_case)).principles}
    assert {"T3-1", "T7-1", "T13-3"} <= ids          # general, HR+/HER-2-, bone metastases
    assert not ids & {"T11-1", "T14-1", "T15-1"}     # not triple-negative, no brain, not male
    tnbc = with_receptors(base_case(), 0, 0, "zero")
    tnbc["metastases"] = [{"organ": "brain", "lesion_count": 1, "symptomatic": True}]
    ids = {p.key for p in evaluate(build(tnbc)).principles}
    assert {"T11-1", "T14-1"} <= ids and "T7-1" not in ids
