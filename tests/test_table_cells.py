"""Every cell of Tables 8, 10 and 12: a case built for each row, each option asserted in its tier with its
evidence level. The expected cells are transcribed here independently from the guideline (tables-reading.md
and the text), so a wrong database row or a wrong condition fails."""

from __future__ import annotations

import pytest
from builders import (
    all_biomarkers_positive,
    base_case,
    build,
    hr_pos_her2_neg,
    recurrent,
    therapy,
    with_receptors,
)

from guideline_db.engine import evaluate

AI, FUL, CDK = "aromatase_inhibitor", "fulvestrant", "cdk4_6_inhibitor"
ET = "endocrine_therapy"


def table8_case(row: str) -> dict:
    case = all_biomarkers_positive(hr_pos_her2_neg("low"))
    if row == "naive":
        return case
    if row == "primary":  # relapse 17 months into adjuvant letrozole
        recurrent(case, "2019-12-01", "2021-06-01")
        case["therapies"] = [therapy("adjuvant", ["letrozole"], "2020-01-01", "2021-06-01", progression="2021-06-01")]
        return case
    if row == "secondary":  # relapse 5 months after completing 5 years of adjuvant tamoxifen
        # (tamoxifen, so that no cell of the row is withheld for a failed agent: tests/test_exposure.py)
        recurrent(case, "2014-12-01", "2020-06-01")
        case["therapies"] = [therapy("adjuvant", ["tamoxifen"], "2015-01-01", "2020-01-01", stop_reason="completed")]
        return case
    case["therapies"] = [therapy("advanced", ["letrozole", "palbociclib"] if row == "cdk_pretreated" else ["tamoxifen"],
                                 "2024-05-10", "2024-06-20", line=1, progression="2024-06-20")]
    case["evaluation_date"] = "2024-07-01"
    return case


TABLE8 = {
    "naive": [("preferred", "IA", {AI, CDK}), ("recommended", "IIA", {FUL, CDK}), ("optional", "IA", {AI}),
              ("optional", "IA", {FUL})],
    "primary": [("preferred", "IA", {FUL, CDK}), ("recommended", "IA", {AI, CDK}),
                ("optional", "IB", {FUL, "palbociclib", "inavolisib"}), ("optional", "IIB", {AI, "everolimus"}),
                ("optional", "IIB", {"other_endocrine_therapy"})],
    "secondary": [("preferred", "IA", {AI, CDK}), ("recommended", "IA", {FUL, CDK}),
                  ("recommended", "IB", {AI, "everolimus"}), ("optional", "IIB", {FUL}), ("optional", "IIB", {AI, FUL}),
                  ("optional", "IB", {FUL, "palbociclib", "inavolisib"})],
    "cdk_naive": [("preferred", "IA", {FUL, CDK}), ("preferred", "IA", {AI, CDK}), ("recommended", "IB", {AI, "everolimus"}),
                  ("recommended", "IB", {AI, "hdac_inhibitor"}), ("recommended", "IB", {"parp_inhibitor"}),
                  ("optional", "IIB", {FUL}), ("optional", "IIB", {AI}), ("optional", "IA", {FUL, "capivasertib"}),
                  ("optional", "IB", {ET, "alpelisib"}), ("optional", None, {"chemotherapy"})],
    "cdk_pretreated": [("preferred", "IIA", {ET, "everolimus"}), ("preferred", "IA", {"t_dxd"}),
                       ("recommended", "IIA", {ET, "chidamide"}), ("recommended", "IIA", {ET, CDK}),
                       ("recommended", "IA", {FUL, "capivasertib"}), ("recommended", "IIA", {"chemotherapy"}),
                       ("recommended", "IA", {"sacituzumab_govitecan"}), ("optional", "IB", {"parp_inhibitor"}),
                       ("optional", "IIA", {ET, "alpelisib"}), ("optional", "IIA", {"datopotamab_deruxtecan"}),
                       ("optional", "IIB", {"elacestrant"})],
}


def offered(evaluation) -> dict[frozenset, tuple[str, str | None]]:
    return {frozenset(o.components): (o.tier, o.evidence) for o in evaluation.systemic}


@pytest.mark.parametrize("row", sorted(TABLE8))
def test_table8_row(row: str) -> None:
    evaluation = evaluate(build(table8_case(row)))
    got = offered(evaluation)
    for tier, evidence, components in TABLE8[row]:
        assert got.get(frozenset(components)) == (tier, evidence), (row, components, got.get(frozenset(components)))
    table8 = [o for o in evaluation.systemic if o.table == "8"]
    assert len(table8) == len(TABLE8[row]), [o.label_en for o in table8]


def test_table8_rows_are_reached_by_their_derived_facts() -> None:
    expected = {"naive": ("naive", 1, False), "primary": ("primary_resistance", 1, False),
                "secondary": ("secondary_resistance", 1, False), "cdk_naive": ("primary_resistance", 2, False),
                "cdk_pretreated": ("primary_resistance", 2, True)}
    for row, (status, line, cdk) in expected.items():
        evaluation = evaluate(build(table8_case(row)))
        assert (evaluation.value("endocrine_status"), evaluation.value("advanced_line"),
                evaluation.value("prior_cdk4_6_inhibitor")) == (status, line, cdk), row


def her2_case(line: int, hr_positive: bool = False, trastuzumab_end: str | None = None) -> dict:
    case = with_receptors(base_case(), 80 if hr_positive else 0, 0, "positive")
    if trastuzumab_end:
        recurrent(case, "2020-01-01", "2024-05-01")
        case["therapies"].append(therapy("adjuvant", ["trastuzumab"], "2020-02-01", trastuzumab_end, stop_reason="completed"))
    for n in range(1, line):
        # trastuzumab + paclitaxel: no cell of Table 10 is withheld for it (trastuzumab is continued, 六（二）2)
        case["therapies"].append(therapy("advanced", ["trastuzumab", "paclitaxel"], f"2024-0{n + 4}-02",
                                         f"2024-0{n + 4}-20", line=n, progression=f"2024-0{n + 4}-20"))
    return case


TABLE10 = {
    1: [("preferred", "IA", {"trastuzumab", "pertuzumab", "taxane"}), ("preferred", "IA", {"trastuzumab", "pyrotinib", "taxane"}),
        ("recommended", "IIA", {"trastuzumab", "pertuzumab", "non_taxane_chemotherapy"}),
        ("optional", "IB", {"trastuzumab", "chemotherapy"}), ("optional", "IIA", {"pyrotinib", "chemotherapy"})],
    2: [("preferred", "IA", {"t_dxd"}), ("preferred", "IA", {"pyrotinib", "capecitabine"}), ("preferred", "IB", {"t_dm1"})],
    3: [("preferred", "IA", {"t_dxd"}), ("recommended", "IA", {"neratinib", "capecitabine"}),
        ("recommended", "IB", {"trastuzumab", "chemotherapy"}), ("recommended", "IIB", {"inetetamab", "chemotherapy"}),
        ("recommended", "IIB", {"pyrotinib", "chemotherapy"}),
        ("recommended", "IIB", {"trastuzumab", "pertuzumab", "chemotherapy"}), ("optional", None, {"clinical_trial"})],
}


@pytest.mark.parametrize("line", [1, 2, 3])
def test_table10_row(line: int) -> None:
    evaluation = evaluate(build(her2_case(line)))
    got = offered(evaluation)
    for tier, evidence, components in TABLE10[line]:
        assert got.get(frozenset(components)) == (tier, evidence), (line, components)
    assert len([o for o in evaluation.systemic if o.table == "10"]) == len(TABLE10[line])


def test_table10_endocrine_option_only_for_hr_positive() -> None:
    hp_et = frozenset({"trastuzumab", "pertuzumab", "endocrine_therapy"})
    assert hp_et not in offered(evaluate(build(her2_case(1, hr_positive=False))))
    assert offered(evaluate(build(her2_case(1, hr_positive=True))))[hp_et] == ("optional", "IB")


@pytest.mark.parametrize(("trastuzumab_end", "row"), [("2023-05-01", "second"), ("2023-04-30", "first")])
def test_trastuzumab_free_interval_of_twelve_months_decides_the_row(trastuzumab_end: str, row: str) -> None:
    evaluation = evaluate(build(her2_case(1, trastuzumab_end=trastuzumab_end)))
    assert evaluation.extra_facts["her2_treatment_line"].value == row
    expected = TABLE10[2] if row == "second" else TABLE10[1]
    got = offered(evaluation)
    assert all(got.get(frozenset(c)) == (t, e) for t, e, c in expected)


def tnbc_case(line: int, pdl1: float | None, gbrca: str, her2: str = "zero") -> dict:
    case = with_receptors(base_case(), 0, 0, her2)
    case["biomarkers"] = {"gbrca": gbrca, "pdl1_cps": pdl1}
    if line == 2:
        case["therapies"] = [therapy("advanced", ["paclitaxel"], "2024-05-05", "2024-06-25", line=1, progression="2024-06-25")]
    return case


TABLE12 = [
    ((1, 15, "negative", "zero"), [("preferred", "IA", {"immune_checkpoint_inhibitor", "chemotherapy"})]),
    ((1, 2, "negative", "zero"), [("preferred", "IA", {"chemotherapy"})]),
    ((1, 2, "positive", "zero"), [("preferred", "IA", {"platinum_chemotherapy"}), ("recommended", "IB", {"parp_inhibitor"})]),
    ((2, None, "negative", "zero"), [("preferred", "IA", {"chemotherapy"}), ("recommended", "IB", {"sacituzumab_govitecan"}),
                                     ("optional", "IB", {"sacituzumab_tirumotecan"})]),
    ((2, None, "positive", "zero"), [("preferred", "IA", {"platinum_chemotherapy"}), ("recommended", "IB", {"parp_inhibitor"}),
                                     ("optional", "IB", {"sacituzumab_govitecan"}), ("optional", "IB", {"sacituzumab_tirumotecan"})]),
    ((2, None, "negative", "low"), [("recommended", "IB", {"t_dxd"})]),
]


@pytest.mark.parametrize(("params", "cells"), TABLE12)
def test_table12_row(params: tuple, cells: list) -> None:
    evaluation = evaluate(build(tnbc_case(*params)))
    got = offered(evaluation)
    for tier, evidence, components in cells:
        assert got.get(frozenset(components)) == (tier, evidence), (params, components)


def test_table12_pdl1_positive_row_excludes_parp_without_gbrca() -> None:
    got = offered(evaluate(build(tnbc_case(1, 22, "negative"))))
    assert frozenset({"parp_inhibitor"}) not in got
    assert frozenset({"chemotherapy"}) not in got  # PD-L1-negative row does not apply


def test_untested_biomarker_shows_option_with_unknown_requirement() -> None:
    case = table8_case("cdk_pretreated")
    case["biomarkers"] = {"pik3ca": "not_tested", "gbrca": "negative"}
    evaluation = evaluate(build(case))
    alpelisib = next(o for o in evaluation.systemic if "alpelisib" in o.components)
    assert alpelisib.requirement_status == "unknown" and alpelisib.unknown_biomarkers == ("pik3ca",)
    assert not any("parp_inhibitor" in o.components for o in evaluation.systemic)
    assert any(m.key == "biomarkers.pik3ca" and "alpelisib" in m.text_en for m in evaluation.missing_data)


def test_capivasertib_needs_any_of_three_alterations() -> None:
    case = table8_case("cdk_pretreated")
    case["biomarkers"] = {"pik3ca": "negative", "akt1": "negative", "pten": "positive"}
    capi = next(o for o in evaluate(build(case)).systemic if "capivasertib" in o.components)
    assert capi.requirement_status == "met"
    case["biomarkers"] = {"pik3ca": "negative", "akt1": "negative", "pten": "negative"}
    assert not any("capivasertib" in o.components for o in evaluate(build(case)).systemic)


def test_her2_zero_gets_no_t_dxd_but_ultralow_gets_the_body_text_option() -> None:
    zero = table8_case("cdk_pretreated")
    with_receptors(zero, 90, 50, "zero")
    assert not any("t_dxd" in o.components for o in evaluate(build(zero)).systemic)
    ultralow = with_receptors(table8_case("cdk_pretreated"), 90, 50, "ultralow")
    option = next(o for o in evaluate(build(ultralow)).systemic if "t_dxd" in o.components)
    assert (option.tier, option.evidence, option.table) == ("optional", None, "")
