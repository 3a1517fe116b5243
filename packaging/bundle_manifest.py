"""What is in the bundle, for hospital IT: the frozen version list, a CycloneDX SBOM and every licence text.

    python packaging/bundle_manifest.py dist/abc-mdt requirements/runtime.txt

Run by `make dist` after PyInstaller, with the build venv's Python, and writes into the bundle folder:

- ``versions.txt``: ``name==version`` of every Python package the bundle was built from (the runtime lock's
  packages as installed for this platform), then the system libraries copied from the build machine.
- ``sbom.cdx.json``: CycloneDX 1.5 JSON of the same: Python packages (purl ``pkg:pypi/...``, licence, the
  SHA-256 hashes the lock accepts) and Debian packages (``pkg:deb/...``) the bundled shared libraries came from.
  No timestamp or random serial number unless SOURCE_DATE_EPOCH is given (then that time), so two builds of
  one commit give the same file (the tarball is reproducible).
- ``licenses/``: each Python package's licence files from its metadata (``licenses/python/<name>/``), the
  Debian copyright file of every package a bundled library came from (``licenses/debian/<package>/``), and the
  GNU licence texts Qt's LGPL-3.0 refers to when a wheel carries none (PySide6's wheels carry none).

Why our own writer rather than cyclonedx-bom: it knows only the build venv (test tools included) or a
requirements file (no licences), and neither sees the system libraries PyInstaller copies in; this one
lists exactly what is in the folder, with no extra dependency.
"""

from __future__ import annotations

import datetime
import importlib.metadata as metadata
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

LICENSE_FILE = re.compile(r"(^|/)(LICEN[CS]E|COPYING|NOTICE|AUTHORS|COPYRIGHT)[^/]*$", re.IGNORECASE)
GNU_TEXTS = {"LGPL-3.0": ("LGPL-3", "GPL-3"), "GPL-3.0": ("GPL-3",), "GPL-2.0": ("GPL-2",),
             "LGPL-2.1": ("LGPL-2.1",)}
COMMON_LICENSES = Path("/usr/share/common-licenses")
VENDORED_LICENCES = Path(__file__).resolve().parent / "third-party-licenses"
# In the runtime lock but left out by packaging/abc-mdt.spec: the build backend, and pip (a dependency of
# sqlite-utils' own plugin installer, which the app never runs).
NOT_BUNDLED = {"pip", "setuptools"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(lock: Path) -> dict[str, dict]:
    """{canonical name: {"version", "hashes", "marker"}} from a pip requirements file with hashes."""
    packages: dict[str, dict] = {}
    current = None
    for raw in lock.read_text(encoding="utf-8").splitlines():
        line = raw.strip().rstrip("\\").strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)\s*(?:;\s*(.*))?$", line)
        if match:
            current = canonical(match[1])
            packages[current] = {"version": match[2], "hashes": [], "marker": (match[3] or "").strip()}
        elif line.startswith("--hash=sha256:") and current:
            packages[current]["hashes"].append(line.split(":", 1)[1])
    return packages


def installed(lock: dict[str, dict]) -> list[metadata.Distribution]:
    """The lock's packages that are installed here (those whose marker excludes this platform are not)."""
    found = {}
    for dist in metadata.distributions():
        name = canonical(dist.metadata["Name"] or "")
        if name in lock and name not in found:
            found[name] = dist
    return [found[name] for name in sorted(found)]


def licence_expression(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    if meta.get("License-Expression"):
        return meta["License-Expression"].strip()
    text = (meta.get("License") or "").strip()
    if text and "\n" not in text and len(text) < 80:
        return text
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return " OR ".join(classifiers) or (text.splitlines()[0][:80] if text else "unknown")


def copy_python_licences(dist: metadata.Distribution, target: Path) -> list[str]:
    copied = []
    for file in dist.files or []:
        if LICENSE_FILE.search(str(file)) and not str(file).endswith((".py", ".pyc")):
            source = Path(dist.locate_file(file))
            if source.is_file():
                relative = str(file).split(".dist-info/", 1)[-1].removeprefix("licenses/")
                destination = target / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, destination)
                copied.append(relative)
    expression = licence_expression(dist)
    if not copied:  # e.g. PySide6/shiboken6: "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only", no text in the wheel
        for spdx, texts in GNU_TEXTS.items():
            if spdx in expression:
                for text in texts:
                    if (COMMON_LICENSES / text).is_file():
                        target.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(COMMON_LICENSES / text, target / text)
                        copied.append(text)
                break
    vendored = VENDORED_LICENCES / canonical(dist.metadata["Name"] or "")
    if not copied and vendored.is_dir():  # the wheel has none; its sdist's text is kept in the repository
        for source in sorted(p for p in vendored.iterdir() if p.is_file()):
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / source.name)
            copied.append(source.name)
    if not copied and (dist.metadata.get("License") or "").count("\n") > 2:  # the licence text is the field
        target.mkdir(parents=True, exist_ok=True)
        (target / "LICENSE").write_text(dist.metadata["License"], encoding="utf-8")
        copied.append("LICENSE")
    return copied


def bundled_system_libraries(bundle: Path, python_files: set[str]) -> dict[str, dict]:
    """{Debian package: {"version", "files"}} for bundled shared libraries that no Python package installed."""
    if not shutil.which("dpkg-query"):
        return {}
    packages: dict[str, dict] = {}
    for path in sorted(bundle.rglob("*.so*")):
        if not path.is_file() or path.name in python_files:
            continue
        result = subprocess.run(["dpkg-query", "-S", f"*/{path.name}"], capture_output=True, text=True)
        if result.returncode != 0:
            continue
        package = result.stdout.split(":", 1)[0].split(",")[0].strip()
        entry = packages.setdefault(package, {"files": []})
        entry["files"].append(path.relative_to(bundle).as_posix())
    for package, entry in packages.items():
        version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True)
        entry["version"] = version.stdout.strip()
    return packages


def main(argv: list[str]) -> int:
    bundle, lock_path = Path(argv[0]), Path(argv[1])
    lock = read_lock(lock_path)
    dists = installed(lock)
    licences = bundle / "licenses"
    shutil.rmtree(licences, ignore_errors=True)
    components, versions = [], []
    python_files: set[str] = set()
    for dist in dists:
        name, version = dist.metadata["Name"], dist.version
        key = canonical(name)
        if key in NOT_BUNDLED:
            continue
        python_files.update(Path(str(f)).name for f in dist.files or [])
        copied = copy_python_licences(dist, licences / "python" / key)
        versions.append(f"{key}=={version}")
        components.append({
            "type": "library", "bom-ref": f"pkg:pypi/{key}@{version}", "name": key, "version": version,
            "purl": f"pkg:pypi/{key}@{version}",
            "licenses": [{"expression": licence_expression(dist)}] if " OR " in licence_expression(dist)
            or " AND " in licence_expression(dist) else [{"license": {"name": licence_expression(dist)}}],
            "hashes": [{"alg": "SHA-256", "content": h} for h in lock[key]["hashes"]],
            "properties": [{"name": "abc-mdt:licence-files", "value": ", ".join(f"licenses/python/{key}/{c}"
                                                                               for c in copied) or "none"}],
        })
    system = bundled_system_libraries(bundle, python_files)
    distro = Path("/etc/os-release").read_text().split("ID=", 1)[-1].split()[0] if Path("/etc/os-release").exists() else "debian"
    for package in sorted(system):
        entry = system[package]
        source = Path("/usr/share/doc") / package / "copyright"
        target = licences / "debian" / package
        if source.is_file():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / "copyright")
        versions.append(f"{package}=={entry['version']} (system library: {', '.join(entry['files'])})")
        purl = f"pkg:deb/{distro}/{package}@{entry['version']}"
        components.append({
            "type": "library", "bom-ref": purl, "name": package, "version": entry["version"], "purl": purl,
            "properties": [{"name": "abc-mdt:bundled-file", "value": f} for f in entry["files"]]
            + [{"name": "abc-mdt:licence-files", "value": f"licenses/debian/{package}/copyright"
                if source.is_file() else "none"}],
        })
    from guideline_db import __version__

    bom: dict = {
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "metadata": {"component": {"type": "application", "bom-ref": "abc-mdt", "name": "abc-mdt",
                                   "version": __version__, "licenses": [{"license": {"name": "LicenseRef-Proprietary"}}]}},
        "components": components,
        "dependencies": [{"ref": "abc-mdt", "dependsOn": [c["bom-ref"] for c in components]}],
    }
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        stamp = datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
        bom["metadata"]["timestamp"] = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    (bundle / "sbom.cdx.json").write_text(json.dumps(bom, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    header = (f"# abc-mdt {__version__}: the Python packages this bundle was built from (locked with hashes in "
              f"{lock_path.as_posix()}), then the system libraries copied from the build machine.\n")
    (bundle / "versions.txt").write_text(header + "\n".join(versions) + "\n", encoding="utf-8")
    print(f"bundle_manifest: {len(dists)} Python packages, {len(system)} system packages, "
          f"{sum(1 for p in licences.rglob('*') if p.is_file())} licence files")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main(sys.argv[1:]))
