"""A decalcified specimen's negative (or lower) receptor result does not alone override a reliable result
from a non-decalcified specimen (二: 骨转移病灶活检受到脱钙影响…应结合患者既往病史等情况综合考虑; 三: 转移灶HR或
HER-2转阴…应结合既往治疗…综合考虑). The alternative stays visible: explanation and a warning saying what
would change if the decalcified result were true."""

from __future__ import annotations

import pytest
from builders import build, hr_pos_her2_neg, recurrent, therapy

from guideline_db.engine import evaluate


def _case(met: dict, primary: dict | None = None, decalcified: bool = True) -> dict:
    case = recurrent(hr_pos_her2_neg(), "2018-01-01", "2024-05-01")
    case["pathology"][0].update(primary or {"er_percent": 95, "pr_percent": 60, "her2_ihc": "1+"})
    case["pathology"].append({"specimen": "metastasis", "site": "iliac bone", "date": "2024-05-20",
                              "decalcified": decalcified, **met})
    case["therapies"] = [therapy("adjuvant", ["tamoxifen"], "2018-03-01", "2023-03-01")]
    return case


TRIPLE_NEGATIVE_BONE = {"er_percent": 0, "pr_percent": 0, "her2_ihc": "0"}

# (metastasis result, primary result, decalcified, expected hr_positive, expected her2_status, set aside?)
CASES = [
    # the case: long-standing ER 95 % disease, decalcified bone biopsy reads triple-negative
    (TRIPLE_NEGATIVE_BONE, None, True, True, "low", True),
    # the same result from a specimen that was not decalcified: the newest metastasis decides (三)
    (TRIPLE_NEGATIVE_BONE, None, False, False, "zero", False),
    # both specimens negative: nothing reliable contradicts the decalcified one, it decides
    (TRIPLE_NEGATIVE_BONE, {"er_percent": 0, "pr_percent": 0, "her2_ihc": "0"}, True, False, "zero", False),
    # a decalcified POSITIVE result is not a false negative: it decides as the newest metastasis
    ({"er_percent": 80, "pr_percent": 10, "her2_ihc": "1+"}, {"er_percent": 0, "pr_percent": 0, "her2_ihc": "0"},
     True, True, "low", False),
    # HER-2 loss on the decalcified specimen only: the primary's HER-2-positive result decides
    ({"er_percent": 90, "pr_percent": 20, "her2_ihc": "1+"}, {"er_percent": 90, "pr_percent": 20, "her2_ihc": "3+"},
     True, True, "positive", True),
    ({"er_percent": 90, "pr_percent": 20, "her2_ihc": "1+"}, {"er_percent": 90, "pr_percent": 20, "her2_ihc": "3+"},
     False, True, "low", False),
]


@pytest.mark.parametrize(("met", "primary", "decalcified", "hr", "her2", "aside"), CASES)
def test_decalcified_negative_result_does_not_alone_override_a_reliable_one(met, primary, decalcified, hr, her2,
                                                                           aside) -> None:
    evaluation = evaluate(build(_case(met, primary, decalcified)))
    assert evaluation.value("hr_positive") is hr
    assert evaluation.value("her2_status") == her2
    codes = {w.key for w in evaluation.warnings}
    assert ("decalcified_result_set_aside" in codes) is aside
    if decalcified and not aside:
        assert "decalcified_specimen" in codes


def test_the_alternative_is_named_in_the_explanation_and_the_warning() -> None:
    evaluation = evaluate(build(_case(TRIPLE_NEGATIVE_BONE)))
    assert evaluation.value("subtype") == "hr_pos_her2_neg"
    hr = evaluation.facts["hr_positive"]
    assert "specimen 2 (metastasis, iliac bone, 2024-05-20, decalcified) reads HR-negative" in hr.explanation_en
    assert "specimen 1 (primary, 2018-01-01) decides" in hr.explanation_en
    assert "病理第2项（转移灶 iliac bone 2024-05-20 脱钙）为HR阴性" in hr.explanation_zh
    assert evaluation.value("receptor_source") == "primary"
    assert "decalcified specimen's lower result was set aside" in evaluation.facts["receptor_source"].explanation_en
    warning = next(w for w in evaluation.warnings if w.key == "decalcified_result_set_aside")
    assert "if the decalcified result is true, the subtype is triple-negative" in warning.text_en
    assert "若脱钙标本的结果属实，分子分型为三阴性" in warning.text_zh
    # the 三 sentence on receptor loss after endocrine therapy stays visible; the plain discordance warning
    # ("the newest metastasis is the main basis") would contradict the reading and is left to the set-aside one
    codes = {w.key for w in evaluation.warnings}
    assert "receptor_loss_after_targeted_therapy" in codes and "receptor_discordance" not in codes


def test_a_decalcified_rise_is_not_set_aside_and_stays_a_discordance() -> None:
    evaluation = evaluate(build(_case({"er_percent": 90, "pr_percent": 20, "her2_ihc": "3+"},
                                      {"er_percent": 90, "pr_percent": 20, "her2_ihc": "1+"})))
    assert evaluation.value("her2_status") == "positive"
    warning = next(w for w in evaluation.warnings if w.key == "receptor_discordance")
    assert "HER-2-low→HER-2-positive" in warning.text_en


def test_a_newer_reliable_negative_metastasis_decides_over_an_older_positive_primary() -> None:
    case = _case(TRIPLE_NEGATIVE_BONE)
    case["pathology"].append({"specimen": "metastasis", "site": "liver", "date": "2024-06-10", "er_percent": 0,
                              "pr_percent": 0, "her2_ihc": "0"})
    evaluation = evaluate(build(case))
    assert evaluation.value("subtype") == "triple_negative"
    assert "decalcified_result_set_aside" not in {w.key for w in evaluation.warnings}


def test_decalcified_specimen_alone_decides_with_a_caution() -> None:
    case = _case(TRIPLE_NEGATIVE_BONE)
    case["pathology"] = case["pathology"][1:]
    evaluation = evaluate(build(case))
    assert evaluation.value("subtype") == "triple_negative"
    warning = next(w for w in evaluation.warnings if w.key == "decalcified_specimen")
    assert "specimen 1 (metastasis, iliac bone, 2024-05-20, decalcified)" in warning.text_en
    assert "pathology[" not in warning.text_en + warning.text_zh


def test_alternative_subtype_with_an_ish_only_her2_negative_primary() -> None:
    evaluation = evaluate(build(_case({"er_percent": 0, "pr_percent": 0, "her2_ihc": "0"},
                                      {"er_percent": 95, "pr_percent": 60, "her2_ish": "not_amplified"})))
    assert evaluation.value("subtype") == "hr_pos_her2_neg"
    warning = next(w for w in evaluation.warnings if w.key == "decalcified_result_set_aside")
    assert "the subtype is triple-negative" in warning.text_en
