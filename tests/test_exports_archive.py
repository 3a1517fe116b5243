"""Bulk export and import of many cases as one zip archive, with a result for every case."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from store_helpers import case_dict

from guideline_db.case_io import parse_case
from guideline_db.cli import main
from guideline_db.interop.archive import export_archive, import_archive
from guideline_db.store import CaseStore


def _filled(path: Path, count: int = 3) -> CaseStore:
    store = CaseStore.open(path)
    for i in range(count):
        store.save_version(parse_case(case_dict(f"arc-{i}", name=f"Patient {i}", hospital_id=f"H{i}")), "Dr A")
    return store


@pytest.mark.parametrize("fmt", ["json", "fhir"])
def test_export_then_import_into_a_fresh_store_gives_the_same_cases(tmp_path, fmt):
    archive = tmp_path / "cases.zip"
    with _filled(tmp_path / "a.sqlite") as source:
        results = export_archive(source, None, archive, fmt=fmt)
        originals = {cid: source.load(cid)[0] for cid in ("arc-0", "arc-1", "arc-2")}
    assert [r.ok for r in results] == [True, True, True]
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["content"] == fmt and len(manifest["cases"]) == 3
    with CaseStore.open(tmp_path / "b.sqlite") as target:
        imported = import_archive(target, archive, "Dr B")
        assert all(r.ok for r in imported) and len(imported) == 3
        for case_id, case in originals.items():
            assert target.load(case_id)[0] == case
        assert {e.action for e in target.audit_entries()} == {"imported"}


def test_one_bad_member_does_not_stop_the_others(tmp_path):
    archive = tmp_path / "cases.zip"
    with _filled(tmp_path / "a.sqlite", 2) as source:
        export_archive(source, None, archive)
    with zipfile.ZipFile(archive, "a") as zf:
        broken = case_dict("arc-bad")
        broken["presentation"] = "stage_v"
        zf.writestr("cases/arc-bad.json", json.dumps(broken))
        zf.writestr("notes.txt", "hello")
    with CaseStore.open(tmp_path / "b.sqlite") as target:
        results = {r.name: r for r in import_archive(target, archive, "Dr B")}
    assert results["cases/arc-0.json"].ok and results["cases/arc-1.json"].ok
    assert not results["cases/arc-bad.json"].ok
    assert any("presentation" in m for m in results["cases/arc-bad.json"].messages)
    assert not results["notes.txt"].ok


def test_a_member_changed_after_export_is_refused(tmp_path):
    archive, changed = tmp_path / "cases.zip", tmp_path / "changed.zip"
    with _filled(tmp_path / "a.sqlite", 2) as source:
        export_archive(source, None, archive)
    with zipfile.ZipFile(archive) as zin, zipfile.ZipFile(changed, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "cases/arc-1.json":
                data = data.replace(b"Patient 1", b"Patient X")
            zout.writestr(info.filename, data)
    with CaseStore.open(tmp_path / "b.sqlite") as target:
        results = {r.name: r for r in import_archive(target, changed, "Dr B")}
    assert results["cases/arc-0.json"].ok
    assert not results["cases/arc-1.json"].ok and "SHA-256" in results["cases/arc-1.json"].messages[0]


def test_pseudonymised_archive_and_cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ABC_MDT_DATA_DIR", str(tmp_path / "data"))
    _filled(CaseStore.open().path, 2).close()
    archive = tmp_path / "p.zip"
    assert main(["cases", "export-archive", "--out", str(archive), "--pseudonymise", "--format", "fhir"]) == 0
    assert "2 of 2 cases written" in capsys.readouterr().out
    with zipfile.ZipFile(archive) as zf:
        texts = {n: zf.read(n).decode("utf-8") for n in zf.namelist()}
    assert not any(word in text for text in texts.values() for word in ("Patient 0", "Patient 1", "arc-0", "arc-1"))
    for name, text in texts.items():
        if name.endswith(".fhir.json"):
            patient = json.loads(text)["entry"][0]["resource"]
            assert {i["value"] for i in patient["identifier"]} & {"H0", "H1"} == set()
    assert main(["cases", "import-archive", str(tmp_path / "missing.zip")]) == 2
    assert "not a readable zip archive" in capsys.readouterr().out


def test_cases_export_format_fhir(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ABC_MDT_DATA_DIR", str(tmp_path / "data"))
    _filled(CaseStore.open().path, 1).close()
    out = tmp_path / "b.json"
    assert main(["cases", "export", "arc-0", "--format", "fhir", "--out", str(out)]) == 0
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle" and bundle["identifier"]["value"] == "arc-0"
    with CaseStore.open() as store:
        assert [e.action for e in store.audit_entries("arc-0")][-1] == "exported"
