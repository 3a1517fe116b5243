"""`abc-mdt cases ...`: list, import, export, backup, restore, verify-audit; errors are one line."""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from store_helpers import case_dict

from guideline_db.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ABC_MDT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def write_case(path: Path, **kwargs) -> Path:
    path.write_text(json.dumps(case_dict(**kwargs), ensure_ascii=False), encoding="utf-8")
    return path


def test_import_then_list(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [write_case(tmp_path / "a.json", case_id="cli-1", name="Wang Fang", hospital_id="H77"),
             write_case(tmp_path / "b.json", case_id="cli-2", name="Li Na", subtype="triple_negative")]
    assert main(["cases", "import", *map(str, files), "--author", "Dr CLI"]) == 0
    out = capsys.readouterr().out
    assert "case cli-1 version 1 (draft)" in out and "case cli-2 version 1" in out
    assert main(["cases", "list", "--search", "wang"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[1].startswith("cli-1") and "H77" in lines[1] and "Wang Fang" in lines[1]
    assert main(["cases", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(c["case_id"], c["subtype"]) for c in listed] == [("cli-2", "triple_negative"), ("cli-1", "hr_pos_her2_neg")]


def test_import_reports_every_problem_and_exits_2(data_dir: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    good = write_case(tmp_path / "good.json", case_id="cli-3")
    bad = tmp_path / "bad.json"
    data = case_dict("cli-4")
    data["patient"]["age"] = 7
    data["presentation"] = "stage_iv"
    bad.write_text(json.dumps(data), encoding="utf-8")
    assert main(["cases", "import", str(bad), str(good)]) == 2
    captured = capsys.readouterr()
    assert f"{bad}: patient.age:" in captured.err and f"{bad}: presentation:" in captured.err
    assert "case cli-3 version 1" in captured.out  # the good file is still imported
    assert "Traceback" not in captured.err


def test_export_plain_and_pseudonymised(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["cases", "import", str(write_case(tmp_path / "a.json", case_id="cli-5", name="Wang Fang",
                                            hospital_id="H0012345"))])
    out = tmp_path / "export.json"
    assert main(["cases", "export", "cli-5", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["patient"]["name"] == "Wang Fang"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert main(["cases", "export", "cli-5", "--out", str(out), "--pseudonymise"]) == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["case_id"].startswith("PSEUDO-")
    assert "what_was_done" in json.loads((tmp_path / "export.json.manifest.json").read_text(encoding="utf-8"))
    assert stat.S_IMODE((tmp_path / "export.json.manifest.json").stat().st_mode) == 0o600
    assert exported["patient"]["name"].startswith("PSEUDO-")
    assert exported["patient"]["hospital_id"].startswith("PSEUDO-")
    capsys.readouterr()
    assert main(["cases", "export", "cli-5", "--out", "-", "--pseudonymise", "--pseudonymise-case-id"]) == 0
    assert json.loads(capsys.readouterr().out)["case_id"].startswith("PSEUDO-")


def test_unknown_case_is_one_line_on_stderr(data_dir: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cases", "export", "nope", "--out", str(tmp_path / "x.json")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("abc-mdt cases: no case 'nope'") and "hint:" in err
    assert not (tmp_path / "x.json").exists()
    assert main(["cases", "export", "nope", "--out", str(tmp_path / "no-dir" / "x.json")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_backup_restore_and_verify(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["cases", "import", str(write_case(tmp_path / "a.json", case_id="cli-6"))])
    backup = tmp_path / "backup.db"
    assert main(["cases", "backup", str(backup)]) == 0
    assert "backed up 1 cases (1 versions, audit head entry 2" in capsys.readouterr().out
    main(["cases", "import", str(write_case(tmp_path / "b.json", case_id="cli-7"))])
    assert main(["cases", "restore", str(backup)]) == 0
    assert "restored 1 cases" in capsys.readouterr().out
    assert main(["cases", "list", "--format", "json"]) == 0
    assert [c["case_id"] for c in json.loads(capsys.readouterr().out)] == ["cli-6"]
    assert main(["cases", "verify-audit"]) == 0
    assert capsys.readouterr().out.startswith("audit chains intact")


def test_verify_audit_reports_the_first_broken_link(data_dir: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    main(["cases", "import", str(write_case(tmp_path / "a.json", case_id="cli-8"))])
    conn = sqlite3.connect(data_dir / "cases.sqlite", isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = 'someone else'")
    conn.close()
    capsys.readouterr()
    assert main(["cases", "verify-audit"]) == 1
    out = capsys.readouterr().out
    assert "audit chain broken at audit_log row 1" in out and "expected" in out and "found" in out


def test_restore_of_a_bad_backup_fails_cleanly(data_dir: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"nothing useful" * 100)
    assert main(["cases", "restore", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("abc-mdt cases: ") and err.count("\n") == 1 and "not been changed" in err


def test_damaged_store_gives_one_line_and_no_traceback(tmp_path: Path) -> None:
    store = tmp_path / "cases.sqlite"
    store.write_bytes(b"garbage" * 1000)
    result = subprocess.run([sys.executable, "-m", "guideline_db.cli", "cases", "list", "--store", str(store)],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert "not an SQLite database" in result.stderr and "restore" in result.stderr


def test_store_package_never_imports_qt() -> None:
    code = ("import sys, guideline_db.store, guideline_db.store.cli, guideline_db.store.bench\n"
            "from guideline_db.cli import build_parser\nbuild_parser()\n"
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
