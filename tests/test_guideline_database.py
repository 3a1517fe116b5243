"""The guideline database: reproducible from its sources, read-only, hash-checked, every row cited."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guideline_db import build
from guideline_db.database import PACKAGED_DATABASE, GuidelineIntegrityError, open_guideline, read_tables

GUIDELINE_TEXT = Path(__file__).resolve().parents[2] / "shared" / "guideline" / "abc-guideline-2024-zh.txt"


def test_rebuilding_from_sources_gives_the_shipped_content(tmp_path: Path) -> None:
    rebuilt = tmp_path / "guideline.sqlite"
    build.build(rebuilt)
    shipped, fresh = read_tables(PACKAGED_DATABASE), read_tables(rebuilt)
    drop = lambda tables: {n: r for n, r in tables.items() if n != "meta"}  # noqa: E731
    assert drop(fresh) == drop(shipped), "guideline.sqlite is out of date: run `make db`"
    meta = lambda tables: {r["key"]: r["value"] for r in tables["meta"] if r["key"] != "build_date"}  # noqa: E731
    assert meta(fresh) == meta(shipped)


def test_shipped_hash_matches_sidecar() -> None:
    db = open_guideline()
    assert db.sha256 == (PACKAGED_DATABASE.parent / "guideline.sqlite.sha256").read_text().strip()
    assert db.edition == "2024" and "2024版" in db.title


def test_a_modified_database_is_refused_naming_both_hashes(tmp_path: Path) -> None:
    copy = tmp_path / "guideline.sqlite"
    shutil.copy(PACKAGED_DATABASE, copy)
    shutil.copy(PACKAGED_DATABASE.with_name("guideline.sqlite.sha256"), tmp_path / "guideline.sqlite.sha256")
    data = bytearray(copy.read_bytes())
    data[-100] ^= 0xFF
    copy.write_bytes(bytes(data))
    with pytest.raises(GuidelineIntegrityError) as error:
        open_guideline(copy)
    expected = (tmp_path / "guideline.sqlite.sha256").read_text().strip()
    assert expected in str(error.value) and "found" in str(error.value)
    cli = subprocess.run([sys.executable, "-m", "guideline_db.cli", "db", "info"], capture_output=True, text=True,
                         env={"ABC_MDT_GUIDELINE_DB": str(copy), "PATH": "/usr/bin:/bin"})
    assert cli.returncode == 1 and "modified" in cli.stderr and "Traceback" not in cli.stderr


def test_every_content_row_cites_table_and_section() -> None:
    db = open_guideline()
    for table in build.CITED_TABLES:
        for row in db.rows(table):
            assert "table" in row and row.get("section") is not None, (table, row)


def test_build_rejects_a_row_without_citation(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(build.SOURCES_DIR, sources)
    (sources / "thresholds.toml").write_text('[[threshold]]\nid = "x"\nvalue = 1\nunit = ""\ncomparison = "<"\n'
                                              'text_zh = ""\ntext_en = ""\n', encoding="utf-8")
    with pytest.raises(build.SourceError, match="citation"):
        build.build(tmp_path / "out.sqlite", sources)


def test_tables_one_and_two_are_complete() -> None:
    db = open_guideline()
    assert [r["code"] for r in db.rows("evidence_levels")] == ["IA", "IB", "IIA", "IIB"]
    assert {r["code"]: r["name_zh"] for r in db.rows("tiers")} == {"preferred": "优先推荐", "recommended": "推荐",
                                                                    "optional": "可选"}


def test_regimen_options_are_well_formed() -> None:
    db = open_guideline()
    trials = {r["name"] for r in db.rows("trials")}
    populations = {r["id"] for r in db.rows("regimen_populations")}
    for option in db.rows("regimen_options"):
        assert option["tier"] in ("preferred", "recommended", "optional")
        assert option.get("evidence") in (None, "IA", "IB", "IIA", "IIB")
        assert option["population"] in populations
        assert option["label_zh"] and option["label_en"] and option["components"]
        assert set(option.get("trials") or []) <= trials, option["id"]


def test_table_counts_match_the_guideline() -> None:
    db = open_guideline()
    populations = db.by_key("regimen_populations", "id")
    per_table: dict[str, int] = {}
    for option in db.rows("regimen_options"):
        table = populations[option["population"]]["table"]
        if option["population"].startswith("T"):
            per_table[table] = per_table.get(table, 0) + 1
    assert per_table == {"8": 36, "10": 16, "12": 12}


@pytest.mark.skipif(not GUIDELINE_TEXT.exists(), reason="../shared guideline text not present")
def test_table_labels_and_quotes_are_verbatim_from_the_guideline() -> None:
    text = re.sub(r"\s+", "", GUIDELINE_TEXT.read_text(encoding="utf-8"))
    db = open_guideline()
    for option in db.rows("regimen_options"):
        if option["table"] in ("8", "10", "12"):
            head = option["label_zh"].split("（")[0]
            assert head in text, option["id"]
        for field in ("condition_zh",):
            if option.get(field) and option["table"] == "":
                assert re.sub(r"\s+", "", option[field]).split("（")[0][:20] in text, option["id"]
    for row in db.rows("principles"):
        assert re.sub(r"\s+", "", row["text_zh"])[:15] in text, row["id"]
    for row in db.rows("thresholds"):
        if row.get("source"):
            continue  # not from the guideline text: the row names its own source
        assert re.sub(r"\s+", "", row["text_zh"])[:8] in text, row["id"]


@pytest.mark.skipif(not GUIDELINE_TEXT.exists(), reason="../shared guideline text not present")
def test_trial_figures_appear_in_the_guideline_text() -> None:
    text = re.sub(r"\s+", "", GUIDELINE_TEXT.read_text(encoding="utf-8"))
    db = open_guideline()
    for trial in db.rows("trials"):
        assert trial["name"].replace(" ", "")[:8] in text or trial["name"] == "Study 136", trial["name"]
    for result in db.rows("trial_results"):
        for key in ("experimental", "control", "hr"):
            value = result.get(key)
            if value is not None:
                assert f"{value:g}" in text, (result["parent"], key, value)
