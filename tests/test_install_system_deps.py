"""tools/install-system-deps.sh chooses the right Debian/Ubuntu package names per release and purpose.

A fresh debian:12 / ubuntu:24.04 machine cannot be had here, so the script runs in dry-run mode against an
os-release file for each supported release, and, for the install path, with `id`, `dpkg-query` and
`apt-get` replaced on PATH (the OS boundary) to see what it would run as root and as another user.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "install-system-deps.sh"

RELEASES = {
    # release: (os-release, venv package(s), glib package)
    "debian-12": ('ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n', ["python3.11-venv"], "libglib2.0-0"),
    "debian-13": ('ID=debian\nVERSION_ID="13"\nVERSION_CODENAME=trixie\n', ["python3.13-venv"], "libglib2.0-0t64"),
    "ubuntu-22.04": ('ID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\n', ["python3.11", "python3.11-venv"],
                     "libglib2.0-0"),
    "ubuntu-24.04": ('ID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\n', ["python3.12-venv"], "libglib2.0-0t64"),
}
QT_XCB = ["libxcb-cursor0", "libxkbcommon-x11-0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0",
          "libxcb-render-util0", "libxcb-randr0", "libxcb-shape0", "libxcb-xkb1", "libegl1", "libgl1",
          "libfontconfig1", "libdbus-1-3", "libxkbcommon0"]


def dry_run(tmp_path: Path, release: str, *purposes: str, python: str | None = None) -> list[str]:
    os_release = tmp_path / f"{release}.os-release"
    os_release.write_text(RELEASES[release][0], encoding="utf-8")
    extra = ["--python", python] if python else []
    result = subprocess.run(["bash", str(SCRIPT), *purposes, "--dry-run", "--os-release", str(os_release), *extra],
                            capture_output=True, text=True, check=True)
    return result.stdout.split()


@pytest.mark.parametrize("release", sorted(RELEASES))
def test_run_set_per_release(tmp_path: Path, release: str) -> None:
    packages = dry_run(tmp_path, release, "run")
    _, venv, glib = RELEASES[release]
    assert packages[:len(venv)] == venv                     # the venv module first: make's next step needs it
    assert glib in packages
    assert {"libglib2.0-0", "libglib2.0-0t64"} - {glib} & set(packages) == set()
    assert set(QT_XCB) <= set(packages)
    # Nothing `make run` does not need: no test or build tools.
    assert not {"poppler-utils", "binutils", "xvfb", "xdotool"} & set(packages)
    assert len(packages) == len(set(packages))


@pytest.mark.parametrize("release", sorted(RELEASES))
def test_test_and_dist_sets_add_their_tools(tmp_path: Path, release: str) -> None:
    run = dry_run(tmp_path, release, "run")
    test = dry_run(tmp_path, release, "test")
    dist = dry_run(tmp_path, release, "dist")
    both = dry_run(tmp_path, release, "test", "dist")
    assert set(test) - set(run) >= {"poppler-utils"} and "binutils" not in test
    assert set(dist) - set(run) == {"binutils"}
    assert set(both) == set(test) | set(dist)


def test_python_version_chooses_the_venv_package(tmp_path: Path) -> None:
    assert "python3.12-venv" in dry_run(tmp_path, "debian-12", "run", python="3.12")
    # A Python older than 3.11 (Ubuntu 22.04's python3) is not what make will use: the release's 3.11 is.
    packages = dry_run(tmp_path, "ubuntu-22.04", "run", python="3.10")
    assert "python3.11-venv" in packages and "python3.10-venv" not in packages


def test_unsupported_release_is_refused_in_dry_run(tmp_path: Path) -> None:
    os_release = tmp_path / "os-release"
    os_release.write_text('ID=fedora\nVERSION_ID="40"\n', encoding="utf-8")
    result = subprocess.run(["bash", str(SCRIPT), "--dry-run", "--os-release", str(os_release)],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "unsupported release 'fedora-40'" in result.stderr


def fake_system(tmp_path: Path, uid: int, installed: set[str]) -> dict[str, str]:
    """PATH with `id`, `dpkg-query` and `apt-get` that answer as a machine with `installed` would."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    (bin_dir / "dpkg-query").write_text(
        "#!/bin/sh\nfor p in " + " ".join(sorted(installed)) + " ; do\n"
        '  [ "$p" = "$3" ] && { printf "install ok installed"; exit 0; }\ndone\nexit 1\n')
    (bin_dir / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> {tmp_path / "apt.log"}\n')
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}


def run_script(tmp_path: Path, env: dict[str, str], *purposes: str) -> subprocess.CompletedProcess[str]:
    os_release = tmp_path / "os-release"
    os_release.write_text(RELEASES["ubuntu-24.04"][0], encoding="utf-8")
    return subprocess.run(["bash", str(SCRIPT), *purposes, "--os-release", str(os_release), "--python", "3.12"],
                          capture_output=True, text=True, env=env)


def test_non_root_prints_the_one_sudo_line_and_stops(tmp_path: Path) -> None:
    env = fake_system(tmp_path, uid=1000, installed={"libegl1", "libgl1"})
    result = run_script(tmp_path, env, "run")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("sudo apt-get install ")
    wanted = lines[0].split()[3:]
    assert "libglib2.0-0t64" in wanted and "python3.12-venv" in wanted and "libxcb-cursor0" in wanted
    assert "libegl1" not in wanted and "poppler-utils" not in wanted
    assert not (tmp_path / "apt.log").exists()


def test_root_installs_only_what_is_missing(tmp_path: Path) -> None:
    everything = set(dry_run(tmp_path, "ubuntu-24.04", "test", "dist", python="3.12"))
    env = fake_system(tmp_path, uid=0, installed=everything - {"binutils", "libxcb-icccm4"})
    result = run_script(tmp_path, env, "test", "dist")
    assert result.returncode == 0, result.stderr
    calls = (tmp_path / "apt.log").read_text().splitlines()
    assert calls[0].startswith("update")
    assert calls[1].split()[-2:] == ["libxcb-icccm4", "binutils"]
    again = tmp_path / "again"
    again.mkdir()
    env = fake_system(again, uid=0, installed=everything)
    assert run_script(again, env, "test", "dist").returncode == 0
    assert not (again / "apt.log").exists()                  # all present: apt-get is not run at all


def test_make_runs_system_deps_before_creating_the_venv() -> None:
    result = subprocess.run(["make", "-n", "-B", "-C", str(ROOT), "run", "PYTHON=python3"], capture_output=True,
                            text=True, env={**os.environ, "MAKEFLAGS": ""})
    lines = result.stdout.splitlines()
    deps = next(i for i, line in enumerate(lines) if "install-system-deps.sh run" in line)
    venv = next(i for i, line in enumerate(lines) if "-m venv" in line)
    hashed = next(i for i, line in enumerate(lines) if "--require-hashes" in line)
    assert deps < venv < hashed
    assert "requirements/runtime.txt" in lines[hashed]
