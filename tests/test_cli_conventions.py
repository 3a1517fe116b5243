"""Command-line conventions users and scripts rely on: exit codes, --help with defaults, `-` for stdin, no
traceback on Ctrl+C or a closed stdin, a versioned JSON output, `db build --out`, and a missing optional
dependency reported instead of a vanished command."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from guideline_db import cli

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "tests" / "cases" / "p01-male-hr-positive.json"


def isolated_env(tmp_path: Path) -> dict[str, str]:
    """The environment for a CLI subprocess with its own HOME, log, config and data folders."""
    home = tmp_path / "home"
    home.mkdir()
    return {**os.environ, "HOME": str(home), "ABC_MDT_LOG_DIR": str(tmp_path / "log"),
            "ABC_MDT_CONFIG_DIR": str(tmp_path / "cfg"), "ABC_MDT_DATA_DIR": str(tmp_path / "data"),
            "PYTHONPATH": str(ROOT)}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return isolated_env(tmp_path)


def run(env: dict[str, str], *args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    kwargs.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.run([sys.executable, "-m", "guideline_db.cli", *args], env=env, capture_output=True,
                          text=True, timeout=120, **kwargs)


def _parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _parsers(child, (*path, name))


def test_every_option_has_help_and_shows_its_default() -> None:
    parser = cli.build_parser()
    seen = 0
    for path, sub in _parsers(parser):
        text = sub.format_help()
        for action in sub._actions:
            if action.help == argparse.SUPPRESS or isinstance(action, (argparse._HelpAction,
                                                                       argparse._SubParsersAction)):
                continue
            seen += 1
            if path[:1] in (("evaluate",), ("db",), ("schema",), ()):      # the commands guideline_db/cli.py defines
                assert action.help, f"abc-mdt {' '.join(path)} {action.option_strings or action.dest}: no help text"
            if action.option_strings and action.default not in (None, False, argparse.SUPPRESS, []):
                assert f"(default: {action.default})" in " ".join(text.split()), (path, action.option_strings)
    assert seen > 30
    assert "exit codes:" in parser.format_help() and "3  verify" in parser.format_help()


def test_exit_codes(tmp_path: Path, env: dict[str, str]) -> None:
    assert run(env, "evaluate", str(CASE)).returncode == 0
    usage = run(env, "evaluate", str(CASE), "--format", "yaml")
    assert usage.returncode == 2 and "invalid choice" in usage.stderr
    missing = run(env, "evaluate", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    invalid = tmp_path / "invalid.json"
    invalid.write_text('{"case_id": "x"}', encoding="utf-8")
    bad = run(env, "evaluate", str(invalid))
    assert bad.returncode == 2 and bad.stderr.strip() and "Traceback" not in bad.stderr


def test_evaluation_json_is_versioned_and_stdin_is_dash(env: dict[str, str]) -> None:
    from_file = run(env, "evaluate", str(CASE), "--lang", "en")
    from_stdin = run(env, "evaluate", "-", "--lang", "en", stdin=None, input=CASE.read_text(encoding="utf-8"))
    assert from_file.returncode == from_stdin.returncode == 0, from_stdin.stderr
    output = json.loads(from_stdin.stdout)
    assert next(iter(output)) == "output_version" and output["output_version"] == cli.OUTPUT_VERSION == 1
    assert output == json.loads(from_file.stdout)
    empty = run(env, "evaluate", "-", stdin=None, input="")
    assert empty.returncode == 2 and "Traceback" not in empty.stderr


def test_closed_stdin_is_a_message_not_a_traceback(tmp_path: Path, env: dict[str, str]) -> None:
    # No --passphrase-file and no terminal: the prompt cannot be answered.
    result = run(env, "identity", "create", "--name", "Dr X", "--role", "chair", "--out", str(tmp_path / "x.p12"))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "EOFError" not in result.stderr
    assert result.stderr.strip().count("\n") <= 1 and not (tmp_path / "x.p12").exists()


def test_ctrl_c_is_exit_130_without_a_traceback(tmp_path: Path, env: dict[str, str]) -> None:
    process = subprocess.Popen([sys.executable, "-m", "guideline_db.cli", "evaluate", "-"], env=env,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    log = tmp_path / "log" / "abc-mdt.log"
    deadline = time.monotonic() + 60
    while not (log.exists() and "command: evaluate" in log.read_text(encoding="utf-8")):   # reading stdin now
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == cli.EXIT_INTERRUPTED == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err and "interrupted" in err


def test_db_build_writes_only_where_it_is_told(tmp_path: Path, env: dict[str, str]) -> None:
    from guideline_db import build

    packaged = build.DEFAULT_OUTPUT
    before = hashlib.sha256(packaged.read_bytes()).hexdigest()
    result = run(env, "db", "build", "--out", str(tmp_path / "db"))
    assert result.returncode == 0, result.stderr
    built = tmp_path / "db" / "guideline.sqlite"
    digest = hashlib.sha256(built.read_bytes()).hexdigest()
    assert (tmp_path / "db" / "guideline.sqlite.sha256").read_text().split()[0] == digest
    assert digest in result.stdout
    refused = run(env, "db", "build", "--out", str(packaged.parent))
    assert refused.returncode == 2 and "inside the installed program" in refused.stderr
    assert run(env, "db", "build").returncode == 2                      # --out is required
    assert hashlib.sha256(packaged.read_bytes()).hexdigest() == before


def test_missing_optional_dependency_is_a_message(tmp_path: Path, env: dict[str, str]) -> None:
    # pyHanko made unimportable, as on an install without it: the commands stay and say why they cannot run.
    code = ("import sys; sys.modules['pyhanko'] = None\n"
            "from guideline_db.cli import main; sys.exit(main(sys.argv[1:]))\n")
    listing = subprocess.run([sys.executable, "-c", code, "--help"], env=env, capture_output=True, text=True)
    assert listing.returncode == 0 and "report" in listing.stdout
    result = subprocess.run([sys.executable, "-c", code, "report", str(CASE), "--out", str(tmp_path / "r.pdf")],
                            env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert "'report' needs the Python package 'pyhanko'" in result.stderr and "Traceback" not in result.stderr
    assert run(env, "evaluate", str(CASE)).returncode == 0


def test_unimportable_command_module_keeps_its_commands(tmp_path: Path, env: dict[str, str]) -> None:
    code = ("import sys; sys.modules['reports.cli'] = None\n"
            "from guideline_db.cli import main; sys.exit(main(sys.argv[1:]))\n")
    listing = subprocess.run([sys.executable, "-c", code, "--help"], env=env, capture_output=True, text=True)
    assert listing.returncode == 0 and "unavailable" in listing.stdout
    for command in ("report", "verify", "identity"):
        assert command in listing.stdout
    result = subprocess.run([sys.executable, "-c", code, "verify", "x.pdf"], env=env, capture_output=True,
                            text=True, stdin=subprocess.DEVNULL)
    assert result.returncode == 1 and "'verify' needs" in result.stderr and "Traceback" not in result.stderr
