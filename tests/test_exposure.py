"""Treatment history: a regimen whose defining drug failed is withheld with its reason, and the text's
allowances keep a drug where it says so. Each rule is crossed from both sides, with the reason text."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from builders import base_case, build, hr_pos_her2_neg, recurrent, therapy, with_receptors
from hypothesis import HealthCheck, assume, given, settings
from strategies import cases

from guideline_db.case_io import CaseFileError
from guideline_db.engine import evaluate
from guideline_db.vocabulary import load_vocabulary


def her2_positive(hr: bool = False) -> dict:
    return with_receptors(base_case(), 80 if hr else 0, 0, "positive")


def triple_negative() -> dict:
    return with_receptors(base_case(), 0, 0, "zero")


def advanced(agents: list[str], line: int, start: str, end: str, progressed: bool = True, **extra) -> dict:
    return therapy("advanced", agents, start, end, line=line, progression=end if progressed else None,
                   stop_reason=None if progressed else "completed", **extra)


def lines(case: dict, *entries: dict) -> dict:
    case["therapies"] = list(entries)
    case["evaluation_date"] = "2024-07-01"
    return case


def by_id(evaluation, option_id: str):
    shown = {i: o for o in evaluation.systemic for i in (o.id, *o.also_in)}
    held = {i: w for w in evaluation.withheld for i in (w.option.id, *w.option.also_in)}
    return shown.get(option_id), held.get(option_id)


# (name, case builder, option id, expected: "withheld" with reason code and words, or "offered")
FAILED_ON = [
    ("T-DXd after T-DXd", lambda p: lines(her2_positive(), advanced(["trastuzumab", "pertuzumab", "docetaxel"], 1,
     "2022-01-10", "2023-03-01"), advanced(["t_dxd"], 2, "2023-03-10", "2024-06-01", progressed=p)),
     "T10-L3-P1", "T-DXd"),
    ("sacituzumab govitecan after sacituzumab govitecan", lambda p: lines(triple_negative(),
     advanced(["paclitaxel"], 1, "2022-01-10", "2023-01-01"),
     advanced(["sacituzumab_govitecan"], 2, "2023-01-10", "2024-06-01", progressed=p)), "T12-L2-NONBRCA-R1",
     "Sacituzumab"),
    ("endocrine + everolimus after exemestane + everolimus", lambda p: lines(hr_pos_her2_neg(),
     advanced(["letrozole", "palbociclib"], 1, "2021-01-10", "2023-01-01"),
     advanced(["exemestane", "everolimus"], 2, "2023-01-10", "2024-06-01", progressed=p)), "T8-L2P-P1", "Everolimus"),
    ("endocrine + chidamide after chidamide", lambda p: lines(hr_pos_her2_neg(),
     advanced(["letrozole", "palbociclib"], 1, "2021-01-10", "2023-01-01"),
     advanced(["exemestane", "chidamide"], 2, "2023-01-10", "2024-06-01", progressed=p)), "T8-L2P-R1", "idamide"),
    ("pyrotinib + capecitabine after a pyrotinib regimen", lambda p: lines(her2_positive(),
     advanced(["trastuzumab", "pyrotinib", "docetaxel"], 1, "2022-01-10", "2024-06-01", progressed=p)),
     "T10-L2-P2", "Pyrotinib"),
    ("platinum after first-line platinum", lambda p: {**lines(triple_negative(),
     advanced(["carboplatin", "gemcitabine"], 1, "2023-01-10", "2024-06-01", progressed=p)),
     "biomarkers": {"gbrca": "positive"}}, "T12-L2-BRCA-P1", "latinum"),
    ("tamoxifen for a man after tamoxifen", lambda p: {**lines(hr_pos_her2_neg(),
     advanced(["tamoxifen"], 1, "2023-01-10", "2024-06-01", progressed=p)),
     "patient": {"sex": "male", "age": 66, "kps": 80}}, "BT-MALE-TAMOXIFEN", "SERM"),
    ("aromatase inhibitor alone after progression on an AI", lambda p: lines(hr_pos_her2_neg(),
     advanced(["anastrozole"], 1, "2023-01-10", "2024-06-01", progressed=p)), "T8-L2N-O2", "Aromatase"),
]


@pytest.mark.parametrize("name,make,option_id,words", FAILED_ON, ids=[f[0] for f in FAILED_ON])
def test_a_regimen_that_failed_is_withheld_with_the_therapy_and_the_sentence(name, make: Callable, option_id: str,
                                                                              words: str) -> None:
    shown, held = by_id(evaluate(build(make(True))), option_id)
    assert shown is None and held is not None, name
    assert held.reason_code == "progressed_on"
    assert words in held.reason_en and "2024-06-01" in held.reason_en
    assert "进展" in held.reason_zh and "2024-06-01" in held.reason_zh
    assert held.source_section == "四" and held.source_text_zh
    assert held.reason_facts and held.reason_facts[0].startswith("therapies[")


@pytest.mark.parametrize("name,make,option_id,words", FAILED_ON, ids=[f[0] for f in FAILED_ON])
def test_the_same_regimen_stopped_without_progression_is_not_withheld_for_exposure(name, make: Callable,
                                                                                    option_id: str, words: str) -> None:
    evaluation = evaluate(build(make(False)))
    shown, held = by_id(evaluation, option_id)
    assert held is None or not held.rule.startswith("exposure"), (name, held and held.reason_en)


def test_same_mechanism_counts_sirolimus_after_everolimus() -> None:
    case = lines(hr_pos_her2_neg(), advanced(["letrozole", "palbociclib"], 1, "2021-01-10", "2023-01-01"),
                 advanced(["fulvestrant", "sirolimus"], 2, "2023-01-10", "2024-06-01"))
    _, held = by_id(evaluate(build(case)), "T8-L2P-P1")
    assert held is not None and "same mechanism" in held.reason_en and "同一作用机制" in held.reason_zh


def test_another_cdk4_6_inhibitor_is_kept_naming_the_one_that_failed_until_none_is_left() -> None:
    case = lines(hr_pos_her2_neg(), advanced(["letrozole", "palbociclib"], 1, "2021-01-10", "2024-06-01"))
    shown, held = by_id(evaluate(build(case)), "T8-L2P-R2")
    assert shown is not None and held is None
    note = next(n for n in shown.notes if n.rule.startswith("allowance:another_cdk4_6"))
    assert "Palbociclib" in note.text_en and "MAINTAIN" in note.text_en and "瑞波西利" in note.text_zh
    every = load_vocabulary().class_agents["cdk4_6_inhibitor"]
    case["therapies"] += [advanced(["fulvestrant", agent], n + 2, f"2024-0{n + 1}-01", f"2024-0{n + 1}-20")
                          for n, agent in enumerate(sorted(every - {"palbociclib"}))]
    shown, held = by_id(evaluate(build(case)), "T8-L2P-R2")
    assert shown is None and held is not None and held.reason_code == "progressed_on"


def test_anti_her2_antibody_is_continued_after_failure_citing_the_sentence() -> None:
    case = lines(her2_positive(), advanced(["trastuzumab", "docetaxel"], 1, "2022-01-10", "2023-01-01"),
                 advanced(["t_dm1"], 2, "2023-01-10", "2024-06-01"))
    shown, held = by_id(evaluate(build(case)), "T10-L3-R2")       # trastuzumab + chemotherapy, later lines
    assert shown is not None and held is None
    texts = [n.text_zh for n in shown.notes]
    assert any("应继续抗HER-2治疗" in t for t in texts)
    assert any("多西他赛" in t and "未失败" in t for t in texts)     # the chemotherapy partner must be a new one


def test_an_aromatase_inhibitor_with_a_new_partner_is_kept_with_the_switch_note() -> None:
    case = recurrent(hr_pos_her2_neg(), "2019-12-01", "2021-06-01")
    case["therapies"] = [therapy("adjuvant", ["letrozole"], "2020-01-01", "2021-06-01", progression="2021-06-01")]
    evaluation = evaluate(build(case))
    shown, _ = by_id(evaluation, "T8-L1-PRIMARY-R1")                # AI + CDK4/6 inhibitor
    assert shown is not None
    assert any(n.rule == "exposure:backbone" and "其他作用机制" in n.text_zh for n in shown.notes)


# ------------------------------------------------------------------ (neo)adjuvant windows and allowances
def adjuvant_taxane(relapse: str) -> dict:
    case = recurrent(her2_positive(), "2021-01-01", relapse)
    case["therapies"] = [therapy("adjuvant", ["docetaxel", "cyclophosphamide"], "2021-02-01", "2022-06-30",
                                 stop_reason="completed")]
    return case


@pytest.mark.parametrize("relapse,withheld", [("2023-06-30", True), ("2023-07-01", False)])
def test_taxane_relapse_within_a_year_of_the_last_adjuvant_dose_is_a_failure_after_it_an_allowance(
        relapse: str, withheld: bool) -> None:
    evaluation = evaluate(build(adjuvant_taxane(relapse)))
    shown, held = by_id(evaluation, "T10-L1-P1")                    # trastuzumab + pertuzumab + taxane
    if withheld:
        assert held is not None and held.reason_code == "relapsed_during_or_soon_after"
        assert "relapse during or soon after adjuvant" in held.reason_en
    else:
        assert shown is not None
        assert any("＞1年" in n.text_zh and "可以再次使用紫杉类" in n.text_zh for n in shown.notes)


@pytest.mark.parametrize("relapse,withheld", [("2023-06-30", True), ("2023-07-01", False)])
def test_other_adjuvant_drugs_fail_within_the_adjuvant_window(relapse: str, withheld: bool) -> None:
    case = recurrent(her2_positive(), "2021-01-01", relapse)
    case["therapies"] = [therapy("adjuvant", ["capecitabine"], "2021-02-01", "2022-06-30", stop_reason="completed")]
    case["therapies"].append(advanced(["trastuzumab", "paclitaxel"], 1, relapse, "2024-06-01"))
    shown, held = by_id(evaluate(build(case)), "T10-L2-P2")          # pyrotinib + capecitabine
    assert (held is not None) == withheld and (shown is None) == withheld


@pytest.mark.parametrize("end,reused", [("2023-07-10", True), ("2023-07-09", False)])
def test_an_effective_drug_after_a_planned_break_may_be_used_again(end: str, reused: bool) -> None:
    # 6 months of control (2023-01-10 → 2023-07-10) is the threshold; a shorter course that stopped is a failure
    case = lines(her2_positive(), advanced(["trastuzumab", "pertuzumab", "docetaxel"], 1, "2021-01-10", "2022-12-01"))
    case["therapies"].append(therapy("advanced", ["t_dxd"], "2023-01-10", end, line=2, stop_reason="toxicity",
                                     progression="2024-06-01", response="pr"))
    shown, held = by_id(evaluate(build(case)), "T10-L3-P1")
    if reused:
        assert shown is not None and any("疾病控制时间较长" in n.text_zh for n in shown.notes)
    else:
        assert held is not None and held.reason_code == "progressed_on"


# ------------------------------------------------------------------ the invariant, over generated cases
def failed_advanced_agents(case) -> set[str]:
    return {a for t in case.therapies if t.setting == "advanced" and (t.progression_date or t.stop_reason == "progression")
            for a in t.agents}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(cases())
def test_no_offered_option_consists_only_of_agents_that_progressed_unless_a_row_allows_it(data: dict) -> None:
    try:
        case = build(data)
    except CaseFileError:
        assume(False)
    failed = failed_advanced_agents(case)
    if not failed:
        return
    vocabulary = load_vocabulary()
    for option in evaluate(case).systemic:
        agents = [c for c in option.components if c in vocabulary.agent_tokens]
        if len(agents) != len(option.components):
            continue                                   # a class component can be filled by a drug not yet used
        if all(a in failed for a in agents):
            allowed = any(n.rule.startswith(("allowance:", "exposure:continued")) for n in option.notes)
            assert allowed, (option.id, option.components, sorted(failed))
