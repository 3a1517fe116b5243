"""`abc-mdt fhir export|import|check` from the command line (in-process, through guideline_db.cli.main)."""

from __future__ import annotations

import json
import stat

from guideline_db.case_io import load_case
from guideline_db.cli import main
from tests.conftest import project_case_paths


def test_export_then_import_gives_the_case_back(tmp_path, capsys):
    case_path = project_case_paths()[0]
    bundle_path, back_path = tmp_path / "b.json", tmp_path / "c.json"
    assert main(["fhir", "export", str(case_path), "--out", str(bundle_path)]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().out
    assert stat.S_IMODE(bundle_path.stat().st_mode) == 0o600
    assert json.loads(bundle_path.read_text(encoding="utf-8"))["type"] == "collection"
    assert main(["fhir", "import", str(bundle_path), "--out", str(back_path)]) == 0
    assert load_case(back_path) == load_case(case_path)
    assert main(["fhir", "check", str(bundle_path)]) == 0


def test_an_invalid_case_file_exits_2_with_located_messages(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "case_id": "x", "patient": {"sex": "female"}}', encoding="utf-8")
    assert main(["fhir", "export", str(bad), "--out", str(tmp_path / "o.json")]) == 2
    assert "presentation: required field is missing" in capsys.readouterr().err
    assert not (tmp_path / "o.json").exists()


def test_import_of_a_bundle_without_a_patient_exits_2(tmp_path, capsys):
    path = tmp_path / "empty.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": []}), encoding="utf-8")
    assert main(["fhir", "import", str(path), "--out", str(tmp_path / "c.json")]) == 2
    err = capsys.readouterr().err
    assert "no Patient in the bundle" in err and "no case written" in err


def test_pseudonymise_needs_a_key(tmp_path, capsys):
    case_path = project_case_paths()[0]
    assert main(["fhir", "export", str(case_path), "--out", str(tmp_path / "b.json"), "--pseudonymise"]) == 1
    assert "--pseudonym-key-file" in capsys.readouterr().err


def test_check_exits_1_on_a_structural_error(tmp_path, capsys):
    case_path = project_case_paths()[0]
    bundle_path = tmp_path / "b.json"
    main(["fhir", "export", str(case_path), "--out", str(bundle_path), "--no-evaluation"])
    bundle = json.loads(bundle_path.read_text(encoding="utf-8"))
    del bundle["entry"][0]["resource"]["gender"]
    bundle_path.write_text(json.dumps(bundle), encoding="utf-8")
    capsys.readouterr()
    assert main(["fhir", "check", str(bundle_path)]) == 1
    assert ".gender: error" in capsys.readouterr().out
