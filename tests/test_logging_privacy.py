"""The log file (guideline_db/app_logging.py): where it is, that it rotates, that uncaught errors reach it,
and that patient names and passphrases never do - checked on the real commands with the log at DEBUG."""

from __future__ import annotations

import json
import logging
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli_conventions import isolated_env

from guideline_db import app_logging

ROOT = Path(__file__).resolve().parent.parent
PATIENT = "测试患者王小明"
HOSPITAL_ID = "MRN-93417-XQ"
PASSPHRASE = "Tr0ub4dor&3-very-secret"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return isolated_env(tmp_path)


def cli(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "guideline_db.cli", *args], env={**env, "ABC_MDT_LOG_LEVEL": "DEBUG"},
                          input=stdin, capture_output=True, text=True, timeout=180, cwd=env["HOME"])


def named_case(tmp_path: Path) -> Path:
    """A case with an MDT decision (an approval can only be signed on one), named after our test patient."""
    from test_report_support import decided_case

    from guideline_db.case_io import case_to_json

    data = json.loads(case_to_json(decided_case()))
    data.setdefault("patient", {})["name"] = PATIENT
    data["patient"]["hospital_id"] = HOSPITAL_ID
    path = tmp_path / "named.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_commands_never_log_names_or_passphrases(tmp_path: Path, env: dict[str, str]) -> None:
    case = named_case(tmp_path)
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    steps = [
        ("evaluate", str(case)),
        ("evaluate", "-"),
        ("identity", "create", "--name", "Dr Log Test", "--role", "MDT chair", "--out", str(tmp_path / "id.p12"),
         "--passphrase-file", str(secret)),
        ("report", str(case), "--out", str(tmp_path / "r.pdf"), "--sign", str(tmp_path / "id.p12"),
         "--passphrase-file", str(secret), "--meaning", "chair"),
        ("verify", str(tmp_path / "r.pdf")),
        ("cases", "import", str(case)),
        ("cases", "list"),
    ]
    for step in steps:
        result = cli(env, *step, stdin=case.read_text(encoding="utf-8") if "-" in step else None)
        assert result.returncode in (0, 3), (step, result.stderr)
    # A case that fails validation at the name field, and a passphrase offered where it is not accepted.
    broken = json.loads(case.read_text(encoding="utf-8"))
    broken["patient"]["name"] = PATIENT + "\u0000"
    (tmp_path / "broken.json").write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    assert cli(env, "evaluate", str(tmp_path / "broken.json")).returncode == 2
    log = (tmp_path / "log" / app_logging.LOG_FILE).read_text(encoding="utf-8")
    assert log.count("started") >= len(steps) and "command: report" in log and "command: cases import" in log
    for secret_text in (PATIENT, HOSPITAL_ID, PASSPHRASE, "王小明"):
        assert secret_text not in log, f"{secret_text!r} reached the log"
    assert stat.S_IMODE((tmp_path / "log" / app_logging.LOG_FILE).stat().st_mode) == 0o600


def test_internal_error_is_logged_with_its_traceback_and_one_line_on_stderr(tmp_path: Path, env: dict[str, str]) -> None:
    case = named_case(tmp_path)
    code = ("import sys, guideline_db.cli as c, guideline_db.engine as e\n"
            "def boom(case):\n    raise RuntimeError('cannot evaluate ' + case.patient.name + ' ' + case.patient.hospital_id)\n"
            f"e.evaluate = boom\nsys.exit(c.main(['evaluate', {str(case)!r}]))\n")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "internal error (RuntimeError)" in result.stderr
    assert "Traceback" not in result.stderr and PATIENT not in result.stderr
    log = (tmp_path / "log" / app_logging.LOG_FILE).read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in log and "in boom" in log
    assert "RuntimeError: cannot evaluate [redacted] [redacted]" in log
    assert PATIENT not in log and HOSPITAL_ID not in log


def test_redaction_of_fields_and_registered_secrets() -> None:
    app_logging.register_secret("李四")
    assert app_logging.redact('{"name": "张三", "age": 50}') == '{"name": [redacted], "age": 50}'
    assert app_logging.redact("passphrase=hunter2 ok") == "passphrase=[redacted] ok"
    assert app_logging.redact("saved case for 李四") == "saved case for [redacted]"
    assert app_logging.redact("nothing to hide") == "nothing to hide"


def test_log_rotates_and_hook_logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_logging, "_handler", None)
    monkeypatch.setenv("ABC_MDT_LOG_DIR", str(tmp_path / "log"))
    root = logging.getLogger()
    before = list(root.handlers)
    path = app_logging.setup_logging("test", level="INFO")
    try:
        assert path == tmp_path / "log" / "abc-mdt.log"
        handler = app_logging._handler
        assert handler.maxBytes == app_logging.MAX_BYTES and handler.backupCount == app_logging.BACKUPS
        handler.maxBytes = 2000
        for i in range(200):
            logging.getLogger("abc_mdt.test").info("line %d %s", i, "x" * 40)
        rotated = sorted(p.name for p in path.parent.iterdir())
        assert rotated[:2] == ["abc-mdt.log", "abc-mdt.log.1"] and len(rotated) == 1 + app_logging.BACKUPS
        shown: list[str] = []
        monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
        app_logging.install_excepthook(show=shown.append)
        try:
            raise ValueError("name=王五 failed")
        except ValueError:
            sys.excepthook(*sys.exc_info())
        handler.flush()
        assert shown and str(path) in shown[0] and "王五" not in shown[0]
        text = path.read_text(encoding="utf-8")
        assert "uncaught exception" in text and "ValueError" in text and "王五" not in text
    finally:
        for extra in set(root.handlers) - set(before):
            root.removeHandler(extra)
            extra.close()
        import threading
        threading.excepthook = threading.__excepthook__
