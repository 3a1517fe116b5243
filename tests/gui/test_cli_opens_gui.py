"""`abc-mdt [--lang zh|en] [CASE.json]` opens the desktop app with that language and case (no subcommand)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guideline_db.cli import _is_gui_call, build_parser

CASE = Path(__file__).resolve().parent.parent / "cases" / "p01-male-hr-positive.json"


@pytest.mark.parametrize("argv,gui", [
    (["--lang", "en"], True), (["--lang=zh"], True), ([str(CASE)], True), (["--lang", "en", str(CASE)], True),
    (["evaluate", str(CASE)], False), (["--version"], False), ([], False), (["--demo"], False),
    (["--lang", "en", "--help"], False),
])
def test_gui_arguments_are_told_from_subcommands(argv: list[str], gui: bool) -> None:
    assert _is_gui_call(build_parser(), argv) == gui


def test_the_app_starts_with_a_language_and_a_case_and_quits_after_the_first_paint(tmp_path) -> None:
    env = {**os.environ, "ABC_MDT_QUIT_AFTER_SHOW": "1", "QT_QPA_PLATFORM": "offscreen",
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    exe = shutil.which("abc-mdt", path=str(Path(sys.executable).parent)) or "abc-mdt"
    done = subprocess.run([exe, "--lang", "en", str(CASE)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage:" not in done.stderr and "invalid choice" not in done.stderr
