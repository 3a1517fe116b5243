"""Premenopausal women and men: the modifiers of 五（二）2 and 九/表15, and their extra options."""

from __future__ import annotations

from builders import build, hr_pos_her2_neg, recurrent, therapy

from guideline_db.engine import evaluate
from guideline_db.vocabulary import load_vocabulary

OFS = "ovarian_function_suppression"
MGS = "male_gonadal_suppression"


def premenopausal(**patient) -> dict:
    case = hr_pos_her2_neg()
    case["patient"].update(menopausal_status="pre", age=42, **patient)
    return case


def test_premenopausal_every_endocrine_regimen_carries_ovarian_suppression() -> None:
    evaluation = evaluate(build(premenopausal()))
    vocabulary = load_vocabulary()
    endocrine = [o for o in evaluation.systemic
                 if any("endocrine" in vocabulary.kind_of(c) for c in o.components if c != OFS)]
    assert endocrine, "expected endocrine options"
    for option in endocrine:
        assert OFS in option.components, option.label_en
        assert "卵巢功能抑制" in option.label_zh and "ovarian" in option.label_en
    preferred = next(o for o in evaluation.systemic if o.tier == "preferred")
    assert set(preferred.components) == {"aromatase_inhibitor", "cdk4_6_inhibitor", OFS}
    assert "MONALEESA-7" in preferred.trials


def test_perimenopausal_and_unconfirmed_amenorrhoea_count_as_premenopausal() -> None:
    for patient in ({"menopausal_status": "peri"}, {"menopausal_status": "post", "chemo_induced_amenorrhea": True},
                    {"menopausal_status": "unknown"}):
        case = hr_pos_her2_neg()
        case["patient"].update(patient)
        evaluation = evaluate(build(case))
        assert evaluation.value("treatment_menopausal_status") == "pre", patient
    case = hr_pos_her2_neg()
    case["patient"].update(chemo_induced_amenorrhea=True, menopause_confirmed=True)
    evaluation = evaluate(build(case))
    assert evaluation.value("treatment_menopausal_status") == "post"


def test_unconfirmed_amenorrhoea_warns_before_an_aromatase_inhibitor() -> None:
    case = hr_pos_her2_neg()
    case["patient"].update(chemo_induced_amenorrhea=True)
    codes = {w.key for w in evaluate(build(case)).warnings}
    assert "chemo_induced_amenorrhea_unconfirmed" in codes


def test_woman_declining_ovarian_suppression_is_offered_serm_alone() -> None:
    evaluation = evaluate(build(premenopausal(refuses_ovarian_suppression=True)))
    serm = [o for o in evaluation.systemic if o.components == ("serm",)]
    assert len(serm) == 1 and serm[0].section == "五（二）2"


def test_serm_for_refusers_is_not_offered_after_serm_failure() -> None:
    case = premenopausal(refuses_ovarian_suppression=True)
    recurrent(case, "2019-01-01", "2024-05-01")
    case["therapies"] = [therapy("adjuvant", ["tamoxifen"], "2019-02-01", "2024-05-01", progression="2024-05-01")]
    evaluation = evaluate(build(case))
    assert not any(o.components == ("serm",) for o in evaluation.systemic)


def men() -> dict:
    case = hr_pos_her2_neg()
    case["patient"] = {"sex": "male", "age": 66, "kps": 80}
    return case


def test_men_need_gonadal_suppression_with_an_ai_or_cdk46_inhibitor() -> None:
    evaluation = evaluate(build(men()))
    assert evaluation.value("treatment_menopausal_status") == "male"
    vocabulary = load_vocabulary()
    for option in evaluation.systemic:
        needs = any(vocabulary.in_class(c, "aromatase_inhibitor") or vocabulary.in_class(c, "cdk4_6_inhibitor")
                    or c in ("aromatase_inhibitor", "cdk4_6_inhibitor") for c in option.components)
        assert (MGS in option.components) == needs, option.label_en
        assert OFS not in option.components
    fulvestrant = next(o for o in evaluation.systemic if o.components == ("fulvestrant",))
    assert MGS not in fulvestrant.components


def test_tamoxifen_is_the_standard_for_men() -> None:
    evaluation = evaluate(build(men()))
    tamoxifen = next(o for o in evaluation.systemic if o.components == ("serm",))
    assert tamoxifen.tier == "preferred" and tamoxifen.table == "15"
    assert "male_aromatase_inhibitor" in {w.key for w in evaluation.warnings}


def test_no_serm_option_after_progression_on_a_serm() -> None:
    case = premenopausal()
    recurrent(case, "2019-01-01", "2024-05-01")
    case["therapies"] = [therapy("adjuvant", ["tamoxifen"], "2019-02-01", "2024-05-01", progression="2024-05-01")]
    evaluation = evaluate(build(case))
    assert evaluation.value("endocrine_status") == "secondary_resistance"
    assert not any("serm" in o.components for o in evaluation.systemic)
