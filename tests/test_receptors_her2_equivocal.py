"""HER-2 IHC 2+ without ISH on the deciding specimen (the newest metastasis/recurrence specimen with a
HER-2 result, else the primary) leaves HER-2 `unknown`: no silent fall-back to an older specimen; the
prompt says what each ISH result would change and names the older result as context (六（一）)."""

from __future__ import annotations

import pytest
from builders import build, hr_pos_her2_neg

from guideline_db.engine import evaluate


def _case(primary_ihc: str | None, met: dict | None) -> dict:
    case = hr_pos_her2_neg()
    case["pathology"][0].update(her2_ihc=primary_ihc, her2_ish=None)
    if met is not None:
        case["pathology"].append({"specimen": "metastasis", "site": "liver", "date": "2024-05-20", "er_percent": 80,
                                  "pr_percent": 20, **met})
    return case


# (primary IHC, metastasis HER-2 fields, expected her2_status, ISH prompt field or None)
CASES = [
    ("3+", {"her2_ihc": "2+"}, "unknown", "pathology[1].her2_ish"),
    ("3+", {"her2_ihc": "2+", "her2_ish": "not_amplified"}, "low", None),
    ("1+", {"her2_ihc": "2+", "her2_ish": "amplified"}, "positive", None),
    ("1+", {"her2_ihc": "1+"}, "low", None),
    # a metastasis without any HER-2 result does not decide HER-2: the primary does
    ("3+", {}, "positive", None),
    ("2+", {}, "unknown", "pathology[0].her2_ish"),
    ("2+", None, "unknown", "pathology[0].her2_ish"),
]


@pytest.mark.parametrize(("primary_ihc", "met", "status", "prompt"), CASES)
def test_equivocal_her2_on_the_deciding_specimen(primary_ihc, met, status, prompt) -> None:
    evaluation = evaluate(build(_case(primary_ihc, met)))
    assert evaluation.value("her2_status") == status
    fields = {m.key for m in evaluation.missing_data if m.key.endswith(".her2_ish")}
    assert fields == ({prompt} if prompt else set())


def test_older_specimen_is_context_only_and_each_ish_result_is_spelled_out() -> None:
    evaluation = evaluate(build(_case("3+", {"her2_ihc": "2+"})))
    assert evaluation.value("subtype") == "unknown"
    assert evaluation.systemic == ()
    prompt = next(m for m in evaluation.missing_data if m.key == "pathology[1].her2_ish")
    assert prompt.text_en.startswith("specimen 2 (metastasis, liver, 2024-05-20)")
    assert "the older specimen 1 (primary, 2024-05-02) was HER-2-positive; context only" in prompt.text_en
    assert "ISH amplified → HER-2-positive" in prompt.text_en and "not amplified → HER-2-low" in prompt.text_en
    assert "病理第2项（转移灶 liver 2024-05-20）" in prompt.text_zh and "较早的病理第1项" in prompt.text_zh
    assert "pathology[" not in prompt.text_en + prompt.text_zh
    # the general "receptors missing" prompt does not repeat it
    assert "pathology" not in {m.key for m in evaluation.missing_data}
    assert "HER-2 IHC 2+ without ISH" in evaluation.facts["her2_status"].explanation_en


def test_an_older_equivocal_specimen_does_not_block_a_newer_result() -> None:
    case = _case("2+", {"her2_ihc": "1+"})
    evaluation = evaluate(build(case))
    assert evaluation.value("her2_status") == "low"
    assert not [m for m in evaluation.missing_data if m.key.endswith(".her2_ish")]


@pytest.mark.parametrize(("met", "status", "subtype", "prompt"), [
    ({"her2_ish": "not_amplified"}, "unknown", "hr_pos_her2_neg", True),
    ({"her2_ihc": "1+", "her2_ish": "not_amplified"}, "low", "hr_pos_her2_neg", False),
    ({"her2_ish": "amplified"}, "positive", "hr_pos_her2_pos", False),
])
def test_ish_without_ihc_on_the_deciding_specimen_does_not_fall_back(met, status, subtype, prompt) -> None:
    evaluation = evaluate(build(_case("3+", met)))
    assert evaluation.value("her2_status") == status
    assert evaluation.value("subtype") == subtype
    prompts = {m.key: m for m in evaluation.missing_data}
    assert ("pathology[1].her2_ihc" in prompts) is prompt
    if prompt:
        assert prompts["pathology[1].her2_ihc"].text_en.startswith("specimen 2 (metastasis, liver, 2024-05-20): ISH not")
        assert "cannot be told apart" in evaluation.facts["her2_status"].explanation_en
        assert evaluation.systemic, "HER-2-negative options are still given, with HER-2-low ones awaiting IHC"
        assert "HER-2-positive→HER-2-negative" in next(w.text_en for w in evaluation.warnings
                                                        if w.key == "receptor_discordance")
