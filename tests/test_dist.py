"""The offline bundle (issue 7): the PyInstaller executable in dist/abc-mdt/, run with an empty
environment — `env -i PATH=/usr/bin:/bin HOME=<tmp>`, so no Python, no venv and no site-packages are
visible — evaluates the cases, writes, signs and verifies a report, and opens the GUI offscreen.

Skipped when the bundle has not been built (`make dist`; `make dist-test` builds and runs this file;
`make test` builds it first too). Build it again after changing the code: the evaluations are compared
with the in-process engine, so a stale bundle fails here.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import platform
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from conftest import PROJECT_CASES, ROOT, load_json, project_case_paths
from test_vignettes import discrepancies

import guideline_db
from guideline_db.case_io import load_case
from guideline_db.database import with_verified
from guideline_db.engine import evaluate

DIST = ROOT / "dist" / "abc-mdt"
EXE = DIST / ("abc-mdt.exe" if sys.platform == "win32" else "abc-mdt")
TARBALL = ROOT / "dist" / f"abc-mdt-{guideline_db.__version__}-linux-{platform.machine()}.tar.gz"
CASE = PROJECT_CASES / "p01-male-hr-positive.json"
PASSPHRASE = "correct horse battery staple"
# 275 MB before the pruning in packaging/abc-mdt.spec, 195 MB after (PySide6 6.11); 311 MB since the report
# fonts for rare CJK characters and Hangul (reports/fonts: BabelStoneHan, HanaMin A/B, Nanum Gothic, 110 MB).
SIZE_LIMIT_MB = 330

pytestmark = pytest.mark.skipif(not EXE.is_file(), reason=f"{EXE.relative_to(ROOT)} does not exist: run `make dist` "
                                "(or `make dist-test`) to build the offline bundle")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("empty-home")


def bundled(home: Path, *args: str, timeout: float = 120, **extra_env: str) -> subprocess.CompletedProcess:
    """Run the bundled executable like `env -i PATH=/usr/bin:/bin HOME=<home> [extra] abc-mdt ARGS`."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), **extra_env}
    return subprocess.run([str(EXE), *args], env=env, cwd=home, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("path", project_case_paths(), ids=lambda p: p.stem)
def test_bundle_evaluates_each_case_as_the_engine_does(home: Path, path: Path) -> None:
    result = bundled(home, "evaluate", str(path), "--format", "json", "--lang", "en")
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    expected = {"output_version": 1, **with_verified(evaluate(load_case(path)).to_dict("en"))}
    assert output == json.loads(json.dumps(expected, ensure_ascii=False)), \
        "the bundle evaluates differently from the source tree: rebuild it (`make dist`)"
    assert discrepancies(output, load_json(PROJECT_CASES / f"{path.stem}.expected.json")) == []


def test_bundle_checks_its_guideline_database(home: Path) -> None:
    result = bundled(home, "db", "info")
    assert result.returncode == 0, result.stderr
    shipped = (ROOT / "guideline_db" / "data" / "guideline.sqlite.sha256").read_text().split()[0]
    assert re.search(rf"sha256:\s+{shipped} \(verified\b", result.stdout), result.stdout
    assert f"{DIST / '_internal'}" in result.stdout, "the database must be read from inside the bundle"


def test_bundle_writes_signs_and_verifies_a_report(home: Path) -> None:
    work = home / "signing"
    work.mkdir()
    passphrase = work / "passphrase.txt"
    passphrase.write_text(PASSPHRASE + "\n", encoding="utf-8")
    created = bundled(work, "identity", "create", "--name", "Dr Bundle Test", "--role", "MDT chair",
                      "--out", "chair.p12", "--cert-out", "chair.pem", "--passphrase-file", str(passphrase))
    assert created.returncode == 0, created.stderr
    from test_report_support import decided_case

    from guideline_db.case_io import case_to_json

    decided = work / "decided.json"            # an approval is signed on a summary with a recorded decision
    decided.write_text(case_to_json(decided_case()), encoding="utf-8")
    report = bundled(work, "report", str(decided), "--out", "r.pdf", "--sign", "chair.p12", "--passphrase-file",
                     str(passphrase), "--meaning", "chair")
    assert report.returncode == 0, report.stderr
    assert (work / "r.pdf").read_bytes().startswith(b"%PDF")
    verified = bundled(work, "verify", "r.pdf", "--trust", "chair.pem")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "OK: every signature is intact, valid and trusted" in verified.stdout
    assert "approved by MDT chair" in verified.stdout and "Dr Bundle Test" in verified.stdout
    other = bundled(work, "identity", "create", "--name", "Someone Else", "--role", "recorder", "--out",
                    "other.p12", "--cert-out", "other.pem", "--passphrase-file", str(passphrase))
    assert other.returncode == 0, other.stderr
    untrusted = bundled(work, "verify", "r.pdf", "--trust", "other.pem")
    assert untrusted.returncode == 3, "a signature must not be trusted on another signer's certificate"


def test_bundle_opens_the_gui_offscreen_with_its_own_fonts_and_translations(home: Path) -> None:
    # ABC_MDT_SMOKE_EXIT_MS / ABC_MDT_SMOKE_REPORT: the hidden smoke switch of packaging/entry.py.
    result = bundled(home, "--demo", timeout=90, QT_QPA_PLATFORM="offscreen", ABC_MDT_LANG="zh",
                     ABC_MDT_SMOKE_EXIT_MS="300", ABC_MDT_SMOKE_REPORT="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "window shown" in result.stdout.splitlines()
    smoke = json.loads(result.stdout.split("smoke: ", 1)[1].splitlines()[0])
    bundle = smoke["bundle_dir"]
    assert smoke["frozen"] and Path(bundle) == DIST / "_internal"
    assert smoke["language"] == "zh" and smoke["demo_case"]
    assert smoke["i18n_dir"].startswith(bundle) and smoke["font_dir"].startswith(bundle)
    assert smoke["cjk_font"] == "Droid Sans Fallback" and smoke["latin_font"] == "DejaVu Sans"
    translators = [Path(path) for path in smoke["translators"]]
    assert Path(smoke["i18n_dir"]) / "abc_mdt_zh_CN.qm" in translators, translators
    assert any(p.name == "qt_zh_CN.qm" and str(p).startswith(bundle) for p in translators), \
        f"Qt's own Chinese strings did not load from the bundle: {translators}"
    assert smoke["report_pages"] >= 1, "the report window (QtPdf) did not load the PDF"
    # The case store is created in the user's data folder, not inside the application folder.
    assert (home / ".local" / "share" / "abc-mdt" / "cases.sqlite").is_file()


def _elf_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink() and p.read_bytes()[:4] == b"\x7fELF"]


@pytest.mark.skipif(sys.platform != "linux", reason="ldd check of the Linux bundle")
def test_bundle_is_lean_and_no_bundled_library_misses_a_qt_library() -> None:
    files = [p for p in DIST.rglob("*") if p.is_file()]
    size_mb = sum(p.stat().st_size for p in files if not p.is_symlink()) / 1e6
    print(f"dist/abc-mdt: {size_mb:.0f} MB in {len(files)} files")
    assert size_mb < SIZE_LIMIT_MB, f"the bundle grew to {size_mb:.0f} MB (limit {SIZE_LIMIT_MB} MB)"
    names = {p.name for p in files}
    for unwanted in ("Quick", "Qml", "WebEngine", "3D", "Multimedia", "Charts", "DataVisualization",
                     "VirtualKeyboard", "Designer", "Bluetooth", "Positioning", "Sql"):
        assert not [n for n in names if f"Qt6{unwanted}" in n or f"Qt{unwanted}." in n], unwanted
    for needed in ("libQt6Pdf.so.6", "libQt6PdfWidgets.so.6", "libQt6PrintSupport.so.6", "libqxcb.so",
                   "libqoffscreen.so", "guideline.sqlite", "guideline.sqlite.sha256", "abc_mdt_zh_CN.qm",
                   "DroidSansFallbackFull.ttf", "DejaVuSans.ttf", "demo_case.json", "qtbase_zh_CN.qm"):
        assert needed in names, needed
    internal = DIST / "_internal"
    env = {**os.environ, "LD_LIBRARY_PATH": f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"}
    missing: dict[str, set[str]] = {}
    for path in _elf_files(DIST):
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env).stdout
        for lib in re.findall(r"^\s*(\S+) => not found", out, re.M):
            missing.setdefault(lib, set()).add(path.name)
    print("system libraries the bundle expects on the target machine:", sorted(missing) or "none")
    ours = {lib: users for lib, users in missing.items()
            if lib.startswith(("libQt6", "libicu", "libpyside6", "libshiboken6", "libpython"))}
    assert not ours, f"libraries dropped from the bundle are still needed: {ours}"


@pytest.mark.skipif(sys.platform != "linux", reason="the Linux tarball")
def test_tarball_holds_the_folder_and_matches_its_checksum() -> None:
    assert TARBALL.is_file(), f"{TARBALL.name} missing: run `make dist`"
    digest = hashlib.sha256(TARBALL.read_bytes()).hexdigest()
    assert (TARBALL.parent / f"{TARBALL.name}.sha256").read_text().split() == [digest, TARBALL.name]
    with tarfile.open(TARBALL) as tar:
        members = set(tar.getnames())
    assert {"abc-mdt/abc-mdt", "abc-mdt/INSTALL.md", "abc-mdt/_internal/guideline_db/data/guideline.sqlite"} <= members
    print(f"{TARBALL.name}: {TARBALL.stat().st_size / 1e6:.0f} MB")


def _lock_pins() -> dict[str, tuple[str, set[str]]]:
    sys.path.insert(0, str(ROOT / "packaging"))
    from bundle_manifest import read_lock

    return {name: (entry["version"], set(entry["hashes"]))
            for name, entry in read_lock(ROOT / "requirements" / "runtime.txt").items()}


def test_bundle_version_names_app_database_and_libraries(home: Path) -> None:
    result = bundled(home, "--version")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"abc-mdt {guideline_db.__version__}"
    shipped = (ROOT / "guideline_db" / "data" / "guideline.sqlite.sha256").read_text().split()[0]
    assert f"database sha256: {shipped} (verified)" in lines
    assert any(line.startswith("guideline: ") and "edition 2024" in line for line in lines), lines
    libraries = dict(item.rsplit(" ", 1) for item in next(
        line for line in lines if line.startswith("libraries: ")).removeprefix("libraries: ").split(", "))
    pins = _lock_pins()
    for name in ("pydantic", "reportlab", "pyhanko", "cryptography", "PySide6", "platformdirs"):
        assert libraries[name] == pins[name.lower()][0], (name, libraries[name])
    assert libraries["python"].startswith("3.")


def test_bundle_carries_its_version_list_sbom_and_licences() -> None:
    pins = _lock_pins()
    listed = [line for line in (DIST / "versions.txt").read_text(encoding="utf-8").splitlines()
              if line and not line.startswith("#")]
    python = dict(line.split("==", 1) for line in listed if "(system library" not in line)
    assert {"pydantic", "pyside6", "reportlab", "pyhanko", "cryptography"} <= set(python)
    for name, version in python.items():
        assert pins[name][0] == version, f"versions.txt says {name}=={version}, the lock {pins[name][0]}"
    assert "pytest" not in python and "pyinstaller" not in python and "pip" not in python

    bom = json.loads((DIST / "sbom.cdx.json").read_text(encoding="utf-8"))
    assert bom["bomFormat"] == "CycloneDX" and bom["specVersion"] == "1.5"
    assert bom["metadata"]["component"]["name"] == "abc-mdt"
    assert bom["metadata"]["component"]["version"] == guideline_db.__version__
    components = {c["purl"]: c for c in bom["components"]}
    for name, version in python.items():
        component = components[f"pkg:pypi/{name}@{version}"]
        assert component["licenses"], name
        assert {h["content"] for h in component["hashes"]} == pins[name][1], name
        licence_files = next(p["value"] for p in component["properties"] if p["name"] == "abc-mdt:licence-files")
        assert licence_files != "none", f"no licence text for {name}"
        texts = [DIST / relative for relative in licence_files.split(", ")]
        assert all(t.is_file() and t.stat().st_size for t in texts), texts
        assert sum(t.stat().st_size for t in texts) > 400, f"{name}: {texts} is too short to be a licence"
    # Qt is LGPL-3.0 and its wheels carry no licence text: the bundle must.
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (DIST / "licenses" / "python" / "pyside6" / "LGPL-3").read_text()
    # Every shared library PyInstaller copied from the build machine is accounted for, with its copyright file.
    bundled_files = {p["value"] for c in bom["components"] for p in c.get("properties", [])
                     if p["name"] == "abc-mdt:bundled-file"}
    python_files = {Path(str(f)).name for d in importlib.metadata.distributions() for f in d.files or []}
    system_libraries = {f"_internal/{p.name}" for p in (DIST / "_internal").glob("*.so*")
                        if p.is_file() and not p.is_symlink() and p.name not in python_files}
    assert system_libraries and system_libraries <= bundled_files, sorted(system_libraries - bundled_files)
    debian = [c for c in bom["components"] if c["purl"].startswith("pkg:deb/")]
    assert any(c["name"].startswith("libpython3") for c in debian)
    for component in debian:
        assert (DIST / "licenses" / "debian" / component["name"] / "copyright").is_file(), component["name"]


@pytest.mark.skipif(sys.platform != "linux", reason="the Linux tarball")
def test_tarball_is_normalised_for_reproducible_builds() -> None:
    """What makes two builds of one commit byte-identical (`make dist-check` builds twice and compares)."""
    raw = TARBALL.read_bytes()
    assert raw[:2] == b"\x1f\x8b" and raw[4:8] == b"\0\0\0\0" and not raw[3] & 0x08   # gzip: no time, no name
    with tarfile.open(TARBALL) as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert names == sorted(names, key=lambda n: n.split("/"))
    assert {(m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0, "", "")}
    assert len({m.mtime for m in members}) == 1
