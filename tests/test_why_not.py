""""Why isn't X offered?": every row naming the drug or its class, with offered / withheld / the first
condition this patient fails, in the reader's language, through the engine and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

from builders import base_case, build, therapy, with_receptors

from guideline_db.case_model import Case
from guideline_db.engine import evaluate, resolve_token, why_not

CLI = [sys.executable, "-m", "guideline_db.cli"]


def her2_after_tdxd() -> dict:
    case = with_receptors(base_case("why-not-her2"), 0, 0, "positive")
    case["therapies"] = [
        therapy("advanced", ["trastuzumab", "pertuzumab", "docetaxel"], "2022-01-10", "2023-03-01", line=1,
                progression="2023-03-01"),
        therapy("advanced", ["t_dxd"], "2023-03-10", "2024-06-01", line=2, progression="2024-06-01")]
    return case


def rows_by_id(case: Case, token: str) -> dict:
    return {r.row_id: r for r in why_not(case, token, evaluation=evaluate(case))}


def test_every_row_naming_the_drug_is_answered_offered_withheld_or_the_failed_condition() -> None:
    rows = rows_by_id(build(her2_after_tdxd()), "t_dxd")
    assert rows["T10-L3-P1"].status == "withheld" and "2024-06-01" in rows["T10-L3-P1"].answer_en
    assert rows["T10-L2-P1"].status == "not_applicable"
    assert rows["T10-L2-P1"].answer_en == "anti-HER-2 treatment line must be second line (this patient: later lines)"
    assert rows["T10-L2-P1"].answer_zh == "抗HER-2治疗线别须为二线（本例：后线）"
    assert rows["T8-L2P-P2"].answer_en.startswith("subtype must be HR-positive HER-2-negative")


def test_a_class_token_finds_the_rows_of_its_agents_and_an_agent_the_rows_of_its_class() -> None:
    case = build(her2_after_tdxd())
    by_class = rows_by_id(case, "her2_tki")
    assert {"T10-L2-P2", "T10-L3-R1", "T10-L3-R4"} <= set(by_class)
    assert by_class["T10-L3-R4"].status == "offered" and "推荐" in by_class["T10-L3-R4"].answer_zh
    by_agent = rows_by_id(case, "palbociclib")
    assert "T8-L1-NAIVE-P1" in by_agent                         # AI + CDK4/6 inhibitor names the class


def test_names_in_either_language_resolve_to_the_token() -> None:
    assert resolve_token("吡咯替尼") == "pyrotinib"
    assert resolve_token("Pyrotinib") == "pyrotinib"
    assert resolve_token("cdk4_6_inhibitor") == "cdk4_6_inhibitor"
    assert resolve_token("德曲妥珠单抗") == "t_dxd"
    assert resolve_token("aspirin") is None


def test_cli_why_not_in_text_and_json(tmp_path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(her2_after_tdxd()), encoding="utf-8")
    text = subprocess.run([*CLI, "evaluate", str(path), "--why-not", "t_dxd", "--format", "text", "--lang", "en"],
                          capture_output=True, text=True, check=True).stdout
    assert "Why isn't T-DXd" in text and "withheld:" in text and "t_dxd" not in text
    zh = subprocess.run([*CLI, "evaluate", str(path), "--why-not", "德曲妥珠单抗", "--format", "text"],
                        capture_output=True, text=True)
    assert zh.returncode == 0 and "为什么未推荐" in zh.stdout and "暂缓" in zh.stdout
    data = json.loads(subprocess.run([*CLI, "evaluate", str(path), "--why-not", "t_dxd"], capture_output=True,
                                     text=True, check=True).stdout)
    assert data["token"] == "t_dxd" and any(r["status"] == "withheld" for r in data["rows"])
    bad = subprocess.run([*CLI, "evaluate", str(path), "--why-not", "aspirin"], capture_output=True, text=True)
    assert bad.returncode == 2 and "aspirin" in bad.stderr and "Traceback" not in bad.stderr
