"""Unusual receptor combinations are warnings (六（一）: HER-2-positive is IHC 3+, or 2+ with ISH amplification;
三/表5#2 for the ER/PR reading), and no human text names a specimen as a field path."""

from __future__ import annotations

import pytest
from builders import build, hr_pos_her2_neg

from guideline_db.database import open_guideline
from guideline_db.engine import evaluate
from guideline_db.engine.thresholds import Thresholds

HR_CUT = Thresholds(open_guideline())["hr_positive_percent"].value


@pytest.mark.parametrize(("ihc", "ish", "warned", "status"), [
    ("0", "amplified", True, "positive"), ("ultralow", "amplified", True, "positive"), ("1+", "amplified", True, "positive"),
    ("2+", "amplified", False, "positive"), ("3+", None, False, "positive"), ("3+", "amplified", False, "positive"),
    ("3+", "not_amplified", True, "positive"), ("1+", "not_amplified", False, "low"), ("0", None, False, "zero"),
])
def test_her2_ihc_ish_combinations(ihc, ish, warned, status) -> None:
    case = hr_pos_her2_neg()
    case["pathology"][0].update(her2_ihc=ihc, her2_ish=ish)
    evaluation = evaluate(build(case))
    assert evaluation.value("her2_status") == status
    warning = [w for w in evaluation.warnings if w.key == "her2_ihc_ish_discordant"]
    assert bool(warning) is warned
    if warned:
        assert f"specimen 1 (primary, 2024-05-02): IHC {ihc}" in warning[0].text_en
        assert "IHC 3+, or IHC 2+ with ISH amplification" in warning[0].text_en


@pytest.mark.parametrize(("er", "pr", "warned"), [
    (0, 30, True), (HR_CUT - 0.5, HR_CUT, True), (HR_CUT, 30, False), (0, HR_CUT - 0.5, False), (0, 0, False),
    (90, 0, False),
])
def test_er_negative_pr_positive(er, pr, warned) -> None:
    case = hr_pos_her2_neg()
    case["pathology"][0].update(er_percent=er, pr_percent=pr)
    evaluation = evaluate(build(case))
    warning = [w for w in evaluation.warnings if w.key == "er_negative_pr_positive"]
    assert bool(warning) is warned
    if warned:
        assert evaluation.value("hr_positive") is True
        assert f"ER {er:g} %, PR {pr:g} %" in warning[0].text_en


def test_no_human_text_shows_a_field_path() -> None:
    case = hr_pos_her2_neg()
    case["pathology"].append({"specimen": "metastasis", "site": "rib", "date": "2024-05-20", "er_percent": 0,
                              "pr_percent": 0, "her2_ihc": "2+", "decalcified": True})
    case["metastases"] = [{"organ": "liver", "liver": {"diffuse": True}}, {"organ": "lung", "lesion_count": 0},
                          {"organ": "bone"}]
    evaluation = evaluate(build(case))
    texts = [t for a in (*evaluation.warnings, *evaluation.missing_data) for t in (a.text_zh, a.text_en)]
    texts += [t for f in evaluation.facts.values() for t in (f.explanation_zh, f.explanation_en)]
    assert texts
    for text in texts:
        for path in ("pathology[", "metastases[", "therapies[", "mdt.decision"):
            assert path not in text, text
