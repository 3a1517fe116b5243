"""Shared fixtures. GUI tests run offscreen; shared vignettes are optional (skipped without ../shared)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
PROJECT_CASES = Path(__file__).resolve().parent / "cases"
SHARED_CASES = ROOT.parent / "shared" / "cases"


def shared_case_names() -> list[str]:
    if not SHARED_CASES.is_dir():
        return []
    return sorted(p.name[: -len(".expected.json")] for p in SHARED_CASES.glob("*.expected.json"))


def project_case_paths() -> list[Path]:
    return sorted(p for p in PROJECT_CASES.glob("*.json") if not p.name.endswith(".expected.json"))


@pytest.fixture
def shared_cases_dir() -> Path:
    if not SHARED_CASES.is_dir():
        pytest.skip("../shared/cases is not present beside this checkout")
    return SHARED_CASES


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
