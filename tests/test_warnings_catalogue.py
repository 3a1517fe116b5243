"""Every warning row of the catalogue: a case that makes it fire and a neighbouring case that crosses its
boundary and does not, with the text that says why. A warning code added to the sources without a row
here fails `test_every_warning_code_is_tested`."""

from __future__ import annotations

from collections.abc import Callable

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

from guideline_db.database import open_guideline
from guideline_db.engine import evaluate
from guideline_db.engine.thresholds import Thresholds

THRESHOLDS = Thresholds(open_guideline())


def _premenopausal(case: dict) -> dict:
    case["patient"].update(menopausal_status="pre", age=35)
    return case


def _with(case: dict, **patient) -> dict:
    case["patient"].update(patient)
    return case


def _therapies(case: dict, *entries: dict) -> dict:
    case["therapies"] = list(entries)
    return case


def _sites(case: dict, *sites: dict) -> dict:
    case["metastases"] = list(sites)
    return case


def _metastasis_specimen(case: dict, **result) -> dict:
    case["pathology"].append({"specimen": "metastasis", "site": "liver", "date": "2024-05-20", **result})
    return case


def _decision(case: dict, agents: list[str]) -> dict:
    case["mdt"] = {"meeting_date": "2024-07-01", "decision": {"systemic": agents, "follows_guideline": True}}
    return case


def _relapsed() -> dict:
    return recurrent(hr_pos_her2_neg(), "2018-01-01", "2024-05-01")


def _kps_at(offset: int) -> dict:
    return _with(hr_pos_her2_neg(), kps=int(THRESHOLDS["very_poor_performance_kps"].value) + offset)


CRISIS_BRAIN = {"organ": "brain", "lesion_count": 2, "symptomatic": True}
QUIET_BRAIN = {"organ": "brain", "lesion_count": 2, "symptomatic": False}
LINE1_AI = therapy("advanced", ["letrozole"], "2024-05-05", "2024-06-01", line=1, progression="2024-06-01")
LINE2_FULV = therapy("advanced", ["fulvestrant"], "2024-06-02", "2024-06-20", line=2, progression="2024-06-20")

Build = Callable[[], dict]
# code → (fires, does not fire, fragment of the English text when it fires)
WARNINGS: dict[str, tuple[Build, Build, str]] = {
    "anthracycline_with_trastuzumab": (
        lambda: _therapies(_relapsed(), therapy("adjuvant", ["epirubicin", "trastuzumab"], "2018-02-01", "2018-06-01")),
        lambda: _therapies(_relapsed(), therapy("adjuvant", ["epirubicin", "cyclophosphamide"], "2018-02-01", "2018-06-01"),
                           therapy("adjuvant", ["trastuzumab"], "2018-06-02", "2019-06-01")),
        "Given together: therapy 1 (adjuvant: Epirubicin+Trastuzumab, from 2018-02-01)"),
    "concurrent_chemo_endocrine": (
        lambda: _therapies(_relapsed(), therapy("adjuvant", ["paclitaxel"], "2018-02-01", "2018-06-01"),
                           therapy("adjuvant", ["letrozole"], "2018-06-01", "2023-06-01")),
        lambda: _therapies(_relapsed(), therapy("adjuvant", ["paclitaxel"], "2018-02-01", "2018-06-01"),
                           therapy("adjuvant", ["letrozole"], "2018-06-02", "2023-06-01")),
        "Given concurrently: therapy 1 (adjuvant: Paclitaxel, from 2018-02-01) with therapy 2"),
    "chemo_induced_amenorrhea_unconfirmed": (
        lambda: _with(hr_pos_her2_neg(), menopausal_status="post", chemo_induced_amenorrhea=True, menopause_confirmed=False),
        lambda: _with(hr_pos_her2_neg(), menopausal_status="post", chemo_induced_amenorrhea=True, menopause_confirmed=True),
        "menopausal status must be confirmed before an aromatase inhibitor"),
    "pregnancy_chemotherapy_only": (
        lambda: _with(_premenopausal(hr_pos_her2_neg()), pregnant=True, pregnancy_trimester=2),
        lambda: _with(_premenopausal(hr_pos_her2_neg()), pregnant=False),
        "only chemotherapy can be given safely"),
    "receptor_discordance": (
        lambda: _metastasis_specimen(hr_pos_her2_neg(), er_percent=0, pr_percent=0, her2_ihc="1+"),
        lambda: _metastasis_specimen(hr_pos_her2_neg(), er_percent=70, pr_percent=0, her2_ihc="1+"),
        "specimen 1 (primary, 2024-05-02) vs specimen 2 (metastasis, liver, 2024-05-20): HR positive→negative"),
    "receptor_loss_after_targeted_therapy": (
        lambda: _therapies(_metastasis_specimen(_relapsed(), er_percent=0, pr_percent=0, her2_ihc="1+"),
                           therapy("adjuvant", ["tamoxifen"], "2018-02-01", "2023-02-01")),
        lambda: _therapies(_metastasis_specimen(_relapsed(), er_percent=0, pr_percent=0, her2_ihc="1+"),
                           therapy("adjuvant", ["paclitaxel"], "2018-02-01", "2018-06-01")),
        "(HR positive→negative)"),
    "decalcified_specimen": (
        lambda: _metastasis_specimen(hr_pos_her2_neg(), er_percent=80, pr_percent=5, her2_ihc="1+", decalcified=True),
        lambda: _metastasis_specimen(hr_pos_her2_neg(), er_percent=80, pr_percent=5, her2_ihc="1+", decalcified=False),
        "specimen 2 (metastasis, liver, 2024-05-20, decalcified)"),
    "decalcified_result_set_aside": (
        lambda: _metastasis_specimen(hr_pos_her2_neg(), er_percent=0, pr_percent=0, her2_ihc="1+", decalcified=True),
        lambda: _metastasis_specimen(hr_pos_her2_neg(), er_percent=0, pr_percent=0, her2_ihc="1+", decalcified=False),
        "if the decalcified result is true, the subtype is triple-negative"),
    "her2_ihc_ish_discordant": (
        lambda: _metastasis_specimen(hr_pos_her2_neg(), er_percent=80, pr_percent=5, her2_ihc="1+", her2_ish="amplified"),
        lambda: _metastasis_specimen(hr_pos_her2_neg(), er_percent=80, pr_percent=5, her2_ihc="2+", her2_ish="amplified"),
        "IHC 1+, ISH amplified, read as HER-2-positive"),
    "er_negative_pr_positive": (
        lambda: with_receptors(base_case(), 0, 40, "low"),
        lambda: with_receptors(base_case(), 0, 0, "low"),
        "ER 0 %, PR 40 %"),
    "visceral_crisis": (
        lambda: _sites(with_receptors(base_case(), 0, 0, "zero"), CRISIS_BRAIN),
        lambda: _sites(with_receptors(base_case(), 0, 0, "zero"), QUIET_BRAIN),
        "symptomatic brain parenchymal metastases (metastatic site 1 (brain))"),
    "visceral_crisis_cdk4_6_right_choice": (
        lambda: _sites(hr_pos_her2_neg(), CRISIS_BRAIN),
        lambda: _sites(with_receptors(base_case(), 80, 20, "positive"), CRISIS_BRAIN),
        "only with strong ER expression"),
    "two_endocrine_lines": (
        lambda: _therapies(hr_pos_her2_neg(), LINE1_AI, LINE2_FULV),
        lambda: _therapies(hr_pos_her2_neg(), LINE1_AI),
        "two consecutive endocrine lines"),
    "ongoing_advanced_line": (
        lambda: _therapies(hr_pos_her2_neg(), therapy("advanced", ["letrozole", "palbociclib"], "2024-05-05", line=1,
                                                      stop_reason="ongoing")),
        lambda: _therapies(hr_pos_her2_neg(), LINE1_AI),
        "Advanced line 1 is still ongoing"),
    "unapproved_drugs_informed_consent": (
        lambda: _therapies(all_biomarkers_positive(hr_pos_her2_neg()), LINE1_AI),
        lambda: hr_pos_her2_neg(),
        "full informed consent"),
    "hr_negative_indolent_endocrine_trial": (
        lambda: _sites(with_receptors(base_case(), 0, 0, "zero"), {"organ": "bone", "lesion_count": 3}),
        lambda: _sites(with_receptors(base_case(), 0, 0, "zero"), {"organ": "bone", "lesion_count": 3},
                       {"organ": "liver", "lesion_count": 1}),
        "may be given a trial of endocrine therapy"),
    "decision_outside_options": (
        lambda: _decision(hr_pos_her2_neg(), ["olaparib"]),
        lambda: _decision(hr_pos_her2_neg(), ["letrozole", "palbociclib"]),
        "agents outside the options the guideline lists for this case (Olaparib)"),
    "her2_brain_metastasis_cns_active": (
        lambda: _sites(with_receptors(base_case(), 80, 20, "positive"), QUIET_BRAIN),
        lambda: _sites(hr_pos_her2_neg(), QUIET_BRAIN),
        "TKI-based regimens and T-DXd"),
    "male_aromatase_inhibitor": (
        lambda: _with(hr_pos_her2_neg(), sex="male", menopausal_status=None),
        lambda: hr_pos_her2_neg(),
        "an AI alone lowers oestrogen by only 50-70 %"),
    "performance_status_very_poor": (
        lambda: _kps_at(0), lambda: _kps_at(10), "Very poor performance status (KPS"),
}


def _codes(case: dict) -> dict[str, str]:
    return {w.key: w.text_en for w in evaluate(build(case)).warnings}


@pytest.mark.parametrize("code", sorted(WARNINGS))
def test_warning_fires_and_its_neighbour_does_not(code) -> None:
    fires, quiet, fragment = WARNINGS[code]
    shown = _codes(fires())
    assert code in shown, sorted(shown)
    assert fragment in shown[code]
    assert code not in _codes(quiet())


def test_every_warning_code_is_tested() -> None:
    assert {row["code"] for row in open_guideline().rows("warning_catalog")} == set(WARNINGS)


def test_the_informed_consent_warning_names_each_unapproved_option() -> None:
    evaluation = evaluate(build(WARNINGS["unapproved_drugs_informed_consent"][0]()))
    text = next(w.text_en for w in evaluation.warnings if w.key == "unapproved_drugs_informed_consent")
    unapproved = [o for o in evaluation.systemic if o.unapproved]
    assert unapproved and all(o.label_en in text for o in unapproved)


def test_an_availability_dependent_drug_is_not_called_unapproved() -> None:
    case = with_receptors(base_case(), 0, 0, "zero")
    case["biomarkers"] = {"pdl1_cps": 20, "gbrca": "negative"}
    evaluation = evaluate(build(case))
    dependent = [o for o in evaluation.systemic if o.approval_status == "availability_dependent"]
    assert dependent, "the PD-L1-positive ICI + chemotherapy row carries an availability note"
    consent = [w.text_en for w in evaluation.warnings if w.key == "unapproved_drugs_informed_consent"]
    assert not any(o.label_en in text for o in dependent for text in consent)
