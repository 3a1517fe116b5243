"""The abc-mdt command line: evaluate, db info, schema; the core never loads Qt."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from conftest import PROJECT_CASES, ROOT

CASE = PROJECT_CASES / "p01-male-hr-positive.json"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "guideline_db.cli", *args], capture_output=True, text=True, timeout=60)


def test_evaluate_json_is_the_evaluation_contract() -> None:
    result = run("evaluate", str(CASE), "--format", "json", "--lang", "en")
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert set(output) >= {"case_id", "guideline", "derived", "systemic", "local", "supportive", "warnings",
                           "missing_data", "assessment_plan"}
    assert output["derived"]["treatment_menopausal_status"] == "male"
    assert output["derived"]["explanations"]["treatment_menopausal_status"].startswith("Male")


def test_evaluate_text_is_readable_in_both_languages() -> None:
    zh = run("evaluate", str(CASE), "--format", "text", "--lang", "zh").stdout
    en = run("evaluate", str(CASE), "--format", "text", "--lang", "en").stdout
    assert "优先推荐" in zh and "全身治疗方案" in zh and "他莫昔芬" in zh
    assert "Systemic options" in en and "Tamoxifen" in en and "LHRH agonist or orchiectomy" in en


def test_missing_file_is_a_located_error() -> None:
    result = run("evaluate", "/nonexistent/case.json")
    assert result.returncode == 2 and result.stderr.startswith("(file): cannot read") and "Traceback" not in result.stderr


def test_db_info_prints_edition_build_counts_and_hash() -> None:
    result = run("db", "info")
    assert result.returncode == 0
    assert "2024" in result.stdout and re.search(r"sha256:\s+[0-9a-f]{64} \(verified\b", result.stdout)
    assert re.search(r"regimen_options\s+\d+", result.stdout) and "built:" in result.stdout


def test_schema_command_prints_the_committed_schema() -> None:
    result = run("schema")
    committed = ROOT / "guideline_db" / "schema" / "case-format-v1.schema.json"
    assert json.loads(result.stdout) == json.loads(committed.read_text(encoding="utf-8"))


def test_core_packages_never_import_qt() -> None:
    for package in ("guideline_db", "reports"):
        for path in (ROOT / package).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            assert not re.search(r"^\s*(from|import)\s+PySide6", source, re.M), path
    probe = (f"import sys, guideline_db.cli as c; c.main(['evaluate', {str(CASE)!r}]); "
             "sys.stderr.write(str(any(m.startswith('PySide6') for m in sys.modules)))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stderr.strip().endswith("False")


def test_evaluate_output_is_deterministic(tmp_path: Path) -> None:
    assert run("evaluate", str(CASE)).stdout == run("evaluate", str(CASE)).stdout
