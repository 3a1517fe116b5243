"""Tier, evidence and severity are ordered enums with one definition; the build refuses any other value."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from guideline_db.build import SOURCES_DIR, SourceError, build
from guideline_db.database import open_guideline
from guideline_db.engine.model import EvidenceLevel, Severity, Tier


def test_ranks_follow_the_guideline_order() -> None:
    assert sorted([Tier.OPTIONAL, Tier.PREFERRED, Tier.RECOMMENDED]) == [Tier.PREFERRED, Tier.RECOMMENDED, Tier.OPTIONAL]
    assert [e.rank for e in EvidenceLevel] == [1, 2, 3, 4]
    assert Severity.CRITICAL < Severity.INFO and len({s.marker for s in Severity}) == len(Severity)


def test_the_tiers_table_matches_the_enum() -> None:
    rows = {r["code"]: r["rank"] for r in open_guideline().rows("tiers")}
    assert rows == {t.value: t.rank for t in Tier}
    levels = {r["code"]: r["rank"] for r in open_guideline().rows("evidence_levels")}
    assert levels == {e.value: e.rank for e in EvidenceLevel}


@pytest.mark.parametrize("source,old,new", [
    ("advisories.toml", 'severity = "critical"', 'severity = "danger"'),
    ("regimens_table08.toml", 'tier = "preferred"', 'tier = "prefered"'),
    ("regimens_table10.toml", 'evidence = "IA"', 'evidence = "1A"'),
])
def test_the_build_refuses_a_value_outside_the_enums(tmp_path: Path, source: str, old: str, new: str) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, sources)
    path = sources / source
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SourceError) as error:
        build(tmp_path / "db.sqlite", sources, build_date="2024-01-01T00:00:00Z")
    assert new.split('"')[1] in str(error.value)
