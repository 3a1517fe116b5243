"""The guideline database's hash is part of the release (issue 14, "The guideline database"): a database
changed together with its sidecar is refused, and another database is used only when chosen explicitly,
and then every result says it is not the released one."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from store_helpers import case_dict

from guideline_db import _release
from guideline_db.database import (
    PACKAGED_DATABASE,
    GuidelineIntegrityError,
    _open,
    open_guideline,
    write_release_hash,
)


def tampered_copy(folder: Path) -> Path:
    """The tester's attack: tamoxifen alone made 优先推荐 — any row changed — and the sidecar recomputed."""
    copy = folder / "guideline.sqlite"
    shutil.copy(PACKAGED_DATABASE, copy)
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE meta SET value = value || ' (edited)' WHERE key = 'title'")
    conn.commit()
    conn.close()
    digest = hashlib.sha256(copy.read_bytes()).hexdigest()
    (folder / "guideline.sqlite.sha256").write_text(digest + "\n", encoding="ascii")
    return copy


def test_the_shipped_database_is_the_released_one() -> None:
    db = open_guideline()
    assert db.sha256 == _release.RELEASED_SHA256 == hashlib.sha256(PACKAGED_DATABASE.read_bytes()).hexdigest()
    assert db.verified and db.is_released and db.info()["verified"] is True


def test_a_database_changed_with_its_sidecar_is_refused_where_the_released_one_belongs(tmp_path: Path) -> None:
    copy = tampered_copy(tmp_path)
    with pytest.raises(GuidelineIntegrityError, match="is not the released database: expected sha256 "
                       + _release.RELEASED_SHA256):
        _open(copy, True, False)  # the check applied to the packaged path


def test_another_database_only_explicitly_and_then_marked_not_verified(tmp_path: Path) -> None:
    copy = tampered_copy(tmp_path)
    case = tmp_path / "case.json"
    case.write_text(json.dumps(case_dict("gdb-1")), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "ABC_MDT_GUIDELINE_DB"}
    for argv, extra_env in ((["--guideline-db", str(copy)], {}), ([], {"ABC_MDT_GUIDELINE_DB": str(copy)})):
        result = subprocess.run([sys.executable, "-m", "guideline_db.cli", *argv, "db", "info", "--format", "json"],
                                capture_output=True, text=True, env={**env, **extra_env}, timeout=120)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["verified"] is False
        assert "NOT the released database" in result.stderr and str(copy) in result.stderr
    result = subprocess.run([sys.executable, "-m", "guideline_db.cli", "--guideline-db", str(copy), "evaluate",
                             str(case)], capture_output=True, text=True, env=env, timeout=120)
    if result.returncode == 0:
        assert json.loads(result.stdout)["guideline"]["verified"] is False
    assert "NOT the released database" in result.stderr
    released = subprocess.run([sys.executable, "-m", "guideline_db.cli", "db", "info", "--format", "json"],
                              capture_output=True, text=True, env=env, timeout=120)
    assert json.loads(released.stdout)["verified"] is True and "NOT the released" not in released.stderr


def test_an_explicit_database_whose_sidecar_disagrees_is_refused(tmp_path: Path) -> None:
    copy = tampered_copy(tmp_path)
    (tmp_path / "guideline.sqlite.sha256").write_text("0" * 64 + "\n", encoding="ascii")
    with pytest.raises(GuidelineIntegrityError, match="was modified"):
        _open(copy, True, True)


def test_the_release_module_is_generated_importable(tmp_path: Path) -> None:
    module = tmp_path / "_release.py"
    write_release_hash("ab" * 32, module)
    namespace: dict[str, object] = {}
    exec(compile(module.read_text(encoding="utf-8"), str(module), "exec"), namespace)  # noqa: S102
    assert namespace["RELEASED_SHA256"] == "ab" * 32


def test_a_build_elsewhere_does_not_touch_the_release_hash(tmp_path: Path) -> None:
    from guideline_db import build

    before = Path(_release.__file__).read_text(encoding="utf-8")
    assert build.main(["--output", str(tmp_path / "guideline.sqlite")]) == 0
    assert Path(_release.__file__).read_text(encoding="utf-8") == before


def test_db_info_text_says_whether_it_is_the_released_database(tmp_path: Path) -> None:
    copy = tampered_copy(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "ABC_MDT_GUIDELINE_DB"}
    other = subprocess.run([sys.executable, "-m", "guideline_db.cli", "--guideline-db", str(copy), "db", "info"],
                           capture_output=True, text=True, env=env, timeout=120)
    assert "(NOT the released database)" in other.stdout and "(verified" not in other.stdout
    released = subprocess.run([sys.executable, "-m", "guideline_db.cli", "db", "info"], capture_output=True,
                              text=True, env=env, timeout=120)
    assert "(verified: the released database)" in released.stdout
