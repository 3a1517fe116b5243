"""Vignettes: the project's own (tests/cases) always, the public ones (../shared/cases) when present.

The comparison follows the public concordance checker: derived values, options present in a tier,
options that must not be offered, and local-treatment actions.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT_CASES, SHARED_CASES, load_json, project_case_paths, shared_case_names

from guideline_db.case_io import load_case
from guideline_db.engine import evaluate


def discrepancies(output: dict, expected: dict) -> list[str]:
    found = []
    for key, value in (expected.get("derived") or {}).items():
        if output["derived"].get(key) != value:
            found.append(f"derived.{key}: expected {value!r}, got {output['derived'].get(key)!r}")
    offered = [(o["tier"], frozenset(o["components"])) for o in output["systemic"]]
    for item in expected.get("systemic_includes") or []:
        if (item["tier"], frozenset(item["components"])) not in offered:
            found.append(f"missing {item['tier']} {sorted(item['components'])}")
    for item in expected.get("systemic_excludes") or []:
        if any(c == frozenset(item["components"]) for _, c in offered):
            found.append(f"must not offer {sorted(item['components'])}")
    withheld = [(w["reason_code"], frozenset(w["components"])) for w in output.get("withheld") or []]
    for item in expected.get("withheld_includes") or []:
        if (item["reason_code"], frozenset(item["components"])) not in withheld:
            found.append(f"not withheld ({item['reason_code']}): {sorted(item['components'])}")
    local: dict[str, set[str]] = {}
    for item in output["local"]:
        local.setdefault(item["site"], set()).update(item["actions"])
    for item in expected.get("local_includes") or []:
        if missing := set(item["actions"]) - local.get(item["site"], set()):
            found.append(f"local.{item['site']}: missing {sorted(missing)}")
    for item in expected.get("local_excludes") or []:
        if present := set(item["actions"]) & local.get(item["site"], set()):
            found.append(f"local.{item['site']}: must not recommend {sorted(present)}")
    return found


@pytest.mark.parametrize("path", project_case_paths(), ids=lambda p: p.stem)
def test_project_vignette(path: Path) -> None:
    expected = load_json(PROJECT_CASES / f"{path.stem}.expected.json")
    assert discrepancies(evaluate(load_case(path)).to_dict(), expected) == []


@pytest.mark.parametrize("name", shared_case_names() or ["(none)"])
def test_public_vignette(name: str, shared_cases_dir: Path) -> None:
    expected = load_json(shared_cases_dir / f"{name}.expected.json")
    assert discrepancies(evaluate(load_case(shared_cases_dir / f"{name}.json")).to_dict(), expected) == []


def all_case_paths() -> list[Path]:
    paths = project_case_paths()
    if SHARED_CASES.is_dir():
        paths += sorted(p for p in SHARED_CASES.glob("*.json") if not p.name.endswith(".expected.json"))
    return paths


@pytest.mark.parametrize("path", all_case_paths(), ids=lambda p: p.stem)
def test_every_recommendation_carries_its_basis(path: Path) -> None:
    output = evaluate(load_case(path)).to_dict()
    assert output["guideline"]["db_sha256"] and output["guideline"]["edition"] == "2024"
    for option in output["systemic"] + output["withheld"]:
        assert option["tier"] in ("preferred", "recommended", "optional")
        assert option["evidence"] in (None, "IA", "IB", "IIA", "IIB")
        assert option["source"]["section"] and "table" in option["source"] and option["source"]["row"]
        assert option["label_zh"] and option["label_en"]
        assert option["requirement_status"] in ("met", "unknown")
    tiers = [o["tier"] for o in output["systemic"]]
    assert tiers == sorted(tiers, key=["preferred", "recommended", "optional"].index), "grouped by tier"
    for name in ("subtype", "advanced_line", "endocrine_status", "visceral_crisis"):
        assert output["derived"]["explanations"][name]
    assert output["assessment_plan"]["interval"] and output["assessment_plan"]["modality"]


def test_public_vignettes_pass_the_shared_concordance_checker(shared_cases_dir: Path) -> None:
    checker = shared_cases_dir.parent / "tools" / "check_cases.py"
    cli = Path(sys.executable).parent / "abc-mdt"
    if not checker.exists() or not cli.exists():
        pytest.skip("checker or installed CLI not available")
    result = subprocess.run([sys.executable, str(checker), str(shared_cases_dir), "--cli", str(cli), "--skip-local"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout
